/**
 * Checks of a tracker sheet as people filled it: the problems that make a
 * report wrong, each tied to the row and column of its cell so that the pane
 * can select it (and the CLI can name it).
 */
import { defaultRegistry, type AgencyRegistry } from './agencies';
import { parseDeadline } from './deadline';
import type { Diagnostic, IsoDate, Progress } from './schemas';
import { parseProgressStatus } from './status';
import { formatDay } from './tracker-layout';

/** One task row of a tracker sheet, as read from its cells. */
export interface SheetTaskRow {
  /** 1-based sheet row. */
  row: number;
  id: string | null;
  /** The section heading above the row (its STT, e.g. "II"), null outside sections. */
  section: string | null;
  stt: string;
  task: string;
  lead: string;
  support: string;
  /** The deadline as written. */
  deadline: string;
  /** The due-date cell. */
  due: IsoDate | null;
  progress: Progress;
  /** The status and completion cells as written, to tell a blank cell from one that could not be read. */
  statusText: string;
  completedOnText: string;
}

export type CheckColumn = 'stt' | 'lead' | 'support' | 'deadline' | 'status' | 'completedOn';

export interface CheckOptions {
  /** The reporting day: completion dates after it are in the future. */
  asOf: IsoDate;
  /** Column letter of each checked field on the sheet. */
  columns: Partial<Record<CheckColumn, string>>;
  registry?: AgencyRegistry;
}

/** A diagnostic on one cell: row and column letter (null when the sheet lacks that column). */
export interface SheetDiagnostic extends Diagnostic {
  row: number;
  field: CheckColumn;
  column: string | null;
}

/**
 * Unknown agencies, unreadable deadlines, statuses and completion dates, "done"
 * without a completion date, completion dates after asOf, and an STT repeated
 * within a section, in sheet order.
 */
export function checkTracker(rows: readonly SheetTaskRow[], options: CheckOptions): SheetDiagnostic[] {
  const registry = options.registry ?? defaultRegistry;
  const out: SheetDiagnostic[] = [];
  const add = (row: number, field: CheckColumn, severity: Diagnostic['severity'], code: string, vi: string, en: string) =>
    out.push({
      row,
      field,
      column: options.columns[field] ?? null,
      severity,
      code,
      message: `Dòng ${row}: ${vi}`,
      messageEn: `Row ${row}: ${en}`,
    });
  // Deadline texts repeat across rows: read each once.
  const deadlines = new Map<string, ReturnType<typeof parseDeadline>>();
  const firstRowOfStt = new Map<string, number>();

  for (const r of rows) {
    if (r.stt) {
      const key = `${r.section ?? ''}\u0000${r.stt}`;
      const first = firstRowOfStt.get(key);
      if (first === undefined) firstRowOfStt.set(key, r.row);
      else add(r.row, 'stt', 'warning', 'stt.duplicate', `STT “${r.stt}” trùng với dòng ${first}`, `No. “${r.stt}” repeats row ${first}`);
    }

    for (const field of ['lead', 'support'] as const) {
      if (!r[field]) continue;
      for (const w of registry.resolve(r[field]).warnings) add(r.row, field, 'warning', 'agency.unknown', w.message, w.messageEn);
    }

    if (r.deadline && r.due === null) {
      let deadline = deadlines.get(r.deadline);
      if (!deadline) deadlines.set(r.deadline, (deadline = parseDeadline(r.deadline, { asOf: options.asOf })));
      if (deadline.kind === 'unknown') {
        add(
          r.row,
          'deadline',
          'warning',
          'deadline.unknown',
          `không đọc được thời hạn “${r.deadline}”${deadline.reason ? ` (${deadline.reason})` : ''}; nhiệm vụ không được tính hạn`,
          `cannot read the deadline “${r.deadline}”; the task gets no due date`,
        );
      }
    }

    if (r.statusText && parseProgressStatus(r.statusText) === null) {
      add(
        r.row,
        'status',
        'error',
        'progress.status_unknown',
        `không hiểu tình trạng “${r.statusText}” (chọn Chưa thực hiện, Đang thực hiện hoặc Hoàn thành)`,
        `unknown progress “${r.statusText}” (choose Not started, In progress or Done)`,
      );
    }

    const completed = r.progress.completedOn;
    if (r.completedOnText && completed === null) {
      add(
        r.row,
        'completedOn',
        'error',
        'progress.date_invalid',
        `ngày hoàn thành “${r.completedOnText}” không hợp lệ (nhập dd/mm/yyyy)`,
        `completion date “${r.completedOnText}” is not a valid day (enter dd/mm/yyyy)`,
      );
    } else if (r.progress.status === 'done' && completed === null) {
      add(
        r.row,
        'completedOn',
        'warning',
        'progress.done_without_date',
        'đã hoàn thành nhưng chưa có ngày hoàn thành (không xác định được đúng hạn hay quá hạn)',
        'done without a completion date (on time or late cannot be told)',
      );
    }
    if (completed !== null && completed > options.asOf) {
      add(
        r.row,
        'completedOn',
        'error',
        'progress.date_future',
        `ngày hoàn thành ${formatDay(completed)} ở sau ngày báo cáo ${formatDay(options.asOf)}`,
        `completion date ${formatDay(completed)} is after the reporting day ${formatDay(options.asOf)}`,
      );
    }
  }
  return out.sort((a, b) => a.row - b.row);
}
