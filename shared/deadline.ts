/**
 * Free-text deadlines ("Thời hạn") → a Deadline with a due day where the text fixes one.
 *
 * Matching runs on a key without diacritics, in lower case, with spaces around
 * "/" and "-" removed and every dash folded to "-", so "Quý II - III/2026",
 * "quy ii-iii/2026" and NFD or HTML-wrapped text read alike. The regexes are
 * compiled once at module load: parsing 100,000 cells must stay well under a second.
 *
 * Readings (Civil Code 2015, Art. 146–148, and the domain brief):
 * - "Trước ngày 30/4/2026", "Chậm nhất ngày …", "Hạn: …": due that day, inclusive
 *   (a task finished on 30/4 is on time). No subtraction of a day.
 * - A month, quarter, half or year is due on its last day; a range on the last day
 *   of its last period. "Đầu tháng/quý/năm" is the first day of that period and
 *   "giữa tháng" the 15th (the Code's definitions), so they are dates, with a caution.
 * - Recurring duties are due on their next occurrence on or after `asOf`.
 * - Open-ended wording ("Thường xuyên", "Hằng năm") is ongoing. "Năm 2026 và các năm
 *   tiếp theo", "Từ 01/7/2025", "triển khai từ năm 2026" are ongoing from the start of
 *   what they name. But a completion with a continuing duty ("Hoàn thành trong năm 2026
 *   và duy trì thường xuyên", "trước ngày 03/12/2025 và … định kỳ hằng tuần") is due at
 *   the completion, the duty kept in `continuing`.
 * - "Trước năm 2030", "trước tháng 6/2026": before the period starts, so due on the day
 *   before it (31/12/2029); "trước ngày …" stays inclusive.
 * - A day or month "hằng năm" ("trước ngày 25/12 hàng năm", "Tháng 12 hằng năm") recurs
 *   every year; a bare "Hằng năm" is ongoing.
 * - Wording that starts by naming what it waits for ("Theo kế hoạch …", "Tùy thuộc vào
 *   thời điểm …", "Sau khi …", "Khi …") is conditional, whatever dates follow it.
 * - A cell naming several deadlines ("Quý II/2026; báo cáo trước 20/6/2026") is due
 *   on the latest of them: the task is done only when its last part is. The reason
 *   says so.
 * - A date without a year takes asOf's year; a two-digit year is 20xx. Both with a caution.
 * - Relative deadlines counted in months or working days keep no offsetDays
 *   (neither is a fixed number of calendar days); the reason states the count.
 *   When the trigger is itself a day ("15 ngày kể từ ngày 01/4/2026") the deadline
 *   stays kind 'relative' but gets its due day (the event's own day not counted).
 */
import { addDays, dayOfWeek, isoFromParts, lastDayOfMonth, parseIso } from './dates';
import type { Deadline, IsoDate } from './schemas';
import { cleanText, stripDiacritics, trimTrailingPunctuation } from './text';

export interface DeadlineOptions {
  /** The reporting day: recurring duties are due on their next occurrence from it; yearless dates take its year. */
  asOf: IsoDate;
}

type PeriodUnit = NonNullable<Deadline['period']>;
type RecurrenceUnit = NonNullable<Deadline['recurrence']>['every'];

/** What one date-like phrase of the cell means. */
interface Reading {
  due: IsoDate;
  /** First day of the period; the day itself for dates. */
  start: IsoDate;
  /** Absent for a single day. */
  period?: PeriodUnit;
  caution?: string;
}
type Candidate = Reading & Span;

/** A rule's reading of a match: a Reading, a reason why it names no real day, or null to ignore the span. */
export type RuleResult = Reading | string | null;
interface Rule {
  re: RegExp;
  /**
   * Characters that must not stand just before a match: a lookbehind, checked by hand
   * because the add-in runs in Internet Explorer 11, whose regexes have none.
   */
  notAfter?: RegExp;
  /** Gating characters (bits) of which every match holds one: the rule is skipped when the key has none. */
  needs: number;
  read(m: RegExpExecArray, asOfYear: number): RuleResult;
}

// ---------------------------------------------------------------- messages

