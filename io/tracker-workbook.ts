/**
 * The tracker workbook (Node edge): renders shared/tracker-layout.ts with
 * exceljs's streaming writer, and reads back the progress an agency filled into
 * a returned copy. Rows go to the zip as they are made, so a 50,000-task sheet
 * never sits in memory as cell objects. (Only exceljs's streaming *reader*
 * mangles Vietnamese text; reading back uses the in-memory reader.)
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Stream } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Diagnostic, IsoDate, Progress, ProgressStatus, Task } from '../shared/schemas';
import { columnLetter, type CellValue, type Grid } from '../shared/grid';
import { cleanMultiline, cleanText, matchKey } from '../shared/text';
import { isoFromExcelSerial, isoFromParts, isoFromUtcDate, parseIso, toUtcDate } from '../shared/dates';
import { InputError } from '../shared/errors';
import { PROGRESS_LABELS } from '../shared/status';
import { defaultRegistry, type AgencyRegistry } from '../shared/agencies';
import { vietnamHolidays } from '../shared/holidays';
import {
  DATE_FORMAT,
  HEADER_LABELS,
  MIN_COMPLETION_DATE,
  categoryText,
  formatDay,
  isNoteHeader,
  safeText,
  trackerLayout,
  trackerRows,
  type AnnexColumn,
  type SheetLang,
  type TrackerLayout,
  type TrackerRows,
} from '../shared/tracker-layout';
import {
  BODY_POINTS,
  PAPERS,
  PRINT_MARGINS,
  TYPEFACE,
  choosePaper,
  linesToPoints,
  wrappedLines,
  type Paper,
} from '../shared/print-layout';
import { readGrids, type ReadOptions } from './read-grid';

export interface TrackerWorkbookInput {
  title: string | null;
  tasks: Task[];
  /** The recognised annex columns (Recognition.columns): keeps the annex's header texts and extra columns. */
  columns?: readonly AnnexColumn[];
  progress?: Record<string, Progress>;
  asOf: IsoDate;
  lang?: SheetLang;
  registry?: AgencyRegistry;
  dueSoonDays?: number;
  /** Paper to print on (default A4, A3 when the annex is too wide for A4 at 8 pt). */
  paper?: Paper;
}

export type ExtraCell = string | number | boolean | Date | null;

export interface ExtraSheetColumn {
  header: string;
  width?: number;
  hidden?: boolean;
  /** The least the column may shrink to so the sheet prints one page wide at 8 pt (default: width). */
  minWidth?: number;
  /** Wrap long text (default true). */
  wrap?: boolean;
  /** e.g. DATE_FORMAT for a column of Date cells. */
  numFmt?: string;
}

/**
 * A plain table after the tracker sheet (the server's per-lead reports):
 * frozen, filtered header row, repeated on each printed page; A4 landscape
 * one page wide, rows as tall as their wrapped text.
 */
export interface ExtraSheet {
  name: string;
  columns: readonly ExtraSheetColumn[];
  /** Read once, row by row (a generator keeps memory flat). null and '' leave the cell blank; text is neutralised with safeText. */
  rows: Iterable<readonly ExtraCell[]>;
}

export interface WriteTrackerOptions {
  extraSheets?: readonly ExtraSheet[];
  /**
   * The service's id for what this copy shows (see server/routes/exports.ts), so a returned copy is
   * merged against it. Written in the hidden id column above the header, where every spreadsheet
   * program keeps it and readTrackerWorkbook finds it.
   */
  exportId?: string;
}

/** What an export stamp looks like: the service's ids (`ex_` and base64url). */
const EXPORT_STAMP = /^ex_[A-Za-z0-9_-]{1,64}$/;

type Writer = ExcelJS.stream.xlsx.WorkbookWriter;

/** Rows written between two pauses that let the zip deflate what is queued (on the thread pool) while more rows are made. */
const ROWS_PER_FLUSH = 1000;

