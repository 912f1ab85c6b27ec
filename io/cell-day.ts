/** Date cells as days, the one way every spreadsheet reader builds them. */

const DAY_MS = 86_400_000;

/** Deadlines are days: a date keeps its UTC calendar day, any time of day dropped. */
export function dayOf(ms: number): Date | null {
  return Number.isNaN(ms) ? null : new Date(ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS));
}

/** A serial date number (1900 or 1904 based) as the day it shows, rounded to the millisecond first as Excel does. */
export function serialDay(serial: number, date1904: boolean): Date | null {
  return dayOf(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * DAY_MS));
}
