import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { readTrackerWorkbook, writeTrackerWorkbook, type ExtraCell, type TrackerWorkbookInput, type WriteTrackerOptions } from '../../io/tracker-workbook';
import { zipEntryText } from '../zip-fixture';
import { trackerLayout, trackerRows } from '../../shared/tracker-layout';
import { CATEGORY_COLORS, CATEGORY_LABELS, classifyTask } from '../../shared/status';
import { addDays, excelSerialFromIso, todayIso } from '../../shared/dates';
import type { Deadline, Progress, Task } from '../../shared/schemas';

function task(id: string, stt: string, section: string | null, text: string, deadline: Partial<Deadline> & { raw: string }): Task {
  return {
    id,
    stt,
    section,
    sectionTitle: section === 'I' ? 'Hoàn thiện thể chế' : section === 'II' ? 'Phát triển khoa học, công nghệ' : null,
    task: text,
    lead: ['Sở Khoa học và Công nghệ'],
    support: [],
    leadRaw: 'Sở Khoa học và Công nghệ',
    supportRaw: 'Sở Tư pháp, các cơ quan liên quan',
    deadline: { kind: 'date', due: null, ...deadline },
    output: 'Báo cáo',
    extra: {},
  };
}
const progress = (p: Partial<Progress>): Progress => ({ status: 'not_started', result: '', completedOn: null, evidence: '', note: '', ...p });

/** Tasks around a reporting day: done late, overdue, due soon, on track, ongoing, and formula-like text. */
function sampleInput(asOf: string): TrackerWorkbookInput {
  const day = (n: number) => addDays(asOf, n);
  const date = (n: number) => ({ raw: day(n).split('-').reverse().join('/'), due: day(n) });
  return {
    title: 'PHỤ LỤC II: DANH MỤC NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM',
    asOf,
    tasks: [
      task('t-late', '1', 'I', 'Rà soát văn bản quy phạm pháp luật', date(-30)),
      task('t-over', '2', 'I', '=HYPERLINK("http://evil","bấm")', date(-20)),
      task('t-soon', '1', 'II', '@SUM(1,2)', date(3)),
      task('t-track', '2', 'II', 'Xây dựng kế hoạch chuyển đổi số', { raw: 'Năm 2099', kind: 'period', due: '2099-12-31' }),
      task('t-ongoing', '3', 'II', 'Tháo gỡ khó khăn, vướng mắc', { raw: 'Thường xuyên', kind: 'ongoing' }),
    ],
    columns: [
      { field: 'stt', header: 'STT' },
      { field: 'task', header: 'Tên nhiệm vụ' },
      { field: 'lead', header: 'Cơ quan chủ trì' },
      { field: 'support', header: 'Cơ quan phối hợp' },
      { field: 'deadline', header: 'Thời hạn hoàn thành' },
      { field: 'output', header: 'Kết quả đầu ra' },
    ],
    progress: {
      't-late': progress({ status: 'done', completedOn: day(-25), result: 'Đã ban hành' }),
      't-over': progress({ status: 'in_progress' }),
    },
  };
}


