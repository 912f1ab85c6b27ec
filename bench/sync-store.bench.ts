/**
 * The storage layer alone (no HTTP): 100 agencies each send one sync of 20 changes (3 fields each),
 * all at once, to one tracker; then a second round where every agency's second token edits the same
 * reports from a stale base (so every field conflicts). Prints throughput, p50/p99 latency and lost
 * updates (must be 0) on SQLite, and on PostgreSQL when it is available (TEST_DATABASE_URL or a local
 * install; the cluster helper of the tests starts one).
 */
import { openStore } from '../server/store/kysely-store';
import type { Caller, Store } from '../server/store/store';
import type { SyncChange, Task } from '../shared/schemas';
import { type DatabaseKind, freshStoreUrl, stopTestDatabases } from '../tests/server/pg-cluster';
import { figure, timed } from './measure';

const AGENCIES = 100;
const CHANGES = 20;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** A token of the agency `name` (made on its first call; a second call gives the agency a further token). */
async function caller(store: Store, name: string, hash: string): Promise<Caller> {
  const { agency, created } = await store.createAgency({ name, registryId: null, kind: 'other' }, hash);
  if (!created) await store.issueToken(agency.id, hash);
  const found = await store.findCaller(hash);
  if (!found) throw new Error('token not stored');
  return found;
}

async function round(label: string, requests: (() => Promise<unknown>)[]): Promise<void> {
  const latencies: number[] = [];
  const { ms } = await timed(() => Promise.all(requests.map(async (send) => latencies.push((await timed(send)).ms))));
  latencies.sort((a, b) => a - b);
  figure(`${label}: syncs per second`, (requests.length / ms) * 1000, '/s');
  figure(`${label}: changes per second`, ((requests.length * CHANGES) / ms) * 1000, '/s');
  figure(`${label}: latency p50`, percentile(latencies, 50), 'ms');
  figure(`${label}: latency p99`, percentile(latencies, 99), 'ms');
}

async function bench(kind: DatabaseKind): Promise<void> {
  const store = await openStore(await freshStoreUrl(kind));
  try {
    await store.ensureAdminToken('bench-admin');
    const admin = (await store.findCaller('bench-admin'))!;
    const names = Array.from({ length: AGENCIES }, (_, i) => `Đơn vị thử ${i}`);
    const first = await Promise.all(names.map((n, i) => caller(store, n, `bench-a-${i}`)));
    const second = await Promise.all(names.map((n, i) => caller(store, n, `bench-b-${i}`)));
    const tasks: Task[] = names.flatMap((name, a) =>
      Array.from({ length: CHANGES }, (_, t) => ({
        id: `a${a}-t${t}`,
        stt: String(a * CHANGES + t + 1),
        section: null,
        task: `Nhiệm vụ ${t} của ${name}`,
        lead: [name],
        support: [],
        deadline: { raw: '31/12/2026', kind: 'date' as const, due: '2026-12-31' },
        output: 'Báo cáo',
        extra: {},
      })),
    );
    const tracker = await store.createTracker({ title: 'Bench', tasks }, admin);
    const changes = (a: number, text: string): SyncChange[] =>
      Array.from({ length: CHANGES }, (_, t) => ({
        taskId: `a${a}-t${t}`,
        baseVersion: 0,
        fields: { status: 'in_progress', result: `${text} ${a}.${t}`, note: `ghi chú ${a}.${t}` },
      }));

    await round(`${kind} first reports`, first.map((c, a) => () => store.sync(tracker.id, c, { changes: changes(a, 'kết quả') })));
    await round(`${kind} stale edits (all conflict)`, second.map((c, a) => () => store.sync(tracker.id, c, { changes: changes(a, 'khác') })));

    const stored = await store.getTracker(tracker.id);
    const lost = stored!.tasks.filter((t, i) => t.reports[0]?.result !== `kết quả ${Math.floor(i / CHANGES)}.${i % CHANGES}`).length;
    const conflicts = (await store.listConflicts(tracker.id)).length;
    figure(`${kind}: lost updates`, lost, '', 0);
    figure(`${kind}: conflicts recorded (expected ${AGENCIES * CHANGES})`, conflicts, '', 0);
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  try {
    await bench('sqlite');
    try {
      await bench('postgres');
    } catch (err) {
      console.log(`postgres skipped: ${err instanceof Error ? err.message : String(err)}`);
    }
  } finally {
    await stopTestDatabases();
  }
}

void main();
