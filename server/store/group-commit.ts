/**
 * Group commit: the syncs of one tracker that arrive while its previous transaction runs wait, then
 * run together in the next one. They share its counter lock and its commit — one fsync on SQLite,
 * one commit on PostgreSQL — instead of queueing for the lock and the disk one by one. Each is
 * answered only once that commit is done, so an acknowledged change is durable.
 */

export type Outcome<R> = { ok: R } | { error: unknown };

/** Runs a group of jobs in one transaction and says how each ended, in order. */
export type GroupRunner<J, R> = (key: string, jobs: J[]) => Promise<Outcome<R>[]>;

interface Waiting<J, R> {
  job: J;
  resolve(value: R): void;
  reject(error: unknown): void;
}

export class GroupCommit<J, R> {
  private readonly waiting = new Map<string, Waiting<J, R>[]>();
  private readonly running = new Set<string>();

  constructor(
    private readonly run: GroupRunner<J, R>,
    /** Jobs per transaction at most: bounds the time a transaction holds the lock. */
    private readonly maxGroup = 64,
    /**
     * While a key is busy (a group has just run and more jobs wait), the next group waits this long
     * for others to join it, as PostgreSQL's commit_delay does: a group's commit, its pages and its
     * statements are shared by more jobs. A job arriving at an idle key starts at once.
     */
    private readonly collectMs = 0,
  ) {}

  submit(key: string, job: J): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.waiting.get(key);
      if (queue) queue.push({ job, resolve, reject });
      else this.waiting.set(key, [{ job, resolve, reject }]);
      if (this.running.has(key)) return;
      this.running.add(key);
      // Started on the next turn of the event loop, not now: every request read in this turn joins the
      // group. (On SQLite a transaction runs without yielding to I/O, so none could join it later.)
      setImmediate(() => void this.drain(key));
    });
  }

  private async drain(key: string): Promise<void> {
    try {
      for (let queue = this.waiting.get(key), busy = false; queue && queue.length; queue = this.waiting.get(key), busy = true) {
        if (busy && this.collectMs > 0 && queue.length < this.maxGroup) {
          await new Promise((resolve) => setTimeout(resolve, this.collectMs));
          queue = this.waiting.get(key) ?? queue;
        }
        const group = queue.splice(0, this.maxGroup);
        if (!queue.length) this.waiting.delete(key);
        let outcomes: Outcome<R>[];
        try {
          outcomes = await this.run(key, group.map((w) => w.job));
        } catch (error) {
          outcomes = group.map(() => ({ error }));
        }
        group.forEach((w, i) => {
          const outcome = outcomes[i] ?? { error: new Error('group commit: no outcome') };
          if ('ok' in outcome) w.resolve(outcome.ok);
          else w.reject(outcome.error);
        });
      }
    } finally {
      this.running.delete(key);
    }
  }
}
