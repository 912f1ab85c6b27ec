/**
 * `annex-tracker admin reset-token`: a new administrator token, set from the
 * machine that runs the service (its data folder or its DATABASE_URL), for
 * when the printed one is lost or leaked. The old token stops working at once,
 * on every instance sharing the database.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { InputError } from '../shared/errors';
import { generateToken, hashToken } from '../server/auth';
import { SQLITE_FILE } from '../server/main';
import { openStore } from '../server/store/kysely-store';

export async function adminCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { 'data-dir': { type: 'string' }, 'database-url': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1 || positionals[0] !== 'reset-token') {
    throw new InputError('Dùng: annex-tracker admin reset-token [--data-dir DIR | --database-url URL]', 'Usage: annex-tracker admin reset-token [--data-dir DIR | --database-url URL]', 'cli.command');
  }
  if (values['data-dir'] && values['database-url']) {
    throw new InputError('Chỉ dùng một trong --data-dir và --database-url', 'Use only one of --data-dir and --database-url', 'cli.option');
  }
  const databaseUrl = values['database-url'] ?? (values['data-dir'] ? undefined : process.env.DATABASE_URL?.trim() || undefined);
  const sqliteFile = path.resolve(values['data-dir'] ?? (process.env.DATA_DIR?.trim() || './data'), SQLITE_FILE);
  if (!databaseUrl && !existsSync(sqliteFile)) {
    // A new empty database here would reset nothing: the service's file is elsewhere.
    throw new InputError(`Không có cơ sở dữ liệu ${sqliteFile}: hãy chỉ --data-dir của dịch vụ`, `No database at ${sqliteFile}: give the service's --data-dir`, 'cli.database');
  }
  const store = await openStore(databaseUrl ?? { sqliteFile });
  try {
    const token = generateToken();
    await store.setAdminToken(hashToken(token));
    process.stdout.write(
      `\nMã quản trị mới (chỉ hiện một lần, hãy lưu lại) / New administrator token (shown once, keep it):\n\n  ${token}\n\n` +
        'Nếu dịch vụ chạy với ADMIN_TOKEN, lần khởi động sau sẽ dùng lại ADMIN_TOKEN / If the service runs with ADMIN_TOKEN, its next start sets ADMIN_TOKEN again\n',
    );
  } finally {
    await store.close();
  }
}
