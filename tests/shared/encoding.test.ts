import { readFileSync } from 'fs';
import { join } from 'path';
import {
  TCVN3_TO_UNICODE,
  VNI_TO_UNICODE,
  decodeText,
  isVietnameseSyllable,
  repairLegacyVietnamese,
} from '../../shared/encoding';

// ---------------------------------------------------------------- test-side encoders (table inverses)

const inverse = (table: Readonly<Record<string, string>>) => new Map(Object.entries(table).map(([legacy, uni]) => [uni, legacy]));
const tcvn3Of = inverse(TCVN3_TO_UNICODE);
const vniOf = inverse(VNI_TO_UNICODE);

/** Unicode → TCVN3 as typed with .VnTime/.VnTimeH: toned capitals take the lower-case code. */
const toTcvn3 = (s: string) =>
  [...s.normalize('NFC')].map((c) => tcvn3Of.get(c) ?? tcvn3Of.get(c.toLowerCase()) ?? c).join('');
const toVni = (s: string) => [...s.normalize('NFC')].map((c) => vniOf.get(c) ?? c).join('');
/** Latin-1 look-alike text → its single bytes. */
const bytesOf = (s: string) =>
  Uint8Array.from([...s], (c) => {
    const code = c.charCodeAt(0);
    if (code > 0xff) throw new Error(`not a single byte: ${c}`);
    return code;
  });
const utf16 = (s: string, bigEndian: boolean, bom: boolean) => {
  const units = [...(bom ? '\ufeff' : '') + s].flatMap((c) => {
    const out: number[] = [];
    for (let i = 0; i < c.length; i++) out.push(c.charCodeAt(i));
    return out;
  });
  return Uint8Array.from(units.flatMap((u) => (bigEndian ? [u >> 8, u & 0xff] : [u & 0xff, u >> 8])));
};

/**
 * What a TCVN3 round trip can give back: TCVN3 has no toned capitals, so they come back
 * lower case, except in lines or words with no lower-case plain letter and two capitals
 * (the documented rule of repairLegacyVietnamese).
 */
const allCaps = (legacy: string) => !/[a-z]/.test(legacy) && (legacy.match(/[A-Z\u00a1-\u00a7]/g)?.length ?? 0) >= 2;
const lowerToned = (word: string) =>
  [...word].map((c) => (!tcvn3Of.has(c) && tcvn3Of.has(c.toLowerCase()) ? c.toLowerCase() : c)).join('');
const tcvn3RoundTrip = (s: string) =>
  s
    .normalize('NFC')
    .split('\n')
    .map((line) => (allCaps(toTcvn3(line)) ? line : line.replace(/\p{L}+/gu, (w) => (allCaps(toTcvn3(w)) ? w : lowerToned(w)))))
    .join('\n');

const seed = readFileSync(join(__dirname, '../fixtures/seeds/003-phu-luc-III.txt'), 'utf8');
const seedLines = seed.split('\n').filter((line) => /[^\t\r\x20-\x7e]/.test(line));
const seedParagraph = seedLines.find((line) => line.startsWith('3\t'))!;

const AGENCIES = [
  'Sở Khoa học và Công nghệ',
  'Sở Văn hóa, Thể thao và Du lịch',
  'Sở Nông nghiệp và Môi trường',
  'Sở Giáo dục và Đào tạo',
  'Sở Dân tộc và Tôn giáo',
  'Sở Công Thương',
  'Sở Tư pháp',
  'Sở Ngoại vụ',
  'Sở Y tế',
  'Văn phòng UBND tỉnh',
  'Công an tỉnh',
  'Thanh tra tỉnh',
  'Ban Quản lý Khu kinh tế',
  'Bảo hiểm xã hội tỉnh',
  'Văn phòng Tỉnh ủy',
  'Ban Tuyên giáo và Dân vận Tỉnh ủy',
  'Ủy ban MTTQ Việt Nam tỉnh',
  'Hội Liên hiệp Phụ nữ',
  'Hội Nông dân',
  'Hội Cựu chiến binh',
  'Liên đoàn Lao động',
  'Tỉnh đoàn',
  'UBND xã Bát Xát',
  'Đảng ủy phường Yên Bái',
  'UBND xã Bản Lầu',
];

