import { cleanMultiline, cleanText, compactKey, matchKey, stripDiacritics, trimTrailingPunctuation } from '../../shared/text';

describe('cleanText', () => {
  it.each([
    ['Sở Khoa học và Công nghệ', 'Sở Khoa học và Công nghệ'],
    ['  Sở\u00a0Khoa  học\tvà\nCông nghệ ', 'Sở Khoa học và Công nghệ'],
    ['<b>Quý II/2026</b>', 'Quý II/2026'],
    ['<b><i>Hoàn thiện thể chế</i></b>', 'Hoàn thiện thể chế'],
    ['Báo cáo<br/>kết quả', 'Báo cáo kết quả'],
    ['Sở KH&amp;CN', 'Sở KH&CN'],
    ['a\u200bb\ufeff', 'a b'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(cleanText(input)).toBe(expected);
  });

  it('turns decomposed text (NFD, from Macs and PDF tools) into NFC', () => {
    const nfd = 'Sở Khoa học và Công nghệ'.normalize('NFD');
    expect(nfd).not.toBe('Sở Khoa học và Công nghệ');
    expect(cleanText(nfd)).toBe('Sở Khoa học và Công nghệ');
    expect(cleanText(nfd)).toBe(cleanText(nfd).normalize('NFC'));
  });

  it('keeps a comparison sign that is not a tag', () => {
    expect(cleanText('Tỷ lệ < 5% và > 2%')).toBe('Tỷ lệ < 5% và > 2%');
  });
});

describe('cleanMultiline', () => {
  it('keeps one line per line, tidied, without blank lines', () => {
    expect(cleanMultiline(' Dòng  một \r\n\r\n  dòng\u00a0hai\n')).toBe('Dòng một\ndòng hai');
  });
});

describe('matching keys', () => {
  it('ignore case, diacritics, punctuation and Unicode form, and fold đ', () => {
    const forms = ['Sở Khoa học và Công nghệ', 'SỞ KHOA HỌC VÀ CÔNG NGHỆ.', 'so khoa hoc va cong nghe', 'Sở Khoa học và Công nghệ'.normalize('NFD')];
    expect(new Set(forms.map(matchKey))).toEqual(new Set(['so khoa hoc va cong nghe']));
    expect(stripDiacritics('Đảng ủy xã Bát Xát')).toBe('Dang uy xa Bat Xat');
  });

  it('keep "&" as a token, and compactKey joins abbreviations however they are spaced', () => {
    expect(matchKey('Sở KH&CN')).toBe('so kh & cn');
    expect(compactKey('Sở KH & CN')).toBe(compactKey('Sở KHCN'));
    expect(compactKey('Sở GD&ĐT')).toBe('sogddt');
  });
});

describe('trimTrailingPunctuation', () => {
  it('drops the full stops, commas and semicolons a document leaves after a cell', () => {
    expect(trimTrailingPunctuation('Sở Khoa học và Công nghệ.')).toBe('Sở Khoa học và Công nghệ');
    expect(trimTrailingPunctuation('các sở, ngành; ')).toBe('các sở, ngành');
    expect(trimTrailingPunctuation('Viettel, VNPT,...')).toBe('Viettel, VNPT');
  });
});
