/**
 * The folded form prose rules match on: lower case, no diacritics, "đ" as "d",
 * every dash as "-". One UTF-16 unit per unit of the clean (NFC) text, so a
 * match's offsets cut the phrase as written out of the original.
 */
import { stripDiacritics } from '../text';

const FOLD_SIZE = 0x2220;
const TABLE: string[] = [];
for (let code = 0; code < FOLD_SIZE; code++) {
  const ch = String.fromCharCode(code);
  const folded = stripDiacritics(ch).toLowerCase();
  TABLE.push(folded.length === 1 ? folded : ch);
}
for (const dash of '\u2010\u2011\u2012\u2013\u2014\u2015\u2212') TABLE[dash.charCodeAt(0)] = '-';

export function fold(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out += code < FOLD_SIZE ? TABLE[code] : text[i];
  }
  return out;
}
