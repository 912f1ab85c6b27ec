import { cellText, pickAnnex, recognizeAnnex, taskId, type Recognition, type RecognizeOptions } from '../../shared/annex';
import { excelSerialFromIso } from '../../shared/dates';
import { InputError } from '../../shared/errors';
import { Diagnostic, Task } from '../../shared/schemas';
import type { CellValue, Grid, MergeRange } from '../../shared/grid';
import { fixtureGrid, gridFromText } from './grid-from-text';

const asOf = '2026-05-01';
const opts: RecognizeOptions = { asOf };

/** A grid from literal rows: row i of the array is sheet row i + 1. */
function grid(rows: CellValue[][], merges: MergeRange[] = [], sheet = 'Sheet1'): Grid {
  return { sheet, rows, merges };
}

function mapStrings(g: Grid, f: (s: string) => string): Grid {
  return { ...g, rows: g.rows.map((row) => row.map((v) => (typeof v === 'string' ? f(v) : v))) };
}

function codes(r: Recognition): string[] {
  return r.diagnostics.map((d) => d.code);
}

function find(r: Recognition, section: string | null, stt: string) {
  const t = r.tasks.find((task) => task.section === section && task.stt === stt);
  if (!t) throw new Error(`no task ${section}.${stt}`);
  return t;
}

const HEADER = ['STT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời hạn', 'Kết quả đầu ra'];

