/**
 * Annex shapes other offices write (issue 8): columns by meaning, one annex however
 * it is cut, sections of every usual shape, months Excel turned into dates.
 */
import { recognizeAnnex, type Recognition, type RecognizeOptions } from '../../shared/annex';
import type { CellValue, Grid, MergeRange } from '../../shared/grid';
import { Task } from '../../shared/schemas';
import { trackerLayout, trackerRows } from '../../shared/tracker-layout';
import { fixtureGrid } from './grid-from-text';

const asOf = '2026-05-01';
const opts: RecognizeOptions = { asOf };

function grid(rows: CellValue[][], merges: MergeRange[] = []): Grid {
  return { sheet: 'Sheet1', rows, merges };
}

function codes(r: Recognition): string[] {
  return r.diagnostics.map((d) => d.code);
}

const path = (t: Task) => (t.sectionPath ?? (t.section !== null ? [{ label: t.section, title: t.sectionTitle ?? '' }] : [])).map((s) => s.label || s.title).join(' › ');

describe('columns by meaning, not by wording', () => {
  const words: [string, string[]][] = [
    ['task', ['Nhiệm vụ', 'Tên nhiệm vụ', 'Nội dung', 'Nội dung công việc', 'Nội dung/nhiệm vụ', 'Nhiệm vụ, giải pháp', 'Nhiệm vụ và giải pháp', 'Tên nhiệm vụ/dự án', 'Tên đề án, dự án', 'TÊN ĐỀ ÁN ƯU TIÊN', 'Chỉ tiêu', 'Dự án']],
    ['lead', ['Cơ quan chủ trì', 'Đơn vị chủ trì', 'Chủ trì', 'Đơn vị thực hiện', 'Cơ quan thực hiện', 'Cơ quan chủ trì thực hiện', 'Bộ phụ trách tiếp nhận, xử lý', 'Cơ quan chủ quản dữ liệu', 'Đơn vị chủ trì tham mưu']],
    ['support', ['Phối hợp', 'Đơn vị phối hợp', 'Cơ quan phối hợp thực hiện', 'CƠ QUAN PHỐI HỢP']],
    ['deadline', ['Thời hạn', 'Thời gian', 'Thời gian hoàn thành', 'Thời gian thực hiện', 'Thời gian triển khai', 'Tiến độ', 'Thời hạn hoàn thành', 'Dự kiến thời gian vận hành', 'Thời gian\nhoàn thành']],
    ['output', ['Sản phẩm', 'Kết quả đầu ra', 'Kết quả dự kiến', 'Sản phẩm đầu ra', 'Hình thức sản phẩm']],
  ];
  const base: Record<string, string> = { task: 'Nhiệm vụ', lead: 'Cơ quan chủ trì', support: 'Cơ quan phối hợp', deadline: 'Thời hạn', output: 'Kết quả đầu ra' };
  const cases = words.flatMap(([field, list]) => list.map((w) => [field, w] as const));

  test.each(cases)('%s headed "%s", in any column order', (field, word) => {
    const order = ['output', 'deadline', 'lead', 'task', 'support'];
    const header = ['TT', ...order.map((f) => (f === field ? word : base[f]))];
    const values: Record<string, string> = { task: 'Rà soát văn bản', lead: 'Sở Tư pháp', support: 'Sở Nội vụ', deadline: 'Quý II/2026', output: 'Báo cáo' };
    const r = recognizeAnnex(grid([header, ['1', ...order.map((f) => values[f])]]), opts);
    expect(r.columns.map((c) => c.field)).toEqual(['stt', ...order]);
    expect(r.tasks[0]).toMatchObject({ task: 'Rà soát văn bản', lead: ['Sở Tư pháp'], support: ['Sở Nội vụ'], output: 'Báo cáo' });
    expect(r.tasks[0].deadline.due).toBe('2026-06-30');
  });

  test('progress and start columns are not deadlines or outputs', () => {
    const r = recognizeAnnex(grid([['STT', 'Nhiệm vụ', 'Chủ trì', 'Thời gian bắt đầu', 'Kết quả thực hiện'], ['1', 'Việc', 'Sở Y tế', 'Quý I/2026', 'Đang làm']]), opts);
    expect(r.columns.map((c) => c.field)).toEqual(['stt', 'task', 'lead', null, null]);
  });

  test('unknown words: the cells decide (agency names, deadlines, long texts); the rest stay extras', () => {
    const r = recognizeAnnex(
      grid([
        ['TT', 'Địa bàn', 'Việc cần làm', 'Đầu mối', 'Mốc'],
        ['1', 'Xã A', 'Rà soát toàn bộ văn bản quy phạm pháp luật của tỉnh', 'Sở Tư pháp', 'Quý II/2026'],
        ['2', 'Xã B', 'Xây dựng cơ sở dữ liệu dùng chung của tỉnh', 'Sở Khoa học và Công nghệ', 'Tháng 9/2026'],
        ['3', 'Xã C', 'Tổ chức tập huấn kỹ năng số cho cán bộ cấp xã', 'Sở Nội vụ', 'Năm 2026'],
      ]),
      opts,
    );
    expect(r.columns.map((c) => [c.field, c.by ?? null])).toEqual([['stt', 'header'], [null, null], ['task', 'cells'], ['lead', 'cells'], ['deadline', 'cells']]);
    expect(r.tasks.map((t) => [t.lead, t.deadline.due, t.extra['Địa bàn']])).toEqual([
      [['Sở Tư pháp'], '2026-06-30', 'Xã A'],
      [['Sở Khoa học và Công nghệ'], '2026-09-30', 'Xã B'],
      [['Sở Nội vụ'], '2026-12-31', 'Xã C'],
    ]);
    expect(r.diagnostics.filter((d) => d.code === 'header.by-cells').map((d) => d.field)).toEqual(['C', 'D', 'E']);
  });

  test('a list of people under "TT" is no task table', () => {
    const r = recognizeAnnex(grid([['TT', 'Họ và tên', 'Chức vụ', 'Đơn vị'], ['1', 'Nguyễn Văn An', 'Giám đốc', 'Sở Y tế'], ['2', 'Trần Thị Bình', 'Phó Giám đốc', 'Sở Nội vụ']]), opts);
    expect(r.tables[0].isTaskTable).toBe(false);
    expect(r.tasks).toEqual([]);
  });

  test('a table of targets with their results is not a task table, whatever its cells', () => {
    const r = recognizeAnnex(grid([['STT', 'Mục tiêu', 'Đơn vị', 'Kết quả'], ['1', 'Tỷ lệ hồ sơ trực tuyến đạt 80%', 'Sở Nội vụ', '80%']]), opts);
    expect(r.tables[0].isTaskTable).toBe(false);
    expect(r.columns.map((c) => c.field)).toEqual(['stt', null, null, 'output']);
  });
});

