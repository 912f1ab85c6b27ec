import {
  FIRST_DATA_ROW,
  NAMES,
  REPORT_DAY,
  categoryFormula,
  columnOf,
  qualifiedStt,
  rowHeight,
  safeText,
  trackerLayout,
  trackerRows,
} from '../../shared/tracker-layout';
import { BODY_POINTS, MIN_PRINTED_POINTS, MIN_SCALE, linesToPoints, printScale, printableArea, wrappedLines } from '../../shared/print-layout';
import { CATEGORY_COLORS, CATEGORY_LABELS, classifyTask } from '../../shared/status';
import { vietnamHolidays } from '../../shared/holidays';
import { excelSerialFromIso } from '../../shared/dates';
import { cleanText } from '../../shared/text';
import type { Deadline, Progress, Task } from '../../shared/schemas';

function task(id: string, stt: string, section: string | null, text: string, deadline: Partial<Deadline> & { raw: string }, extra: Record<string, string> = {}): Task {
  return {
    id,
    stt,
    section,
    sectionTitle: section ? `Mục ${section}` : null,
    task: text,
    lead: ['Sở Khoa học và Công nghệ'],
    support: ['Sở Tư pháp', 'Công an tỉnh'],
    leadRaw: 'Sở Khoa học và Công nghệ.',
    deadline: { kind: 'date', due: null, ...deadline },
    output: 'Báo cáo',
    extra,
  };
}

const progress = (p: Partial<Progress>): Progress => ({ status: 'not_started', result: '', completedOn: null, evidence: '', note: '', ...p });

const tasks: Task[] = [
  task('a1', '1', 'I', 'Rà soát văn bản', { raw: '15/4/2026', due: '2026-04-15' }, { 'Ghi chú': 'gốc' }),
  task('a2', '2', 'I', '=HYPERLINK("http://x")', { raw: 'Quý II/2026', kind: 'period', due: '2026-06-30' }),
  task('b1', '1', 'II', 'Thường xuyên rà soát', { raw: 'Thường xuyên', kind: 'ongoing' }),
  task('b2', '2', 'II', '@cmd', { raw: '25/4/2026', due: '2026-04-25' }),
];
const asOf = '2026-04-20';

