/**
 * The HTTP API end to end on loopback, on SQLite and on PostgreSQL: agencies and
 * tokens, permissions, trackers from a file and from JSON, sync (applied,
 * conflict, rejected), idempotent replay, the change feed, conflicts, export,
 * report and the OpenAPI document.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { ChangeRecord, Task } from '../../shared/schemas';
import { DATABASE_KINDS, stopTestDatabases } from './pg-cluster';
import { call, createAgency, fileForm, startServer, task, type TestServer } from './http';
import type { Report } from '../../server/report';
import { dayIn } from '../../server/report';

afterAll(stopTestDatabases);

const FIXTURE = path.join(__dirname, '../fixtures/seeds/003-phu-luc-II.txt');
const KHCN = 'Sở Khoa học và Công nghệ';
const NOI_VU = 'Sở Nội vụ';

type Agency = { id: string; name: string; token: string };

/** Every row of the tracker sheet by its hidden task id (column A). */
function rowsById(sheet: ExcelJS.Worksheet): Map<string, ExcelJS.Row> {
  const rows = new Map<string, ExcelJS.Row>();
  sheet.eachRow((row) => {
    const id = row.getCell(1).value;
    if (typeof id === 'string' && id) rows.set(id, row);
  });
  return rows;
}

function columnOf(sheet: ExcelJS.Worksheet, header: string): number {
  let found = 0;
  sheet.eachRow((row) => {
    row.eachCell((cell, col) => {
      if (!found && cell.value === header) found = col;
    });
  });
  if (!found) throw new Error(`no column ${header}`);
  return found;
}

