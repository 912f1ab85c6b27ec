import { OfficeMockObject } from 'office-addin-mock';
import { FakeWorkbook, type FakeSheet } from './fake-excel';
import { fixtureGrid } from '../shared/grid-from-text';
import { recognizeAnnex, type Recognition } from '../../shared/annex';
import { defaultRegistry } from '../../shared/agencies';
import { excelSerialFromIso, todayIso } from '../../shared/dates';
import type { Progress, Task } from '../../shared/schemas';
import { reportLayout } from '../../shared/report-layout';
import { CATEGORY_COLORS, classifyTask, summarize } from '../../shared/status';
import {
  NAMES,
  REPORT_DAY,
  categoryFormula,
  columnOf,
  qualifiedStt,
  trackerLayout,
  trackerRows,
  type TrackerLayout,
} from '../../shared/tracker-layout';
import {
  MAX_REQUEST_BYTES,
  READ_CELLS_PER_SYNC,
  readActiveGrid,
  readTracker,
  selectCell,
  setReportDate,
  writeIds,
  writeProgress,
  writeReportSheet,
  type ReportSheetInput,
  writeTracker,
} from '../../addin/src/excel/adapter';
import { featuresFrom, type Features } from '../../addin/src/excel/features';

// office-addin-mock needs only the OfficeApp names from office-addin-manifest, whose
// dependency tree loads an ES-module-only package that jest's CommonJS runtime cannot require.
jest.mock('office-addin-manifest', () => ({
  OfficeApp: { Excel: 'excel', OneNote: 'onenote', Outlook: 'outlook', PowerPoint: 'powerpoint', Project: 'project', Word: 'word' },
}));

const asOf = '2026-05-20';
const context = (wb: FakeWorkbook) => wb.context() as unknown as Excel.RequestContext;
const featuresOf = (wb: FakeWorkbook): Features => featuresFrom((name, version) => wb.isSetSupported(name, version));
const progress = (p: Partial<Progress>): Progress => ({ status: 'not_started', result: '', completedOn: null, evidence: '', note: '', ...p });
const agencyNames = defaultRegistry.agencies.map((a) => a.name);

/** A workbook whose active sheet holds the seed annex as a user pasted it. */
function annexWorkbook(options: ConstructorParameters<typeof FakeWorkbook>[0] = {}): FakeWorkbook {
  const wb = new FakeWorkbook(options);
  const grid = fixtureGrid('seeds/003-phu-luc-II.txt');
  wb.addSheet('Phụ lục II').setValues(grid.rows.map((r) => r.map((v) => (typeof v === 'string' ? v : null))));
  wb.activeSheet = 'Phụ lục II';
  return wb;
}

async function recognise(wb: FakeWorkbook): Promise<Recognition> {
  const { grid } = await readActiveGrid(context(wb), featuresOf(wb));
  return recognizeAnnex(grid, { asOf });
}

function layoutFor(rec: Pick<Recognition, 'title' | 'tasks' | 'columns'>): TrackerLayout {
  return trackerLayout({ title: rec.title, tasks: rec.tasks, annexColumns: rec.columns, asOf, agencyNames });
}

/** Progress on a few tasks so that every category shows up. */
function someProgress(tasks: readonly Task[]): Record<string, Progress> {
  return {
    [tasks[0].id]: progress({ status: 'done', completedOn: '2026-03-10', result: 'Đã ban hành kế hoạch' }),
    [tasks[1].id]: progress({ status: 'done', completedOn: '2026-05-15' }),
    [tasks[2].id]: progress({ status: 'in_progress', note: '=cần gia hạn' }),
  };
}

function expectCell(sheet: FakeSheet, address: string) {
  return expect(sheet.formulaAt(address));
}

