/**
 * Issue 10 over HTTP on SQLite and PostgreSQL: one agency's file or request
 * must not block the service, damage the export for everyone, inject a
 * formula through a header, lock others out, or reach the database as a
 * 500 (NUL, impossible days).
 */
import { execFileSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { DATABASE_KINDS, stopTestDatabases } from './pg-cluster';
import { call, createAgency, fileForm, startServer, task, type TestServer } from './http';

afterAll(stopTestDatabases);

const KHCN = 'Sở Khoa học và Công nghệ';
const HEADER_ATTACK = "=cmd|' /C calc'!A0";

/** A CSV annex of `rows` tasks and `extraColumns` more columns. */
function csvAnnex(rows: number, extraColumns = 0): Uint8Array {
  const extra = Array.from({ length: extraColumns }, (_, i) => `Cột ${i + 1}`);
  const lines = [['STT', 'Tên nhiệm vụ', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời hạn hoàn thành', 'Kết quả đầu ra', ...extra].join(',')];
  for (let i = 1; i <= rows; i++) lines.push([i, `Nhiệm vụ số ${i}`, KHCN, '', 'Tháng 6/2026', 'Báo cáo', ...extra.map(() => 'x')].join(','));
  return Buffer.from(lines.join('\n'), 'utf8');
}

describe.each(DATABASE_KINDS)('hostile input on %s', (kind) => {
  let server: TestServer;
  let khcn: { id: string; token: string };
  let trackerId: string;

  beforeAll(async () => {
    server = await startServer(kind, { config: { uploadMaxRows: 50, uploadMaxColumns: 20, uploadMaxCells: 400 } });
    khcn = await createAgency(server, KHCN);
    const created = await call(server, server.adminToken, 'POST', '/api/trackers', {
      title: '＝HYPERLINK("http://evil.example")',
      tasks: [task('h1', [KHCN], { stt: '1', extra: { [HEADER_ATTACK]: 'x', '＠SUM(1)': 'y' } }), task('h2', [KHCN], { stt: '2' })],
    });
    expect(created.status).toBe(201);
    trackerId = created.body.id;
  });
  afterAll(() => server?.close());

  const sync = (fields: Record<string, unknown>, taskId = 'h1') =>
    call(server, khcn.token, 'POST', `/api/trackers/${trackerId}/sync`, { changes: [{ taskId, baseVersion: 0, fields }] });
  const exportBytes = async () => (await call(server, server.adminToken, 'GET', `/api/trackers/${trackerId}/export.xlsx?asOf=2026-06-01`)).body as Buffer;

  it('answers a returned tracker whose result cell is "<b" × 160,000, and keeps answering /healthz', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exportBytes()) as never);
    const sheet = wb.worksheets[0];
    const header = sheet.getRow(3);
    let resultCol = 0;
    header.eachCell((cell, col) => {
      if (String(cell.value).includes('Kết quả thực hiện')) resultCol = col;
    });
    expect(resultCol).toBeGreaterThan(0);
    sheet.getRow(4).getCell(resultCol).value = '<b'.repeat(160_000);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const [answer, health] = await Promise.all([
      call(server, khcn.token, 'POST', `/api/trackers/${trackerId}/submissions`, fileForm(bytes, 'returned.xlsx')),
      call(server, null, 'GET', '/healthz'),
    ]);
    expect(health.status).toBe(200);
    expect(answer.status).toBeLessThan(500);
    // The cell was cut to Excel's limit before anything else, then refused by the result field's own limit.
    expect(JSON.stringify(answer.body)).not.toContain('<b'.repeat(20_000));
  });

  it.each([
    ['rows', csvAnnex(60), /beyond the 50-row limit/],
    ['columns', csvAnnex(3, 20), /beyond the 20-column limit/],
    ['cells', csvAnnex(45, 4), /more than 400 non-empty cells/],
  ])('refuses an upload over the %s limit with 413 naming it', async (what, bytes, message) => {
    const res = await call(server, server.adminToken, 'POST', '/api/trackers', fileForm(bytes, 'annex.csv', { title: 'Lớn' }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe(`file.too_many_${what}`);
    expect(res.body.error.messageEn).toMatch(message);
    expect(res.body.error.message).toMatch(/giới hạn/);
    expect((await call(server, null, 'GET', '/healthz')).status).toBe(200);
  });

  it('reads an upload within the limits', async () => {
    const res = await call(server, server.adminToken, 'POST', '/api/trackers', fileForm(csvAnnex(40), 'annex.csv', { title: 'Vừa' }));
    expect(res.status).toBe(201);
    expect(res.body.tasks).toHaveLength(40);
  });

  it.each(['2026-99-99', '2026-02-30', '2027-02-29'])('refuses completedOn %s with 400 naming the field', async (day) => {
    const res = await sync({ status: 'done', completedOn: day });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('changes.0.fields.completedOn');
  });

  it.each([
    ['NUL in a note', { note: 'a\u0000b' }, 'h1', 'changes.0.fields.note'],
    ['U+FFFE in a result', { result: '\ufffe' }, 'h1', 'changes.0.fields.result'],
    ['U+FFFF in evidence', { evidence: 'x\uffff' }, 'h1', 'changes.0.fields.evidence'],
    ['a control character in a note', { note: 'bell\u0007' }, 'h1', 'changes.0.fields.note'],
    ['NUL in a task id', { note: 'x' }, 'h\u0000', 'changes.0.taskId'],
  ])('refuses %s with 400, not 500', async (_what, fields, taskId, field) => {
    const res = await sync(fields, taskId);
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe(field);
    expect(res.body.error.messageEn).toMatch(/control characters/);
  });

  it('refuses NUL in a path or query id with 400, not 500', async () => {
    for (const route of [`/api/trackers/t%00x`, `/api/trackers/${trackerId}/export.xlsx?agency=a%00`, `/api/agencies/a%00/tokens`]) {
      const res = await call(server, server.adminToken, 'GET', route);
      expect(res.status).toBe(400);
    }
  });

  it('refuses NUL in an agency name and a tracker title', async () => {
    expect((await call(server, server.adminToken, 'POST', '/api/agencies', { name: 'Sở\u0000' })).status).toBe(400);
    expect((await call(server, server.adminToken, 'POST', '/api/trackers', { title: 'T\u0000', tasks: [task('z', [KHCN])] })).status).toBe(400);
  });

  it.each(['report', 'report.xlsx', 'dashboard', 'export.xlsx'])('answers 400 to asOf=2026-99-99 on %s', async (route) => {
    const res = await call(server, server.adminToken, 'GET', `/api/trackers/${trackerId}/${route}?asOf=2026-99-99`);
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('asOf');
  });

  it('writes an export every XML reader accepts, with text that needs care kept', async () => {
    expect((await sync({ status: 'done', completedOn: '2026-02-28', note: 'dòng 1\n\tdòng 2 <&>' })).status).toBe(200);
    const zip = await JSZip.loadAsync(await exportBytes());
    const parts = Object.keys(zip.files).filter((n) => n.endsWith('.xml'));
    expect(parts).toContain('xl/sharedStrings.xml');
    for (const name of parts) {
      const xml = await zip.file(name)!.async('nodebuffer');
      // xmllint exits non-zero on any character XML 1.0 forbids.
      execFileSync('xmllint', ['--noout', '-'], { input: xml });
    }
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exportBytes()) as never);
    const cells: unknown[] = [];
    wb.worksheets[0].eachRow((row) => row.eachCell((c) => void cells.push(c.value)));
    expect(cells.some((v) => typeof v === 'number' && Number.isNaN(v))).toBe(false);
  });

  it('neutralises annex header cells and the title, full-width forms included', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exportBytes()) as never);
    const texts: string[] = [];
    for (const sheet of wb.worksheets) sheet.eachRow((row) => row.eachCell((c) => void (typeof c.value === 'string' && texts.push(c.value))));
    expect(texts.filter((t) => /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/.test(t))).toEqual([]);
    expect(texts).toEqual(expect.arrayContaining([`\u200b${HEADER_ATTACK}`, '\u200b＠SUM(1)', '\u200b＝HYPERLINK("http://evil.example")']));
  });
});

describe.each(DATABASE_KINDS)('failed-authentication limit on %s', (kind) => {
  it('cuts off guesses from an address without locking out valid tokens behind it', async () => {
    const server = await startServer(kind, { config: { rateLimit: 5 } });
    try {
      const khcn = await createAgency(server, KHCN);
      const guesses: number[] = [];
      for (let i = 0; i < 8; i++) guesses.push((await call(server, `guess-${i}-${'x'.repeat(40)}`, 'GET', '/api/trackers')).status);
      expect(guesses.slice(0, 4)).toEqual([401, 401, 401, 401]);
      expect(guesses.slice(-2)).toEqual([429, 429]);
      // The administrator and the agency, from the same address, are still served.
      expect((await call(server, server.adminToken, 'GET', '/api/trackers')).status).toBe(200);
      expect((await call(server, khcn.token, 'GET', '/api/me')).status).toBe(200);
      expect((await call(server, null, 'GET', '/api/me')).status).toBe(429);
    } finally {
      await server.close();
    }
  });
});
