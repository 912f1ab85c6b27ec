/**
 * The clients of the sync benchmark (sync.bench.ts), in a process of their own so that the service's
 * event loop is not shared with the load generator; it imports nothing of the service, so it starts
 * at once. Reads the job on stdin, writes what it measured on stdout.
 */

export const CLIENTS = 100;
export const SYNCS = 20;
export const CHANGES = 20;

export interface Job {
  syncUrl: string;
  warmUrl: string;
  /** One token per client (its agency's). */
  tokens: string[];
  cursor: string | null;
  /** Syncs per client (SYNCS; fewer for a warm-up). */
  syncs?: number;
}

export interface Ack {
  client: number;
  taskId: string;
  version: number;
  note: string;
}

export interface RoundResult {
  ms: number;
  latencies: number[];
  /** The last acknowledged value of every task. */
  acked: Ack[];
  /** CPU time of this process while the clients ran. */
  cpuMs: number;
}

export const taskIdOf = (client: number, i: number) => `c${client}t${i}`;
export const noteOf = (client: number, sync: number, i: number) => `ghi chú ${client}-${sync}-${i}`;

async function runClients(job: Job): Promise<RoundResult> {
  // One unmeasured request per client: the keep-alive connections exist before timing starts.
  await Promise.all(job.tokens.map(async () => (await fetch(job.warmUrl)).arrayBuffer()));
  const latencies: number[] = [];
  const acked: Ack[] = [];
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  await Promise.all(
    job.tokens.map(async (token, c) => {
      let since = job.cursor;
      const versions = new Map<string, number>();
      const last = new Map<string, Ack>();
      for (let s = 0; s < (job.syncs ?? SYNCS); s++) {
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
  const cpu = process.cpuUsage(cpu0);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, latencies: latencies.sort((x, y) => x - y), acked, cpuMs: (cpu.user + cpu.system) / 1000 };
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

if (require.main === module) {
  readStdin()
    .then(async (job) => void process.stdout.write(JSON.stringify(await runClients(JSON.parse(job) as Job))))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