/** The workbook written to a stream, as bytes. */
async function written(input: TrackerWorkbookInput, options?: WriteTrackerOptions): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeTrackerWorkbook(input, out, options);
  return Buffer.concat(chunks);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tracker-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeTrackerWorkbook', () => {
  const asOf = '2026-04-20';
  const input = sampleInput(asOf);
  let file: string;
  let bytes: Buffer;
  let wb: ExcelJS.Workbook;
  let ws: ExcelJS.Worksheet;

  beforeAll(async () => {
    file = path.join(dir, 'tracker.xlsx');
    await writeTrackerWorkbook(input, file);
    bytes = readFileSync(file);
    wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as never);
    ws = wb.getWorksheet('Theo dõi')!;
  });

  it('writes the title, the as-of line and the header with the annex wording', () => {
    expect(ws.getCell('B1').value).toBe(input.title);
    expect(String(ws.getCell('B2').value)).toContain('20/04/2026');
    expect(ws.getRow(3).values).toEqual([
      undefined, // exceljs rows are 1-based
      'Mã nhiệm vụ (không sửa)',
      'STT',
      'Tên nhiệm vụ',
      'Cơ quan chủ trì',
      'Cơ quan phối hợp',
      'Thời hạn hoàn thành',
      'Kết quả đầu ra',
      'Hạn (ngày)',
      'Tình trạng',
      'Kết quả thực hiện',
      'Ngày hoàn thành',
      'Văn bản/sản phẩm',
      'Ghi chú (khó khăn, đề xuất)',
      'Phân loại',
    ]);
  });

  it('keeps the rows in order, with bold merged section rows', () => {
    const col = (c: string) => [4, 5, 6, 7, 8, 9, 10].map((r) => ws.getCell(`${c}${r}`).value);
    expect(col('B')).toEqual(['I', 'I.1', 'I.2', 'II', 'II.1', 'II.2', 'II.3']);
    expect(col('A')).toEqual([null, 't-late', 't-over', null, 't-soon', 't-track', 't-ongoing']);
    expect(ws.getCell('C4').value).toBe('Hoàn thiện thể chế');
    expect(ws.getCell('C4').font?.bold).toBe(true);
    expect(ws.getCell('G4').isMerged).toBe(true);
    expect(ws.getCell('G4').master.address).toBe('C4');
    expect(ws.getCell('C5').value).toBe('Rà soát văn bản quy phạm pháp luật');
    expect(ws.getCell('E5').value).toBe('Sở Tư pháp, các cơ quan liên quan');
    expect(ws.getCell('G5').value).toBe('Báo cáo');
  });

  it('sets each row tall enough for its wrapped text', () => {
    const rows = trackerRows(trackerLayout({ title: input.title, tasks: input.tasks, asOf, annexColumns: input.columns }), input.tasks, input.progress);
    rows.heights.forEach((h, i) => expect(ws.getRow(4 + i).height).toBe(h));
    expect(ws.getRow(3).height).toBe(trackerLayout({ title: input.title, tasks: input.tasks, asOf, annexColumns: input.columns }).headerHeight);
  });

  it('neutralises text that starts like a formula', () => {
    expect(ws.getCell('C6').value).toBe('\u200b=HYPERLINK("http://evil","bấm")');
    expect(ws.getCell('C8').value).toBe('\u200b@SUM(1,2)');
    expect(ws.getCell('C6').type).toBe(ExcelJS.ValueType.String);
  });

  it('writes due and completion days as date cells in dd/mm/yyyy; the id column is hidden', () => {
    expect(ws.getCell('H5').value).toEqual(new Date('2026-03-21T00:00:00Z'));
    expect(ws.getCell('H5').numFmt).toBe('dd/mm/yyyy');
    expect(ws.getCell('K5').value).toEqual(new Date('2026-03-26T00:00:00Z'));
    expect(ws.getCell('H10').value).toBeNull();
    expect(ws.getColumn('A').hidden).toBe(true);
    const layout = trackerLayout({ title: input.title, tasks: input.tasks, asOf, annexColumns: input.columns });
    layout.columns.forEach((c, i) => expect(ws.getColumn(i + 1).width).toBe(c.width));
  });

  it('sets every cell in one typeface, and breaks pages where the layout says', async () => {
    expect(ws.getCell('C5').font).toMatchObject({ name: 'Times New Roman', size: 11 });
    expect(ws.getCell('C3').font).toMatchObject({ name: 'Times New Roman', bold: true });
    expect(ws.getCell('B1').font).toMatchObject({ name: 'Times New Roman', size: 14, bold: true });
    expect(ws.getCell('B2').font).toMatchObject({ name: 'Times New Roman', size: 11 });
    expect(zipEntryText(bytes, 'xl/worksheets/sheet1.xml')).toContain('&amp;C&amp;&quot;Times New Roman,Regular&quot;&amp;11Trang &amp;P/&amp;N');
    // Enough tasks for several pages: each manual break sits on the row before the page's first row.
    const many = { ...input, tasks: Array.from({ length: 40 }, (_, i) => ({ ...input.tasks[i % 5], id: `m${i}`, section: i < 20 ? 'I' : 'II' })) };
    const layout = trackerLayout({ title: many.title, tasks: many.tasks, asOf, annexColumns: many.columns });
    const rows = trackerRows(layout, many.tasks, many.progress);
    expect(rows.pageBreaks.length).toBeGreaterThan(0);
    const xml = zipEntryText(await written(many), 'xl/worksheets/sheet1.xml');
    const breaks = [...xml.matchAll(/<brk id="(\d+)"/g)].map((m) => Number(m[1]) + 1);
    expect(breaks).toEqual(rows.pageBreaks);
  });

  it('refuses a cell longer than Excel keeps, naming its row and column, and writes nothing', async () => {
    const long = { ...input, tasks: [input.tasks[0], { ...input.tasks[1], task: 'x'.repeat(32_768) }] };
    const out = path.join(dir, 'long.xlsx');
    await expect(writeTrackerWorkbook(long, out)).rejects.toMatchObject({
      code: 'cell.too_long',
      message: expect.stringContaining('Dòng 6, cột “Tên nhiệm vụ”'),
      messageEn: expect.stringContaining('Row 6, column “Tên nhiệm vụ”: the cell holds 32768 characters'),
    });
    expect(existsSync(out)).toBe(false);
    // 32,767 characters is what Excel keeps: written whole.
    const edge = { ...input, tasks: [{ ...input.tasks[0], task: 'y'.repeat(32_767) }] };
    const back = new ExcelJS.Workbook();
    await back.xlsx.load((await written(edge)) as never);
    expect(String(back.getWorksheet('Theo dõi')!.getCell('C5').value)).toHaveLength(32_767);
  });

  it('writes the live category formula with its cached result for the as-of day', () => {
    const expected = [null, 'done_late', 'overdue', null, 'due_soon', 'on_track', 'no_deadline'];
    [4, 5, 6, 7, 8, 9, 10].forEach((r, i) => {
      const cell = ws.getCell(`N${r}`);
      expect(cell.formula).toBe(ws.getCell('N4').formula.replace(/([A-Z])4\b/g, `$1${r}`));
      expect(cell.formula).toContain('TODAY()');
      const category = expected[i] as keyof typeof CATEGORY_LABELS | null;
      // An empty cached text comes back as no result.
      expect(cell.result ?? '').toBe(category ? CATEGORY_LABELS[category].vi : '');
    });
    const t = input.tasks[1];
    expect(classifyTask(t.deadline, input.progress!['t-over'], { asOf })).toBe('overdue');
    // One shared formula: the text is written once, not 50,000 times.
    const xml = zipEntryText(bytes, 'xl/worksheets/sheet1.xml');
    expect(xml.match(/WORKDAY/g)!.length).toBeLessThan(20);
    expect(xml).toContain('t="shared" ref="N4:N10"');
  });

  it('freezes the header, filters it, and prints A4 landscape one page wide with the header repeated', () => {
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(ws.autoFilter).toBe('A3:N10');
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
    expect(zipEntryText(bytes, 'xl/workbook.xml')).toContain('<definedName name="_xlnm.Print_Titles" localSheetId="0">&apos;Theo dõi&apos;!$3:$3</definedName>');
    // Recalculate on open, so TODAY() is never read from the cached results (exceljs does not read this back).
    expect(zipEntryText(bytes, 'xl/workbook.xml')).toMatch(/<calcPr [^>]*fullCalcOnLoad="1"/);
  });

  it('has the hidden lists sheet and its defined names', () => {
    const lists = wb.getWorksheet('Danh mục')!;
    expect(lists.state).toBe('hidden');
    expect([2, 3, 4].map((r) => lists.getCell(`A${r}`).value)).toEqual(['Chưa thực hiện', 'Đang thực hiện', 'Hoàn thành']);
    expect(lists.getCell('B2').value).toEqual(expect.any(String));
    expect(lists.getCell('C2').value).toBeInstanceOf(Date);
    const names = Object.fromEntries(wb.definedNames.model.map((n) => [n.name, n.ranges]));
    expect(names.TinhTrang).toEqual(["'Danh mục'!$A$2:$A$4"]);
    expect(names.DanhSachCoQuan[0]).toMatch(/^'Danh mục'!\$B\$2:\$B\$\d+$/);
    expect(names.NgayLe[0]).toMatch(/^'Danh mục'!\$C\$2:\$C\$\d+$/);
    expect(names.NgayLamBu[0]).toMatch(/^'Danh mục'!\$E\$2:\$E\$\d+$/);
  });

  it('validates the status and completion columns, written as one range each', () => {
    const dv = (ws as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } }).dataValidations.model;
    expect(dv.I5).toMatchObject({ type: 'list', formulae: ['TinhTrang'], showErrorMessage: true });
    expect(dv.I10).toMatchObject({ type: 'list', formulae: ['TinhTrang'] });
    expect(dv.K5).toMatchObject({ type: 'date', operator: 'greaterThanOrEqual', formulae: [new Date('2000-01-01T00:00:00Z')] });
    expect(dv.D5).toMatchObject({ type: 'list', formulae: ['DanhSachCoQuan'] });
    expect(dv.D5.showErrorMessage).toBeFalsy();
    const xml = zipEntryText(bytes, 'xl/worksheets/sheet1.xml');
    expect(xml.match(/<dataValidation /g)).toHaveLength(4);
    expect(xml).toContain('sqref="I4:I10"><formula1>TinhTrang</formula1>');
    expect(xml).toContain('sqref="K4:K10"><formula1>36526</formula1>');
  });

  it('colours rows only by conditional formatting rules on TODAY()', () => {
    const cf = (ws as unknown as { conditionalFormattings: ExcelJS.ConditionalFormattingOptions[] }).conditionalFormattings;
    expect(cf).toHaveLength(1);
    expect(cf[0].ref).toBe('A4:N10');
    const rules = cf[0].rules as ExcelJS.ExpressionRuleType[];
    expect(rules).toHaveLength(6);
    const fills = rules.map((r) => (r.style!.fill as ExcelJS.FillPattern).bgColor!.argb);
    expect(fills).toEqual(['done_on_time', 'done_late', 'on_track', 'due_soon', 'overdue', 'no_deadline'].map((c) => 'FF' + CATEGORY_COLORS[c as 'overdue'].fill));
    const fonts = rules.map((r) => r.style!.font!.color!.argb);
    expect(fonts).toEqual(['done_on_time', 'done_late', 'on_track', 'due_soon', 'overdue', 'no_deadline'].map((c) => 'FF' + CATEGORY_COLORS[c as 'overdue'].font));
    expect(rules.filter((r) => r.formulae![0].includes('TODAY()'))).toHaveLength(3);
    for (const r of rules) expect(r.formulae![0]).toMatch(/^AND\(\$A4<>"",/);
    // No fixed fill on task cells.
    for (const a of ['B5', 'C6', 'N8', 'I9']) expect(ws.getCell(a).fill?.type === 'pattern' ? ws.getCell(a).fill : undefined).not.toMatchObject({ pattern: 'solid' });
  });

  it('writes an English sheet whose formulas compare English texts', async () => {
    const en = new ExcelJS.Workbook();
    await en.xlsx.load((await written({ ...sampleInput(asOf), lang: 'en', columns: undefined })) as never);
    const sheet = en.getWorksheet('Tracker')!;
    expect(sheet.getCell('I3').value).toBe('Progress');
    expect(sheet.getCell('I6').value).toBe('In progress');
    expect(sheet.getCell('N6').formula).toContain('$I6="Done"');
    expect(sheet.getCell('N6').result).toBe('Overdue');
    expect(en.getWorksheet('Lists')!.getCell('A4').value).toBe('Done');
  });
});