describe('columns', () => {
  it('keeps the annex header texts and extra columns, then due, progress, category; the id is column A, hidden', () => {
    const layout = trackerLayout({
      tasks,
      asOf,
      annexColumns: [
        { field: 'stt', header: 'TT' },
        { field: 'task', header: 'Tên nhiệm vụ' },
        { field: 'lead', header: 'Cơ quan chủ trì' },
        { field: 'support', header: 'Cơ quan phối hợp' },
        { field: 'deadline', header: 'Thời hạn hoàn thành' },
        { field: null, header: 'Văn bản đề xuất' },
      ],
    });
    expect(layout.columns.map((c) => c.header)).toEqual([
      'Mã nhiệm vụ (không sửa)',
      'TT',
      'Tên nhiệm vụ',
      'Cơ quan chủ trì',
      'Cơ quan phối hợp',
      'Thời hạn hoàn thành',
      // No "Kết quả đầu ra": this annex has none, so the tracker gets no empty one.
      'Văn bản đề xuất',
      'Hạn (ngày)',
      'Tình trạng',
      'Kết quả thực hiện',
      'Ngày hoàn thành',
      'Văn bản/sản phẩm',
      // The tasks' own "Ghi chú" is the notes column, under the annex's wording: not a second one.
      'Ghi chú',
      'Phân loại',
    ]);
    expect(layout.columns.map((c) => c.letter).join('')).toBe('ABCDEFGHIJKLMN');
    expect(layout.columns[0]).toMatchObject({ key: 'id', hidden: true });
    expect(layout.columns.filter((c) => c.hidden)).toHaveLength(1);
    expect(columnOf(layout, 'due').numFmt).toBe('dd/mm/yyyy');
    expect(columnOf(layout, 'completedOn').numFmt).toBe('dd/mm/yyyy');
    expect(columnOf(layout, 'task')).toMatchObject({ wrap: true });
  });

  it('gives an annex without support, deadline or output columns none of them, and takes the number, task and lead whatever', () => {
    const layout = trackerLayout({
      tasks,
      asOf,
      annexColumns: [
        { field: 'stt', header: 'TT' },
        { field: 'task', header: 'Nhiệm vụ' },
        { field: 'lead', header: 'Đơn vị đề xuất' },
        { field: null, header: 'Văn bản đề xuất' },
        { field: null, header: 'Ghi chú' },
      ],
    });
    expect(layout.columns.filter((c) => !c.hidden).map((c) => c.header)).toEqual([
      'TT',
      'Nhiệm vụ',
      'Đơn vị đề xuất',
      'Văn bản đề xuất',
      'Hạn (ngày)',
      'Tình trạng',
      'Kết quả thực hiện',
      'Ngày hoàn thành',
      'Văn bản/sản phẩm',
      'Ghi chú',
      'Phân loại',
    ]);
    // Only lead is there to offer agencies in.
    expect(layout.validations.filter((v) => v.source === NAMES.agencies)).toHaveLength(1);
    const bare = trackerLayout({ tasks, asOf, annexColumns: [{ field: 'task', header: 'Nhiệm vụ' }] });
    expect(bare.columns.map((c) => c.key).slice(0, 4)).toEqual(['id', 'stt', 'task', 'lead']);
  });

  it('without the annex columns, takes a field when some task has it', () => {
    const plain = tasks.map((t) => ({ ...t, support: [], supportRaw: undefined, output: '', extra: {} }));
    const keys = trackerLayout({ tasks: plain, asOf }).columns.map((c) => c.key);
    expect(keys).toEqual(['id', 'stt', 'task', 'lead', 'deadline', 'due', 'status', 'result', 'completedOn', 'evidence', 'note', 'category']);
    expect(trackerLayout({ tasks, asOf }).columns.map((c) => c.key)).toContain('output');
  });

  it('uses English labels on an English sheet, keeping extra headers as written', () => {
    const layout = trackerLayout({
      tasks,
      asOf,
      lang: 'en',
      annexColumns: [
        { field: 'task', header: 'Tên nhiệm vụ' },
        { field: 'support', header: 'Cơ quan phối hợp' },
        { field: null, header: 'Văn bản đề xuất' },
      ],
    });
    expect(layout.sheetName).toBe('Tracker');
    expect(layout.columns.map((c) => c.header)).toEqual([
      'Task id (do not edit)',
      'No.',
      'Task',
      'Lead agency',
      'Supporting agencies',
      'Văn bản đề xuất',
      'Due date',
      'Progress',
      'Result so far',
      'Completed on',
      'Document/product',
      'Notes (problems, proposals)',
      'Category',
    ]);
  });
});

