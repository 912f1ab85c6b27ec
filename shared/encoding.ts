/**
 * Text encodings offices still produce: UTF-8 with or without BOM, UTF-16 (Excel's
 * "Unicode Text" export), Windows code pages, and the legacy Vietnamese font
 * encodings TCVN3 (ABC, ".VnTime" fonts) and VNI (VNI-Times fonts). Legacy text
 * typically arrives looking like Latin-1 ("Së Khoa häc" for "Sở Khoa học"):
 * it is recognised by whether the converted words read as Vietnamese syllables.
 */

export type LegacyEncoding = 'tcvn3' | 'vni';

const TONES = ['', '\u0300', '\u0309', '\u0303', '\u0301', '\u0323'] as const; // none, grave, hook, tilde, acute, dot
const BASES = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'] as const;

function withTone(base: string, tone: string): string {
  return (base + tone).normalize('NFC');
}

/**
 * TCVN3 (TCVN 5712:1993 VN3) byte → Unicode letter. VN3 has no upper-case toned
 * letters (".VnTimeH" fonts draw the lower-case codes as capitals); only
 * Ă Â Ê Ô Ơ Ư Đ have codes of their own. Bytes per base, in TONES order.
 */
const TCVN3_BYTES: Record<(typeof BASES)[number], readonly (number | null)[]> = {
  a: [null, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9],
  ă: [0xa8, 0xbb, 0xbc, 0xbd, 0xbe, 0xc6],
  â: [0xa9, 0xc7, 0xc8, 0xc9, 0xca, 0xcb],
  e: [null, 0xcc, 0xce, 0xcf, 0xd0, 0xd1],
  ê: [0xaa, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6],
  i: [null, 0xd7, 0xd8, 0xdc, 0xdd, 0xde],
  o: [null, 0xdf, 0xe1, 0xe2, 0xe3, 0xe4],
  ô: [0xab, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9],
  ơ: [0xac, 0xea, 0xeb, 0xec, 0xed, 0xee],
  u: [null, 0xef, 0xf1, 0xf2, 0xf3, 0xf4],
  ư: [0xad, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9],
  y: [null, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe],
};

function buildTcvn3(): Record<string, string> {
  const table: Record<string, string> = { '\u00ae': 'đ' };
  for (const base of BASES) {
    TCVN3_BYTES[base].forEach((byte, i) => {
      if (byte !== null) table[String.fromCharCode(byte)] = withTone(base, TONES[i]);
    });
  }
  [...'ĂÂÊÔƠƯĐ'].forEach((capital, i) => (table[String.fromCharCode(0xa1 + i)] = capital));
  return table;
}

/** TCVN3 character (as its Latin-1 look-alike) → Unicode letter. */
export const TCVN3_TO_UNICODE: Readonly<Record<string, string>> = buildTcvn3();

/**
 * VNI-Windows spells a letter as a base letter and a mark character. Marks per
 * vowel family, in TONES order; i, ơ, ư, ỵ and đ have single characters.
 */
const VNI_MARKS = {
  plain: ['', 'ø', 'û', 'õ', 'ù', 'ï'],
  circumflex: ['â', 'à', 'å', 'ã', 'á', 'ä'],
  breve: ['ê', 'è', 'ú', 'ü', 'é', 'ë'],
} as const;
const VNI_SPELLING: Record<(typeof BASES)[number], readonly string[]> = {
  a: VNI_MARKS.plain.map((m) => 'a' + m),
  ă: VNI_MARKS.breve.map((m) => 'a' + m),
  â: VNI_MARKS.circumflex.map((m) => 'a' + m),
  e: VNI_MARKS.plain.map((m) => 'e' + m),
  ê: VNI_MARKS.circumflex.map((m) => 'e' + m),
  i: ['i', 'ì', 'æ', 'ó', 'í', 'ò'],
  o: VNI_MARKS.plain.map((m) => 'o' + m),
  ô: VNI_MARKS.circumflex.map((m) => 'o' + m),
  ơ: VNI_MARKS.plain.map((m) => 'ô' + m),
  u: VNI_MARKS.plain.map((m) => 'u' + m),
  ư: VNI_MARKS.plain.map((m) => 'ö' + m),
  y: [...VNI_MARKS.plain.slice(0, 5).map((m) => 'y' + m), 'î'],
};

