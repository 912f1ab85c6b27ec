/**
 * The pane's client for the sync service's API (bearer token), and the offline
 * queue of change batches kept in localStorage on this computer.
 *
 * Every queued batch carries its own Idempotency-Key, fixed when it is queued:
 * a batch that reached the service but whose answer was lost (the connection
 * dropped) is answered again, not applied twice, when it is retried.
 *
 * Versions decide a merge, not who sends (server/merge.ts), so the queue keeps a
 * person from conflicting with their own edits: an edit of a task already
 * waiting in a batch never sent is folded into it per field (the newest value,
 * the version seen before the first edit), and once the service applied a batch
 * alone — its version one above the base sent — the waiting changes of that task
 * move up to that version.
 *
 * Runs in the IE 11 webview of old Office: no fetch there, so a small
 * XMLHttpRequest stand-in is used when fetch is missing.
 */
import { ServiceError, isServiceError, serviceErrorFrom } from '../../../shared/service-error';

export { ServiceError, isServiceError };
import type { z } from 'zod';
import type { ChangesAnswer, ConflictAnswer, TrackerAnswer, TrackerSummaryAnswer } from '../../../shared/api';
import type { SyncChange, SyncRequest, SyncResponse, Task } from '../../../shared/schemas';

export type RemoteTracker = z.infer<typeof TrackerAnswer>;
export type RemoteTrackerSummary = z.infer<typeof TrackerSummaryAnswer>;
export type RemoteConflict = z.infer<typeof ConflictAnswer>;
export type RemoteChanges = z.infer<typeof ChangesAnswer>;
export interface Caller {
  role: 'admin' | 'agency';
  agencyId: string | null;
  name: string;
}

/** The part of fetch's Response the client reads. */
export interface HttpResponse {
  status: number;
  json(): Promise<unknown>;
  blob(): Promise<Blob>;
}
export type HttpFetch = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<HttpResponse>;

/** The service could not be reached (no network, service down, blocked): worth retrying later. */
export class OfflineError extends Error {
  readonly kind = 'offline';
  constructor(readonly reason?: unknown) {
    super('Không kết nối được máy chủ / The service cannot be reached');
  }
}

export const isOffline = (e: unknown): e is OfflineError => !!e && (e as OfflineError).kind === 'offline';

/** fetch for browsers without it (IE 11): the same call over XMLHttpRequest. */
export function xhrFetch(url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(init.method, url, true);
    xhr.responseType = 'blob';
    Object.keys(init.headers).forEach((k) => xhr.setRequestHeader(k, init.headers[k]));
    xhr.onerror = () => reject(new TypeError('network error'));
    xhr.onload = () => {
      const blob = xhr.response as Blob;
      resolve({
        status: xhr.status,
        blob: () => Promise.resolve(blob),
        json: () =>
          new Promise((ok, fail) => {
            const reader = new FileReader();
            reader.onload = () => {
              try {
                ok(JSON.parse(String(reader.result)));
              } catch (e) {
                fail(e);
              }
            };
            reader.onerror = () => fail(reader.error);
            reader.readAsText(blob, 'utf-8');
          }),
      });
    };
    xhr.send(init.body ?? null);
  });
}

function defaultFetch(): HttpFetch {
  return typeof fetch === 'function' ? (url, init) => fetch(url, init) : xhrFetch;
}

export interface ClientOptions {
  /** The service's address, e.g. https://tracker.example.gov.vn (no trailing slash needed). */
  baseUrl: string;
  token: string;
  fetch?: HttpFetch;
}

export interface ServiceClient {
  readonly baseUrl: string;
  me(): Promise<Caller>;
  listTrackers(): Promise<RemoteTrackerSummary[]>;
  getTracker(id: string): Promise<RemoteTracker>;
  /** Publishes a tracker (administrator): the service keeps the task ids given. */
  publish(tracker: { title: string; tasks: Task[] }): Promise<RemoteTracker>;
  sync(trackerId: string, request: SyncRequest, idempotencyKey: string): Promise<SyncResponse>;
  changes(trackerId: string, since: string | null): Promise<RemoteChanges>;
  openConflicts(trackerId: string): Promise<RemoteConflict[]>;
  /** Administrator only: keep the submitted value ('yours') or the stored one ('theirs'). */
  resolveConflict(trackerId: string, conflictId: string, choose: 'yours' | 'theirs'): Promise<RemoteConflict>;
  /** The service's tracker workbook (export.xlsx), for Excel versions the add-in cannot fully drive. */
  exportWorkbook(trackerId: string, lang: 'vi' | 'en'): Promise<Blob>;
}