describe('sheet furniture', () => {
  const layout = trackerLayout({ tasks, asOf, title: 'PHỤ LỤC II: DANH MỤC NHIỆM VỤ', agencyNames: ['Sở Nội vụ', '+Sở lạ'] });

  it('puts a title and an as-of line above the header, freezes them, filters the header', () => {
    expect(layout.titleRows.map((t) => t.text)).toEqual([
      'PHỤ LỤC II: DANH MỤC NHIỆM VỤ',
      expect.stringContaining('Tình hình thực hiện đến ngày 20/04/2026'),
    ]);
    expect(layout.headerRow).toBe(3);
    expect(layout.frozenRows).toBe(3);
    // 4 tasks + 2 section rows
    expect(layout.lastDataRow).toBe(FIRST_DATA_ROW + 5);
    expect(layout.autoFilter).toBe('A3:N9');
    expect(layout.print).toMatchObject({ paper: 'A4', paperSize: 9, orientation: 'landscape', fitToWidth: 1, fitToHeight: 0, titleRows: '3:3' });
    expect(layout.font).toEqual({ name: 'Times New Roman', size: 11 });
  });

  it('sizes the title rows for their wrapped text at their own size', () => {
    const [title, line] = layout.titleRows;
    expect(title).toMatchObject({ bold: true, size: 14 });
    expect(line.size).toBeGreaterThanOrEqual(11);
    // The as-of line is long: more than one line across the sheet, so taller than the title.
    expect(line.height).toBeGreaterThan(linesToPoints(1, 11));
    expect(title.height).toBe(linesToPoints(1, 14));
  });

  it('validates progress status and completion date over whole column ranges; agencies are offered, not enforced', () => {
    const status = columnOf(layout, 'status').letter;
    const completed = columnOf(layout, 'completedOn').letter;
    expect(layout.validations).toEqual([
      expect.objectContaining({ ref: `${status}4:${status}9`, type: 'list', source: NAMES.statuses, strict: true }),
      expect.objectContaining({ ref: `${completed}4:${completed}9`, type: 'date', min: '2000-01-01', strict: true }),
      expect.objectContaining({ ref: 'D4:D9', type: 'list', source: NAMES.agencies, strict: false }),
      expect.objectContaining({ ref: 'E4:E9', type: 'list', source: NAMES.agencies, strict: false }),
    ]);
  });

  it('lists statuses, agencies, holidays and make-up days on the hidden sheet under defined names', () => {
    const [statuses, agencies, holidays, , makeUp] = layout.lists.columns;
    expect(statuses.values).toEqual(['Chưa thực hiện', 'Đang thực hiện', 'Hoàn thành']);
    expect(agencies.values).toEqual(['Sở Nội vụ', '\u200b+Sở lạ']);
    expect(holidays.dates).toBe(true);
    expect(holidays.values).toEqual(expect.arrayContaining(['2026-04-30', '2026-05-01', '2026-09-02']));
    expect(holidays.values.length).toBeGreaterThanOrEqual(vietnamHolidays.holidays().length);
    expect(makeUp.values).toContain('2026-01-10');
    expect(layout.lists.names).toEqual([
      { name: 'TinhTrang', ref: "'Danh mục'!$A$2:$A$4" },
      { name: 'DanhSachCoQuan', ref: "'Danh mục'!$B$2:$B$3" },
      { name: 'NgayLe', ref: `'Danh mục'!$C$2:$C$${holidays.values.length + 1}` },
      { name: 'NgayLamBu', ref: `'Danh mục'!$E$2:$E$${makeUp.values.length + 1}` },
      { name: 'NgayBaoCao', ref: "'Danh mục'!$F$2" },
    ]);
  });

  it('adds to the holiday list the solar holidays of years the data lacks that a due date runs into', () => {
    const later = trackerLayout({ tasks: [task('x', '1', null, 'x', { raw: '30/4/2031', due: '2031-04-30' })], asOf });
    expect(later.lists.columns[2].values).toEqual(expect.arrayContaining(['2031-04-30', '2031-05-01']));
  });

  it('reads the reporting day from the empty NgayBaoCao cell, today when it holds no date', () => {
    expect(REPORT_DAY).toBe('IF(ISNUMBER(NgayBaoCao),NgayBaoCao,TODAY())');
    expect(layout.lists.columns[5]).toMatchObject({ letter: 'F', values: [], dates: true });
    for (const r of layout.conditionalFormat!.rules) expect(r.formula.split(REPORT_DAY).join('')).not.toContain('TODAY()');
  });

  it('colours each category by a rule on the reporting day and the row cells, guarded by the task id', () => {
    const cf = layout.conditionalFormat!;
    expect(cf.ref).toBe('A4:N9');
    expect(cf.rules.map((r) => r.category)).toEqual(['done_on_time', 'done_late', 'on_track', 'due_soon', 'overdue', 'no_deadline']);
    for (const r of cf.rules) {
      expect(r.formula).toMatch(/^AND\(\$A4<>"",/);
      expect(r.fill).toBe(CATEGORY_COLORS[r.category].fill);
      expect(r.font).toBe(CATEGORY_COLORS[r.category].font);
    }
    const overdue = cf.rules.find((r) => r.category === 'overdue')!.formula;
    expect(overdue).toContain(`${REPORT_DAY}>`);
    expect(overdue).toContain('WORKDAY($H4-1,1,NgayLe)');
    expect(overdue).toContain('$I4="Hoàn thành"');
  });
});

describe('category formula', () => {
  it('compares against the sheet language texts and the configured window', () => {
    const vi = categoryFormula(trackerLayout({ tasks, asOf }), 7);
    expect(vi.startsWith('=IF($A7="","",')).toBe(true);
    expect(vi).toContain('$I7="Hoàn thành"');
    expect(vi).toContain('$K7<=');
    expect(vi).toContain(`-${REPORT_DAY}<=7,`);
    // Every TODAY() goes through the reporting day.
    expect(vi.split(REPORT_DAY).join('')).not.toContain('TODAY()');
    for (const c of Object.values(CATEGORY_LABELS)) expect(vi).toContain(`"${c.vi}"`);
    const en = categoryFormula(trackerLayout({ tasks, asOf, lang: 'en', dueSoonDays: 10 }), 7);
    expect(en).toContain('$I7="Done"');
    expect(en).toContain(`-${REPORT_DAY}<=10,`);
    for (const c of Object.values(CATEGORY_LABELS)) expect(en).toContain(`"${c.en}"`);
    expect(en).not.toContain('Hoàn thành');
  });
});

describe('trackerRows', () => {
  const layout = trackerLayout({ tasks, asOf, annexColumns: [{ field: 'support', header: 'Cơ quan phối hợp' }, { field: null, header: 'Ghi chú' }, { field: null, header: 'Văn bản đề xuất' }] });
  const prog = {
    a1: progress({ status: 'done', completedOn: '2026-04-16', result: '-5% chi phí' }),
    b1: progress({ note: 'Chờ hướng dẫn' }),
  };
  const rows = trackerRows(layout, tasks, prog);
  const col = (key: Parameters<typeof columnOf>[1]) => layout.columns.indexOf(columnOf(layout, key));

  it('interleaves a section row wherever the section changes', () => {
    expect(rows.values).toHaveLength(6);
    expect(rows.sectionRows).toEqual([4, 7]);
    // Numbered with their section: "1" alone would name two tasks.
    expect(rows.values.map((r) => r[col('stt')])).toEqual(['I', 'I.1', 'I.2', 'II', 'II.1', 'II.2']);
    expect(rows.values[0][col('task')]).toBe('Mục I');
    expect(rows.values[0][col('id')]).toBeNull();
    expect(rows.values.map((r) => r[col('id')])).toEqual([null, 'a1', 'a2', null, 'b1', 'b2']);
  });

  it('writes dates as serials, progress labels, extra columns, and neutralises formula-like text', () => {
    const a1 = rows.values[1];
    expect(a1[col('due')]).toBe(excelSerialFromIso('2026-04-15'));
    expect(a1[col('completedOn')]).toBe(excelSerialFromIso('2026-04-16'));
    expect(a1[col('status')]).toBe('Hoàn thành');
    expect(a1[col('lead')]).toBe('Sở Khoa học và Công nghệ.');
    expect(a1[col('support')]).toBe('Sở Tư pháp, Công an tỉnh');
    // The annex's note starts the notes cell; an agency's own note takes its place.
    expect(layout.noteHeader).toBe('Ghi chú');
    expect(columnOf(layout, 'note').header).toBe('Ghi chú');
    expect(a1[col('note')]).toBe('gốc');
    expect(rows.values[4][col('note')]).toBe('Chờ hướng dẫn');
    expect(rows.values[2][col('note')]).toBeNull();
    expect(a1[col('extra:Văn bản đề xuất')]).toBeNull();
    expect(a1[col('result')]).toBe('\u200b-5% chi phí');
    expect(rows.values[2][col('task')]).toBe('\u200b=HYPERLINK("http://x")');
    expect(rows.values[5][col('task')]).toBe('\u200b@cmd');
    expect(rows.values[2][col('status')]).toBeNull();
    expect(rows.values[4][col('due')]).toBeNull();
  });

  it('gives each row its category formula and the category classifyTask gives on asOf', () => {
    expect(rows.values[1][col('category')]).toBe(categoryFormula(layout, 5));
    expect(rows.values[0][col('category')]).toBe(categoryFormula(layout, 4));
    // done late; on track (30/6); ongoing; 25/4 is a Saturday and 26-27/4 holidays, so due 28/4:
    // 8 days away, on track (5 days, due soon, without the move).
    expect(rows.categories).toEqual([null, 'done_late', 'on_track', null, 'no_deadline', 'on_track']);
    tasks.forEach((t, i) => {
      const expected = classifyTask(t.deadline, prog[t.id as 'a1'] ?? progress({}), { asOf });
      expect(rows.categories.filter((c) => c !== null)[i]).toBe(expected);
    });
  });
});

describe('row heights', () => {
  const layout = trackerLayout({ tasks, asOf });
  const taskColumn = columnOf(layout, 'task');
  const cells = (text: string) => layout.columns.map((c) => (c === taskColumn ? text : null));

  it('gives a short text one line, and a long one as many lines as its words need in the column', () => {
    const one = rowHeight(layout.columns, cells('Rà soát'));
    expect(one).toBe(linesToPoints(1));
    const words = (n: number) => Array.from({ length: n }, () => 'xxxxx').join(' ');
    let n = 1;
    while (wrappedLines(words(n + 1), taskColumn.width) === 1) n++;
    // n words fill a line: 3n + 1 words take four lines.
    expect(wrappedLines(words(3 * n), taskColumn.width)).toBe(3);
    expect(rowHeight(layout.columns, cells(words(3 * n + 1)))).toBe(linesToPoints(4));
  });

  it('counts line breaks, ignores formulas and hidden columns, and stops at Excel’s largest height', () => {
    const one = rowHeight(layout.columns, cells('a'));
    expect(rowHeight(layout.columns, cells('a\nb\nc'))).toBe(linesToPoints(3));
    expect(rowHeight(layout.columns, cells('=' + 'x'.repeat(5000)))).toBe(one);
    expect(rowHeight(layout.columns, cells('x'.repeat(100_000)))).toBe(409);
    const idOnly = layout.columns.map((c) => (c.key === 'id' ? 'x'.repeat(5000) : null));
    expect(rowHeight(layout.columns, idOnly)).toBe(one);
  });

  it('makes the header tall enough for its longest label', () => {
    const narrow = trackerLayout({ tasks, asOf, annexColumns: [{ field: 'deadline', header: 'Thời hạn hoàn thành theo kế hoạch được giao' }] });
    expect(narrow.headerHeight).toBeGreaterThan(layout.headerHeight);
    expect(layout.headerHeight).toBeGreaterThanOrEqual(rowHeight(layout.columns, cells('a')));
  });

  it('gives each task row room for the longest progress and category label the sheet may show later', () => {
    const category = columnOf(layout, 'category');
    const longest = Math.max(...Object.values(CATEGORY_LABELS).map((l) => wrappedLines(l.vi, category.width)));
    expect(layout.minRowLines).toBeGreaterThanOrEqual(longest);
    const rows = trackerRows(layout, tasks);
    expect(rows.heights).toHaveLength(rows.values.length);
    rows.values.forEach((v, i) => {
      if (rows.sectionRows.includes(layout.firstDataRow + i)) expect(rows.heights[i]).toBeGreaterThanOrEqual(linesToPoints(1));
      else expect(rows.heights[i]).toBe(rowHeight(layout.columns, v, layout.minRowLines));
    });
  });
});

describe('print layout', () => {
  const many = (n: number, section: (i: number) => string = (i) => (i < n / 2 ? 'I' : 'II')) =>
    Array.from({ length: n }, (_, i) =>
      task(`t${i}`, String(i + 1), section(i), 'Rà soát, tham mưu hoàn thiện các quy định, giải pháp để vận hành mô hình chính quyền địa phương '.repeat(1 + (i % 3)), { raw: 'Quý IV/2026', kind: 'period', due: '2026-12-31' }),
    );
  const visibleWidths = (l: ReturnType<typeof trackerLayout>) => l.columns.filter((c) => !c.hidden).map((c) => c.width);

  it('chooses widths that fit-to-width prints on A4 at 8 pt or more', () => {
    const layout = trackerLayout({ tasks, asOf });
    expect(layout.print.paper).toBe('A4');
    expect(layout.print.scale).toBeGreaterThanOrEqual(MIN_SCALE);
    expect(layout.print.scale).toBe(printScale(visibleWidths(layout), 'A4'));
    expect(BODY_POINTS * layout.print.scale).toBeGreaterThanOrEqual(MIN_PRINTED_POINTS);
    // The task column keeps the most room.
    const task = columnOf(layout, 'task').width;
    expect(Math.max(...visibleWidths(layout))).toBe(task);
  });

  it('gives an annex of fewer columns wider ones, a very wide one A3, and A3 when asked', () => {
    const narrow = trackerLayout({ tasks, asOf, annexColumns: [{ field: 'stt', header: 'TT' }, { field: 'task', header: 'Nhiệm vụ' }, { field: 'lead', header: 'Đơn vị' }] });
    expect(columnOf(narrow, 'task').width).toBeGreaterThan(columnOf(trackerLayout({ tasks, asOf }), 'task').width);
    expect(narrow.print.scale).toBeGreaterThanOrEqual(MIN_SCALE);
    const extras = Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`Cột thêm ${i + 1}`, 'x']));
    const wide = trackerLayout({ tasks: tasks.map((t) => ({ ...t, extra: extras })), asOf });
    expect(wide.print).toMatchObject({ paper: 'A3', paperSize: 8 });
    expect(wide.print.scale).toBeGreaterThanOrEqual(MIN_SCALE);
    const asked = trackerLayout({ tasks, asOf, paper: 'A3' });
    expect(asked.print).toMatchObject({ paper: 'A3', paperSize: 8 });
    expect(columnOf(asked, 'task').width).toBeGreaterThan(columnOf(trackerLayout({ tasks, asOf }), 'task').width);
  });

  it('breaks pages by the row heights and never leaves a section row at the foot of a page', () => {
    const all = many(120, (i) => ['I', 'II', 'III', 'IV', 'V', 'VI'][Math.floor(i / 7) % 6] + (i >= 42 ? `.${Math.floor(i / 42)}` : ''));
    const layout = trackerLayout({ tasks: all, asOf });
    const rows = trackerRows(layout, all);
    expect(rows.pageBreaks.length).toBeGreaterThan(3);
    const page = (printableArea('A4').height / layout.print.scale);
    const starts = [layout.firstDataRow, ...rows.pageBreaks];
    starts.forEach((start, p) => {
      const end = p + 1 < starts.length ? starts[p + 1] : layout.lastDataRow + 1;
      // The row before a break is never a section heading.
      if (p > 0) expect(rows.sectionRows).not.toContain(start - 1);
      const top = p === 0 ? layout.titleRows.reduce((s, t) => s + t.height, 0) + layout.headerHeight : layout.headerHeight;
      const used = rows.heights.slice(start - layout.firstDataRow, end - layout.firstDataRow).reduce((s, h) => s + h, top);
      expect(used).toBeLessThanOrEqual(page);
    });
  });

  it('numbers tasks with their section unless the number already says it', () => {
    expect(qualifiedStt({ stt: '12', section: 'II' })).toBe('II.12');
    expect(qualifiedStt({ stt: 'II.12', section: 'II' })).toBe('II.12');
    expect(qualifiedStt({ stt: '12', section: null })).toBe('12');
    expect(qualifiedStt({ stt: '', section: 'II' })).toBe('');
  });
});

describe('safeText', () => {
  it.each(['=1+1', '+84 912', '-', '@SUM(A1)', '\tx'])('prefixes %j with an invisible mark that cleanText removes', (s) => {
    expect(safeText(s)).toBe('\u200b' + s);
    expect(cleanText(safeText(s))).toBe(cleanText(s));
  });
  it('leaves ordinary text alone', () => {
    expect(safeText('Sở Nội vụ = chủ trì')).toBe('Sở Nội vụ = chủ trì');
  });
});
