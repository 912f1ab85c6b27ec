/**
 * The store in a thread of its own. better-sqlite3 runs every statement, and the fsync of every
 * commit, on the thread that calls it: on the service's event loop that would stall every other
 * request while a group of syncs waits for the disk or a 50,000-task export is read. Here the event
 * loop parses, checks and answers HTTP; the store's thread merges and writes. A call is a message,
 * its answer (or its error, rebuilt as the same class) a message back.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { InputError } from '../../shared/errors';
import { openDatabase } from './database';
import { callerOf } from './kysely-store';
import { QueryShapes } from './query-shapes';
import { NotFoundError, type Store } from './store';

/** What the store's thread needs to open the store; plain data, since it crosses to the thread. */
export interface ThreadedStoreOptions {
  /** The office's agency registry file (AGENCIES_FILE), loaded in the thread. */
  agenciesFile?: string | null;
  poolSize?: number;
  groupCommit?: boolean;
  statementCache?: boolean;
  /** Heap of the thread, in MiB (STORE_MEMORY): past it the thread ends, and is started again. */
  memoryMb?: number;
}

export interface StoreThreadData {
  target: string | { sqliteFile: string };
  options: ThreadedStoreOptions;
}

/** Every method of Store, called by name in the thread; the type check keeps the list complete. */
export const STORE_METHODS = [
  'migrate',
  'close',
  'ping',
  'ensureAdminToken',
  'setAdminToken',
  'findCaller',
  'createAgency',
  'listTokens',
  'issueToken',
  'revokeToken',
  'listAgencies',
  'getAgency',
  'createTracker',
  'listTrackers',
  'getTracker',
  'sync',
  'syncJson',
  'changesSince',
  'taskHistory',
  'listConflicts',
  'resolveConflict',
  'recordExport',
  'exportSnapshot',
  'submissions',
] as const satisfies readonly (keyof Store)[];
type Listed = (typeof STORE_METHODS)[number];
// Fails to compile when Store gains a method that is not listed above.
const complete: Exclude<keyof Store, Listed> extends never ? true : never = true;
void complete;

export type StoreCall = { id: number; method: Listed; args: unknown[] };
export type StoreAnswer = { id: number; value: unknown } | { id: number; error: SerializedError };

// ------------------------------------------------------------------ errors across the thread

export interface SerializedError {
  kind: 'InputError' | 'NotFoundError' | 'Error';
  name: string;
  message: string;
  stack?: string;
  /** Own fields (code, messageEn, where, what, id…). */
  fields: Record<string, unknown>;
  cause?: SerializedError;
}

export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { kind: 'Error', name: 'Error', message: String(err), fields: {} };
  const kind = err instanceof InputError ? 'InputError' : err instanceof NotFoundError ? 'NotFoundError' : 'Error';
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(err)) if (k !== 'cause' && isPlain(v)) fields[k] = v;
  const cause = err.cause === undefined ? undefined : serializeError(err.cause);
  return { kind, name: err.name, message: err.message, stack: err.stack, fields, cause };
}

/** Values that survive the thread's structured clone as they are. */
function isPlain(v: unknown): boolean {
  return v === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof v) || (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype);
}

const PROTOTYPES = { InputError: InputError.prototype, NotFoundError: NotFoundError.prototype, Error: Error.prototype };

/** The error as the routes expect it: the same class (InputError, NotFoundError) with its code and fields. */
export function rebuildError(e: SerializedError): Error {
  const err = Object.create(PROTOTYPES[e.kind]) as Error;
  Object.defineProperty(err, 'message', { value: e.message, writable: true, configurable: true });
  Object.defineProperty(err, 'stack', { value: e.stack, writable: true, configurable: true });
  Object.assign(err, e.fields);
  if (e.name !== PROTOTYPES[e.kind].name) Object.defineProperty(err, 'name', { value: e.name, writable: true, configurable: true });
  if (e.cause) Object.defineProperty(err, 'cause', { value: rebuildError(e.cause), writable: true, configurable: true });
  return err;
}

// ------------------------------------------------------------------ the main thread's side

/** Thrown for calls after the store's thread has ended; the service answers 503 (see server/errors.ts). */
export const THREAD_GONE = 'STORE_THREAD_GONE';

function threadGone(detail: string): Error {
  return Object.assign(new Error(`the store's thread has ended (${detail})`), { code: THREAD_GONE });
}

class StoreThread {
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  private nextId = 1;
  private gone: Error | null = null;

  constructor(private readonly worker: Worker) {
    worker.unref();
    worker.on('message', (answer: StoreAnswer) => {
      const call = this.pending.get(answer.id);
      if (!call) return;
      this.pending.delete(answer.id);
      if (!this.pending.size) worker.unref();
      if ('error' in answer) call.reject(rebuildError(answer.error));
      else call.resolve(answer.value);
    });
    // A crash in the thread (a bug, or out of memory) fails what waits and every later call: 503, not a hang.
    worker.on('error', (err) => this.end(threadGone(err.message)));
    worker.on('exit', (code) => this.end(threadGone(`exit ${code}`)));
  }