describe('seed annexes', () => {
  const phuLucII = recognizeAnnex(fixtureGrid('seeds/003-phu-luc-II.txt'), opts);

  test('Phụ lục II: 61 tasks in 7 sections under the title rows', () => {
    expect(phuLucII.title).toBe('PHỤ LỤC II: DANH MỤC NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM');
    expect(phuLucII.headerRows).toEqual([4]);
    expect(phuLucII.columns.map((c) => [c.letter, c.field])).toEqual([
      ['A', 'stt'], ['B', 'task'], ['C', 'lead'], ['D', 'support'], ['E', 'deadline'], ['F', 'output'],
    ]);
    expect(phuLucII.tasks).toHaveLength(61);
    expect(phuLucII.sections.map((s) => s.numeral)).toEqual(['I', 'II', 'III', 'IV', 'V', 'VI', 'VII']);
    expect(phuLucII.sections[0]).toEqual({ numeral: 'I', title: 'Hoàn thiện thể chế, pháp luật, cơ chế chính sách', row: 5, level: 0 });
    expect(phuLucII.sections[4]).toEqual({ numeral: 'V', title: 'Bảo đảm an ninh, an toàn thông tin, dữ liệu số', row: 58, level: 0 });
    const perSection = phuLucII.sections.map((s) => phuLucII.tasks.filter((t) => t.section === s.numeral).length);
    expect(perSection).toEqual([7, 13, 10, 9, 10, 3, 9]);
    expect(new Set(phuLucII.tasks.map((t) => t.id)).size).toBe(61);
    for (const t of phuLucII.tasks) expect(Task.parse(t)).toEqual(t);
    for (const d of phuLucII.diagnostics) expect(Diagnostic.parse(d)).toEqual(d);
    // The seed is clean: nothing to skip, nothing orphaned.
    expect(codes(phuLucII).filter((c) => c.startsWith('row.') || c === 'header.missing')).toEqual([]);
  });

  test('Phụ lục II: fields of single tasks', () => {
    const ii4 = find(phuLucII, 'II', '4');
    expect(ii4.deadline.raw).toBe('Q3/2025 – Q2/2026');
    expect(ii4.deadline.due).toBe('2026-06-30');
    expect(ii4.row).toBe(20);
    expect(ii4.sectionTitle).toBe('Phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số, chính quyền số');
    expect(ii4.leadRaw).toBe('Sở Khoa học và Công nghệ');
    expect(ii4.lead).toEqual(['Sở Khoa học và Công nghệ']);
    expect(ii4.support).toContain('Sở Nông nghiệp và Môi trường');
    const i2 = find(phuLucII, 'I', '2');
    expect(i2.lead).toEqual(['Sở Khoa học và Công nghệ', 'Công an tỉnh', 'Sở Nội vụ']);
  });

  test('Phụ lục II: rows continued across a page break merge into the task above', () => {
    const i4 = find(phuLucII, 'I', '4');
    expect(i4.task).toMatch(/sắp xếp, xử lý nhà, đất của các cơ quan/);
    expect(i4.task.endsWith('vận hành mô hình chính quyền địa phương 02 cấp')).toBe(true);
    expect(i4.row).toBe(9);
    expect(find(phuLucII, 'V', '6').output).toBe('Các lỗ hổng bảo mật được khắc phục; báo cáo kết quả.');
    const v10 = find(phuLucII, 'V', '10');
    expect(v10.task).toMatch(/\(theo phạm vi quản lý\) tổ chức rà soát/);
    expect(v10.output).toBe('Báo cáo đánh giá tổng thể an ninh mạng và nhân lực.');
    expect(find(phuLucII, 'II', '12').task.endsWith('trong các chương trình công tác nước ngoài, các chương trình đối ngoại của lãnh đạo tỉnh năm 2026')).toBe(true);
  });

  test('Phụ lục III and IV', () => {
    const iii = recognizeAnnex(fixtureGrid('seeds/003-phu-luc-III.txt'), opts);
    expect(iii.tasks).toHaveLength(21);
    expect(iii.title).toBe('PHỤ LỤC III: DANH MỤC NHIỆM VỤ TẠI CHƯƠNG TRÌNH SỐ 02-CTr/BCĐTW NGÀY 02/02/2026 CỦA BAN CHỈ ĐẠO TRUNG ƯƠNG');
    expect(iii.headerRows).toEqual([6]);
    expect(iii.sections).toEqual([]);
    expect(iii.tasks.every((t) => t.section === null)).toBe(true);
    expect(find(iii, null, '16').task).toMatch(/viên chức và người lao động gắn với vị trí việc làm/);
    expect(find(iii, null, '10').lead).toEqual(['Sở Tài chính', 'Văn phòng UBND tỉnh']);

    const iv = recognizeAnnex(fixtureGrid('seeds/003-phu-luc-IV.txt'), opts);
    expect(iv.tasks).toHaveLength(18);
    expect(iv.tasks.map((t) => t.stt)).toEqual(Array.from({ length: 18 }, (_, i) => String(i + 1)));
  });

  test('001 pilot annex: 19 tasks, repeated headers skipped, the proposing unit as lead', () => {
    const r = recognizeAnnex(fixtureGrid('seeds/001-phu-luc.txt'), opts);
    expect(r.title).toBe('PHỤ LỤC: DANH MỤC CÁC NHIỆM VỤ CẦN LÀM NGAY');
    expect(r.headerRows).toEqual([5]);
    expect(r.tables).toHaveLength(1);
    expect(r.tasks).toHaveLength(19);
    expect(r.tasks.map((t) => t.stt)).toEqual(Array.from({ length: 19 }, (_, i) => String(i + 1)));
    expect(r.tasks[6].row).toBe(14); // task 7 follows the header repeated on row 13
    expect(r.columns.map((c) => c.field)).toEqual(['stt', 'task', 'lead', null, null]);
    expect(r.tasks[0].lead).toEqual(['Đảng ủy xã Bảo Hà']);
    expect(r.tasks[0].extra).toEqual({ 'Văn bản đề xuất': '184-BC/ĐU ngày 23/3/2026', 'Ghi chú': '' });
    expect(r.tasks[10].task).toMatch(/\(Bệnh viện Đa khoa số 1,/); // <i> tags dropped
    const proposer = r.diagnostics.find((d) => d.code === 'lead.proposer');
    expect(proposer).toMatchObject({ severity: 'info', row: 5, field: 'lead' });
    expect(r.diagnostics.find((d) => d.code === 'deadline.no-column')).toMatchObject({ row: 5 });
    expect(r.tasks.every((t) => t.deadline.kind === 'unknown' && t.deadline.due === null)).toBe(true);
    // The absent column is said once, not once per task.
    expect(codes(r).filter((c) => c.startsWith('deadline.'))).toEqual(['deadline.no-column']);
  });

  test('several annexes in one sheet: four tables, Phụ lục II by default, others on request', () => {
    const g = fixtureGrid('seeds/003-annexes.txt');
    const r = recognizeAnnex(g, opts);
    expect(r.tables.map((t) => [t.index, t.headerRow, t.isTaskTable])).toEqual([
      [0, 5, false], [1, 25, true], [2, 115, true], [3, 144, true],
    ]);
    expect(r.tables[0].title).toMatch(/^Phụ lục I MỤC TIÊU, CHỈ TIÊU CHỦ YẾU NĂM 2026 .* ĐỀ ÁN 06$/);
    expect(r.tables[0].taskCount).toBe(13); // its header repeats on row 15 and continues the table
    expect(r.tables.map((t) => t.title?.slice(0, 13))).toEqual(['Phụ lục I MỤC', 'PHỤ LỤC II: D', 'PHỤ LỤC III: ', 'PHỤ LỤC IV: D']);
    expect(r.title).toBe('PHỤ LỤC II: DANH MỤC NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM');
    expect(r.tasks).toHaveLength(61);
    expect(r.tasks[0].row).toBe(27);
    expect(r.diagnostics.find((d) => d.code === 'table.multiple')).toMatchObject({ severity: 'info', row: null });

    const iii = recognizeAnnex(g, { asOf, table: 2 });
    expect(iii.tasks).toHaveLength(21);
    expect(iii.headerRows).toEqual([115]);
    expect(iii.title).toMatch(/^PHỤ LỤC III/);

    const targets = recognizeAnnex(g, { asOf, table: 0 });
    expect(targets.tasks).toEqual([]);
    expect(targets.columns.map((c) => c.field)).toEqual(['stt', null, null, 'output', null]);
    expect(targets.diagnostics.find((d) => d.code === 'header.no-task-column')).toMatchObject({ severity: 'error', row: 5 });

    expect(() => recognizeAnnex(g, { asOf, table: 4 })).toThrow(InputError);
  });

  test('the same task of the same annex keeps its id across sheets holding it', () => {
    const alone = recognizeAnnex(fixtureGrid('seeds/003-phu-luc-II.txt'), opts);
    const together = recognizeAnnex(fixtureGrid('seeds/003-annexes.txt'), opts);
    expect(together.tasks.map((t) => t.id)).toEqual(alone.tasks.map((t) => t.id));
  });
});

describe('spelling and layout variants of the same annex', () => {
  const base = fixtureGrid('seeds/003-phu-luc-II.txt');
  const reference = recognizeAnnex(base, opts);

  test('NFD text and no-break spaces give the same tasks and ids', () => {
    const odd = mapStrings(base, (s) => s.normalize('NFD').replace(/ /g, '\u00a0'));
    const r = recognizeAnnex(odd, opts);
    expect(r.title).toBe(reference.title);
    expect(r.tasks).toEqual(reference.tasks);
    expect(r.sections).toEqual(reference.sections);
  });

  test('shuffled columns give the same tasks', () => {
    const order = [4, 0, 5, 2, 1, 3]; // new column i takes old column order[i]
    const shuffled: Grid = {
      ...base,
      rows: base.rows.map((row) => (row.length > 1 ? order.map((c) => row[c] ?? null) : row)),
    };
    const r = recognizeAnnex(shuffled, opts);
    expect(r.columns.map((c) => c.field)).toEqual(['deadline', 'stt', 'output', 'lead', 'task', 'support']);
    expect(r.tasks).toEqual(reference.tasks);
  });

  test('a page number alone on its line is skipped whatever column it lands in', () => {
    const rows = base.rows.map((row) => (row.length > 1 ? [row[4], row[0], row[5], row[2], row[1], row[3]] : row));
    rows.splice(30, 0, ['7']); // sheet row 31, in column A (the deadline column here)
    const r = recognizeAnnex({ ...base, rows }, opts);
    expect(r.tasks).toHaveLength(61);
    expect(r.diagnostics.filter((d) => d.code === 'row.page-number').map((d) => [d.row, d.field])).toEqual([[31, 'deadline']]);
    expect(r.tasks.every((t) => !t.deadline.raw.endsWith(' 7'))).toBe(true);
  });

  test('header words in any case, without diacritics, with tags or markdown', () => {
    const rows: CellValue[][] = [
      ['<b>SỐ TT</b>', '**NOI DUNG NHIEM VU**', 'co quan chu tri', 'Đơn vị phối hợp', '<b>THỜI GIAN HOÀN THÀNH</b>', 'Hình thức văn bản', 'Ghi chú'],
      ['1', 'Rà soát văn bản', 'Sở Tư pháp', 'Sở Nội vụ', 'Quý II/2026', 'Báo cáo', 'ưu tiên'],
    ];
    const r = recognizeAnnex(grid(rows), opts);
    expect(r.columns.map((c) => c.field)).toEqual(['stt', 'task', 'lead', 'support', 'deadline', 'output', null]);
    expect(r.columns.map((c) => c.header)).toEqual(['SỐ TT', 'NOI DUNG NHIEM VU', 'co quan chu tri', 'Đơn vị phối hợp', 'THỜI GIAN HOÀN THÀNH', 'Hình thức văn bản', 'Ghi chú']);
    expect(r.tasks[0]).toMatchObject({ stt: '1', task: 'Rà soát văn bản', lead: ['Sở Tư pháp'], output: 'Báo cáo', extra: { 'Ghi chú': 'ưu tiên' } });
    expect(r.tasks[0].deadline.due).toBe('2026-06-30');
  });

  test.each([
    ['Tên nhiệm vụ', 'Đơn vị chủ trì', 'Phối hợp', 'Thời gian thực hiện', 'Sản phẩm'],
    ['Nhiệm vụ, giải pháp', 'Chủ trì', 'Cơ quan phối hợp', 'Tiến độ hoàn thành', 'Sản phẩm đầu ra'],
    ['Nội dung', 'Cơ quan thực hiện', 'Đơn vị phối hợp', 'Hạn hoàn thành', 'Kết quả'],
    ['Nội dung nhiệm vụ', 'Đơn vị thực hiện', 'Phối hợp', 'Thời hạn (hoàn thành)', 'Kết quả đầu ra'],
  ])('synonyms: %s | %s | %s | %s | %s', (task, lead, support, deadline, output) => {
    const r = recognizeAnnex(grid([['TT', task, lead, support, deadline, output], ['1', 'Việc', 'Sở Y tế', 'Sở Tài chính', 'Tháng 4/2026', 'Báo cáo']]), opts);
    expect(r.columns.map((c) => c.field)).toEqual(['stt', 'task', 'lead', 'support', 'deadline', 'output']);
    expect(r.tasks).toHaveLength(1);
  });
});

describe('two-row headers', () => {
  const top = ['STT', 'Nhiệm vụ', 'Cơ quan thực hiện', null, 'Thời hạn', 'Kết quả đầu ra'];
  const sub = [null, null, 'Chủ trì', 'Phối hợp', null, null];
  const body: CellValue[][] = [
    ['1', 'Ban hành kế hoạch', 'Sở Nội vụ', 'Sở Tư pháp', 'Quý II/2026', 'Kế hoạch'],
    ['2', 'Tập huấn', 'Sở Y tế', 'Các sở, ban, ngành', 'Tháng 4/2026', 'Lớp học'],
  ];
  const merges: MergeRange[] = [
    { top: 1, left: 0, bottom: 2, right: 0 },
    { top: 1, left: 1, bottom: 2, right: 1 },
    { top: 1, left: 2, bottom: 1, right: 3 },
    { top: 1, left: 4, bottom: 2, right: 4 },
    { top: 1, left: 5, bottom: 2, right: 5 },
  ];
  const title = ['PHỤ LỤC I: NHIỆM VỤ'];

  function check(r: Recognition): void {
    expect(r.headerRows).toEqual([2, 3]);
    expect(r.columns.map((c) => c.field)).toEqual(['stt', 'task', 'lead', 'support', 'deadline', 'output']);
    expect(r.columns[2].header).toBe('Cơ quan thực hiện / Chủ trì');
    expect(r.columns[3].header).toBe('Cơ quan thực hiện / Phối hợp');
    expect(r.tasks.map((t) => [t.stt, t.lead, t.support, t.deadline.due, t.row])).toEqual([
      ['1', ['Sở Nội vụ'], ['Sở Tư pháp'], '2026-06-30', 4],
      ['2', ['Sở Y tế'], ['Các sở, ban, ngành'], '2026-04-30', 5],
    ]);
    expect(r.title).toBe('PHỤ LỤC I: NHIỆM VỤ');
  }

  test('merged cells given as merges with blank children (Office.js)', () => {
    check(recognizeAnnex(grid([title, top, sub, ...body], merges), opts));
  });

  test('merged children repeating the master value (exceljs)', () => {
    const topFull = [...top];
    topFull[3] = 'Cơ quan thực hiện';
    const subFull = ['STT', 'Nhiệm vụ', 'Chủ trì', 'Phối hợp', 'Thời hạn', 'Kết quả đầu ra'];
    check(recognizeAnnex(grid([title, topFull, subFull, ...body], merges), opts));
  });

  test('a CSV export: the spanning cell in its first column only, no merges', () => {
    check(recognizeAnnex(grid([title, top, sub, ...body]), opts));
  });

  test('"Đơn vị" over "Chủ trì | Phối hợp", repeated after a page break', () => {
    const r = recognizeAnnex(
      grid([
        ['TT', 'Tên nhiệm vụ', 'Đơn vị', null, 'Thời hạn hoàn thành'],
        [null, null, 'Chủ trì', 'Phối hợp', null],
        ['1', 'Việc một', 'Sở Y tế', 'Sở Tài chính', 'Năm 2026'],
        [],
        ['TT', 'Tên nhiệm vụ', 'Đơn vị', null, 'Thời hạn hoàn thành'],
        [null, null, 'Chủ trì', 'Phối hợp', null],
        ['2', 'Việc hai', 'Sở Xây dựng', '', 'Năm 2026'],
      ]),
      opts,
    );
    expect(r.tables).toHaveLength(1);
    expect(r.columns.map((c) => c.field)).toEqual(['stt', 'task', 'lead', 'support', 'deadline']);
    expect(r.tasks.map((t) => [t.stt, t.lead[0], t.row])).toEqual([['1', 'Sở Y tế', 3], ['2', 'Sở Xây dựng', 7]]);
  });

  test('a spanning cell over sub-cells that name no field keeps them as extras', () => {
    const r = recognizeAnnex(
      grid([
        ['STT', 'Nhiệm vụ', 'Chủ trì', 'Thời gian', null],
        [null, null, null, 'Bắt đầu', 'Kết thúc'],
        ['1', 'Việc', 'Sở Y tế', '1/1/2026', '30/6/2026'],
      ]),
      opts,
    );
    // No lead/support sub-cell: a one-row header, and the next row is data.
    expect(r.headerRows).toEqual([1]);
  });
});

describe('rows', () => {
  const header = ['STT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Thời hạn', 'Ghi chú'];

  test('section rows in several forms; sub-items a) and 1.1 are tasks', () => {
    const r = recognizeAnnex(
      grid([
        header,
        ['Phần I', 'Thể chế', null, null, null],
        ['1', 'Việc một', 'Sở Nội vụ', 'Quý II/2026'],
        ['a)', 'Việc a', 'Sở Nội vụ', 'Quý II/2026'],
        ['1.1', 'Việc 1.1', 'Sở Nội vụ', 'Quý II/2026'],
        ['<b><i>II.</i></b>', '<b><i>Hạ tầng số</i></b>', '', '', ''],
        ['1', 'Việc hạ tầng', 'Sở Y tế', 'Năm 2026', 'ưu tiên'],
        ['III. Nhân lực số'],
        ['1', 'Việc nhân lực', 'Sở Nội vụ', 'Năm 2026'],
        ['IV', 'Mục có cơ quan', 'Sở Nội vụ', 'Năm 2026'],
        ['IV.2', 'Việc chưa giao'],
      ]),
      opts,
    );
    expect(r.sections).toEqual([
      { numeral: 'I', title: 'Thể chế', row: 2, level: 0 },
      { numeral: 'II', title: 'Hạ tầng số', row: 6, level: 0 },
      { numeral: 'III', title: 'Nhân lực số', row: 8, level: 0 },
    ]);
    expect(r.tasks.map((t) => [t.section, t.stt, t.row])).toEqual([
      ['I', '1', 3], ['I', 'a)', 4], ['I', '1.1', 5], ['II', '1', 7], ['III', '1', 9], ['III', 'IV', 10], ['III', 'IV.2', 11],
    ]);
    expect(r.tasks[3]).toMatchObject({ sectionTitle: 'Hạ tầng số', extra: { 'Ghi chú': 'ưu tiên' } });
    expect(codes(r)).not.toContain('stt.duplicate'); // "1" repeats only across sections
  });

  test('diagnostics name their sheet rows', () => {
    const r = recognizeAnnex(
      grid([
        ['Danh mục nhiệm vụ'],
        header,
        [null, 'trôi nổi', null, null], // 3: before any task
        ['1', 'Việc một', 'Sở Nội vụ', 'Quý II/2026'],
        ['1', 'Việc trùng số', 'Sở Nội vụ', 'Quý II/2026'], // 5: duplicate STT
        ['2', '', 'Sở Nội vụ', 'Quý II/2026'], // 6: no task text
        ['3', 'Không cơ quan, không hạn', '', ''], // 7
        ['12'], // 8: a page number
        ['4', 'Cơ quan lạ', 'Sở Abc Xyz', 'abc xyz'], // 9
        ['Nơi nhận: như trên'], // 10: stray prose
      ]),
      opts,
    );
    const at = (code: string) => r.diagnostics.filter((d) => d.code === code).map((d) => [d.row, d.field ?? null, d.severity]);
    expect(at('row.orphan')).toEqual([[3, null, 'warning']]);
    expect(at('stt.duplicate')).toEqual([[5, 'stt', 'warning']]);
    expect(at('task.empty')).toEqual([[6, 'task', 'warning']]);
    expect(at('lead.missing')).toEqual([[7, 'lead', 'warning']]);
    expect(at('deadline.missing')).toEqual([[7, 'deadline', 'warning']]);
    expect(at('row.page-number')).toEqual([[8, 'stt', 'warning']]);
    expect(at('agency.unknown')).toEqual([[9, 'lead', 'warning']]);
    expect(at('deadline.unknown')).toEqual([[9, 'deadline', 'warning']]);
    expect(at('row.stray')).toEqual([[10, 'stt', 'warning']]);
    expect(r.tasks.map((t) => t.stt)).toEqual(['1', '1', '2', '3', '4']);
    expect(r.tasks[4]).toMatchObject({ lead: ['Sở Abc Xyz'], leadRaw: 'Sở Abc Xyz', deadline: { raw: 'abc xyz', kind: 'unknown' } });
    expect(r.diagnostics.find((d) => d.code === 'deadline.unknown')?.message).toContain('abc xyz');
    for (const d of r.diagnostics) expect(d.messageEn).not.toBe('');
    expect(r.title).toBe('Danh mục nhiệm vụ');
  });

  test('identical tasks get different ids', () => {
    const r = recognizeAnnex(grid([header, ['1', 'Việc', 'Sở Y tế', 'Năm 2026'], ['1', 'Việc', 'Sở Y tế', 'Năm 2026']]), opts);
    expect(r.tasks[0].id).not.toBe(r.tasks[1].id);
    expect(r.tasks[0].id).toBe(taskId(null, null, '1', 'Việc', 0));
    expect(r.tasks[1].id).toBe(taskId(null, null, '1', 'Việc', 1));
  });

  test('merged cells in the body: one lead for several tasks; STT merged over a continued task', () => {
    const r = recognizeAnnex(
      grid(
        [
          header,
          ['1', 'Việc một', 'Sở Nội vụ', 'Năm 2026'],
          ['2', 'Việc hai', null, 'Năm 2026'],
          ['3', 'Việc ba phần đầu', 'Sở Y tế', 'Năm 2026'],
          ['3', 'phần sau', 'Sở Y tế', null], // exceljs repeats merged values
        ],
        [
          { top: 1, left: 2, bottom: 2, right: 2 },
          { top: 3, left: 0, bottom: 4, right: 0 },
          { top: 3, left: 2, bottom: 4, right: 2 },
        ],
      ),
      opts,
    );
    expect(r.tasks.map((t) => [t.stt, t.task, t.lead])).toEqual([
      ['1', 'Việc một', ['Sở Nội vụ']],
      ['2', 'Việc hai', ['Sở Nội vụ']],
      ['3', 'Việc ba phần đầu phần sau', ['Sở Y tế']],
    ]);
  });

  test('a row numbering the columns under the header is skipped', () => {
    const r = recognizeAnnex(grid([header, ['(1)', '(2)', '(3)', '(4)', '(5)'], ['1', 'Việc', 'Sở Y tế', 'Năm 2026']]), opts);
    expect(r.tasks.map((t) => t.stt)).toEqual(['1']);
    expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  });

  test('cells typed as numbers, booleans and null; a grid slice starting lower', () => {
    const g: Grid = { ...grid([header, [1, 'Việc', 'Sở Y tế', 2026, true], [2.1, 'Việc hai', 'Sở Y tế', 'Năm 2026', null]]), firstRow: 10 };
    const r = recognizeAnnex(g, opts);
    expect(r.headerRows).toEqual([10]);
    expect(r.tasks.map((t) => [t.stt, t.row, t.deadline.due, t.extra['Ghi chú']])).toEqual([
      ['1', 11, '2026-12-31', 'true'],
      ['2.1', 12, '2026-12-31', ''],
    ]);
  });

  test('a table without an STT column: every row with task text is a task', () => {
    const r = recognizeAnnex(grid([['Nội dung', 'Chủ trì', 'Thời hạn'], ['Việc một', 'Sở Y tế', 'Năm 2026'], ['Việc hai', 'Sở Nội vụ', 'Quý I/2026']]), opts);
    expect(r.tasks.map((t) => [t.stt, t.task])).toEqual([['', 'Việc một'], ['', 'Việc hai']]);
  });
});

describe('date cells in the deadline column', () => {
  const header = ['STT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Thời hạn'];
  const row = (stt: string, deadline: CellValue): CellValue[] => [stt, `Việc ${stt}`, 'Sở Y tế', deadline];
  const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));

  test('Date cells and serial numbers become dated deadlines shown as d/m/yyyy', () => {
    const r = recognizeAnnex(grid([header, row('1', utc(2026, 4, 30)), row('2', excelSerialFromIso('2026-09-15')), row('3', 2026)]), opts);
    expect(r.tasks.map((t) => [t.deadline.raw, t.deadline.kind, t.deadline.due])).toEqual([
      ['30/4/2026', 'date', '2026-04-30'],
      ['15/9/2026', 'date', '2026-09-15'],
      ['2026', 'period', '2026-12-31'], // a year typed as a number stays a year
    ]);
    expect(codes(r).filter((c) => c.startsWith('date.'))).toEqual([]);
  });

  test('1904 workbooks count serials from 1904', () => {
    const g: Grid = { ...grid([header, row('1', excelSerialFromIso('2026-09-15') - 1462)]), date1904: true };
    expect(recognizeAnnex(g, opts).tasks[0].deadline.due).toBe('2026-09-15');
  });

  test('day/month swaps are flagged when text dates in the annex put the day first', () => {
    const r = recognizeAnnex(grid([header, row('1', utc(2026, 5, 4)), row('2', '30/4/2026'), row('3', utc(2026, 4, 30)), row('4', utc(2026, 6, 6))]), opts);
    const swapped = r.diagnostics.filter((d) => d.code === 'date.swapped');
    expect(swapped.map((d) => [d.row, d.field, d.severity])).toEqual([[2, 'deadline', 'warning']]);
    expect(swapped[0].message).toContain('5/4/2026');
  });

  test('day/month swaps are flagged when the swapped day is a text deadline elsewhere', () => {
    const r = recognizeAnnex(grid([header, row('1', utc(2026, 5, 4)), row('2', 'Trước ngày 05/4/2026'), row('3', utc(2026, 6, 1))]), opts);
    expect(r.diagnostics.filter((d) => d.code === 'date.swapped').map((d) => d.row)).toEqual([2]);
  });

  test('no evidence, no flag', () => {
    const r = recognizeAnnex(grid([header, row('1', utc(2026, 5, 4)), row('2', 'Quý II/2026'), row('3', '5/6/2026')]), opts);
    expect(codes(r)).not.toContain('date.swapped');
  });

  test('a date cell outside the annex year is flagged', () => {
    const r = recognizeAnnex(
      grid([header, row('1', utc(2025, 3, 20)), row('2', 'Quý II/2026'), row('3', 'Năm 2026'), row('4', utc(2026, 3, 20))]),
      opts,
    );
    expect(r.diagnostics.filter((d) => d.code === 'date.year').map((d) => d.row)).toEqual([2]);
  });
});

