/**
 * The sync service over real HTTP on loopback, in the scenario of issue 10: 100 concurrent clients
 * of 5 agencies (20 copies per agency, sharing its token), each sending 20 syncs of 20 changes —
 * its own 20 tasks, edited again on every sync from the version its previous answer gave — with an
 * Idempotency-Key, and following its own cursor. Against, in the same run, a bare Express handler
 * that parses the same bodies and answers the same shape: throughput as a ratio to it, p50/p99
 * latency, lost updates (every acknowledged value must be the final one, and in the history), and
 * whether an acknowledged change is durable (SQLite: synchronous=FULL, checked on a connection
 * opened as the store's are; a group of syncs commits with NORMAL and is answered only once its WAL
 * is flushed, see server/store/wal-sync.ts).
 *
 * SQLite always, PostgreSQL too when TEST_DATABASE_URL is set (a database of its own is created).
 * SYNC_BENCH_DATABASE=sqlite (or postgres) runs one only. Each is run SYNC_BENCH_ROUNDS times (5: a single round here ranges ±15%), each round on a fresh database right after a round of the
 * bare handler (the load of a shared machine drifts), and the median round is reported.
 * `npm run bench -- sync` runs the service as `npm start` does; SYNC_BENCH_LEVERS=1 also runs it
 * with the store on the event loop, without group commit, and without the SQLite statement cache, to
 * measure what each saves.
 *
 * The clients run in a process of their own (sync-clients.ts).
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
import { openStore } from '../server/store/kysely-store';
import type { Store } from '../server/store/store';
import { openThreadedStore, type ThreadedStoreOptions } from '../server/store/threaded-store';
import type { Task } from '../shared/schemas';
import { figure } from './measure';
import { CHANGES, CLIENTS, type Job, type RoundResult, SYNCS, taskIdOf } from './sync-clients';

const AGENCIES = 5;
/**
 * Syncs per client sent first, unmeasured, to each server (on a tracker of its own for the service):
 * a round measures a service as it runs after its first minutes, its code compiled by V8 — the store's
 * thread is new in every round — not its first seconds.
 */
const WARM_UP_SYNCS = 2;
const ROUNDS = Math.max(1, Number(process.env.SYNC_BENCH_ROUNDS) || 5);

/** Runs the clients in a process of their own and returns what they measured. */
function clientsProcess(job: Job): Promise<RoundResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'sync-clients.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
    // Decoded as a whole: a chunk may end inside a character ("ú" is two bytes), and decoding chunk by
    // chunk turned it into two U+FFFD — once in a while, an acknowledged note that seemed lost.
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    // 'close', not 'exit': the output may still be arriving when the process has exited.
    child.once('close', (code) => (code === 0 ? resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as RoundResult) : reject(new Error(`clients process exited with ${code}`))));
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

/** A round as measured: the clients' figures, and this process's CPU time meanwhile (every thread). */
interface Measured {
  perSecond: number;
  p50: number;
  p99: number;
  serverCpuMs: number;
  clientCpuMs: number;
}

async function measure(job: Job): Promise<{ r: RoundResult; m: Measured }> {
  const cpu0 = process.cpuUsage();
  const r = await clientsProcess(job);
  const cpu = process.cpuUsage(cpu0);
  const m = {
    perSecond: r.latencies.length / (r.ms / 1000),
    p50: percentile(r.latencies, 0.5),
    p99: percentile(r.latencies, 0.99),
    // The clients' process starts within the window, but its start costs the server nothing.
    serverCpuMs: (cpu.user + cpu.system) / 1000,
    clientCpuMs: r.cpuMs,
  };
  return { r, m };
}

