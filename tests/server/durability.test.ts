/**
 * The real service as a child process (`node -r ts-node/register/transpile-only
 * server/main.ts`, what `npm start` runs once built): killed with SIGKILL in the
 * middle of concurrent syncs and restarted on the same data, every change it
 * answered 200 is there. Also the first start's administrator token and the
 * graceful shutdown on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChangeRecord } from '../../shared/schemas';
import { DATABASE_KINDS, freshStoreUrl, stopTestDatabases, type DatabaseKind } from './pg-cluster';
import { call, task } from './http';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../..');
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await stopTestDatabases();
});

interface Service {
  url: string;
  child: ChildProcess;
  stdout: () => string;
  exited: Promise<number | null>;
}

/** Starts server/main.ts and resolves once it logs the port it listens on. */
function startService(env: Record<string, string>): Promise<Service> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'server/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', RATE_LIMIT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    // Decoded as streams: a chunk may end inside a character of a Vietnamese message.
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /"port":(\d+)[^\n]*"msg":"listening"/.exec(out);
      if (m) resolve({ url: `http://127.0.0.1:${m[1]}`, child, stdout: () => out, exited });
    });
    void exited.then((code) => reject(new Error(`service exited with ${code} before listening:\n${out}\n${err}`)));
  });
}

async function storageEnv(kind: DatabaseKind): Promise<Record<string, string>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'annex-durability-'));
  dirs.push(dir);
  return kind === 'sqlite' ? { DATA_DIR: dir } : { DATA_DIR: dir, DATABASE_URL: await freshStoreUrl('postgres') };
}

describe.each(DATABASE_KINDS)('the service process on %s', (kind) => {
  it('keeps every change it answered 200 through a SIGKILL in the middle of concurrent syncs', async () => {
    const env = { ...(await storageEnv(kind)), ADMIN_TOKEN: 'durability-admin-token-0123456789' };
    const admin = env.ADMIN_TOKEN;
    let service = await startService(env);

    const AGENCIES = 8;
    const TASKS_EACH = 5;
    const agencies: { id: string; name: string; token: string }[] = [];
    for (let a = 0; a < AGENCIES; a++) {
      agencies.push((await call(service, admin, 'POST', '/api/agencies', { name: `Trung tâm thử nghiệm ${a}` })).body);
    }
    const tasks = agencies.flatMap((a, i) => Array.from({ length: TASKS_EACH }, (_, t) => task(`a${i}t${t}`, [a.name])));
    const trackerId = (await call(service, admin, 'POST', '/api/trackers', { title: 'Độ bền', tasks })).body.id as string;

    // Each agency writes a new note on its tasks in turn, as fast as answers come, until the kill.
    const acknowledged: { taskId: string; agencyId: string; note: string; version: number }[] = [];
    let killed = false;
    const KILL_AFTER = 120;
    const writers = agencies.map(async (agency, a) => {
      // Each agency edits its own edits, from the version its previous answer gave.
      const version: Record<string, number> = {};
      for (let i = 0; !killed; i++) {
        const taskId = `a${a}t${i % TASKS_EACH}`;
        const note = `ghi chú ${a}-${i}`;
        try {
          const res = await call(service, agency.token, 'POST', `/api/trackers/${trackerId}/sync`, {
            changes: [{ taskId, baseVersion: version[taskId] ?? 0, fields: { note, status: 'in_progress' } }],
          });
          if (res.status !== 200 || res.body.conflicts.length) throw new Error(`sync answered ${res.status} ${JSON.stringify(res.body.conflicts)}`);
          version[taskId] = res.body.applied[0].version;
          acknowledged.push({ taskId, agencyId: agency.id, note, version: res.body.applied[0].version });
        } catch (e) {
          if (!killed) throw e;
        }
        if (acknowledged.length >= KILL_AFTER && !killed) {
          killed = true;
          service.child.kill('SIGKILL');
        }
      }
    });
    await Promise.all(writers);
    expect(await service.exited).toBeNull(); // killed by a signal, no exit code

    service = await startService(env);
    try {
      const history: ChangeRecord[] = [];
      let cursor = '';
      for (;;) {
        const page = await call(service, admin, 'GET', `/api/trackers/${trackerId}/changes?limit=500${cursor ? `&since=${cursor}` : ''}`);
        if (page.body.changes.length === 0) break;
        history.push(...page.body.changes);
        cursor = page.body.cursor;
      }
      const written = new Set(history.filter((c) => c.field === 'note').map((c) => `${c.taskId}|${c.agencyId}|${c.newValue}|${c.version}`));
      const lost = acknowledged.filter((a) => !written.has(`${a.taskId}|${a.agencyId}|${a.note}|${a.version}`));
      expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);
      expect(lost).toEqual([]);
      // Each report holds its newest acknowledged note or a later one that committed unanswered.
      const tracker = (await call(service, admin, 'GET', `/api/trackers/${trackerId}`)).body;
      for (const a of acknowledged) {
        const report = tracker.tasks.find((t: { id: string }) => t.id === a.taskId).reports[0];
        expect(report.version).toBeGreaterThanOrEqual(a.version);
      }
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  });

  it('prints a generated administrator token once, keeps only its hash, and stops cleanly on SIGTERM', async () => {
    const env = await storageEnv(kind);
    const first = await startService(env);
    const token = /Administrator token[^\n]*\n\s*([A-Za-z0-9_-]{43})\s/.exec(first.stdout())?.[1];
    expect(token).toBeDefined();
    expect((await call(first, token!, 'GET', '/api/me')).body).toMatchObject({ role: 'admin' });
    expect((await call(first, null, 'GET', '/healthz')).status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.stdout()).toContain('"msg":"shutting down"');

    const second = await startService(env);
    try {
      expect(second.stdout()).not.toContain('Administrator token');
      expect(second.stdout()).not.toContain(token!);
      expect((await call(second, token!, 'GET', '/api/agencies')).status).toBe(200);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });
});