describe("the user's column mapping", () => {
  const rows: CellValue[][] = [
    ['STT', 'Nội dung', 'Đơn vị', 'Phối hợp', 'Thời gian', 'Ghi chú'],
    ['1', 'Việc một', 'Sở Y tế', 'Sở Tài chính', 'Quý II/2026', 'Tài liệu A'],
  ];

  test('without it, words and then cells decide; the rest are extras', () => {
    const r = recognizeAnnex(grid(rows), opts);
    expect(r.columns.map((c) => [c.field, c.by ?? null])).toEqual([
      ['stt', 'header'], ['task', 'header'], ['lead', 'cells'], ['support', 'header'], ['deadline', 'header'], [null, null],
    ]);
    expect(r.tasks[0].extra).toEqual({ 'Ghi chú': 'Tài liệu A' });
    expect(r.diagnostics.find((d) => d.code === 'header.by-cells')).toMatchObject({ row: 1, field: 'C' });
  });

  test('with it the fields move where the user says', () => {
    const r = recognizeAnnex(grid(rows), { asOf, mapping: { lead: 2, deadline: 4, output: 5 } });
    expect(r.columns.map((c) => c.field)).toEqual(['stt', 'task', 'lead', 'support', 'deadline', 'output']);
    expect(r.tasks[0]).toMatchObject({ lead: ['Sở Y tế'], output: 'Tài liệu A', extra: {} });
    expect(r.tasks[0].deadline.due).toBe('2026-06-30');
  });

  test('a field moved off its detected column leaves that column as an extra', () => {
    const r = recognizeAnnex(grid(rows), { asOf, mapping: { task: 5 } });
    expect(r.columns.map((c) => c.field)).toEqual(['stt', null, 'lead', 'support', 'deadline', 'task']);
    expect(r.tasks[0].task).toBe('Tài liệu A');
    expect(r.tasks[0].extra['Nội dung']).toBe('Việc một');
  });
});

