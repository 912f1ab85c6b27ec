/**
 * Text clean-up and matching keys. What is stored and shown keeps the writer's
 * spelling (only NFC and tidy white space); matching ignores case, diacritics
 * and punctuation so "Sở KH&CN", "SỞ KH & CN." and NFD text meet.
 */

const HTML_TAG = /<\/?(?:b|i|u|em|strong|span|sup|sub|br|p|font|div)\b[^>]*>/gi;
const HTML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
// Every space-like character, including no-break (U+00A0), thin and ideographic spaces, and zero-width ones.
const SPACES = /[\s\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]+/g;

/** Text cleaning leaves as it is: single inner spaces, no markup or entities, no combining marks (so NFC). */
const TIDY = /^[^\u0300-\u036f\s<&\u200b]+(?: [^\u0300-\u036f\s<&\u200b]+)*$/;

/** NFC, leftover HTML tags and entities removed, white space collapsed and trimmed. */
export function cleanText(value: string): string {
  // Most cells are tidy already; the test is far cheaper than the work it skips.
  if (TIDY.test(value)) return value;
  let s = value.normalize('NFC');
  if (s.includes('<')) s = s.replace(/<br\s*\/?>/gi, ' ').replace(HTML_TAG, '');
  if (s.includes('&')) s = s.replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (_, e: string) => HTML_ENTITIES[e]);
  return s.replace(SPACES, ' ').trim();
}

/** Like cleanText but keeps line breaks (one per line), for multi-line cells. */
export function cleanMultiline(value: string): string {
  return value
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
  return value.replace(/[\s.;,:]+$/u, '');
}