const REASON = {
  empty: 'Ô thời hạn trống / Empty deadline cell',
  unrecognised: 'Không đọc được thời hạn / Deadline not recognised',
  noDay: (s: string) => `Ngày không tồn tại: ${s} / No such day: ${s}`,
  noMonth: (s: string) => `Tháng không tồn tại: ${s} / No such month: ${s}`,
  noQuarter: (s: string) => `Quý không tồn tại: ${s} / No such quarter: ${s}`,
  noYear: (s: string) => `Năm không hợp lệ: ${s} / Invalid year: ${s}`,
  reversed: 'Khoảng thời gian kết thúc trước khi bắt đầu / Range ends before it starts',
  noRecurringDay: (d: number) => `Ngày định kỳ không tồn tại: ${d} / No such day of the month: ${d}`,
};
const CAUTION = {
  yearless: (y: number) => `Không ghi năm, lấy năm ${y} / No year written, ${y} assumed`,
  twoDigitYear: (yy: string, y: number) => `Năm viết tắt ${yy}, hiểu là ${y} / Two-digit year ${yy} read as ${y}`,
  startOfPeriod: '"Đầu …" là ngày đầu tiên của kỳ (Bộ luật Dân sự 2015) / "Đầu …" read as the first day of the period (Civil Code 2015)',
  midMonth: '"Giữa tháng" là ngày 15 (Bộ luật Dân sự 2015) / "Giữa tháng" read as the 15th (Civil Code 2015)',
  several: (n: number) => `Ô có ${n} thời hạn, lấy thời hạn muộn nhất / ${n} deadlines in the cell, the latest is used`,
  beforePeriod: (due: IsoDate) =>
    `"Trước" một kỳ (năm, quý, tháng) là trước ngày đầu của kỳ đó: hạn ${vnDay(due)} / Before a period means before it starts: due ${due}`,
  rangeYear: 'Ngày đầu khoảng không ghi năm, lấy năm của ngày cuối / The range start has no year; the end\'s year is used',
  weekday: (written: string, actual: string) =>
    `Ngày ghi là ${written} nhưng thực tế là ${actual} / The day is written as ${written} but falls on ${actual}`,
  workingDays: (n: number) =>
    `Tính theo ngày làm việc (${n} ngày), chưa quy ra ngày lịch / Counted in working days (${n}), not converted to calendar days`,
  months: (n: number) => `Tính theo tháng (${n} tháng), không quy ra số ngày / Counted in months (${n}), not converted to days`,
  years: (n: number) => `Tính theo năm (${n} năm), không quy ra số ngày / Counted in years (${n}), not converted to days`,
};
const READING = {
  continuing: (due: IsoDate, continuing: string) =>
    `Hạn hoàn thành ${vnDay(due)}; sau đó tiếp tục: “${continuing}” / Due ${due}; the duty then goes on: “${continuing}”`,
  from: (start: IsoDate) =>
    `Thực hiện từ ${vnDay(start)}, không có hạn kết thúc / Carried out from ${start}, no end given`,
  fromOn: (start: IsoDate) =>
    `Thực hiện từ ${vnDay(start)} và tiếp tục các kỳ sau / Carried out from ${start} and on in the following periods`,
  yearly: (month: number, day: number | null) =>
    day === null
      ? `Lặp lại tháng ${month} hằng năm, hạn ngày cuối tháng / Every year in month ${month}, due on its last day`
      : `Lặp lại ngày ${day}/${month} hằng năm / Every year on ${day}/${month}`,
  conditional:
    'Chờ sự kiện hoặc văn bản nêu ở đầu; ngày, năm trong câu không phải hạn / Waits for what it names first; the dates in it are not the deadline',
};

/** 2026-12-31 → 31/12/2026, for Vietnamese messages. */
function vnDay(iso: IsoDate): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

// ---------------------------------------------------------------- keys

/**
 * Folding table for one UTF-16 unit: ASCII upper → lower, Vietnamese (Latin-1 to
 * Latin Extended Additional) letters → their base letter, dashes → "-". Built once
 * from stripDiacritics; a per-character lookup is several times faster than
 * normalising every cell to NFD, and it keeps the clean text's length.
 */
const FOLD_SIZE = 0x2220;
const FOLD: string[] = [];
for (let code = 0; code < FOLD_SIZE; code++) {
  const ch = String.fromCharCode(code);
  const folded = stripDiacritics(ch).toLowerCase();
  FOLD.push(folded.length === 1 ? folded : ch);
}
for (const dash of '\u2010\u2011\u2012\u2013\u2014\u2015\u2212') FOLD[dash.charCodeAt(0)] = '-';
const EMPHASIS = /[*_]+/g;
const SPACED_SEPARATOR = / *([/-]) */g;
const DOUBLE_SPACE = / {2,}/g;
const TRAILING_PUNCTUATION = ' .;,:';

/** Lower case, no diacritics, dashes as "-"; one unit per unit of the clean text, so positions map back to it. */
export function foldOf(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    out += code < FOLD_SIZE ? FOLD[code] : raw[i];
  }
  return out;
}

/** The fold with emphasis marks gone, tight separators and no trailing full stop. */
function keyOf(fold: string): string {
  // Each replace runs only when its character is there: most cells need none of them.
  let key = fold;
  if (key.includes('*') || key.includes('_')) key = key.replace(EMPHASIS, '').replace(DOUBLE_SPACE, ' ').trim();
  if (key.includes(' /') || key.includes('/ ') || key.includes(' -') || key.includes('- ')) key = key.replace(SPACED_SEPARATOR, '$1');
  return TRAILING_PUNCTUATION.includes(key[key.length - 1]) ? trimTrailingPunctuation(key) : key;
}

