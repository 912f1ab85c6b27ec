import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deadlineFromDate, parseDeadline } from '../../shared/deadline';
import { Deadline } from '../../shared/schemas';
import { cleanText } from '../../shared/text';

const asOf = '2026-04-15';
const parse = (text: string, day = asOf) => parseDeadline(text, { asOf: day });

describe('dates: due that day', () => {
  test.each([
    ['15/4/2026', '2026-04-15'],
    ['15/04/2026', '2026-04-15'],
    ['15-4-2026', '2026-04-15'],
    ['15.4.2026', '2026-04-15'],
    ['15 / 4 / 2026', '2026-04-15'],
    ['2026-04-15', '2026-04-15'],
    ['ngày 15 tháng 4 năm 2026', '2026-04-15'],
    ['Ngày 05 tháng 06 năm 2026', '2026-06-05'],
    // "Trước ngày …" is inclusive: due that very day.
    ['Trước ngày 30/4/2026', '2026-04-30'],
    ['trước ngày 30/4/2026.', '2026-04-30'],
    ['trước 30/4/2026', '2026-04-30'],
    ['Chậm nhất ngày 30/6/2026', '2026-06-30'],
    ['Hoàn thành trước ngày 30/6/2026', '2026-06-30'],
    ['Xong trước ngày 23/02/2026', '2026-02-23'],
    ['Hạn: 05/6/2026', '2026-06-05'],
    ['Hoàn thành **trước ngày 30/6/2026**', '2026-06-30'],
    ['29/2/2028', '2028-02-29'],
  ])('%s → %s', (text, due) => {
    expect(parse(text)).toEqual({ raw: text.trim(), kind: 'date', due });
  });

  test('raw is the clean text, due is read from it', () => {
    expect(parse('  <b>Trước\u00a0ngày  30/4/2026</b> ')).toEqual({ raw: 'Trước ngày 30/4/2026', kind: 'date', due: '2026-04-30' });
  });

  test.each([
    ['trước ngày 20/5', '2026-05-20', 'No year written, 2026 assumed'],
    ['ngày 15 tháng 4', '2026-04-15', 'No year written'],
    ['15/4/26', '2026-04-15', 'Two-digit year 26 read as 2026'],
    ['Quý II/26', '2026-06-30', 'Two-digit year 26 read as 2026'],
    ['Tháng 4/26', '2026-04-30', 'Two-digit year 26 read as 2026'],
  ])('%s → %s with a caution', (text, due, caution) => {
    const d = parse(text);
    expect(d.due).toBe(due);
    expect(d.reason).toContain(caution);
  });

  test('a yearless date takes the year of asOf', () => {
    expect(parse('trước ngày 20/5', '2027-01-10').due).toBe('2027-05-20');
  });

  test('a document reference dates the letter, not the task', () => {
    const d = parse('Theo hướng dẫn tại Văn bản số 123/BCA-V05 ngày 15/3/2026 của Bộ Công an');
    expect(d.kind).toBe('conditional');
    expect(d.due).toBeNull();
  });
});