const argb = (hex: string) => ({ argb: 'FF' + hex });
/** One typeface on every cell the writer styles; bold for headers and sections. */
const FONT: Partial<ExcelJS.Font> = { name: TYPEFACE, size: BODY_POINTS };
const BOLD: Partial<ExcelJS.Font> = { ...FONT, bold: true };
/** Excel keeps at most this many characters in a cell and silently drops the rest. */
export const EXCEL_CELL_LIMIT = 32767;
const FOOTER_FONT = `&"${TYPEFACE},Regular"&${BODY_POINTS}`;
const pageSetup = (paper: Paper, titleRows: string): Partial<ExcelJS.PageSetup> => ({
  paperSize: PAPERS[paper].code as ExcelJS.PageSetup['paperSize'],
  orientation: 'landscape',
  fitToPage: true,
  fitToWidth: 1,
  fitToHeight: 0,
  printTitlesRow: titleRows,
  horizontalCentered: true,
  margins: { ...PRINT_MARGINS },
});
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};

/**
 * Writes the tracker workbook to a file path or a writable stream (an HTTP
 * response, say): the tracker sheet, any extra sheets, then the hidden lists.
 * A file that cannot be written rejects with its fs error (code ENOENT,
 * EACCES…) and leaves no partial file behind.
 */
export async function writeTrackerWorkbook(
  input: TrackerWorkbookInput,
  target: string | NodeJS.WritableStream,
  options: WriteTrackerOptions = {},
): Promise<void> {
  const file = typeof target === 'string' ? createWriteStream(target) : null;
  if (file) await once(file, 'open');
  const out: NodeJS.WritableStream = file ?? (target as NodeJS.WritableStream);
  let onError!: (error: Error) => void;
  const failed = new Promise<never>((_, reject) => (onError = reject));
  out.once('error', onError);
  try {
    await Promise.race([render(input, out, options), failed]);
  } catch (error) {
    if (file) {
      file.destroy();
      await rm(file.path, { force: true });
    }
    throw error;
  } finally {
    out.off('error', onError);
  }
}

async function render(input: TrackerWorkbookInput, out: NodeJS.WritableStream, options: WriteTrackerOptions): Promise<void> {
  const layout = trackerLayout({
    title: input.title,
    tasks: input.tasks,
    annexColumns: input.columns,
    asOf: input.asOf,
    lang: input.lang,
    dueSoonDays: input.dueSoonDays,
    agencyNames: (input.registry ?? defaultRegistry).agencies.map((a) => a.name),
    holidays: vietnamHolidays,
    paper: input.paper,
  });
  const rows = trackerRows(layout, input.tasks, input.progress, vietnamHolidays);
  // Refused before the first byte goes out, so no half-written file or response.
  checkCellLengths(layout, rows);
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out as unknown as Stream,
    useStyles: true,
    // Each distinct text once: agency names and labels repeat on every row.
    useSharedStrings: true,
    // archiver's default (level 1) makes the file a third larger; 6 is what the in-memory writer used.
    zip: { zlib: { level: 6 } },
  });
  writer.creator = 'annex-tracker';
  recalculateOnLoad(writer);
  const header = headerStyle(layout.headerFill);
  await writeTrackerSheet(writer, layout, rows, header, options.exportId);
  for (const extra of options.extraSheets ?? []) await writeExtraSheet(writer, extra, header);
  writeLists(writer, layout);
  await writer.commit();
}

/**
 * TODAY() must be evaluated when the file opens, not trusted from the cached
 * results. exceljs's streaming writer writes an empty calcPr whatever the
 * workbook's calcProperties say, so the flag goes into workbook.xml as that
 * part enters the zip.
 */
function recalculateOnLoad(writer: Writer): void {
  type Zip = { append(source: unknown, data: { name: string }): unknown };
  const zip = (writer as unknown as { zip: Zip }).zip;
  const append = zip.append.bind(zip);
  zip.append = (source, data) =>
    append(data.name === '/xl/workbook.xml' && typeof source === 'string' ? source.replace('<calcPr ', '<calcPr fullCalcOnLoad="1" ') : source, data);
}

