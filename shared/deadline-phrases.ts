/**
 * Deadline phrases inside running text ("… báo cáo Bộ Tài chính trước ngày 05/6/2026."):
 * where each stands, as written with its preposition, and what it means (parseDeadline).
 *
 * The text is folded once to a key (lower case, no diacritics, one space per run, no
 * emphasis marks, tight "/" and "-") that remembers each character's offset in the text,
 * so NFD text and odd spacing give offsets into the text as given. Anchors are the date
 * and period rules of deadline.ts plus recurring, open-ended, relative and conditional
 * wording; each anchor takes the prepositions before it ("trước", "chậm nhất", "hoàn thành
 * trong", "từ … đến hết"), and anchors that touch or are joined by "và … hằng tuần"
 * form one phrase. Every step is one pass or a bounded look around an anchor: linear.
 */
import { foldOf, isUnrecognised, parseDeadline, scanRules, type DeadlineOptions, type Span } from './deadline';
import type { Deadline } from './schemas';

export interface DeadlinePhrase {
  /** UTF-16 offsets into the text as given. */
  start: number;
  end: number;
  /** The phrase as written, preposition included. */
  text: string;
  deadline: Deadline;
}

/** Open-ended or repeating wording: it continues a date joined to it by "và". */
const CONTINUING_ANCHORS =
  /\b(?:ngay )?\d{1,2} (?:cua )?(?:hang|moi|cac) thang\b|\b(?:dinh ky(?: (?:hang|moi))?|hang|moi) (?:tuan|thang|quy|nam)\b|\b(?:dinh ky|hang|moi) 0?[136] thang\b(?! (?:dau|cuoi))|\b0?[136] thang(?: (?:mot|1|01) |\/)lan\b|\bdinh ky\b|\bthuong xuyen\b|\b(?:nhung|cac) nam (?:tiep theo|sau)\b|\btro di\b/g;
/** Relative and conditional wording runs to the end of its clause. */
const CLAUSE_ANCHORS =
  /\b\d{1,3} (?:ngay lam viec|ngay|tuan|thang|nam),? (?:ke tu|tinh tu|sau)(?: khi)? [^.;,\n]+|\b(?:ngay )?sau khi [^.;,\n]+|\btuy thuoc vao [^.;,\n]+|\bkhi co (?:huong dan|y kien|van ban)[^.;,\n]*/g;

/** Words that belong to the phrase after them; a bare year needs one of the strong ones. */
const STRONG_PREFIXES = new Set([
  'truoc', 'trong', 'tu', 'den', 'toi', 'het', 'vao', 'xong', 'han',
  'bat dau', 'trien khai', 'cham nhat', 'muon nhat', 'hoan thanh', 'co ban', 'ke tu',
  'thu hai', 'thu ba', 'thu tu', 'thu nam', 'thu sau', 'thu bay', 'chu nhat',
]);
const WEAK_PREFIXES = new Set(['ngay', 'nam', 'giai doan', 'quy', 'thang']);
/**
 * "Đầu/giữa/cuối" only right before the period they qualify ("đầu năm 2026"): folded, "đầu"
 * is also "đấu" ("phấn đấu đến năm 2030").
 */
