/** Stable task ids: a hash of the matching keys of the annex title, section, STT and task text. */
import { cleanText } from '../text';

/** Fold of a character as matchKey sees it: its lower-case ASCII letter or digit, "&", SKIP (a combining mark) or 0 (a separator). */
const SKIP = 1;
function foldOf(code: number): number {
  if (code >= 0x300 && code <= 0x36f) return SKIP;
  if (code === 0x110 || code === 0x111) return 100; // Đ, đ
  const base = String.fromCharCode(code).normalize('NFD').charCodeAt(0);
  if (base >= 65 && base <= 90) return base + 32;
  return (base >= 97 && base <= 122) || (base >= 48 && base <= 57) || base === 38 ? base : 0;
}
/** Folds of the Latin, Vietnamese and combining ranges, so hashing needs no normalize() per text. */
const FOLD = Uint8Array.from({ length: 0x1f00 }, (_, code) => foldOf(code));
const WIDE_FOLD = new Map<number, number>();

/**
 * cyrb53 (a small, well-mixed 53-bit hash) over the matchKey forms of `parts`
 * joined by "|", folding each character as it is read: no key string is built,
 * which matters when a 50,000-task annex keys every task text.
 */
export function foldedHash(parts: readonly string[]): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let p = 0; p < parts.length; p++) {
    const s = parts[p];
    let started = false;
    let gap = p > 0; // the "|" between parts
    for (let i = 0; i < s.length; i++) {
      const code = s.charCodeAt(i);
      let c = code < 0x1f00 ? FOLD[code] : WIDE_FOLD.get(code);
      if (c === undefined) WIDE_FOLD.set(code, (c = foldOf(code)));
      if (c === SKIP) continue;
      if (c === 0) {
        gap = true;
        continue;
      }
      if ((gap || c === 38) && (started || p > 0)) {
        const sep = started ? 32 : 124; // a space inside a part, "|" before its first word; "&" is a token of its own
        h1 = Math.imul(h1 ^ sep, 2654435761);
        h2 = Math.imul(h2 ^ sep, 1597334677);
      }
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
      started = true;
      gap = c === 38;
    }
    if (!started && p > 0) {
      h1 = Math.imul(h1 ^ 124, 2654435761);
      h2 = Math.imul(h2 ^ 124, 1597334677);
    }
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The id of the task whose folded key hashes to `base`, for its n-th occurrence (repeats are rare: only they pay a second hash). */
export function idOf(base: number, occurrence: number): string {
  return 't_' + (occurrence === 0 ? base : foldedHash([base.toString(36), String(occurrence)])).toString(36);
}

/**
 * Stable task id: the same task of the same annex gets the same id each time,
 * whatever the spelling (case, diacritics, punctuation, NFD, markup). `occurrence`
 * tells identical rows apart (0 for the first).
 */
export function taskId(annexTitle: string | null, section: string | null, stt: string, taskText: string, occurrence: number): string {
  return idOf(foldedHash([annexTitle ?? '', section ?? '', stt, taskText].map((part) => cleanText(part))), occurrence);
}