/**
 * A cell longer than Excel keeps would lose its end without a word: refused,
 * naming the task's row and column.
 */
function checkCellLengths(layout: TrackerLayout, rows: TrackerRows): void {
  rows.values.forEach((values, index) => {
    values.forEach((value, col) => {
      if (typeof value === 'string' && value.length > EXCEL_CELL_LIMIT) tooLong(layout.firstDataRow + index, layout.columns[col].header, value.length);
    });
  });
}

function tooLong(row: number, column: string, length: number): never {
  throw new InputError(
    `Dòng ${row}, cột “${column}”: ô dài ${length} ký tự, quá giới hạn ${EXCEL_CELL_LIMIT} ký tự của Excel (Excel sẽ cắt mất phần sau); hãy rút gọn nội dung này`,
    `Row ${row}, column “${column}”: the cell holds ${length} characters, over Excel's limit of ${EXCEL_CELL_LIMIT} (Excel would cut the rest); shorten this text`,
    'cell.too_long',
    { row },
  );
}

/** One style object for every header cell: exceljs files a style once per object it has seen. */
function headerStyle(fill: string): Partial<ExcelJS.Style> {
  return {
    font: BOLD,
    alignment: { horizontal: 'center', vertical: 'middle', wrapText: true },
    fill: { type: 'pattern', pattern: 'solid', fgColor: argb(fill) },
    border: THIN,
  };
}

async function writeTrackerSheet(writer: Writer, layout: TrackerLayout, rows: TrackerRows, header: Partial<ExcelJS.Style>, exportId?: string): Promise<void> {
  const sheet = writer.addWorksheet(layout.sheetName, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: layout.frozenRows, topLeftCell: `A${layout.firstDataRow}` }],
    pageSetup: pageSetup(layout.print.paper, layout.print.titleRows),
    headerFooter: { oddFooter: `&C${FOOTER_FONT}${layout.print.footer}` },
  });
  const styles = layout.columns.map(
    (c): Partial<ExcelJS.Style> => ({
      font: FONT,
      alignment: { wrapText: c.wrap, vertical: 'top' },
      border: THIN,
      ...(c.numFmt ? { numFmt: c.numFmt } : {}),
    }),
  );
  // Column styles also dress the cells left empty for agencies to fill.
  sheet.columns = layout.columns.map((c, i) => ({ width: c.width, hidden: c.hidden, style: styles[i] }));
  writeTitleAndHeader(sheet, layout, header);
  const idColumn = layout.columns.find((c) => c.key === 'id');
  if (exportId && idColumn) sheet.getCell(`${idColumn.letter}1`).value = exportId;
  // Rules, validations and the filter are kept by the sheet and written when it is committed.
  addRules(sheet, layout);
  await writeDataRows(sheet, layout, rows, styles);
  sheet.commit();
}

function writeTitleAndHeader(sheet: ExcelJS.Worksheet, layout: TrackerLayout, header: Partial<ExcelJS.Style>): void {
  const firstVisible = layout.columns.find((c) => !c.hidden)!.letter;
  const last = layout.columns[layout.columns.length - 1].letter;
  for (const t of layout.titleRows) {
    const cell = sheet.getCell(`${firstVisible}${t.row}`);
    cell.value = safeText(t.text);
    cell.style = {
      font: { ...FONT, bold: t.bold, size: t.size, italic: !t.bold },
      alignment: { horizontal: 'center', vertical: 'middle', wrapText: true },
    };
    sheet.mergeCells(`${firstVisible}${t.row}:${last}${t.row}`);
    sheet.getRow(t.row).height = t.height;
  }
  const row = sheet.getRow(layout.headerRow);
  layout.columns.forEach((c, i) => {
    const cell = row.getCell(i + 1);
    cell.value = safeText(c.header);
    cell.style = header;
  });
  row.height = layout.headerHeight;
}

