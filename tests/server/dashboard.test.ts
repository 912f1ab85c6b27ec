/**
 * The dashboard's routes on loopback, on SQLite and on PostgreSQL: every task
 * classified overall and per lead, adding up to the report's own numbers; one
 * task's history from the change feed; and the page itself served at / under a
 * strict Content-Security-Policy.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createApp } from '../../server/app';
import type { DashboardAnswer } from '../../shared/api';
import { openStore } from '../../server/store/kysely-store';
import { CATEGORIES } from '../../shared/status';
import type { StatusCategory } from '../../shared/schemas';
import { DATABASE_KINDS, freshStoreUrl, stopTestDatabases } from './pg-cluster';
import { call, createAgency, fileForm, startServer, task, testConfig, type TestServer } from './http';

afterAll(stopTestDatabases);

const FIXTURE = path.join(__dirname, '../fixtures/seeds/003-phu-luc-II.txt');
const KHCN = 'Sở Khoa học và Công nghệ';
const NOI_VU = 'Sở Nội vụ';
const AS_OF = '2026-06-25';

const tally = (categories: StatusCategory[]) => Object.fromEntries(CATEGORIES.map((c) => [c, categories.filter((x) => x === c).length]));

describe.each(DATABASE_KINDS)('dashboard routes on %s', (kind) => {
  let server: TestServer;
  let khcn: { id: string; token: string };
  let noiVu: { id: string; token: string };
  let trackerId: string;

  beforeAll(async () => {
    server = await startServer(kind);
    khcn = await createAgency(server, 'Sở KH&CN');
    noiVu = await createAgency(server, NOI_VU);
    const created = await call(server, server.adminToken, 'POST', '/api/trackers', fileForm(readFileSync(FIXTURE), '003-phu-luc-II.txt', { title: 'Phụ lục II' }));
    expect(created.status).toBe(201);
    trackerId = created.body.id;
    const tasks = created.body.tasks as { id: string; lead: string[]; deadline: { due: string | null } }[];
    // Led by the department alone and due in April: its report is the task's overall progress.
    const own = tasks.filter((t) => t.lead.length === 1 && t.lead[0] === KHCN && t.deadline.due && t.deadline.due <= '2026-04-30');
    await call(server, khcn.token, 'POST', `/api/trackers/${trackerId}/sync`, {
      changes: [
        { taskId: own[0].id, baseVersion: 0, fields: { status: 'done', completedOn: '2026-04-10' } },
        { taskId: own[1].id, baseVersion: 0, fields: { status: 'done', completedOn: '2026-06-20' } },
        { taskId: own[2].id, baseVersion: 0, fields: { status: 'in_progress', result: 'Đang dự thảo' } },
      ],
    });
  });
  afterAll(() => server?.close());

  it('sends its answer compressed to a client that accepts gzip, and whole to one that does not', async () => {
    const url = `${server.url}/api/trackers/${trackerId}/dashboard?asOf=${AS_OF}`;
    const headers = { authorization: `Bearer ${noiVu.token}` };
    const gzip = await fetch(url, { headers: { ...headers, 'accept-encoding': 'gzip' } });
    const plain = await fetch(url, { headers: { ...headers, 'accept-encoding': 'identity' } });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(plain.headers.get('content-encoding')).toBeNull();
    // fetch inflates the gzip answer: the same JSON either way.
    expect(await gzip.json()).toEqual(await plain.json());
  });

  it('classifies every task on asOf, adding up to the report’s totals and per-agency counts', async () => {
    const res = await call<DashboardAnswer>(server, noiVu.token, 'GET', `/api/trackers/${trackerId}/dashboard?asOf=${AS_OF}`);
    expect(res.status).toBe(200);
    const { report, tasks } = res.body;
    expect(tasks).toHaveLength(61);
    expect(report.asOf).toBe(AS_OF);
    const direct = await call(server, noiVu.token, 'GET', `/api/trackers/${trackerId}/report?asOf=${AS_OF}`);
    expect(report).toEqual(direct.body);

    expect(tally(tasks.map((t) => t.category))).toEqual(report.totals.counts);
    // Each agency row of the report is the lead entries with its key.
    for (const row of report.agencies) {
      const categories = tasks.flatMap((t) => t.leads.filter((l) => l.agencyId === row.agencyId && l.name === row.name).map((l) => l.category));
      expect(tally(categories)).toEqual(row.counts);
    }
    expect(new Set(tasks.flatMap((t) => t.leads.map((l) => l.key))).size).toBe(report.agencies.length);

    const done = tasks.filter((t) => t.status === 'done');
    expect(done.map((t) => t.category).sort()).toEqual(['done_late', 'done_on_time']);
    expect(done.find((t) => t.category === 'done_late')?.daysLate).toBeGreaterThan(0);
    // Late rows carry the deadline as written and the days late, as the report's list does.
    for (const late of report.late.filter((l) => l.category === 'overdue')) {
      const t = tasks.find((x) => x.id === late.taskId)!;
      expect(t).toMatchObject({ category: 'overdue', deadline: late.deadline, effectiveDue: late.effectiveDue, daysLate: late.daysLate });
    }
    const soon = tasks.filter((t) => t.category === 'due_soon');
    expect(soon.length).toBeGreaterThan(0);
    expect(soon.every((t) => t.daysLeft !== null && t.daysLeft >= 0 && t.daysLeft <= server.config.dueSoonDays)).toBe(true);
    expect(tasks.find((t) => t.category === 'no_deadline')).toMatchObject({ due: null, daysLate: null, daysLeft: null });
  });

  it('answers 400 to a bad date, 401 without a token, 404 for an unknown tracker', async () => {
    expect((await call(server, khcn.token, 'GET', `/api/trackers/${trackerId}/dashboard?asOf=25/6/2026`)).status).toBe(400);
    expect((await call(server, null, 'GET', `/api/trackers/${trackerId}/dashboard`)).status).toBe(401);
    expect((await call(server, khcn.token, 'GET', '/api/trackers/nope/dashboard')).status).toBe(404);
    expect((await call(server, khcn.token, 'GET', '/api/trackers/nope/tasks/x/history')).status).toBe(404);
  });

  it('gives one task’s history, oldest first, conflicts included as the values that stayed', async () => {
    const id = (await call(server, server.adminToken, 'POST', '/api/trackers', { title: 'Lịch sử', tasks: [task('h1', [KHCN]), task('h2', [KHCN])] })).body.id;
    const sync = (token: string, changes: unknown[]) => call(server, token, 'POST', `/api/trackers/${id}/sync`, { changes });
    await sync(khcn.token, [
      { taskId: 'h1', baseVersion: 0, fields: { result: 'Bản 1' } },
      { taskId: 'h2', baseVersion: 0, fields: { result: 'Khác' } },
    ]);
    await sync(server.adminToken, [{ taskId: 'h1', baseVersion: 1, agencyId: khcn.id, fields: { result: 'Bản DoST' } }]);
    const stale = await sync(khcn.token, [{ taskId: 'h1', baseVersion: 1, fields: { result: 'Bản 2' } }]);
    expect(stale.body.conflicts).toHaveLength(1);

    const res = await call(server, khcn.token, 'GET', `/api/trackers/${id}/tasks/h1/history`);
    expect(res.status).toBe(200);
    expect(res.body.changes.map((c: { taskId: string; field: string; oldValue: unknown; newValue: unknown }) => [c.taskId, c.field, c.oldValue, c.newValue])).toEqual([
      ['h1', 'result', '', 'Bản 1'],
      ['h1', 'result', 'Bản 1', 'Bản DoST'],
    ]);
    expect((await call(server, khcn.token, 'GET', `/api/trackers/${id}/tasks/none/history`)).body).toEqual({ changes: [] });
  });
});

describe('the dashboard page', () => {
  it('is served at / with a strict Content-Security-Policy, beside the API', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dashboard-dist-'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Bảng theo dõi</title><script src="dashboard.js" defer></script>');
    writeFileSync(path.join(dir, 'dashboard.js'), 'void 0;');
    writeFileSync(path.join(dir, 'secret.txt'), 'not served');
    const store = await openStore(await freshStoreUrl('sqlite'));
    const app = createApp({ store, config: testConfig(), logger: pino({ level: 'silent' }), addinDir: null, dashboardDir: dir });
    const listener = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => listener.once('listening', () => resolve()));
    const base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    try {
      const page = await fetch(`${base}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('Bảng theo dõi');
      const csp = page.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      const script = await fetch(`${base}/dashboard.js`);
      expect(script.headers.get('content-type')).toContain('javascript');
      // Only the page's own files: nothing else in the directory, and the API is untouched.
      expect((await fetch(`${base}/secret.txt`)).status).toBe(404);
      const api = await fetch(`${base}/api/me`);
      expect(api.status).toBe(401);
      expect(api.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    } finally {
      listener.closeAllConnections();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