describe('readActiveGrid', () => {
  it('reads the used range, padded to sheet columns, with blanks as null (office-addin-mock)', async () => {
    const mock = new OfficeMockObject({
      workbook: {
        worksheets: {
          active: {
            name: 'Phụ lục',
            used: { rowIndex: 2, columnIndex: 1, rowCount: 2, columnCount: 3 },
            band: { values: [['STT', 'Nhiệm vụ', ''], ['1', 'Rà soát', 46142]] },
            requested: '',
            getUsedRange() {
              return this.used;
            },
            getRange(address: string) {
              this.requested = address;
              return this.band;
            },
          },
          getActiveWorksheet() {
            return this.active;
          },
        },
      },
    });
    const sync = jest.spyOn(mock, 'sync');
    const { sheetName, grid } = await readActiveGrid(mock as unknown as Excel.RequestContext);
    expect(sheetName).toBe('Phụ lục');
    expect((mock as unknown as { workbook: { worksheets: { active: { requested: string } } } }).workbook.worksheets.active.requested).toBe('B3:D4');
    expect(grid).toEqual({
      sheet: 'Phụ lục',
      firstRow: 3,
      merges: [],
      rows: [
        [null, 'STT', 'Nhiệm vụ', null],
        [null, '1', 'Rà soát', 46142],
      ],
    });
    expect(sync).toHaveBeenCalledTimes(2);
  });

  it('lists merged areas in grid coordinates where ExcelApi 1.13 can', async () => {
    const wb = new FakeWorkbook();
    const sheet = wb.addSheet('A');
    sheet.setValues([['PHỤ LỤC'], [], ['STT', 'Nhiệm vụ']], 'B2');
    sheet.merge('B2:D2');
    wb.activeSheet = 'A';
    const { grid } = await readActiveGrid(context(wb), { mergedAreas: true });
    expect(grid.firstRow).toBe(2);
    expect(grid.merges).toEqual([{ top: 0, left: 1, bottom: 0, right: 3 }]);
    expect(grid.rows[2]).toEqual([null, 'STT', 'Nhiệm vụ', null]);
    expect(wb.syncCount).toBe(2);
  });
});

describe('selectCell (office-addin-mock)', () => {
  it('activates the sheet and selects the cell in one sync', async () => {
    const mock = new OfficeMockObject({
      workbook: {
        worksheets: {
          sheet: {
            name: '',
            activated: false,
            range: {
              address: '',
              selected: false,
              select() {
                this.selected = true;
              },
            },
            activate() {
              this.activated = true;
            },
            getRange(address: string) {
              this.range.address = address;
              return this.range;
            },
          },
          getItem(name: string) {
            this.sheet.name = name;
            return this.sheet;
          },
        },
      },
    });
    const sync = jest.spyOn(mock, 'sync');
    await selectCell(mock as unknown as Excel.RequestContext, 'Theo dõi', 'K12');
    const sheet = (mock as unknown as { workbook: { worksheets: { sheet: Record<string, unknown> & { range: Record<string, unknown> } } } }).workbook.worksheets.sheet;
    expect(sheet).toMatchObject({ name: 'Theo dõi', activated: true });
    expect(sheet.range).toMatchObject({ address: 'K12', selected: true });
    expect(sync).toHaveBeenCalledTimes(1);
  });

  it('selects on the fake workbook too', async () => {
    const wb = new FakeWorkbook();
    wb.addSheet('Theo dõi');
    await selectCell(context(wb), 'Theo dõi', 'K12');
    expect([wb.activeSheet, wb.selection, wb.syncCount]).toEqual(['Theo dõi', 'K12', 1]);
  });
});

