/** The one place a cell becomes text or a date. */
import { isoFromExcelSerial, isoFromUtcDate } from '../dates';
import type { CellValue } from '../grid';
import type { IsoDate } from '../schemas';
import { cleanMultiline, cleanText } from '../text';

/** Excel serial numbers read as dates in a deadline column: 2000-01-01 … 2099-12-31. */
const SERIAL_MIN = 36_526;
const SERIAL_MAX = 73_050;

export function dmy(iso: IsoDate): string {
  return `${+iso.slice(8, 10)}/${+iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

/**
 * The one place a cell becomes text: markdown bold/italic markers and HTML
 * leftovers removed, NFC, white space (no-break spaces included) tidied; Dates as d/m/yyyy.
 */
export function cellText(value: CellValue | undefined, multiline = false): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') {
    let s = value;
    if (s.includes('*')) s = s.replace(/\*{2,}/g, ' ').replace(/(^|\s)\*(?=\S)|(\S)\*(?=\s|$)/gm, '$1$2');
    if (!multiline) return cleanText(s);
    if (s.includes('<')) s = s.replace(/<br\s*\/?>/gi, '\n');
    // Most cells are one line: cleanText alone gives what cleanMultiline would, without splitting.
    return s.includes('\n') || s.includes('\r') ? cleanMultiline(s) : cleanText(s);
  }
  if (value instanceof Date) {
    const iso = isoFromUtcDate(value);
    return iso ? dmy(iso) : '';
  }
  return String(value);
}

/** Cheap emptiness test: only strings that may hide markup or odd spaces get cleaned. */
export function isEmptyValue(value: CellValue | undefined): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value !== 'string') return false;
  if (value.trim() === '') return true;
  return /^[\s*<&]/.test(value) || /[>*\u200b]\s*$/.test(value) ? cellText(value) === '' : false;
}

/** The day a deadline cell holds as a date (Date cell or plausible serial), else null. */
export function dateOfCell(value: CellValue | undefined, date1904: boolean): IsoDate | null {
  if (value instanceof Date) return isoFromUtcDate(value);
  if (typeof value === 'number' && value >= SERIAL_MIN && value <= SERIAL_MAX) return isoFromExcelSerial(value, date1904);
  return null;
}

/** Starts like a sentence's continuation: its first letter is lower case ("đất của các cơ quan…"). */
export function startsLowerCase(text: string): boolean {
  const first = /[^\s"“'(\-–•*]/.exec(text)?.[0] ?? '';
  return first !== first.toUpperCase() && first === first.toLowerCase();
}

/** Written in capitals (two letters at least), as untitled section rows often are. */
export function isUpperCase(text: string): boolean {
  return text === text.toUpperCase() && text !== text.toLowerCase() && text.replace(/[^A-Za-zÀ-ỹ]/g, '').length >= 2;
}