// ---------------------------------------------------------------- periods

const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };

function quarterOf(token: string): number | null {
  const q = ROMAN[token] ?? Number(token); // NaN for a Roman numeral past IV
  return q >= 1 && q <= 4 ? q : null;
}

// Every reading builds a few ISO days; the calendar is small, so each is built once.
const DAYS = new Map<number, IsoDate | null>();
const MONTH_ENDS = new Map<number, IsoDate>();

function dayOf(year: number, month: number, day: number): IsoDate | null {
  const slot = (year * 16 + month) * 64 + day;
  let iso = DAYS.get(slot);
  if (iso === undefined) DAYS.set(slot, (iso = isoFromParts(year, month, day)));
  return iso;
}

function monthEnd(year: number, month: number): IsoDate {
  const slot = year * 16 + month;
  let iso = MONTH_ENDS.get(slot);
  if (iso === undefined) MONTH_ENDS.set(slot, (iso = lastDayOfMonth(year, month)));
  return iso;
}

function dayIn(year: number, month: number, day: number | null): IsoDate {
  // A day the month lacks (31 in April) clamps to its last day.
  return (day !== null && dayOf(year, month, day)) || monthEnd(year, month);
}

function monthsReading(year: number, first: number, last: number, period: PeriodUnit): Reading {
  return { start: dayOf(year, first, 1)!, due: monthEnd(year, last), period };
}

/** The year of a match: 4 digits, 2 digits (20xx) or none (asOf's year), with the caution that goes with it. */
function yearOf(text: string | undefined, asOfYear: number): { year: number; caution?: string } | string {
  if (text === undefined) return { year: asOfYear, caution: CAUTION.yearless(asOfYear) };
  if (text.length === 2) return { year: 2000 + Number(text), caution: CAUTION.twoDigitYear(text, 2000 + Number(text)) };
  const year = Number(text);
  return year >= 1900 && year <= 2200 ? { year } : REASON.noYear(text);
}

function withCaution(reading: Reading, caution: string | undefined): Reading {
  if (caution) reading.caution = reading.caution ? `${caution}; ${reading.caution}` : caution;
  return reading;
}

function dayReading(yearText: string | undefined, month: number, day: number, asOfYear: number): RuleResult {
  const y = yearOf(yearText, asOfYear);
  if (typeof y === 'string') return y;
  const iso = dayOf(y.year, month, day);
  if (!iso) return REASON.noDay(`${day}/${month}/${y.year}`);
  return withCaution({ due: iso, start: iso }, y.caution);
}

/** Months first..last of one year; prefix "đầu"/"giữa" turns a single month into a day. */
function monthReading(prefix: string | undefined, first: number, last: number, yearText: string | undefined, asOfYear: number): RuleResult {
  const y = yearOf(yearText, asOfYear);
  if (typeof y === 'string') return y;
  for (const m of [first, last]) if (m < 1 || m > 12) return REASON.noMonth(`${m}/${y.year}`);
  if (last < first) return REASON.reversed;
  if (prefix === 'dau' || prefix === 'giua') {
    const day = dayOf(y.year, first, prefix === 'dau' ? 1 : 15)!;
    return withCaution({ due: day, start: day, caution: prefix === 'dau' ? CAUTION.startOfPeriod : CAUTION.midMonth }, y.caution);
  }
  return withCaution(beforeOr(prefix, monthsReading(y.year, first, last, first === last ? 'month' : 'range')), y.caution);
}

/** "Trước" a period: due the day before the period starts; any other prefix leaves the period as read. */
function beforeOr(prefix: string | undefined, period: Reading): Reading {
  if (prefix !== 'truoc') return period;
  const due = addDays(period.start, -1);
  return { due, start: due, caution: CAUTION.beforePeriod(due) };
}

// ---------------------------------------------------------------- rules for dates and periods

const YEAR_SEP = '(?:/|,? nam )';
const QUARTER = '([ivx]+|\\d{1,2})\\b';
// "Đầu/giữa/cuối/trong/hết" before a period. Looked up behind a match rather than made part of the
// patterns: a pattern that starts with an optional group is tried at every position, and is slow.
const PREFIX_BEFORE = /\b(dau|giua|cuoi|trong|het|truoc) (?:nam )?$/;

function prefixBefore(m: RegExpExecArray): string | undefined {
  return PREFIX_BEFORE.exec(m.input.slice(Math.max(0, m.index - 12), m.index))?.[1];
}