describe('writeTracker on the seed annex (Phụ lục II, 61 tasks in 7 sections)', () => {
  let wb: FakeWorkbook;
  let rec: Recognition;
  let layout: TrackerLayout;
  let rows: ReturnType<typeof trackerRows>;
  let prog: Record<string, Progress>;
  let sheet: FakeSheet;
  let syncs: number;

  beforeAll(async () => {
    wb = annexWorkbook();
    rec = await recognise(wb);
    layout = layoutFor(rec);
    prog = someProgress(rec.tasks);
    rows = trackerRows(layout, rec.tasks, prog);
    wb.resetCounters();
    const out = await writeTracker(context(wb), { sheetName: layout.sheetName, layout, rows, features: featuresOf(wb) });
    syncs = wb.syncCount;
    expect(out).toEqual({ sheetName: 'Theo dõi', rowCount: 68 });
    sheet = wb.sheet(out.sheetName);
  });
  const letter = (key: Parameters<typeof columnOf>[1]) => columnOf(layout, key).letter;

  it('recognised the annex read from the sheet', () => {
    expect(rec.tasks).toHaveLength(61);
    expect(rec.sections).toHaveLength(7);
  });

  it('leaves the annex sheet untouched and makes the tracker the active sheet', () => {
    const grid = fixtureGrid('seeds/003-phu-luc-II.txt');
    expect(wb.sheet('Phụ lục II').valueAt('B10')).toBe(grid.rows[9][1] ?? '');
    expect(wb.activeSheet).toBe('Theo dõi');
  });

  it('writes every cell of the layout in order: the annex wording, serial dates, progress, the category formula of each row', () => {
    rows.values.forEach((values, i) => {
      const r = layout.firstDataRow + i;
      values.forEach((v, j) => expectCell(sheet, `${layout.columns[j].letter}${r}`).toBe(v ?? ''));
      expect(sheet.formulaAt(`${letter('category')}${r}`)).toBe(categoryFormula(layout, r));
    });
    const taskTexts = rec.tasks.map((t) => t.task);
    const onSheet = rows.values.flatMap((v, i) => (rows.categories[i] ? [sheet.valueAt(`${letter('task')}${layout.firstDataRow + i}`)] : []));
    expect(onSheet).toEqual(taskTexts);
    expect(sheet.valueAt(`${letter('task')}5`)).toMatch(/^\S/);
    expect(sheet.valueAt(`${letter('note')}7`)).toBe('\u200b=cần gia hạn');
  });

  it('has the title, the header in the annex wording, bold and filled', () => {
    expect(sheet.valueAt('B1')).toBe(layout.titleRows[0].text);
    expect(sheet.mergedAddresses()).toContain(`B1:${letter('category')}1`);
    expect(layout.columns.map((c) => sheet.valueAt(`${c.letter}3`))).toEqual(layout.columns.map((c) => c.header));
    expect(sheet.formatAt('C3')).toMatchObject({ bold: true, fill: layout.headerFill, wrapText: true });
  });

  it('merges and bolds the section rows', () => {
    expect(rows.sectionRows).toHaveLength(7);
    const lastCatalogue = [...layout.columns].reverse().find((c) => c.role === 'catalogue')!.letter;
    for (const r of rows.sectionRows) {
      expect(sheet.mergedAddresses()).toContain(`${letter('task')}${r}:${lastCatalogue}${r}`);
      expect(sheet.formatAt(`B${r}`).bold).toBe(true);
    }
    expect(sheet.formatAt(`B${rows.sectionRows[0] + 1}`).bold).toBeUndefined();
  });

  it('hides the id column, sets widths, wraps text and formats date columns', () => {
    expect(sheet.isColumnHidden('A')).toBe(true);
    expect(sheet.isColumnHidden('B')).toBe(false);
    expect(sheet.columnWidth(letter('task'))).toBeGreaterThan(sheet.columnWidth(letter('stt'))!);
    expect(sheet.formatAt(`${letter('task')}5`).wrapText).toBe(true);
    for (const key of ['due', 'completedOn'] as const) {
      for (const r of [4, 5, layout.lastDataRow]) expect(sheet.numberFormatAt(`${letter(key)}${r}`)).toBe('dd/mm/yyyy');
    }
    expect(sheet.numberFormatAt(`${letter('task')}5`)).toBe('General');
    expect(sheet.formatAt(`${letter('task')}5`).autofitRows).toBe(true);
  });

  it('freezes the title and header and filters the header', () => {
    expect(sheet.frozenRows).toBe(3);
    expect(sheet.autoFilter).toBe(layout.autoFilter);
    expect(sheet.pageLayout).toMatchObject({ orientation: 'Landscape', paperSize: 'A4', printTitleRows: '$3:$3' });
  });

  it('prints as the workbook does: all columns on one page width, page breaks that keep a section with its tasks, one typeface', () => {
    expect(sheet.pageLayout.zoom).toEqual({ horizontalFitToPages: 1, verticalFitToPages: 0 });
    expect(layout.print.paper).toBe('A4');
    expect(rows.pageBreaks.length).toBeGreaterThan(0);
    expect(sheet.pageBreaks).toEqual(rows.pageBreaks);
    for (const address of ['B1', `${letter('task')}3`, `${letter('task')}${layout.lastDataRow}`]) expect(sheet.formatAt(address).fontName).toBe(layout.font.name);
  });

  it('colours by six conditional-format rules on the reporting day, with the category colours', () => {
    expect(sheet.conditionalFormats).toHaveLength(6);
    sheet.conditionalFormats.forEach((cf, i) => {
      const rule = layout.conditionalFormat!.rules[i];
      expect(cf).toEqual({
        address: layout.conditionalFormat!.ref,
        type: 'Custom',
        formula: `=${rule.formula}`,
        fill: CATEGORY_COLORS[rule.category].fill,
        font: CATEGORY_COLORS[rule.category].font,
      });
    });
    expect(sheet.conditionalFormats.find((c) => c.fill === CATEGORY_COLORS.overdue.fill)!.formula).toContain(`${REPORT_DAY}>`);
  });

  it('validates status, completion date and agencies against the named lists', () => {
    const byAddress = Object.fromEntries(sheet.validations.map((v) => [v.address, v]));
    const span = (key: Parameters<typeof columnOf>[1]) => `${letter(key)}4:${letter(key)}${layout.lastDataRow}`;
    expect(byAddress[span('status')]).toMatchObject({
      rule: { list: { inCellDropDown: true, source: `=${NAMES.statuses}` } },
      errorAlert: { showAlert: true, style: 'Stop' },
    });
    expect(byAddress[span('completedOn')].rule).toEqual({ date: { formula1: '2000-01-01', operator: 'GreaterThanOrEqualTo' } });
    expect(byAddress[span('lead')]).toMatchObject({ rule: { list: { source: `=${NAMES.agencies}` } }, errorAlert: { showAlert: false } });
    expect(sheet.validations).toHaveLength(4);
  });

  it('writes the hidden lists sheet and its names, the reporting day empty', () => {
    const lists = wb.sheet('Danh mục');
    expect(lists.visibility).toBe('Hidden');
    expect(['A2', 'A3', 'A4'].map((a) => lists.valueAt(a))).toEqual(['Chưa thực hiện', 'Đang thực hiện', 'Hoàn thành']);
    expect(lists.valueAt('B2')).toBe(agencyNames[0]);
    expect(lists.numberFormatAt('C2')).toBe('dd/mm/yyyy');
    expect(lists.valueAt('F2')).toBe('');
    expect(wb.names).toEqual(layout.lists.names.map((n) => ({ name: n.name, formula: `=${n.ref}` })));
    expect(wb.names.find((n) => n.name === NAMES.reportDate)!.formula).toBe("='Danh mục'!$F$2");
  });

  it('does it in two syncs, well under the request limit', () => {
    expect(syncs).toBe(2);
    expect(wb.largestRequestBytes).toBeLessThan(MAX_REQUEST_BYTES);
  });

  it('a second conversion gets a sheet of its own and refreshes the lists and names', async () => {
    const out = await writeTracker(context(wb), { sheetName: layout.sheetName, layout, rows, features: featuresOf(wb) });
    expect(out.sheetName).toBe('Theo dõi (2)');
    expect(wb.names).toHaveLength(layout.lists.names.length);
    expect(wb.sheets.filter((s) => s.name === 'Danh mục')).toHaveLength(1);
  });

  it('reads the tracker back: ids, catalogue cells, progress, sections', async () => {
    const read = await readTracker(context(wb), 'Theo dõi');
    expect(read.headerRow).toBe(3);
    expect(read.lang).toBe('vi');
    expect(read.sectionRows).toEqual(rows.sectionRows);
    expect(read.columns).toMatchObject({ id: 'A', stt: letter('stt'), lead: letter('lead'), deadline: letter('deadline'), status: letter('status') });
    expect(read.rows.map((r) => r.id)).toEqual(rec.tasks.map((t) => t.id));
    read.rows.forEach((r, i) => {
      const t = rec.tasks[i];
      // The sheet numbers each task with its section ("I.1").
      expect(r).toMatchObject({ stt: qualifiedStt(t), section: t.section, task: t.task, deadline: t.deadline.raw, due: t.deadline.due });
      expect(r.progress).toEqual(prog[t.id] ?? progress({}));
    });
  });
});

