/**
 * Where a task stands on a reporting day: progress (not started / in progress / done)
 * crossed with timeliness against its deadline, as the categories DoST reports use.
 */
import { addDays, daysBetween } from './dates';
import { isWorkingDay, vietnamHolidays, type HolidayCalendar } from './holidays';
import type { Deadline, IsoDate, Progress, ProgressStatus, StatusCategory } from './schemas';
import { matchKey } from './text';

/** Report order. */
export const CATEGORIES: readonly StatusCategory[] = [
  'done_on_time',
  'done_late',
  'on_track',
  'due_soon',
  'overdue',
  'no_deadline',
];

export const CATEGORY_LABELS: Record<StatusCategory, { vi: string; en: string }> = {
  done_on_time: { vi: 'Hoàn thành đúng hạn', en: 'Done on time' },
  done_late: { vi: 'Hoàn thành quá hạn', en: 'Done late' },
  on_track: { vi: 'Đang thực hiện trong hạn', en: 'On track' },
  due_soon: { vi: 'Sắp đến hạn', en: 'Due soon' },
  overdue: { vi: 'Quá hạn', en: 'Overdue' },
  no_deadline: { vi: 'Không có thời hạn cụ thể', en: 'No fixed deadline' },
};

/** Light fills with dark text of the same family; every font/fill pair has a WCAG contrast of at least 4.5:1. */
export const CATEGORY_COLORS: Record<StatusCategory, { fill: string; font: string }> = {
  done_on_time: { fill: 'C6EFCE', font: '006100' }, // green
  done_late: { fill: 'F8CBAD', font: '843C0C' }, // orange
  on_track: { fill: 'DDEBF7', font: '1F4E78' }, // light blue
  due_soon: { fill: 'FFEB9C', font: '7A4500' }, // yellow
  overdue: { fill: 'FFC7CE', font: '9C0006' }, // red
  no_deadline: { fill: 'EDEDED', font: '404040' }, // grey
};

export const PROGRESS_LABELS: Record<ProgressStatus, { vi: string; en: string }> = {
  not_started: { vi: 'Chưa thực hiện', en: 'Not started' },
  in_progress: { vi: 'Đang thực hiện', en: 'In progress' },
  done: { vi: 'Hoàn thành', en: 'Done' },
};

export const DEFAULT_DUE_SOON_DAYS = 7;

/** A due day on a weekend or public holiday moves to the next working day (Civil Code 2015 Art. 148). */
export function effectiveDue(due: IsoDate, holidays: HolidayCalendar = vietnamHolidays): IsoDate {
  let day = due;
  // A year has no run of days off longer than a few weeks; the bound only guards against a broken calendar.
  for (let i = 0; i < 366 && !isWorkingDay(day, holidays); i++) day = addDays(day, 1);
  return day;
}

export interface ClassifyOptions {
  /** The reporting day. */
  asOf: IsoDate;
  /** How many days before the (effective) due day a task counts as due soon; default 7. */
  dueSoonDays?: number;
  holidays?: HolidayCalendar;
}

type DeadlineDue = Pick<Deadline, 'kind' | 'due'>;
type ProgressDone = Pick<Progress, 'status' | 'completedOn'>;

/**
 * The task's category on options.asOf. Only `due` decides: ongoing, conditional,
 * relative-without-trigger and unreadable deadlines have no due day; recurring
 * duties carry their next due day and classify like dates.
 *
 * A task marked done without a completion date counts as done on time: lateness
 * cannot be proved, and the missing date is for a separate check to flag.
 */
