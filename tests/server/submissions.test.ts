/**
 * Returned tracker workbooks: written by io/tracker-workbook, filled with exceljs
 * the way an agency fills it in Excel, uploaded, and merged like a sync.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { writeTrackerWorkbook } from '../../io/tracker-workbook';
import type { Task } from '../../shared/schemas';
import { DATABASE_KINDS, stopTestDatabases } from './pg-cluster';
import { call, createAgency, fileForm, startServer, task, type TestServer } from './http';

const KHCN = 'Sở Khoa học và Công nghệ';
const NOI_VU = 'Sở Nội vụ';
const TASKS: Task[] = [
  task('s1', [KHCN], { stt: '1', task: 'Xây dựng kế hoạch chuyển đổi số' }),
  task('s2', [KHCN], { stt: '2', task: 'Đánh giá mức độ trưởng thành số' }),
  task('s3', [NOI_VU], { stt: '3', task: 'Rà soát thủ tục hành chính' }),
  task('s4', [KHCN], { stt: '4', task: 'Tổ chức hội thảo' }),
  task('s5', [KHCN], { stt: '5', task: 'Sơ kết 6 tháng' }),
];

const tmp = mkdtempSync(path.join(os.tmpdir(), 'annex-submissions-'));
afterAll(async () => {
  rmSync(tmp, { recursive: true, force: true });
  await stopTestDatabases();
});

/** The tracker sheet's columns by header text, and its rows by hidden task id. */
function sheetMap(sheet: ExcelJS.Worksheet) {
  const columns = new Map<string, number>();
  sheet.getRow(3).eachCell((cell, col) => columns.set(String(cell.value), col));
  const rows = new Map<string, ExcelJS.Row>();
  sheet.eachRow((row, n) => {
    const id = row.getCell(1).value;
    if (n > 3 && typeof id === 'string') rows.set(id, row);
  });
  const col = (header: string) => {
    const c = columns.get(header);
    if (!c) throw new Error(`no column ${header}`);
    return c;
  };
  return { col, rows };
}

async function bytesOf(workbook: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** A copy of the workbook with cells filled by task id and header text (and the export stamp replaced, when given). */
async function filled(bytes: Uint8Array, cells: Record<string, Record<string, string | null>>, stamp?: string): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as never);
  const sheet = wb.worksheets[0];
  const { col, rows } = sheetMap(sheet);
  for (const [id, values] of Object.entries(cells)) for (const [header, value] of Object.entries(values)) rows.get(id)!.getCell(col(header)).value = value;
  if (stamp) sheet.getCell('A1').value = stamp;
  return bytesOf(wb);
}