describe('one annex, however it is cut', () => {
  const clean = recognizeAnnex(fixtureGrid('seeds/003-phu-luc-II.txt'), opts);
  const pasted = recognizeAnnex(fixtureGrid('seeds/003-phu-luc-II-pdf-paste.txt'), opts);

  test('Phụ lục II pasted from its PDF: 61 tasks, the same as typed', () => {
    expect(pasted.tables).toHaveLength(1);
    expect(pasted.tasks).toHaveLength(61);
    expect(pasted.tasks.map((t) => [t.id, t.section, t.stt, t.task, t.leadRaw, t.supportRaw, t.deadline.raw, t.output])).toEqual(
      clean.tasks.map((t) => [t.id, t.section, t.stt, t.task, t.leadRaw, t.supportRaw, t.deadline.raw, t.output]),
    );
    expect(pasted.sections.map((s) => [s.numeral, s.title])).toEqual(clean.sections.map((s) => [s.numeral, s.title]));
    // Page numbers are said; nothing is orphaned or dropped.
    expect(new Set(codes(pasted).filter((c) => c.startsWith('row.')))).toEqual(new Set(['row.page-number']));
  });

  test('a sub-header under each section, with a line break and other spacing, continues the table', () => {
    const r = recognizeAnnex(
      grid([
        ['STT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Thời hạn'],
        ['I', 'Thể chế'],
        ['TT', 'Nội dung\ncông việc', 'Chủ  trì', 'Thời gian\nhoàn thành'],
        ['1', 'Việc một', 'Sở Tư pháp', 'Quý II/2026'],
        ['II', 'Hạ tầng'],
        ['TT', 'Nội dung\ncông việc', 'Chủ  trì', 'Thời gian\nhoàn thành'],
        ['1', 'Việc hai', 'Sở Y tế', 'Quý III/2026'],
      ]),
      opts,
    );
    expect(r.tables).toHaveLength(1);
    expect(r.tasks.map((t) => [t.section, t.stt, t.task])).toEqual([['I', '1', 'Việc một'], ['II', '1', 'Việc hai']]);
  });

  test('a repeated header with its columns in another order is read by its own columns', () => {
    const r = recognizeAnnex(
      grid([
        ['STT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Thời hạn'],
        ['1', 'Việc một', 'Sở Tư pháp', 'Quý II/2026'],
        [],
        ['TT', 'Thời hạn', 'Nhiệm vụ', 'Chủ trì'],
        ['2', 'Năm 2026', 'Việc hai', 'Sở Y tế'],
      ]),
      opts,
    );
    expect(r.tasks.map((t) => [t.stt, t.task, t.lead, t.deadline.due])).toEqual([
      ['1', 'Việc một', ['Sở Tư pháp'], '2026-06-30'],
      ['2', 'Việc hai', ['Sở Y tế'], '2026-12-31'],
    ]);
  });

  test('sub-tables under their own headings make one tracker with the headings as sections', () => {
    const r = recognizeAnnex(
      grid([
        ['PHỤ LỤC: TÌNH HÌNH THỰC HIỆN NHIỆM VỤ'],
        ['1. Các nhiệm vụ đã hoàn thành'],
        ['TT', 'Nhiệm vụ', 'Chủ trì', 'Thời hạn', 'Ghi chú'],
        ['1', 'Việc một', 'Sở Tư pháp', 'Quý I/2026', 'xong'],
        [],
        ['2. Các nhiệm vụ quá hạn'],
        ['TT', 'Nhiệm vụ', 'Chủ trì', 'Thời hạn'],
        ['1', 'Việc hai', 'Sở Y tế', 'Tháng 3/2026'],
        ['2', 'Việc ba', 'Sở Nội vụ', 'Tháng 2/2026'],
      ]),
      opts,
    );
    expect(r.title).toBe('PHỤ LỤC: TÌNH HÌNH THỰC HIỆN NHIỆM VỤ');
    expect(r.tables).toHaveLength(1);
    expect(r.sections.map((s) => [s.numeral, s.title, s.row])).toEqual([['1', 'Các nhiệm vụ đã hoàn thành', 2], ['2', 'Các nhiệm vụ quá hạn', 6]]);
    expect(r.tasks.map((t) => [t.section, t.stt, t.task, t.extra['Ghi chú']])).toEqual([
      ['1', '1', 'Việc một', 'xong'],
      ['2', '1', 'Việc hai', ''],
      ['2', '2', 'Việc ba', ''],
    ]);
    expect(codes(r)).not.toContain('stt.duplicate');
  });

  test('a header naming other fields starts another table', () => {
    const r = recognizeAnnex(
      grid([
        ['STT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Thời hạn'],
        ['1', 'Việc một', 'Sở Tư pháp', 'Quý II/2026'],
        ['STT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Kết quả đầu ra'],
        ['1', 'Việc hai', 'Sở Y tế', 'Báo cáo'],
      ]),
      opts,
    );
    expect(r.tables.map((t) => t.taskCount)).toEqual([1, 1]);
  });
});