function yearReading(prefix: string | undefined, yearText: string | undefined, asOfYear: number): RuleResult {
  const y = yearOf(yearText, asOfYear);
  if (typeof y === 'string') return y;
  if (prefix === 'dau') {
    const day = dayOf(y.year, 1, 1)!;
    return withCaution({ due: day, start: day, caution: CAUTION.startOfPeriod }, y.caution);
  }
  return withCaution(beforeOr(prefix, monthsReading(y.year, 1, 12, 'year')), y.caution);
}

// Characters that gate the rules: a rule runs only when the key holds one of those it needs.
const ANY = 1;
const DIGIT = 2;
const SLASH = 4;
const DASH = 8;
const DOT = 16;
const Q = 32;

/** In priority order: an earlier rule claims its span and later matches overlapping it are dropped. */
const RULES: Rule[] = [
  {
    // A document reference ("Văn bản số 123/BCA-V05 ngày 15/3/2026") dates the letter, not the task.
    needs: DIGIT,
    re: /\bso \d+\S* ngay (?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2} thang \d{1,2} nam \d{4})/g,
    read: () => null,
  },
  {
    needs: DASH,
    re: /(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)/g,
    notAfter: /\d/,
    read: (m, asOfYear) => dayReading(m[1], Number(m[2]), Number(m[3]), asOfYear),
  },
  {
    // 15/4/2026, 15-04-2026, 15.4.2026, 15/4/26.
    needs: SLASH | DASH | DOT,
    re: /(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)/g,
    notAfter: /[\d.]/,
    read: (m, asOfYear) => dayReading(m[4], Number(m[3]), Number(m[1]), asOfYear),
  },
  {
    needs: DIGIT,
    re: /\bngay (\d{1,2}) thang (\d{1,2})(?: nam (\d{4}))?/g,
    read: (m, asOfYear) => dayReading(m[3], Number(m[2]), Number(m[1]), asOfYear),
  },
  {
    // Quý II/2026, Q2/2026, quý II năm 2026, Quý II-III/2026, Quý II đến quý III/2026; yearless only at the end.
    needs: Q,
    re: new RegExp(`\\b(?:quy|q) ?${QUARTER}(?:(?:-| den | va )(?:quy |q)?${QUARTER})?(?:${YEAR_SEP}(\\d{4}|\\d{2})(?!\\d)|$)`, 'g'),
    read: (m, asOfYear) => {
      const [, firstText, lastText, yearText] = m;
      const y = yearOf(yearText, asOfYear);
      if (typeof y === 'string') return y;
      const first = quarterOf(firstText);
      const last = lastText === undefined ? first : quarterOf(lastText);
      if (first === null || last === null) return REASON.noQuarter(`${(first === null ? firstText : lastText).toUpperCase()}/${y.year}`);
      if (last < first) return REASON.reversed;
      if (prefixBefore(m) === 'dau') {
        const day = dayOf(y.year, first * 3 - 2, 1)!;
        return withCaution({ due: day, start: day, caution: CAUTION.startOfPeriod }, y.caution);
      }
      const period = monthsReading(y.year, first * 3 - 2, last * 3, first === last ? 'quarter' : 'range');
      return withCaution(beforeOr(prefixBefore(m), period), y.caution);
    },
  },
  {
    // 6 tháng đầu/cuối năm 2026, nửa đầu năm 2026, giữa năm 2026 (30/6).
    needs: ANY,
    re: /\b(?:(?:0?6|sau) thang (dau|cuoi)|nua (dau|cuoi)|(giua)) nam(?:[/ ](\d{4}))?/g,
    read: (m, asOfYear) => {
      const y = yearOf(m[4], asOfYear);
      if (typeof y === 'string') return y;
      const firstHalf = (m[1] ?? m[2]) === 'dau' || m[3] !== undefined;
      return withCaution(monthsReading(y.year, firstHalf ? 1 : 7, firstHalf ? 6 : 12, 'half'), y.caution);
    },
  },
  {
    // Tháng 4/2026, tháng 4 năm 2026, T4/2026, Tháng 4-6/2026, tháng 4 đến tháng 6/2026; yearless only at the end.
    needs: DIGIT,
    re: new RegExp(`\\b(?:thang|t) ?(\\d{1,2})(?:(?:-| den )(?:thang )?(\\d{1,2}))?(?:${YEAR_SEP}(\\d{4}|\\d{2})(?!\\d)|$)`, 'g'),
    read: (m, asOfYear) => monthReading(prefixBefore(m), Number(m[1]), Number(m[2] ?? m[1]), m[3], asOfYear),
  },
  {
    // 04/2026
    needs: SLASH,
    re: /(\d{1,2})\/(\d{4})(?![\d/])/g,
    notAfter: /[\d/.]/,
    read: (m, asOfYear) => monthReading(undefined, Number(m[1]), Number(m[1]), m[2], asOfYear),
  },
  {
    // Năm 2026, trong/cuối/đầu năm 2026, 2026.
    needs: DIGIT,
    re: /((?:19|20|21)\d\d)(?![\d/])/g,
    notAfter: /[\d/.]/,
    read: (m, asOfYear) => yearReading(prefixBefore(m), m[1], asOfYear),
  },
  {
    // "Cuối năm", "trong năm" with no year: only as the whole ending of the cell.
    needs: ANY,
    re: /\b(dau|cuoi|trong|het) nam$/g,
    read: (m, asOfYear) => yearReading(m[1], undefined, asOfYear),
  },
  {
    // 20/5 (no year).
    needs: SLASH,
    re: /(\d{1,2})\/(\d{1,2})(?![\d/])/g,
    notAfter: /[\d/.]/,
    read: (m, asOfYear) => dayReading(undefined, Number(m[2]), Number(m[1]), asOfYear),
  },
];