// ---------------------------------------------------------------- tables

describe('mapping tables', () => {
  it('places TCVN3 letters at their VN3 byte positions', () => {
    const at = (byte: number) => TCVN3_TO_UNICODE[String.fromCharCode(byte)];
    expect([0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7].map(at).join('')).toBe('ĂÂÊÔƠƯĐ');
    expect([0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae].map(at).join('')).toBe('ăâêôơưđ');
    expect([0xb5, 0xb6, 0xb7, 0xb8, 0xb9].map(at).join('')).toBe('àảãáạ');
    expect([0xd2, 0xd3, 0xd4, 0xd5, 0xd6].map(at).join('')).toBe('ềểễếệ');
    expect([0xea, 0xeb, 0xec, 0xed, 0xee].map(at).join('')).toBe('ờởỡớợ');
    expect([0xfa, 0xfb, 0xfc, 0xfd, 0xfe].map(at).join('')).toBe('ỳỷỹýỵ');
  });

  const lowerLetters = [...'aăâeêioôơuưy'].flatMap((b) =>
    ['', '\u0300', '\u0309', '\u0303', '\u0301', '\u0323'].map((t) => (b + t).normalize('NFC')),
  );
  const nonAscii = [...lowerLetters.filter((c) => !/^[a-z]$/.test(c)), 'đ'];

  it('gives every non-ASCII Vietnamese letter one TCVN3 code (lower case, plus the 7 capitals)', () => {
    expect(nonAscii).toHaveLength(67);
    const values = Object.values(TCVN3_TO_UNICODE);
    expect(new Set(values).size).toBe(values.length);
    for (const c of nonAscii) expect(tcvn3Of.has(c)).toBe(true);
    expect(values).toHaveLength(74);
  });

  it('gives every Vietnamese letter, both cases, a distinct VNI spelling', () => {
    const values = Object.values(VNI_TO_UNICODE);
    expect(new Set(values).size).toBe(values.length);
    for (const c of [...nonAscii, ...nonAscii.map((x) => x.toUpperCase())]) {
      // í and ì are the same characters in VNI as in Latin-1.
      expect(vniOf.get(c) ?? (['í', 'ì', 'Í', 'Ì'].includes(c) ? c : undefined)).toBeDefined();
    }
    expect(toVni('Sở')).toBe('Sôû');
    expect(toVni('Người')).toBe('Ngöôøi');
    expect(toVni('Đảng ủy')).toBe('Ñaûng uûy');
  });
});

// ---------------------------------------------------------------- repairLegacyVietnamese