describe('sections of every usual shape', () => {
  const header = ['STT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Thời hạn'];
  const task = (stt: string, text: string): CellValue[] => [stt, text, 'Sở Nội vụ', 'Năm 2026'];

  test('letters, Roman numerals and numbers nest as a path (A › I › 1) the tracker shows', () => {
    const r = recognizeAnnex(
      grid([
        header,
        ['A', 'NHIỆM VỤ CHUNG'],
        ['I', 'Thể chế'],
        ['1', 'Rà soát văn bản'],
        ['1.1', 'Việc một'.padEnd(8), 'Sở Tư pháp', 'Quý II/2026'],
        ['1.2', 'Việc hai', 'Sở Tư pháp', 'Quý III/2026'],
        ['2', 'Việc ba', 'Sở Y tế', 'Năm 2026'],
        ['B.', 'Nhiệm vụ cụ thể'],
        task('1', 'Việc bốn'),
      ]),
      opts,
    );
    expect(r.sections.map((s) => [s.numeral, s.title, s.level])).toEqual([
      ['A', 'NHIỆM VỤ CHUNG', 0], ['I', 'Thể chế', 1], ['1', 'Rà soát văn bản', 2], ['B', 'Nhiệm vụ cụ thể', 0],
    ]);
    expect(r.tasks.map((t) => [path(t), t.stt])).toEqual([['A › I › 1', '1.1'], ['A › I › 1', '1.2'], ['A › I', '2'], ['B', '1']]);
    expect(r.tasks[0].sectionPath).toEqual([
      { label: 'A', title: 'NHIỆM VỤ CHUNG' }, { label: 'I', title: 'Thể chế' }, { label: '1', title: 'Rà soát văn bản' },
    ]);
    expect(r.tasks[0]).toMatchObject({ section: '1', sectionTitle: 'Rà soát văn bản' });
    for (const t of r.tasks) expect(Task.parse(t)).toEqual(t);

    const layout = trackerLayout({ tasks: r.tasks, asOf });
    const rows = trackerRows(layout, r.tasks);
    const stt = layout.columns.findIndex((c) => c.key === 'stt');
    const text = layout.columns.findIndex((c) => c.key === 'task');
    const headings = rows.sectionRows.map((row) => rows.values[row - layout.firstDataRow]).map((v) => [v[stt], v[text]]);
    expect(headings).toEqual([['A › I › 1', 'Rà soát văn bản'], ['A › I', 'Thể chế'], ['B', 'Nhiệm vụ cụ thể']]);
  });

  test('dotted numbers (III.1, III.1.1) under Roman numerals; a dotted row with an agency is a task', () => {
    const r = recognizeAnnex(
      grid([header, ['III', 'Hạ tầng số'], ['III.1', 'Mạng viễn thông'], ['III.1.1', 'Phủ sóng 5G', 'Sở KH&CN', 'Năm 2026'], ['III.2', 'Trung tâm dữ liệu', 'Công an tỉnh', 'Quý IV/2026']]),
      opts,
    );
    expect(r.sections.map((s) => s.numeral)).toEqual(['III', 'III.1']);
    expect(r.tasks.map((t) => [path(t), t.stt])).toEqual([['III › III.1', 'III.1.1'], ['III', 'III.2']]);
  });

  test('untitled section rows: in capitals, spanning the table, or above a restarting number; never glued to a task', () => {
    const r = recognizeAnnex(
      grid(
        [
          header,
          ['', 'NHÓM NHIỆM VỤ VỀ THỂ CHẾ'],
          task('1', 'Việc một'),
          task('2', 'Việc hai'),
          ['', 'Nhóm nhiệm vụ về hạ tầng số'],
          task('1', 'Việc ba'),
          ['', 'Nhóm nhiệm vụ về nhân lực'],
          task('1', 'Việc bốn'),
        ],
        [{ top: 6, left: 1, bottom: 6, right: 3 }],
      ),
      opts,
    );
    expect(r.sections.map((s) => [s.numeral, s.title])).toEqual([
      ['', 'NHÓM NHIỆM VỤ VỀ THỂ CHẾ'], ['', 'Nhóm nhiệm vụ về hạ tầng số'], ['', 'Nhóm nhiệm vụ về nhân lực'],
    ]);
    expect(r.tasks.map((t) => [t.sectionTitle, t.stt, t.task])).toEqual([
      ['NHÓM NHIỆM VỤ VỀ THỂ CHẾ', '1', 'Việc một'],
      ['NHÓM NHIỆM VỤ VỀ THỂ CHẾ', '2', 'Việc hai'],
      ['Nhóm nhiệm vụ về hạ tầng số', '1', 'Việc ba'],
      ['Nhóm nhiệm vụ về nhân lực', '1', 'Việc bốn'],
    ]);
    expect(new Set(r.tasks.map((t) => t.id)).size).toBe(4);
    expect(codes(r)).not.toContain('stt.duplicate');
  });

  test('labels in the task cell with an empty STT ("I. Kinh tế số"); STT restarting per section', () => {
    const r = recognizeAnnex(grid([['TT', 'Chỉ tiêu', 'Chủ trì'], ['', 'I. Kinh tế số', ''], ['1', 'Kinh tế số chiếm 45% GRDP', 'Sở Tài chính'], ['', 'II. Xã hội số', ''], ['1', 'Phủ sóng 5G', 'Sở Khoa học và Công nghệ']]), opts);
    expect(r.tasks.map((t) => [t.section, t.sectionTitle, t.stt])).toEqual([['I', 'Kinh tế số', '1'], ['II', 'Xã hội số', '1']]);
  });
});