describe('an English tracker', () => {
  it('is read back by its English labels, the catalogue columns included', async () => {
    const wb = annexWorkbook();
    const rec = await recognise(wb);
    const layout = trackerLayout({ title: rec.title, tasks: rec.tasks, asOf, lang: 'en', agencyNames });
    const prog = someProgress(rec.tasks);
    await writeTracker(context(wb), { sheetName: layout.sheetName, layout, rows: trackerRows(layout, rec.tasks, prog), features: featuresOf(wb) });
    const read = await readTracker(context(wb));
    expect(read).toMatchObject({ sheetName: 'Tracker', lang: 'en' });
    expect(read.columns).toMatchObject({ stt: 'B', task: 'C', lead: 'D', support: 'E', deadline: 'F', output: 'G', due: 'H', status: 'I' });
    expect(read.rows[0]).toMatchObject({ lead: rec.tasks[0].leadRaw ?? rec.tasks[0].lead.join(', '), progress: prog[rec.tasks[0].id] });
    expect(wb.sheet('Lists').valueAt('A4')).toBe('Done');
    expect((await setReportDate(context(wb), '2026-06-25')).total).toBe(61);
  });
});

describe('sync count does not grow with the rows', () => {
  const base = recognizeAnnex(fixtureGrid('seeds/003-phu-luc-II.txt'), { asOf }).tasks;
  const many = (n: number): Task[] => Array.from({ length: n }, (_, i) => ({ ...base[i % base.length], id: `t${i}`, stt: String(i + 1) }));

  async function convert(n: number, maxRequestBytes?: number) {
    const wb = new FakeWorkbook();
    const tasks = many(n);
    const layout = trackerLayout({ tasks, asOf, agencyNames });
    const rows = trackerRows(layout, tasks);
    await writeTracker(context(wb), { sheetName: layout.sheetName, layout, rows, features: featuresOf(wb), maxRequestBytes });
    return { wb, layout, rows, sheet: wb.sheet(layout.sheetName) };
  }

  it('takes as many syncs for 5,000 tasks as for 10, no request over 4 MB', async () => {
    const small = await convert(10);
    const large = await convert(5000);
    expect(large.wb.syncCount).toBe(small.wb.syncCount);
    expect(large.wb.largestRequestBytes).toBeLessThan(MAX_REQUEST_BYTES);
    // Filled down, every row has its own category formula.
    const last = large.layout.lastDataRow;
    expect(large.sheet.formulaAt(`${columnOf(large.layout, 'category').letter}${last}`)).toBe(categoryFormula(large.layout, last));
  });

  it('splits a write that would pass the budget into requests under it', async () => {
    const { wb, rows, layout, sheet } = await convert(400, 60_000);
    expect(wb.syncCount).toBeGreaterThan(3);
    expect(wb.largestRequestBytes).toBeLessThanOrEqual(60_000);
    rows.values.forEach((v, i) => expect(sheet.formulaAt(`C${layout.firstDataRow + i}`)).toBe(v[2] ?? ''));
  });

  it('reads a tracker back in three syncs plus one per band of cells, no response over 4 MB', async () => {
    for (const n of [10, 5000]) {
      const { wb, layout } = await convert(n);
      wb.resetCounters();
      const read = await readTracker(context(wb));
      expect(read.rows).toHaveLength(n);
      const cells = layout.lastDataRow * layout.columns.length;
      expect(wb.syncCount).toBe(2 + Math.ceil(cells / READ_CELLS_PER_SYNC));
      expect(wb.largestResponseBytes).toBeLessThan(MAX_REQUEST_BYTES);
    }
  });
});

