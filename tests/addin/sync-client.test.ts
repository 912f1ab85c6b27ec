/**
 * The add-in's sync client and local sync state against a real service
 * (createApp on a loopback port over a real SQLite store): publish, pull,
 * send only the edited fields, the offline queue with one Idempotency-Key
 * per batch (a retried batch is not applied twice), conflicts kept out of the
 * next send until the user chooses, and errors in both languages.
 */
import type { Progress, Task } from '../../shared/schemas';
import { call, createAgency, startServer, task, type TestServer } from '../server/http';
import {
  BATCH_SIZE,
  OfflineQueue,
  createClient,
  isOffline,
  isServiceError,
  randomKey,
  type HttpFetch,
  type KeyValueStore,
  type ServiceClient,
} from '../../addin/src/sync/client';
import {
  applyAnswer,
  diffChanges,
  loadState,
  markQueued,
  resolveLocally,
  saveState,
  sheetUpdates,
  stateFromTracker,
  type SheetProgress,
  type SyncState,
} from '../../addin/src/sync/state';

const KHCN = 'Sở Khoa học và Công nghệ';
const NOI_VU = 'Sở Nội vụ';

class MemoryStorage implements KeyValueStore {
  readonly items = new Map<string, string>();
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.items.set(k, v);
  }
  removeItem(k: string) {
    this.items.delete(k);
  }
}

const blank = (over: Partial<Progress> = {}): Progress => ({ status: 'not_started', result: '', completedOn: null, evidence: '', note: '', ...over });

/** The sheet as the pane reads it: one row per task, starting at sheet row 5. */
function sheetOf(state: SyncState, edits: Record<string, Partial<Progress>> = {}): SheetProgress[] {
  return Object.keys(state.tasks).map((id, i) => ({ row: 5 + i, id, progress: { ...state.tasks[id].progress, ...edits[id] } }));
}

let server: TestServer;
let admin: ServiceClient;
let khcn: { id: string; token: string };

beforeAll(async () => {
  server = await startServer('sqlite');
  admin = createClient({ baseUrl: server.url + '/', token: server.adminToken });
  khcn = await createAgency(server, 'Sở KH&CN');
  await createAgency(server, NOI_VU);
});
afterAll(() => server?.close());

const tasks: Task[] = [task('t1', [KHCN]), task('t2', [KHCN]), task('t3', [NOI_VU]), task('t4', [KHCN, NOI_VU])];

async function publish(): Promise<string> {
  const tracker = await admin.publish({ title: 'Phụ lục II', tasks });
  return tracker.id;
}

describe('ServiceClient', () => {
  it('publishes a tracker that keeps the task ids, and reads it back', async () => {
    const created = await admin.publish({ title: 'Phụ lục II', tasks });
    expect(created.tasks.map((t) => t.id)).toEqual(['t1', 't2', 't3', 't4']);
    expect((await admin.getTracker(created.id)).title).toBe('Phụ lục II');
    expect((await admin.listTrackers()).map((t) => t.id)).toContain(created.id);
    expect(await admin.me()).toMatchObject({ role: 'admin' });
    const agency = createClient({ baseUrl: server.url, token: khcn.token });
    expect(await agency.me()).toEqual({ role: 'agency', agencyId: khcn.id, name: KHCN });
  });

  it('turns error answers into ServiceError with both languages, and a dead address into OfflineError', async () => {
    const wrong = createClient({ baseUrl: server.url, token: 'x'.repeat(43) });
    const e401 = await wrong.me().catch((e) => e);
    expect(isServiceError(e401)).toBe(true);
    expect(e401).toMatchObject({ status: 401, code: 'auth.required' });
    expect(e401.message).toMatch(/mã truy cập/);
    expect(e401.messageEn).toMatch(/token/);
    const missing = await admin.getTracker('tr_nope').catch((e) => e);
    expect(missing).toMatchObject({ status: 404, code: 'tracker.not_found' });
    const agency = createClient({ baseUrl: server.url, token: khcn.token });
    expect(await agency.publish({ title: 'x', tasks }).catch((e) => e.status)).toBe(403);

    const dead = createClient({ baseUrl: 'http://127.0.0.1:9', token: khcn.token });
    const offline = await dead.me().catch((e) => e);
    expect(isOffline(offline)).toBe(true);
    expect(isServiceError(offline)).toBe(false);
  });

  it('downloads export.xlsx as a workbook', async () => {
    const id = await publish();
    const blob = await admin.exportWorkbook(id, 'vi');
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect(String.fromCharCode(bytes[0], bytes[1])).toBe('PK');
  });
});