describe('no header, and picking the sheet', () => {
  const prose = gridFromText('CÔNG VĂN\nVề việc báo cáo\n\nKính gửi các sở, ngành.', 'Công văn');

  test('a grid without a header row: an error diagnostic without a row', () => {
    const r = recognizeAnnex(prose, opts);
    expect(r.tasks).toEqual([]);
    expect(r.tables).toEqual([]);
    expect(r.score).toBe(0);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'header.missing', severity: 'error', row: null })]);
  });

  test('pickAnnex takes the sheet with the task table', () => {
    const annexes = fixtureGrid('seeds/003-annexes.txt');
    const targetsOnly: Grid = { ...annexes, sheet: 'Mục tiêu', rows: annexes.rows.slice(0, 20) };
    const tasks = fixtureGrid('seeds/003-phu-luc-III.txt');
    const r = pickAnnex([prose, targetsOnly, tasks], opts);
    expect(r.sheet).toBe('003-phu-luc-III.txt');
    expect(r.tasks).toHaveLength(21);
    expect(recognizeAnnex(tasks, opts).score).toBeGreaterThan(recognizeAnnex(targetsOnly, opts).score);
    expect(recognizeAnnex(targetsOnly, opts).score).toBeGreaterThan(0);
    expect(pickAnnex([prose, targetsOnly], opts).sheet).toBe('Mục tiêu');
  });

  test('pickAnnex with a table number takes a sheet that has it', () => {
    const r = pickAnnex([fixtureGrid('seeds/003-phu-luc-III.txt'), fixtureGrid('seeds/003-annexes.txt')], { asOf, table: 3 });
    expect(r.sheet).toBe('003-annexes.txt');
    expect(r.title).toMatch(/^PHỤ LỤC IV/);
  });

  test('pickAnnex throws a bilingual InputError naming the sheets when none has a header', () => {
    const blank: Grid = { sheet: 'Trống', rows: [], merges: [] };
    let error: unknown;
    try {
      pickAnnex([prose, blank], opts);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const e = error as InputError;
    expect(e.message).toContain('“Công văn”');
    expect(e.message).toContain('“Trống”');
    expect(e.messageEn).toContain('No annex table');
    expect(e.bilingual()).toContain(' / ');
  });
});