/**
 * Each row is committed as soon as it is filled (a section row after its
 * merge, which must exist before the row is written). Blank cells are not
 * created: the column style covers them, and most progress cells start blank.
 * Dates stay Excel serials; the column's dd/mm/yyyy format makes them dates.
 */
async function writeDataRows(sheet: ExcelJS.Worksheet, layout: TrackerLayout, rows: TrackerRows, styles: Partial<ExcelJS.Style>[]): Promise<void> {
  const categoryCol = layout.columns.findIndex((c) => c.key === 'category');
  const categoryLetter = layout.columns[categoryCol].letter;
  const master = `${categoryLetter}${layout.firstDataRow}`;
  const sharedRef = `${master}:${categoryLetter}${layout.lastDataRow}`;
  const taskLetter = layout.columns.find((c) => c.key === 'task')!.letter;
  const lastCatalogue = [...layout.columns].reverse().find((c) => c.role === 'catalogue')!.letter;
  // Cells share one style object per column: exceljs then files each style once
  // instead of 700,000 copies (and a cell's font setter would mutate a shared object).
  const sectionStyles = styles.map((st) => ({ ...st, font: BOLD }));
  const sections = new Set(rows.sectionRows);
  const breaks = new Set(rows.pageBreaks);

  for (let index = 0; index < rows.values.length; index++) {
    const values = rows.values[index];
    const row = sheet.getRow(layout.firstDataRow + index);
    const section = sections.has(row.number);
    const rowStyles = section ? sectionStyles : styles;
    for (let col = 0; col < values.length; col++) {
      const value = values[col];
      if (value === null) continue;
      const cell = row.getCell(col + 1);
      if (col === categoryCol) {
        const result = categoryText(rows.categories[index], layout.lang);
        // One shared formula for the column: its text is written once, each row refers to it.
        cell.value = (
          index === 0 ? { formula: String(value).slice(1), result, shareType: 'shared', ref: sharedRef } : { sharedFormula: master, result }
        ) as ExcelJS.CellValue;
      } else {
        cell.value = typeof value === 'string' ? safeText(value) : value;
      }
      cell.style = rowStyles[col];
    }
    if (section && taskLetter !== lastCatalogue) sheet.mergeCells(`${taskLetter}${row.number}:${lastCatalogue}${row.number}`);
    row.height = rows.heights[index];
    // A break is stored on the row that ends a page.
    if (breaks.has(row.number + 1)) row.addPageBreak();
    row.commit();
    if (index % ROWS_PER_FLUSH === ROWS_PER_FLUSH - 1) await new Promise(setImmediate);
  }
}

async function writeExtraSheet(writer: Writer, extra: ExtraSheet, header: Partial<ExcelJS.Style>): Promise<void> {
  const printed = extra.columns.filter((c) => !c.hidden);
  const fit = choosePaper(printed.map((c) => ({ width: c.width ?? 10, minWidth: c.minWidth ?? c.width ?? 10 })), 'A4');
  const paper = fit.paper;
  const widths = extra.columns.map((c) => (c.hidden ? (c.width ?? 10) : fit.widths[printed.indexOf(c)]));
  const sheet = writer.addWorksheet(extra.name, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2' }],
    pageSetup: pageSetup(paper, '1:1'),
  });
  const styles = extra.columns.map(
    (c): Partial<ExcelJS.Style> => ({ font: FONT, alignment: { wrapText: c.wrap ?? true, vertical: 'top' }, ...(c.numFmt ? { numFmt: c.numFmt } : {}) }),
  );
  sheet.columns = extra.columns.map((c, i) => ({ width: widths[i], hidden: c.hidden, style: styles[i] }));
  const wrapped = (i: number) => !extra.columns[i].hidden && (extra.columns[i].wrap ?? true);
  const headerRow = sheet.getRow(1);
  extra.columns.forEach((c, i) => {
    const cell = headerRow.getCell(i + 1);
    cell.value = safeText(c.header);
    cell.style = header;
  });
  headerRow.height = linesToPoints(Math.max(...extra.columns.map((c, i) => (c.hidden ? 1 : wrappedLines(c.header, widths[i], BODY_POINTS, true)))));
  let count = 1;
  for (const values of extra.rows) {
    const row = sheet.getRow(++count);
    let lines = 1;
    for (let col = 0; col < values.length; col++) {
      const value = values[col];
      if (value === null || value === '') continue;
      if (typeof value === 'string' && value.length > EXCEL_CELL_LIMIT) tooLong(count, extra.columns[col].header, value.length);
      const cell = row.getCell(col + 1);
      cell.value = typeof value === 'string' ? safeText(value) : value;
      cell.style = styles[col];
      if (typeof value === 'string' && wrapped(col)) lines = Math.max(lines, wrappedLines(value, widths[col]));
    }
    row.height = linesToPoints(lines);
    row.commit();
    if (count % ROWS_PER_FLUSH === 0) await new Promise(setImmediate);
  }
  sheet.autoFilter = `A1:${columnLetter(extra.columns.length - 1)}${count}`;
  sheet.commit();
}