describe('periods: due on the last day', () => {
  test.each<[string, string, string, Deadline['period']]>([
    ['Tháng 4/2026', '2026-04-01', '2026-04-30', 'month'],
    ['Trong tháng 4/2026', '2026-04-01', '2026-04-30', 'month'],
    ['04/2026', '2026-04-01', '2026-04-30', 'month'],
    ['tháng 4 năm 2026', '2026-04-01', '2026-04-30', 'month'],
    ['Cuối tháng 4/2026', '2026-04-01', '2026-04-30', 'month'],
    ['Tháng 2/2028', '2028-02-01', '2028-02-29', 'month'],
    ['T12/2026', '2026-12-01', '2026-12-31', 'month'],
    ['Quý I/2026', '2026-01-01', '2026-03-31', 'quarter'],
    ['Quý II/2026', '2026-04-01', '2026-06-30', 'quarter'],
    ['Quý 2/2026', '2026-04-01', '2026-06-30', 'quarter'],
    ['Q2/2026', '2026-04-01', '2026-06-30', 'quarter'],
    ['quý II năm 2026', '2026-04-01', '2026-06-30', 'quarter'],
    ['Trong quý II/2026', '2026-04-01', '2026-06-30', 'quarter'],
    ['Quý III/2026', '2026-07-01', '2026-09-30', 'quarter'],
    ['Quý IV/2026', '2026-10-01', '2026-12-31', 'quarter'],
    ['Quý 02/2026', '2026-04-01', '2026-06-30', 'quarter'],
    ['6 tháng đầu năm 2026', '2026-01-01', '2026-06-30', 'half'],
    ['6 tháng cuối năm 2026', '2026-07-01', '2026-12-31', 'half'],
    ['giữa năm 2026', '2026-01-01', '2026-06-30', 'half'],
    ['Nửa đầu năm 2026', '2026-01-01', '2026-06-30', 'half'],
    ['Năm 2026', '2026-01-01', '2026-12-31', 'year'],
    ['Trong năm 2026', '2026-01-01', '2026-12-31', 'year'],
    ['Cuối năm 2026', '2026-01-01', '2026-12-31', 'year'],
    ['2026', '2026-01-01', '2026-12-31', 'year'],
    ['Quý III-IV/2026', '2026-07-01', '2026-12-31', 'range'],
    ['Quý II - III/2026', '2026-04-01', '2026-09-30', 'range'],
    ['Quý II-III/2026', '2026-04-01', '2026-09-30', 'range'],
    ['Quý II đến quý III/2026', '2026-04-01', '2026-09-30', 'range'],
    ['Q3/2025 – Q2/2026', '2025-07-01', '2026-06-30', 'range'],
    ['Q3/2025 — Q2/2026', '2025-07-01', '2026-06-30', 'range'],
    ['2025 - 2026', '2025-01-01', '2026-12-31', 'range'],
    ['2026-2030', '2026-01-01', '2030-12-31', 'range'],
    ['giai đoạn 2026 - 2030', '2026-01-01', '2030-12-31', 'range'],
    ['Từ năm 2025 đến năm 2026', '2025-01-01', '2026-12-31', 'range'],
    ['Tháng 4-6/2026', '2026-04-01', '2026-06-30', 'range'],
    ['Tháng 11/2026 - tháng 2/2027', '2026-11-01', '2027-02-28', 'range'],
    ['Từ 01/4/2026 đến 30/6/2026', '2026-04-01', '2026-06-30', 'range'],
  ])('%s → %s … %s (%s)', (text, start, due, period) => {
    expect(parse(text)).toEqual({ raw: text, kind: 'period', start, due, period });
  });

  test.each([
    ['Quý II', '2026-06-30', 'quarter'],
    ['Trong tháng 5', '2026-05-31', 'month'],
    ['Cuối năm', '2026-12-31', 'year'],
    ['6 tháng đầu năm', '2026-06-30', 'half'],
  ])('yearless %s takes asOf year → %s', (text, due, period) => {
    const d = parse(text);
    expect(d).toMatchObject({ kind: 'period', due, period });
    expect(d.reason).toContain('No year written');
  });

  test.each([
    // Civil Code 2015: "đầu" is the period's first day, "giữa tháng" the 15th.
    ['Đầu năm 2026', '2026-01-01'],
    ['Đầu quý III/2026', '2026-07-01'],
    ['Đầu tháng 5/2026', '2026-05-01'],
    ['Giữa tháng 5/2026', '2026-05-15'],
  ])('%s → the day %s, with a caution', (text, due) => {
    const d = parse(text);
    expect(d).toMatchObject({ kind: 'date', due });
    expect(d.reason).toMatch(/Civil Code/);
  });

  test('several deadlines in one cell: the latest is used, and the reason says so', () => {
    const d = parse('Quý II/2026; báo cáo trước 20/6/2026');
    expect(d).toMatchObject({ kind: 'period', due: '2026-06-30', period: 'quarter' });
    expect(d.reason).toContain('2 deadlines in the cell, the latest is used');
    expect(parse('Trước 30/9/2026, sơ kết Quý II/2026')).toMatchObject({ kind: 'date', due: '2026-09-30' });
  });
});

