/**
 * Uploaded files are read in child processes (server/parse-worker.ts), one
 * file per process at a time, at most PARSE_PROCESSES at once; others queue.
 * A file that needs more heap than PARSE_MEMORY ends its process (413), never
 * the service, and /healthz and syncs keep answering meanwhile. (A worker
 * thread's heap limit is not enough: an out-of-memory raised by buffer
 * allocations aborts the whole process.)
 *
 * The child runs dist/server/parse-worker.js once built; from sources
 * (ts-node, ts-jest) the .ts file is loaded through ts-node's register hook.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ReadOptions } from '../io/read-grid';
import type { TrackerRowRead } from '../io/tracker-workbook';
import type { DocumentFormat } from '../shared/document';
import { InputError } from '../shared/errors';
import type { Diagnostic, IsoDate, Task } from '../shared/schemas';
import type { Config } from './config';
import type { ParseJob, ParseReply } from './parse-worker';
import type { UploadedFile } from './upload';

/** Files read at once: more would only share the same cores and multiply peak memory. */
const PARSE_PROCESSES = 2;

/** The tasks an uploaded document yields (read and recognised in a reader process). */
export interface ParsedDocument {
  name: string;
  format: DocumentFormat;
  title: string | null;
  tasks: Task[];
  diagnostics: Diagnostic[];
  /** How many of the tasks come from the document's prose. */
  proseTasks: number;
}

export interface ParsedTracker {
  rows: TrackerRowRead[];
  diagnostics: Diagnostic[];
  /** The export the workbook was made from (its snapshot is the merge's base), null for one made by convert. */
  exportId: string | null;
}

type JobInput = ParseJob extends infer J ? (J extends ParseJob ? Omit<J, 'id'> : never) : never;

interface Pending {
  job: ParseJob;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type ParserConfig = Pick<Config, 'uploadMaxRows' | 'uploadMaxColumns' | 'uploadMaxCells' | 'parseMemory' | 'agenciesFile'>;

const outOfMemory = (config: ParserConfig) => {
  const mb = Math.round(config.parseMemory / 1024 / 1024);
  return new InputError(
    `Tệp cần nhiều bộ nhớ hơn giới hạn đọc tệp (PARSE_MEMORY = ${mb} MB): hãy chia nhỏ tệp`,
    `The file needs more memory than the reading limit (PARSE_MEMORY = ${mb} MB): split it`,
    'file.too_large',
    { field: 'file' },
  );
};

function startChild(config: ParserConfig): ChildProcess {
  const heap = `--max-old-space-size=${Math.max(64, Math.round(config.parseMemory / 1024 / 1024))}`;
  const built = path.join(__dirname, 'parse-worker.js');
  const [file, execArgv] = existsSync(built)
    ? [built, [heap]]
    : [path.join(__dirname, 'parse-worker.ts'), [heap, '-r', 'ts-node/register/transpile-only']];
  // 'advanced' serialization: bytes and Dates cross as they are, not as JSON. Output is dropped:
  // V8's out-of-memory report is the parent's 413, and the child has nothing else to say.
  const child = fork(file, [config.agenciesFile ?? ''], { execArgv, serialization: 'advanced', stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  idle(child);
  return child;
}

/** An idle reader must not keep the service's process alive; a busy one must. */
function idle(child: ChildProcess): void {
  child.unref();
  (child.channel as { unref?: () => void } | undefined)?.unref?.();
}

function busy(child: ChildProcess): void {
  child.ref();
  (child.channel as { ref?: () => void } | undefined)?.ref?.();
}

export class UploadParser {
  private readonly limits: ReadOptions;
  private readonly idle: ChildProcess[] = [];
  private readonly busy = new Map<ChildProcess, Pending>();
  private readonly queue: Pending[] = [];
  private nextId = 1;

  constructor(private readonly config: ParserConfig) {
    this.limits = { maxRows: config.uploadMaxRows, maxColumns: config.uploadMaxColumns, maxCells: config.uploadMaxCells };
  }

  document(file: UploadedFile, asOf: IsoDate): Promise<ParsedDocument> {
    return this.submit({ kind: 'document', bytes: file.bytes, name: file.name, limits: this.limits, asOf }) as Promise<ParsedDocument>;
  }

  tracker(file: UploadedFile): Promise<ParsedTracker> {
    return this.submit({ kind: 'tracker', bytes: file.bytes, name: file.name, limits: this.limits }) as Promise<ParsedTracker>;
  }

  /** Stops every reader; jobs still queued or running fail. */
  async close(): Promise<void> {
    for (const p of this.queue.splice(0)) p.reject(new Error('upload parser closed'));
    const children = [...this.idle.splice(0), ...this.busy.keys()];
    await Promise.all(
      children.map((child) =>
        child.exitCode !== null || child.signalCode !== null
          ? undefined
          : new Promise<void>((resolve) => {
              child.once('exit', () => resolve());
              child.kill();
            }),
      ),
    );
  }

  private submit(input: JobInput): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { ...input, id: this.nextId++ } as ParseJob, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0 && (this.idle.length > 0 || this.busy.size < PARSE_PROCESSES)) {
      const child = this.idle.pop() ?? this.spawn();
      const pending = this.queue.shift()!;
      this.busy.set(child, pending);
      busy(child);
      child.send(pending.job);
    }
  }

  private spawn(): ChildProcess {
    const child = startChild(this.config);
    child.on('message', (reply: ParseReply) => {
      const pending = this.busy.get(child);
      if (!pending || pending.job.id !== reply.id) return;
      this.busy.delete(child);
      idle(child);
      this.idle.push(child);
      if (reply.ok) pending.resolve(reply.value);
      else if (reply.input) pending.reject(new InputError(reply.input.message, reply.input.messageEn, reply.input.code, reply.input.where));
      else pending.reject(new Error(`upload parsing failed: ${reply.message}`));
      this.dispatch();
    });
    // Out of heap (V8 aborts the child) or any other end: its job fails, the next job gets a new process.
    const gone = (err: unknown) => {
      const pending = this.busy.get(child);
      this.busy.delete(child);
      const at = this.idle.indexOf(child);
      if (at >= 0) this.idle.splice(at, 1);
      if (pending) pending.reject(err);
      this.dispatch();
    };
    child.on('error', gone);
    child.on('exit', (code, signal) =>
      gone(signal === 'SIGABRT' || code === 134 ? outOfMemory(this.config) : new Error(`upload reader exited (${signal ?? code})`)),
    );
    return child;
  }
}