const enc = encodeURIComponent;

export function createClient(options: ClientOptions): ServiceClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? defaultFetch();

  async function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResponse> {
    const all: Record<string, string> = { authorization: `Bearer ${options.token}`, accept: 'application/json', ...headers };
    if (body !== undefined) all['content-type'] = 'application/json';
    let res: HttpResponse;
    try {
      res = await doFetch(baseUrl + path, { method, headers: all, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new OfflineError(e);
    }
    // A proxy or a service restarting answers 502–504: as good as offline for a retry.
    if (res.status === 502 || res.status === 503 || res.status === 504) throw new OfflineError(res.status);
    if (res.status >= 400) {
      throw serviceErrorFrom(res.status, await res.json().catch(() => null));
    }
    return res;
  }

  async function json<T>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    return (await (await send(method, path, body, headers)).json()) as T;
  }

  return {
    baseUrl,
    me: () => json('GET', '/api/me'),
    listTrackers: () => json('GET', '/api/trackers'),
    getTracker: (id) => json('GET', `/api/trackers/${enc(id)}`),
    publish: (tracker) => json('POST', '/api/trackers', tracker),
    sync: (trackerId, request, idempotencyKey) =>
      json('POST', `/api/trackers/${enc(trackerId)}/sync`, request, { 'idempotency-key': idempotencyKey }),
    changes: (trackerId, since) => json('GET', `/api/trackers/${enc(trackerId)}/changes${since ? `?since=${enc(since)}` : ''}`),
    openConflicts: (trackerId) => json('GET', `/api/trackers/${enc(trackerId)}/conflicts?open=true`),
    resolveConflict: (trackerId, conflictId, choose) =>
      json('POST', `/api/trackers/${enc(trackerId)}/conflicts/${enc(conflictId)}`, { choose }),
    exportWorkbook: async (trackerId, lang) => (await send('GET', `/api/trackers/${enc(trackerId)}/export.xlsx?lang=${lang}`)).blob(),
  };
}

// ---------------------------------------------------------------- offline queue

/** localStorage, or anything with its three methods (tests). */
export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface QueuedBatch {
  /** The Idempotency-Key sent with every attempt of this batch. */
  key: string;
  trackerId: string;
  changes: SyncChange[];
  queuedAt: string;
  /** Set before the first attempt: from then on the batch is never altered (its key names this content). */
  sent?: boolean;
}

export interface FlushResult {
  answers: { batch: QueuedBatch; answer: SyncResponse }[];
  /** Batches the service refused for good (4xx other than auth and rate limit): dropped, with the reason. */
  refused: { batch: QueuedBatch; error: ServiceError }[];
  /** Batches still waiting. */
  remaining: number;
  /** Why sending stopped early: the service was unreachable, or the token was refused or rate-limited. */
  stoppedBy: OfflineError | ServiceError | null;
}

const QUEUE_KEY = 'annexTracker.queue';
/** Changes per request: keeps each request small and gives the progress bar steps. */
export const BATCH_SIZE = 100;

/** 128 random bits as hex (msCrypto on IE 11). */
export function randomKey(): string {
  const scope = (typeof window !== 'undefined' ? window : globalThis) as unknown as { crypto?: Crypto; msCrypto?: Crypto };
  const crypto = scope.crypto ?? scope.msCrypto;
  const bytes = new Uint8Array(16);
  if (crypto) crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  let hex = '';
  for (let i = 0; i < bytes.length; i++) hex += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
  return `addin-${hex}`;
}

/** The report a change writes: its task (and, for the administrator, the agency named). */
const changeKey = (change: SyncChange): string => `${change.taskId}\u0000${change.agencyId ?? ''}`;

export class OfflineQueue {
  constructor(
    private readonly storage: KeyValueStore,
    private readonly newKey: () => string = randomKey,
    private readonly now: () => Date = () => new Date(),
  ) {}

  list(): QueuedBatch[] {
    try {
      const parsed = JSON.parse(this.storage.getItem(QUEUE_KEY) ?? '[]') as unknown;
      return Array.isArray(parsed) ? (parsed as QueuedBatch[]) : [];
    } catch {
      return [];
    }
  }

  private save(batches: QueuedBatch[]): void {
    if (batches.length) this.storage.setItem(QUEUE_KEY, JSON.stringify(batches));
    else this.storage.removeItem(QUEUE_KEY);
  }