describe('spelling variants read alike', () => {
  test.each([
    ['QUÝ II/2026', '2026-06-30'],
    ['quý ii/2026', '2026-06-30'],
    ['Quy II/2026', '2026-06-30'],
    ['Quý II /2026', '2026-06-30'],
    ['Quý II/ 2026.', '2026-06-30'],
    ['Quý II/2026.', '2026-06-30'],
    ['Quý II/2026;', '2026-06-30'],
    ['QII/2026', '2026-06-30'],
    ['<b>Quý II/2026</b>', '2026-06-30'],
    ['Qu\u0079\u0301 II/2026'.normalize('NFD'), '2026-06-30'],
    ['Quý III – IV/2026', '2026-12-31'],
    ['Quý III‒IV/2026', '2026-12-31'],
    ['Quý\u00a0III\u00a0-\u00a0IV/2026', '2026-12-31'],
    ['truoc ngay 30/4/2026', '2026-04-30'],
    ['TRƯỚC NGÀY 30/04/2026', '2026-04-30'],
    ['Trước ngày 30/4/2026'.normalize('NFD'), '2026-04-30'],
    ['thang 4/2026', '2026-04-30'],
    ['Nam 2026', '2026-12-31'],
    ['6 thang dau nam 2026', '2026-06-30'],
  ])('%s → %s', (text, due) => {
    expect(parse(text).due).toBe(due);
  });

  test.each([
    'Quý II/2026',
    '  Quý  II/2026 ',
    'Quý\tII/2026',
    '<i>Quý II/2026</i>',
    'Quý II/2026 &amp; Q3/2026',
    'Quý\u200bII/2026',
    'Quý II/2026'.normalize('NFD'),
  ])('raw is exactly cleanText of %j', (text) => {
    expect(parse(text).raw).toBe(cleanText(text));
  });

  test('NFD input is stored as NFC', () => {
    const nfd = 'Trước ngày 30/4/2026'.normalize('NFD');
    expect(parse(nfd).raw).toBe('Trước ngày 30/4/2026');
  });
});

describe('ongoing: no fixed day', () => {
  test.each([
    'Thường xuyên',
    'THƯỜNG XUYÊN',
    'Thuong xuyen',
    'Thường xuyên.',
    'Hằng năm',
    'Hàng năm',
    'Định kỳ hằng năm',
    'Liên tục',
    'Thường xuyên, liên tục',
    'Hằng ngày',
    'Định kỳ',
  ])('%s', (text) => {
    expect(parse(text)).toEqual({ raw: text, kind: 'ongoing', due: null });
  });
});

describe('recurring: next occurrence on or after asOf', () => {
  test.each<[string, string, string, { every: string; day: number | null }]>([
    ['định kỳ trước ngày 20 hằng tháng', '2026-11-23', '2026-12-20', { every: 'month', day: 20 }],
    ['định kỳ trước ngày 20 hàng tháng', '2026-11-20', '2026-11-20', { every: 'month', day: 20 }],
    ['trước ngày 20 hằng tháng', '2026-11-19', '2026-11-20', { every: 'month', day: 20 }],
    ['trước ngày 25 hằng tháng', '2026-04-15', '2026-04-25', { every: 'month', day: 25 }],
    ['Ngày 25 hằng tháng', '2026-04-26', '2026-05-25', { every: 'month', day: 25 }],
    ['hằng tháng, trước ngày 10', '2026-04-15', '2026-05-10', { every: 'month', day: 10 }],
    ['truoc ngay 20 hang thang', '2026-04-15', '2026-04-20', { every: 'month', day: 20 }],
    // Year rollover.
    ['trước ngày 20 hằng tháng', '2026-12-25', '2027-01-20', { every: 'month', day: 20 }],
    // A day the month lacks clamps to its last day.
    ['ngày 31 hằng tháng', '2026-04-15', '2026-04-30', { every: 'month', day: 31 }],
    ['ngày 30 hằng tháng', '2027-02-10', '2027-02-28', { every: 'month', day: 30 }],
    ['ngày 30 hằng tháng', '2028-02-10', '2028-02-29', { every: 'month', day: 30 }],
    ['Hằng tháng', '2026-04-15', '2026-04-30', { every: 'month', day: null }],
    ['Báo cáo định kỳ hằng tháng', '2026-04-30', '2026-04-30', { every: 'month', day: null }],
    ['Hằng quý', '2026-04-15', '2026-06-30', { every: 'quarter', day: null }],
    ['định kỳ hằng quý', '2026-07-01', '2026-09-30', { every: 'quarter', day: null }],
    ['hàng quý', '2026-12-31', '2026-12-31', { every: 'quarter', day: null }],
    ['định kỳ 6 tháng', '2026-04-15', '2026-06-30', { every: 'half', day: null }],
    ['6 tháng/lần', '2026-07-01', '2026-12-31', { every: 'half', day: null }],
    ['Định kỳ 3 tháng', '2026-04-15', '2026-06-30', { every: 'quarter', day: null }],
    // 2026-04-15 is a Wednesday.
    ['hằng tuần', '2026-04-15', '2026-04-19', { every: 'week', day: null }],
    ['hằng tuần, trước thứ Sáu', '2026-04-15', '2026-04-17', { every: 'week', day: 5 }],
    ['thứ 2 hằng tuần', '2026-04-15', '2026-04-20', { every: 'week', day: 1 }],
    ['thứ Tư hằng tuần', '2026-04-15', '2026-04-15', { every: 'week', day: 3 }],
  ])('%s at %s → %s', (text, day, due, recurrence) => {
    expect(parse(text, day)).toEqual({ raw: text, kind: 'recurring', due, recurrence });
  });

  test('a monthly duty wins over ongoing words and a year in the same cell', () => {
    expect(parse('Thường xuyên; báo cáo trước ngày 25 hằng tháng').kind).toBe('recurring');
  });

  test('"định kỳ 6 tháng đầu năm" is a half-year period, not a recurrence', () => {
    expect(parse('Báo cáo định kỳ 6 tháng đầu năm 2026')).toMatchObject({ kind: 'period', due: '2026-06-30', period: 'half' });
  });

  test('no such day of the month', () => {
    expect(parse('ngày 35 hằng tháng')).toMatchObject({ kind: 'unknown', due: null, reason: expect.stringContaining('35') });
  });
});