describe('taskId', () => {
  test('pure and stable, blind to spelling, told apart by occurrence', () => {
    const id = taskId('PHỤ LỤC II', 'I', '1', 'Rà soát văn bản', 0);
    expect(id).toMatch(/^t_[0-9a-z]+$/);
    expect(taskId('PHỤ LỤC II', 'I', '1', 'Rà soát văn bản', 0)).toBe(id);
    expect(taskId('Phụ lục II', 'I', '1', '  RÀ SOÁT VĂN BẢN. '.normalize('NFD'), 0)).toBe(id);
    expect(taskId('PHỤ LỤC II', 'I', '1', 'Rà soát văn bản', 1)).not.toBe(id);
    expect(taskId('PHỤ LỤC II', 'II', '1', 'Rà soát văn bản', 0)).not.toBe(id);
    expect(taskId('PHỤ LỤC III', 'I', '1', 'Rà soát văn bản', 0)).not.toBe(id);
    expect(taskId('PHỤ LỤC II', 'I', '2', 'Rà soát văn bản', 0)).not.toBe(id);
    expect(taskId(null, null, '1', 'Rà soát văn bản', 0)).not.toBe(id);
  });
});

describe('cellText', () => {
  test('normalises every kind of cell', () => {
    expect(cellText('**Phụ lục I****MỤC TIÊU**  ')).toBe('Phụ lục I MỤC TIÊU');
    expect(cellText('*(Ban hành kèm theo)*')).toBe('(Ban hành kèm theo)');
    expect(cellText('<b><i>Hạ\u00a0tầng</i></b>'.normalize('NFD'))).toBe('Hạ tầng');
    expect(cellText('dòng một<br>dòng hai', true)).toBe('dòng một\ndòng hai');
    expect(cellText(new Date(Date.UTC(2026, 3, 5)))).toBe('5/4/2026');
    expect(cellText(12)).toBe('12');
    expect(cellText(false)).toBe('false');
    expect(cellText(null)).toBe('');
    expect(cellText('24/7 * 365')).toBe('24/7 * 365');
  });
});

