/**
 * `npm start`: reads the settings, opens and migrates the store, makes sure an
 * administrator token exists, listens, and shuts down cleanly on SIGTERM/SIGINT.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pino from 'pino';
import { loadConfig, type Config } from './config';
import { createApp } from './app';
import { generateToken, hashToken } from './auth';
import { openStore } from './store/kysely-store';
import type { Store } from './store/store';

export const SQLITE_FILE = 'annex-tracker.sqlite';

/**
 * With ADMIN_TOKEN set, that token; otherwise the first start makes one and
 * prints it once (stdout, not the log): only its hash is stored.
 */
async function ensureAdmin(store: Store, config: Config, logger: pino.Logger): Promise<void> {
  if (config.adminToken) {
    if (!(await store.ensureAdminToken(hashToken(config.adminToken))) && !(await store.findCaller(hashToken(config.adminToken)))) {
      logger.warn('ADMIN_TOKEN differs from the administrator token already stored; the stored one stays valid and ADMIN_TOKEN is not accepted');
    }
    return;
  }
  const token = generateToken();
  if (await store.ensureAdminToken(hashToken(token))) {
    process.stdout.write(
      `\nMã quản trị (chỉ hiện một lần, hãy lưu lại) / Administrator token (shown once, keep it):\n\n  ${token}\n\n`,
    );
  }
}

export async function start(env: NodeJS.ProcessEnv = process.env): Promise<{ close: () => Promise<void>; port: number }> {
  const config = loadConfig(env);
  const logger = pino({ level: config.logLevel, base: { service: 'annex-tracker' } });
  let store: Store;
  if (config.databaseUrl) store = await openStore(config.databaseUrl);
  else {
    mkdirSync(config.dataDir, { recursive: true });
    store = await openStore({ sqliteFile: path.join(config.dataDir, SQLITE_FILE) });
  }
  await store.migrate();
  await ensureAdmin(store, config, logger);

  const app = createApp({ store, config, logger });
  const server =
    config.tlsCert && config.tlsKey
      ? https.createServer({ cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) }, app).listen(config.port, config.host)
      : app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
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