describe('setReportDate', () => {
  let wb: FakeWorkbook;
  let rec: Recognition;
  let prog: Record<string, Progress>;

  beforeAll(async () => {
    wb = annexWorkbook();
    rec = await recognise(wb);
    const layout = layoutFor(rec);
    prog = someProgress(rec.tasks);
    await writeTracker(context(wb), { sheetName: layout.sheetName, layout, rows: trackerRows(layout, rec.tasks, prog), features: featuresOf(wb) });
  });

  const expected = (day: string) =>
    summarize(rec.tasks.map((t) => ({ category: classifyTask(t.deadline, prog[t.id] ?? progress({}), { asOf: day }) })));

  it.each(['2026-01-15', '2026-06-25', '2026-12-31'])('writes %s into NgayBaoCao and counts the categories for that day', async (day) => {
    wb.resetCounters();
    const counts = await setReportDate(context(wb), day);
    expect(wb.sheet('Danh mục').valueAt('F2')).toBe(excelSerialFromIso(day));
    expect(wb.sheet('Danh mục').numberFormatAt('F2')).toBe('dd/mm/yyyy');
    expect(counts).toMatchObject({ sheetName: 'Theo dõi', asOf: day, total: 61 });
    expect(counts.counts).toEqual(expected(day).counts);
    expect(wb.syncCount).toBe(3);
  });

  it('the days give different pictures (the test is not vacuous)', () => {
    expect(expected('2026-01-15').counts).not.toEqual(expected('2026-12-31').counts);
  });

  it('clears the cell for today (the sheet follows TODAY() again)', async () => {
    await setReportDate(context(wb), '2026-06-25');
    const counts = await setReportDate(context(wb), null);
    expect(wb.sheet('Danh mục').valueAt('F2')).toBe('');
    expect(counts.asOf).toBe(todayIso());
    expect(counts.counts).toEqual(expected(todayIso()).counts);
  });

  it('finds the tracker from another active sheet', async () => {
    wb.activeSheet = 'Phụ lục II';
    expect((await setReportDate(context(wb), '2026-06-25')).sheetName).toBe('Theo dõi');
  });
});

