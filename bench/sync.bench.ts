/**
 * The sync service over real HTTP on loopback: 100 agencies each syncing 20
 * changes at once (as 20 one-change requests, and as one 20-change request),
 * against a bare Express handler taking the same JSON bodies with no database;
 * lost updates checked against the final state and the history; and the merge
 * of 100 returned workbooks of 100 tasks each through POST submissions.
 * SQLite always, PostgreSQL too when TEST_DATABASE_URL is set.
 *
 * The agencies run in a child process of their own (this script with "client"),
 * so the server's event loop is not shared with the load generator; each
 * agency follows its own cursor, as the add-in does, so every answer carries
 * the changes the other agencies made since its previous sync.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import express from 'express';
import pino from 'pino';
import { Client } from 'pg';
import { createApp } from '../server/app';
import { generateToken, hashToken } from '../server/auth';
import { loadConfig } from '../server/config';
import { openStore } from '../server/store/kysely-store';
import type { Store } from '../server/store/store';
import { writeTrackerWorkbook, type TrackerWorkbookInput } from '../io/tracker-workbook';
import type { Progress, Task } from '../shared/schemas';
import { figure } from './measure';

const AGENCIES = 100;
const CHANGES_EACH = 20;
const WORKBOOKS = 100;
const WORKBOOK_TASKS = 100;
/** Uploads in flight at once: a month-end rush, not a flood. */
const UPLOAD_CONCURRENCY = 10;

// ---------------------------------------------------------------- the agencies (child process)

interface Job {
  syncUrl: string;
  warmUrl: string;
  tokens: string[];
  perRequest: number;
  cursor: string | null;
}

interface Ack {
  agency: number;
  taskId: string;
  version: number;
  note: string;
}

interface RoundResult {
  ms: number;
  latencies: number[];
  acked: Ack[];
}

const noteOf = (a: number, i: number) => `ghi chú ${a}-${i}`;