function buildVni(): Record<string, string> {
  const table: Record<string, string> = { ñ: 'đ', Ñ: 'Đ' };
  for (const base of BASES) {
    VNI_SPELLING[base].forEach((spelling, i) => {
      const letter = withTone(base, TONES[i]);
      if (spelling === letter) return; // plain a, e, o, u, y, i
      table[spelling] = letter;
      table[spelling.toUpperCase()] = letter.toUpperCase();
    });
  }
  return table;
}

/** VNI spelling (as its Latin-1 look-alike) → Unicode letter, upper and lower case. */
export const VNI_TO_UNICODE: Readonly<Record<string, string>> = buildVni();

// Typists mix a capital base with a lower-case mark ("Oâ"); read it as the capital.
const VNI_DECODE: Record<string, string> = { ...VNI_TO_UNICODE };
for (const [spelling, letter] of Object.entries(VNI_TO_UNICODE)) {
  if (spelling.length === 2 && spelling === spelling.toUpperCase()) {
    VNI_DECODE[spelling[0] + spelling[1].toLowerCase()] ??= letter;
  }
}
const VNI_PATTERN = new RegExp(
  Object.keys(VNI_DECODE)
    .sort((a, b) => b.length - a.length)
    .join('|'),
  'g',
);

function fromTcvn3(text: string): string {
  return text.replace(/[\u00a1-\u00fe]/g, (ch) => TCVN3_TO_UNICODE[ch] ?? ch);
}

/**
 * TCVN3 loses the case of toned capitals. A line with no lower-case plain letter, or a
 * word with two capitals and no lower-case plain letter ("HäC" → "HỌC"), is upper-cased;
 * elsewhere the letter stays lower case ("ñy" typed in .VnTimeH reads "ủy").
 */
function fromTcvn3WithCase(text: string): string {
  return text.replace(/[^\r\n]+/g, (line) =>
    isAllCaps(line)
      ? fromTcvn3(line).toUpperCase()
      : line.replace(/[A-Za-z\u00a1-\u00ff]+/g, (word) => (isAllCaps(word) ? fromTcvn3(word).toUpperCase() : fromTcvn3(word))),
  );
}

/** No lower-case plain letter and at least two capitals (A–Z or TCVN3's Ă Â Ê Ô Ơ Ư Đ at 0xA1–0xA7). */
function isAllCaps(text: string): boolean {
  return !/[a-z]/.test(text) && (text.match(/[A-Z\u00a1-\u00a7]/g)?.length ?? 0) >= 2;
}

function fromVni(text: string): string {
  return text.replace(VNI_PATTERN, (spelling) => VNI_DECODE[spelling]);
}

// ---------------------------------------------------------------- recognising Vietnamese

// A word: ASCII letters, the Latin-1 range legacy letters sit in, Latin and Vietnamese letters, combining marks.
const TOKEN = /[A-Za-z\u00a1-\u00ff\u0100-\u024f\u1e00-\u1eff\p{M}]+/gu;
const NON_ASCII = /[^A-Za-z]/; // tokens hold only letters and marks
const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
const INITIALS = 'ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x';
/**
 * Vowel nuclei and the finals each takes ('' = open syllable). Tight enough that
 * a wrong reading of legacy text rarely forms syllables ("tổnh", "cụỷ" do not).
 */