const PERIOD_EDGES = new Set(['dau', 'giua', 'cuoi']);
const PERIOD_WORD = /^(?:nam|thang|quy)\b/;
/** At most this many prefix words are taken, so the look back is bounded. */
const MAX_PREFIX_WORDS = 8;
/** A label just before the phrase: "Thời hạn hoàn thành: trước ngày 30/11/2025". */
const LABEL_BEFORE = /(?:^|[\s(,;.])(?:thoi han|thoi gian|han)(?: hoan thanh| thuc hien| du kien)?: ?$/;
/** "(thứ Sáu)" after a day. */
const WEEKDAY_AFTER = /^ ?\((?:thu (?:hai|ba|tu|nam|sau|bay|[2-7])|chu nhat)\)/;
/** What may stand between two anchors of one phrase. */
const TOUCHING = /^[ (-]{0,3}$/;
/** "… và tại các báo cáo định kỳ hằng tuần": "và", a few words, then a continuing anchor. */
const AND_THEN = /^ va (?:[^.;:,()\n]{0,40} )?$/;
/** A phrase that is only a year or a span of years, with no preposition: a plan's period, not a deadline. */
const BARE_YEARS = /^(?:(?:nam|giai doan) )?\d{4}(?:-\d{4})?$/;
/** A document number before "ngày …" ("2634/qđ-ttg"): the letter's date, not a deadline. */
const DOCUMENT_NUMBER = /\d[^ ]*\/[a-z]/;

interface Piece extends Span {
  continuing: boolean;
  strong: boolean;
}

/** Every deadline phrase in the text, in order. */
export function findDeadlines(text: string, options: DeadlineOptions): DeadlinePhrase[] {
  const { key, at } = keyWithOffsets(text);
  const asOfYear = Number(options.asOf.slice(0, 4));

  const anchors: Piece[] = [];
  scanRules(key, asOfYear, (start, end, result) => {
    if (result !== null) anchors.push({ at: start, end, continuing: false, strong: false });
    return true;
  });
  for (const [re, continuing] of [
    [CONTINUING_ANCHORS, true],
    [CLAUSE_ANCHORS, false],
  ] as const) {
    re.lastIndex = 0;
    for (let m = re.exec(key); m !== null; m = re.exec(key)) {
      anchors.push({ at: m.index, end: m.index + m[0].length, continuing, strong: true });
    }
  }
  anchors.sort((a, b) => a.at - b.at || b.end - a.end);

  // Overlapping anchors are one; then each takes its prepositions and the weekday after it.
  const pieces: Piece[] = [];
  for (const a of anchors) {
    const prev = pieces[pieces.length - 1];
    if (prev && a.at < prev.end) {
      prev.end = Math.max(prev.end, a.end);
      prev.continuing = prev.continuing || a.continuing;
      prev.strong = prev.strong || a.strong;
    } else {
      pieces.push({ ...a });
    }
  }
  for (const p of pieces) {
    extendBack(key, p);
    const label = LABEL_BEFORE.exec(key.slice(Math.max(0, p.at - 32), p.at));
    if (label) p.at -= label[0].length - (/^[\s(,;.]/.test(label[0]) ? 1 : 0);
    const weekday = WEEKDAY_AFTER.exec(key.slice(p.end, p.end + 16));
    if (weekday) p.end += weekday[0].length;
  }

  const phrases: Piece[] = [];
  for (const p of pieces) {
    const prev = phrases[phrases.length - 1];
    if (prev && p.at < prev.end) p.at = prev.end; // a preposition already taken by the phrase before
    const gap = prev ? key.slice(prev.end, p.at) : '';
    if (prev && (TOUCHING.test(gap) || (p.continuing && AND_THEN.test(gap)))) {
      prev.end = p.end;
      prev.strong = prev.strong || p.strong;
    } else {
      phrases.push(p);
    }
  }

  const found: DeadlinePhrase[] = [];
  for (const p of phrases) {
    // "hằng năm (trước ngày 15 tháng 11)": the closing parenthesis belongs to the phrase.
    const phraseKey = key.slice(p.at, p.end);
    if (key[p.end] === ')' && count(phraseKey, '(') > count(phraseKey, ')')) p.end += 1;
    if (!p.strong && BARE_YEARS.test(phraseKey)) continue;
    const before = key.slice(Math.max(0, p.at - 24), p.at).trimEnd();
    if (DOCUMENT_NUMBER.test(before.slice(before.lastIndexOf(' ') + 1))) continue;
    const start = at[p.at];
    let end = at[p.end - 1] + 1;
    while (end < text.length && isMark(text.charCodeAt(end))) end += 1;
    const written = text.slice(start, end);
    const deadline = parseDeadline(written, options);
    if (isUnrecognised(deadline)) continue;
    found.push({ start, end, text: written, deadline });
  }
  return found;
}

/** Takes the prepositions before the piece, word by word (pairs first: "chậm nhất", "hoàn thành"). */
function extendBack(key: string, p: Piece): void {
  for (let n = 0; n < MAX_PREFIX_WORDS && key[p.at - 1] === ' '; n++) {
    // A word starts after a space or an opening parenthesis ("hằng năm (trước ngày 15 tháng 11)").
    const oneStart = Math.max(key.lastIndexOf(' ', p.at - 2), key.lastIndexOf('(', p.at - 2)) + 1;
    const twoStart = key[oneStart - 1] === ' ' ? Math.max(key.lastIndexOf(' ', oneStart - 2), key.lastIndexOf('(', oneStart - 2)) + 1 : -1;
    const two = twoStart >= 0 ? key.slice(twoStart, p.at - 1) : '';
    const one = key.slice(oneStart, p.at - 1);
    if (STRONG_PREFIXES.has(two) || WEAK_PREFIXES.has(two)) {
      p.strong = p.strong || STRONG_PREFIXES.has(two);
      p.at = twoStart;
    } else if (STRONG_PREFIXES.has(one) || WEAK_PREFIXES.has(one) || (PERIOD_EDGES.has(one) && PERIOD_WORD.test(key.slice(p.at)))) {
      p.strong = p.strong || !WEAK_PREFIXES.has(one);
      p.at = oneStart;
    } else {
      return;
    }
  }
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n += 1;
  return n;
}

function isMark(code: number): boolean {
  return code >= 0x300 && code <= 0x36f;
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || (code >= 0x2000 && code <= 0x200b) || code === 0x202f || code === 0x3000 || code === 0xfeff;
}

/**
 * The matching key of free text and, for each of its characters, the offset of the character
 * it came from. A run of white space is one space (a line break when it holds one), dropped
 * beside "/" and "-"; combining marks and emphasis marks are dropped.
 */
function keyWithOffsets(text: string): { key: string; at: number[] } {
  const fold = foldOf(text);
  const at: number[] = [];
  let key = '';
  let space = -1;
  let newline = false;
  for (let i = 0; i < fold.length; i++) {
    const code = fold.charCodeAt(i);
    if (isMark(code) || code === 42 || code === 95) continue; // marks, "*", "_"
    if (isSpace(code)) {
      if (space < 0) space = i;
      newline = newline || code === 10 || code === 13;
      continue;
    }
    const ch = fold[i];
    if (space >= 0 && key.length > 0) {
      const last = key[key.length - 1];
      if (newline || (ch !== '/' && ch !== '-' && last !== '/' && last !== '-')) {
        key += newline ? '\n' : ' ';
        at.push(space);
      }
    }
    space = -1;
    newline = false;
    key += ch;
    at.push(i);
  }
  return { key, at };
}