describe('writeProgress and writeIds', () => {
  it('write pulled reports and published ids into their rows, in two syncs each', async () => {
    const wb = annexWorkbook();
    const rec = await recognise(wb);
    const layout = layoutFor(rec);
    await writeTracker(context(wb), { sheetName: layout.sheetName, layout, rows: trackerRows(layout, rec.tasks), features: featuresOf(wb) });
    const before = await readTracker(context(wb), 'Theo dõi');
    const [a, b] = before.rows;

    wb.resetCounters();
    const done = progress({ status: 'done', completedOn: '2026-04-02', result: 'Đã xong\nQuyết định 12', evidence: '+84 số 12' });
    await writeProgress(context(wb), 'Theo dõi', [
      { row: a.row, progress: done },
      { row: b.row, progress: progress({ status: 'in_progress', note: 'Chờ kinh phí' }) },
    ]);
    expect(wb.syncCount).toBe(2);
    wb.resetCounters();
    await writeIds(context(wb), 'Theo dõi', [{ row: a.row, id: 'srv-1' }]);
    expect(wb.syncCount).toBe(2);

    const after = await readTracker(context(wb), 'Theo dõi');
    expect(after.rows[0]).toMatchObject({ id: 'srv-1', progress: done });
    expect(after.rows[1].progress).toEqual(progress({ status: 'in_progress', note: 'Chờ kinh phí' }));
    expect(after.rows[2]).toEqual(before.rows[2]);
    expect(wb.sheet('Theo dõi').valueAt(`${columnOf(layout, 'status').letter}${a.row}`)).toBe('Hoàn thành');
  });
});

describe('writeReportSheet', () => {
  it('writes the per-agency summary, the late list and a stacked column chart by category', async () => {
    const wb = new FakeWorkbook();
    const zero = { done_on_time: 0, done_late: 0, on_track: 0, due_soon: 0, overdue: 0, no_deadline: 0 };
    const input: ReportSheetInput = {
      title: 'BÁO CÁO THÁNG 5/2026',
      asOf,
      agencies: [
        { name: 'Sở Nội vụ', counts: { ...zero, done_on_time: 2, overdue: 1 }, total: 3, rateOfAll: 2 / 3 },
        { name: 'Sở Tư pháp', counts: { ...zero, due_soon: 4 }, total: 4, rateOfAll: 0 },
      ],
      totals: { counts: { ...zero, done_on_time: 2, overdue: 1, due_soon: 4 }, total: 7, rateOfAll: 2 / 7 },
      late: [{ stt: '3', task: 'Rà soát', lead: ['Sở Nội vụ'], deadline: 'Tháng 4/2026', category: 'overdue', daysLate: 20, daysLeft: null }],
    };
    const out = await writeReportSheet(context(wb), input);
    expect(out.sheetName).toBe('Báo cáo 20-05-2026');
    expect(wb.syncCount).toBe(2);
    const sheet = wb.sheet(out.sheetName);
    const [summary, late] = reportLayout(input, 'vi').tables;
    expect(sheet.usedValues().slice(3, 7).map((r) => r.slice(0, 11))).toEqual([
      summary.columns.map((c) => c.header),
      [1, 'Sở Nội vụ', 3, 2, 0, 0, 0, 1, 0, 2 / 3, ''],
      [2, 'Sở Tư pháp', 4, 0, 0, 0, 4, 0, 0, 0, ''],
      ['', 'Tổng cộng', 7, 2, 0, 0, 4, 1, 0, 2 / 7, ''],
    ]);
    expect(sheet.usedValues()[9].slice(0, late.columns.length)).toEqual(late.columns.map((c) => c.header));
    expect(sheet.numberFormatAt('J5')).toBe('0.0%');
    expect(sheet.formatAt('H4')).toMatchObject({ fill: CATEGORY_COLORS.overdue.fill, color: CATEGORY_COLORS.overdue.font });
    expect(sheet.charts).toEqual([
      expect.objectContaining({ type: 'ColumnStacked', source: "'Báo cáo 20-05-2026'!D4:I6", seriesBy: 'Columns', title: 'Nhiệm vụ theo phân loại của từng cơ quan' }),
    ]);
    expect(sheet.valueAt('B11')).toBe('Rà soát');
    expect(sheet.valueAt('H11')).toBe(20);
    expect(sheet.charts[0].categoryNames).toBeUndefined();

    // Where ExcelApi 1.7 can, the agency names label the chart's axis instead of the row numbers.
    const named = await writeReportSheet(context(wb), input, { excelApi: '1.7' });
    expect(wb.sheet(named.sheetName).charts[0].categoryNames).toBe(`'${named.sheetName}'!B5:B6`);
  });
});