/** Which of the gating characters the key holds, in one pass. */
function featuresOf(key: string): number {
  let features = ANY;
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code >= 48 && code <= 57) features |= DIGIT;
    else if (code === 47) features |= SLASH;
    else if (code === 45) features |= DASH;
    else if (code === 46) features |= DOT;
    else if (code === 113) features |= Q;
  }
  return features;
}

/** What may stand between two phrases that form a range: "Q3/2025 – Q2/2026", "từ năm 2025 đến năm 2026". */
const RANGE_GAP = /^(?:-|,? (?:den|toi)(?: het)?(?: ngay| nam)? )$/;

export interface Span {
  at: number;
  end: number;
}

function overlaps(spans: Span[], at: number, end: number): boolean {
  for (const s of spans) if (at < s.end && s.at < end) return true;
  return false;
}

/**
 * Runs the date and period rules over the key in priority order; each match not overlapping an
 * earlier one is read and handed to `visit` (null: a span to ignore), which returns false to stop.
 */
export function scanRules(key: string, asOfYear: number, visit: (at: number, end: number, result: RuleResult) => boolean): void {
  const claimed: Span[] = [];
  const features = featuresOf(key);
  for (const rule of RULES) {
    if ((rule.needs & features) === 0) continue;
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(key); m !== null; m = rule.re.exec(key)) {
      const at = m.index;
      const end = at + m[0].length;
      if (end === at) {
        rule.re.lastIndex++;
        continue;
      }
      if (rule.notAfter && at > 0 && rule.notAfter.test(key[at - 1])) {
        rule.re.lastIndex = at + 1; // as a lookbehind would: try again one character on
        continue;
      }
      if (overlaps(claimed, at, end)) continue;
      const result = rule.read(m, asOfYear);
      claimed.push({ at, end });
      if (!visit(at, end, result)) return;
    }
  }
}

/** Every date or period the key names, ranges joined, in text order; or why one of them is impossible. */
function readPeriods(key: string, asOfYear: number): Candidate[] | string {
  const found: Candidate[] = [];
  let error: string | undefined;
  scanRules(key, asOfYear, (at, end, result) => {
    if (typeof result === 'string') error = result;
    // An explicit literal: object spread here cost more than all the regexes together.
    else if (result) found.push({ due: result.due, start: result.start, period: result.period, caution: result.caution, at, end });
    return error === undefined;
  });
  if (error !== undefined) return error;
  found.sort((a, b) => a.at - b.at);
  const joined: Candidate[] = [];
  for (const c of found) {
    const prev = joined[joined.length - 1];
    if (prev && RANGE_GAP.test(key.slice(prev.end, c.at))) {
      let start = prev.start;
      let prevCaution = prev.caution;
      // "từ ngày 11/9 đến hết năm 2026": the start takes the end's year.
      if (prevCaution === CAUTION.yearless(asOfYear)) {
        start = dayOf(Number(c.due.slice(0, 4)), Number(prev.start.slice(5, 7)), Number(prev.start.slice(8, 10))) ?? start;
        prevCaution = CAUTION.rangeYear;
      }
      if (c.due < start) return REASON.reversed;
      const caution = [prevCaution, c.caution].filter(Boolean).join('; ') || undefined;
      joined[joined.length - 1] = { at: prev.at, end: c.end, start, due: c.due, period: 'range', caution };
    } else {
      joined.push(c);
    }
  }
  return joined;
}

// ---------------------------------------------------------------- recurring, ongoing, conditional, relative