describe('conditional: waiting for an outside trigger', () => {
  test.each([
    'Theo hướng dẫn của Bộ Công an',
    'Khi có hướng dẫn của Trung ương',
    'Theo yêu cầu của Trung ương',
    'Theo chỉ đạo, hướng dẫn của Bộ Nội vụ',
    'Theo văn bản giao nhiệm vụ, các chỉ đạo của các bộ, ngành Trung ương',
    'Theo lộ trình của Trung ương',
    'Sau khi được phê duyệt',
    'Theo hướng dẫn, yêu cầu của Bộ Công an',
    'Theo huong dan cua Bo Cong an',
  ])('%s', (text) => {
    expect(parse(text)).toEqual({ raw: text, kind: 'conditional', due: null, trigger: text });
  });

  test('the trigger drops the trailing full stop', () => {
    expect(parse('Theo hướng dẫn của Bộ Công an.')).toEqual({
      raw: 'Theo hướng dẫn của Bộ Công an.',
      kind: 'conditional',
      due: null,
      trigger: 'Theo hướng dẫn của Bộ Công an',
    });
  });
});

describe('relative: N days after a trigger', () => {
  test.each([
    ['Chậm nhất 10 ngày sau khi có hướng dẫn của Trung ương', 10, 'có hướng dẫn của Trung ương'],
    ['Chậm nhất sau 07 ngày kể từ khi có hướng dẫn của Trung ương', 7, 'có hướng dẫn của Trung ương'],
    ['trong vòng 15 ngày kể từ ngày nhận được văn bản', 15, 'ngày nhận được văn bản'],
    ['Tối đa 05 ngày kể từ ngày nhận được yêu cầu.', 5, 'ngày nhận được yêu cầu'],
    ['Trong 02 tuần kể từ ngày ký', 14, 'ngày ký'],
    ['cham nhat 10 ngay sau khi co huong dan', 10, 'co huong dan'],
  ])('%s → +%d days after "%s"', (text, offsetDays, trigger) => {
    expect(parse(text)).toEqual({ raw: text, kind: 'relative', due: null, offsetDays, trigger });
  });

  test('months and working days keep no offsetDays; the reason gives the count', () => {
    const months = parse('Trong 01 tháng kể từ ngày Kế hoạch được ban hành');
    expect(months).toMatchObject({ kind: 'relative', due: null, trigger: 'ngày Kế hoạch được ban hành' });
    expect(months.offsetDays).toBeUndefined();
    expect(months.reason).toContain('Counted in months (1)');
    const working = parse('05 ngày làm việc kể từ khi nhận hồ sơ');
    expect(working).toMatchObject({ kind: 'relative', due: null, trigger: 'nhận hồ sơ' });
    expect(working.offsetDays).toBeUndefined();
    expect(working.reason).toContain('working days (5)');
  });

  test.each([
    // The event's own day is not counted (Civil Code): 1/4 + 15 days = 16/4.
    ['trong vòng 15 ngày kể từ ngày 01/4/2026', '2026-04-16'],
    ['Trong 01 tháng kể từ ngày 31/1/2026', '2026-02-28'],
  ])('a trigger that is a day fixes the due day: %s → %s', (text, due) => {
    expect(parse(text)).toMatchObject({ kind: 'relative', due });
  });
});