describe('sync state and offline queue', () => {
  let trackerId: string;
  let agency: ServiceClient;
  let storage: MemoryStorage;
  let queue: OfflineQueue;
  let state: SyncState;

  beforeEach(async () => {
    trackerId = await publish();
    agency = createClient({ baseUrl: server.url, token: khcn.token });
    storage = new MemoryStorage();
    queue = new OfflineQueue(storage);
    state = stateFromTracker(await agency.getTracker(trackerId), khcn.id);
  });

  async function flush() {
    const result = await queue.flush(agency, trackerId, { since: () => state.cursor });
    for (const { answer } of result.answers) applyAnswer(state, answer);
    return result;
  }

  it('sends only the edited fields with the version last seen, and moves the shadow forward', async () => {
    expect(diffChanges(state, sheetOf(state))).toEqual([]);
    const changes = diffChanges(state, sheetOf(state, { t1: { status: 'in_progress', result: 'Đã họp' } }));
    expect(changes).toEqual([{ taskId: 't1', baseVersion: 0, fields: { status: 'in_progress', result: 'Đã họp' } }]);
    queue.enqueue(trackerId, changes);
    markQueued(state, changes);
    expect(diffChanges(state, sheetOf(state))).toEqual([]);
    const result = await flush();
    expect(result).toMatchObject({ remaining: 0, stoppedBy: null, refused: [] });
    expect(result.answers[0].answer.applied).toEqual([{ taskId: 't1', version: 1 }]);
    expect(state.tasks.t1).toEqual({ version: 1, progress: blank({ status: 'in_progress', result: 'Đã họp' }) });
    const stored = (await admin.getTracker(trackerId)).tasks.find((t) => t.id === 't1')!.reports[0];
    expect(stored).toMatchObject({ agencyId: khcn.id, status: 'in_progress', result: 'Đã họp', version: 1 });
    // The state survives a reload of the pane.
    saveState(storage, state);
    expect(loadState(storage, trackerId)).toEqual(state);
  });

  it('queues while the service is unreachable, says how much waits, and sends it later', async () => {
    const down = createClient({ baseUrl: 'http://127.0.0.1:9', token: khcn.token });
    const changes = diffChanges(state, sheetOf(state, { t2: { note: 'Chờ kinh phí' } }));
    queue.enqueue(trackerId, changes);
    markQueued(state, changes);
    const first = await queue.flush(down, trackerId);
    expect(isOffline(first.stoppedBy)).toBe(true);
    expect(first.remaining).toBe(1);
    expect(queue.pending(trackerId)).toBe(1);
    // A new queue over the same storage (pane reopened) still holds it.
    queue = new OfflineQueue(storage);
    const progress: [number, number][] = [];
    const second = await queue.flush(agency, trackerId, { since: () => state.cursor, onProgress: (s, t) => progress.push([s, t]) });
    expect(second.remaining).toBe(0);
    expect(progress).toEqual([
      [0, 1],
      [1, 1],
    ]);
    expect(queue.pending()).toBe(0);
    expect(storage.items.size).toBe(0);
  });

  it('never applies a batch twice when its answer was lost and it is sent again with the same key', async () => {
    // The first attempt reaches the service, then the connection drops before the answer.
    let drop = true;
    const real: HttpFetch = (url, init) => fetch(url, init);
    const flaky: HttpFetch = async (url, init) => {
      const res = await real(url, init);
      if (drop && url.endsWith('/sync')) {
        drop = false;
        throw new TypeError('connection reset');
      }
      return res;
    };
    const client = createClient({ baseUrl: server.url, token: khcn.token, fetch: flaky });
    const changes = diffChanges(state, sheetOf(state, { t4: { status: 'done', completedOn: '2026-05-01' } }));
    const [batch] = queue.enqueue(trackerId, changes);
    expect((await queue.flush(client, trackerId)).remaining).toBe(1);
    expect(queue.list()[0].key).toBe(batch.key);
    const retry = await queue.flush(client, trackerId, { since: () => state.cursor });
    expect(retry.answers[0].answer.applied).toEqual([{ taskId: 't4', version: 1 }]);
    const history = await call(server, server.adminToken, 'GET', `/api/trackers/${trackerId}/changes`);
    expect(history.body.changes.filter((c: { taskId: string }) => c.taskId === 't4')).toHaveLength(2); // status + completedOn, once
    const report = (await admin.getTracker(trackerId)).tasks.find((t) => t.id === 't4')!.reports.find((r) => r.agencyId === khcn.id);
    expect(report).toMatchObject({ version: 1, status: 'done', completedOn: '2026-05-01' });
  });

  it('splits a large send into batches of its own keys, reporting progress per batch', async () => {
    const many = Array.from({ length: BATCH_SIZE * 2 + 5 }, (_, i) => ({ taskId: `x${i}`, baseVersion: 0, fields: { note: `n${i}` } }));
    const batches = queue.enqueue(trackerId, many);
    expect(batches.map((b) => b.changes.length)).toEqual([BATCH_SIZE, BATCH_SIZE, 5]);
    expect(new Set(batches.map((b) => b.key)).size).toBe(3);
    const steps: number[] = [];
    const result = await queue.flush(agency, trackerId, { onProgress: (sent) => steps.push(sent) });
    expect(steps).toEqual([0, BATCH_SIZE, BATCH_SIZE * 2, BATCH_SIZE * 2 + 5]);
    expect(result.answers).toHaveLength(3);
  });

  it('folds a person’s edits of one task into one change while offline, so editing one’s own edit never conflicts', async () => {
    const down = createClient({ baseUrl: 'http://127.0.0.1:9', token: khcn.token });
    for (const edit of [{ result: 'Bản nháp' }, { result: 'Bản nháp 2', note: 'Chờ ký' }, { status: 'in_progress' as const }]) {
      const changes = diffChanges(state, sheetOf(state, { t1: { ...state.tasks.t1.progress, ...edit } }));
      queue.enqueue(trackerId, changes);
      markQueued(state, changes);
    }
    expect(queue.list()).toHaveLength(1);
    expect(queue.list()[0].changes).toEqual([{ taskId: 't1', baseVersion: 0, fields: { result: 'Bản nháp 2', note: 'Chờ ký', status: 'in_progress' } }]);
    // A batch that was tried is never altered (its key names its content): the next edit goes in a batch of its own.
    await queue.flush(down, trackerId);
    const later = diffChanges(state, sheetOf(state, { t1: { ...state.tasks.t1.progress, result: 'Bản cuối' } }));
    queue.enqueue(trackerId, later);
    markQueued(state, later);
    expect(queue.list().map((b) => [b.sent, b.changes[0].baseVersion])).toEqual([
      [true, 0],
      [undefined, 0],
    ]);
    // Sent in order: the first applies as version 1, the second moves up to it and applies too.
    const result = await flush();
    expect(result.answers.map((a) => [a.answer.applied, a.answer.conflicts])).toEqual([
      [[{ taskId: 't1', version: 1 }], []],
      [[{ taskId: 't1', version: 2 }], []],
    ]);
    const stored = (await admin.getTracker(trackerId)).tasks.find((t) => t.id === 't1')!.reports[0];
    expect(stored).toMatchObject({ status: 'in_progress', result: 'Bản cuối', note: 'Chờ ký', version: 2 });
  });

  it('does not move a waiting change past someone else’s edit: a stale copy still conflicts', async () => {
    const down = createClient({ baseUrl: 'http://127.0.0.1:9', token: khcn.token });
    queue.enqueue(trackerId, [{ taskId: 't2', baseVersion: 0, fields: { note: 'Của tôi' } }]);
    await queue.flush(down, trackerId);
    queue.enqueue(trackerId, [{ taskId: 't2', baseVersion: 0, fields: { result: 'Của tôi' } }]);
    // Another copy of the same agency (same token) writes the result meanwhile.
    await call(server, khcn.token, 'POST', `/api/trackers/${trackerId}/sync`, { changes: [{ taskId: 't2', baseVersion: 0, fields: { result: 'Bàn bên' } }] });
    const result = await flush();
    expect(result.answers[0].answer.applied).toEqual([{ taskId: 't2', version: 2 }]);
    expect(result.answers[1].answer.conflicts).toEqual([expect.objectContaining({ field: 'result', yours: 'Của tôi', theirs: 'Bàn bên' })]);
  });

  it('drops a batch the service refuses for good, keeps the others going, and reports rejections', async () => {
    queue.enqueue(trackerId, [{ taskId: 't1', baseVersion: 0, fields: { completedOn: 'not a day' as unknown as null } }]);
    queue.enqueue(trackerId, [{ taskId: 't3', baseVersion: 0, fields: { note: 'Không phải việc của Sở KH&CN' } }]);
    const result = await flush();
    expect(result.refused).toHaveLength(1);
    expect(result.refused[0].error).toMatchObject({ status: 400 });
    expect(result.answers[0].answer.rejected[0]).toMatchObject({ taskId: 't3' });
    expect(result.remaining).toBe(0);
  });

  it('keeps a conflicting field out of the next send until the user chooses, then either side wins', async () => {
    // DoST edits the agency's report on t1 and t2 after the agency pulled.
    const dost = await call(server, server.adminToken, 'POST', `/api/trackers/${trackerId}/sync`, {
      changes: [
        { taskId: 't1', baseVersion: 0, agencyId: khcn.id, fields: { result: 'Theo Sở KH&CN: xong 50%', note: 'DoST' } },
        { taskId: 't2', baseVersion: 0, agencyId: khcn.id, fields: { result: 'Bản của DoST' } },
      ],
    });
    expect(dost.status).toBe(200);
    const changes = diffChanges(state, sheetOf(state, { t1: { result: 'Xong 80%' }, t2: { result: 'Bản của tôi' } }));
    queue.enqueue(trackerId, changes);
    markQueued(state, changes);
    const [{ answer }] = (await flush()).answers;
    expect(answer.conflicts.map((c) => [c.taskId, c.field, c.yours, c.theirs])).toEqual([
      ['t1', 'result', 'Xong 80%', 'Theo Sở KH&CN: xong 50%'],
      ['t2', 'result', 'Bản của tôi', 'Bản của DoST'],
    ]);
    expect(state.conflicts).toHaveLength(2);
    // The sheet keeps the user's text in conflict, and takes DoST's untouched note.
    const sheet = sheetOf(state).map((r) => ({ ...r, progress: blank({ result: { t1: 'Xong 80%', t2: 'Bản của tôi' }[r.id] ?? '' }) }));
    const updates = sheetUpdates(state, sheet);
    expect(updates).toEqual([{ row: 5, progress: blank({ result: 'Xong 80%', note: 'DoST' }) }]);
    const written = sheet.map((r) => updates.find((u) => u.row === r.row) ?? r);
    expect(diffChanges(state, written.map((w, i) => ({ ...sheet[i], progress: w.progress })))).toEqual([]);

    const mine = resolveLocally(state, state.conflicts[0].id, 'mine')!;
    expect(mine).toEqual({ taskId: 't1', baseVersion: 1, fields: { result: 'Xong 80%' } });
    expect(resolveLocally(state, state.conflicts[0].id, 'theirs')).toBeNull();
    expect(state.conflicts).toEqual([]);
    queue.enqueue(trackerId, [mine]);
    markQueued(state, [mine]);
    const settled = await flush();
    expect(settled.answers[0].answer).toMatchObject({ conflicts: [], rejected: [] });
    const after = await admin.getTracker(trackerId);
    expect(after.tasks.find((t) => t.id === 't1')!.reports[0].result).toBe('Xong 80%');
    expect(after.tasks.find((t) => t.id === 't2')!.reports[0].result).toBe('Bản của DoST');
    // Keeping the server's copy leaves the sheet to be rewritten with it.
    const final = sheetOf(state, { t2: { result: 'Bản của tôi' } });
    expect(sheetUpdates(state, final)).toEqual([{ row: 6, progress: blank({ result: 'Bản của DoST' }) }]);
  });

  it('lets the administrator resolve an agency conflict on the service', async () => {
    await call(server, server.adminToken, 'POST', `/api/trackers/${trackerId}/sync`, {
      changes: [{ taskId: 't2', baseVersion: 0, agencyId: khcn.id, fields: { note: 'DoST' } }],
    });
    queue.enqueue(trackerId, [{ taskId: 't2', baseVersion: 0, fields: { note: 'Sở' } }]);
    await flush();
    const open = await admin.openConflicts(trackerId);
    expect(open.map((c) => [c.field, c.yours, c.theirs])).toEqual([['note', 'Sở', 'DoST']]);
    const resolved = await admin.resolveConflict(trackerId, open[0].id, 'yours');
    expect(resolved.resolution).toBe('yours');
    expect(await admin.openConflicts(trackerId)).toEqual([]);
  });
});

describe('randomKey', () => {
  it('gives distinct keys the service accepts as Idempotency-Key', () => {
    const keys = new Set(Array.from({ length: 100 }, randomKey));
    expect(keys.size).toBe(100);
    for (const k of keys) expect(k).toMatch(/^[\x21-\x7e]{1,200}$/);
  });
});
