/**
 * AGENCIES_FILE: the office's own agency registry, merged over the built-in
 * one. The file is what `annex-tracker agencies` prints (a JSON array of
 * entries) or a registry file ({province, agencies}).
 */
import { readFileSync } from 'node:fs';
import { defaultRegistry, officeRegistry, type AgencyRegistry } from '../shared/agencies';
import { InputError } from '../shared/errors';

export function loadRegistry(file: string | null): AgencyRegistry {
  if (!file) return defaultRegistry;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const reason = err instanceof SyntaxError ? err.message : ((err as NodeJS.ErrnoException).code ?? String(err));
    throw new InputError(
      `AGENCIES_FILE: không đọc được danh mục cơ quan ${file} (${reason})`,
      `AGENCIES_FILE: cannot read the agency registry ${file} (${reason})`,
      'config.invalid',
      { field: 'AGENCIES_FILE' },
    );
  }
  try {
    return officeRegistry(json);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    throw new InputError(`AGENCIES_FILE ${file}: ${err.message}`, `AGENCIES_FILE ${file}: ${err.messageEn}`, 'config.invalid', { field: 'AGENCIES_FILE' });
  }
}