function writeLists(writer: Writer, layout: TrackerLayout): void {
  const lists = writer.addWorksheet(layout.lists.sheetName, { state: 'hidden' });
  for (const column of layout.lists.columns) {
    const col = lists.getColumn(column.letter);
    col.width = column.dates ? 12 : 40;
    if (column.dates) col.numFmt = DATE_FORMAT;
    lists.getCell(`${column.letter}1`).value = safeText(column.header);
    column.values.forEach((v, i) => {
      lists.getCell(`${column.letter}${i + 2}`).value = column.dates ? toUtcDate(v) : safeText(v);
    });
  }
  for (const { name, ref } of layout.lists.names) writer.definedNames.add(ref, name);
  lists.commit();
}

type SheetWithValidations = ExcelJS.Worksheet & {
  dataValidations: { add(ref: string, validation: ExcelJS.DataValidation): void };
};

function addRules(sheet: ExcelJS.Worksheet, layout: TrackerLayout): void {
  if (layout.conditionalFormat) {
    sheet.addConditionalFormatting({
      ref: layout.conditionalFormat.ref,
      rules: layout.conditionalFormat.rules.map((r, i) => ({
        type: 'expression',
        priority: i + 1,
        formulae: [r.formula],
        style: {
          fill: { type: 'pattern', pattern: 'solid', bgColor: argb(r.fill) },
          font: { color: argb(r.font) },
        },
      })),
    });
  }
  // Added per range: exceljs writes each as one <dataValidation sqref="K4:K50003">.
  for (const v of layout.validations) {
    (sheet as SheetWithValidations).dataValidations.add(v.ref, {
      type: v.type,
      allowBlank: true,
      formulae: v.type === 'list' ? [v.source] : [toUtcDate(v.min ?? MIN_COMPLETION_DATE)],
      ...(v.type === 'date' ? { operator: 'greaterThanOrEqual' as const } : {}),
      showInputMessage: Boolean(v.prompt),
      ...(v.prompt ? { prompt: v.prompt } : {}),
      showErrorMessage: v.strict,
      ...(v.strict ? { errorStyle: 'stop', error: v.error } : {}),
    });
  }
  sheet.autoFilter = layout.autoFilter;
}

// ---------------------------------------------------------------- reading back

export interface TrackerRowRead {
  /** 1-based sheet row. */
  row: number;
  id: string | null;
  stt: string;
  task: string;
  progress: Progress;
}

/** The progress list's values in both languages, by matchKey (case and diacritics aside). */
const LIST_STATUSES = new Map<string, ProgressStatus>(
  (Object.keys(PROGRESS_LABELS) as ProgressStatus[]).flatMap((s) => [
    [matchKey(PROGRESS_LABELS[s].vi), s],
    [matchKey(PROGRESS_LABELS[s].en), s],
  ]),
);

type ReadKey = 'id' | 'stt' | 'task' | 'status' | 'result' | 'completedOn' | 'evidence' | 'note';
const OWN_HEADERS: readonly ReadKey[] = ['id', 'status', 'result', 'completedOn', 'evidence', 'note'];
/** Rows searched for the header (title rows come first). */
const HEADER_SEARCH_ROWS = 30;