describe('rows without STT', () => {
  const header = ['STT', 'Nội dung', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời hạn'];

  test('without a page break, a row of its own is an item sharing what it leaves empty; after one it is the cut half', () => {
    const r = recognizeAnnex(
      grid([
        header,
        ['1', 'Đề án một', 'Sở Tư pháp', 'Sở Nội vụ', 'Năm 2027'],
        ['', '', 'UBND các xã', 'Các phòng chuyên môn', ''], // a second lead/support pair of task 1
        ['2', 'Đề án hai với phần', 'Sở Y tế', '', 'Năm 2028'],
        [],
        ['', 'Cắt sang trang sau', '', '', ''], // the cut half, after the break
        ['', 'Dự án con của đề án hai', '', '', 'Năm 2029'], // an item under 2
      ]),
      opts,
    );
    expect(r.tasks.map((t) => [t.stt, t.task, t.leadRaw, t.supportRaw, t.deadline.raw])).toEqual([
      ['1', 'Đề án một', 'Sở Tư pháp', 'Sở Nội vụ', 'Năm 2027'],
      ['1', 'Đề án một', 'UBND các xã', 'Các phòng chuyên môn', 'Năm 2027'],
      ['2', 'Đề án hai với phần Cắt sang trang sau', 'Sở Y tế', '', 'Năm 2028'],
      ['', 'Dự án con của đề án hai', 'Sở Y tế', '', 'Năm 2029'],
    ]);
    expect(r.tasks[0].id).not.toBe(r.tasks[1].id);
    expect(codes(r)).not.toContain('stt.duplicate');
  });

  test('bullet paragraphs of a cell pasted from Word (rows of their own, STT merged over them) stay in their task', () => {
    const r = recognizeAnnex(
      grid(
        [
          header,
          ['1', 'Triển khai các nội dung sau:', 'Sở Y tế', '', 'Năm 2026'],
          ['', '- Rà soát cơ sở dữ liệu;', '', '', ''],
          ['', '- Báo cáo kết quả.', '- Sở Nội vụ', '', ''],
          ['2', 'Việc hai', 'Sở Tư pháp', '', 'Năm 2026'],
        ],
        [{ top: 1, left: 0, bottom: 3, right: 0 }, { top: 1, left: 4, bottom: 3, right: 4 }],
      ),
      opts,
    );
    expect(r.tasks.map((t) => [t.stt, t.task, t.leadRaw])).toEqual([
      ['1', 'Triển khai các nội dung sau:\n- Rà soát cơ sở dữ liệu;\n- Báo cáo kết quả.'.replace(/\n/g, ' '), 'Sở Y tế - Sở Nội vụ'],
      ['2', 'Việc hai', 'Sở Tư pháp'],
    ]);
  });

  test('an STT merged over several rows makes each row an item, even right after a blank row', () => {
    const r = recognizeAnnex(
      grid(
        [['STT', 'Nhóm', 'Dữ liệu', 'Cơ quan chủ quản'], ['1', 'Tổ chức', 'Dữ liệu đảng viên', 'Ban Tổ chức Trung ương'], [], ['', '', 'Dữ liệu khen thưởng', '']],
        [{ top: 1, left: 0, bottom: 3, right: 0 }, { top: 1, left: 1, bottom: 3, right: 1 }, { top: 1, left: 3, bottom: 3, right: 3 }],
      ),
      opts,
    );
    expect(r.tasks.map((t) => [t.stt, t.task, t.leadRaw, t.extra['Nhóm']])).toEqual([
      ['1', 'Dữ liệu đảng viên', 'Ban Tổ chức Trung ương', 'Tổ chức'],
      ['', 'Dữ liệu khen thưởng', 'Ban Tổ chức Trung ương', 'Tổ chức'],
    ]);
  });
});

describe('cells Excel has already turned into dates', () => {
  const header = ['STT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Thời hạn'];
  const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));

  test('"4/2026" stored as the 1st of the month is that month, due its last day', () => {
    const r = recognizeAnnex(grid([header, ['1', 'Việc một', 'Sở Y tế', utc(2026, 4, 1)], ['2', 'Việc hai', 'Sở Y tế', 46266], ['3', 'Việc ba', 'Sở Y tế', 'Quý II/2026']]), opts);
    expect(r.tasks.map((t) => [t.deadline.raw, t.deadline.kind, t.deadline.due])).toEqual([
      ['4/2026', 'period', '2026-04-30'],
      ['9/2026', 'period', '2026-09-30'],
      ['Quý II/2026', 'period', '2026-06-30'],
    ]);
    expect(codes(r).filter((c) => c.startsWith('date.'))).toEqual([]);
  });

  test('a column of dates on other days keeps its 1st as a day', () => {
    const r = recognizeAnnex(grid([header, ['1', 'Việc một', 'Sở Y tế', utc(2026, 4, 1)], ['2', 'Việc hai', 'Sở Y tế', utc(2026, 4, 15)]]), opts);
    expect(r.tasks.map((t) => t.deadline.due)).toEqual(['2026-04-01', '2026-04-15']);
  });
});