  /** Number of changes waiting (for one tracker, or all). */
  pending(trackerId?: string): number {
    return this.list()
      .filter((b) => !trackerId || b.trackerId === trackerId)
      .reduce((n, b) => n + b.changes.length, 0);
  }

  /**
   * Queues the changes before anything is sent: a change to a task already waiting unsent is folded
   * into that change; the rest go in new batches of BATCH_SIZE, each with its key. Returns the new batches.
   */
  enqueue(trackerId: string, changes: readonly SyncChange[]): QueuedBatch[] {
    const batches = this.list();
    const waiting: Record<string, SyncChange> = {};
    for (const batch of batches) {
      if (batch.trackerId !== trackerId || batch.sent) continue;
      for (const change of batch.changes) waiting[changeKey(change)] = change;
    }
    const fresh: SyncChange[] = [];
    for (const change of changes) {
      const known = waiting[changeKey(change)];
      if (known) known.fields = { ...known.fields, ...change.fields };
      else {
        const copy: SyncChange = { ...change, fields: { ...change.fields } };
        waiting[changeKey(copy)] = copy;
        fresh.push(copy);
      }
    }
    const added: QueuedBatch[] = [];
    for (let i = 0; i < fresh.length; i += BATCH_SIZE) {
      added.push({ key: this.newKey(), trackerId, changes: fresh.slice(i, i + BATCH_SIZE), queuedAt: this.now().toISOString() });
    }
    this.save(batches.concat(added));
    return added;
  }

  /** Marks the batch as sent, for good, before its first attempt. */
  private markSent(key: string): void {
    const batches = this.list();
    batches.forEach((b) => {
      if (b.key === key) b.sent = true;
    });
    this.save(batches);
  }

  /**
   * After an answer: a waiting change of a task the batch applied alone (the new version is the
   * base it sent plus one, so nobody else wrote in between) is based on that version from now on.
   */
  private rebase(sent: QueuedBatch, answer: SyncResponse): void {
    const bases: Record<string, number> = {};
    for (const change of sent.changes) bases[change.taskId] = change.baseVersion;
    const moved: Record<string, number> = {};
    for (const a of answer.applied) if (bases[a.taskId] !== undefined && a.version === bases[a.taskId] + 1) moved[a.taskId] = a.version;
    const batches = this.list();
    for (const batch of batches) {
      if (batch.trackerId !== sent.trackerId || batch.key === sent.key) continue;
      for (const change of batch.changes) {
        const version = moved[change.taskId];
        if (version !== undefined && change.baseVersion === bases[change.taskId]) change.baseVersion = version;
      }
    }
    this.save(batches);
  }

  /**
   * Sends the waiting batches of one tracker in order, each removed once the
   * service answered it. Stops at the first unreachable-service, auth or rate
   * limit error, keeping that batch and the rest for later.
   */
  async flush(
    client: Pick<ServiceClient, 'sync'>,
    trackerId: string,
    options: { since?: () => string | null; onProgress?: (sent: number, total: number) => void } = {},
  ): Promise<FlushResult> {
    const result: FlushResult = { answers: [], refused: [], remaining: 0, stoppedBy: null };
    const mine = this.list().filter((b) => b.trackerId === trackerId);
    const total = mine.reduce((n, b) => n + b.changes.length, 0);
    let sent = 0;
    options.onProgress?.(0, total);
    for (const listed of mine) {
      // Read again: the answer to the previous batch may have moved this one's versions up.
      const batch = this.list().filter((b) => b.key === listed.key)[0] ?? listed;
      if (!batch.sent) this.markSent(batch.key);
      try {
        const answer = await client.sync(trackerId, { since: options.since?.() ?? null, changes: batch.changes }, batch.key);
        result.answers.push({ batch, answer });
        this.rebase(batch, answer);
      } catch (e) {
        const retryLater = isOffline(e) || (isServiceError(e) && [401, 403, 429].indexOf(e.status) >= 0) || !isServiceError(e);
        if (retryLater) {
          result.stoppedBy = isOffline(e) || isServiceError(e) ? e : new OfflineError(e);
          break;
        }
        result.refused.push({ batch, error: e as ServiceError });
      }
      // Removed one at a time: a crash between batches never resends an answered one under a new key.
      this.save(this.list().filter((b) => b.key !== batch.key));
      sent += batch.changes.length;
      options.onProgress?.(sent, total);
    }
    result.remaining = this.list().filter((b) => b.trackerId === trackerId).length;
    return result;
  }
}