const RHYMES: Record<string, string> = {
  a: '|c|ch|m|n|ng|nh|p|t',
  e: '|c|m|n|ng|p|t',
  ê: '|ch|m|n|nh|p|t',
  i: '|ch|m|n|nh|p|t',
  o: '|c|m|n|ng|p|t',
  ô: '|c|m|n|ng|p|t',
  ơ: '|m|n|p|t',
  u: '|c|m|n|ng|p|t',
  ư: '|c|m|n|ng|p|t',
  y: '',
  oa: '|c|ch|m|n|ng|nh|p|t',
  oe: '|m|n|t',
  uê: '|ch|n|nh',
  uy: '|ch|n|nh|p|t',
  ă: 'c|m|n|ng|p|t',
  â: 'c|m|n|ng|p|t',
  oă: 'c|m|n|ng|t',
  uâ: 'n|ng|t',
  iê: 'c|m|n|ng|p|t',
  yê: 'm|n|ng|t',
  uô: 'c|m|n|ng|t',
  ươ: 'c|m|n|ng|p|t',
  uyê: 'n|t',
  oo: 'c|ng',
  ...Object.fromEntries(
    'ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui uơ ưa ưi ưu iêu yêu oai oay oao oeo uây uôi ươi ươu uya uyu'
      .split(' ')
      .map((nucleus) => [nucleus, '']),
  ),
};
const SYLLABLE = new RegExp(
  `^(?:${INITIALS})?(?:${Object.entries(RHYMES)
    .map(([nucleus, finals]) => `${nucleus}(?:${finals})`)
    .join('|')})$`,
);
/** Letters only Unicode Vietnamese has, or combining marks: legacy text read as Latin-1 never contains them. */
const VIETNAMESE_UNICODE = /[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]|\p{M}/u;

/**
 * One Vietnamese syllable: initial, vowel nucleus and a final it takes, at most one
 * tone mark, and only the acute or dot-below tone before a stop (c, ch, p, t).
 */
export function isVietnameseSyllable(word: string): boolean {
  const nfd = word.toLowerCase().normalize('NFD');
  const tones = nfd.match(TONE_MARKS) ?? [];
  if (tones.length > 1) return false;
  const base = nfd.replace(TONE_MARKS, '').normalize('NFC');
  if (!SYLLABLE.test(base)) return false;
  return !/(?:c|ch|p|t)$/.test(base) || tones[0] === '\u0301' || tones[0] === '\u0323';
}

interface Score {
  valid: number;
  invalid: number;
}

/**
 * How many words with non-ASCII letters read as Vietnamese syllables, and how many do
 * not; abbreviations of capitals and Đ ("HĐND", "BCĐ") count as neither.
 */
function score(text: string): Score {
  const result = { valid: 0, invalid: 0 };
  for (const [word] of text.matchAll(TOKEN)) {
    if (!NON_ASCII.test(word)) continue;
    if (isVietnameseSyllable(word)) result.valid++;
    else if (!/^[A-ZĐ]{2,}$/.test(word)) result.invalid++;
  }
  return result;
}

/** One way of reading an input (a string, or a file's bytes) as text. */
interface Reader<I, E> {
  encoding: E;
  read(input: I): string;
}

/**
 * The reader whose words are most often Vietnamese syllables. Another reader replaces
 * the first one (the input as given) only when it has more such words and at least
 * four in five of its non-ASCII words are syllables, so French or German text and
 * Unicode Vietnamese that happens to use only Latin-1 letters ("Cô giáo") stay.
 * Judged on a sample (the input's head) so large files cost one conversion.
 */
function bestReader<I, E>(sample: I, readers: [Reader<I, E>, ...Reader<I, E>[]]): Reader<I, E> {
  const [given, ...others] = readers;
  let best = given;
  let bestValid = score(given.read(sample)).valid;
  for (const reader of others) {
    const s = score(reader.read(sample));
    if (s.valid > bestValid && s.invalid * 4 <= s.valid) {
      best = reader;
      bestValid = s.valid;
    }
  }
  return best;
}

const SAMPLE_SIZE = 1 << 16;

/** The head of a text or of bytes, cut at a line break when there is one. */
function head<T extends string | Uint8Array>(input: T): T {
  if (input.length <= SAMPLE_SIZE) return input;
  if (typeof input === 'string') {
    const cut = input.lastIndexOf('\n', SAMPLE_SIZE);
    return input.slice(0, cut > 0 ? cut : SAMPLE_SIZE) as T;
  }
  const cut = (input as Uint8Array).lastIndexOf(0x0a, SAMPLE_SIZE);
  return (input as Uint8Array).subarray(0, cut > 0 ? cut : SAMPLE_SIZE) as T;
}

