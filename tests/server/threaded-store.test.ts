import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../../server/store/database';
import { QueryShapes } from '../../server/store/query-shapes';
import { NotFoundError } from '../../server/store/store';
import { openThreadedStore, rebuildError, serializeError } from '../../server/store/threaded-store';
import { InputError } from '../../shared/errors';
import { DATABASE_KINDS, freshStoreUrl, stopTestDatabases } from './pg-cluster';
import { task } from './task-fixture';

afterAll(stopTestDatabases);

describe.each(DATABASE_KINDS)('the store in a thread of its own, on %s', (kind) => {
  it('answers every call as the store does, its errors rebuilt as the same classes with their fields', async () => {
    const store = await openThreadedStore(await freshStoreUrl(kind));
    try {
      expect(await store.ensureAdminToken('admin-hash')).toBe(true);
      const admin = await store.findCaller('admin-hash');
      expect(admin).toMatchObject({ role: 'admin' });
      const { agency } = await store.createAgency({ name: 'Sở Nội vụ', registryId: 'so-noi-vu', kind: 'department' }, 'agency-hash');
      const caller = (await store.findCaller('agency-hash'))!;
      const tracker = await store.createTracker({ title: 'KH 1', documentNumber: null, documentDate: null, tasks: [task('t1', ['Sở Nội vụ'])] }, admin!);
      const answer = await store.sync(tracker.id, caller, { changes: [{ taskId: 't1', baseVersion: 0, fields: { status: 'done', completedOn: '2026-11-30' } }] });
      expect(answer.applied).toEqual([{ taskId: 't1', version: 1 }]);
      expect((await store.getTracker(tracker.id))?.tasks[0].reports).toEqual([expect.objectContaining({ agencyId: agency.id, status: 'done' })]);

      const refused = await store.sync(tracker.id, caller, { changes: [{ taskId: 't1', baseVersion: 7, fields: { note: 'x' } }] }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(InputError);
      expect(refused).toMatchObject({ code: 'sync.base_version', where: { row: 1, field: 'changes.0.baseVersion' } });
      expect((refused as InputError).messageEn).toContain('only at version 1');
      expect((refused as InputError).bilingual()).toContain(' / ');

      // As HTTP carries it: JSON text in and out, parsed and checked in the thread.
      const text = await store.syncJson(tracker.id, caller, JSON.stringify({ since: answer.cursor, changes: [{ taskId: 't1', baseVersion: 1, fields: { note: 'qua JSON' } }] }));
      expect(JSON.parse(text)).toEqual({ applied: [{ taskId: 't1', version: 2 }], conflicts: [], rejected: [], changes: [], cursor: expect.any(String) });
      await expect(store.syncJson(tracker.id, caller, '{"changes": [')).rejects.toMatchObject({ code: 'request.malformed', messageEn: 'The JSON body is malformed' });
      await expect(store.syncJson(tracker.id, caller, '{"changes": "all"}')).rejects.toMatchObject({ code: 'request.invalid', where: { field: 'changes' } });

      expect(await store.getTracker('trk_none')).toBeNull();
      const notFound = await store.changesSince('trk_none', null).catch((e: unknown) => e);
      expect(notFound).toBeInstanceOf(NotFoundError);
      expect(notFound).toMatchObject({ what: 'tracker', id: 'trk_none' });
    } finally {
      await store.close();
    }
    // Closed: the thread is gone, and a call says so rather than waiting for ever.
    await expect(store.ping()).rejects.toMatchObject({ code: 'STORE_THREAD_GONE' });
  });
});

describe('a store thread that ends under the service', () => {
  it('fails the call under way with 503’s code, is started again at the next call, and keeps what was committed', async () => {
    const restarts: Error[] = [];
    // A heap of 128 MiB: a call that needs far more ends the thread, as a bug or a runaway read would.
    const store = await openThreadedStore(await freshStoreUrl('sqlite'), { memoryMb: 128 }, (why) => restarts.push(why));
    try {
      await store.ensureAdminToken('admin-hash');
      const admin = (await store.findCaller('admin-hash'))!;
      const kept = await store.createTracker({ title: 'Giữ lại', documentNumber: null, documentDate: null, tasks: [task('t1', ['Sở Nội vụ'])] }, admin);

      const huge = Array.from({ length: 200_000 }, (_, i) => task(`t${i}`, ['Sở Nội vụ'], { task: `Nhiệm vụ ${i} `.repeat(100) }));
      const failed = await store.createTracker({ title: 'Quá lớn', documentNumber: null, documentDate: null, tasks: huge }, admin).catch((e: unknown) => e);
      expect(failed).toMatchObject({ code: 'STORE_THREAD_GONE' });
      expect(restarts).toHaveLength(0);

      // The next call starts a new thread, which has the tracker committed before.
      expect((await store.listTrackers()).map((t) => t.title)).toEqual(['Giữ lại']);
      expect(restarts).toHaveLength(1);
      expect(restarts[0].message).toMatch(/store's thread has ended/);
      expect((await store.getTracker(kept.id))?.tasks).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});

describe('the store thread on a file that is not a database', () => {
  it('refuses to open, with SQLite’s code as the cause', async () => {
    const file = path.join(path.dirname(await freshStoreUrl('sqlite')), 'not-a-db.sqlite');
    writeFileSync(file, 'đây không phải cơ sở dữ liệu '.repeat(200));
    // The migrator's error, with the driver's as its cause (what the start-up message names).
    await expect(openThreadedStore(file)).rejects.toMatchObject({ message: expect.stringContaining('not a database'), cause: { code: 'SQLITE_NOTADB' } });
  });
});

describe('errors across the thread', () => {
  it('keep their class, message, fields and cause', () => {
    const input = new InputError('Sai', 'Wrong', 'x.code', { row: 3, field: 'note' });
    const back = rebuildError(serializeError(input));
    expect(back).toBeInstanceOf(InputError);
    expect(back).toMatchObject({ message: 'Sai', messageEn: 'Wrong', code: 'x.code', where: { row: 3, field: 'note' }, name: 'InputError' });
    const db = Object.assign(new Error('database disk image is malformed', { cause: Object.assign(new Error('inner'), { code: 'SQLITE_CORRUPT' }) }), {
      code: 'SQLITE_CORRUPT',
      name: 'SqliteError',
    });
    const rebuilt = rebuildError(serializeError(db)) as Error & { code: string; cause: { code: string } };
    expect(rebuilt).toBeInstanceOf(Error);
    expect([rebuilt.name, rebuilt.code, rebuilt.cause.code]).toEqual(['SqliteError', 'SQLITE_CORRUPT', 'SQLITE_CORRUPT']);
    expect(rebuildError(serializeError('plain text'))).toMatchObject({ message: 'plain text' });
  });
});

describe('statements compiled once per shape', () => {
  it('run again with new parameters give what Kysely would, and a wrong parameter order is refused', async () => {
    const { db } = openDatabase(await freshStoreUrl('sqlite'));
    try {
      await sql`create table submissions (id text primary key, tracker_id text, agency_id text, kind text, file_name text, at text)`.execute(db);
      const shapes = new QueryShapes();
      const row = (id: string, fileName: string | null) => ({ id, tracker_id: 't', agency_id: 'a', kind: 'sync', file_name: fileName, at: '2026-12-01' });
      const insert = (rows: ReturnType<typeof row>[]) => shapes.insert(db, 'submissions', rows, (values) => db.insertInto('submissions').values(values));
      await insert([row('s1', null), row('s2', 'a.xlsx')]);
      // Same shape, compiled SQL reused; keys in another order are taken by name.
      await insert([row('s3', 'b.xlsx'), { at: '2026-12-02', file_name: null, kind: 'workbook', agency_id: 'b', tracker_id: 't', id: 's4' }]);
      // A row with a value left undefined is built by Kysely (the column takes its default).
      await insert([{ ...row('s5', null), file_name: undefined as unknown as null }]);
      const find = (ids: string[]) =>
        shapes.execute(db, `find|${ids.length}`, ['t', ...ids], () => db.selectFrom('submissions').select(['id', 'agency_id', 'kind', 'file_name']).where('tracker_id', '=', 't').where('id', 'in', ids).orderBy('id'));
      expect(await find(['s1', 's2'])).toEqual([
        { id: 's1', agency_id: 'a', kind: 'sync', file_name: null },
        { id: 's2', agency_id: 'a', kind: 'sync', file_name: 'a.xlsx' },
      ]);
      expect(await find(['s4', 's5'])).toEqual([
        { id: 's4', agency_id: 'b', kind: 'workbook', file_name: null },
        { id: 's5', agency_id: 'a', kind: 'sync', file_name: null },
      ]);
      await expect(
        shapes.execute(db, 'swapped', ['s1', 't'], () => db.selectFrom('submissions').select('id').where('tracker_id', '=', 't').where('id', '=', 's1')),
      ).rejects.toThrow(/not in the compiled query's order/);
    } finally {
      await db.destroy();
    }
  });
});