  private end(err: Error): void {
    this.gone ??= err;
    for (const call of this.pending.values()) call.reject(this.gone);
    this.pending.clear();
  }

  /** Why the thread ended: null while it runs. */
  get ended(): Error | null {
    return this.gone;
  }

  call(method: Listed, args: unknown[]): Promise<unknown> {
    if (this.gone) return Promise.reject(this.gone);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // A call under way keeps the process alive; an idle thread does not.
      if (this.pending.size === 1) this.worker.ref();
      this.worker.postMessage({ id, method, args } satisfies StoreCall);
    });
  }

  async close(): Promise<void> {
    try {
      if (!this.gone) await this.call('close', []);
    } finally {
      await this.worker.terminate();
    }
  }
}

/**
 * The store's thread makes rows and parameters by the thousand per group, all dead by its commit: a
 * young generation of 64 MiB rather than Node's 48 means fewer scavenges. Measured with
 * `npm run bench -- sync`: +8% syncs per second on SQLite (median of 3 rounds, better in four runs of four).
 */
const YOUNG_GENERATION_MB = 64;

function startThread(data: StoreThreadData): Worker {
  const resourceLimits = { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB, ...(data.options.memoryMb ? { maxOldGenerationSizeMb: data.options.memoryMb } : {}) };
  const built = path.join(__dirname, 'store-thread.js');
  if (existsSync(built)) return new Worker(built, { workerData: data, resourceLimits });
  // From the TypeScript sources (tests, benchmarks): the thread compiles them as the main thread does.
  const source = path.join(__dirname, 'store-thread.ts');
  return new Worker(`require('ts-node/register/transpile-only'); require(${JSON.stringify(source)});`, { eval: true, workerData: data, resourceLimits });
}

/** A thread that ended is started again at the next call, but not within this long of its last start (a thread that cannot start must not spin). */
const RESTART_PAUSE_MS = 1000;

/** The store's thread, started again when it has ended under the service (a bug, or out of memory). */
class RestartingThread {
  private thread: StoreThread;
  private starting: Promise<StoreThread> | null = null;
  private lastStart = Date.now();
  private closed = false;

  private constructor(
    private readonly data: StoreThreadData,
    first: StoreThread,
    private readonly onRestart: (why: Error) => void,
  ) {
    this.thread = first;
  }

  /** The first thread must open the database (rejects with the opening error, as openStore would). */
  static async open(data: StoreThreadData, onRestart: (why: Error) => void): Promise<RestartingThread> {
    return new RestartingThread(data, await RestartingThread.start(data), onRestart);
  }

  private static async start(data: StoreThreadData): Promise<StoreThread> {
    const thread = new StoreThread(startThread(data));
    try {
      await thread.call('migrate', []);
      return thread;
    } catch (err) {
      await thread.close().catch(() => undefined);
      throw err;
    }
  }

  /**
   * Calls under way when a thread ends fail (503); the next call starts a new thread and waits for it.
   * Nothing is lost: every answered write had committed, and an unanswered one rolls back.
   */
  async call(method: Listed, args: unknown[]): Promise<unknown> {
    if (this.thread.ended && !this.closed) await this.restart();
    return this.thread.call(method, args);
  }

  private restart(): Promise<StoreThread> {
    if (this.starting) return this.starting;
    const why = this.thread.ended!;
    this.onRestart(why);
    const wait = Math.max(0, this.lastStart + RESTART_PAUSE_MS - Date.now());
    this.starting = new Promise((resolve) => setTimeout(resolve, wait))
      .then(() => {
        this.lastStart = Date.now();
        return RestartingThread.start(this.data);
      })
      .then(
        (thread) => (this.thread = thread),
        (err: unknown) => Promise.reject(threadGone(`could not start again: ${err instanceof Error ? err.message : String(err)}`)),
      )
      .finally(() => (this.starting = null));
    return this.starting;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.starting?.catch(() => undefined);
    await this.thread.close();
  }
}

/**
 * Opens the store (its schema brought up to date) in a thread of its own; rejects with the opening
 * error, as openStore would, when the database cannot be opened. `onRestart` hears of a thread
 * that ended and is being started again (the service logs it).
 */
export async function openThreadedStore(
  target: string | { sqliteFile: string },
  options: ThreadedStoreOptions = {},
  onRestart: (why: Error) => void = () => undefined,
): Promise<Store> {
  const thread = await RestartingThread.open({ target, options }, onRestart);
  // Who a token is, asked on every request: one indexed row, read here on a connection of this
  // thread's own rather than by a round trip to the store's thread (never a write, never a flush).
  const { db, reader } = openDatabase(target, { poolSize: 2 });
  const store = {
    close: async () => {
      try {
        await thread.close();
      } finally {
        if (reader !== db) await reader.destroy();
        await db.destroy();
      }
    },
  } as Partial<Store>;
  for (const method of STORE_METHODS) {
    if (method !== 'close') (store as Record<string, unknown>)[method] = (...args: unknown[]) => thread.call(method, args);
  }
  const shapes = new QueryShapes();
  store.findCaller = (tokenHash: string) => callerOf(reader, shapes, tokenHash);
  return store as Store;
}
