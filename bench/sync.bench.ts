/**
 * The sync service over real HTTP on loopback, in the scenario of issue 10: 100 concurrent clients
 * of 5 agencies (20 copies per agency, sharing its token), each sending 20 syncs of 20 changes —
 * its own 20 tasks, edited again on every sync from the version its previous answer gave — with an
 * Idempotency-Key, and following its own cursor. Against, in the same run, a bare Express handler
 * that parses the same bodies and answers the same shape: throughput as a ratio to it, p50/p99
 * latency, lost updates (every acknowledged value must be the final one, and in the history), and
 * whether an acknowledged change is durable (SQLite: synchronous=FULL, checked on the connection).
 *
 * SQLite always, PostgreSQL too when TEST_DATABASE_URL is set (a database of its own is created).
 * `npm run bench -- sync` runs the service with every lever; SYNC_BENCH_LEVERS=1 also runs it with
 * group commit off and with the SQLite statement cache off, to measure what each saves.
 *
 * The clients run in a child process of their own, so the server's event loop is not shared with
 * the load generator.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import express from 'express';
import pino from 'pino';
import { sql } from 'kysely';
import { Client } from 'pg';
import { createApp } from '../server/app';
import { generateToken, hashToken } from '../server/auth';
import { loadConfig } from '../server/config';
import { openDatabase } from '../server/store/database';
import { KyselyStore, type StoreOptions } from '../server/store/kysely-store';
import type { Task } from '../shared/schemas';
import { figure } from './measure';

const AGENCIES = 5;
const CLIENTS = 100;
const SYNCS = 20;
const CHANGES = 20;

// ---------------------------------------------------------------- the clients (child process)

interface Job {
  syncUrl: string;
  warmUrl: string;
  /** One token per client (its agency's). */
  tokens: string[];
  cursor: string | null;
}

interface Ack {
  client: number;
  taskId: string;
  version: number;
  note: string;
}

interface RoundResult {
  ms: number;
  latencies: number[];
  /** The last acknowledged value of every task. */
  acked: Ack[];
}

const taskIdOf = (client: number, i: number) => `c${client}t${i}`;
const noteOf = (client: number, sync: number, i: number) => `ghi chú ${client}-${sync}-${i}`;