/** The floor: Express parsing the same bodies and answering the same shape, with no token lookup and no database. */
async function bareExpress(): Promise<Measured> {
  const app = express();
  app.use(express.json({ limit: '5mb' }));
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  app.post('/sync', (req, res) => {
    const changes = (req.body as { changes: { taskId: string; baseVersion: number }[] }).changes;
    res.json({ applied: changes.map((c) => ({ taskId: c.taskId, version: c.baseVersion + 1 })), conflicts: [], rejected: [], changes: [], cursor: '0' });
  });
  const server = await listen(app);
  try {
    const job = { syncUrl: `${server.url}/sync`, warmUrl: `${server.url}/healthz`, tokens: Array.from({ length: CLIENTS }, () => 'bare'), cursor: null };
    await clientsProcess({ ...job, syncs: WARM_UP_SYNCS });
    const { m } = await measure(job);
    return m;
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

interface Variant {
  label: string;
  options: ThreadedStoreOptions;
  /** The store on the service's event loop rather than in a thread of its own. */
  inline?: boolean;
}

/** Checks an acknowledged change is durable: connections are opened in WAL mode with synchronous=FULL (2); a group of syncs flushes its WAL itself before answering. */
async function checkDurable(label: string, target: string | { sqliteFile: string }): Promise<void> {
  const { db, dialect } = openDatabase(target);
  try {
    if (dialect !== 'sqlite') return;
    const [{ synchronous }] = (await sql<{ synchronous: number }>`pragma synchronous`.execute(db)).rows;
    const [{ journal_mode: mode }] = (await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db)).rows;
    figure(`${label}: durable (synchronous, 2 = FULL; journal ${mode})`, synchronous, mode === 'wal' && synchronous === 2 ? 'yes' : 'NO', 0);
    if (synchronous !== 2 || mode !== 'wal') process.exitCode = 1;
  } finally {
    await db.destroy();
  }
}

/** One round of the scenario against the service on a fresh database; fails the run on any lost update. */
async function benchService(label: string, target: string | { sqliteFile: string }, variant: Variant): Promise<Measured> {
  const store: Store = variant.inline ? await openStore(target, variant.options) : await openThreadedStore(target, variant.options);
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
    const warmUp = await postJson(api('/api/trackers'), adminToken, { title: 'Warm-up', tasks });
    await clientsProcess({
      syncUrl: api(`/api/trackers/${warmUp.id}/sync`),
      warmUrl: api('/healthz'),
      tokens: Array.from({ length: CLIENTS }, (_, c) => agencyOf(c).token),
      cursor: warmUp.cursor,
      syncs: WARM_UP_SYNCS,
    });
    const tracker = await postJson(api('/api/trackers'), adminToken, { title: 'Bench', tasks });
    const { r, m } = await measure({
      syncUrl: api(`/api/trackers/${tracker.id}/sync`),
      warmUrl: api('/healthz'),
      tokens: Array.from({ length: CLIENTS }, (_, c) => agencyOf(c).token),
      cursor: tracker.cursor,
    });

    // Lost updates: every task's last acknowledged value must be its final one, and the history complete.
    const final = await get(`/api/trackers/${tracker.id}`);
    const reports = new Map<string, { agencyId: string; note: string; version: number }[]>(final.tasks.map((t: { id: string; reports: [] }) => [t.id, t.reports]));
    const lostAcks = r.acked.filter((x) => {
      const rep = reports.get(x.taskId)?.find((y) => y.agencyId === agencyOf(x.client).id);
      return !rep || rep.note !== x.note || rep.version !== x.version;
    });
    if (lostAcks.length) {
      // Read once more: a mismatch that is gone now was a stale read, one that stays a lost write.
      const again = await get(`/api/trackers/${tracker.id}`);
      const stored = (tracker: { tasks: { id: string; reports: { agencyId: string; note: string; version: number }[] }[] }, x: (typeof lostAcks)[number]) => {
        const rep = tracker.tasks.find((t) => t.id === x.taskId)?.reports.find((y) => y.agencyId === agencyOf(x.client).id);
        return rep ? `v${rep.version} “${rep.note}”` : 'nothing';
      };
      for (const x of lostAcks.slice(0, 3)) {
        console.log(`${label}: lost ${x.taskId}: acknowledged v${x.version} “${x.note}”, stored ${stored(final, x)}, read again ${stored(again, x)}`);
      }
    }
    const lost = lostAcks.length + (CLIENTS * CHANGES - r.acked.length);
    let historyRows = 0;
    for (let since = '', more = true; more; ) {
      const page = await get(`/api/trackers/${tracker.id}/changes?limit=5000${since ? `&since=${since}` : ''}`);
      historyRows += page.changes.length;
      more = page.changes.length > 0;
      since = page.cursor;
    }
    // The first sync writes status, result and note; each later one result and note.
    const expectedRows = CLIENTS * CHANGES * (3 + 2 * (SYNCS - 1));
    if (lost !== 0 || historyRows !== expectedRows) {
      figure(`${label}: lost updates`, lost, 'changes', 0);
      figure(`${label}: history rows (expected ${expectedRows})`, historyRows, 'rows', 0);
      process.exitCode = 1;
    }
    return m;
  } finally {
    await server.close();
    await store.close();
  }
}

