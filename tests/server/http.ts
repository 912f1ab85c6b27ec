/**
 * The HTTP tests' harness: createApp on a loopback port over a real store
 * (SQLite or PostgreSQL from pg-cluster.ts), an administrator token, and small
 * fetch helpers that speak the API's JSON.
 */
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import pino from 'pino';
import { createApp } from '../../server/app';
import { generateToken, hashToken } from '../../server/auth';
import { loadConfig, type Config } from '../../server/config';
import { openThreadedStore } from '../../server/store/threaded-store';
import type { Store } from '../../server/store/store';
import { freshStoreUrl, type DatabaseKind } from './pg-cluster';

export interface TestServer {
  url: string;
  store: Store;
  config: Config;
  adminToken: string;
  /** Stops listening; closes the store unless it was given. */
  close(): Promise<void>;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: os.tmpdir(), RATE_LIMIT: '0' }), ...overrides };
}

/** An app on 127.0.0.1:<free port>; pass `store` to share one database between two apps. */
export async function startServer(
  kind: DatabaseKind,
  options: { config?: Partial<Config>; store?: Store; storeUrl?: string; adminToken?: string } = {},
): Promise<TestServer> {
  // The store in its thread, as `npm start` runs it.
  const store = options.store ?? (await openThreadedStore(options.storeUrl ?? (await freshStoreUrl(kind))));
  const adminToken = options.adminToken ?? generateToken();
  await store.ensureAdminToken(hashToken(adminToken));
  const config = testConfig(options.config);
  const app = createApp({ store, config, logger: pino({ level: 'silent' }), addinDir: null });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    config,
    adminToken,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.store) await store.close();
    },
  };
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A JSON request with a bearer token; the body comes back parsed when it is JSON. */
export async function call<T = any>( // eslint-disable-line @typescript-eslint/no-explicit-any
  server: { url: string },
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const init: RequestInit = { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } };
  if (body instanceof FormData) init.body = body;
  else if (typeof body === 'string') {
    init.body = body;
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const res = await fetch(server.url + path, init);
  const type = res.headers.get('content-type') ?? '';
  const parsed = type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer());
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** multipart/form-data with one `file` part and text fields. */
export function fileForm(bytes: Uint8Array, fileName: string, fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), fileName);
  return form;
}

/** An agency created through the API: its id, canonical name and token. */
export async function createAgency(server: TestServer, name: string): Promise<{ id: string; name: string; token: string }> {
  const res = await call(server, server.adminToken, 'POST', '/api/agencies', { name });
  if (res.status !== 201) throw new Error(`createAgency ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export { task } from './task-fixture';