/** Header keys of each column the reader needs, in both sheet languages: the tracker's own labels, then synonyms. */
function headerKeys(): { own: Map<string, ReadKey>; synonyms: Map<string, ReadKey> } {
  const own = new Map<string, ReadKey>();
  for (const k of [...OWN_HEADERS, 'stt', 'task'] as const) {
    own.set(matchKey(HEADER_LABELS[k].vi), k);
    own.set(matchKey(HEADER_LABELS[k].en), k);
  }
  // The annex's own wording of the number and task columns, and the usual synonym of the status column.
  const synonyms = new Map<string, ReadKey>();
  for (const k of ['tt', 'so tt', 'so thu tu']) synonyms.set(k, 'stt');
  for (const k of ['ten nhiem vu', 'noi dung nhiem vu', 'noi dung']) synonyms.set(k, 'task');
  synonyms.set('trang thai', 'status');
  return { own, synonyms };
}

function findHeader(grid: Grid): { row: number; columns: Partial<Record<ReadKey, number>> } | null {
  const { own, synonyms } = headerKeys();
  for (let r = 0; r < Math.min(grid.rows.length, HEADER_SEARCH_ROWS); r++) {
    const columns: Partial<Record<ReadKey, number>> = {};
    const byOwn = new Set<ReadKey>();
    grid.rows[r].forEach((v, c) => {
      if (typeof v !== 'string') return;
      const ownKey = own.get(matchKey(v));
      // The tracker's own label wins over a synonym met earlier (an older tracker kept the annex's "Ghi chú" beside its own).
      if (ownKey && !byOwn.has(ownKey)) {
        columns[ownKey] = c;
        byOwn.add(ownKey);
      }
      // The annex's own "Ghi chú…" column is the tracker's notes column (isNoteHeader).
      const synonym = synonyms.get(matchKey(v)) ?? (isNoteHeader(v) ? 'note' : undefined);
      if (synonym && columns[synonym] === undefined) columns[synonym] = c;
    });
    if (columns.status !== undefined && (columns.id !== undefined || columns.task !== undefined)) return { row: r, columns };
  }
  return null;
}

/**
 * Reads a tracker an agency filled in and sent back: finds the tracker sheet by
 * its header, reads the progress cells of every task row (status in either
 * language; dates as date cells, serials or d/m/yyyy text), and names the row
 * of each value it cannot read. Section and empty rows are skipped.
 */
export async function readTrackerWorkbook(
  bytes: Uint8Array,
  limits?: ReadOptions,
): Promise<{ rows: TrackerRowRead[]; diagnostics: Diagnostic[]; exportId: string | null }> {
  const grids = await readGrids(bytes, 'tracker.xlsx', limits);
  for (const grid of grids) {
    const header = findHeader(grid);
    if (header) return { ...readRows(grid, header.row, header.columns), exportId: exportStamp(grid, header.row, header.columns.id) };
  }
  throw new InputError(
    'Không tìm thấy bảng theo dõi (dòng tiêu đề có cột “Tình trạng”) trong tệp',
    'No tracker sheet found (a header row with a “Progress”/“Tình trạng” column)',
    'tracker.not_found',
  );
}

/** The export id written above the header in the id column (see WriteTrackerOptions.exportId), or null. */
function exportStamp(grid: Grid, headerRow: number, idColumn: number | undefined): string | null {
  if (idColumn === undefined) return null;
  for (let r = 0; r < headerRow; r++) {
    const value = grid.rows[r]?.[idColumn];
    if (typeof value === 'string' && EXPORT_STAMP.test(value.trim())) return value.trim();
  }
  return null;
}