// "ngày 25 hằng tháng", "trước ngày 20 hàng tháng"; or "hằng tháng, trước ngày 25".
const MONTHLY_DAY = /\b(?:ngay )?(\d{1,2}) (?:cua )?(?:hang|moi|cac) thang\b|\b(?:hang|moi) thang,? (?:(?:truoc|vao|cham nhat) )*ngay (\d{1,2})(?![\d/])/;
// "hằng tháng", "định kỳ hằng quý", "hằng tuần", "định kỳ 6 tháng", "6 tháng/lần" (not "định kỳ 6 tháng đầu năm").
const RECURRING_UNIT =
  /\b(?:dinh ky (?:hang |moi )?|hang |moi )(tuan|thang|quy)\b|\b(?:dinh ky|hang|moi) (0?[136]) thang\b(?! (?:dau|cuoi))|\b(0?[136]) thang(?: (?:mot|1|01) |\/)lan\b/;
const WEEKDAY = /\bthu (hai|ba|tu|nam|sau|bay|[2-7])\b|\bchu nhat\b/;
const WEEKDAY_NUMBER: Record<string, number> = { hai: 1, ba: 2, tu: 3, nam: 4, sau: 5, bay: 6 };
const MONTHS_PER: Record<string, RecurrenceUnit> = { '1': 'month', '3': 'quarter', '6': 'half' };
const PERIOD_MONTHS: Record<RecurrenceUnit, number> = { week: 0, month: 1, quarter: 3, half: 6, year: 12 };

const ONGOING = /\b(?:thuong xuyen|lien tuc|hang (?:nam|ngay)|(?:nhung|cac) nam (?:tiep theo|sau)|tro di)\b|^dinh ky$/;
const CONDITIONAL =
  /\b(?:theo (?:huong dan|yeu cau|chi dao|van ban|lo trinh|ke hoach|quy dinh|tien do|thong bao)|khi (?:co|duoc)|sau khi|cho (?:huong dan|y kien|phe duyet)|tuy thuoc|dung tien do)\b/;
/** Wording that opens with what it waits for: conditional even when a date or year follows ("Theo tiến độ … Luật 2025"). */
const CONDITIONAL_START =
  /^(?:theo|tuy thuoc|tuy theo|sau khi|ngay sau khi|cho|dung tien do)\b|^khi\b[^.;]{0,160}\b(?:ban hanh|phe duyet|thong qua|huong dan|co|duoc|yeu cau)\b/;
/** A continuing duty joined to a completion: "… và duy trì thường xuyên", "… và các năm tiếp theo", "… và … định kỳ hằng tuần". */
const CONTINUING =
  /\bva (?:[^.;]{0,48} )?(?:thuong xuyen|duy tri|tiep tuc|dinh ky|(?:hang|moi) (?:nam|quy|thang|tuan)|(?:nhung|cac) nam (?:tiep theo|sau))\b/;
/** Words that make a date or period the end of the work rather than its start. */
const COMPLETION = /\b(?:hoan thanh|xong|truoc|cham nhat|han)\b/;
/** "Từ 01/7/2025", "(bắt đầu) triển khai từ năm 2026", "từ quý II/2026": the work starts then, with no end. */
const FROM_BEFORE = /\b(?:tu|bat dau|trien khai)(?: tu)? (?:ngay |nam |thang |quy )?$/;
// A day or month "hằng năm": "trước ngày 25/12 hàng năm", "hằng năm (trước ngày 15 tháng 11)", "Tháng 12 hằng năm".
const YEARLY = /\b(?:hang|moi) nam\b/;
const YEARLY_DAY = /(?:^|[^\d/.])(\d{1,2})\/(\d{1,2})(?![\d/])|\bngay (\d{1,2}) thang (\d{1,2})\b(?! nam \d)|\b(?:thang|t) ?(\d{1,2})\b(?![\d/]| nam \d)/;
/** "(thứ Sáu)" after a day: checked against the calendar. */
const WEEKDAY_NOTE = /\((thu (?:hai|ba|tu|nam|sau|bay|[2-7])|chu nhat)\)/;
const WEEKDAY_NAMES = ['Chủ nhật', 'thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy'];
// On the fold (positions = the clean text's): "10 ngày sau khi …", "07 ngày kể từ khi …", "15 ngày kể từ ngày …".
const RELATIVE = /(?:^|[^\d/.])(\d{1,3})[\s*]*(ngay lam viec|ngay|tuan|thang|nam)[\s*,]+(?:ke tu|tinh tu|sau)(?:[\s*]+khi)?[\s*]+(\S.*)$/;

function ymd(iso: IsoDate): [number, number, number] {
  return [Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10))];
}

/** The first day on or after asOf on which the duty falls; day null = the period's last day (Sunday for a week). */
function nextOccurrence(asOf: IsoDate, every: RecurrenceUnit, day: number | null): IsoDate {
  if (every === 'week') {
    const today = dayOfWeek(asOf) || 7; // ISO numbering: Monday 1 … Sunday 7
    return addDays(asOf, ((day ?? 7) - today + 7) % 7);
  }
  const len = PERIOD_MONTHS[every];
  const [y, m] = ymd(asOf);
  const lastMonth = Math.ceil(m / len) * len;
  const due = dayIn(y, lastMonth, day);
  if (due >= asOf) return due;
  return lastMonth + len > 12 ? dayIn(y + 1, lastMonth + len - 12, day) : dayIn(y, lastMonth + len, day);
}