async function runClients(job: Job): Promise<RoundResult> {
  // One unmeasured request per client: the keep-alive connections exist before timing starts.
  await Promise.all(job.tokens.map(async () => (await fetch(job.warmUrl)).arrayBuffer()));
  const latencies: number[] = [];
  const acked: Ack[] = [];
  const start = process.hrtime.bigint();
  await Promise.all(
    job.tokens.map(async (token, c) => {
      let since = job.cursor;
      const versions = new Map<string, number>();
      const last = new Map<string, Ack>();
      for (let s = 0; s < SYNCS; s++) {
        const body = {
          since,
          changes: Array.from({ length: CHANGES }, (_, i) => ({
            taskId: taskIdOf(c, i),
            baseVersion: versions.get(taskIdOf(c, i)) ?? 0,
            fields: { status: 'in_progress', result: `Đã triển khai bước ${s} của bản ${c}`, note: noteOf(c, s, i) },
          })),
        };
        const t0 = process.hrtime.bigint();
        const res = await fetch(job.syncUrl, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `bench-${c}-${s}` },
          body: JSON.stringify(body),
        });
        const json = (await res.json()) as { applied: { taskId: string; version: number }[]; conflicts: unknown[]; cursor: string };
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (res.status !== 200 || json.applied.length !== CHANGES || json.conflicts.length) {
          throw new Error(`client ${c}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
        }
        json.applied.forEach((x, i) => {
          versions.set(x.taskId, x.version);
          last.set(x.taskId, { client: c, taskId: x.taskId, version: x.version, note: noteOf(c, s, i) });
        });
        since = json.cursor;
      }
      acked.push(...last.values());
    }),
  );
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, latencies: latencies.sort((x, y) => x - y), acked };
}

/** Runs the clients in a child process and returns what they measured. */
function clientsProcess(job: Job): Promise<RoundResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, 'client'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as RoundResult) : reject(new Error(`clients process exited with ${code}`))));
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
      // A client waiting seconds under load must not find its idle keep-alive connection closed under it.
      server.keepAliveTimeout = 60_000;
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
  figure(`${label}: syncs/s`, perSecond, 'req/s');
  figure(`${label}: p50 latency`, percentile(r.latencies, 0.5), 'ms', 1);
  figure(`${label}: p99 latency`, percentile(r.latencies, 0.99), 'ms', 1);
  return perSecond;
}

/** The floor: Express parsing the same bodies and answering the same shape, with no token lookup and no database. */
async function bareExpress(): Promise<number> {
  const app = express();
  app.use(express.json({ limit: '5mb' }));
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  app.post('/sync', (req, res) => {
    const changes = (req.body as { changes: { taskId: string; baseVersion: number }[] }).changes;
    res.json({ applied: changes.map((c) => ({ taskId: c.taskId, version: c.baseVersion + 1 })), conflicts: [], rejected: [], changes: [], cursor: '0' });
  });
  const server = await listen(app);
  try {
    const r = await clientsProcess({ syncUrl: `${server.url}/sync`, warmUrl: `${server.url}/healthz`, tokens: Array.from({ length: CLIENTS }, () => 'bare'), cursor: null });
    return report('bare Express', r);
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

/** One run of the scenario against the service on a fresh database; returns its syncs per second. */
async function benchService(label: string, target: string | { sqliteFile: string }, options: StoreOptions): Promise<number> {
  const { db, reader, dialect } = openDatabase(target, { statementCache: options.statementCache });
  const store = new KyselyStore(db, { ...options, reader });
  await store.migrate();
  if (dialect === 'sqlite') {
    // Durable: every answer waits for a commit on this connection, in WAL mode with synchronous=FULL (2).
    const [{ synchronous }] = (await sql<{ synchronous: number }>`pragma synchronous`.execute(db)).rows;
    const [{ journal_mode: mode }] = (await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db)).rows;
    figure(`${label}: durable (synchronous, 2 = FULL; journal ${mode})`, synchronous, mode === 'wal' && synchronous === 2 ? 'yes' : 'NO', 0);
    if (synchronous !== 2) process.exitCode = 1;
  }
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
    const agencyOf = (c: number) => agencies[c % AGENCIES];
    const tasks = Array.from({ length: CLIENTS }, (_, c) => Array.from({ length: CHANGES }, (__, i) => benchTask(taskIdOf(c, i), agencyOf(c).name, c * CHANGES + i + 1))).flat();
    const tracker = await postJson(api('/api/trackers'), adminToken, { title: 'Bench', tasks });
    const r = await clientsProcess({
      syncUrl: api(`/api/trackers/${tracker.id}/sync`),
      warmUrl: api('/healthz'),
      tokens: Array.from({ length: CLIENTS }, (_, c) => agencyOf(c).token),
      cursor: tracker.cursor,
    });
    const perSecond = report(label, r);

    // Lost updates: every task's last acknowledged value must be its final one, and the history complete.
    const final = await get(`/api/trackers/${tracker.id}`);
    const reports = new Map<string, { agencyId: string; note: string; version: number }[]>(final.tasks.map((t: { id: string; reports: [] }) => [t.id, t.reports]));
    const lost = r.acked.filter((x) => {
      const rep = reports.get(x.taskId)?.find((y) => y.agencyId === agencyOf(x.client).id);
      return !rep || rep.note !== x.note || rep.version !== x.version;
    }).length;
    let historyRows = 0;
    for (let since = '', more = true; more; ) {
      const page = await get(`/api/trackers/${tracker.id}/changes?limit=5000${since ? `&since=${since}` : ''}`);
      historyRows += page.changes.length;
      more = page.changes.length > 0;
      since = page.cursor;
    }
    // The first sync writes status, result and note; each later one result and note.
    const expectedRows = CLIENTS * CHANGES * (3 + 2 * (SYNCS - 1));
    figure(`${label}: lost updates`, lost + (r.acked.length === CLIENTS * CHANGES ? 0 : CLIENTS * CHANGES - r.acked.length), 'changes', 0);
    figure(`${label}: history rows (expected ${expectedRows})`, historyRows, 'rows', 0);
    if (lost !== 0 || historyRows !== expectedRows) process.exitCode = 1;
    return perSecond;
  } finally {
    await server.close();
    await store.close();
  }
}

/** The variants run: every lever, then (SYNC_BENCH_LEVERS=1) each lever off in turn. */
function variants(kind: 'SQLite' | 'PostgreSQL'): { label: string; options: StoreOptions }[] {
  const out: { label: string; options: StoreOptions }[] = [{ label: kind, options: {} }];
  if (!process.env.SYNC_BENCH_LEVERS) return out;
  out.push({ label: `${kind}, no group commit`, options: { groupCommit: false } });
  if (kind === 'SQLite') out.push({ label: `${kind}, no statement cache`, options: { statementCache: false } });
  return out;
}

/** The floor is measured right before each variant: on a shared machine the load drifts between runs. */
async function compare(label: string, run: () => Promise<number>): Promise<void> {
  const floor = await bareExpress();
  const perSecond = await run();
  figure(`${label}: throughput ÷ bare Express`, perSecond / floor, '×', 3);
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'annex-bench-'));
  try {
    let n = 0;
    for (const { label, options } of variants('SQLite')) {
      const file = path.join(dir, `bench-${n++}.sqlite`);
      await compare(label, () => benchService(label, { sqliteFile: file }, options));
    }
    const pgUrl = process.env.TEST_DATABASE_URL;
    if (!pgUrl) {
      console.log('(PostgreSQL skipped: set TEST_DATABASE_URL to a server URL to run it too)');
      return;
    }
    const admin = new Client({ connectionString: pgUrl });
    await admin.connect();
    try {
      for (const { label, options } of variants('PostgreSQL')) {
        const name = `bench_${randomBytes(4).toString('hex')}`;
        await admin.query(`CREATE DATABASE ${name}`);
        try {
          const url = new URL(pgUrl);
          url.pathname = `/${name}`;
          await compare(label, () => benchService(label, url.toString(), options));
        } finally {
          await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        }
      }
    } finally {
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
    ? readStdin().then(async (job) => void process.stdout.write(JSON.stringify(await runClients(JSON.parse(job) as Job))))
    : main();
run.catch((err) => {
  console.error(err);
  process.exit(1);
});