describe('unknown, with a reason', () => {
  test.each([
    ['31/2/2026', 'No such day: 31/2/2026'],
    ['29/2/2027', 'No such day: 29/2/2027'],
    ['32/1/2026', 'No such day: 32/1/2026'],
    ['15/13/2026', 'No such day: 15/13/2026'],
    ['ngày 30 tháng 2 năm 2026', 'No such day: 30/2/2026'],
    ['Tháng 13/2026', 'No such month: 13/2026'],
    ['13/2026', 'No such month: 13/2026'],
    ['Quý V/2026', 'No such quarter: V/2026'],
    ['Q5/2026', 'No such quarter: 5/2026'],
    ['Quý II-V/2026', 'No such quarter: V/2026'],
    ['Quý IV-II/2026', 'Range ends before it starts'],
    ['Q2/2026 - Q4/2025', 'Range ends before it starts'],
    ['Quý II/2026; 31/4/2026', 'No such day: 31/4/2026'],
    ['', 'Empty deadline cell'],
    ['   ', 'Empty deadline cell'],
    ['<b></b>', 'Empty deadline cell'],
    ['.', 'Empty deadline cell'],
    [' – ', 'Empty deadline cell'],
    ['Sớm', 'Deadline not recognised'],
    ['Kịp thời', 'Deadline not recognised'],
  ])('%j → %s', (text, reason) => {
    const d = parse(text);
    expect(d.kind).toBe('unknown');
    expect(d.due).toBeNull();
    expect(d.reason).toContain(reason);
    expect(d.reason).toMatch(/^[^/]*[À-ỹ].* \/ [A-Z]/u); // Vietnamese first, then English
  });
});

describe('deadlineFromDate', () => {
  test('a date cell is due that day and keeps its text', () => {
    expect(deadlineFromDate('2026-04-30', ' 30/04/2026 ')).toEqual({ raw: '30/04/2026', kind: 'date', due: '2026-04-30' });
  });
  test('an empty text shows the day', () => {
    expect(deadlineFromDate('2026-04-30', '')).toEqual({ raw: '2026-04-30', kind: 'date', due: '2026-04-30' });
  });
  test('an impossible day is unknown', () => {
    expect(deadlineFromDate('2026-02-31', 'x')).toMatchObject({ kind: 'unknown', due: null, reason: expect.stringContaining('2026-02-31') });
  });
});

describe('every result fits the schema', () => {
  test.each(['15/4/2026', 'Quý II/2026', 'Thường xuyên', 'hằng quý', 'Theo yêu cầu của Trung ương', 'Chậm nhất 10 ngày sau khi có hướng dẫn', '31/2/2026', ''])(
    '%j',
    (text) => {
      expect(Deadline.safeParse(parse(text)).success).toBe(true);
    },
  );
});

describe('seed annexes', () => {
  const dir = path.join(__dirname, '..', 'fixtures', 'seeds');
  const cells = ['003-phu-luc-II.txt', '003-phu-luc-III.txt', '003-phu-luc-IV.txt'].flatMap((file) =>
    readFileSync(path.join(dir, file), 'utf8')
      .split(/\r?\n/)
      .map((line) => line.split('\t'))
      .filter((cells) => /^\d+$/.test(cells[0].trim()))
      .map((cells) => [file, cells[4]] as const),
  );

  test('the fixtures hold the 100 numbered tasks (61 + 21 + 18)', () => {
    expect(cells).toHaveLength(100);
  });

  test.each(cells)('%s: %s is read', (_file, cell) => {
    const d = parse(cell);
    expect(d.kind).not.toBe('unknown');
    if (d.kind === 'date' || d.kind === 'period') expect(d.due).toMatch(/^2026-/);
  });

  test('the seed forms give the expected days', () => {
    const dueOf = (text: string) => parse(text).due;
    expect(dueOf('Quý II-III/2026')).toBe('2026-09-30');
    expect(dueOf('Q3/2025 – Q2/2026')).toBe('2026-06-30');
    expect(dueOf('Quý III-IV/2026')).toBe('2026-12-31');
    expect(dueOf('30/9/2026')).toBe('2026-09-30');
  });
});