describe('size', () => {
  test('a 50,000-task grid is read whole', () => {
    const leads = ['Sở Nội vụ', 'Sở Y tế', 'Công an tỉnh', 'Sở Tài chính', 'Văn phòng UBND tỉnh'];
    const deadlines = ['Quý I/2026', 'Quý II/2026', 'Tháng 4/2026', 'Năm 2026', 'Thường xuyên', '30/6/2026'];
    const rows: CellValue[][] = [['PHỤ LỤC: NHIỆM VỤ'], HEADER];
    for (let i = 1; i <= 50_000; i++) {
      if (i % 1000 === 1) rows.push([`Phần ${['I', 'II', 'III'][Math.floor(i / 1000) % 3]}`, `Nhóm ${i}`, null, null, null, null]);
      rows.push([i, `Nhiệm vụ số ${i}: rà soát, đánh giá, báo cáo kết quả thực hiện chuyển đổi số`, leads[i % 5], 'Các sở, ban, ngành', deadlines[i % 6], 'Báo cáo']);
    }
    const r = recognizeAnnex(grid(rows), opts);
    expect(r.tasks).toHaveLength(50_000);
    expect(r.sections).toHaveLength(50);
    expect(new Set(r.tasks.map((t) => t.id)).size).toBe(50_000);
    expect(r.tasks[49_999]).toMatchObject({ stt: '50000', row: rows.length, lead: ['Sở Nội vụ'] });
  });
});