function readRows(grid: Grid, headerRow: number, columns: Partial<Record<ReadKey, number>>) {
  const rows: TrackerRowRead[] = [];
  const diagnostics: Diagnostic[] = [];
  const firstRow = grid.firstRow ?? 1;
  const at = (cells: CellValue[], key: ReadKey): CellValue => (columns[key] === undefined ? null : (cells[columns[key]!] ?? null));
  for (let r = headerRow + 1; r < grid.rows.length; r++) {
    const cells = grid.rows[r];
    const row = firstRow + r;
    const id = textOf(at(cells, 'id')) || null;
    const filled = (['status', 'result', 'completedOn', 'evidence', 'note'] as const).some((k) => at(cells, k) !== null);
    if (!id && !filled) continue;

    const progress: Progress = { status: 'not_started', result: '', completedOn: null, evidence: '', note: '' };
    const statusText = textOf(at(cells, 'status'));
    if (statusText) {
      const status = LIST_STATUSES.get(matchKey(statusText));
      if (status) progress.status = status;
      else {
        // Only the list's values are taken: "Xong rồi" or "Hoàn thành 50%" is the agency's to say again, not ours to guess.
        diagnostics.push({
          row,
          field: 'status',
          severity: 'error',
          code: 'progress.status_unknown',
          message: `Dòng ${row}: tình trạng “${statusText}” không có trong danh sách (chọn Chưa thực hiện, Đang thực hiện hoặc Hoàn thành); dòng này chưa được cập nhật tình trạng`,
          messageEn: `Row ${row}: progress “${statusText}” is not one of the list's values (pick Not started, In progress or Done); its progress was not taken`,
        });
      }
    }
    const completed = at(cells, 'completedOn');
    if (completed !== null && textOf(completed) !== '') {
      const day = dayOfCell(completed, grid.date1904 ?? false);
      if (day) progress.completedOn = day;
      else {
        const shown = textOf(completed);
        diagnostics.push({
          row,
          field: 'completedOn',
          severity: 'error',
          code: 'progress.date_invalid',
          message: `Dòng ${row}: ngày hoàn thành “${shown}” không hợp lệ (nhập dd/mm/yyyy, từ 01/01/2000)`,
          messageEn: `Row ${row}: completion date “${shown}” is not a valid day (enter dd/mm/yyyy, 01/01/2000 or later)`,
        });
      }
    }
    progress.result = textOf(at(cells, 'result'), true);
    progress.evidence = textOf(at(cells, 'evidence'), true);
    progress.note = textOf(at(cells, 'note'), true);
    if (!id) {
      diagnostics.push({
        row,
        field: 'id',
        severity: 'warning',
        code: 'progress.no_id',
        message: `Dòng ${row}: có tiến độ nhưng không có mã nhiệm vụ (dòng thêm mới hoặc cột mã đã bị xoá)`,
        messageEn: `Row ${row}: progress without a task id (an added row, or the id column was cleared)`,
      });
    }
    rows.push({ row, id, stt: textOf(at(cells, 'stt')), task: textOf(at(cells, 'task'), true), progress });
  }
  return { rows, diagnostics };
}

/** Cell text, with the formula-injection neutraliser and stray spaces removed by cleanText. */
function textOf(value: CellValue, multiline = false): string {
  if (value === null) return '';
  if (value instanceof Date) return isoFromUtcDate(value) ? formatDay(isoFromUtcDate(value)!) : '';
  const s = String(value);
  return multiline ? cleanMultiline(s) : cleanText(s);
}

/** A completion day from a date cell, an Excel serial or typed text (d/m/yyyy, d-m-yyyy, d.m.yyyy, ISO). */
function dayOfCell(value: CellValue, date1904: boolean): IsoDate | null {
  let day: IsoDate | null = null;
  if (value instanceof Date) day = isoFromUtcDate(value);
  else if (typeof value === 'number') day = isoFromExcelSerial(value, date1904);
  else if (typeof value === 'string') {
    const s = cleanText(value);
    const dmy = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$/.exec(s);
    day = dmy ? isoFromParts(+dmy[3], +dmy[2], +dmy[1]) : parseIso(s);
  }
  return day && day >= MIN_COMPLETION_DATE ? day : null;
}
