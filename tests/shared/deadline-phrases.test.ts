import { findDeadlines } from '../../shared/deadline-phrases';

const asOf = '2026-04-15';
const find = (text: string) => findDeadlines(text, { asOf });
const brief = (text: string) => find(text).map((p) => [p.text, p.deadline.kind, p.deadline.due]);

describe('deadline phrases in running text', () => {
  test('each phrase with its preposition, offsets into the text and its reading', () => {
    const text =
      'Bộ Tài chính chủ trì, báo cáo Thủ tướng Chính phủ trước Thứ Tư ngày 03/12/2025 và tại các báo cáo định kỳ hằng tuần; các bộ hoàn thành chậm nhất ngày 25/12/2025.';
    const found = find(text);
    expect(found.map((p) => p.text)).toEqual([
      'trước Thứ Tư ngày 03/12/2025 và tại các báo cáo định kỳ hằng tuần',
      'hoàn thành chậm nhất ngày 25/12/2025',
    ]);
    for (const p of found) expect(text.slice(p.start, p.end)).toBe(p.text);
    expect(found[0].deadline).toMatchObject({ kind: 'date', due: '2025-12-03', continuing: 'và tại các báo cáo định kỳ hằng tuần' });
    expect(found[1].deadline).toMatchObject({ kind: 'date', due: '2025-12-25' });
  });

  test.each<[string, [string, string, string | null][]]>([
    ['Thời hạn hoàn thành: trước ngày 30/11/2025.', [['Thời hạn hoàn thành: trước ngày 30/11/2025', 'date', '2025-11-30']]],
    ['giao Bộ Y tế báo cáo trong tháng 5 năm 2026.', [['trong tháng 5 năm 2026', 'period', '2026-05-31']]],
    ['Sở Tài chính hoàn thành trước ngày 05/6/2026', [['hoàn thành trước ngày 05/6/2026', 'date', '2026-06-05']]],
    ['Tổ chức sơ kết Quý III/2026.', [['Quý III/2026', 'period', '2026-09-30']]],
    ['Các sở báo cáo định kỳ hằng tháng về Sở Nội vụ.', [['định kỳ hằng tháng', 'recurring', '2026-04-30']]],
    ['Sở Tư pháp báo cáo hằng năm (trước ngày 15 tháng 11) gửi Bộ Tư pháp.', [['hằng năm (trước ngày 15 tháng 11)', 'recurring', '2026-11-15']]],
    [
      'chậm nhất 10 ngày sau khi có hướng dẫn của Bộ, các sở báo cáo.',
      [['chậm nhất 10 ngày sau khi có hướng dẫn của Bộ', 'relative', null]],
    ],
    ['Ban hành quy định sau khi được thông qua.', [['sau khi được thông qua', 'conditional', null]]],
    ['Thời gian dự kiến: từ ngày 11/9 đến hết năm 2026.', [['Thời gian dự kiến: từ ngày 11/9 đến hết năm 2026', 'period', '2026-12-31']]],
    ['Khai mạc ngày 11/9/2026 (thứ Sáu) tại Hà Nội.', [['ngày 11/9/2026 (thứ Sáu)', 'date', '2026-09-11']]],
    ['Các xã gửi báo cáo trước ngày 25/12 hàng năm.', [['trước ngày 25/12 hàng năm', 'recurring', '2026-12-25']]],
    ['Định kỳ ngày 20 hàng tháng báo cáo UBND Thành phố.', [['Định kỳ ngày 20 hàng tháng', 'recurring', '2026-04-20']]],
    ['Phấn đấu cơ bản hoàn thành trong năm 2025.', [['cơ bản hoàn thành trong năm 2025', 'period', '2025-12-31']]],
    ['phấn đấu đến năm 2030 đạt 100%', [['đến năm 2030', 'period', '2030-12-31']]],
    ['Hoàn thành trong năm 2026 và duy trì thường xuyên các năm tiếp theo.', [
      ['Hoàn thành trong năm 2026 và duy trì thường xuyên các năm tiếp theo', 'period', '2026-12-31'],
    ]],
  ])('%s', (text, expected) => {
    expect(brief(text)).toEqual(expected);
  });

  test('a document’s own date, a plan’s span of years and a law’s year are not deadlines', () => {
    expect(
      brief('Triển khai Quyết định 2634/QĐ-TTg ngày 02/12/2025, Kế hoạch số 12/KH-UBND ngày 5/3/2026 giai đoạn 2026-2030 và Luật An ninh mạng 2025.'),
    ).toEqual([]);
  });

  test('offsets point into NFD text as given', () => {
    const text = 'Các xã gửi báo cáo trước ngày 25/12 hàng năm cho Sở.'.normalize('NFD');
    const [p] = find(text);
    expect(p.text).toBe('trước ngày 25/12 hàng năm'.normalize('NFD'));
    expect(text.slice(p.start, p.end)).toBe(p.text);
    expect(p.deadline.kind).toBe('recurring');
  });

  test('odd spacing and emphasis are read through', () => {
    const text = 'hoàn thành  **trong  Quý II - III / 2026**;';
    const [p] = find(text);
    expect(p.deadline).toMatchObject({ kind: 'period', due: '2026-09-30' });
    expect(text.slice(p.start, p.end)).toBe(p.text);
  });

  test('text without deadlines gives none', () => {
    expect(find('Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ngành xây dựng kế hoạch.')).toEqual([]);
    expect(find('')).toEqual([]);
  });

  test('a long text is read (linear, no blow-up on repeated near-matches)', () => {
    const text = 'trước ngày 3 tháng năm, hoàn thành trong quý, '.repeat(5000) + 'trước ngày 30/4/2026.';
    const found = find(text);
    expect(found.map((p) => [p.text, p.deadline.due])).toEqual([['trước ngày 30/4/2026', '2026-04-30']]);
  });
});