/** The variants run: as `npm start` runs, then (SYNC_BENCH_LEVERS=1) each lever off in turn. */
function variants(kind: 'SQLite' | 'PostgreSQL'): Variant[] {
  const out: Variant[] = [{ label: kind, options: {} }];
  if (!process.env.SYNC_BENCH_LEVERS) return out;
  out.push({ label: `${kind}, store on the event loop`, options: {}, inline: true });
  out.push({ label: `${kind}, no group commit`, options: { groupCommit: false } });
  if (kind === 'SQLite') out.push({ label: `${kind}, no statement cache`, options: { statementCache: false } });
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Rounds of (bare handler, service on a fresh database); prints each round's ratio and the median round's figures. */
async function compare(variant: Variant, freshTarget: () => Promise<{ target: string | { sqliteFile: string }; drop(): Promise<void> }>): Promise<void> {
  const rounds: { floor: Measured; service: Measured; ratio: number }[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const floor = await bareExpress();
    const { target, drop } = await freshTarget();
    try {
      if (i === 0) await checkDurable(variant.label, target);
      const service = await benchService(variant.label, target, variant);
      rounds.push({ floor, service, ratio: service.perSecond / floor.perSecond });
    } finally {
      await drop();
    }
  }
  const { label } = variant;
  const mid = rounds.find((r) => r.ratio === median(rounds.map((x) => x.ratio))) ?? rounds[0];
  figure(`${label}: ratio by round (${rounds.map((r) => r.ratio.toFixed(2)).join(', ')})`, mid.ratio, '×', 3);
  figure(`${label}: bare Express syncs/s (median round)`, mid.floor.perSecond, 'req/s');
  figure(`${label}: syncs/s`, mid.service.perSecond, 'req/s');
  figure(`${label}: p50 latency`, mid.service.p50, 'ms', 1);
  figure(`${label}: p99 latency`, mid.service.p99, 'ms', 1);
  figure(`${label}: service CPU per sync (all threads)`, mid.service.serverCpuMs / (CLIENTS * SYNCS), 'ms', 2);
  figure(`${label}: bare Express CPU per sync`, mid.floor.serverCpuMs / (CLIENTS * SYNCS), 'ms', 2);
  figure(`${label}: clients' CPU per sync (service, bare)`, mid.service.clientCpuMs / (CLIENTS * SYNCS), `ms, ${(mid.floor.clientCpuMs / (CLIENTS * SYNCS)).toFixed(2)} ms`, 2);
  figure(`${label}: lost updates (every round)`, 0, process.exitCode ? 'SEE ABOVE' : 'changes', 0);
  figure(`${label}: throughput ÷ bare Express (median round)`, mid.ratio, '×', 3);
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'annex-bench-'));
  try {
    let n = 0;
    const only = process.env.SYNC_BENCH_DATABASE;
    for (const variant of only === 'postgres' ? [] : variants('SQLite')) {
      await compare(variant, async () => ({ target: { sqliteFile: path.join(dir, `bench-${n++}.sqlite`) }, drop: async () => undefined }));
    }
    const pgUrl = process.env.TEST_DATABASE_URL;
    if (only === 'sqlite') return;
    if (!pgUrl) {
      console.log('(PostgreSQL skipped: set TEST_DATABASE_URL to a server URL to run it too)');
      return;
    }
    const admin = new Client({ connectionString: pgUrl });
    await admin.connect();
    try {
      for (const variant of variants('PostgreSQL')) {
        await compare(variant, async () => {
          const name = `bench_${randomBytes(4).toString('hex')}`;
          await admin.query(`CREATE DATABASE ${name}`);
          const url = new URL(pgUrl);
          url.pathname = `/${name}`;
          return { target: url.toString(), drop: async () => void (await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)) };
        });
      }
    } finally {
      await admin.end();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