describe('an Excel with only ExcelApi 1.1 (volume-licensed Office 2016)', () => {
  it('still writes the values and formulas, without rules, validation, names or merges', async () => {
    const wb = annexWorkbook({ apiMinor: 1, ribbon: false });
    const features = featuresOf(wb);
    expect(features).toMatchObject({ excelApi: '1.1', conditionalFormats: false, dataValidation: false, namedRanges: false, ribbon: false });
    const rec = await recognise(wb);
    expect(rec.tasks).toHaveLength(61);
    const layout = layoutFor(rec);
    const rows = trackerRows(layout, rec.tasks);
    const out = await writeTracker(context(wb), { sheetName: layout.sheetName, layout, rows, features });
    const sheet = wb.sheet(out.sheetName);
    expect(sheet.conditionalFormats).toEqual([]);
    expect(sheet.validations).toEqual([]);
    expect(wb.names).toEqual([]);
    expect(sheet.merges).toEqual([]);
    expect(sheet.frozenRows).toBe(0);
    const task = columnOf(layout, 'task').letter;
    expect(sheet.valueAt(`${task}5`)).toBe(rec.tasks[0].task);
    // Without names the formulas point at the lists sheet directly.
    const formula = String(sheet.formulaAt(`${columnOf(layout, 'category').letter}5`));
    expect(formula).toContain("WORKDAY($H5-1,1,'Danh mục'!$C$2:$C$");
    expect(formula).toContain("ISNUMBER('Danh mục'!$F$2)");
    expect(formula).not.toMatch(/\bNgay(Le|LamBu|BaoCao)\b/);
  });

  it('the fake refuses what 1.1 lacks, so the test above proves the adapter asked first', () => {
    const wb = new FakeWorkbook({ apiMinor: 1 });
    const range = wb.context().workbook.worksheets.getActiveWorksheet().getRange('A1');
    expect(() => range.conditionalFormats.add('Custom')).toThrow(/ExcelApi 1.6/);
    expect(() => range.merge()).toThrow(/ExcelApi 1.2/);
  });
});

describe('the fake keeps Office.js load/sync rules', () => {
  it('throws on a property read before load and sync', async () => {
    const wb = new FakeWorkbook();
    const ctx = wb.context();
    const range = ctx.workbook.worksheets.getActiveWorksheet().getRange('A1:B2');
    expect(() => range.values).toThrow(/call the load method/);
    range.load('values');
    expect(() => range.values).toThrow(/call the load method/);
    await ctx.sync();
    expect(range.values).toEqual([
      ['', ''],
      ['', ''],
    ]);
  });

  it('refuses arrays that do not match the range, at sync', async () => {
    const wb = new FakeWorkbook();
    const ctx = wb.context();
    ctx.workbook.worksheets.getActiveWorksheet().getRange('A1:B2').values = [['x']];
    await expect(ctx.sync()).rejects.toThrow(/doesn't match the size/);
  });
});
