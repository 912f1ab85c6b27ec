/**
 * Group commit's WAL flush off the store's thread (wal-sync.ts): a flush requested while one runs
 * waits for the next one, and on SQLite a sync is answered only once the WAL holding its commit has
 * been flushed — while the store goes on with other work meanwhile.
 */
import { existsSync } from 'node:fs';
import { openStore } from '../../server/store/kysely-store';
import type { Caller, Store } from '../../server/store/store';
import { WalSync } from '../../server/store/wal-sync';
import { freshStoreUrl, stopTestDatabases } from './pg-cluster';
import { task } from './task-fixture';

afterAll(stopTestDatabases);

/** A flush the test lets finish (or fail) when it chooses; records which file each was for. */
function heldFlushes() {
  const pending: { file: string; done(error?: Error): void }[] = [];
  const flush = (file: string) =>
    new Promise<void>((resolve, reject) => {
      pending.push({ file, done: (error) => (error ? reject(error) : resolve()) });
    });
  return { flush, pending };
}

/** Settles the microtasks and I/O callbacks queued so far, so a promise that could settle has. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Whether a promise has settled yet, without waiting for it. */
function watch<T>(promise: Promise<T>): { settled: () => boolean } {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  return { settled: () => settled };
}

describe('WalSync', () => {
  it('starts one flush at a time; a flush asked for meanwhile waits for the next, shared by all who ask', async () => {
    const { flush, pending } = heldFlushes();
    const wal = new WalSync('/data/store.db-wal', flush);
    const first = watch(wal.flush());
    await settle();
    expect(pending).toHaveLength(1);

    // Committed after the running flush began: it may not cover them.
    const second = wal.flush();
    const third = wal.flush();
    const later = watch(second);
    await settle();
    expect(pending).toHaveLength(1);

    pending[0].done();
    await settle();
    expect(first.settled()).toBe(true);
    expect(later.settled()).toBe(false);
    expect(pending).toHaveLength(2);

    pending[1].done();
    await expect(second).resolves.toBeUndefined();
    await expect(third).resolves.toBeUndefined();
    expect(pending.map((p) => p.file)).toEqual(['/data/store.db-wal', '/data/store.db-wal']);

    // Idle again: the next request starts a flush at once.
    void wal.flush();
    await settle();
    expect(pending).toHaveLength(3);
    pending[2].done();
  });

  it('fails the callers of a flush that fails, and the next flush runs afresh', async () => {
    const { flush, pending } = heldFlushes();
    const wal = new WalSync('/data/store.db-wal', flush);
    const failed = wal.flush();
    await settle();
    pending[0].done(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await expect(failed).rejects.toMatchObject({ code: 'EIO' });
    const next = wal.flush();
    await settle();
    pending[1].done();
    await expect(next).resolves.toBeUndefined();
  });

  it('flushes a real file', async () => {
    const file = await freshStoreUrl('sqlite');
    const store = await openStore(file);
    try {
      expect(existsSync(`${file}-wal`)).toBe(true);
      await expect(new WalSync(`${file}-wal`).flush()).resolves.toBeUndefined();
    } finally {
      await store.close();
    }
  });
});

describe('a sync on SQLite', () => {
  let store: Store;
  let caller: Caller;
  let file: string;
  const held = heldFlushes();

  beforeAll(async () => {
    file = await freshStoreUrl('sqlite');
    store = await openStore(file, { flushWal: held.flush });
    const agency = { name: 'Sở Khoa học và Công nghệ', registryId: 'so-khoa-hoc-cong-nghe', kind: 'department' } as const;
    await store.createAgency(agency, 'hash-khcn');
    caller = (await store.findCaller('hash-khcn'))!;
  });
  afterAll(() => store.close());

  it('is answered only once the WAL holding its commit is flushed; the store goes on meanwhile', async () => {
    await store.ensureAdminToken('hash-admin');
    const admin = (await store.findCaller('hash-admin'))!;
    const trackerId = (await store.createTracker({ title: 'Phụ lục', tasks: [task('t1', [caller.name]), task('t2', [caller.name])] }, admin)).id;
    // Writes other than syncs commit with synchronous=FULL: they never wait for this flush.
    expect(held.pending).toHaveLength(0);

    const answer = store.sync(trackerId, caller, { changes: [{ taskId: 't1', baseVersion: 0, fields: { note: 'đã gửi' } }] }, { idempotencyKey: 'k-1' });
    const answered = watch(answer);
    for (let i = 0; i < 5 && held.pending.length === 0; i++) await settle();
    expect(held.pending.map((p) => p.file)).toEqual([`${file}-wal`]);
    expect(answered.settled()).toBe(false);
    // Committed, and the store answers other calls while the flush runs.
    expect((await store.changesSince(trackerId, null)).changes.map((c) => c.newValue)).toEqual(['đã gửi']);
    expect(answered.settled()).toBe(false);

    held.pending[0].done();
    expect((await answer).applied).toEqual([{ taskId: 't1', version: 1 }]);
  });

  it('fails when its flush fails, and the same request sent again gets the first answer', async () => {
    const trackerId = (await store.listTrackers())[0].id;
    const request = { changes: [{ taskId: 't2', baseVersion: 0, fields: { note: 'lần đầu' } }] };
    const answer = store.sync(trackerId, caller, request, { idempotencyKey: 'k-2' });
    for (let i = 0; i < 5 && held.pending.length < 2; i++) await settle();
    held.pending[1].done(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await expect(answer).rejects.toMatchObject({ code: 'EIO' });

    const again = store.sync(trackerId, caller, request, { idempotencyKey: 'k-2' });
    for (let i = 0; i < 5 && held.pending.length < 3; i++) await settle();
    held.pending[2].done();
    expect((await again).applied).toEqual([{ taskId: 't2', version: 1 }]);
    expect((await store.taskHistory(trackerId, 't2')).map((c) => c.newValue)).toEqual(['lần đầu']);
  });
});
