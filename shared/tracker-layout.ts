/**
 * The tracker sheet as pure data: columns, headers, formulas, conditional
 * formats, validations, the hidden lists sheet and print settings. The CLI
 * renders it with exceljs (io/tracker-workbook.ts) and the Excel add-in with
 * Office.js, so both build the same sheet from one description.
 *
 * Sheet rows: 1 title, 2 "as of" line, 3 header, 4… tasks with their section
 * rows. Column A holds the task id, hidden, so its address never moves whatever
 * extra columns an annex brings. Colours come only from conditional formatting
 * on the reporting day, so a file opened days later still shows the right colours.
 *
 * The reporting day is the NgayBaoCao cell on the hidden lists sheet when it
 * holds a date, TODAY() otherwise: left empty the sheet stays live, and the
 * add-in shows the tracker as of any chosen day by writing that one cell.
 */
import type { IsoDate, Progress, ProgressStatus, StatusCategory, Task, TaskField } from './schemas';
import { capLength, cleanText, stripXmlForbidden } from './text';
import { columnLetter } from './grid';
import { addDays, dayOfWeek, excelSerialFromIso } from './dates';
import { CATEGORIES, CATEGORY_COLORS, CATEGORY_LABELS, DEFAULT_DUE_SOON_DAYS, PROGRESS_LABELS, classifyTask } from './status';
import { DataHolidayCalendar, isWorkingDay, vietnamHolidays, type HolidayCalendar } from './holidays';
import {
  BODY_POINTS,
  PAPERS,
  TYPEFACE,
  choosePaper,
  linesToPoints,
  pageBreaks,
  printScale,
  wrappedLines,
  type Paper,
} from './print-layout';
import { matchKey } from './text';

export type SheetLang = 'vi' | 'en';
export type Bilingual = { vi: string; en: string };

export type ProgressKey = 'status' | 'result' | 'completedOn' | 'evidence' | 'note';
export type TrackerColumnKey = 'id' | TaskField | `extra:${string}` | 'due' | ProgressKey | 'category';
/** Who owns a column: DoST's catalogue, the lead agency's progress, or the sheet's own computation. */
export type ColumnRole = 'id' | 'catalogue' | 'due' | 'progress' | 'category';

export interface TrackerColumn {
  key: TrackerColumnKey;
  role: ColumnRole;
  /** Header text as written on the sheet (sheet language, or the annex's own wording). */
  header: string;
  letter: string;
  width: number;
  wrap: boolean;
  hidden: boolean;
  numFmt?: string;
}

export interface TrackerValidation {
  /** A1 range, e.g. "K4:K50003": one rule per column range, never per cell. */
  ref: string;
  type: 'list' | 'date';
  /** For lists: a defined name (long lists exceed the 255-character inline limit). */
  source?: string;
  /** For dates: the earliest accepted day. */
  min?: IsoDate;
  /** true: refuse other values; false: offer the list but accept free text. */
  strict: boolean;
  prompt?: string;
  error?: string;
}

export interface TrackerFormatRule {
  category: StatusCategory;
  /** Relative to the top-left cell of the range ($ on columns, none on rows). */
  formula: string;
  /** 'RRGGBB'. */
  fill: string;
  font: string;
}

export interface ListColumn {
  letter: string;
  header: string;
  /** Text, or ISO days for date columns. */
  values: string[];
  dates: boolean;
}

export interface TrackerLayout {
  lang: SheetLang;
  asOf: IsoDate;
  dueSoonDays: number;
  sheetName: string;
  columns: TrackerColumn[];
  /** The annex's own notes column header ("Ghi chú"), whose texts the notes column starts with; null when it had none. */
  noteHeader: string | null;
  /** Rows above the header: merged across the visible columns, tall enough for their wrapped text. */
  titleRows: { row: number; text: string; bold: boolean; size: number; height: number }[];
  headerRow: number;
  firstDataRow: number;
  /** Last sheet row of tasks and sections (firstDataRow − 1 when there is none). */
  lastDataRow: number;
  /** Sheet rows frozen above the scrolling area (the title and header rows). */
  frozenRows: number;
  autoFilter: string;
  conditionalFormat: { ref: string; rules: TrackerFormatRule[] } | null;
  validations: TrackerValidation[];
  lists: { sheetName: string; columns: ListColumn[]; names: { name: string; ref: string }[] };
  /** One typeface on every cell; size of the body text in points. */
  font: { name: string; size: number };
  /** Lines every task row has at least: the longest progress and category label, which the sheet may show later. */
  minRowLines: number;
  print: {
    paper: Paper;
    /** OOXML paperSize: 9 A4, 8 A3. */
    paperSize: number;
    orientation: 'landscape';
    /** The scale fit-to-width gives these columns (estimated), at least MIN_SCALE so body text prints at 8 pt or more. */
    scale: number;
    fitToWidth: 1;
    fitToHeight: 0;
    /** Rows repeated at the top of each printed page, e.g. "3:3". */
    titleRows: string;
    footer: string;
  };
  headerFill: string;
  /** Points: the header's longest label whole, in bold. */
  headerHeight: number;
}

