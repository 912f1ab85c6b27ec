/**
 * Text clean-up and matching keys. What is stored and shown keeps the writer's
 * spelling (only NFC and tidy white space); matching ignores case, diacritics
 * and punctuation so "Sở KH&CN", "SỞ KH & CN." and NFD text meet.
 */

/**
 * Excel's own limit on a cell's text. Text longer than this comes from no
 * spreadsheet; it is cut here, before any pattern runs, so the work a cell
 * costs is bounded whatever a file holds.
 */
export const MAX_CELL_LENGTH = 32_767;

// [^<>]* stops at the next "<": each character is scanned by at most one attempt,
// so "<b<b<b…" costs linear time ([^>]* rescanned to the end from every "<": quadratic).
const HTML_TAG = /<\/?(?:b|i|u|em|strong|span|sup|sub|br|p|font|div)\b[^<>]*>/gi;
const HTML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
// Every space-like character, including no-break (U+00A0), thin and ideographic spaces, and zero-width ones.
const SPACES = /[\s\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]+/g;

// Control characters are what these two patterns are about.
/* eslint-disable no-control-regex */
/** Text cleaning leaves as it is: single inner spaces, no markup or entities, no combining marks (so NFC), no control characters. */
const TIDY = /^[^\u0300-\u036f\s<&\u200b\u0000-\u001f\ufffe\uffff]+(?: [^\u0300-\u036f\s<&\u200b\u0000-\u001f\ufffe\uffff]+)*$/;

/**
 * Characters XML 1.0 cannot hold (NUL and the other C0 controls but tab, LF
 * and CR; U+FFFE, U+FFFF): one in sharedStrings.xml damages the workbook, and
 * PostgreSQL refuses NUL in text.
 */
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
/* eslint-enable no-control-regex */
const XML_FORBIDDEN_ALL = new RegExp(XML_FORBIDDEN.source, 'g');

export function hasXmlForbidden(value: string): boolean {
  return XML_FORBIDDEN.test(value);
}

export function stripXmlForbidden(value: string): string {
  return XML_FORBIDDEN.test(value) ? value.replace(XML_FORBIDDEN_ALL, '') : value;
}

/** NFC, leftover HTML tags and entities removed, white space collapsed and trimmed. */
export function cleanText(value: string): string {
  if (value.length > MAX_CELL_LENGTH) value = capLength(value);
  // Most cells are tidy already; the test is far cheaper than the work it skips.
  if (TIDY.test(value)) return value;
  let s = value.normalize('NFC');
  if (s.includes('<')) s = s.replace(/<br\s*\/?>/gi, ' ').replace(HTML_TAG, '');
  if (s.includes('&')) s = s.replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (_, e: string) => HTML_ENTITIES[e]);
  // After SPACES, so a vertical tab or form feed still separates words.
  return stripXmlForbidden(s.replace(SPACES, ' ')).trim();
}

/** The first MAX_CELL_LENGTH characters (a surrogate pair is not split). */
export function capLength(value: string): string {
  if (value.length <= MAX_CELL_LENGTH) return value;
  const end = /[\ud800-\udbff]/.test(value.charAt(MAX_CELL_LENGTH - 1)) ? MAX_CELL_LENGTH - 1 : MAX_CELL_LENGTH;
  return value.slice(0, end);
}

/** Like cleanText but keeps line breaks (one per line), for multi-line cells. */
export function cleanMultiline(value: string): string {
  return capLength(value)
    .split(/\r\n|\r|\n/)
    .map(cleanText)
    .filter((line) => line !== '')
    .join('\n');
}

/** Vietnamese letters without their marks; đ/Đ are letters of their own, folded to d. */
export function stripDiacritics(value: string): string {
  return value.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

/**
 * Matching key: lower case, no diacritics, punctuation turned into single spaces.
 * "&" is kept as its own token because abbreviations hinge on it ("KH&CN").
 */
export function matchKey(value: string): string {
  return stripDiacritics(cleanText(value))
    .toLowerCase()
    .replace(/&/g, ' & ')
    .replace(/[^a-z0-9&]+/g, ' ')
    .trim();
}

/** Key with every space removed too: "kh & cn" and "khcn" meet. */
export function compactKey(value: string): string {
  return matchKey(value).replace(/[\s&]+/g, '');
}

/** Strip trailing full stops, semicolons and commas that documents leave after a cell's text. */
export function trimTrailingPunctuation(value: string): string {
  return trimEndWhile(value, /[\s.;,:]/);
}

/**
 * The text without the run of characters matching `char` at its end. A loop,
 * not /[…]+$/: that pattern retries from every character of an inner run, so
 * a long run not at the end costs quadratic time.
 */
export function trimEndWhile(value: string, char: RegExp): string {
  let end = value.length;
  while (end > 0 && char.test(value.charAt(end - 1))) end--;
  return value.slice(0, end);
}
