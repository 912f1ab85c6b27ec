/**
 * /healthz and writes when the database is gone (issue 10, finding 7) on
 * SQLite and PostgreSQL: health says so, writes answer 503 with a message
 * instead of 200-and-lost or 500; a full disk answers 507.
 */
import { openSync, rmSync, writeSync, closeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import { Client } from 'pg';
import { toApiError } from '../../server/errors';
import { DATABASE_KINDS, freshStoreUrl, stopTestDatabases } from './pg-cluster';
import { call, createAgency, startServer, task, type Answer, type TestServer } from './http';

afterAll(stopTestDatabases);

const KHCN = 'Sở Khoa học và Công nghệ';

/** A server over a fresh database with one tracker and one agency, and how to break its database. */
async function serverWithData(kind: (typeof DATABASE_KINDS)[number]) {
  const url = await freshStoreUrl(kind);
  const server = await startServer(kind, { storeUrl: url });
  const khcn = await createAgency(server, KHCN);
  const tracker = await call(server, server.adminToken, 'POST', '/api/trackers', { title: 'Phụ lục', tasks: [task('h1', [KHCN])] });
  const sync = (note: string) =>
    call(server, khcn.token, 'POST', `/api/trackers/${tracker.body.id}/sync`, { changes: [{ taskId: 'h1', baseVersion: 0, fields: { note } }] });
  return { url, server, sync };
}

async function expectUnavailable(server: TestServer, sync: (note: string) => Promise<Answer>) {
  const health = await call(server, null, 'GET', '/healthz');
  type ErrorBody = { error: { code: string; message: string; messageEn: string } };
  expect(health.status).toBe(503);
  expect(health.body).toEqual({ ok: false });
  const write = (await sync('after the loss')) as Answer<ErrorBody>;
  expect(write.status).toBe(503);
  expect(write.body.error.code).toBe('store.unavailable');
  expect(write.body.error.message).toMatch(/Cơ sở dữ liệu/);
  expect(write.body.error.messageEn).toMatch(/nothing was saved/);
  // Every other write is refused the same way (the store checks before each one).
  const agency = (await call(server, server.adminToken, 'POST', '/api/agencies', { name: 'Sở Tài chính' })) as Answer<ErrorBody>;
  expect([agency.status, agency.body.error.code]).toEqual([503, 'store.unavailable']);
}

describe.each(DATABASE_KINDS)('health on %s', (kind) => {
  it('is ok while the database answers', async () => {
    const { server, sync } = await serverWithData(kind);
    try {
      expect((await call(server, null, 'GET', '/healthz')).body).toEqual({ ok: true });
      expect((await sync('fine')).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('notices the database gone and refuses writes with 503', async () => {
    const { url, server, sync } = await serverWithData(kind);
    try {
      if (kind === 'sqlite') {
        for (const suffix of ['', '-wal', '-shm']) rmSync(url + suffix, { force: true });
      } else {
        const admin = new URL(url);
        const name = admin.pathname.slice(1);
        admin.pathname = '/postgres';
        const client = new Client({ connectionString: admin.toString() });
        await client.connect();
        await client.query(`DROP DATABASE ${name} WITH (FORCE)`);
        await client.end();
      }
      await expectUnavailable(server, sync);
    } finally {
      await server.close().catch(() => undefined);
    }
  });
});

describe('health on a damaged SQLite file', () => {
  it('answers 503 once the file is overwritten', async () => {
    const { url, server, sync } = await serverWithData('sqlite');
    try {
      const fd = openSync(url, 'r+');
      writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, 0);
      closeSync(fd);
      await expectUnavailable(server, sync);
    } finally {
      await server.close().catch(() => undefined);
    }
  });
});

describe('a full disk', () => {
  it('answers 507 with a message, from SQLite’s own SQLITE_FULL', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'annex-full-'));
    const db = new SqliteDatabase(path.join(dir, 'full.db'));
    let error: unknown;
    try {
      db.exec('create table t (x text)');
      db.pragma('max_page_count = 3');
      for (let i = 0; i < 1000; i++) db.prepare('insert into t values (?)').run('x'.repeat(2000));
    } catch (e) {
      error = e;
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
    expect((error as { code?: string }).code).toBe('SQLITE_FULL');
    const answer = toApiError(error);
    expect(answer.status).toBe(507);
    expect(answer.messageEn).toMatch(/disk is full/);
  });
});