/** The cells of the task rows as Office.js `range.formulas` takes them: dates as serials, formulas as "=…". */
export type TrackerValue = string | number | null;

export interface TrackerRows {
  values: TrackerValue[][];
  /** What each row's category formula gives on asOf (its cached result); null on section rows. */
  categories: (StatusCategory | null)[];
  /** Sheet rows that are section headings (bold, merged across the catalogue columns). */
  sectionRows: number[];
  /** Row heights in points, fitted to the wrapped text: no reader grows a row by itself on opening. */
  heights: number[];
  /** Sheet rows that start a printed page (manual breaks): no section row ends a page. */
  pageBreaks: number[];
}

/** Height that shows every wrapped cell of a row whole, and at least minLines lines (the longest list label). */
export function rowHeight(columns: readonly TrackerColumn[], cells: readonly TrackerValue[], minLines = 1, bold = false): number {
  let lines = minLines;
  for (let i = 0; i < columns.length; i++) {
    const cell = cells[i];
    const column = columns[i];
    if (typeof cell !== 'string' || !column.wrap || column.hidden || cell.startsWith('=')) continue;
    lines = Math.max(lines, wrappedLines(cell, column.width, BODY_POINTS, bold));
  }
  return linesToPoints(lines);
}

export interface AnnexColumn {
  field: string | null;
  header: string;
}

export interface TrackerLayoutOptions {
  title?: string | null;
  tasks: readonly Task[];
  /** The recognised annex columns, in sheet order: keep their header texts and extra columns. */
  annexColumns?: readonly AnnexColumn[];
  asOf: IsoDate;
  lang?: SheetLang;
  dueSoonDays?: number;
  agencyNames?: readonly string[];
  holidays?: HolidayCalendar;
  /** Paper to print on; by default A4, or A3 when the annex is too wide for A4 at 8 pt. */
  paper?: Paper;
}

export const TITLE_ROW = 1;
export const HEADER_ROW = 3;
export const FIRST_DATA_ROW = 4;
export const DATE_FORMAT = 'dd/mm/yyyy';
/** Fill of header rows, on the tracker and the report alike. */
export const HEADER_FILL = 'D9E1F2';
/** Earliest completion date the sheet accepts (catches serials and two-digit years typed by mistake). */
export const MIN_COMPLETION_DATE: IsoDate = '2000-01-01';

/** Defined names of the hidden lists, the same in both languages so formulas never change. */
export const NAMES = {
  statuses: 'TinhTrang',
  agencies: 'DanhSachCoQuan',
  holidays: 'NgayLe',
  makeUpDays: 'NgayLamBu',
  reportDate: 'NgayBaoCao',
} as const;

/** The column of the hidden lists sheet whose first value cell NgayBaoCao names. */
const REPORT_DATE_COLUMN = 'F';
export const REPORT_DATE_CELL = `${REPORT_DATE_COLUMN}2`;

/** The reporting day of every formula and colour rule: the NgayBaoCao cell when it holds a date, else today. */
export const REPORT_DAY = `IF(ISNUMBER(${NAMES.reportDate}),${NAMES.reportDate},TODAY())`;

export const SHEET_NAMES: Record<'tracker' | 'lists', Bilingual> = {
  tracker: { vi: 'Theo dõi', en: 'Tracker' },
  lists: { vi: 'Danh mục', en: 'Lists' },
};

const CATALOGUE_FIELDS: readonly TaskField[] = ['stt', 'task', 'lead', 'support', 'deadline', 'output'];