const LEGACY_READERS: [Reader<string, LegacyEncoding | null>, ...Reader<string, LegacyEncoding | null>[]] = [
  { encoding: null, read: (text) => text },
  { encoding: 'tcvn3', read: (text) => fromTcvn3WithCase(text).normalize('NFC') },
  { encoding: 'vni', read: (text) => fromVni(text).normalize('NFC') },
];

/**
 * Converts text typed in TCVN3 or VNI and read as Latin-1 (e.g. .xlsx cells typed with
 * .VnTime fonts) to Unicode NFC. Unicode Vietnamese, plain English and other text are
 * returned unchanged with encoding null.
 */
export function repairLegacyVietnamese(text: string): { text: string; encoding: LegacyEncoding | null } {
  if (!/[\u00a1-\u00ff]/.test(text) || VIETNAMESE_UNICODE.test(text)) return { text, encoding: null };
  const reader = bestReader(head(text), LEGACY_READERS);
  return { text: reader.read(text), encoding: reader.encoding };
}

// ---------------------------------------------------------------- bytes

function decode(encoding: string, bytes: Uint8Array, fatal = false): string {
  return new TextDecoder(encoding, { fatal, ignoreBOM: true }).decode(bytes);
}

/** UTF-16 without a BOM shows as a NUL in every other byte of ASCII text. */
function sniffUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const pairs = Math.min(bytes.length >> 1, 512);
  if (pairs < 2) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs; i++) {
    if (bytes[2 * i] === 0) evenNul++;
    if (bytes[2 * i + 1] === 0) oddNul++;
  }
  const stray = pairs * 0.02; // a few code points like U+0100 have a NUL low byte
  if (oddNul >= pairs * 0.4 && evenNul <= stray) return 'utf-16le';
  if (evenNul >= pairs * 0.4 && oddNul <= stray) return 'utf-16be';
  return null;
}

/** Unicode text, repaired when its letters turn out to be TCVN3 or VNI look-alikes ("utf-8+tcvn3"). */
function unicodeReading(text: string, encoding: string): { text: string; encoding: string } {
  const repaired = repairLegacyVietnamese(text);
  return repaired.encoding ? { text: repaired.text, encoding: `${encoding}+${repaired.encoding}` } : { text, encoding };
}

/**
 * Decodes a text file's bytes. encoding is one of: utf-8, utf-8-bom, utf-16le, utf-16be
 * (with "+tcvn3" / "+vni" when the Unicode text carried legacy look-alikes), or for bytes
 * that are not UTF-8: windows-1252, windows-1258, tcvn3 or vni. BOMs are removed; legacy
 * encodings come out as Unicode NFC.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: string } {
  const [b0, b1, b2] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return unicodeReading(decode('utf-8', bytes.subarray(3)), 'utf-8-bom');
  if (b0 === 0xff && b1 === 0xfe) return unicodeReading(decode('utf-16le', bytes.subarray(2)), 'utf-16le');
  if (b0 === 0xfe && b1 === 0xff) return unicodeReading(decode('utf-16be', bytes.subarray(2)), 'utf-16be');
  const utf16 = sniffUtf16(bytes);
  if (utf16) return unicodeReading(decode(utf16, bytes), utf16);
  let utf8: string | null = null;
  try {
    utf8 = decode('utf-8', bytes, true);
  } catch {
    // Not UTF-8: one of the single-byte encodings below.
  }
  if (utf8 !== null) return unicodeReading(utf8, 'utf-8');
  const reader = bestReader(head(bytes), SINGLE_BYTE_READERS);
  return { text: reader.read(bytes), encoding: reader.encoding };
}

const SINGLE_BYTE_READERS: [Reader<Uint8Array, string>, ...Reader<Uint8Array, string>[]] = [
  { encoding: 'windows-1252', read: (bytes) => decode('windows-1252', bytes) },
  { encoding: 'windows-1258', read: (bytes) => decode('windows-1258', bytes).normalize('NFC') },
  { encoding: 'tcvn3', read: (bytes) => fromTcvn3WithCase(decode('windows-1252', bytes)).normalize('NFC') },
  { encoding: 'vni', read: (bytes) => fromVni(decode('windows-1252', bytes)).normalize('NFC') },
];
