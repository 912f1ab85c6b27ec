/**
 * Footnotes of a letter: "¹", "<sup>1</sup>" or "[1]" in the text points to a note
 * printed as its own paragraph ("¹ Thành phần gồm: …", or "3 (1) …" when the reader
 * lost the superscript). Notes may stand in the middle of a sentence (a page break),
 * so they are taken out of the flow before paragraphs are joined.
 */

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const SUP_TAG = /<sup>\s*(\d{1,3})\s*<\/sup>/gi;
/** A run of superscript digits, or "[n]" right after a word. */
const REFERENCE = /[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}|\[(\d{1,3})\]/g;
const NOTE_START_SUPERSCRIPT = /^([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})\s*(\S.*)$/;
const NOTE_START_BRACKET = /^\[(\d{1,3})\]\s*(\S.*)$/;
const NOTE_START_PLAIN = /^(\d{1,3})\s+(\S.*)$/;

function digitsOf(superscript: string): string {
  let out = '';
  for (const ch of superscript) out += String(SUPERSCRIPT.indexOf(ch));
  return out;
}

/** "<sup>12</sup>" as superscript digits, so the marker survives tag clean-up. */
export function superscriptTags(text: string): string {
  if (!text.includes('<')) return text;
  return text.replace(SUP_TAG, (_, digits: string) => [...digits].map((d) => SUPERSCRIPT[+d]).join(''));
}

/** The footnote numbers a text refers to, in order. */
export function referencesIn(text: string): string[] {
  const refs: string[] = [];
  for (const m of text.matchAll(REFERENCE)) refs.push(m[1] ?? digitsOf(m[0]));
  return refs;
}

/**
 * The note a paragraph is, if it is one: a paragraph opening with a superscript
 * number, or with "[n]" or a plain "n " when n was referred to and not yet given.
 */
export function noteOf(text: string, pending: ReadonlySet<string>): { number: string; text: string } | null {
  const sup = NOTE_START_SUPERSCRIPT.exec(text);
  if (sup) return { number: digitsOf(sup[1]), text: sup[2] };
  const bracket = NOTE_START_BRACKET.exec(text);
  if (bracket && pending.has(bracket[1])) return { number: bracket[1], text: bracket[2] };
  const plain = NOTE_START_PLAIN.exec(text);
  if (plain && pending.has(plain[1])) return { number: plain[1], text: plain[2] };
  return null;
}
