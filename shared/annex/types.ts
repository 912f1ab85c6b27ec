/** The shapes annex recognition hands out, and the diagnostic constructor its modules share. */
import type { AgencyRegistry } from '../agencies';
import type { Diagnostic, IsoDate, Task, TaskField } from '../schemas';

export interface RecognizeOptions {
  /** Reference date for deadlines. */
  asOf: IsoDate;
  /** Default: defaultRegistry. */
  registry?: AgencyRegistry;
  /** The user's correction: field → 0-based column. */
  mapping?: Partial<Record<TaskField, number>>;
  /** Which table when the sheet holds several annexes (0-based); default: the first task table. */
  table?: number;
}

export interface ColumnMapping {
  /** null: an extra column, kept in task.extra by its header. */
  field: TaskField | null;
  /** 0-based. */
  column: number;
  letter: string;
  header: string;
  /** How the field was found: by the header's words, or by what the cells hold when the words say nothing. */
  by?: 'header' | 'cells';
}

export interface Section {
  /** The label as written ("I", "A", "III.1", "Bảng II"); empty for a title row without one. */
  numeral: string;
  title: string;
  /** 1-based sheet row. */
  row: number;
  /** 0 for an outermost section, 1 for one inside it, … */
  level: number;
}

export interface AnnexTable {
  index: number;
  title: string | null;
  /** 1-based sheet row of the (first) header row. */
  headerRow: number;
  taskCount: number;
  isTaskTable: boolean;
}

export interface Recognition {
  sheet: string;
  /** The annex title found above the header, cleaned of markdown and HTML. */
  title: string | null;
  /** 1-based sheet rows of the (one- or two-row) header. */
  headerRows: number[];
  columns: ColumnMapping[];
  sections: Section[];
  tasks: Task[];
  diagnostics: Diagnostic[];
  /** Every header-led table found in the grid. */
  tables: AnnexTable[];
  /** How much this grid looks like a task annex (for picking the sheet). */
  score: number;
}

export function diag(row: number | null, severity: Diagnostic['severity'], code: string, message: string, messageEn: string, field?: string): Diagnostic {
  return field === undefined ? { row, severity, code, message, messageEn } : { row, field, severity, code, message, messageEn };
}