async function runAgencies(job: Job): Promise<RoundResult> {
  const post = (token: string, body: unknown) =>
    fetch(job.syncUrl, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  // One unmeasured request per agency: the keep-alive connections exist before timing starts.
  await Promise.all(job.tokens.map(async () => (await fetch(job.warmUrl)).arrayBuffer()));
  const latencies: number[] = [];
  const acked: Ack[] = [];
  const start = process.hrtime.bigint();
  await Promise.all(
    job.tokens.map(async (token, a) => {
      let since = job.cursor;
      for (let i = 0; i < CHANGES_EACH; i += job.perRequest) {
        const numbers = Array.from({ length: job.perRequest }, (_, k) => i + k);
        const body = {
          since,
          changes: numbers.map((n) => ({
            taskId: `a${a}t${n}`,
            baseVersion: 0,
            fields: { status: 'in_progress', result: `Đã triển khai bước ${n} của cơ quan ${a}`, note: noteOf(a, n) },
          })),
        };
        const t0 = process.hrtime.bigint();
        const res = await post(token, body);
        const json = (await res.json()) as { applied: { taskId: string; version: number }[]; cursor: string };
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (res.status !== 200 || json.applied.length !== numbers.length) throw new Error(`agency ${a}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
        json.applied.forEach((x, k) => acked.push({ agency: a, taskId: x.taskId, version: x.version, note: noteOf(a, numbers[k]) }));
        since = json.cursor;
      }
    }),
  );
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, latencies: latencies.sort((x, y) => x - y), acked };
}

/** Runs one round of agencies in a child process and returns what it measured. */
function agenciesProcess(job: Job): Promise<RoundResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, 'client'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as RoundResult) : reject(new Error(`agencies process exited with ${code}`))));
    child.stdin.end(JSON.stringify(job));
  });
}

// ---------------------------------------------------------------- servers

interface Listening {
  url: string;
  close(): Promise<void>;
}

function listen(app: express.Express): Promise<Listening> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

async function postJson(url: string, token: string, body: unknown) {
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.json();
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

function report(label: string, r: RoundResult): number {
  const perSecond = r.latencies.length / (r.ms / 1000);
  figure(`${label}: changes/s`, (AGENCIES * CHANGES_EACH) / (r.ms / 1000), 'changes/s');
  figure(`${label}: requests/s`, perSecond, 'req/s');
  figure(`${label}: p50 latency`, percentile(r.latencies, 0.5), 'ms', 2);
  figure(`${label}: p99 latency`, percentile(r.latencies, 0.99), 'ms', 2);
  return perSecond;
}

/** The floor: Express parsing the same bodies and answering the same shape, with no token lookup and no database. */
async function bareExpress(perRequest: number): Promise<number> {
  const app = express();
  app.use(express.json({ limit: '5mb' }));
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  app.post('/sync', (req, res) => {
    const changes = (req.body as { changes: { taskId: string }[] }).changes;
    res.json({ applied: changes.map((c) => ({ taskId: c.taskId, version: 1 })), conflicts: [], rejected: [], changes: [], cursor: '0' });
  });
  const server = await listen(app);
  try {
    const r = await agenciesProcess({
      syncUrl: `${server.url}/sync`,
      warmUrl: `${server.url}/healthz`,
      tokens: Array.from({ length: AGENCIES }, () => 'bare'),
      perRequest,
      cursor: null,
    });
    return report(`bare Express, ${perRequest} change(s)/request`, r);
  } finally {
    await server.close();
  }
}

const deadline = { raw: '31/12/2026', kind: 'date' as const, due: '2026-12-31' };
const benchTask = (id: string, lead: string, n: number): Task => ({
  id,
  stt: String(n),
  section: null,
  task: `Nhiệm vụ ${id}: triển khai nền tảng số dùng chung của tỉnh`,
  lead: [lead],
  support: [],
  deadline,
  output: 'Báo cáo',
  extra: {},
});

async function benchService(kind: string, store: Store): Promise<void> {
  const adminToken = generateToken();
  await store.ensureAdminToken(hashToken(adminToken));
  const config = { ...loadConfig({ RATE_LIMIT: '0', DATA_DIR: os.tmpdir() }), rateLimit: 0 };
  // Request logs at info level, written and thrown away: the service's real cost, without a terminal.
  const logger = pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: false }));
  const server = await listen(createApp({ store, config, logger, addinDir: null }));
  const api = (p: string) => server.url + p;
  const get = async (p: string) => (await fetch(api(p), { headers: { authorization: `Bearer ${adminToken}` } })).json();
  try {
    const agencies: { id: string; name: string; token: string }[] = [];
    for (let a = 0; a < AGENCIES; a++) agencies.push(await postJson(api('/api/agencies'), adminToken, { name: `Cơ quan thử nghiệm số ${a}` }));

    for (const perRequest of [1, CHANGES_EACH]) {
      const label = `${kind}, ${perRequest} change(s)/request`;
      const tasks = agencies.flatMap((ag, a) => Array.from({ length: CHANGES_EACH }, (_, i) => benchTask(`a${a}t${i}`, ag.name, a * CHANGES_EACH + i + 1)));
      const tracker = await postJson(api('/api/trackers'), adminToken, { title: `Bench ${perRequest}`, tasks });
      const r = await agenciesProcess({
        syncUrl: api(`/api/trackers/${tracker.id}/sync`),
        warmUrl: api('/healthz'),
        tokens: agencies.map((a) => a.token),
        perRequest,
        cursor: tracker.cursor,
      });
      const perSecond = report(label, r);
      figure(`${label}: throughput ÷ bare Express`, perSecond / (await bareExpress(perRequest)), '×', 3);

      // Lost updates: every acknowledged change must be in the final state and in the history.
      const final = await get(`/api/trackers/${tracker.id}`);
      const reports = new Map<string, { agencyId: string; note: string; version: number }[]>(
        final.tasks.map((t: { id: string; reports: [] }) => [t.id, t.reports]),
      );
      const lost = r.acked.filter((x) => {
        const rep = reports.get(x.taskId)?.find((y) => y.agencyId === agencies[x.agency].id);
        return !rep || rep.note !== x.note || rep.version !== x.version;
      }).length;
      let historyRows = 0;
      for (let since = '', more = true; more; ) {
        const page = await get(`/api/trackers/${tracker.id}/changes?limit=5000${since ? `&since=${since}` : ''}`);
        historyRows += page.changes.length;
        more = page.changes.length > 0;
        since = page.cursor;
      }
      figure(`${label}: lost updates`, lost, 'changes', 0);
      figure(`${label}: history rows (3 fields × ${r.acked.length} changes)`, historyRows, 'rows', 0);
      if (lost !== 0 || historyRows !== r.acked.length * 3) process.exitCode = 1;
    }

    await benchWorkbooks(kind, api, adminToken, agencies);
  } finally {
    await server.close();
  }
}

// ---------------------------------------------------------------- returned workbooks

async function workbookBytes(input: TrackerWorkbookInput): Promise<Uint8Array> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  await writeTrackerWorkbook(input, sink);
  return new Uint8Array(Buffer.concat(chunks));
}

/** 100 agencies each return a tracker of 100 tasks, filled: the time to merge them all through POST submissions. */
async function benchWorkbooks(kind: string, api: (p: string) => string, adminToken: string, agencies: { id: string; token: string }[]) {
  // A task led by the broad group takes a report from every agency.
  const tasks = Array.from({ length: WORKBOOK_TASKS }, (_, i) => benchTask(`w${i}`, 'Các sở, ban, ngành, địa phương', i + 1));
  const tracker = await postJson(api('/api/trackers'), adminToken, { title: 'Bench workbooks', tasks });
  const uploads = await Promise.all(
    agencies.slice(0, WORKBOOKS).map(async (agency, a) => {
      const progress: Record<string, Progress> = {};
      tasks.forEach((t, i) => {
        const done = i % 3 === 0;
        progress[t.id] = { status: done ? 'done' : 'in_progress', result: `Kết quả ${a}-${i}`, completedOn: done ? '2026-05-20' : null, evidence: '', note: '' };
      });
      return { agency, bytes: await workbookBytes({ title: 'Bench', tasks, progress, asOf: '2026-05-25' }) };
    }),
  );
  const latencies: number[] = [];
  let next = 0;
  let merged = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: UPLOAD_CONCURRENCY }, async () => {
      while (next < uploads.length) {
        const { agency, bytes } = uploads[next++];
        const form = new FormData();
        form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), 'bao-cao.xlsx');
        const t0 = process.hrtime.bigint();
        const res = await fetch(api(`/api/trackers/${tracker.id}/submissions`), { method: 'POST', headers: { authorization: `Bearer ${agency.token}` }, body: form });
        const json = await res.json();
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (res.status !== 200 || json.applied.length !== WORKBOOK_TASKS) throw new Error(`workbook: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
        merged += json.applied.length;
      }
    }),
  );
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  latencies.sort((x, y) => x - y);
  figure(`${kind}: merge ${WORKBOOKS} workbooks × ${WORKBOOK_TASKS} tasks (${UPLOAD_CONCURRENCY} at a time)`, ms / 1000, 's', 2);
  figure(`${kind}: per workbook p50`, percentile(latencies, 0.5), 'ms', 0);
  figure(`${kind}: per workbook p99`, percentile(latencies, 0.99), 'ms', 0);
  figure(`${kind}: task reports merged from workbooks`, merged, 'reports', 0);
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'annex-bench-'));
  try {
    const sqlite = await openStore({ sqliteFile: path.join(dir, 'bench.sqlite') });
    try {
      await benchService('SQLite', sqlite);
    } finally {
      await sqlite.close();
    }
    const pgUrl = process.env.TEST_DATABASE_URL;
    if (!pgUrl) {
      console.log('(PostgreSQL skipped: set TEST_DATABASE_URL to a server URL to run it too)');
      return;
    }
    const name = `bench_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const url = new URL(pgUrl);
      url.pathname = `/${name}`;
      const pg = await openStore(url.toString());
      try {
        await benchService('PostgreSQL', pg);
      } finally {
        await pg.close();
      }
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

const run =
  process.argv[2] === 'client'
    ? readStdin().then(async (job) => void process.stdout.write(JSON.stringify(await runAgencies(JSON.parse(job) as Job))))
    : main();
run.catch((err) => {
  console.error(err);
  process.exit(1);
});
