/**
 * `npm start`: reads the settings, opens and migrates the store, listens, then
 * makes sure an administrator token exists, and shuts down cleanly on
 * SIGTERM/SIGINT. Every failure to start says which file or setting and why,
 * in Vietnamese and English.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { InputError } from '../shared/errors';
import { loadConfig, type Config } from './config';
import { createApp } from './app';
import { generateToken, hashToken } from './auth';
import { loadRegistry } from './registry';
import { openThreadedStore } from './store/threaded-store';
import type { Store } from './store/store';
import { UploadParser } from './upload-parser';

export const SQLITE_FILE = 'annex-tracker.sqlite';

/** Why a database could not be opened, by error code, in both languages. */
const OPEN_CAUSES: Record<string, [string, string]> = {
  EACCES: ['không có quyền ghi vào thư mục', 'no permission to write in the folder'],
  EPERM: ['không có quyền ghi vào thư mục', 'no permission to write in the folder'],
  EROFS: ['thư mục nằm trên ổ chỉ đọc', 'the folder is on a read-only file system'],
  ENOSPC: ['ổ đĩa đầy', 'no space left on the device'],
  SQLITE_CANTOPEN: ['không mở được tệp (thư mục không tồn tại hoặc không có quyền)', 'the file cannot be opened (missing folder or no permission)'],
  SQLITE_READONLY: ['tệp hoặc thư mục chỉ đọc', 'the file or its folder is read-only'],
  SQLITE_NOTADB: ['tệp không phải cơ sở dữ liệu SQLite (hỏng hoặc tệp khác)', 'the file is not an SQLite database (damaged, or another file)'],
  SQLITE_CORRUPT: ['tệp cơ sở dữ liệu bị hỏng', 'the database file is damaged'],
  SQLITE_FULL: ['ổ đĩa đầy', 'no space left on the device'],
  ECONNREFUSED: ['máy chủ PostgreSQL không nhận kết nối', 'the PostgreSQL server refuses connections'],
};

/** The store named by the settings, or an InputError naming the file (or server) and the cause. */
async function openConfiguredStore(config: Config, logger: Logger): Promise<Store> {
  const where = config.databaseUrl ? new URL(config.databaseUrl).host : path.join(config.dataDir, SQLITE_FILE);
  const options = { agenciesFile: config.agenciesFile, memoryMb: Math.max(64, Math.floor(config.storeMemory / 2 ** 20)) };
  const onRestart = (why: Error) =>
    logger.error({ err: why }, 'Luồng cơ sở dữ liệu đã dừng, đang khởi động lại / the database thread ended and is being started again');
  try {
    if (config.databaseUrl) return await openThreadedStore(config.databaseUrl, options, onRestart);
    mkdirSync(config.dataDir, { recursive: true });
    return await openThreadedStore({ sqliteFile: path.join(config.dataDir, SQLITE_FILE) }, options, onRestart);
  } catch (err) {
    const e = err as { code?: unknown; message?: string; cause?: { code?: unknown } };
    // SQLITE_READONLY_DIRECTORY → SQLITE_READONLY; the migrator wraps the driver's error as its cause.
    const cause = [e.code, e.cause?.code]
      .filter((c): c is string => typeof c === 'string')
      .map((c) => OPEN_CAUSES[c.split('_').slice(0, 2).join('_')])
      .find(Boolean);
    const detail = e.message ?? String(err);
    const [vi, en] = cause ? [`${cause[0]} (${detail})`, `${cause[1]} (${detail})`] : [detail, detail];
    throw new InputError(`Không mở được cơ sở dữ liệu ${where}: ${vi}`, `Cannot open the database ${where}: ${en}`, 'start.database');
  }
}

/**
 * With ADMIN_TOKEN set, that token is the administrator's (replacing any stored
 * one); otherwise the first start makes one and prints it once (stdout, not the
 * log): only its hash is stored. Runs once listening, so a start that fails
 * never prints a token that was then never usable.
 */
async function ensureAdmin(store: Store, config: Config): Promise<void> {
  if (config.adminToken) return store.setAdminToken(hashToken(config.adminToken));
  const token = generateToken();
  if (await store.ensureAdminToken(hashToken(token))) {
    process.stdout.write(
      `\nMã quản trị (chỉ hiện một lần, hãy lưu lại) / Administrator token (shown once, keep it):\n\n  ${token}\n\n`,
    );
  }
}

function listenError(err: NodeJS.ErrnoException, config: Config): Error {
  const at = `${config.host}:${config.port}`;
  if (err.code === 'EADDRINUSE') {
    return new InputError(
      `Cổng ${at} đang được chương trình khác dùng (EADDRINUSE): dừng chương trình đó hoặc đặt PORT khác`,
      `Port ${at} is already in use (EADDRINUSE): stop that program or set another PORT`,
      'start.port',
    );
  }
  if (err.code === 'EACCES') {
    return new InputError(
      `Không được phép mở cổng ${at} (EACCES): cổng dưới 1024 cần quyền quản trị, hãy đặt PORT khác`,
      `Not allowed to listen on ${at} (EACCES): ports below 1024 need privileges, set another PORT`,
      'start.port',
    );
  }
  return err;
}

export async function start(env: NodeJS.ProcessEnv = process.env): Promise<{ close: () => Promise<void>; port: number }> {
  const config = loadConfig(env);
  const logger = pino({ level: config.logLevel, base: { service: 'annex-tracker' } });
  const registry = loadRegistry(config.agenciesFile);
  const store = await openConfiguredStore(config, logger);
  const uploads = new UploadParser(config);

  const app = createApp({ store, config, logger, registry, uploads });
  const server =
    config.tlsCert && config.tlsKey
      ? https.createServer({ cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) }, app).listen(config.port, config.host)
      : app.listen(config.port, config.host);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
  } catch (err) {
    await store.close();
    throw listenError(err as NodeJS.ErrnoException, config);
  }
  await ensureAdmin(store, config);
  // Bounded so that a slow client cannot hold a connection (or a shutdown) open.
  server.requestTimeout = 120_000;
  server.headersTimeout = 30_000;
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, host: config.host, https: Boolean(config.tlsCert), database: config.databaseUrl ? 'postgresql' : 'sqlite' }, 'listening');

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      logger.info('shutting down');
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await uploads.close();
      await store.close();
      logger.flush();
    })());
  return { close, port };
}

if (require.main === module) {
  start().then(
    ({ close }) => {
      const stop = () => {
        // A second signal while draining forces the exit.
        process.once('SIGTERM', () => process.exit(1));
        process.once('SIGINT', () => process.exit(1));
        close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
    (err: unknown) => {
      const e = err as { message?: string; messageEn?: string };
      process.stderr.write(`annex-tracker: ${e.messageEn ? `${e.message} / ${e.messageEn}` : (e.message ?? String(err))}\n`);
      process.exit(1);
    },
  );
  process.on('unhandledRejection', (reason) => {
    // Logged, not fatal: one request's stray promise must not take the service down.
    process.stderr.write(`unhandled rejection: ${String((reason as Error)?.stack ?? reason)}\n`);
  });
}