/** Header labels of the tracker's own columns. */
export const HEADER_LABELS: Record<Exclude<TrackerColumnKey, `extra:${string}`>, Bilingual> = {
  id: { vi: 'Mã nhiệm vụ (không sửa)', en: 'Task id (do not edit)' },
  stt: { vi: 'STT', en: 'No.' },
  task: { vi: 'Nhiệm vụ', en: 'Task' },
  lead: { vi: 'Cơ quan chủ trì', en: 'Lead agency' },
  support: { vi: 'Cơ quan phối hợp', en: 'Supporting agencies' },
  deadline: { vi: 'Thời hạn', en: 'Deadline (as written)' },
  output: { vi: 'Kết quả đầu ra', en: 'Expected output' },
  due: { vi: 'Hạn (ngày)', en: 'Due date' },
  status: { vi: 'Tình trạng', en: 'Progress' },
  result: { vi: 'Kết quả thực hiện', en: 'Result so far' },
  completedOn: { vi: 'Ngày hoàn thành', en: 'Completed on' },
  evidence: { vi: 'Văn bản/sản phẩm', en: 'Document/product' },
  note: { vi: 'Ghi chú (khó khăn, đề xuất)', en: 'Notes (problems, proposals)' },
  category: { vi: 'Phân loại', en: 'Category' },
};

/** Widths on screen, and the least each may shrink to for printing (a date, a label, a word). */
const WIDTHS: Record<Exclude<TrackerColumnKey, `extra:${string}`>, { width: number; min: number }> = {
  id: { width: 14, min: 14 },
  stt: { width: 7, min: 6 },
  task: { width: 50, min: 26 },
  lead: { width: 24, min: 10 },
  support: { width: 24, min: 10 },
  deadline: { width: 16, min: 9 },
  output: { width: 28, min: 10 },
  due: { width: 11, min: 11 },
  status: { width: 16, min: 9 },
  result: { width: 36, min: 10 },
  completedOn: { width: 11, min: 11 },
  evidence: { width: 24, min: 10 },
  note: { width: 30, min: 10 },
  category: { width: 22, min: 10 },
};
const EXTRA_WIDTH = { width: 18, min: 10 };

const TEXTS = {
  title: { vi: 'THEO DÕI TÌNH HÌNH THỰC HIỆN NHIỆM VỤ', en: 'TASK PROGRESS TRACKER' },
  asOf: {
    vi: (d: string) =>
      `Tình hình thực hiện đến ngày ${d}. Cột “Phân loại” và màu tự cập nhật theo ngày hiện tại (hoặc ngày báo cáo đã chọn); hạn rơi vào ngày nghỉ, ngày lễ được tính sang ngày làm việc tiếp theo (Điều 148 Bộ luật Dân sự).`,
    en: (d: string) =>
      `Progress as of ${d}. The Category column and colours follow today's date (or the chosen reporting day); a deadline falling on a weekend or public holiday moves to the next working day (Civil Code, Art. 148).`,
  },
  statusPrompt: {
    vi: 'Chọn: Chưa thực hiện, Đang thực hiện hoặc Hoàn thành',
    en: 'Choose: Not started, In progress or Done',
  },
  statusError: { vi: 'Chỉ chọn một tình trạng trong danh sách', en: 'Pick one of the listed statuses' },
  dateError: {
    vi: 'Nhập ngày dạng dd/mm/yyyy, từ 01/01/2000 trở đi',
    en: 'Enter a date as dd/mm/yyyy, 01/01/2000 or later',
  },
  agencyPrompt: { vi: 'Chọn trong danh sách hoặc gõ tên cơ quan', en: 'Pick from the list or type the agency' },
  lists: {
    statuses: { vi: 'Tình trạng', en: 'Progress' },
    agencies: { vi: 'Cơ quan', en: 'Agency' },
    holidays: { vi: 'Ngày lễ', en: 'Public holiday' },
    holidayNames: { vi: 'Tên ngày lễ', en: 'Holiday name' },
    makeUpDays: { vi: 'Ngày làm bù', en: 'Make-up working day' },
    reportDate: { vi: 'Ngày báo cáo (để trống: hôm nay)', en: 'Reporting day (empty: today)' },
  },
  footer: { vi: 'Trang &P/&N', en: 'Page &P of &N' },
};

/**
 * Text that Excel, LibreOffice or Office.js could take for a formula when it
 * starts the cell: = + - @, their full-width forms (Excel and IMEs fold ＝ to =),
 * tab and CR.
 */
const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;
/** Invisible, and dropped again by cleanText on the way back in. */
const NEUTRALISER = '\u200b';