describe('repairLegacyVietnamese', () => {
  it.each([
    ['Së Khoa häc vµ C«ng nghÖ', 'Sở Khoa học và Công nghệ'],
    ['Uû ban nh©n d©n tØnh Lµo Cai', 'Uỷ ban nhân dân tỉnh Lào Cai'],
    ['Ng\u00adêi d©n', 'Người dân'],
    ['§¶ng ñy x· B¶n LÇu', 'Đảng ủy xã Bản Lầu'],
    ['Thêi h¹n: Quý II/2026', 'Thời hạn: Quý II/2026'],
    ['UBND TØNH LµO CAI', 'UBND TỈNH LÀO CAI'],
    ['Héi N«ng d©n', 'Hội Nông dân'],
  ])('TCVN3 %j → %j', (legacy, unicode) => {
    expect(repairLegacyVietnamese(legacy)).toEqual({ text: unicode, encoding: 'tcvn3' });
  });

  it.each([
    ['Sôû Khoa hoïc vaø Coâng ngheä', 'Sở Khoa học và Công nghệ'],
    ['Ñaûng uûy xaõ Baûn Laàu', 'Đảng ủy xã Bản Lầu'],
    ['UÛY BAN NHAÂN DAÂN TÆNH LAØO CAI', 'ỦY BAN NHÂN DÂN TỈNH LÀO CAI'],
    ['Coâng an tænh', 'Công an tỉnh'],
    ['Ngöôøi daân', 'Người dân'],
    ['- Löu: VT, HCC, CTTÑT, NC.', '- Lưu: VT, HCC, CTTĐT, NC.'],
  ])('VNI %j → %j', (legacy, unicode) => {
    expect(repairLegacyVietnamese(legacy)).toEqual({ text: unicode, encoding: 'vni' });
  });

  it('round-trips a seed paragraph through TCVN3 and VNI', () => {
    expect(seedParagraph).toMatch(/Sở Khoa học và Công nghệ/);
    expect(repairLegacyVietnamese(toTcvn3(seedParagraph))).toEqual({ text: tcvn3RoundTrip(seedParagraph), encoding: 'tcvn3' });
    expect(repairLegacyVietnamese(toVni(seedParagraph))).toEqual({ text: seedParagraph, encoding: 'vni' });
  });

  it('round-trips every seed annex line, headings in capitals included', () => {
    for (const line of seedLines) {
      expect(repairLegacyVietnamese(toTcvn3(line)).text).toBe(tcvn3RoundTrip(line));
      expect(repairLegacyVietnamese(toVni(line)).text).toBe(line);
    }
    expect(repairLegacyVietnamese(toTcvn3('CỦA BAN CHỈ ĐẠO TRUNG ƯƠNG')).text).toBe('CỦA BAN CHỈ ĐẠO TRUNG ƯƠNG');
  });

  it.each(AGENCIES)('round-trips the agency name %j', (name) => {
    expect(repairLegacyVietnamese(toTcvn3(name))).toEqual({ text: tcvn3RoundTrip(name), encoding: 'tcvn3' });
    expect(repairLegacyVietnamese(toVni(name))).toEqual({ text: name, encoding: 'vni' });
  });

  it('keeps the capital of a toned letter only where TCVN3 can tell', () => {
    expect(repairLegacyVietnamese(toTcvn3('Ủy ban nhân dân')).text).toBe('ủy ban nhân dân');
    expect(repairLegacyVietnamese(toTcvn3('Đảng ủy')).text).toBe('Đảng ủy'); // Đ has its own code
  });

  it.each([
    '',
    'Hello world, deadline Q2/2026',
    'STT\tNhiem vu\tThoi han',
    'Sở Khoa học và Công nghệ',
    'Sở Khoa học và Công nghệ'.normalize('NFD'),
    'Cô giáo',
    'Tài chính',
    'Café crème brûlée à Paris',
    'Müller Straße 5',
    '25°C ± 2',
  ])('leaves %j untouched', (text) => {
    expect(repairLegacyVietnamese(text)).toEqual({ text, encoding: null });
  });

  it('leaves every Unicode seed line untouched', () => {
    for (const line of seedLines) expect(repairLegacyVietnamese(line)).toEqual({ text: line, encoding: null });
    for (const name of AGENCIES) expect(repairLegacyVietnamese(name).encoding).toBeNull();
  });
});

describe('isVietnameseSyllable', () => {
  it.each(['người', 'nghiệp', 'khuyến', 'quốc', 'giáo', 'gì', 'hoạch', 'ĐƯỢC', 'tỉnh', 'xoong', 'ủy', 'thuở'])('%s is a syllable', (w) => {
    expect(isVietnameseSyllable(w)).toBe(true);
  });
  it.each(['tổnh', 'cụỷ', 'së', 'café', 'straße', 'bcđ', 'mat', 'tàc', 'hô'.repeat(2)])('%s is not', (w) => {
    expect(isVietnameseSyllable(w)).toBe(false);
  });
});

// ---------------------------------------------------------------- decodeText

