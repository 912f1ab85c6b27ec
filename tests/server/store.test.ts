import { openStore } from '../../server/store/kysely-store';
import { type Caller, NotFoundError, type Store } from '../../server/store/store';
import { InputError } from '../../shared/errors';
import { addDays, todayIso } from '../../shared/dates';
import type { ChangeRecord, SyncChange, Task } from '../../shared/schemas';
import { DATABASE_KINDS, freshStoreUrl, stopTestDatabases } from './pg-cluster';
import { task as baseTask } from './task-fixture';

afterAll(stopTestDatabases);

/** Tasks here have a supporting agency and a month as their deadline. */
const task = (id: string, lead: string[], over: Partial<Task> = {}): Task =>
  baseTask(id, lead, {
    support: ['Sở Tài chính'],
    deadline: { raw: 'Tháng 6/2026', kind: 'period', due: '2026-06-30', start: '2026-06-01', period: 'month' },
    ...over,
  });

const KHCN = { name: 'Sở Khoa học và Công nghệ', registryId: 'so-khoa-hoc-cong-nghe', kind: 'department' } as const;
const NOI_VU = { name: 'Sở Nội vụ', registryId: 'so-noi-vu', kind: 'department' } as const;
const BAT_XAT = { name: 'UBND xã Bát Xát', registryId: 'ubnd-xa-bat-xat', kind: 'commune' } as const;

const TASKS: Task[] = [
  task('t1', [KHCN.name]),
  task('t2', [NOI_VU.name]),
  task('t3', [KHCN.name, NOI_VU.name]),
  task('t4', ['Các sở, ban, ngành, địa phương']),
  task('t5', ['UBND các xã, phường']),
];