/**
 * The one guard for every cell written from user text (values, titles,
 * headers, list entries): characters XML cannot hold are dropped, the text is
 * cut to Excel's cell limit (unless keepLength: the caller then refuses it), and a zero-width space goes before a leading
 * formula character, which keeps the text text in Office.js `values`, in CSV
 * exports and in any reader that evaluates, while the sheet shows it unchanged
 * (a visible "'" would not be hidden in an .xlsx string cell).
 */
export function safeText(text: string, options: { keepLength?: boolean } = {}): string {
  const cap = options.keepLength ? (s: string) => s : capLength;
  const s = cap(stripXmlForbidden(text));
  return FORMULA_START.test(s) ? cap(NEUTRALISER + s) : s;
}

/** dd/mm/yyyy, the way Vietnamese documents write days. */
export function formatDay(iso: IsoDate): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

function quoteSheet(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

function excelString(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

// ---------------------------------------------------------------- columns

/** The tracker cannot do without a task's number, text and lead; the other fields come only when the annex has them. */
const REQUIRED_FIELDS: readonly TaskField[] = ['stt', 'task', 'lead'];

/** An annex's own "Ghi chú" column is the tracker's notes column, not a second one beside it. */
export function isNoteHeader(header: string): boolean {
  return matchKey(header).startsWith('ghi chu');
}

/**
 * The annex's columns in its order and wording. Without the recognised
 * columns (a tracker made from tasks alone), a field comes when some task has it.
 * noteHeader: the annex's own notes column, which becomes the progress notes column.
 */
function catalogueColumns(tasks: readonly Task[], annex: readonly AnnexColumn[] | undefined, lang: SheetLang) {
  const known = new Set<string>(CATALOGUE_FIELDS);
  const cols: { key: TrackerColumnKey; header: string }[] = [];
  const seen = new Set<string>();
  let noteHeader: string | null = null;
  const add = (key: TrackerColumnKey, header: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    cols.push({ key, header });
  };
  const addExtra = (header: string) => {
    if (isNoteHeader(header)) noteHeader = noteHeader ?? header;
    else add(`extra:${header}`, header);
  };
  for (const c of annex ?? []) {
    const header = cleanText(c.header);
    if (c.field && known.has(c.field)) {
      const field = c.field as TaskField;
      // The annex's own wording is Vietnamese; an English sheet uses English labels.
      add(field, lang === 'vi' && header ? header : HEADER_LABELS[field][lang]);
    } else if (header) addExtra(header);
  }
  for (const f of CATALOGUE_FIELDS) {
    const wanted = REQUIRED_FIELDS.includes(f) || (!annex && tasks.some((t) => catalogueValue(t, f) !== ''));
    if (!seen.has(f) && wanted) insertKnown(cols, seen, f, HEADER_LABELS[f][lang]);
  }
  for (const t of tasks) for (const h of Object.keys(t.extra ?? {})) addExtra(h);
  return { cols, noteHeader: noteHeader as string | null };
}

/** Puts a missing known field after the known field that precedes it in the usual order. */
function insertKnown(cols: { key: TrackerColumnKey; header: string }[], seen: Set<string>, field: TaskField, header: string) {
  const before = CATALOGUE_FIELDS.slice(0, CATALOGUE_FIELDS.indexOf(field));
  let at = 0;
  cols.forEach((c, i) => {
    if ((before as string[]).includes(c.key)) at = i + 1;
  });
  cols.splice(at, 0, { key: field, header });
  seen.add(field);
}

function trackerColumns(
  tasks: readonly Task[],
  annex: readonly AnnexColumn[] | undefined,
  lang: SheetLang,
  paper: Paper | undefined,
): { columns: TrackerColumn[]; paper: Paper; noteHeader: string | null } {
  const catalogue = catalogueColumns(tasks, annex, lang);
  const keys: { key: TrackerColumnKey; header: string; role: ColumnRole }[] = [
    { key: 'id', header: HEADER_LABELS.id[lang], role: 'id' },
    ...catalogue.cols.map((c) => ({ ...c, role: 'catalogue' as const })),
    { key: 'due', header: HEADER_LABELS.due[lang], role: 'due' },
    ...(['status', 'result', 'completedOn', 'evidence', 'note'] as const).map((k) => ({
      key: k,
      header: k === 'note' && catalogue.noteHeader && lang === 'vi' ? catalogue.noteHeader : HEADER_LABELS[k][lang],
      role: 'progress' as const,
    })),
    { key: 'category', header: HEADER_LABELS.category[lang], role: 'category' },
  ];
  const sizes = keys.map(({ key }) => (key.startsWith('extra:') ? EXTRA_WIDTH : WIDTHS[key as keyof typeof WIDTHS]));
  // The hidden id column does not print: only the others share the paper.
  const printed = keys.map((k, i) => ({ i, width: sizes[i].width, minWidth: sizes[i].min })).filter(({ i }) => keys[i].key !== 'id');
  const fit = choosePaper(printed, paper);
  const widths = sizes.map((s) => s.width);
  printed.forEach(({ i }, n) => (widths[i] = fit.widths[n]));
  const columns = keys.map(({ key, header, role }, i): TrackerColumn => {
    const dated = key === 'due' || key === 'completedOn';
    return {
      key,
      role,
      // Extra columns carry the annex's own header text: written like any cell of user text.
      header: safeText(header),
      letter: columnLetter(i),
      width: widths[i],
      wrap: !dated && key !== 'id',
      hidden: key === 'id',
      ...(dated ? { numFmt: DATE_FORMAT } : {}),
    };
  });
  return { columns, paper: fit.paper, noteHeader: catalogue.noteHeader };
}

export function columnOf(layout: Pick<TrackerLayout, 'columns'>, key: TrackerColumnKey): TrackerColumn {
  const col = layout.columns.find((c) => c.key === key);
  if (!col) throw new Error(`tracker layout has no column ${key}`);
  return col;
}

// ---------------------------------------------------------------- status formulas

/** The Excel building blocks of a row's status: cell references and the effective due day. */
function statusTerms(layout: TrackerLayout, row: number) {
  const ref = (key: TrackerColumnKey) => `$${columnOf(layout, key).letter}${row}`;
  const due = ref('due');
  return {
    id: ref('id'),
    due,
    completed: ref('completedOn'),
    done: `${ref('status')}=${excelString(PROGRESS_LABELS.done[layout.lang])}`,
    today: REPORT_DAY,
    // Art. 148: a due day off moves to the next working day; a Saturday worked in exchange stays.
    effective: `IF(COUNTIF(${NAMES.makeUpDays},${due})>0,${due},WORKDAY(${due}-1,1,${NAMES.holidays}))`,
    window: layout.dueSoonDays,
  };
}

/**
 * The condition of each category for one sheet row, in Excel syntax, for the
 * conditional formats. Mirrors classifyTask, as categoryFormula does: done tasks
 * compare their completion day with the effective due day, the others compare
 * the reporting day. Excel evaluates every argument of AND/OR, so blanks are tested in IF
 * first (WORKDAY of a blank cell is an error).
 */
export function categoryConditions(layout: TrackerLayout, row: number): Record<StatusCategory, string> {
  const { due, completed, done, today, effective: e, window: w } = statusTerms(layout, row);
  return {
    done_on_time: `AND(${done},IF(OR(${due}="",${completed}=""),TRUE,${completed}<=${e}))`,
    done_late: `AND(${done},IF(OR(${due}="",${completed}=""),FALSE,${completed}>${e}))`,
    on_track: `AND(NOT(${done}),IF(${due}="",FALSE,${e}-${today}>${w}))`,
    due_soon: `AND(NOT(${done}),IF(${due}="",FALSE,AND(${today}<=${e},${e}-${today}<=${w})))`,
    overdue: `AND(NOT(${done}),IF(${due}="",FALSE,${today}>${e}))`,
    no_deadline: `AND(NOT(${done}),${due}="")`,
  };
}

/**
 * The "Phân loại" cell of a row: its category's label on the reporting day (the decision
 * tree of classifyTask), empty on rows without a task id. The same text with
 * the row number changed serves every row, so it can be set once for a range.
 */
export function categoryFormula(layout: TrackerLayout, row: number): string {
  const { id, due, completed, done, today, effective: e, window: w } = statusTerms(layout, row);
  const label = (c: StatusCategory) => excelString(CATEGORY_LABELS[c][layout.lang]);
  const doneBranch = `IF(OR(${due}="",${completed}=""),${label('done_on_time')},IF(${completed}<=${e},${label('done_on_time')},${label('done_late')}))`;
  const openBranch = `IF(${due}="",${label('no_deadline')},IF(${today}>${e},${label('overdue')},IF(${e}-${today}<=${w},${label('due_soon')},${label('on_track')})))`;
  return `=IF(${id}="","",IF(${done},${doneBranch},${openBranch}))`;
}

function formatRules(layout: TrackerLayout): TrackerFormatRule[] {
  const conditions = categoryConditions(layout, layout.firstDataRow);
  const hasId = `$${columnOf(layout, 'id').letter}${layout.firstDataRow}<>""`;
  return CATEGORIES.map((category) => ({
    category,
    formula: `AND(${hasId},${conditions[category]})`,
    fill: CATEGORY_COLORS[category].fill,
    font: CATEGORY_COLORS[category].font,
  }));
}

// ---------------------------------------------------------------- the layout

/** The heading of the section a task stands in: its path's labels, outermost first ("A › I › 1"); null outside sections. */
function sectionHeading(task: Task): string | null {
  if (task.section === null) return null;
  return task.sectionPath ? task.sectionPath.map((s) => s.label).join(' › ') : task.section;
}

/** What tells one section from the next (untitled sections have no label). */
function sectionKey(task: Task): string | null {
  return task.section === null ? null : `${sectionHeading(task)}|${task.sectionTitle ?? ''}`;
}

/** Task rows plus one heading row wherever the section changes. */
export function dataRowCount(tasks: readonly Task[]): number {
  let n = 0;
  let section: string | null = null;
  for (const t of tasks) {
    const key = sectionKey(t);
    if (key !== null && key !== section) n++;
    section = key;
    n++;
  }
  return n;
}

/**
 * The days the sheet's WORKDAY needs so that it moves every due date exactly as
 * effectiveDue does: the calendar's holidays plus any day off met walking from a
 * due date to its working day (solar holidays of years the data does not list),
 * and the make-up Saturdays, which WORKDAY would skip.
 */
function daysOff(tasks: readonly Task[], calendar: HolidayCalendar) {
  const holidays = new Map(calendar.holidays().map((h) => [h.date, h.name]));
  const makeUp = new Set(calendar instanceof DataHolidayCalendar ? calendar.workingDays().map((d) => d.date) : []);
  const walked = new Set<IsoDate>();
  for (const t of tasks) {
    let d = t.deadline.due;
    if (!d || walked.has(d)) continue;
    walked.add(d);
    for (let i = 0; i < 366; i++, d = addDays(d, 1)) {
      const weekend = dayOfWeek(d) === 0 || dayOfWeek(d) === 6;
      if (isWorkingDay(d, calendar)) {
        if (weekend) makeUp.add(d);
        break;
      }
      if (!weekend && !holidays.has(d)) holidays.set(d, '');
    }
  }
  return {
    holidays: [...holidays].map(([date, name]) => ({ date, name })).sort((a, b) => a.date.localeCompare(b.date)),
    makeUp: [...makeUp].sort(),
  };
}

export function trackerLayout(options: TrackerLayoutOptions): TrackerLayout {
  const lang = options.lang ?? 'vi';
  const { holidays, makeUp } = daysOff(options.tasks, options.holidays ?? vietnamHolidays);
  const agencies = options.agencyNames ?? [];
  const { columns, paper, noteHeader } = trackerColumns(options.tasks, options.annexColumns, lang, options.paper);
  const visible = columns.filter((c) => !c.hidden);
  const titleWidth = visible.reduce((sum, c) => sum + c.width, 0);
  const titleRow = (row: number, text: string, bold: boolean, size: number) => ({
    row,
    text,
    bold,
    size,
    height: linesToPoints(wrappedLines(text, titleWidth, size, bold), size),
  });
  const labelLines = (key: TrackerColumnKey, labels: readonly Bilingual[]) =>
    Math.max(...labels.map((l) => wrappedLines(l[lang], columnOf({ columns }, key).width)));
  const last = columns[columns.length - 1].letter;
  const lastDataRow = FIRST_DATA_ROW + dataRowCount(options.tasks) - 1;
  const rowsRef = (letter: string) => `${letter}${FIRST_DATA_ROW}:${letter}${Math.max(lastDataRow, FIRST_DATA_ROW)}`;

  const listsName = SHEET_NAMES.lists[lang];
  const listRef = (letter: string, count: number) =>
    `${quoteSheet(listsName)}!$${letter}$2:$${letter}$${Math.max(2, count + 1)}`;
  const statuses = Object.values(PROGRESS_LABELS).map((l) => l[lang]);

  const layout: TrackerLayout = {
    lang,
    asOf: options.asOf,
    dueSoonDays: options.dueSoonDays ?? DEFAULT_DUE_SOON_DAYS,
    sheetName: SHEET_NAMES.tracker[lang],
    columns,
    titleRows: [
      titleRow(TITLE_ROW, safeText(cleanText(options.title ?? '') || TEXTS.title[lang]), true, 14),
      titleRow(TITLE_ROW + 1, TEXTS.asOf[lang](formatDay(options.asOf)), false, BODY_POINTS),
    ],
    headerRow: HEADER_ROW,
    firstDataRow: FIRST_DATA_ROW,
    lastDataRow,
    frozenRows: HEADER_ROW,
    autoFilter: `A${HEADER_ROW}:${last}${Math.max(lastDataRow, HEADER_ROW)}`,
    conditionalFormat: null,
    validations: [],
    lists: {
      sheetName: listsName,
      columns: [
        { letter: 'A', header: TEXTS.lists.statuses[lang], values: statuses, dates: false },
        { letter: 'B', header: TEXTS.lists.agencies[lang], values: agencies.map((v) => safeText(v)), dates: false },
        { letter: 'C', header: TEXTS.lists.holidays[lang], values: holidays.map((h) => h.date), dates: true },
        { letter: 'D', header: TEXTS.lists.holidayNames[lang], values: holidays.map((h) => safeText(h.name)), dates: false },
        { letter: 'E', header: TEXTS.lists.makeUpDays[lang], values: makeUp, dates: true },
        // One cell, empty: the sheet follows today until the add-in writes a day there.
        { letter: REPORT_DATE_COLUMN, header: TEXTS.lists.reportDate[lang], values: [], dates: true },
      ],
      names: [
        { name: NAMES.statuses, ref: listRef('A', statuses.length) },
        { name: NAMES.agencies, ref: listRef('B', agencies.length) },
        { name: NAMES.holidays, ref: listRef('C', holidays.length) },
        { name: NAMES.makeUpDays, ref: listRef('E', makeUp.length) },
        { name: NAMES.reportDate, ref: `${quoteSheet(listsName)}!$${REPORT_DATE_COLUMN}$2` },
      ],
    },
    font: { name: TYPEFACE, size: BODY_POINTS },
    minRowLines: Math.max(labelLines('status', Object.values(PROGRESS_LABELS)), labelLines('category', Object.values(CATEGORY_LABELS))),
    noteHeader,
    print: {
      paper,
      paperSize: PAPERS[paper].code,
      orientation: 'landscape',
      scale: printScale(visible.map((c) => c.width), paper),
      fitToWidth: 1,
      fitToHeight: 0,
      titleRows: `${HEADER_ROW}:${HEADER_ROW}`,
      footer: TEXTS.footer[lang],
    },
    headerFill: HEADER_FILL,
    headerHeight: linesToPoints(Math.max(...visible.map((c) => wrappedLines(c.header, c.width, BODY_POINTS, true)))),
  };
  if (lastDataRow >= FIRST_DATA_ROW) {
    layout.conditionalFormat = { ref: `A${FIRST_DATA_ROW}:${last}${lastDataRow}`, rules: formatRules(layout) };
    const agencyRule = (key: TrackerColumnKey): TrackerValidation => ({
      ref: rowsRef(columnOf(layout, key).letter),
      type: 'list',
      source: NAMES.agencies,
      strict: false,
      prompt: TEXTS.agencyPrompt[lang],
    });
    layout.validations = [
      {
        ref: rowsRef(columnOf(layout, 'status').letter),
        type: 'list',
        source: NAMES.statuses,
        strict: true,
        prompt: TEXTS.statusPrompt[lang],
        error: TEXTS.statusError[lang],
      },
      {
        ref: rowsRef(columnOf(layout, 'completedOn').letter),
        type: 'date',
        min: MIN_COMPLETION_DATE,
        strict: true,
        error: TEXTS.dateError[lang],
      },
      ...(['lead', 'support'] as const).filter((k) => columns.some((c) => c.key === k)).map(agencyRule),
    ];
  }
  return layout;
}

// ---------------------------------------------------------------- row values

function catalogueValue(task: Task, key: TrackerColumnKey): string {
  switch (key) {
    case 'stt':
      return task.stt;
    case 'task':
      return task.task;
    case 'lead':
      return task.leadRaw ?? task.lead.join(', ');
    case 'support':
      return task.supportRaw ?? task.support.join(', ');
    case 'deadline':
      return task.deadline.raw;
    case 'output':
      return task.output;
    default:
      return key.startsWith('extra:') ? (task.extra?.[key.slice('extra:'.length)] ?? '') : '';
  }
}

// Full length here: the workbook writer refuses a cell Excel would cut, naming its row, rather than cut it unseen.
const text = (s: string | null | undefined): TrackerValue => (s ? safeText(s, { keepLength: true }) : null);
const day = (iso: IsoDate | null | undefined): TrackerValue => (iso ? excelSerialFromIso(iso) : null);
const statusLabel = (s: ProgressStatus, lang: SheetLang) => PROGRESS_LABELS[s][lang];

/**
 * A task's number with its section, "II.12", wherever sections exist: the
 * number alone repeats from one section to the next. Kept as written when it
 * already carries the section.
 */
export function qualifiedStt(task: Pick<Task, 'stt' | 'section'>): string {
  const { stt, section } = task;
  if (!section || !stt || stt === section || stt.startsWith(`${section}.`)) return stt;
  return `${section}.${stt}`;
}

/**
 * The sheet rows from firstDataRow on, ready to be written in one go: a section
 * heading row wherever task.section changes, then the task rows, numbered with
 * their section. Progress cells stay blank for tasks without a progress entry;
 * the notes cell starts with the annex's own note.
 */
export function trackerRows(
  layout: TrackerLayout,
  tasks: readonly Task[],
  progress: Readonly<Record<string, Progress>> = {},
  holidays: HolidayCalendar = vietnamHolidays,
): TrackerRows {
  const out: TrackerRows = { values: [], categories: [], sectionRows: [], heights: [], pageBreaks: [] };
  const { columns, lang } = layout;
  const taskCol = columns.findIndex((c) => c.key === 'task');
  const sttCol = columns.findIndex((c) => c.key === 'stt');
  const categoryCol = columns.findIndex((c) => c.key === 'category');
  // A section heading spans the catalogue columns from the task on (merged on the sheet).
  const lastCatalogue = columns.reduce((last, c, i) => (c.role === 'catalogue' ? i : last), taskCol);
  const sectionColumns = [columns[sttCol], { ...columns[taskCol], width: columns.slice(taskCol, lastCatalogue + 1).reduce((w, c) => w + c.width, 0) }];
  const keep = new Set<number>();
  let section: string | null = null;
  for (const task of tasks) {
    const key = sectionKey(task);
    if (key !== null && key !== section) {
      const row = layout.firstDataRow + out.values.length;
      const cells: TrackerValue[] = columns.map(() => null);
      cells[sttCol] = text(sectionHeading(task) ?? '');
      cells[taskCol] = text(task.sectionTitle ?? '');
      cells[categoryCol] = categoryFormula(layout, row);
      keep.add(out.values.length);
      out.values.push(cells);
      out.categories.push(null);
      out.sectionRows.push(row);
      out.heights.push(rowHeight(sectionColumns, [cells[sttCol], cells[taskCol]], 1, true));
    }
    section = key;
    const row = layout.firstDataRow + out.values.length;
    const p = progress[task.id];
    out.values.push(
      columns.map((c): TrackerValue => {
        switch (c.key) {
          case 'id':
            return text(task.id);
          case 'stt':
            return text(qualifiedStt(task));
          case 'due':
            return day(task.deadline.due);
          case 'status':
            return p ? statusLabel(p.status, lang) : null;
          case 'result':
            return text(p?.result);
          case 'completedOn':
            return day(p?.completedOn);
          case 'evidence':
            return text(p?.evidence);
          case 'note':
            return text(p?.note || (layout.noteHeader ? task.extra?.[layout.noteHeader] : ''));
          case 'category':
            return categoryFormula(layout, row);
          default:
            return text(catalogueValue(task, c.key));
        }
      }),
    );
    out.heights.push(rowHeight(columns, out.values[out.values.length - 1], layout.minRowLines));
    out.categories.push(
      classifyTask(task.deadline, p ?? { status: 'not_started', completedOn: null }, {
        asOf: layout.asOf,
        dueSoonDays: layout.dueSoonDays,
        holidays,
      }),
    );
  }
  const top = layout.titleRows.reduce((sum, t) => sum + t.height, 0);
  out.pageBreaks = pageBreaks(out.heights, {
    paper: layout.print.paper,
    scale: layout.print.scale,
    firstPageTop: top + layout.headerHeight,
    repeatedTop: layout.headerHeight,
    keepWithNext: keep,
  }).map((index) => layout.firstDataRow + index);
  return out;
}

/** The cached text of a row's category cell. */
export function categoryText(category: StatusCategory | null, lang: SheetLang): string {
  return category ? CATEGORY_LABELS[category][lang] : '';
}