describe.each(DATABASE_KINDS)('HTTP API on %s', (kind) => {
  let server: TestServer;
  let khcn: Agency;
  let noiVu: Agency;
  let admin: string;

  beforeAll(async () => {
    server = await startServer(kind);
    admin = server.adminToken;
    khcn = await createAgency(server, 'Sở KH&CN');
    noiVu = await createAgency(server, NOI_VU);
  });
  afterAll(() => server?.close());

  async function newTracker(tasks: Task[], title = 'Phụ lục thử'): Promise<string> {
    const res = await call(server, admin, 'POST', '/api/trackers', { title, tasks });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  const sync = (token: string, trackerId: string, changes: unknown[], headers: Record<string, string> = {}) =>
    call(server, token, 'POST', `/api/trackers/${trackerId}/sync`, { changes }, headers);

  async function reportOf(trackerId: string, taskId: string, agencyId: string) {
    const tracker = (await call(server, admin, 'GET', `/api/trackers/${trackerId}`)).body;
    return tracker.tasks.find((t: { id: string }) => t.id === taskId).reports.find((r: { agencyId: string }) => r.agencyId === agencyId);
  }

  describe('agencies and tokens', () => {
    it('resolves names through the registry: "Sở KH&CN" and "Sở Khoa học và Công nghệ" are one agency', async () => {
      expect(khcn.name).toBe(KHCN);
      // Creating it again mints no token (issue 10, finding 3); a second token is asked for.
      const again = await call(server, admin, 'POST', '/api/agencies', { name: 'Sở Khoa học và Công nghệ' });
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({ code: 'agency.exists' });
      expect(JSON.stringify(again.body)).not.toMatch(/"token"/);
      const second = await call(server, admin, 'POST', `/api/agencies/${khcn.id}/tokens`);
      expect(second.status).toBe(201);
      expect(second.body.token).not.toBe(khcn.token);
      expect(khcn.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      for (const token of [khcn.token, second.body.token]) {
        const me = await call(server, token, 'GET', '/api/me');
        expect(me.body).toEqual({ role: 'agency', agencyId: khcn.id, name: KHCN });
      }
      const list = await call(server, admin, 'GET', '/api/agencies');
      expect(list.status).toBe(200);
      expect(list.body.filter((a: { id: string }) => a.id === khcn.id)).toHaveLength(1);
      expect(list.body.find((a: { id: string }) => a.id === khcn.id)).toMatchObject({ registryId: 'so-khoa-hoc-cong-nghe', kind: 'department' });
      expect(JSON.stringify(list.body)).not.toContain(khcn.token);
    });

    it('keeps an unknown name as written', async () => {
      const other = await createAgency(server, '  Trung tâm   Thử nghiệm ');
      expect(other.name).toBe('Trung tâm Thử nghiệm');
      const list = await call(server, admin, 'GET', '/api/agencies');
      expect(list.body.find((a: { id: string }) => a.id === other.id)).toMatchObject({ registryId: null, kind: 'other' });
    });

    it('answers 401 without a token and with a wrong one, in both languages', async () => {
      for (const token of [null, 'x'.repeat(43), `${khcn.token.slice(0, -1)}${khcn.token.endsWith('A') ? 'B' : 'A'}`]) {
        const res = await call(server, token, 'GET', '/api/trackers');
        expect(res.status).toBe(401);
        expect(res.body.error).toMatchObject({ code: 'auth.required' });
        expect(res.body.error.message).toMatch(/mã truy cập/);
        expect(res.body.error.messageEn).toMatch(/token/);
      }
      const malformed = await call(server, null, 'GET', '/api/trackers', undefined, { authorization: 'Basic abc' });
      expect(malformed.status).toBe(401);
    });

    it('answers 403 to an agency on administrator routes', async () => {
      const trackerId = await newTracker([task('p1', [KHCN])]);
      const attempts = [
        call(server, khcn.token, 'POST', '/api/agencies', { name: 'Sở Y tế' }),
        call(server, khcn.token, 'GET', '/api/agencies'),
        call(server, khcn.token, 'POST', '/api/trackers', { title: 'x', tasks: [task('z', [KHCN])] }),
        call(server, khcn.token, 'POST', `/api/trackers/${trackerId}/conflicts/nope`, { choose: 'yours' }),
      ];
      for (const res of await Promise.all(attempts)) {
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('auth.forbidden');
        expect(res.body.error.messageEn).toBeTruthy();
      }
    });
  });

  describe('trackers', () => {
    it('creates a tracker from an uploaded annex file: Phụ lục II has 61 tasks', async () => {
      const form = fileForm(readFileSync(FIXTURE), '003-phu-luc-II.txt', { title: 'Phụ lục II', documentNumber: '12/KH-BCĐ' });
      const res = await call(server, admin, 'POST', '/api/trackers', form);
      expect(res.status).toBe(201);
      expect(res.body.title).toBe('Phụ lục II');
      expect(res.body.documentNumber).toBe('12/KH-BCĐ');
      expect(res.body.tasks).toHaveLength(61);
      expect(new Set(res.body.tasks.map((t: Task) => t.id)).size).toBe(61);
      expect(Array.isArray(res.body.diagnostics)).toBe(true);
      // Any caller may read it.
      const read = await call(server, noiVu.token, 'GET', `/api/trackers/${res.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body.tasks).toHaveLength(61);
      expect(read.body.tasks[0]).toMatchObject({ stt: '1', section: 'I' });
      expect(typeof read.body.cursor).toBe('string');
      const list = await call(server, khcn.token, 'GET', '/api/trackers');
      expect(list.body.find((t: { id: string }) => t.id === res.body.id)).toMatchObject({ taskCount: 61 });
    });

    it('creates a tracker from JSON tasks and keeps their ids', async () => {
      const res = await call(server, admin, 'POST', '/api/trackers', {
        title: 'JSON',
        documentDate: '2026-04-02',
        tasks: [task('j1', [KHCN]), task('j2', [NOI_VU])],
      });
      expect(res.status).toBe(201);
      expect(res.body.tasks.map((t: Task) => t.id)).toEqual(['j1', 'j2']);
      expect(res.body.tasks[0].reports).toEqual([]);
    });

    it('creates a tracker from rows as a person types them, read exactly as the same rows in a file', async () => {
      const rows = [
        { stt: 1, section: 'I. Nhiệm vụ chung', task: 'Xây dựng kế hoạch chuyển đổi số', lead: 'Sở KH&CN', support: ['Sở Tài chính', 'Sở Nội vụ'], deadline: 'Quý II/2026', output: 'Kế hoạch' },
        { stt: '2', section: 'I. Nhiệm vụ chung', task: 'Báo cáo định kỳ', lead: ['Sở Nội vụ', 'UBND các xã, phường'], deadline: 'Hằng tháng' },
        { stt: '1', section: 'Nhiệm vụ cụ thể', task: 'Tổ chức hội thảo', lead: 'Cơ quan lạ', deadline: 'trước ngày 31/12/2026' },
      ];
      const res = await call(server, admin, 'POST', '/api/trackers', { title: 'Gõ tay', asOf: '2026-05-01', tasks: rows });
      expect(res.status).toBe(201);
      const tasks: Task[] = res.body.tasks;
      expect(tasks.map((t) => [t.stt, t.section, t.sectionTitle, t.lead, t.support, t.deadline.kind, t.deadline.due, t.row])).toEqual([
        ['1', 'I', 'Nhiệm vụ chung', [KHCN], ['Sở Tài chính', NOI_VU], 'period', '2026-06-30', 1],
        ['2', 'I', 'Nhiệm vụ chung', [NOI_VU, 'UBND các xã, phường'], [], 'recurring', '2026-05-31', 2],
        ['1', 'II', 'Nhiệm vụ cụ thể', ['Cơ quan lạ'], [], 'date', '2026-12-31', 3],
      ]);
      expect(new Set(tasks.map((t) => t.id)).size).toBe(3);
      expect(tasks.every((t) => /^t_/.test(t.id))).toBe(true);
      // What the reader noticed names the typed row.
      expect(res.body.diagnostics).toContainEqual(expect.objectContaining({ row: 3, field: 'lead', code: 'agency.unknown' }));
      // The same rows give the same ids again.
      const again = await call(server, admin, 'POST', '/api/trackers', { title: 'Gõ tay', asOf: '2026-05-01', tasks: rows });
      expect(again.body.tasks.map((t: Task) => t.id)).toEqual(tasks.map((t) => t.id));
      // A row missing its task text is refused, naming it.
      const bad = await call(server, admin, 'POST', '/api/trackers', { title: 'x', tasks: [rows[0], { stt: '2', task: ' ', lead: 'Sở Nội vụ', deadline: '' }] });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({ field: 'tasks.1.task' });
      expect(bad.body.error.message).not.toBe(bad.body.error.messageEn);
    });

    it('refuses duplicate task ids, naming the field', async () => {
      const res = await call(server, admin, 'POST', '/api/trackers', { title: 'dup', tasks: [task('d1', [KHCN]), task('d1', [KHCN])] });
      expect(res.status).toBe(400);
      expect(res.body.error.field).toBe('tasks.1.id');
    });

    it('answers 404 for an unknown tracker', async () => {
      const res = await call(server, khcn.token, 'GET', '/api/trackers/no-such-tracker');
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('tracker.not_found');
    });
  });

  describe('sync', () => {
    let trackerId: string;
    beforeAll(async () => {
      trackerId = await newTracker([task('t1', [KHCN]), task('t2', [NOI_VU]), task('t3', [KHCN, NOI_VU])]);
    });

    it('applies own reports, rejects others, and keeps a conflict when someone else changed the field', async () => {
      const first = await sync(khcn.token, trackerId, [
        { taskId: 't1', baseVersion: 0, fields: { status: 'in_progress', result: 'Đã dự thảo' } },
        { taskId: 't2', baseVersion: 0, fields: { status: 'done' } },
      ]);
      expect(first.status).toBe(200);
      expect(first.body.applied).toEqual([{ taskId: 't1', version: 1 }]);
      expect(first.body.rejected).toHaveLength(1);
      expect(first.body.rejected[0].taskId).toBe('t2');
      expect(first.body.rejected[0].reason).toMatch(/\S+.*\/.*\S+/); // Vietnamese / English
      expect(first.body.conflicts).toEqual([]);

      // The administrator edits the same report meanwhile.
      const byAdmin = await sync(admin, trackerId, [{ taskId: 't1', baseVersion: 1, agencyId: khcn.id, fields: { result: 'Sửa bởi Sở' } }]);
      expect(byAdmin.body.applied).toEqual([{ taskId: 't1', version: 2 }]);

      // The agency still thinks version 1: result conflicts, note merges in.
      const stale = await sync(khcn.token, trackerId, [{ taskId: 't1', baseVersion: 1, fields: { result: 'Bản của sở', note: 'Cần thêm kinh phí' } }]);
      expect(stale.body.applied).toEqual([{ taskId: 't1', version: 3 }]);
      expect(stale.body.conflicts).toHaveLength(1);
      expect(stale.body.conflicts[0]).toMatchObject({ taskId: 't1', field: 'result', yours: 'Bản của sở', theirs: 'Sửa bởi Sở' });
      const report = await reportOf(trackerId, 't1', khcn.id);
      expect(report).toMatchObject({ status: 'in_progress', result: 'Sửa bởi Sở', note: 'Cần thêm kinh phí', version: 3 });
      // The sync answer carries the changes since the request's cursor (none given: all of them), except its own.
      expect(stale.body.changes.map((c: ChangeRecord) => [c.field, c.by])).toEqual([
        ['status', expect.any(String)],
        ['result', expect.any(String)],
        ['result', expect.any(String)],
      ]);
      expect(stale.body.changes.some((c: ChangeRecord) => c.field === 'note')).toBe(false);
    });

    it('replays an Idempotency-Key: the first answer again, nothing changed', async () => {
      const body = [{ taskId: 't3', baseVersion: 0, fields: { status: 'done', completedOn: '2026-05-02' } }];
      const key = { 'idempotency-key': `k-${kind}-1` };
      const first = await sync(khcn.token, trackerId, body, key);
      expect(first.body.applied).toEqual([{ taskId: 't3', version: 1 }]);
      const before = (await call(server, admin, 'GET', `/api/trackers/${trackerId}/changes`)).body.changes.length;
      const replay = await sync(khcn.token, trackerId, body, key);
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual(first.body);
      // A different body under the same key is refused and changes nothing.
      const other = await sync(khcn.token, trackerId, [{ taskId: 't3', baseVersion: 1, fields: { note: 'khác' } }], key);
      expect(other.status).toBe(409);
      expect(other.body.error).toMatchObject({ code: 'idempotency.mismatch', field: 'Idempotency-Key' });
      const after = (await call(server, admin, 'GET', `/api/trackers/${trackerId}/changes`)).body.changes.length;
      expect(after).toBe(before);
      expect((await reportOf(trackerId, 't3', khcn.id)).note).toBe('');
      const bad = await sync(khcn.token, trackerId, body, { 'idempotency-key': 'x'.repeat(201) });
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('Idempotency-Key');
    });

    it('feeds every change once to a client following the cursor', async () => {
      const all = await call(server, noiVu.token, 'GET', `/api/trackers/${trackerId}/changes`);
      expect(all.status).toBe(200);
      const seen: ChangeRecord[] = [];
      let cursor = '';
      for (;;) {
        const page = await call(server, noiVu.token, 'GET', `/api/trackers/${trackerId}/changes?limit=2${cursor ? `&since=${encodeURIComponent(cursor)}` : ''}`);
        if (page.body.changes.length === 0) break;
        expect(page.body.changes.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.changes);
        cursor = page.body.cursor;
      }
      expect(seen).toEqual(all.body.changes);
      expect(new Set(seen.map((c) => c.cursor)).size).toBe(seen.length);
      // A change after the cursor, and only it, comes next.
      await sync(noiVu.token, trackerId, [{ taskId: 't2', baseVersion: 0, fields: { status: 'in_progress' } }]);
      const next = await call(server, khcn.token, 'GET', `/api/trackers/${trackerId}/changes?since=${encodeURIComponent(cursor)}`);
      expect(next.body.changes).toHaveLength(1);
      expect(next.body.changes[0]).toMatchObject({ taskId: 't2', agencyId: noiVu.id, field: 'status', oldValue: 'not_started', newValue: 'in_progress' });
    });

    it('lists conflicts and lets the administrator resolve them', async () => {
      const list = await call(server, admin, 'GET', `/api/trackers/${trackerId}/conflicts`);
      expect(list.status).toBe(200);
      const conflict = list.body.find((c: { field: string }) => c.field === 'result');
      expect(conflict).toMatchObject({ taskId: 't1', agencyId: khcn.id, yours: 'Bản của sở', theirs: 'Sửa bởi Sở', resolvedAt: null });
      // An agency sees its own conflicts only.
      expect((await call(server, khcn.token, 'GET', `/api/trackers/${trackerId}/conflicts`)).body).toHaveLength(list.body.length);
      expect((await call(server, noiVu.token, 'GET', `/api/trackers/${trackerId}/conflicts`)).body).toEqual([]);

      const invalid = await call(server, admin, 'POST', `/api/trackers/${trackerId}/conflicts/${conflict.id}`, { choose: 'mine' });
      expect(invalid.status).toBe(400);
      const empty = await call(server, admin, 'POST', `/api/trackers/${trackerId}/conflicts/${conflict.id}`, {});
      expect(empty.status).toBe(400);
      const missing = await call(server, admin, 'POST', `/api/trackers/${trackerId}/conflicts/nope`, { choose: 'yours' });
      expect(missing.status).toBe(404);

      const resolved = await call(server, admin, 'POST', `/api/trackers/${trackerId}/conflicts/${conflict.id}`, { choose: 'yours' });
      expect(resolved.status).toBe(200);
      expect(resolved.body).toMatchObject({ id: conflict.id, resolution: 'yours' });
      expect((await reportOf(trackerId, 't1', khcn.id)).result).toBe('Bản của sở');
      const open = await call(server, admin, 'GET', `/api/trackers/${trackerId}/conflicts?open=true`);
      expect(open.body.find((c: { id: string }) => c.id === conflict.id)).toBeUndefined();
    });

    it('resolves a conflict with a typed value, checked against the field', async () => {
      await sync(admin, trackerId, [{ taskId: 't2', baseVersion: 1, agencyId: noiVu.id, fields: { note: 'Ghi chú của Sở KH&CN' } }]);
      const stale = await sync(noiVu.token, trackerId, [{ taskId: 't2', baseVersion: 1, fields: { note: 'Ghi chú của Sở Nội vụ' } }]);
      const [conflict] = stale.body.conflicts;
      expect(conflict).toMatchObject({ field: 'note' });
      const wrong = await call(server, admin, 'POST', `/api/trackers/${trackerId}/conflicts/${conflict.id}`, { value: 42 });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.field).toBe('value');
      const ok = await call(server, admin, 'POST', `/api/trackers/${trackerId}/conflicts/${conflict.id}`, { value: 'Cả hai ý kiến' });
      expect(ok.status).toBe(200);
      expect((await reportOf(trackerId, 't2', noiVu.id)).note).toBe('Cả hai ý kiến');
    });
  });

  describe('export.xlsx', () => {
    it('opens in exceljs with the merged progress and a sheet of each lead report', async () => {
      const trackerId = await newTracker([task('e1', [KHCN]), task('e2', [KHCN, NOI_VU]), task('e3', [NOI_VU])]);
      await sync(khcn.token, trackerId, [
        { taskId: 'e1', baseVersion: 0, fields: { status: 'done', completedOn: '2026-06-01', result: 'Xong' } },
        { taskId: 'e2', baseVersion: 0, fields: { status: 'done', completedOn: '2026-06-10' } },
      ]);
      const res = await call(server, admin, 'GET', `/api/trackers/${trackerId}/export.xlsx?asOf=2026-06-15`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('spreadsheetml');
      expect(res.headers.get('content-disposition')).toContain('.xlsx');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body as never);
      const sheet = wb.getWorksheet('Theo dõi')!;
      const status = columnOf(sheet, 'Tình trạng');
      const rows = rowsById(sheet);
      expect(rows.get('e1')!.getCell(status).value).toBe('Hoàn thành');
      // Led by two: one done, one not started → in progress overall.
      expect(rows.get('e2')!.getCell(status).value).toBe('Đang thực hiện');
      expect(rows.get('e3')!.getCell(status).value).toBe('Chưa thực hiện');

      const reports = wb.getWorksheet('Báo cáo từng cơ quan')!;
      const lines: string[] = [];
      reports.eachRow((row, n) => {
        if (n > 1) lines.push(`${row.getCell(1).value}|${row.getCell(4).value}|${row.getCell(5).value}`);
      });
      expect(lines).toEqual([`e1|${KHCN}|Hoàn thành`, `e2|${KHCN}|Hoàn thành`]);

      // Once the second lead is done too, the task is done overall.
      await sync(noiVu.token, trackerId, [{ taskId: 'e2', baseVersion: 0, fields: { status: 'done', completedOn: '2026-06-12' } }]);
      const again = await call(server, admin, 'GET', `/api/trackers/${trackerId}/export.xlsx?asOf=2026-06-15`);
      const wb2 = new ExcelJS.Workbook();
      await wb2.xlsx.load(again.body as never);
      const sheet2 = wb2.getWorksheet('Theo dõi')!;
      const row = rowsById(sheet2).get('e2')!;
      expect(row.getCell(status).value).toBe('Hoàn thành');
      const completed = row.getCell(columnOf(sheet2, 'Ngày hoàn thành')).value as Date;
      expect(completed.toISOString().slice(0, 10)).toBe('2026-06-12');

      // ?agency= shows that agency's own report.
      const own = await call(server, noiVu.token, 'GET', `/api/trackers/${trackerId}/export.xlsx?asOf=2026-06-15&agency=${noiVu.id}&lang=en`);
      const wb3 = new ExcelJS.Workbook();
      await wb3.xlsx.load(own.body as never);
      const sheet3 = wb3.getWorksheet('Tracker')!;
      const rows3 = rowsById(sheet3);
      expect(rows3.get('e1')!.getCell(columnOf(sheet3, 'Progress')).value).toBeNull();
      expect(rows3.get('e2')!.getCell(columnOf(sheet3, 'Progress')).value).toBe('Done');
    });
  });

  describe('report', () => {
    // asOf Monday 16/3/2026; no holiday in March; due soon window 7 days.
    const ASOF = '2026-03-16';
    const day = (due: string) => ({ raw: due.split('-').reverse().join('/'), kind: 'date' as const, due });
    let trackerId: string;

    beforeAll(async () => {
      trackerId = await newTracker(
        [
          task('r1', [KHCN], { deadline: day('2026-03-10') }),
          task('r2', [KHCN], { deadline: day('2026-03-10') }),
          task('r3', [KHCN], { deadline: day('2026-03-12') }),
          task('r4', [KHCN], { deadline: day('2026-03-20') }),
          task('r5', [KHCN], { deadline: day('2026-06-30') }),
          task('r6', [KHCN], { deadline: { raw: 'Thường xuyên', kind: 'ongoing', due: null } }),
          task('r7', [KHCN, NOI_VU], { deadline: day('2026-03-11') }),
        ],
        'Báo cáo thử',
      );
      const res = await sync(khcn.token, trackerId, [
        { taskId: 'r1', baseVersion: 0, fields: { status: 'done', completedOn: '2026-03-09' } },
        { taskId: 'r2', baseVersion: 0, fields: { status: 'done', completedOn: '2026-03-12' } },
        { taskId: 'r3', baseVersion: 0, fields: { status: 'in_progress' } },
        { taskId: 'r7', baseVersion: 0, fields: { status: 'done', completedOn: '2026-03-11' } },
      ]);
      expect(res.body.applied).toHaveLength(4);
    });

    it('counts categories per agency and overall, with both completion rates', async () => {
      const res = await call(server, admin, 'GET', `/api/trackers/${trackerId}/report?asOf=${ASOF}`);
      expect(res.status).toBe(200);
      const report = res.body as Report;
      expect(report.period).toEqual({ month: '2026-03', from: '2026-03-01', to: '2026-03-31', reportBy: '2026-03-25' });
      const k = report.agencies.find((a) => a.agencyId === khcn.id)!;
      expect(k).toMatchObject({
        name: KHCN,
        total: 7,
        counts: { done_on_time: 2, done_late: 1, on_track: 1, due_soon: 1, overdue: 1, no_deadline: 1 },
        done: 3,
        alreadyDue: 4,
      });
      expect(k.rateOfAll).toBeCloseTo(3 / 7);
      expect(k.rateOfDue).toBeCloseTo(3 / 4);
      const n = report.agencies.find((a) => a.agencyId === noiVu.id)!;
      expect(n).toMatchObject({ total: 1, counts: { overdue: 1 }, done: 0, alreadyDue: 1, rateOfAll: 0, rateOfDue: 0 });
      expect(report.totals).toMatchObject({
        total: 7,
        counts: { done_on_time: 1, done_late: 1, on_track: 1, due_soon: 1, overdue: 2, no_deadline: 1 },
        done: 2,
        alreadyDue: 4,
      });
      expect(report.totals.rateOfAll).toBeCloseTo(2 / 7);
      expect(report.totals.rateOfDue).toBeCloseTo(2 / 4);
    });

    it('lists late tasks (most days late first) then those due soon', async () => {
      const report = (await call(server, khcn.token, 'GET', `/api/trackers/${trackerId}/report?asOf=${ASOF}`)).body as Report;
      expect(report.late.map((t) => [t.taskId, t.category, t.daysLate, t.daysLeft])).toEqual([
        ['r7', 'overdue', 5, null],
        ['r3', 'overdue', 4, null],
        ['r4', 'due_soon', null, 4],
      ]);
      expect(report.late[0].pendingLeads).toEqual([NOI_VU]);
    });

    it('says who reported this period and whether on time', async () => {
      const today = dayIn('Asia/Ho_Chi_Minh', new Date());
      const report = (await call(server, admin, 'GET', `/api/trackers/${trackerId}/report?asOf=${today}`)).body as Report;
      const k = report.reporting.find((r) => r.agencyId === khcn.id)!;
      expect(k).toMatchObject({ reported: true, firstOn: today, onTime: Number(today.slice(8)) <= 25 });
      expect(report.reporting.find((r) => r.agencyId === noiVu.id)).toMatchObject({ reported: false, onTime: false, submissions: 0 });
      // The March report saw no submission: they all happened later.
      const march = (await call(server, admin, 'GET', `/api/trackers/${trackerId}/report?asOf=${ASOF}`)).body as Report;
      expect(march.reporting.every((r) => !r.reported)).toBe(true);
    });

    it('gives the same tables as report.xlsx', async () => {
      const res = await call(server, admin, 'GET', `/api/trackers/${trackerId}/report.xlsx?asOf=${ASOF}`);
      expect(res.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body as never);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['Tổng hợp', 'Nhiệm vụ chậm, sắp đến hạn', 'Tình hình báo cáo']);
      const summary = wb.getWorksheet('Tổng hợp')!;
      const rows: unknown[][] = [];
      summary.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      const khcnRow = rows.find((r) => r[1] === KHCN)!;
      expect(khcnRow.slice(2, 9)).toEqual([7, 2, 1, 1, 1, 1, 1]);
      expect(khcnRow[9]).toBeCloseTo(3 / 7);
      expect(khcnRow[10]).toBeCloseTo(3 / 4);
      const late = wb.getWorksheet('Nhiệm vụ chậm, sắp đến hạn')!;
      const lateTasks: unknown[] = [];
      late.eachRow((row, n) => n > 4 && lateTasks.push(row.getCell(2).value));
      expect(lateTasks).toEqual(['Nhiệm vụ r7', 'Nhiệm vụ r3', 'Nhiệm vụ r4']);
    });
  });

  it('serves an OpenAPI document generated from the schemas', async () => {
    const res = await call(server, null, 'GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/agencies', '/api/trackers', '/api/trackers/{id}/sync', '/api/trackers/{id}/changes', '/api/trackers/{id}/report', '/api/trackers/{id}/dashboard', '/api/trackers/{id}/tasks/{taskId}/history']),
    );
    expect(res.body.components.schemas.SyncRequest.properties.changes.type).toBe('array');
    expect(res.body.components.schemas.ProgressFields.properties.status.enum).toEqual(['not_started', 'in_progress', 'done']);
  });

  it('answers /healthz while the database does', async () => {
    const res = await call(server, null, 'GET', '/healthz');
    expect(res.status).toBe(200);
  });
});