describe.each(DATABASE_KINDS)('KyselyStore on %s', (kind) => {
  let url: string;
  let store: Store;
  let admin: Caller;
  let tokenCount = 0;

  /** A new token for the agency (created on first use) and the caller it resolves to. */
  async function agencyCaller(agency: { name: string; registryId: string | null; kind: 'department' | 'commune' | 'other' }): Promise<Caller> {
    const hash = `hash-${kind}-${++tokenCount}`;
    const made = await store.createAgency(agency, hash);
    if (!made.created) await store.issueToken(made.agency.id, hash);
    const caller = await store.findCaller(hash);
    if (!caller) throw new Error('token not found');
    return caller;
  }

  async function newTracker(tasks: Task[] = TASKS): Promise<string> {
    return (await store.createTracker({ title: 'Phụ lục II', documentNumber: '12/KH-UBND', documentDate: '2026-01-15', tasks }, admin)).id;
  }

  const change = (taskId: string, baseVersion: number, fields: SyncChange['fields'], agencyId?: string): SyncChange => ({
    taskId,
    baseVersion,
    fields,
    ...(agencyId ? { agencyId } : {}),
  });

  async function report(trackerId: string, taskId: string, agencyId: string) {
    const tracker = await store.getTracker(trackerId);
    return tracker?.tasks.find((t) => t.id === taskId)?.reports.find((r) => r.agencyId === agencyId);
  }

  async function allChanges(trackerId: string, limit = 1000): Promise<ChangeRecord[]> {
    const out: ChangeRecord[] = [];
    let cursor: string | null = null;
    for (;;) {
      const page: { changes: ChangeRecord[]; cursor: string } = await store.changesSince(trackerId, cursor, limit);
      if (page.changes.length === 0) return out;
      out.push(...page.changes);
      cursor = page.cursor;
    }
  }

  beforeAll(async () => {
    url = await freshStoreUrl(kind);
    store = await openStore(url);
    expect(await store.ensureAdminToken(`admin-${kind}`)).toBe(true);
    const caller = await store.findCaller(`admin-${kind}`);
    if (!caller) throw new Error('no admin');
    admin = caller;
  });
  afterAll(async () => {
    await store?.close();
  });

  describe('schema and tokens', () => {
    it('migrates again harmlessly, also from a second instance at once', async () => {
      await store.migrate();
      await store.migrate();
      const others = await Promise.all([openStore(url), openStore(url)]);
      await Promise.all(others.map((s) => s.migrate()));
      expect(await Promise.all(others.map((s) => s.ping()))).toEqual([true, true]);
      await Promise.all(others.map((s) => s.close()));
      expect(await store.findCaller(`admin-${kind}`)).toMatchObject({ role: 'admin' });
    });

    it('creates the admin token once and finds callers by hash', async () => {
      expect(await store.ensureAdminToken('another-admin-hash')).toBe(false);
      expect(await store.findCaller('another-admin-hash')).toBeNull();
      expect(admin).toEqual({ role: 'admin', tokenId: expect.any(String), agencyId: null, name: expect.any(String) });
      expect(await store.findCaller('no-such-hash')).toBeNull();
    });

    it('dedups agencies by registry id (or name); only the first call makes a token', async () => {
      const a = (await store.createAgency(KHCN, 'dedup-1')).agency;
      const again = await store.createAgency({ ...KHCN, name: 'Sở KH&CN' }, 'dedup-2');
      const b = again.agency;
      expect(again.created).toBe(false);
      expect(b.id).toBe(a.id);
      expect(b).toEqual({ id: a.id, name: KHCN.name, registryId: KHCN.registryId, kind: 'department', createdAt: expect.any(String) });
      expect(await store.findCaller('dedup-1')).toMatchObject({ role: 'agency', agencyId: a.id, name: KHCN.name });
      expect(await store.findCaller('dedup-2')).toBeNull();

      const x = (await store.createAgency({ name: 'Trung tâm Dữ liệu', registryId: null, kind: 'other' }, 'dedup-3')).agency;
      const y = (await store.createAgency({ name: 'trung tam du lieu.', registryId: null, kind: 'other' }, 'dedup-4')).agency;
      expect(y.id).toBe(x.id);
      const twice = await Promise.all([store.createAgency(NOI_VU, 'dedup-5'), store.createAgency(NOI_VU, 'dedup-6')]);
      expect(twice[0].agency.id).toBe(twice[1].agency.id);
      expect(twice.filter((t) => t.created)).toHaveLength(1);
      const all = await store.listAgencies();
      expect(all.filter((g) => g.registryId === KHCN.registryId)).toHaveLength(1);
      expect(all.filter((g) => g.registryId === NOI_VU.registryId)).toHaveLength(1);
      expect(await store.getAgency(a.id)).toEqual(b);
      expect(await store.getAgency('nope')).toBeNull();
    });
  });

  describe('trackers', () => {
    it('stores tasks in order with their ids and returns them with reports and overall status', async () => {
      const created = await store.createTracker({ title: 'Phụ lục II', documentNumber: '12/KH-UBND', documentDate: '2026-01-15', tasks: TASKS }, admin);
      expect(created).toMatchObject({ title: 'Phụ lục II', documentNumber: '12/KH-UBND', documentDate: '2026-01-15', taskCount: 5, cursor: '0' });
      expect(created.tasks.map((t) => [t.id, t.position])).toEqual([
        ['t1', 1],
        ['t2', 2],
        ['t3', 3],
        ['t4', 4],
        ['t5', 5],
      ]);
      const fetched = await store.getTracker(created.id);
      expect(fetched).toEqual(created);
      const { position, reports, overall, ...catalogue } = fetched!.tasks[0];
      expect(position).toBe(1);
      expect(catalogue).toEqual(TASKS[0]);
      expect(reports).toEqual([]);
      expect(overall).toEqual({ status: 'not_started', result: '', completedOn: null, evidence: '', note: '' });
      expect((await store.listTrackers()).find((t) => t.id === created.id)).toEqual({
        id: created.id,
        title: 'Phụ lục II',
        documentNumber: '12/KH-UBND',
        documentDate: '2026-01-15',
        taskCount: 5,
        createdAt: created.createdAt,
      });
    });

    it('refuses repeated task ids and answers null for an unknown tracker', async () => {
      await expect(store.createTracker({ title: 'x', tasks: [task('a', []), task('a', [])] }, admin)).rejects.toThrow(InputError);
      expect(await store.getTracker('no-such-tracker')).toBeNull();
    });
  });

  describe('sync', () => {
    it('applies untouched fields, bumps versions and records the history', async () => {
      const trackerId = await newTracker();
      const khcn = await agencyCaller(KHCN);
      const first = await store.sync(trackerId, khcn, { changes: [change('t1', 0, { status: 'in_progress', result: 'Đang soạn' })] });
      expect(first).toMatchObject({ applied: [{ taskId: 't1', version: 1 }], conflicts: [], rejected: [] });
      // The answer's feed never repeats what the request itself did; its cursor moves past it.
      expect(first.changes).toEqual([]);
      const history = await allChanges(trackerId);
      expect(history.map((c) => [c.field, c.oldValue, c.newValue, c.version, c.by])).toEqual([
        ['status', 'not_started', 'in_progress', 1, KHCN.name],
        ['result', '', 'Đang soạn', 1, KHCN.name],
      ]);
      expect(first.cursor).toBe(history[1].cursor);

      const second = await store.sync(trackerId, khcn, { since: first.cursor, changes: [change('t1', 1, { note: 'Chờ số liệu', result: 'Đang soạn' })] });
      expect(second.applied).toEqual([{ taskId: 't1', version: 2 }]);
      expect((await allChanges(trackerId)).slice(2).map((c) => [c.field, c.newValue])).toEqual([['note', 'Chờ số liệu']]);
      expect(await report(trackerId, 't1', khcn.agencyId!)).toEqual({
        agencyId: khcn.agencyId,
        agencyName: KHCN.name,
        status: 'in_progress',
        result: 'Đang soạn',
        completedOn: null,
        evidence: '',
        note: 'Chờ số liệu',
        version: 2,
        updatedAt: expect.any(String),
        updatedBy: KHCN.name,
      });
      expect((await store.getTracker(trackerId))!.cursor).toBe(second.cursor);
    });

    it('turns a concurrent edit by the administrator into a conflict and keeps the stored value', async () => {
      const trackerId = await newTracker();
      const khcn = await agencyCaller(KHCN);
      await store.sync(trackerId, khcn, { changes: [change('t1', 0, { result: 'Theo Sở' })] });
      const before = await allChanges(trackerId);
      const answer = await store.sync(trackerId, admin, { changes: [change('t1', 0, { result: 'Theo DoST', evidence: 'CV 12' }, khcn.agencyId!)] });
      expect(answer.conflicts).toEqual([{ id: expect.any(String), taskId: 't1', agencyId: khcn.agencyId, field: 'result', yours: 'Theo DoST', theirs: 'Theo Sở' }]);
      expect(answer.applied).toEqual([{ taskId: 't1', version: 2 }]);
      expect(await report(trackerId, 't1', khcn.agencyId!)).toMatchObject({ result: 'Theo Sở', evidence: 'CV 12', version: 2 });
      const after = await allChanges(trackerId);
      expect(after.slice(before.length).map((c) => c.field)).toEqual(['evidence']);
      expect(await store.listConflicts(trackerId)).toEqual([
        {
          id: answer.conflicts[0].id,
          taskId: 't1',
          agencyId: khcn.agencyId,
          field: 'result',
          yours: 'Theo DoST',
          theirs: 'Theo Sở',
          baseVersion: 0,
          submittedBy: admin.name,
          createdAt: expect.any(String),
          resolvedAt: null,
          resolution: null,
        },
      ]);
      // Resending the same change does not record the conflict twice.
      const again = await store.sync(trackerId, admin, { changes: [change('t1', 0, { result: 'Theo DoST' }, khcn.agencyId!)] });
      expect(again.conflicts[0].id).toBe(answer.conflicts[0].id);
      expect(await store.listConflicts(trackerId, { open: true })).toHaveLength(1);
    });

    it('lets versions decide, not tokens: a stale copy of the same token conflicts, an edit on the version returned applies', async () => {
      const trackerId = await newTracker();
      const desk1 = await agencyCaller(KHCN);
      const desk2 = await agencyCaller(KHCN);
      await store.sync(trackerId, desk1, { changes: [change('t1', 0, { result: 'Bàn 1' })] });
      const clash = await store.sync(trackerId, desk2, { changes: [change('t1', 0, { result: 'Bàn 2' })] });
      expect(clash.conflicts).toMatchObject([{ field: 'result', yours: 'Bàn 2', theirs: 'Bàn 1' }]);
      expect(clash.applied).toEqual([]);
      // Two people sharing one token, the second on a stale copy: a conflict as well, nothing lost.
      const sameToken = await store.sync(trackerId, desk1, { changes: [change('t1', 0, { result: 'Bản cũ' })] });
      expect(sameToken).toMatchObject({ applied: [], conflicts: [{ field: 'result', yours: 'Bản cũ', theirs: 'Bàn 1' }] });
      // Editing one's own edit from the version it returned applies.
      const reEdit = await store.sync(trackerId, desk1, { changes: [change('t1', 1, { result: 'Bàn 1, sửa' })] });
      expect(reEdit).toMatchObject({ applied: [{ taskId: 't1', version: 2 }], conflicts: [] });
      expect(await report(trackerId, 't1', desk1.agencyId!)).toMatchObject({ result: 'Bàn 1, sửa', version: 2 });
      expect((await store.listConflicts(trackerId)).map((c) => c.yours)).toEqual(['Bàn 2', 'Bản cũ']);
      // Having seen version 2, the second desk's edit merges in.
      const rebased = await store.sync(trackerId, desk2, { changes: [change('t1', 2, { result: 'Bàn 2' })] });
      expect(rebased).toMatchObject({ applied: [{ taskId: 't1', version: 3 }], conflicts: [] });
      // A version the report never had is refused, the whole request with it, naming the change.
      const ahead = store.sync(trackerId, desk1, { changes: [change('t3', 0, { note: 'x' }), change('t1', 9, { note: 'y' })] });
      await expect(ahead).rejects.toMatchObject({ code: 'sync.base_version', where: { field: 'changes.1.baseVersion' } });
      await expect(store.sync(trackerId, desk1, { changes: [change('t1', 4, { note: 'y' })] })).rejects.toMatchObject({
        message: expect.stringContaining('phiên bản 4'),
        messageEn: expect.stringMatching(/version 4.*only at version 3/),
      });
      expect(await report(trackerId, 't1', desk1.agencyId!)).toMatchObject({ note: '', version: 3 });
      expect(await report(trackerId, 't3', desk1.agencyId!)).toBeUndefined();
    });

    it("gives an agency the changes to its own reports since its cursor, the administrator every change", async () => {
      const trackerId = await newTracker();
      const khcn = await agencyCaller(KHCN);
      const khcn2 = await agencyCaller(KHCN);
      const noiVu = await agencyCaller(NOI_VU);
      const start = await store.sync(trackerId, khcn, { changes: [] });
      await store.sync(trackerId, noiVu, { changes: [change('t2', 0, { note: 'Nội vụ' }), change('t3', 0, { note: 'Nội vụ' })] });
      await store.sync(trackerId, khcn2, { changes: [change('t3', 0, { note: 'Bàn 2' })] });
      const mine = await store.sync(trackerId, khcn, { since: start.cursor, changes: [change('t1', 0, { note: 'Bàn 1' })] });
      expect(mine.changes.map((c) => [c.taskId, c.agencyId, c.newValue])).toEqual([['t3', khcn.agencyId, 'Bàn 2']]);
      const all = await allChanges(trackerId);
      expect(mine.cursor).toBe(all[all.length - 1].cursor);
      // Following the cursor, nothing comes again; a number works as well as the string handed out.
      expect((await store.sync(trackerId, khcn, { since: Number(mine.cursor), changes: [] })).changes).toEqual([]);
      const byAdmin = await store.sync(trackerId, admin, { since: start.cursor, changes: [] });
      expect(byAdmin.changes.map((c) => c.newValue)).toEqual(['Nội vụ', 'Nội vụ', 'Bàn 2', 'Bàn 1']);
    });

    it('answers concurrent syncs of one tracker together, each as if alone, and refuses only the faulty one', async () => {
      const trackerId = await newTracker();
      const khcn = await agencyCaller(KHCN);
      const noiVu = await agencyCaller(NOI_VU);
      const rounds = 10;
      const results = await Promise.allSettled(
        Array.from({ length: rounds }, (_, i) =>
          i === 5
            ? store.sync(trackerId, khcn, { changes: [change('t3', 99, { note: 'sai' })] })
            : store.sync(trackerId, i % 2 ? noiVu : khcn, { changes: [change(i % 2 ? 't2' : 't1', 0, { [i < 5 ? 'note' : 'result']: `lần ${i}` })] }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array.from({ length: rounds }, (_, i) => (i === 5 ? 'rejected' : 'fulfilled')));
      expect((results[5] as PromiseRejectedResult).reason).toBeInstanceOf(InputError);
      // Every change applied or conflicted exactly as one after another would have; the counter matches the history.
      const history = await allChanges(trackerId);
      expect(history.map((c) => Number(c.cursor))).toEqual(history.map((_c, i) => i + 1));
      expect((await store.getTracker(trackerId))!.cursor).toBe(String(history.length));
      const t1 = await report(trackerId, 't1', khcn.agencyId!);
      expect(t1).toMatchObject({ note: 'lần 0', result: 'lần 6', version: 2 });
      const conflicts = await store.listConflicts(trackerId);
      expect(conflicts.map((c) => [c.taskId, c.field, c.yours])).toEqual(
        expect.arrayContaining([
          ['t1', 'note', 'lần 2'],
          ['t1', 'note', 'lần 4'],
        ]),
      );
    });

    it('in one group, undoes all of a refused sync and answers a request sent twice once', async () => {
      const trackerId = await newTracker();
      const khcn = await agencyCaller(KHCN);
      const noiVu = await agencyCaller(NOI_VU);
      const twice = { changes: [change('t2', 0, { note: 'một lần' })] };
      // Sent in one turn of the event loop: one group, one transaction.
      const results = await Promise.allSettled([
        // Its first change is valid, its second is based on a version that never was: none of it may land.
        store.sync(trackerId, khcn, { changes: [change('t1', 0, { note: 'bị từ chối' }), change('t3', 99, { note: 'sai' })] }),
        store.sync(trackerId, khcn, { changes: [change('t1', 0, { result: 'được nhận' })] }),
        store.sync(trackerId, noiVu, twice, { idempotencyKey: 'k-1' }),
        store.sync(trackerId, noiVu, twice, { idempotencyKey: 'k-1' }),
        store.sync(trackerId, noiVu, { changes: [change('t2', 0, { note: 'khác' })] }, { idempotencyKey: 'k-1' }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
      expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'sync.base_version', where: { row: 2 } });
      expect((results[4] as PromiseRejectedResult).reason).toMatchObject({ code: 'idempotency.mismatch' });
      const [, kept, first, again] = results as PromiseFulfilledResult<Awaited<ReturnType<Store['sync']>>>[];
      expect(kept.value.applied).toEqual([{ taskId: 't1', version: 1 }]);
      expect(again.value.applied).toEqual(first.value.applied);
      expect(await report(trackerId, 't1', khcn.agencyId!)).toMatchObject({ note: '', result: 'được nhận', version: 1 });
      const history = await allChanges(trackerId);
      expect(history.map((c) => [c.taskId, c.field, c.newValue])).toEqual([
        ['t1', 'result', 'được nhận'],
        ['t2', 'note', 'một lần'],
      ]);
      expect(history.map((c) => c.cursor)).toEqual(['1', '2']);
    });

    it('in one group, gives two syncs meeting the same conflict one conflict record, which a replay names too', async () => {
      const trackerId = await newTracker();
      const desk1 = await agencyCaller(KHCN);
      const desk2 = await agencyCaller(KHCN);
      await store.sync(trackerId, desk1, { changes: [change('t1', 0, { note: 'A' })] });
      const stale = { changes: [change('t1', 0, { note: 'B' })] };
      // Sent in one turn of the event loop: one group, one read of the open conflicts.
      const [first, second] = await Promise.all([
        store.sync(trackerId, desk2, stale, { idempotencyKey: 'k-a' }),
        store.sync(trackerId, desk2, stale, { idempotencyKey: 'k-b' }),
      ]);
      expect(first.conflicts).toEqual([expect.objectContaining({ field: 'note', yours: 'B', theirs: 'A' })]);
      expect(second.conflicts.map((c) => c.id)).toEqual(first.conflicts.map((c) => c.id));
      expect((await store.listConflicts(trackerId, { open: true })).map((c) => c.id)).toEqual(first.conflicts.map((c) => c.id));
      const replay = await store.sync(trackerId, desk2, stale, { idempotencyKey: 'k-a' });
      expect(replay.conflicts).toEqual(first.conflicts);
    });

    it('rejects reports on tasks the agency does not lead, and applies the rest of the request', async () => {
      const trackerId = await newTracker();
      const noiVu = await agencyCaller(NOI_VU);
      const khcn = await agencyCaller(KHCN);
      const answer = await store.sync(trackerId, noiVu, {
        changes: [change('t1', 0, { status: 'done' }), change('t2', 0, { status: 'in_progress' }), change('t3', 0, { note: 'x' }, khcn.agencyId!)],
      });
      expect(answer.applied).toEqual([{ taskId: 't2', version: 1 }]);
      expect(answer.rejected).toEqual([
        { taskId: 't1', reason: expect.stringContaining('does not lead task t1') },
        { taskId: 't3', reason: expect.stringContaining('only its own report') },
      ]);
      expect(answer.rejected[0].reason).toContain('không chủ trì');
      expect((await store.getTracker(trackerId))!.tasks[0].reports).toEqual([]);
      // The administrator is held to the leads as well, and must name the agency.
      const byAdmin = await store.sync(trackerId, admin, {
        changes: [change('t1', 0, { note: 'a' }, noiVu.agencyId!), change('t1', 0, { note: 'b' }), change('t1', 0, { note: 'c' }, 'ag_unknown')],
      });
      expect(byAdmin.applied).toEqual([]);
      expect(byAdmin.rejected.map((r) => r.reason)).toEqual([
        expect.stringContaining('does not lead'),
        expect.stringContaining('must name the reporting agency'),
        expect.stringContaining('No agency ag_unknown'),
      ]);
    });

    it('takes a report from each member of a leading group', async () => {
      const trackerId = await newTracker();
      const khcn = await agencyCaller(KHCN);
      const batXat = await agencyCaller(BAT_XAT);
      await store.sync(trackerId, khcn, { changes: [change('t4', 0, { status: 'done', completedOn: '2026-03-02' }), change('t5', 0, { status: 'done' })] });
      const commune = await store.sync(trackerId, batXat, { changes: [change('t4', 0, { status: 'in_progress' }), change('t5', 0, { status: 'in_progress' })] });
      expect(commune.applied).toEqual([
        { taskId: 't4', version: 1 },
        { taskId: 't5', version: 1 },
      ]);
      let t4 = (await store.getTracker(trackerId))!.tasks[3];
      expect(t4.reports.map((r) => [r.agencyName, r.status])).toEqual([
        [KHCN.name, 'done'],
        [BAT_XAT.name, 'in_progress'],
      ]);
      expect(t4.overall.status).toBe('in_progress');
      await store.sync(trackerId, batXat, { changes: [change('t4', 1, { status: 'done', completedOn: '2026-03-09' })] });
      t4 = (await store.getTracker(trackerId))!.tasks[3];
      expect(t4.overall).toMatchObject({ status: 'done', completedOn: '2026-03-09' });
      const t5 = (await store.getTracker(trackerId))!.tasks[4];
      expect(t5.reports.map((r) => r.agencyName)).toEqual([BAT_XAT.name]);

      // The catalogue alone, for matching returned workbooks: same tasks, no reports.
      const bare = (await store.getTracker(trackerId, { reports: false }))!;
      const full = (await store.getTracker(trackerId))!;
      expect(bare.tasks.map((t) => [t.id, t.stt, t.task])).toEqual(full.tasks.map((t) => [t.id, t.stt, t.task]));
      expect(bare.tasks.every((t) => t.reports.length === 0)).toBe(true);
      expect(bare.cursor).toBe(full.cursor);

      // One task's history is the feed filtered to it, in feed order.
      const feed = (await store.changesSince(trackerId, null)).changes;
      expect(await store.taskHistory(trackerId, 't4')).toEqual(feed.filter((c) => c.taskId === 't4'));
      expect((await store.taskHistory(trackerId, 't4')).length).toBeGreaterThan(2);
      expect(await store.taskHistory(trackerId, 'no-such-task')).toEqual([]);
      await expect(store.taskHistory('no-such-tracker', 't4')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('derives the overall status from every lead: done when all are, on the latest day', async () => {
      const trackerId = await newTracker();
      const khcn = await agencyCaller(KHCN);
      const noiVu = await agencyCaller(NOI_VU);
      await store.sync(trackerId, khcn, { changes: [change('t3', 0, { status: 'done', completedOn: '2026-03-05', result: 'Đã ban hành' })] });
      let t3 = (await store.getTracker(trackerId))!.tasks[2];
      expect(t3.overall).toEqual({ status: 'in_progress', result: 'Đã ban hành', completedOn: null, evidence: '', note: '' });
      await store.sync(trackerId, noiVu, { changes: [change('t3', 0, { status: 'done', completedOn: '2026-03-01' })] });
      t3 = (await store.getTracker(trackerId))!.tasks[2];
      expect(t3.reports.map((r) => r.agencyId)).toEqual([khcn.agencyId, noiVu.agencyId]);
      expect(t3.overall).toMatchObject({ status: 'done', completedOn: '2026-03-05' });
    });

    it('replays an idempotency key with the first answer and no new changes, also when sent twice at once', async () => {
      const trackerId = await newTracker();
      const khcn = await agencyCaller(KHCN);
      const request = { changes: [change('t1', 0, { status: 'in_progress' as const, note: 'lần 1' })] };
      const first = await store.sync(trackerId, khcn, request, { idempotencyKey: 'k-1' });
      const replay = await store.sync(trackerId, khcn, request, { idempotencyKey: 'k-1' });
      expect(replay).toEqual(first);
      expect(await allChanges(trackerId)).toHaveLength(2);
      await expect(store.sync(trackerId, khcn, { changes: [change('t1', 1, { note: 'khác' })] }, { idempotencyKey: 'k-1' })).rejects.toThrow(InputError);

      const next = { changes: [change('t1', 1, { note: 'lần 2' })] };
      const [a, b] = await Promise.all([
        store.sync(trackerId, khcn, next, { idempotencyKey: 'k-2' }),
        store.sync(trackerId, khcn, next, { idempotencyKey: 'k-2' }),
      ]);
      expect(a).toEqual(b);
      expect(a.applied).toEqual([{ taskId: 't1', version: 2 }]);
      expect(await allChanges(trackerId)).toHaveLength(3);
      // The key belongs to the token: another caller using it is a new request.
      const other = await agencyCaller(KHCN);
      const fresh = await store.sync(trackerId, other, { changes: [change('t1', 2, { note: 'lần 3' })] }, { idempotencyKey: 'k-2' });
      expect(fresh.applied).toEqual([{ taskId: 't1', version: 3 }]);
    });

    it('rejects an unknown task with a reason and throws NotFoundError for an unknown tracker', async () => {
      const trackerId = await newTracker();
      const khcn = await agencyCaller(KHCN);
      const answer = await store.sync(trackerId, khcn, { changes: [change('t99', 0, { status: 'done' }), change('t1', 0, { status: 'done' })] });
      expect(answer.rejected).toEqual([{ taskId: 't99', reason: expect.stringMatching(/không có nhiệm vụ t99.*no task t99/) }]);
      expect(answer.applied).toEqual([{ taskId: 't1', version: 1 }]);
      await expect(store.sync('no-tracker', khcn, { changes: [] })).rejects.toThrow(NotFoundError);
      await expect(store.changesSince('no-tracker', null)).rejects.toThrow(NotFoundError);
      await expect(store.listConflicts('no-tracker')).rejects.toThrow(NotFoundError);
      await expect(store.changesSince(trackerId, 'abc')).rejects.toThrow(InputError);
      await expect(store.sync(trackerId, khcn, { changes: [change('t1', 0, { status: 'finished' as never })] })).rejects.toThrow(InputError);
    });
  });

  describe('change feed', () => {
    it('walks every change exactly once in seq order under 20 concurrent writers', async () => {
      const agencies = await Promise.all(
        Array.from({ length: 20 }, (_, i) => agencyCaller({ name: `Ban thử nghiệm ${i}`, registryId: null, kind: 'other' })),
      );
      const tasks = agencies.map((a, i) => task(`c${i}`, [a.name]));
      const trackerId = await newTracker(tasks);
      // A reader follows the feed while the writers commit: what it sees must never skip a seq.
      let writing = true;
      const seen: ChangeRecord[] = [];
      const reader = (async () => {
        let cursor: string | null = null;
        while (writing) {
          const page: { changes: ChangeRecord[]; cursor: string } = await store.changesSince(trackerId, cursor, 7);
          seen.push(...page.changes);
          cursor = page.cursor;
          // A follower polls; it does not spin (on SQLite a read never waits for I/O, so a spin would starve the writers).
          await new Promise(setImmediate);
        }
        for (;;) {
          const page: { changes: ChangeRecord[]; cursor: string } = await store.changesSince(trackerId, cursor, 7);
          if (!page.changes.length) return;
          seen.push(...page.changes);
          cursor = page.cursor;
        }
      })();
      await Promise.all(
        agencies.map((a, i) =>
          store.sync(trackerId, a, { changes: [change(`c${i}`, 0, { status: 'in_progress', result: `r${i}`, note: `n${i}` })] }),
        ),
      );
      writing = false;
      await reader;
      const expected = Array.from({ length: 60 }, (_, i) => String(i + 1));
      expect(seen.map((c) => c.cursor)).toEqual(expected);
      const paged = await allChanges(trackerId, 7);
      expect(paged.map((c) => c.cursor)).toEqual(expected);
      expect(new Set(paged.map((c) => `${c.taskId}/${c.field}`)).size).toBe(60);
    });

    if (kind === 'postgres') {
      it('keeps the feed gap-free with two store instances (two pools) writing at once', async () => {
        const second = await openStore(url);
        try {
          const agencies = await Promise.all(
            Array.from({ length: 16 }, (_, i) => agencyCaller({ name: `Ban song song ${i}`, registryId: null, kind: 'other' })),
          );
          const trackerId = await newTracker(agencies.map((a, i) => task(`p${i}`, [a.name])));
          const rounds = 3;
          await Promise.all(
            agencies.flatMap((a, i) =>
              Array.from({ length: rounds }, (_, round) =>
                (i % 2 ? second : store).sync(trackerId, a, { changes: [change(`p${i}`, round, { note: `round ${round}`, result: `${i}.${round}` })] }),
              ),
            ),
          );
          const paged = await allChanges(trackerId, 5);
          expect(paged.map((c) => c.cursor)).toEqual(Array.from({ length: paged.length }, (_, i) => String(i + 1)));
          expect(paged).toHaveLength(16 * rounds * 2);
          const t = await second.getTracker(trackerId);
          expect(t!.cursor).toBe(String(paged.length));
          // Each round is based on the version the previous one made, so every round landed and each report ends at version 3.
          expect(t!.tasks.map((x) => x.reports[0].version)).toEqual(agencies.map(() => rounds));
        } finally {
          await second.close();
        }
      });
    }
  });

  describe('conflicts and submissions', () => {
    it('resolves a conflict with yours, theirs or a value, writing a change and closing it', async () => {
      const trackerId = await newTracker();
      const desk1 = await agencyCaller(KHCN);
      const desk2 = await agencyCaller(KHCN);
      await store.sync(trackerId, desk1, { changes: [change('t1', 0, { result: 'A', note: 'A', evidence: 'A' })] });
      const clash = await store.sync(trackerId, desk2, { changes: [change('t1', 0, { result: 'B', note: 'B', evidence: 'B' })] });
      const id = (field: string) => clash.conflicts.find((c) => c.field === field)!.id;
      const before = (await allChanges(trackerId)).length;

      const yours = await store.resolveConflict(trackerId, id('result'), { choose: 'yours' }, admin);
      expect(yours).toMatchObject({ field: 'result', resolution: 'yours', resolvedAt: expect.any(String) });
      const theirs = await store.resolveConflict(trackerId, id('note'), { choose: 'theirs' }, admin);
      expect(theirs.resolution).toBe('theirs');
      const value = await store.resolveConflict(trackerId, id('evidence'), { value: 'CV 15/SKHCN' }, admin);
      expect(value.resolution).toBe('value');

      expect(await report(trackerId, 't1', desk1.agencyId!)).toMatchObject({ result: 'B', note: 'A', evidence: 'CV 15/SKHCN', version: 3 });
      const written = (await allChanges(trackerId)).slice(before);
      expect(written.map((c) => [c.field, c.oldValue, c.newValue, c.by])).toEqual([
        ['result', 'A', 'B', admin.name],
        ['evidence', 'A', 'CV 15/SKHCN', admin.name],
      ]);
      expect(await store.listConflicts(trackerId, { open: true })).toEqual([]);
      // Resolving again changes nothing.
      expect(await store.resolveConflict(trackerId, id('result'), { choose: 'theirs' }, admin)).toEqual(yours);
      expect(await allChanges(trackerId)).toHaveLength(before + 2);
    });

    it('merges against what was written since by another instance and by a resolved conflict, not against the reports it last wrote', async () => {
      const trackerId = await newTracker();
      const desk1 = await agencyCaller(KHCN);
      const desk2 = await agencyCaller(KHCN);
      const second = await openStore(url);
      try {
        expect((await store.sync(trackerId, desk1, { changes: [change('t1', 0, { note: 'A' })] })).applied).toEqual([{ taskId: 't1', version: 1 }]);
        await second.sync(trackerId, desk2, { changes: [change('t1', 1, { note: 'B' })] });

        // Based on version 1: the note changed since (a conflict), the result did not (applied on top of version 2).
        const third = await store.sync(trackerId, desk1, { changes: [change('t1', 1, { note: 'C', result: 'R' })] });
        expect(third.applied).toEqual([{ taskId: 't1', version: 3 }]);
        expect(third.conflicts).toEqual([expect.objectContaining({ field: 'note', yours: 'C', theirs: 'B' })]);
        expect(await report(trackerId, 't1', desk1.agencyId!)).toMatchObject({ note: 'B', result: 'R', version: 3 });

        await store.resolveConflict(trackerId, third.conflicts[0].id, { choose: 'yours' }, admin);
        const fifth = await store.sync(trackerId, desk2, { changes: [change('t1', 4, { evidence: 'E' })] });
        expect(fifth.applied).toEqual([{ taskId: 't1', version: 5 }]);
        expect(await report(trackerId, 't1', desk1.agencyId!)).toMatchObject({ note: 'C', result: 'R', evidence: 'E', version: 5 });
      } finally {
        await second.close();
      }
    });

    it('refuses an unknown conflict and a value the field cannot hold', async () => {
      const trackerId = await newTracker();
      const desk1 = await agencyCaller(KHCN);
      const desk2 = await agencyCaller(KHCN);
      await store.sync(trackerId, desk1, { changes: [change('t1', 0, { completedOn: '2026-02-01' })] });
      const clash = await store.sync(trackerId, desk2, { changes: [change('t1', 0, { completedOn: '2026-02-03' })] });
      await expect(store.resolveConflict(trackerId, 'cf_none', { choose: 'yours' }, admin)).rejects.toThrow(NotFoundError);
      await expect(store.resolveConflict(trackerId, clash.conflicts[0].id, { value: '3/2/2026' }, admin)).rejects.toThrow(InputError);
      await expect(store.resolveConflict(trackerId, clash.conflicts[0].id, { value: null }, admin)).resolves.toMatchObject({ resolution: 'value' });
      expect(await report(trackerId, 't1', desk1.agencyId!)).toMatchObject({ completedOn: null });
    });

    it('lists who submitted in a window of days', async () => {
      const trackerId = await newTracker();
      const khcn = await agencyCaller(KHCN);
      const noiVu = await agencyCaller(NOI_VU);
      await store.sync(trackerId, khcn, { changes: [change('t1', 0, { status: 'in_progress' })] });
      await store.sync(trackerId, admin, { changes: [change('t2', 0, { status: 'done' }, noiVu.agencyId!)] }, { submission: { kind: 'workbook', fileName: 'noi-vu.xlsx' } });
      await store.sync(trackerId, noiVu, { changes: [change('t1', 0, { status: 'done' })] }); // rejected: not a submission
      await store.sync(trackerId, khcn, { changes: [] }); // a pull only: not a submission
      // Today in Vietnam covers now; yesterday and tomorrow also cover it when UTC and UTC+7 differ by a day.
      const today = todayIso();
      const window = await store.submissions(trackerId, addDays(today, -1), addDays(today, 1));
      expect(window.map((s) => [s.agencyId, s.kind])).toEqual([
        [khcn.agencyId, 'sync'],
        [noiVu.agencyId, 'workbook'],
      ]);
      expect(await store.submissions(trackerId, '2020-01-01', '2020-01-31')).toEqual([]);
    });
  });
});

