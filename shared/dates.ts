/**
 * Calendar days as ISO strings ("2026-04-30"). Deadlines are days, not instants,
 * so every computation runs on UTC midnight and no time zone can shift a day.
 */
import { addDays as addDaysFns, differenceInCalendarDays, isValid } from 'date-fns';
import type { IsoDate } from './schemas';

/** Excel's day zero in the 1900 system (serial 1 = 1900-01-01, with Lotus' phantom 29/2/1900). */
const EXCEL_EPOCH_UTC = Date.UTC(1899, 11, 30);
const EXCEL_1904_EPOCH_UTC = Date.UTC(1904, 0, 1);
const DAY_MS = 86_400_000;

/** The ISO day of year/month/day, or null when no such day exists (31/2, 29/2/2027, month 13). */
export function isoFromParts(year: number, month: number, day: number): IsoDate | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return d.toISOString().slice(0, 10);
}

/** Parses "YYYY-MM-DD" strictly; null for anything else or an impossible day. */
export function parseIso(value: string): IsoDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m ? isoFromParts(+m[1], +m[2], +m[3]) : null;
}

export function toUtcDate(iso: IsoDate): Date {
  return new Date(iso + 'T00:00:00Z');
}

/** The calendar day of a Date as Excel and exceljs give it (built at UTC midnight). */
export function isoFromUtcDate(d: Date): IsoDate | null {
  return isValid(d) ? d.toISOString().slice(0, 10) : null;
}

export function addDays(iso: IsoDate, days: number): IsoDate {
  return addDaysFns(toUtcDate(iso), days).toISOString().slice(0, 10);
}

/** b − a in days. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return differenceInCalendarDays(toUtcDate(b), toUtcDate(a));
}

export function lastDayOfMonth(year: number, month: number): IsoDate {
  // Day 0 of the next month is this month's last day.
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(iso: IsoDate): number {
  return toUtcDate(iso).getUTCDay();
}

/** Excel serial day number → ISO day (fractions, i.e. times of day, are dropped). */
export function isoFromExcelSerial(serial: number, date1904 = false): IsoDate | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2_958_465) return null;
  const epoch = date1904 ? EXCEL_1904_EPOCH_UTC : EXCEL_EPOCH_UTC;
  return isoFromUtcDate(new Date(epoch + Math.floor(serial) * DAY_MS));
}

export function excelSerialFromIso(iso: IsoDate): number {
  return Math.round((toUtcDate(iso).getTime() - EXCEL_EPOCH_UTC) / DAY_MS);
}

export function todayIso(now: Date = new Date()): IsoDate {
  // The local calendar day of the person using the tool, not UTC's.
  const y = now.getFullYear();
  const m = now.getMonth() + 1;
  const d = now.getDate();
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
