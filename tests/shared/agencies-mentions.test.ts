import { findAgencies } from '../../shared/agencies';

const brief = (text: string) => findAgencies(text).map((m) => [m.text, m.id, m.kind]);

describe('agencies named in running text', () => {
  test('every mention with offsets, as written, the longest name at each place', () => {
    const text =
      'Sở KH&CN chủ trì hướng dẫn, tổng hợp; Các sở, ngành, UBND cấp xã thực hiện công bố dữ liệu mở hằng năm theo lĩnh vực quản lý.';
    const found = findAgencies(text);
    expect(found.map((m) => [m.text, m.id, m.kind])).toEqual([
      ['Sở KH&CN', 'so-khoa-hoc-cong-nghe', 'department'],
      ['Các sở, ngành', 'cac-so-ban-nganh', 'group'],
      ['UBND cấp xã', 'ubnd-cac-xa-phuong', 'group'],
    ]);
    for (const m of found) expect(text.slice(m.start, m.end)).toBe(m.text);
    expect(found[0].name).toBe('Sở Khoa học và Công nghệ');
  });

  test('one body’s name with a comma and "và" is one mention; the province’s name belongs to it', () => {
    expect(brief('Giao Ủy ban nhân dân tỉnh Lào Cai chủ trì, phối hợp với Sở Văn hoá, Thể thao và Du lịch và Sở Tư pháp.')).toEqual([
      ['Ủy ban nhân dân tỉnh Lào Cai', 'ubnd-tinh', 'other'],
      ['Sở Văn hoá, Thể thao và Du lịch', 'so-van-hoa-the-thao-du-lich', 'department'],
      ['Sở Tư pháp', 'so-tu-phap', 'department'],
    ]);
  });

  test('NFD text and the old accent placement (uỷ, hoá) are found, offsets into the text as given', () => {
    const text = 'Đảng uỷ UBND tỉnh và Sở Văn hoá, Thể thao và Du lịch phối hợp.'.normalize('NFD');
    const found = findAgencies(text);
    expect(found.map((m) => m.id)).toEqual(['dang-uy-ubnd-tinh', 'so-van-hoa-the-thao-du-lich']);
    for (const m of found) expect(text.slice(m.start, m.end)).toBe(m.text);
  });

  test('a sector named bare in a sentence is a topic, not an agency', () => {
    expect(brief('Xây dựng kế hoạch phát triển y tế, giáo dục và đào tạo; bảo đảm tài chính và công an xã.')).toEqual([]);
  });

  test('no mention in text without agencies, and a long text is read', () => {
    expect(findAgencies('')).toEqual([]);
    const text = 'các sở, ban ngành và '.repeat(5000) + 'Sở Y tế';
    const found = findAgencies(text);
    expect(found[found.length - 1]).toMatchObject({ text: 'Sở Y tế', id: 'so-y-te' });
  });
});
