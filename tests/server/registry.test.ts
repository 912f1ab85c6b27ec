/**
 * AGENCIES_FILE: the office's own registry, in the format `annex-tracker
 * agencies` prints, names agencies the service then resolves; a bad file stops
 * the start naming it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main as cliMain } from '../../cli/main';
import { start } from '../../server/main';
import { loadRegistry } from '../../server/registry';
import { InputError } from '../../shared/errors';
import { call } from './http';

const dir = mkdtempSync(path.join(os.tmpdir(), 'annex-registry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OFFICE = [{ id: 'trung-tam-thu-nghiem', name: 'Trung tâm Thử nghiệm tỉnh', kind: 'other', aliases: ['TTTN'] }];

/** What `annex-tracker agencies --agencies FILE` prints for the office's entries. */
async function printedRegistry(): Promise<string> {
  const source = path.join(dir, 'office.json');
  writeFileSync(source, JSON.stringify({ province: 'Lào Cai', agencies: OFFICE }));
  let out = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    expect(await cliMain(['agencies', '--agencies', source])).toBe(0);
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('AGENCIES_FILE', () => {
  it('takes what `annex-tracker agencies` prints and resolves the office’s names', async () => {
    const file = path.join(dir, 'printed.json');
    writeFileSync(file, await printedRegistry());
    expect(loadRegistry(file).find('TTTN')?.id).toBe('trung-tam-thu-nghiem');

    const adminToken = 'registry-test-admin-token-0123456789';
    const service = await start({ LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0', DATA_DIR: path.join(dir, 'data'), ADMIN_TOKEN: adminToken, AGENCIES_FILE: file });
    try {
      const server = { url: `http://127.0.0.1:${service.port}` };
      const created = await call(server, adminToken, 'POST', '/api/agencies', { name: 'TTTN' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'Trung tâm Thử nghiệm tỉnh', registryId: 'trung-tam-thu-nghiem' });
    } finally {
      await service.close();
    }
  });

  it('stops the start naming a file that is missing or not a registry', async () => {
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify([{ id: 'Bad Id', name: '', kind: 'nope' }]));
    for (const file of [path.join(dir, 'missing.json'), broken]) {
      let error: unknown;
      try {
        loadRegistry(file);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).messageEn).toContain(`AGENCIES_FILE`);
      expect((error as InputError).messageEn).toContain(path.basename(file));
    }
  });
});