describe('writeTrackerWorkbook extra sheets and failures', () => {
  const asOf = '2026-04-20';

  it('writes each extra sheet after the tracker and before the hidden lists, row by row from an iterable', async () => {
    let read = 0;
    function* reports(): Generator<ExtraCell[]> {
      for (const row of [
        ['t-late', '=cmd|"/c calc"!A1', new Date(Date.UTC(2026, 2, 26)), 3, ''],
        ['t-over', 'Sở Nội vụ', null, 1, 'Đang làm'],
      ] as ExtraCell[][]) {
        read++;
        yield row;
      }
    }
    const options: WriteTrackerOptions = {
      extraSheets: [
        {
          name: 'Báo cáo từng cơ quan',
          columns: [
            { header: 'Mã nhiệm vụ', width: 14, hidden: true },
            { header: 'Cơ quan báo cáo', width: 28 },
            { header: 'Ngày hoàn thành', numFmt: 'dd/mm/yyyy', wrap: false },
            { header: 'Phiên bản' },
            { header: 'Ghi chú' },
          ],
          rows: reports(),
        },
      ],
    };
    const bytes = await written(sampleInput(asOf), options);
    expect(read).toBe(2);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as never);
    expect(wb.worksheets.map((w) => [w.name, w.state])).toEqual([
      ['Theo dõi', 'visible'],
      ['Báo cáo từng cơ quan', 'visible'],
      ['Danh mục', 'hidden'],
    ]);
    const sheet = wb.getWorksheet('Báo cáo từng cơ quan')!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Mã nhiệm vụ', 'Cơ quan báo cáo', 'Ngày hoàn thành', 'Phiên bản', 'Ghi chú']);
    expect(sheet.getCell('A1').font?.bold).toBe(true);
    expect(sheet.getColumn('A').hidden).toBe(true);
    expect(sheet.getColumn('B').width).toBe(28);
    expect(sheet.getCell('B2').value).toBe('\u200b=cmd|"/c calc"!A1');
    expect(sheet.getCell('C2').value).toEqual(new Date('2026-03-26T00:00:00Z'));
    expect(sheet.getCell('C2').numFmt).toBe('dd/mm/yyyy');
    expect(sheet.getCell('D2').value).toBe(3);
    // '' and null leave the cell blank.
    expect(sheet.getCell('E2').value).toBeNull();
    expect(sheet.getCell('C3').value).toBeNull();
    expect(sheet.getCell('E3').value).toBe('Đang làm');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBe('A1:E3');
    // The lists moved to the third sheet: their names follow them, the print titles stay on the tracker.
    const names = Object.fromEntries(wb.definedNames.model.map((n) => [n.name, n.ranges]));
    expect(names.TinhTrang).toEqual(["'Danh mục'!$A$2:$A$4"]);
    expect(zipEntryText(bytes, 'xl/workbook.xml')).toContain('<definedName name="_xlnm.Print_Titles" localSheetId="0">&apos;Theo dõi&apos;!$3:$3</definedName>');
  });

  it('rejects with the fs error when the file cannot be created', async () => {
    const file = path.join(dir, 'no-such-folder', 'tracker.xlsx');
    await expect(writeTrackerWorkbook(sampleInput(asOf), file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('leaves no partial file when writing fails half way', async () => {
    const file = path.join(dir, 'partial.xlsx');
    function* failing(): Generator<ExtraCell[]> {
      yield ['a'];
      throw new Error('store went away');
    }
    await expect(writeTrackerWorkbook(sampleInput(asOf), file, { extraSheets: [{ name: 'X', columns: [{ header: 'A' }], rows: failing() }] })).rejects.toThrow(
      'store went away',
    );
    expect(existsSync(file)).toBe(false);
  });

  it('rejects with the error of a target stream that fails', async () => {
    const broken = new Writable({ write: (_chunk, _encoding, done) => done(new Error('disk full')) });
    await expect(writeTrackerWorkbook(sampleInput(asOf), broken)).rejects.toThrow('disk full');
  });
});

describe('LibreOffice recalculation', () => {
  const soffice = spawnSync('which', ['soffice']).status === 0;
  const run = soffice ? it : it.skip;
  if (!soffice) console.warn('soffice is not installed: skipping the LibreOffice recalculation test (apt-get install libreoffice-calc-nogui)');

  run('recalculates the category texts and the colour rules to the cached results when the as-of day is today', async () => {
    const asOf = todayIso();
    const input = sampleInput(asOf);
    input.tasks.push(task('t-ontime', '4', 'II', 'Hoàn thành sớm', { raw: 'Năm 2099', due: '2099-12-31' }));
    input.progress!['t-ontime'] = progress({ status: 'done', completedOn: addDays(asOf, -1) });
    const file = path.join(dir, 'today.xlsx');
    await writeTrackerWorkbook(input, file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet('Theo dõi')!;
    const rows = [4, 5, 6, 7, 8, 9, 10, 11];
    const expected = rows.map((r) => String(ws.getCell(`N${r}`).result ?? ''));
    // Every category, and the empty text of section rows.
    expect(new Set(expected).size).toBe(7);

    // Drop the cached texts so that LibreOffice has to compute them.
    for (const r of rows) ws.getCell(`N${r}`).value = { formula: ws.getCell(`N${r}`).formula } as ExcelJS.CellFormulaValue;
    // Each colour rule, evaluated in a cell of its own (P…U) for every row, must hold exactly for the row's category.
    const cf = (ws as unknown as { conditionalFormattings: { rules: ExcelJS.ExpressionRuleType[] }[] }).conditionalFormattings[0];
    const order = cf.rules.map((rule) => CATEGORY_LABELS[categoryOfColour(rule)].vi);
    for (const r of rows) {
      cf.rules.forEach((rule, i) => {
        const formula = rule.formulae![0].replace(/(\$[A-Z]+)4\b/g, `$1${r}`);
        // No cached result: LibreOffice keeps the cached value of a formula that does not call TODAY().
        ws.getCell(r, 16 + i).value = { formula: `IF(${formula},1,0)` } as ExcelJS.CellFormulaValue;
      });
    }
    const probe = path.join(dir, 'probe.xlsx');
    await wb.xlsx.writeFile(probe);

    const out = path.join(dir, 'csv');
    const r = spawnSync(
      'soffice',
      [`-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', out, probe],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(r.status).toBe(0);
    const csv = readFileSync(path.join(out, readdirSync(out)[0]), 'utf8').split(/\r?\n/);
    // Rows 4…11; the category and the six rule cells are the last seven fields (their texts hold no comma).
    const lines = csv.slice(3, 11).map((line) => line.split(',').slice(-8).map((f) => f.replace(/^"|"$/g, '')));
    expect(lines.map((f) => f[0])).toEqual(expected);
    lines.forEach((f, i) => {
      const holds = f.slice(2).flatMap((v, k) => (v === '1' ? [order[k]] : []));
      expect(holds).toEqual(expected[i] ? [expected[i]] : []);
    });
    // The neutralised texts stay text after LibreOffice reads them.
    expect(csv[5]).toContain('\u200b=HYPERLINK');
  });
});

/** The category a rule colours, known by its fill. */
function categoryOfColour(rule: ExcelJS.ExpressionRuleType): keyof typeof CATEGORY_COLORS {
  const fill = (rule.style!.fill as ExcelJS.FillPattern).bgColor!.argb!.slice(2);
  return (Object.keys(CATEGORY_COLORS) as (keyof typeof CATEGORY_COLORS)[]).find((c) => CATEGORY_COLORS[c].fill === fill)!;
}

describe('readTrackerWorkbook', () => {
  it('reads the progress an agency filled in, naming the rows it cannot read', async () => {
    const file = path.join(dir, 'returned.xlsx');
    await writeTrackerWorkbook(sampleInput('2026-04-20'), file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet('Theo dõi')!;
    // As an agency fills it: text statuses, a date cell, a serial, typed dates, one impossible day.
    ws.getCell('I5').value = 'Hoàn thành';
    ws.getCell('K5').value = new Date(Date.UTC(2026, 3, 18));
    ws.getCell('J5').value = 'Đã ban hành\nQuyết định số 12/QĐ-UBND';
    ws.getCell('L5').value = { text: '12/QĐ-UBND', hyperlink: 'https://example.vn/12' };
    ws.getCell('I6').value = 'in progress';
    ws.getCell('M6').value = '=gửi lại sau';
    ws.getCell('I8').value = 'Xong rồi';
    ws.getCell('K8').value = excelSerialFromIso('2026-05-07');
    ws.getCell('I9').value = 'Hoàn thành';
    ws.getCell('K9').value = '31/2/2026';
    ws.getCell('I10').value = 'Tạm dừng';
    ws.getCell('K10').value = '5/5/2026';
    const returned = Buffer.from(await wb.xlsx.writeBuffer());

    const { rows, diagnostics } = await readTrackerWorkbook(returned);
    expect(rows.map((r) => [r.row, r.id, r.stt])).toEqual([
      [5, 't-late', 'I.1'],
      [6, 't-over', 'I.2'],
      [8, 't-soon', 'II.1'],
      [9, 't-track', 'II.2'],
      [10, 't-ongoing', 'II.3'],
    ]);
    expect(rows[0].task).toBe('Rà soát văn bản quy phạm pháp luật');
    expect(rows[0].progress).toEqual({
      status: 'done',
      completedOn: '2026-04-18',
      result: 'Đã ban hành\nQuyết định số 12/QĐ-UBND',
      evidence: '12/QĐ-UBND',
      note: '',
    });
    expect(rows[1].task).toBe('=HYPERLINK("http://evil","bấm")');
    expect(rows[1].progress).toMatchObject({ status: 'in_progress', note: '=gửi lại sau', completedOn: null });
    // "Xong rồi" is not one of the list's values: reported, not taken as done.
    expect(rows[2].progress).toMatchObject({ status: 'not_started', completedOn: '2026-05-07' });
    expect(rows[3].progress).toMatchObject({ status: 'done', completedOn: null });
    expect(rows[4].progress).toMatchObject({ status: 'not_started', completedOn: '2026-05-05' });
    expect(diagnostics).toEqual([
      expect.objectContaining({ row: 8, field: 'status', severity: 'error', code: 'progress.status_unknown', message: expect.stringContaining('“Xong rồi” không có trong danh sách') }),
      expect.objectContaining({ row: 9, field: 'completedOn', severity: 'error', code: 'progress.date_invalid', message: expect.stringContaining('31/2/2026') }),
      expect.objectContaining({ row: 10, field: 'status', severity: 'error', code: 'progress.status_unknown', message: expect.stringContaining('Tạm dừng') }),
    ]);
  });

  it('reads the notes from the annex’s own “Ghi chú” column, which the tracker kept as its notes column', async () => {
    const input = sampleInput('2026-04-20');
    input.columns = [...input.columns!, { field: null, header: 'Ghi chú' }];
    input.tasks = input.tasks.map((t, i) => ({ ...t, extra: { 'Ghi chú': i === 0 ? 'Ưu tiên' : '' } }));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await written(input)) as never);
    const ws = wb.getWorksheet('Theo dõi')!;
    const headers = (ws.getRow(3).values as unknown[]).filter((v) => typeof v === 'string' && v.startsWith('Ghi chú'));
    expect(headers).toEqual(['Ghi chú']);
    ws.getCell('M6').value = 'Chờ kinh phí';
    const { rows } = await readTrackerWorkbook(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(rows.map((r) => r.progress.note)).toEqual(['Ưu tiên', 'Chờ kinh phí', '', '', '']);
  });

  it('finds an English tracker and refuses a workbook without one', async () => {
    const file = path.join(dir, 'en.xlsx');
    await writeTrackerWorkbook({ ...sampleInput('2026-04-20'), lang: 'en' }, file);
    const { rows } = await readTrackerWorkbook(readFileSync(file));
    expect(rows.map((r) => r.id)).toEqual(['t-late', 't-over', 't-soon', 't-track', 't-ongoing']);
    expect(rows[0].progress).toMatchObject({ status: 'done', completedOn: '2026-03-26', result: 'Đã ban hành' });

    const other = new ExcelJS.Workbook();
    other.addWorksheet('Sheet1').addRow(['STT', 'Nhiệm vụ']);
    await expect(readTrackerWorkbook(Buffer.from(await other.xlsx.writeBuffer()))).rejects.toMatchObject({ code: 'tracker.not_found' });
  });
});