function readRecurring(key: string, raw: string, asOf: IsoDate): Deadline | null {
  const monthly = MONTHLY_DAY.exec(key);
  if (monthly) {
    const day = Number(monthly[1] ?? monthly[2]);
    if (day < 1 || day > 31) return { raw, kind: 'unknown', due: null, reason: REASON.noRecurringDay(day) };
    return { raw, kind: 'recurring', due: nextOccurrence(asOf, 'month', day), recurrence: { every: 'month', day } };
  }
  const unit = RECURRING_UNIT.exec(key);
  if (!unit) return null;
  const every: RecurrenceUnit =
    unit[1] === 'tuan' ? 'week' : unit[1] === 'thang' ? 'month' : unit[1] === 'quy' ? 'quarter' : MONTHS_PER[String(Number(unit[2] ?? unit[3]))];
  let day: number | null = null;
  if (every === 'week') {
    const wd = WEEKDAY.exec(key);
    if (wd) day = wd[1] === undefined ? 7 : (WEEKDAY_NUMBER[wd[1]] ?? Number(wd[1]) - 1);
  }
  return { raw, kind: 'recurring', due: nextOccurrence(asOf, every, day), recurrence: { every, day } };
}

function readYearly(key: string, raw: string, asOf: IsoDate): Deadline | null {
  if (!YEARLY.test(key)) return null;
  const m = YEARLY_DAY.exec(key);
  if (!m) return null;
  const day = m[1] !== undefined ? Number(m[1]) : m[3] !== undefined ? Number(m[3]) : null;
  const month = Number(m[2] ?? m[4] ?? m[5]);
  if (month < 1 || month > 12) return { raw, kind: 'unknown', due: null, reason: REASON.noMonth(String(month)) };
  if (day !== null && !dayOf(2024, month, day)) return { raw, kind: 'unknown', due: null, reason: REASON.noDay(`${day}/${month}`) };
  const year = Number(asOf.slice(0, 4));
  let due = dayIn(year, month, day);
  if (due < asOf) due = dayIn(year + 1, month, day);
  return { raw, kind: 'recurring', due, recurrence: { every: 'year', day, month }, reason: READING.yearly(month, day) };
}

/**
 * A date or period followed by "và" and a continuing duty. After a completion word it is due
 * then and the duty goes on; without one ("Năm 2026 và các năm tiếp theo") the work is ongoing from its start.
 */
function readContinued(fold: string, key: string, raw: string, periods: Candidate[]): Deadline | null {
  const inKey = CONTINUING.exec(key);
  const inFold = CONTINUING.exec(fold);
  if (!inKey || !inFold) return null;
  const before = periods.filter((p) => p.end <= inKey.index);
  if (before.length === 0) return null;
  const continuing = trimTrailingPunctuation(raw.slice(inFold.index).replace(EMPHASIS, ''));
  if (!COMPLETION.test(key.slice(0, before[0].at))) {
    const start = before.reduce((a, p) => (p.start < a ? p.start : a), before[0].start);
    return { raw, kind: 'ongoing', due: null, start, reason: READING.fromOn(start), continuing };
  }
  let latest = before[0];
  for (const p of before) if (p.due > latest.due) latest = p;
  const deadline: Deadline = latest.period
    ? { raw, kind: 'period', due: latest.due, start: latest.start, period: latest.period }
    : { raw, kind: 'date', due: latest.due };
  deadline.reason = [latest.caution, READING.continuing(latest.due, continuing)].filter(Boolean).join('; ');
  deadline.continuing = continuing;
  return deadline;
}

/** A "(thứ Sáu)" written after a day that falls on another weekday: a caution, the day is kept. */
function weekdayCaution(key: string, due: IsoDate): string | undefined {
  const m = WEEKDAY_NOTE.exec(key);
  if (!m) return undefined;
  const word = m[1].slice(4);
  const written = m[1] === 'chu nhat' ? 0 : (WEEKDAY_NUMBER[word] ?? Number(word) - 1);
  const actual = dayOfWeek(due);
  return written === actual ? undefined : CAUTION.weekday(WEEKDAY_NAMES[written], WEEKDAY_NAMES[actual]);
}

function addMonthsClamped(iso: IsoDate, months: number): IsoDate {
  const [y, m, d] = ymd(iso);
  const index = y * 12 + (m - 1) + months;
  return dayIn(Math.floor(index / 12), (index % 12) + 1, d);
}