describe('decodeText', () => {
  const table = 'STT\tNhiệm vụ\tCơ quan chủ trì\tThời hạn\r\n1\tBan hành Kế hoạch\tSở Khoa học và Công nghệ\tQuý II/2026\r\n';

  it('strips a UTF-8 BOM', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(table)]);
    expect(decodeText(bytes)).toEqual({ text: table, encoding: 'utf-8-bom' });
  });

  it('reads UTF-8 without BOM and leaves ASCII and Unicode Vietnamese as they are', () => {
    expect(decodeText(new TextEncoder().encode('plain ASCII, 2026'))).toEqual({ text: 'plain ASCII, 2026', encoding: 'utf-8' });
    expect(decodeText(new TextEncoder().encode(seed))).toEqual({ text: seed, encoding: 'utf-8' });
    const nfd = table.normalize('NFD');
    expect(decodeText(new TextEncoder().encode(nfd))).toEqual({ text: nfd, encoding: 'utf-8' });
    expect(decodeText(new Uint8Array())).toEqual({ text: '', encoding: 'utf-8' });
  });

  it("reads Excel's Unicode Text export (UTF-16LE with BOM, tab-separated)", () => {
    expect(decodeText(utf16(table, false, true))).toEqual({ text: table, encoding: 'utf-16le' });
  });

  it('reads UTF-16BE with BOM and UTF-16 without one', () => {
    expect(decodeText(utf16(table, true, true))).toEqual({ text: table, encoding: 'utf-16be' });
    expect(decodeText(utf16(table, false, false))).toEqual({ text: table, encoding: 'utf-16le' });
    expect(decodeText(utf16(table, true, false))).toEqual({ text: table, encoding: 'utf-16be' });
  });

  it('converts a TCVN3 file to Unicode NFC', () => {
    const source = seed.replace(/[“”]/g, '"');
    const decoded = decodeText(bytesOf(toTcvn3(source)));
    expect(decoded.encoding).toBe('tcvn3');
    expect(decoded.text).toBe(tcvn3RoundTrip(source));
    expect(decoded.text).toContain('CỦA BAN CHỈ ĐẠO TRUNG ƯƠNG');
  });

  it('judges a large file on its head and converts all of it', () => {
    const source = seed.replace(/[“”]/g, '"').repeat(12); // beyond the 64 KiB sample
    expect(source.length).toBeGreaterThan(1 << 16);
    expect(decodeText(bytesOf(toVni(source)))).toEqual({ text: source, encoding: 'vni' });
    expect(repairLegacyVietnamese(toTcvn3(source)).text).toBe(tcvn3RoundTrip(source));
  });

  it('converts a VNI file to Unicode NFC', () => {
    const source = seed.replace(/[“”]/g, '"');
    expect(decodeText(bytesOf(toVni(source)))).toEqual({ text: source, encoding: 'vni' });
  });

  it('reads windows-1258 (combining tone marks) as NFC', () => {
    // "Việt Nam": ê = 0xEA, dot below = 0xF2; "Sở Khoa học": ơ = 0xF5, hook = 0xD2.
    expect(decodeText(new Uint8Array([0x56, 0x69, 0xea, 0xf2, 0x74, 0x20, 0x4e, 0x61, 0x6d]))).toEqual({
      text: 'Việt Nam',
      encoding: 'windows-1258',
    });
    expect(decodeText(bytesOf('S\u00f5\u00d2 Khoa ho\u00f2c')).text).toBe('Sở Khoa học');
  });

  it('reads other non-UTF-8 bytes as windows-1252', () => {
    const french = 'Café crème brûlée, 25°C';
    expect(decodeText(bytesOf(french))).toEqual({ text: french, encoding: 'windows-1252' });
  });

  it('repairs TCVN3 look-alikes that were saved as UTF-8', () => {
    const bytes = new TextEncoder().encode('Së Khoa häc vµ C«ng nghÖ');
    expect(decodeText(bytes)).toEqual({ text: 'Sở Khoa học và Công nghệ', encoding: 'utf-8+tcvn3' });
  });
});
