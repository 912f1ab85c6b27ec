/**
 * Uploaded files are read on worker threads (server/parse-worker.ts), one file
 * per thread at a time, at most PARSE_THREADS at once; others queue. A file
 * that needs more heap than PARSE_MEMORY ends its thread (413), not the
 * service, and /healthz and syncs keep answering meanwhile.
 *
 * The thread runs dist/server/parse-worker.js once built; from sources
 * (ts-node, ts-jest) the .ts file is loaded through ts-node's register hook.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { GridLimits } from '../io/read-grid';
import type { TrackerRowRead } from '../io/tracker-workbook';
import { InputError } from '../shared/errors';
import type { Diagnostic, IsoDate, Task } from '../shared/schemas';
import type { Config } from './config';
import type { ParseJob, ParseReply } from './parse-worker';
import type { UploadedFile } from './upload';

/** Threads reading uploads at once: more would only share the same cores and multiply peak memory. */
const PARSE_THREADS = 2;

export interface ParsedAnnex {
  title: string | null;
  tasks: Task[];
  diagnostics: Diagnostic[];
}

export interface ParsedTracker {
  rows: TrackerRowRead[];
  diagnostics: Diagnostic[];
}

type JobInput = ParseJob extends infer J ? (J extends ParseJob ? Omit<J, 'id'> : never) : never;

interface Pending {
  job: ParseJob;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

const outOfMemory = (config: Pick<Config, 'parseMemory'>) => {
  const mb = Math.round(config.parseMemory / 1024 / 1024);
  return new InputError(
    `Tệp cần nhiều bộ nhớ hơn giới hạn đọc tệp (PARSE_MEMORY = ${mb} MB): hãy chia nhỏ tệp`,
    `The file needs more memory than the reading limit (PARSE_MEMORY = ${mb} MB): split it`,
    'file.too_large',
    { field: 'file' },
  );
};

function startWorker(config: Pick<Config, 'parseMemory' | 'agenciesFile'>): Worker {
  const options = {
    workerData: { agenciesFile: config.agenciesFile },
    resourceLimits: { maxOldGenerationSizeMb: Math.max(64, Math.round(config.parseMemory / 1024 / 1024)) },
  };
  const built = path.join(__dirname, 'parse-worker.js');
  const worker = existsSync(built)
    ? new Worker(built, options)
    : new Worker(`require('ts-node').register({ transpileOnly: true }); require(${JSON.stringify(path.join(__dirname, 'parse-worker.ts'))});`, {
        ...options,
        eval: true,
      });
  // An idle reader must not keep the process alive.
  worker.unref();
  return worker;
}

export class UploadParser {
  private readonly limits: GridLimits;
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly queue: Pending[] = [];
  private nextId = 1;

  constructor(private readonly config: Pick<Config, 'uploadMaxRows' | 'uploadMaxColumns' | 'uploadMaxCells' | 'parseMemory' | 'agenciesFile'>) {
    this.limits = { maxRows: config.uploadMaxRows, maxColumns: config.uploadMaxColumns, maxCells: config.uploadMaxCells };
  }

  annex(file: UploadedFile, asOf: IsoDate): Promise<ParsedAnnex> {
    return this.submit({ kind: 'annex', bytes: file.bytes, name: file.name, limits: this.limits, asOf }) as Promise<ParsedAnnex>;
  }

  tracker(file: UploadedFile): Promise<ParsedTracker> {
    return this.submit({ kind: 'tracker', bytes: file.bytes, name: file.name, limits: this.limits }) as Promise<ParsedTracker>;
  }

  /** Stops every thread; jobs still queued or running fail. */
  async close(): Promise<void> {
    for (const p of this.queue.splice(0)) p.reject(new Error('upload parser closed'));
    await Promise.all([...this.idle.splice(0), ...this.busy.keys()].map((w) => w.terminate()));
  }

  private submit(input: JobInput): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { ...input, id: this.nextId++ } as ParseJob, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0 && (this.idle.length > 0 || this.busy.size < PARSE_THREADS)) {
      const worker = this.idle.pop() ?? this.spawn();
      const pending = this.queue.shift()!;
      this.busy.set(worker, pending);
      worker.ref();
      worker.postMessage(pending.job);
    }
  }

  private spawn(): Worker {
    const worker = startWorker(this.config);
    worker.on('message', (reply: ParseReply) => {
      const pending = this.busy.get(worker);
      if (!pending || pending.job.id !== reply.id) return;
      this.busy.delete(worker);
      worker.unref();
      this.idle.push(worker);
      if (reply.ok) pending.resolve(reply.value);
      else if (reply.input) pending.reject(new InputError(reply.input.message, reply.input.messageEn, reply.input.code, reply.input.where));
      else pending.reject(new Error(`upload parsing failed: ${reply.message}`));
      this.dispatch();
    });
    // Out of heap (or any crash): the thread is gone; its job fails, the next job gets a new thread.
    const fail = (err: unknown) => {
      const pending = this.busy.get(worker);
      this.busy.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      if (pending) pending.reject((err as { code?: string })?.code === 'ERR_WORKER_OUT_OF_MEMORY' ? outOfMemory(this.config) : err);
      this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`upload parser thread exited (${code})`)));
    return worker;
  }
}