function readRelative(fold: string, raw: string, asOfYear: number): Deadline | null {
  const m = RELATIVE.exec(fold);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2];
  // The fold has the clean text's positions, so the trigger is cut from the text with its diacritics.
  const from = m.index + m[0].length - m[3].length;
  const trigger = trimTrailingPunctuation(raw.slice(from).replace(EMPHASIS, '').trim());
  const deadline: Deadline = { raw, kind: 'relative', due: null, trigger };
  if (unit === 'ngay' || unit === 'tuan') deadline.offsetDays = unit === 'tuan' ? n * 7 : n;
  else deadline.reason = unit === 'thang' ? CAUTION.months(n) : unit === 'nam' ? CAUTION.years(n) : CAUTION.workingDays(n);
  // A trigger that is itself a day ("kể từ ngày 01/4/2026") fixes the due day; the event's own day is not counted.
  const periods = readPeriods(keyOf(fold.slice(from)), asOfYear);
  const event = Array.isArray(periods) && periods.length === 1 && !periods[0].period ? periods[0].due : null;
  if (event && unit !== 'ngay lam viec') {
    deadline.due = deadline.offsetDays !== undefined ? addDays(event, deadline.offsetDays) : addMonthsClamped(event, unit === 'nam' ? n * 12 : n);
  }
  return deadline;
}

// ---------------------------------------------------------------- API

/**
 * Reads a free-text deadline cell. Order matters: a relative phrase, then a recurring
 * duty, then open-ended wording, then dates and periods, then conditional wording.
 */
export function parseDeadline(text: string, options: DeadlineOptions): Deadline {
  const raw = cleanText(text);
  const fold = foldOf(raw);
  const key = keyOf(fold);
  // Nothing but punctuation ("." or "-") is as good as empty.
  if (key === '' || key === '-') return { raw, kind: 'unknown', due: null, reason: REASON.empty };
  const asOfYear = Number(options.asOf.slice(0, 4));

  const relative = readRelative(fold, raw, asOfYear);
  if (relative) return relative;
  if (CONDITIONAL_START.test(key)) return conditional(raw, featuresOf(key) & DIGIT ? READING.conditional : undefined);
  const yearly = readYearly(key, raw, options.asOf);
  if (yearly) return yearly;
  const periods = readPeriods(key, asOfYear);
  const continued = typeof periods === 'string' ? null : readContinued(fold, key, raw, periods);
  if (continued) return continued;
  const recurring = readRecurring(key, raw, options.asOf);
  if (recurring) return recurring;
  const from = typeof periods === 'string' ? undefined : periods.find((p) => FROM_BEFORE.test(key.slice(Math.max(0, p.at - 24), p.at)));
  if (ONGOING.test(key)) {
    return from ? { raw, kind: 'ongoing', due: null, start: from.start, reason: READING.from(from.start) } : { raw, kind: 'ongoing', due: null };
  }

  if (typeof periods === 'string') return { raw, kind: 'unknown', due: null, reason: periods };
  if (from && periods.length === 1 && from.period !== 'range') {
    return { raw, kind: 'ongoing', due: null, start: from.start, reason: READING.from(from.start) };
  }
  if (periods.length > 0) {
    let latest = periods[0];
    for (const p of periods) if (p.due > latest.due) latest = p;
    const cautions = [
      latest.caution,
      periods.length > 1 ? CAUTION.several(periods.length) : undefined,
      latest.period ? undefined : weekdayCaution(key, latest.due),
    ].filter(Boolean);
    const deadline: Deadline = latest.period
      ? { raw, kind: 'period', due: latest.due, start: latest.start, period: latest.period }
      : { raw, kind: 'date', due: latest.due };
    if (cautions.length > 0) deadline.reason = cautions.join('; ');
    return deadline;
  }

  if (CONDITIONAL.test(key)) return conditional(raw);
  return { raw, kind: 'unknown', due: null, reason: REASON.unrecognised };
}

function conditional(raw: string, reason?: string): Deadline {
  const deadline: Deadline = { raw, kind: 'conditional', due: null, trigger: trimTrailingPunctuation(raw.replace(EMPHASIS, '')) };
  if (reason) deadline.reason = reason;
  return deadline;
}

/** Whether the text held no deadline wording at all (as opposed to an impossible day or an empty cell). */
export function isUnrecognised(deadline: Deadline): boolean {
  return deadline.kind === 'unknown' && deadline.reason === REASON.unrecognised;
}

/** A deadline cell Excel holds as a date: the day itself; `raw` is the cell's text (the ISO day when it shows none). */
export function deadlineFromDate(iso: IsoDate, raw: string): Deadline {
  const text = cleanText(raw) || iso;
  if (parseIso(iso) === null) return { raw: text, kind: 'unknown', due: null, reason: REASON.noDay(iso) };
  return { raw: text, kind: 'date', due: iso };
}