describe.each(DATABASE_KINDS)('workbook submissions on %s', (kind) => {
  let server: TestServer;
  let khcn: { id: string; token: string };
  let noiVu: { id: string; token: string };
  let trackerId: string;
  /** The blank tracker as io/tracker-workbook writes it. */
  let blank: Uint8Array;

  beforeAll(async () => {
    server = await startServer(kind);
    khcn = await createAgency(server, 'Sở KH&CN');
    noiVu = await createAgency(server, NOI_VU);
    const created = await call(server, server.adminToken, 'POST', '/api/trackers', { title: 'Phụ lục thử', tasks: TASKS });
    trackerId = created.body.id;
    const file = path.join(tmp, `blank-${kind}.xlsx`);
    await writeTrackerWorkbook({ title: 'Phụ lục thử', tasks: TASKS, asOf: '2026-05-01' }, file);
    blank = readFileSync(file);
  });
  afterAll(() => server?.close());

  const upload = (token: string, bytes: Uint8Array, query = '') =>
    call(server, token, 'POST', `/api/trackers/${trackerId}/submissions${query}`, fileForm(bytes, 'bao-cao-thang-5.xlsx'));

  async function report(taskId: string, agencyId: string) {
    const tracker = (await call(server, server.adminToken, 'GET', `/api/trackers/${trackerId}`)).body;
    return tracker.tasks.find((t: { id: string }) => t.id === taskId).reports.find((r: { agencyId: string }) => r.agencyId === agencyId);
  }

  it('merges the rows an agency filled, matched by id or by STT and task, and lists the rows it cannot place', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(blank) as never);
    const sheet = wb.worksheets[0];
    const { col, rows } = sheetMap(sheet);
    const s1 = rows.get('s1')!;
    s1.getCell(col('Tình trạng')).value = 'Hoàn thành';
    s1.getCell(col('Ngày hoàn thành')).value = new Date(Date.UTC(2026, 3, 28));
    s1.getCell(col('Kết quả thực hiện')).value = 'Đã ban hành Kế hoạch số 45/KH-UBND';
    // The id cell cleared (as when a row is copied): matched by STT + task text.
    const s2 = rows.get('s2')!;
    s2.getCell(1).value = null;
    s2.getCell(col('Tình trạng')).value = 'đang thực hiện';
    s2.getCell(col('Ghi chú (khó khăn, đề xuất)')).value = 'Chờ kinh phí';
    // Not this agency's task: rejected by the merge.
    rows.get('s3')!.getCell(col('Tình trạng')).value = 'Hoàn thành';
    // A row the agency added: no task to put it on.
    const extra = sheet.addRow([]);
    extra.getCell(col('STT')).value = '99';
    extra.getCell(col('Nhiệm vụ')).value = 'Nhiệm vụ phát sinh';
    extra.getCell(col('Tình trạng')).value = 'Đang thực hiện';

    const res = await upload(khcn.token, await bytesOf(wb));
    expect(res.status).toBe(200);
    expect(res.body.applied).toEqual([
      { taskId: 's1', version: 1 },
      { taskId: 's2', version: 1 },
    ]);
    expect(res.body.rejected.map((r: { taskId: string }) => r.taskId)).toEqual(['s3']);
    expect(res.body.conflicts).toEqual([]);
    expect(res.body.unmatched).toEqual([{ row: extra.number, id: null, stt: '99', task: 'Nhiệm vụ phát sinh', reason: 'no_match' }]);
    expect(res.body.diagnostics.some((d: { code: string }) => d.code === 'progress.no_id')).toBe(true);
    expect(await report('s1', khcn.id)).toMatchObject({
      status: 'done',
      completedOn: '2026-04-28',
      result: 'Đã ban hành Kế hoạch số 45/KH-UBND',
      version: 1,
    });
    expect(await report('s2', khcn.id)).toMatchObject({ status: 'in_progress', note: 'Chờ kinh phí' });
    expect(await report('s4', khcn.id)).toBeUndefined();
    // Recorded as this period's workbook report.
    const changes = (await call(server, khcn.token, 'GET', `/api/trackers/${trackerId}/changes`)).body.changes;
    expect(changes).toHaveLength(5);
  });

  it('round-trips the agency export: only what the copy changed is proposed, a cleared cell included', async () => {
    const exported = await call(server, khcn.token, 'GET', `/api/trackers/${trackerId}/export.xlsx?agency=${khcn.id}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exported.body as never);
    const sheet = wb.getWorksheet('Theo dõi')!;
    const { col, rows } = sheetMap(sheet);
    rows.get('s1')!.getCell(col('Ghi chú (khó khăn, đề xuất)')).value = 'Đã gửi Sở Tài chính';
    rows.get('s2')!.getCell(col('Ghi chú (khó khăn, đề xuất)')).value = null;
    const before = (await call(server, khcn.token, 'GET', `/api/trackers/${trackerId}/changes`)).body.cursor;
    const res = await upload(khcn.token, await bytesOf(wb));
    expect(res.status).toBe(200);
    expect(res.body.applied).toEqual([
      { taskId: 's1', version: 2 },
      { taskId: 's2', version: 2 },
    ]);
    expect(res.body.unmatched).toEqual([]);
    expect(res.body.conflicts).toEqual([]);
    const since = await call(server, khcn.token, 'GET', `/api/trackers/${trackerId}/changes?since=${before}`);
    expect(since.body.changes.map((c: { taskId: string; field: string }) => `${c.taskId}.${c.field}`)).toEqual(['s1.note', 's2.note']);
    expect(await report('s1', khcn.id)).toMatchObject({ status: 'done', note: 'Đã gửi Sở Tài chính', version: 2 });
    expect(await report('s2', khcn.id)).toMatchObject({ status: 'in_progress', note: '' });
    // The same file again: what it changed is now stored, nothing more happens.
    const again = await upload(khcn.token, await bytesOf(wb));
    expect(again.body.conflicts).toEqual([]);
    expect((await call(server, khcn.token, 'GET', `/api/trackers/${trackerId}/changes?since=${before}`)).body.changes).toHaveLength(2);
  });

  it('merges an old copy against what it was given: its stale cells propose nothing, its edits conflict only where the service changed too', async () => {
    // April: the agency's copy says "in progress" on s5.
    await upload(khcn.token, await filled(blank, { s5: { 'Tình trạng': 'Đang thực hiện', 'Kết quả thực hiện': 'Bắt đầu' } }));
    const april = (await call(server, khcn.token, 'GET', `/api/trackers/${trackerId}/export.xlsx?agency=${khcn.id}`)).body as Buffer;
    // May, through the add-in: done.
    const v = (await report('s5', khcn.id)).version;
    const may = await call(server, khcn.token, 'POST', `/api/trackers/${trackerId}/sync`, {
      changes: [{ taskId: 's5', baseVersion: v, fields: { status: 'done', completedOn: '2026-05-20', result: 'Đã tổ chức' } }],
    });
    expect(may.body.conflicts).toEqual([]);
    // The April copy comes back with a note added and its old status and result untouched.
    const res = await upload(khcn.token, await filled(april, { s5: { 'Ghi chú (khó khăn, đề xuất)': 'Thiếu kinh phí' } }));
    expect(res.status).toBe(200);
    expect(res.body.conflicts).toEqual([]);
    expect(await report('s5', khcn.id)).toMatchObject({ status: 'done', completedOn: '2026-05-20', result: 'Đã tổ chức', note: 'Thiếu kinh phí' });
    // The April copy sets the result again: both changed it, so a conflict; the stored value stays.
    const clash = await upload(khcn.token, await filled(april, { s5: { 'Kết quả thực hiện': 'Đang chuẩn bị' } }));
    expect(clash.body.conflicts).toEqual([expect.objectContaining({ taskId: 's5', field: 'result', yours: 'Đang chuẩn bị', theirs: 'Đã tổ chức' })]);
    expect(await report('s5', khcn.id)).toMatchObject({ status: 'done', result: 'Đã tổ chức' });
  });

  it('changes nothing when the merged export of every agency comes back unchanged, however often', async () => {
    const shared = 'Nhiệm vụ chung';
    const created = await call(server, server.adminToken, 'POST', '/api/trackers', { title: 'Chủ trì chung', tasks: [task('j1', [KHCN, NOI_VU], { stt: '1', task: shared })] });
    const id = created.body.id;
    for (const [agency, note] of [
      [khcn, '  =Sở KH&CN:  chờ  số liệu '],
      [noiVu, 'Sở Nội vụ đã gửi\n\nbáo cáo'],
    ] as const) {
      await call(server, agency.token, 'POST', `/api/trackers/${id}/sync`, { changes: [{ taskId: 'j1', baseVersion: 0, fields: { status: 'in_progress', note } }] });
    }
    const history = async () => (await call(server, server.adminToken, 'GET', `/api/trackers/${id}/changes`)).body.changes.length;
    const before = await history();
    for (let round = 0; round < 2; round++) {
      const merged = (await call(server, khcn.token, 'GET', `/api/trackers/${id}/export.xlsx`)).body as Buffer;
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(merged as never);
      const res = await call(server, khcn.token, 'POST', `/api/trackers/${id}/submissions`, fileForm(await bytesOf(wb), 'tong-hop.xlsx'));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ applied: [], conflicts: [], rejected: [] });
    }
    expect(await history()).toBe(before);
    const t = (await call(server, server.adminToken, 'GET', `/api/trackers/${id}`)).body.tasks[0];
    expect(t.reports.map((r: { note: string }) => r.note)).toEqual(['  =Sở KH&CN:  chờ  số liệu ', 'Sở Nội vụ đã gửi\n\nbáo cáo']);
  });

  it('merges a copy whose stamp the service does not know as one with no base, and says so', async () => {
    const res = await upload(khcn.token, await filled(blank, { s1: { 'Văn bản/sản phẩm': 'KH 45' } }, 'ex_unknown123'));
    expect(res.status).toBe(200);
    expect(res.body.applied).toEqual([{ taskId: 's1', version: expect.any(Number) }]);
    expect(res.body.diagnostics).toContainEqual(expect.objectContaining({ code: 'submission.unknown_export', severity: 'warning' }));
  });

  it('lets the administrator upload on an agency’s behalf, naming it', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(blank) as never);
    const { col, rows } = sheetMap(wb.worksheets[0]);
    rows.get('s3')!.getCell(col('Tình trạng')).value = 'Đang thực hiện';
    const bytes = await bytesOf(wb);

    const unnamed = await upload(server.adminToken, bytes);
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.error.field).toBe('agency');
    const unknown = await upload(server.adminToken, bytes, '?agency=nobody');
    expect(unknown.status).toBe(404);
    const ok = await upload(server.adminToken, bytes, `?agency=${noiVu.id}`);
    expect(ok.status).toBe(200);
    expect(ok.body.applied).toEqual([{ taskId: 's3', version: 1 }]);
    expect(await report('s3', noiVu.id)).toMatchObject({ status: 'in_progress' });
    // An agency cannot submit for another.
    const other = await upload(khcn.token, bytes, `?agency=${noiVu.id}`);
    expect(other.status).toBe(403);
  });

  it('keeps the second of two rows for one task out of the merge', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(blank) as never);
    const sheet = wb.worksheets[0];
    const { col, rows } = sheetMap(sheet);
    rows.get('s4')!.getCell(col('Tình trạng')).value = 'Đang thực hiện';
    const copy = sheet.addRow([]);
    copy.getCell(1).value = 's4';
    copy.getCell(col('Tình trạng')).value = 'Hoàn thành';
    const res = await upload(khcn.token, await bytesOf(wb));
    expect(res.body.applied).toEqual([{ taskId: 's4', version: 1 }]);
    expect(res.body.unmatched).toEqual([expect.objectContaining({ row: copy.number, id: 's4', reason: 'duplicate' })]);
    expect(await report('s4', khcn.id)).toMatchObject({ status: 'in_progress' });
  });

  it('refuses files that are not tracker workbooks', async () => {
    const text = await upload(khcn.token, new TextEncoder().encode('not a workbook'));
    expect(text.status).toBe(400);
    const other = new ExcelJS.Workbook();
    other.addWorksheet('Khác').addRow(['Một', 'bảng', 'khác']);
    const res = await upload(khcn.token, await bytesOf(other));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('tracker.not_found');
    expect(res.body.error.messageEn).toMatch(/tracker/i);
    const none = await call(server, khcn.token, 'POST', `/api/trackers/${trackerId}/submissions`, { file: 'x' });
    expect(none.status).toBe(400);
  });
});
