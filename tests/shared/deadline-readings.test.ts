import { parseDeadline } from '../../shared/deadline';
import { Deadline } from '../../shared/schemas';

const asOf = '2026-04-15';
const parse = (text: string, day = asOf) => parseDeadline(text, { asOf: day });

describe('a completion with a continuing duty is due at the completion', () => {
  test.each([
    ['Hoàn thành trong năm 2026 và duy trì thường xuyên', '2026-12-31', 'và duy trì thường xuyên'],
    ['Hoàn thành trong năm 2026 và thực hiện các năm tiếp theo', '2026-12-31', 'và thực hiện các năm tiếp theo'],
    ['Hoàn thành trong năm 2026 và những năm tiếp theo.', '2026-12-31', 'và những năm tiếp theo'],
    ['Xong trước 30/6/2026 và cập nhật hằng quý', '2026-06-30', 'và cập nhật hằng quý'],
    [
      'trước Thứ Tư ngày 03/12/2025 và tại các báo cáo định kỳ hằng tuần',
      '2025-12-03',
      'và tại các báo cáo định kỳ hằng tuần',
    ],
  ])('%s → %s', (text, due, continuing) => {
    const d = parse(text);
    expect(d).toMatchObject({ due, continuing });
    expect(['date', 'period']).toContain(d.kind);
    expect(d.reason).toContain(continuing);
    expect(Deadline.safeParse(d).success).toBe(true);
  });
});

describe('work that starts at a day or period and goes on is ongoing from then', () => {
  test.each([
    ['Năm 2026 và các năm tiếp theo', '2026-01-01'],
    ['Năm 2025 và những năm tiếp theo', '2025-01-01'],
    ['Quý IV năm 2025 và các năm tiếp theo', '2025-10-01'],
    ['Giai đoạn 2026-2030 và những năm tiếp theo', '2026-01-01'],
    ['Từ năm 2026 trở đi', '2026-01-01'],
    ['Từ 01/7/2025', '2025-07-01'],
    ['từ quý II/2026', '2026-04-01'],
    ['Triển khai từ năm 2026', '2026-01-01'],
    ['Bắt đầu triển khai từ năm 2026', '2026-01-01'],
    ['(Bắt đầu) triển khai từ năm 2026', '2026-01-01'],
  ])('%s → from %s', (text, start) => {
    const d = parse(text);
    expect(d).toMatchObject({ kind: 'ongoing', due: null, start });
    const [y, m, day] = start.split('-');
    expect(d.reason).toContain(`${day}/${m}/${y}`);
  });
});

describe('"trước" a period is due the day before the period starts', () => {
  test.each([
    ['Trước năm 2030', '2029-12-31'],
    ['Trước 2030', '2029-12-31'],
    ['trước năm 2027.', '2026-12-31'],
    ['trước tháng 6/2026', '2026-05-31'],
    ['Trước quý III/2026', '2026-06-30'],
    ['Trước quý I năm 2027', '2026-12-31'],
  ])('%s → %s', (text, due) => {
    const d = parse(text);
    expect(d).toMatchObject({ kind: 'date', due });
    expect(d.reason).toContain('Trước');
  });

  test('"trước ngày" stays inclusive', () => {
    expect(parse('trước ngày 01/01/2030')).toEqual({ raw: 'trước ngày 01/01/2030', kind: 'date', due: '2030-01-01' });
  });
});

describe('a day or month "hằng năm" recurs every year', () => {
  test.each<[string, string, string, number | null, number]>([
    ['trước ngày 25/12 hàng năm', '2026-04-15', '2026-12-25', 25, 12],
    ['trước ngày 25/12 hàng năm', '2026-12-26', '2027-12-25', 25, 12],
    ['hằng năm (trước ngày 15 tháng 11)', '2026-04-15', '2026-11-15', 15, 11],
    ['Tháng 12 hằng năm', '2026-04-15', '2026-12-31', null, 12],
    ['Hằng năm, trước ngày 31/3', '2026-04-15', '2027-03-31', 31, 3],
    ['báo cáo trước ngày 15/11 mỗi năm', '2026-11-15', '2026-11-15', 15, 11],
  ])('%s at %s → %s', (text, day, due, dom, month) => {
    const d = parse(text, day);
    expect(d).toMatchObject({ kind: 'recurring', due, recurrence: { every: 'year', day: dom, month } });
    expect(d.reason).toBeDefined();
    expect(Deadline.safeParse(d).success).toBe(true);
  });

  test('a bare "Hằng năm" stays ongoing', () => {
    expect(parse('Hằng năm')).toEqual({ raw: 'Hằng năm', kind: 'ongoing', due: null });
  });

  test('an impossible yearly day is unknown, named', () => {
    expect(parse('trước ngày 31/02 hằng năm')).toMatchObject({ kind: 'unknown', reason: expect.stringContaining('31/2') });
  });
});

describe('wording that opens with what it waits for is conditional, whatever dates follow', () => {
  test.each([
    'Tùy thuộc vào thời điểm ban hành Nghị định năm 2026',
    'Tuỳ thuộc vào thời điểm Trung ương hướng dẫn',
    'Theo tiến độ được giao của Luật An ninh mạng 2025',
    'Theo kế hoạch công tác tư pháp hàng năm',
    'Theo Kế hoạch bồi dưỡng công chức, viên chức hàng năm',
    'Sau khi Nghị định quy định chi tiết thi hành Luật ban hành',
    'khi Chính phủ và các Bộ, ngành ban hành các văn bản quy định chi tiết, hướng dẫn thi hành',
    'đúng tiến độ đã được phê duyệt',
  ])('%s', (text) => {
    const d = parse(text);
    expect(d).toMatchObject({ kind: 'conditional', due: null, trigger: text });
    // A year in the wording is said not to be the deadline.
    if (/\d/.test(text)) expect(d.reason).toContain('không phải hạn');
  });
});

describe('ranges and weekdays', () => {
  test('a yearless range start takes the end’s year, not asOf’s', () => {
    expect(parse('từ ngày 11/9 đến hết năm 2027')).toMatchObject({ kind: 'period', start: '2027-09-11', due: '2027-12-31', period: 'range' });
  });

  test('a written weekday that matches the day adds nothing; one that does not is a caution', () => {
    // 11/9/2026 is a Friday, 13/9/2026 a Sunday.
    expect(parse('ngày 11/9/2026 (thứ Sáu)')).toEqual({ raw: 'ngày 11/9/2026 (thứ Sáu)', kind: 'date', due: '2026-09-11' });
    expect(parse('ngày 13/9/2026 (Chủ nhật)')).toEqual({ raw: 'ngày 13/9/2026 (Chủ nhật)', kind: 'date', due: '2026-09-13' });
    expect(parse('ngày 12/9/2026 (thứ Sáu)')).toMatchObject({ due: '2026-09-12', reason: expect.stringContaining('thứ Bảy') });
  });
});
