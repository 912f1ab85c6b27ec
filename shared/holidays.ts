/**
 * Public holidays and working days. Deadlines that fall on a day off move to the
 * next working day (Civil Code 2015 Art. 148), so the calendar must know the
 * days the Government actually gave civil servants, which change every year:
 * they are kept as data (shared/data/holidays-vn.json) that an office can edit.
 */
import { z } from 'zod';
import data from './data/holidays-vn.json';
import { dayOfWeek } from './dates';
import { InputError } from './errors';
import { IsoDate } from './schemas';

export interface HolidayCalendar {
  isHoliday(iso: IsoDate): boolean;
  holidays(): { date: IsoDate; name: string }[];
  /** A Saturday or Sunday worked to make up for a swapped day off (ngày làm bù). */
  isMakeUpWorkingDay?(iso: IsoDate): boolean;
}

/**
 * holiday: a day off of Labour Code Art. 112; compensatory: given because a holiday
 * fell on a weekend (Art. 111(3)); swapped: a working day given off in exchange for
 * a Saturday worked (listed under workingDays).
 */
export const HolidayKind = z.enum(['holiday', 'compensatory', 'swapped']);
export type HolidayKind = z.infer<typeof HolidayKind>;

const Day = z.object({
  date: IsoDate,
  name: z.string().min(1),
  nameEn: z.string().optional(),
  source: z.string().optional(),
  note: z.string().optional(),
  /** Derived from the law and the lunar calendar before the Government announced the year's days. */
  estimated: z.boolean().optional(),
});

export const HolidayDay = Day.extend({ kind: HolidayKind });
export type HolidayDay = z.infer<typeof HolidayDay>;
export type MakeUpWorkingDay = z.infer<typeof Day>;

export const HolidayFile = z.object({
  description: z.string().optional(),
  notes: z.array(z.string()).optional(),
  years: z.record(
    z.string().regex(/^\d{4}$/),
    z.object({ holidays: z.array(HolidayDay), workingDays: z.array(Day).default([]) }),
  ),
});
export type HolidayFile = z.infer<typeof HolidayFile>;

/**
 * Fixed solar-calendar holidays of Art. 112, used for years the data does not cover:
 * without them a deadline on 30/4 of such a year would not move. Lunar holidays and
 * announced swaps cannot be known in advance and need the year in the data.
 */
const FIXED_HOLIDAYS: readonly { monthDay: string; name: string }[] = [
  { monthDay: '01-01', name: 'Tết Dương lịch' },
  { monthDay: '04-30', name: 'Ngày Chiến thắng' },
  { monthDay: '05-01', name: 'Ngày Quốc tế Lao động' },
  { monthDay: '09-02', name: 'Quốc khánh' },
];

export class DataHolidayCalendar implements HolidayCalendar {
  private readonly byDate = new Map<IsoDate, HolidayDay>();
  private readonly makeUp = new Map<IsoDate, MakeUpWorkingDay>();
  private readonly years = new Set<number>();

  constructor(file: HolidayFile) {
    for (const [year, entry] of Object.entries(file.years)) {
      this.years.add(Number(year));
      for (const day of entry.holidays) {
        assertInYear(day.date, year);
        this.byDate.set(day.date, day);
      }
      for (const day of entry.workingDays) {
        assertInYear(day.date, year);
        const dow = dayOfWeek(day.date);
        if (dow !== 0 && dow !== 6) {
          throw new InputError(
            `Ngày làm bù ${day.date} không phải thứ Bảy hoặc Chủ nhật`,
            `Make-up working day ${day.date} is not a Saturday or Sunday`,
            'holidays.working-day',
          );
        }
        this.makeUp.set(day.date, day);
      }
    }
  }

  /** Years the data lists (other years fall back to the fixed solar holidays). */
  coveredYears(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }

  isHoliday(iso: IsoDate): boolean {
    if (this.byDate.has(iso)) return true;
    return !this.years.has(Number(iso.slice(0, 4))) && FIXED_HOLIDAYS.some((h) => iso.endsWith(h.monthDay));
  }

  holidays(): HolidayDay[] {
    return [...this.byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
  }

  isMakeUpWorkingDay(iso: IsoDate): boolean {
    return this.makeUp.has(iso);
  }

  workingDays(): MakeUpWorkingDay[] {
    return [...this.makeUp.values()].sort((a, b) => a.date.localeCompare(b.date));
  }

  /** The data entry for a day, when it is a listed holiday. */
  entry(iso: IsoDate): HolidayDay | undefined {
    return this.byDate.get(iso);
  }
}

function assertInYear(iso: IsoDate, year: string): void {
  if (!iso.startsWith(year + '-')) {
    throw new InputError(
      `Ngày ${iso} nằm sai năm ${year} trong lịch nghỉ`,
      `Day ${iso} is listed under the wrong year ${year}`,
      'holidays.year',
    );
  }
}

/** Builds a calendar from holiday data (the shape of holidays-vn.json); throws InputError when it is malformed. */
export function holidayCalendar(json: unknown): DataHolidayCalendar {
  const parsed = HolidayFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.join('.');
    throw new InputError(
      `Dữ liệu ngày nghỉ không hợp lệ tại ${where}: ${issue.message}`,
      `Invalid holiday data at ${where}: ${issue.message}`,
      'holidays.invalid',
    );
  }
  return new DataHolidayCalendar(parsed.data);
}

export const vietnamHolidays: DataHolidayCalendar = holidayCalendar(data);

/** Monday to Friday and not a day off, or a Saturday/Sunday listed as a make-up working day. */
export function isWorkingDay(iso: IsoDate, calendar: HolidayCalendar = vietnamHolidays): boolean {
  const dow = dayOfWeek(iso);
  if (dow === 0 || dow === 6) return calendar.isMakeUpWorkingDay?.(iso) ?? false;
  return !calendar.isHoliday(iso);
}