export function classifyTask(deadline: DeadlineDue, progress: ProgressDone, options: ClassifyOptions): StatusCategory {
  const dueSoonDays = options.dueSoonDays ?? DEFAULT_DUE_SOON_DAYS;
  if (!Number.isInteger(dueSoonDays) || dueSoonDays < 0) {
    throw new RangeError(`dueSoonDays must be a non-negative integer, got ${dueSoonDays}`);
  }
  const due = deadline.due === null ? null : effectiveDue(deadline.due, options.holidays);
  if (progress.status === 'done') {
    if (due === null || progress.completedOn === null) return 'done_on_time';
    return progress.completedOn <= due ? 'done_on_time' : 'done_late';
  }
  if (due === null) return 'no_deadline';
  // Overdue from the day after the due day; ISO strings compare in day order.
  if (options.asOf > due) return 'overdue';
  return daysBetween(options.asOf, due) <= dueSoonDays ? 'due_soon' : 'on_track';
}

/**
 * Days past the effective due day: completion − due for a task done late, asOf − due
 * for an overdue one, 0 for any other task that has a due day. null when lateness
 * cannot be measured: no due day, or done without a completion date.
 */
export function daysLate(
  deadline: DeadlineDue,
  progress: ProgressDone,
  asOf: IsoDate,
  holidays: HolidayCalendar = vietnamHolidays,
): number | null {
  if (deadline.due === null) return null;
  const due = effectiveDue(deadline.due, holidays);
  const end = progress.status === 'done' ? progress.completedOn : asOf;
  if (end === null) return null;
  return Math.max(0, daysBetween(due, end));
}

// Phrases a progress cell starts with, by matchKey (lower case, no diacritics).
// "Chưa hoàn thành" says only that the task is not done: it reads as in progress,
// which classifies the same as not started on the timeliness axis.
const PROGRESS_PHRASES: readonly [string, ProgressStatus][] = [
  ['chua hoan thanh', 'in_progress'],
  ['chua thuc hien', 'not_started'],
  ['chua trien khai', 'not_started'],
  ['chua bat dau', 'not_started'],
  ['chua lam', 'not_started'],
  ['not yet started', 'not_started'],
  ['not started', 'not_started'],
  ['dang thuc hien', 'in_progress'],
  ['dang trien khai', 'in_progress'],
  ['dang tien hanh', 'in_progress'],
  ['dang lam', 'in_progress'],
  ['in progress', 'in_progress'],
  ['ongoing', 'in_progress'],
  ['da hoan thanh', 'done'],
  ['hoan thanh', 'done'],
  ['da xong', 'done'],
  ['xong', 'done'],
  ['done', 'done'],
  ['completed', 'done'],
  ['complete', 'done'],
  ['finished', 'done'],
];

/**
 * Reads a progress cell: the labels in any case, with or without diacritics, NFC or NFD,
 * and common variants ("Đã hoàn thành", "xong", "Đang triển khai", "in progress"), also
 * when followed by more words ("Hoàn thành (Quyết định số …)"). null when unrecognised.
 */
export function parseProgressStatus(text: string): ProgressStatus | null {
  const key = matchKey(text);
  if (key === '') return null;
  for (const [phrase, status] of PROGRESS_PHRASES) {
    if (key === phrase || key.startsWith(phrase + ' ')) return status;
  }
  return null;
}

export interface StatusSummary {
  counts: Record<StatusCategory, number>;
  total: number;
  /** done_on_time + done_late. */
  done: number;
  /** Tasks whose due day has passed or that are done: done_on_time + done_late + overdue. */
  alreadyDue: number;
  /** done ÷ total, 0..1; null when there is no task. */
  rateOfAll: number | null;
  /** done ÷ alreadyDue, 0..1; null when no task is due yet. */
  rateOfDue: number | null;
}

/** Counts per category and the two completion rates official reports use. */
export function summarize(rows: readonly { category: StatusCategory }[]): StatusSummary {
  const counts = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<StatusCategory, number>;
  for (const row of rows) counts[row.category]++;
  const done = counts.done_on_time + counts.done_late;
  const alreadyDue = done + counts.overdue;
  const total = rows.length;
  return {
    counts,
    total,
    done,
    alreadyDue,
    rateOfAll: total === 0 ? null : done / total,
    rateOfDue: alreadyDue === 0 ? null : done / alreadyDue,
  };
}
