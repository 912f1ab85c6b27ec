/// <reference types="office-js" />
/**
 * The Excel adapter: the only module that calls the Excel JavaScript API.
 * Every function takes the request context first and returns plain data.
 *
 * Round trips: each operation does a fixed number of `context.sync()` calls
 * whatever the row count, writing whole 2-D arrays. Excel on the web refuses
 * requests and responses over 5 MB, so writes are queued against a budget
 * (MAX_REQUEST_BYTES) and a sync is spent only when the next write would pass
 * it, and reads go in bands of READ_CELLS_PER_SYNC cells: the only syncs that
 * grow are one per ~4 MB of payload. The category column, the largest part of
 * a tracker (one ~600-byte formula per row), is written once and filled down
 * where ExcelApi 1.9 allows it.
 */
import type { CellValue, Grid, MergeRange } from '../../../shared/grid';
import { columnLetter } from '../../../shared/grid';
import { excelSerialFromIso, todayIso } from '../../../shared/dates';
import type { IsoDate, Progress } from '../../../shared/schemas';
import { reportLayout, type ReportContent } from '../../../shared/report-layout';
import {
  CATEGORY_COLORS,
  DEFAULT_DUE_SOON_DAYS,
  PROGRESS_LABELS,
  classifyTask,
  parseProgressStatus,
  summarize,
  type StatusSummary,
} from '../../../shared/status';
import {
  DATE_FORMAT,
  HEADER_LABELS,
  HEADER_ROW,
  MIN_COMPLETION_DATE,
  REPORT_DATE_CELL,
  SHEET_NAMES,
  safeText,
  type SheetLang,
  type TrackerLayout,
  type TrackerRows,
  type TrackerValue,
} from '../../../shared/tracker-layout';
import type { Features } from './features';
import { dayOfCell, parseTrackerSheet, type SheetCell, type TrackerSheet } from './tracker-sheet';

export type { TrackerSheet } from './tracker-sheet';

/** Below Excel on the web's 5 MB limit, with room for the request's own framing. */
export const MAX_REQUEST_BYTES = 4_000_000;
/** Cells read per sync: about 4 MB of Vietnamese text at ~80 bytes a cell. */
export const READ_CELLS_PER_SYNC = 50_000;
/** What Office.js adds around each queued action (object paths, ids): counted so many small writes still fit. */
const ACTION_BYTES = 200;
/** Excel's sheet-name limit. */
const SHEET_NAME_MAX = 31;

// ---------------------------------------------------------------- payload accounting

/** UTF-8 size of a string without TextEncoder (absent in the IE11 webview). */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? 4 : c >= 0xdc00 && c < 0xe000 ? 0 : 3;
  }
  return n;
}

function jsonBytes(value: unknown): number {
  return utf8Length(JSON.stringify(value));
}

/** Queued writes against the request budget: syncs only when the next write would pass it. */
class Batch {
  private pending = 0;

  constructor(
    private readonly context: Excel.RequestContext,
    readonly limit: number,
  ) {}

  /** Call before queuing a write of about `bytes` of data. */
  async reserve(bytes: number, actions = 1): Promise<void> {
    const cost = bytes + actions * ACTION_BYTES;
    if (this.pending > 0 && this.pending + cost > this.limit) await this.flush();
    this.pending += cost;
  }

  async flush(): Promise<void> {
    await this.context.sync();
    this.pending = 0;
  }
}

// ---------------------------------------------------------------- small helpers

/** 0-based index of a column's letters: A → 0, AB → 27. */
const columnIndexOf = (letters: string) => letters.split('').reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
const a1 = (row: number, col: number) => `${columnLetter(col)}${row}`;
const box = (top: number, left: number, bottom: number, right: number) => `${a1(top, left)}:${a1(bottom, right)}`;
const hex = (rgb: string) => `#${rgb}`;
/**
 * Text as text: Excel types what `values` and `formulas` receive as if a person typed it, so
 * the STT "01" would become 1, "1.10" 1.1 and a deadline "12/2026" a date. A leading apostrophe
 * keeps a string as written (the apostrophe is not part of the value and does not print).
 */
const asText = <T>(v: T): T => (typeof v === 'string' && v !== '' && !v.startsWith('=') ? (`'${v}` as T) : v);
/** Excel column width (characters of the default font) in points, as Office.js sets widths. */
const widthInPoints = (chars: number) => Math.round((chars * 7 + 5) * 0.75 * 100) / 100;

function uniqueSheetName(base: string, existing: readonly string[]): string {
  const taken = new Set(existing.map((n) => n.toLowerCase()));
  const trimmed = base.slice(0, SHEET_NAME_MAX);
  if (!taken.has(trimmed.toLowerCase())) return trimmed;
  for (let i = 2; ; i++) {
    const suffix = ` (${i})`;
    const name = base.slice(0, SHEET_NAME_MAX - suffix.length) + suffix;
    if (!taken.has(name.toLowerCase())) return name;
  }
}

async function sheetNames(context: Excel.RequestContext): Promise<string[]> {
  const sheets = context.workbook.worksheets;
  sheets.load('items/name');
  await context.sync();
  return sheets.items.map((s) => s.name);
}

/**
 * The cells of a sheet's used range in bands of rows, one sync per band:
 * returns the values with sheet row/column of the top-left cell.
 */
async function readUsedValues(
  context: Excel.RequestContext,
  sheet: Excel.Worksheet,
  used: Excel.Range,
): Promise<{ values: SheetCell[][]; rowIndex: number; columnIndex: number }> {
  const { rowIndex, columnIndex, rowCount, columnCount } = used;
  const band = Math.max(1, Math.floor(READ_CELLS_PER_SYNC / columnCount));
  const values: SheetCell[][] = [];
  for (let top = 0; top < rowCount; top += band) {
    const range = sheet.getRange(box(rowIndex + top + 1, columnIndex, rowIndex + Math.min(top + band, rowCount), columnIndex + columnCount - 1));
    range.load('values');
    // One sync per band is the point: Excel refuses answers over 5 MB, so a large sheet cannot come in one.
    // eslint-disable-next-line office-addins/no-context-sync-in-loop
    await context.sync();
    for (const row of range.values) values.push(row as SheetCell[]);
  }
  return { values, rowIndex, columnIndex };
}

/** Rows padded on the left so that index k is sheet column k (what Grid and the tracker reader expect). */
function alignColumns(values: SheetCell[][], columnIndex: number, blankAsNull: boolean): SheetCell[][] {
  return values.map((row) => {
    const cells = blankAsNull ? row.map((v) => (v === '' ? null : v)) : row;
    return columnIndex === 0 ? cells : [...new Array<SheetCell>(columnIndex).fill(null), ...cells];
  });
}

function loadUsedRange(sheet: Excel.Worksheet): Excel.Range {
  const used = sheet.getUsedRange();
  used.load('rowIndex,columnIndex,rowCount,columnCount');
  return used;
}

// ---------------------------------------------------------------- reading an annex

/** "Sheet1!A1:B2,'Phụ lục, II'!C3:D4" → boxes (sheet names may hold commas, so cells are matched, not split). */
function mergedBoxes(addresses: string): { top: number; left: number; bottom: number; right: number }[] {
  const out = [];
  const re = /!\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?/g;
  for (let m = re.exec(addresses); m; m = re.exec(addresses)) {
    out.push({ top: +m[2] - 1, left: columnIndexOf(m[1]), bottom: +(m[4] ?? m[2]) - 1, right: columnIndexOf(m[3] ?? m[1]) });
  }
  return out;
}

/**
 * The active sheet as a Grid: its used range's values (serial numbers for
 * dates, blanks as null), aligned so that grid column k is sheet column k, and
 * its merged areas where ExcelApi 1.13 can list them.
 */
export async function readActiveGrid(
  context: Excel.RequestContext,
  features: Pick<Features, 'mergedAreas'> = { mergedAreas: false },
): Promise<{ sheetName: string; grid: Grid }> {
  const sheet = context.workbook.worksheets.getActiveWorksheet();
  sheet.load('name');
  const used = loadUsedRange(sheet);
  const merged = features.mergedAreas ? used.getMergedAreasOrNullObject() : null;
  merged?.load('address');
  await context.sync();

  const { values, rowIndex, columnIndex } = await readUsedValues(context, sheet, used);
  const rows: CellValue[][] = alignColumns(values, columnIndex, true);
  const merges: MergeRange[] =
    merged && !merged.isNullObject && merged.address
      ? mergedBoxes(merged.address).map((b) => ({ ...b, top: b.top - rowIndex, bottom: b.bottom - rowIndex }))
      : [];
  return { sheetName: sheet.name, grid: { sheet: sheet.name, rows, merges, firstRow: rowIndex + 1 } };
}

// ---------------------------------------------------------------- writing a tracker

export interface WriteTrackerInput {
  /** Wanted name of the new sheet (layout.sheetName usually); a free variant is used when taken. */
  sheetName: string;
  layout: TrackerLayout;
  rows: TrackerRows;
  features: Features;
  /** Request budget in bytes (tests lower it to see the chunking). */
  maxRequestBytes?: number;
}

/** Defined names written as their ranges, for clients without names (ExcelApi below 1.4). */
function inlineNames(formula: string, layout: TrackerLayout): string {
  const refs = new Map(layout.lists.names.map((n) => [n.name, n.ref]));
  return formula.replace(/\b[A-Za-z]+\b/g, (word) => refs.get(word) ?? word);
}

/**
 * Makes the tracker on a new sheet (the annex stays untouched): values and
 * formulas, date formats, widths, wrap, section rows merged and bold, the id
 * column hidden, title and header frozen, the header filtered, the hidden
 * lists sheet with its names, then what the client supports of colour rules,
 * validations and print layout. Two syncs plus one per further ~4 MB.
 */
export async function writeTracker(context: Excel.RequestContext, input: WriteTrackerInput): Promise<{ sheetName: string; rowCount: number }> {
  const { layout, rows, features } = input;
  const batch = new Batch(context, input.maxRequestBytes ?? MAX_REQUEST_BYTES);
  const worksheets = context.workbook.worksheets;
  worksheets.load('items/name');
  const names = features.namedRanges ? context.workbook.names : null;
  names?.load('items/name');
  await context.sync();
  const existing = worksheets.items.map((s) => s.name);

  await writeLists(context, batch, layout, features, existing, names);

  const sheetName = uniqueSheetName(input.sheetName, existing);
  const sheet = worksheets.add(sheetName);
  const cols = layout.columns;
  const last = cols.length - 1;
  const lastData = layout.firstDataRow + rows.values.length - 1;
  const formula = (f: TrackerValue) => (typeof f === 'string' && f.startsWith('=') ? (features.namedRanges ? f : inlineNames(f, layout)) : asText(f));

  // Columns: widths and the hidden id (ExcelApi 1.2), wrap and top alignment over the task rows.
  await batch.reserve(0, cols.length * 3);
  cols.forEach((c, i) => {
    if (features.formatting) sheet.getRange(`${c.letter}:${c.letter}`).format.columnWidth = widthInPoints(c.width);
    if (c.hidden && features.formatting) sheet.getRange(`${c.letter}:${c.letter}`).columnHidden = true;
    if (c.wrap && lastData >= layout.firstDataRow) sheet.getRange(box(layout.firstDataRow, i, lastData, i)).format.wrapText = true;
  });

  // Title rows over the visible columns, then the header.
  const firstVisible = Math.max(0, cols.findIndex((c) => !c.hidden));
  await batch.reserve(jsonBytes(layout.titleRows) + jsonBytes(cols.map((c) => c.header)), layout.titleRows.length * 6 + 6);
  for (const t of layout.titleRows) {
    const cell = sheet.getRange(a1(t.row, firstVisible));
    cell.values = [[asText(t.text)]];
    const line = sheet.getRange(box(t.row, firstVisible, t.row, last));
    if (features.formatting) line.merge(false);
    line.format.font.bold = t.bold;
    line.format.font.italic = !t.bold;
    line.format.font.size = t.size;
    line.format.horizontalAlignment = 'Center';
    line.format.wrapText = true;
    if (features.formatting) line.format.rowHeight = t.bold ? 24 : 30;
  }
  const header = sheet.getRange(box(layout.headerRow, 0, layout.headerRow, last));
  header.values = [cols.map((c) => asText(c.header))];
  header.format.font.bold = true;
  header.format.fill.color = hex(layout.headerFill);
  header.format.wrapText = true;
  header.format.horizontalAlignment = 'Center';
  header.format.verticalAlignment = 'Center';

  await writeTaskRows(sheet, batch, layout, rows, features, formula);

  // Borders and alignment of the whole table.
  await batch.reserve(0, 8);
  const table = sheet.getRange(box(layout.headerRow, 0, Math.max(lastData, layout.headerRow), last));
  // One typeface, the one the row heights and the print scale were planned for.
  sheet.getRange(box(1, 0, Math.max(lastData, layout.headerRow), last)).format.font.name = layout.font.name;
  for (const edge of ['EdgeTop', 'EdgeBottom', 'EdgeLeft', 'EdgeRight', 'InsideHorizontal', 'InsideVertical'] as const) {
    table.format.borders.getItem(edge).style = 'Continuous';
  }
  if (lastData >= layout.firstDataRow) {
    const body = sheet.getRange(box(layout.firstDataRow, 0, lastData, last));
    body.format.verticalAlignment = 'Top';
    // One call fits every row to its wrapped text (the workbook writer sets estimated heights instead).
    if (features.formatting) body.format.autofitRows();
  }

  if (features.freezePanes) sheet.freezePanes.freezeRows(layout.frozenRows);
  if (features.autoFilter) {
    sheet.autoFilter.apply(sheet.getRange(layout.autoFilter));
    // The print layout the workbook writer sets (shared/print-layout.ts): the paper, all columns on one
    // page width at a scale that keeps body text at 8 pt or more, the header on each page, and page
    // breaks that never leave a section row alone at the foot of a page.
    sheet.pageLayout.orientation = 'Landscape';
    sheet.pageLayout.paperSize = layout.print.paper;
    sheet.pageLayout.zoom = { horizontalFitToPages: 1, verticalFitToPages: 0 };
    sheet.pageLayout.setPrintTitleRows(`$${layout.print.titleRows.replace(':', ':$')}`);
    sheet.pageLayout.headersFooters.defaultForAllPages.centerFooter = layout.print.footer;
    await batch.reserve(0, rows.pageBreaks.length);
    for (const row of rows.pageBreaks) sheet.horizontalPageBreaks.add(`A${row}`);
  }
  await addRules(sheet, batch, layout, features);
  sheet.activate();
  await batch.flush();
  return { sheetName, rowCount: rows.values.length };
}

/** The hidden lists sheet (statuses, agencies, holidays, the reporting day) and its defined names. */
async function writeLists(
  context: Excel.RequestContext,
  batch: Batch,
  layout: TrackerLayout,
  features: Features,
  existing: readonly string[],
  names: Excel.NamedItemCollection | null,
): Promise<void> {
  const { lists } = layout;
  const found = existing.find((n) => n.toLowerCase() === lists.sheetName.toLowerCase());
  const sheet = found ? context.workbook.worksheets.getItem(found) : context.workbook.worksheets.add(lists.sheetName);
  // A second tracker in the workbook refreshes the lists the first one also uses.
  if (found) sheet.getRange().clear();
  const height = 1 + Math.max(...lists.columns.map((c) => c.values.length));
  const width = 1 + Math.max(...lists.columns.map((c) => columnIndexOf(c.letter)));
  const block: (string | number | null)[][] = Array.from({ length: height }, () => new Array<null>(width).fill(null));
  for (const c of lists.columns) {
    const j = columnIndexOf(c.letter);
    block[0][j] = asText(c.header);
    c.values.forEach((v, i) => {
      block[i + 1][j] = c.dates ? excelSerialFromIso(v) : asText(v);
    });
  }
  await batch.reserve(jsonBytes(block), 3 + lists.columns.length * 2 + lists.names.length * 2);
  sheet.getRange(box(1, 0, height, width - 1)).values = block;
  for (const c of lists.columns) {
    if (c.dates) sheet.getRange(`${c.letter}2:${c.letter}${Math.max(2, c.values.length + 1)}`).numberFormat = rowsOf(Math.max(1, c.values.length), DATE_FORMAT);
    if (features.formatting) sheet.getRange(`${c.letter}:${c.letter}`).format.columnWidth = widthInPoints(c.dates ? 12 : 40);
  }
  sheet.getRange(box(1, 0, 1, width - 1)).format.font.bold = true;
  if (features.formatting) sheet.visibility = 'Hidden';
  if (names) {
    const ours = new Set(lists.names.map((n) => n.name.toLowerCase()));
    for (const item of names.items) if (ours.has(item.name.toLowerCase())) item.delete();
    for (const n of lists.names) names.add(n.name, `=${n.ref}`);
  }
}

function rowsOf<T>(count: number, value: T): T[][] {
  return Array.from({ length: count }, () => [value]);
}

/**
 * The task and section rows in chunks that fit the request budget. The
 * category formula (the same text with the row number changed, on every row)
 * is written once and filled down when the client has autoFill.
 */
async function writeTaskRows(
  sheet: Excel.Worksheet,
  batch: Batch,
  layout: TrackerLayout,
  rows: TrackerRows,
  features: Features,
  formula: (v: TrackerValue) => TrackerValue,
): Promise<void> {
  const cols = layout.columns;
  const categoryCol = cols.findIndex((c) => c.key === 'category');
  const fillDown = features.autoFilter && categoryCol === cols.length - 1 && rows.values.length > 1;
  const width = fillDown ? cols.length - 1 : cols.length;
  const dateCols = cols.flatMap((c, i) => (c.numFmt ? [{ i, numFmt: c.numFmt }] : []));
  const sections = new Set(rows.sectionRows);
  const taskCol = cols.findIndex((c) => c.key === 'task');
  let lastCatalogue = -1;
  cols.forEach((c, i) => {
    if (c.role === 'catalogue') lastCatalogue = i;
  });
  const mergeSections = features.formatting && lastCatalogue > taskCol;

  const chunkLimit = batch.limit * 0.9;
  let start = 0;
  while (start < rows.values.length) {
    // Grow the chunk row by row while it fits; a single row always goes.
    let bytes = 0;
    let end = start;
    const values: TrackerValue[][] = [];
    let sectionCount = 0;
    while (end < rows.values.length) {
      const row = rows.values[end].slice(0, width).map(formula);
      const isSection = sections.has(layout.firstDataRow + end);
      const rowBytes = jsonBytes(row) + dateCols.length * (DATE_FORMAT.length + 6) + (isSection ? 2 * ACTION_BYTES : 0);
      if (end > start && bytes + rowBytes > chunkLimit) break;
      values.push(row);
      bytes += rowBytes;
      if (isSection) sectionCount++;
      end++;
    }
    await batch.reserve(bytes, 1 + dateCols.length);
    const top = layout.firstDataRow + start;
    const bottom = layout.firstDataRow + end - 1;
    sheet.getRange(box(top, 0, bottom, width - 1)).formulas = values;
    for (const d of dateCols) sheet.getRange(box(top, d.i, bottom, d.i)).numberFormat = rowsOf(end - start, d.numFmt);
    if (sectionCount > 0) {
      for (let r = top; r <= bottom; r++) {
        if (!sections.has(r)) continue;
        sheet.getRange(box(r, 0, r, cols.length - 1)).format.font.bold = true;
        if (mergeSections) sheet.getRange(box(r, taskCol, r, lastCatalogue)).merge(false);
      }
    }
    start = end;
  }
  if (fillDown) {
    const first = formula(rows.values[0][categoryCol]);
    await batch.reserve(jsonBytes(first), 2);
    const cell = sheet.getRange(a1(layout.firstDataRow, categoryCol));
    cell.formulas = [[first]];
    cell.autoFill(box(layout.firstDataRow, categoryCol, layout.firstDataRow + rows.values.length - 1, categoryCol), 'FillCopy');
  }
}

/** Colour rules and validations, where the client has them. */
async function addRules(sheet: Excel.Worksheet, batch: Batch, layout: TrackerLayout, features: Features): Promise<void> {
  const cf = layout.conditionalFormat;
  if (cf && features.conditionalFormats) {
    await batch.reserve(jsonBytes(cf), cf.rules.length * 4);
    const range = sheet.getRange(cf.ref);
    for (const rule of cf.rules) {
      const format = range.conditionalFormats.add('Custom');
      format.custom.rule.formula = `=${rule.formula}`;
      format.custom.format.fill.color = hex(rule.fill);
      format.custom.format.font.color = hex(rule.font);
    }
  }
  if (features.dataValidation) {
    await batch.reserve(jsonBytes(layout.validations), layout.validations.length * 4);
    for (const v of layout.validations) {
      const dv = sheet.getRange(v.ref).dataValidation;
      dv.ignoreBlanks = true;
      dv.rule =
        v.type === 'list'
          ? { list: { inCellDropDown: true, source: `=${v.source}` } }
          : { date: { formula1: v.min ?? '', operator: 'GreaterThanOrEqualTo' } };
      if (v.prompt) dv.prompt = { showPrompt: true, title: '', message: v.prompt };
      // Not strict (agencies): the list is offered, other text is accepted.
      dv.errorAlert = { showAlert: v.strict, style: 'Stop', title: '', message: v.error ?? '' };
    }
  }
}

// ---------------------------------------------------------------- reading a tracker back

/** The tracker sheet: the one named, else the active sheet when it is a tracker, else the first "Theo dõi"/"Tracker" sheet. */
async function locateTracker(context: Excel.RequestContext, sheetName?: string): Promise<{ names: string[]; tracker: string }> {
  const worksheets = context.workbook.worksheets;
  worksheets.load('items/name');
  const active = worksheets.getActiveWorksheet();
  active.load('name');
  const header = active.getRange(`A${HEADER_ROW}`);
  header.load('values');
  await context.sync();
  const names = worksheets.items.map((s) => s.name);
  if (sheetName) return { names, tracker: sheetName };
  const activeIsTracker = [HEADER_LABELS.id.vi, HEADER_LABELS.id.en].includes(String(header.values[0][0]));
  const base = [SHEET_NAMES.tracker.vi, SHEET_NAMES.tracker.en].map((n) => n.toLowerCase());
  const named = names.find((n) => base.some((b) => n.toLowerCase().startsWith(b)));
  const tracker = activeIsTracker ? active.name : named;
  if (!tracker) throw new Error('Không tìm thấy trang theo dõi / No tracker sheet found');
  return { names, tracker };
}

async function readTrackerSheet(context: Excel.RequestContext, name: string): Promise<TrackerSheet> {
  const sheet = context.workbook.worksheets.getItem(name);
  const used = loadUsedRange(sheet);
  await context.sync();
  const { values, rowIndex, columnIndex } = await readUsedValues(context, sheet, used);
  const parsed = parseTrackerSheet(name, alignColumns(values, columnIndex, false), rowIndex + 1);
  if (!parsed) throw new Error(`Trang “${name}” không phải bảng theo dõi / Sheet “${name}” is not a tracker`);
  return parsed;
}

/** The tracker's rows as the sheet holds them now: ids, catalogue cells, progress, sheet rows. */
export async function readTracker(context: Excel.RequestContext, sheetName?: string): Promise<TrackerSheet> {
  const { tracker } = await locateTracker(context, sheetName);
  return readTrackerSheet(context, tracker);
}

export interface CategoryCounts extends StatusSummary {
  sheetName: string;
  /** The reporting day the counts are for (today when the sheet follows today). */
  asOf: IsoDate;
}

const HEADER_SCAN_ROWS = 30;
const HEADER_SCAN_COLUMNS = 52;

/** The header of a tracker sheet (one sync): its columns, language and last row. */
async function trackerHeader(context: Excel.RequestContext, sheetName: string) {
  const sheet = context.workbook.worksheets.getItem(sheetName);
  const top = sheet.getRange(`A1:${columnLetter(HEADER_SCAN_COLUMNS - 1)}${HEADER_SCAN_ROWS}`);
  top.load('values');
  const used = loadUsedRange(sheet);
  await context.sync();
  const parsed = parseTrackerSheet(sheetName, top.values as SheetCell[][]);
  if (!parsed) throw new Error(`Trang “${sheetName}” không phải bảng theo dõi / Sheet “${sheetName}” is not a tracker`);
  return { sheet, columns: parsed.columns, lang: parsed.lang, headerRow: parsed.headerRow, lastRow: used.rowIndex + used.rowCount };
}

/** Some columns between two sheet rows, in bands of rows, one sync per band. */
async function readColumns(
  context: Excel.RequestContext,
  sheet: Excel.Worksheet,
  letters: readonly string[],
  first: number,
  last: number,
): Promise<SheetCell[][]> {
  const out: SheetCell[][] = letters.map(() => []);
  const band = Math.max(1, Math.floor(READ_CELLS_PER_SYNC / letters.length));
  for (let top = first; top <= last; top += band) {
    const bottom = Math.min(last, top + band - 1);
    const ranges = letters.map((l) => sheet.getRange(`${l}${top}:${l}${bottom}`).load('values'));
    // A sync per band, as in readUsedValues: each answer stays under Excel's 5 MB.
    // eslint-disable-next-line office-addins/no-context-sync-in-loop
    await context.sync();
    ranges.forEach((r, i) => {
      for (const [v] of r.values) out[i].push(v as SheetCell);
    });
  }
  return out;
}

/**
 * Shows the tracker as of a reporting day: writes the day into the NgayBaoCao
 * cell that every category formula and colour rule reads (null clears it, and
 * the sheet follows TODAY() again), and returns the counts per category for
 * that day, computed from the id, due, status and completion cells as
 * classifyTask does. Three syncs up to 12,500 tasks (four columns a band).
 */
export async function setReportDate(
  context: Excel.RequestContext,
  asOf: IsoDate | null,
  options: { sheetName?: string; dueSoonDays?: number } = {},
): Promise<CategoryCounts> {
  const { names, tracker } = await locateTracker(context, options.sheetName);
  const listName = [SHEET_NAMES.lists.vi, SHEET_NAMES.lists.en].map((l) => names.find((n) => n.toLowerCase() === l.toLowerCase())).find(Boolean);
  if (!listName) throw new Error('Không tìm thấy trang danh mục ẩn / The hidden lists sheet is missing');
  const cell = context.workbook.worksheets.getItem(listName).getRange(REPORT_DATE_CELL);
  cell.numberFormat = [[DATE_FORMAT]];
  cell.values = [[asOf === null ? '' : excelSerialFromIso(asOf)]];
  const { sheet, columns, headerRow, lastRow } = await trackerHeader(context, tracker);
  const keys = ['id', 'due', 'status', 'completedOn'] as const;
  if (keys.some((k) => !columns[k])) throw new Error('Thiếu cột của bảng theo dõi / Tracker columns are missing');
  const [ids, dues, statuses, completions] = await readColumns(
    context,
    sheet,
    keys.map((k) => columns[k]!),
    headerRow + 1,
    Math.max(headerRow + 1, lastRow),
  );
  const day = asOf ?? todayIso();
  const classify = { asOf: day, dueSoonDays: options.dueSoonDays ?? DEFAULT_DUE_SOON_DAYS };
  const categories = ids.flatMap((id, i) => {
    if (id === null || String(id).trim() === '') return [];
    const status = parseProgressStatus(String(statuses[i] ?? '')) ?? 'not_started';
    const completedOn = dayOfCell(completions[i], MIN_COMPLETION_DATE);
    return [{ category: classifyTask({ kind: 'date', due: dayOfCell(dues[i]) }, { status, completedOn }, classify) }];
  });
  return { ...summarize(categories), sheetName: tracker, asOf: day };
}

// ---------------------------------------------------------------- writing progress and ids

/** The five progress cells of a row, in sheet order, as written. */
function progressCells(progress: Progress, lang: SheetLang): (string | number)[] {
  return [
    asText(PROGRESS_LABELS[progress.status][lang]),
    asText(safeText(progress.result)),
    progress.completedOn ? excelSerialFromIso(progress.completedOn) : '',
    asText(safeText(progress.evidence)),
    asText(safeText(progress.note)),
  ];
}

/** Writes reports pulled from the service into their rows (progress columns only). */
export async function writeProgress(
  context: Excel.RequestContext,
  sheetName: string,
  updates: readonly { row: number; progress: Progress }[],
  options: { maxRequestBytes?: number } = {},
): Promise<void> {
  const { sheet, columns, lang } = await trackerHeader(context, sheetName);
  const order = ['status', 'result', 'completedOn', 'evidence', 'note'] as const;
  const letters = order.map((k) => columns[k]);
  if (letters.some((l) => !l)) throw new Error('Thiếu cột tiến độ / Progress columns are missing');
  const indexes = letters.map((l) => columnIndexOf(l!));
  const contiguous = indexes.every((c, i) => i === 0 || c === indexes[i - 1] + 1);
  const batch = new Batch(context, options.maxRequestBytes ?? MAX_REQUEST_BYTES);
  for (const u of updates) {
    const cells = progressCells(u.progress, lang);
    await batch.reserve(jsonBytes(cells), contiguous ? 1 : cells.length);
    if (contiguous) sheet.getRange(`${letters[0]}${u.row}:${letters[4]}${u.row}`).values = [cells];
    else cells.forEach((v, i) => (sheet.getRange(`${letters[i]}${u.row}`).values = [[v]]));
  }
  await batch.flush();
}

/** Writes the ids the service gave to published tasks into the hidden id column. */
export async function writeIds(
  context: Excel.RequestContext,
  sheetName: string,
  ids: readonly { row: number; id: string }[],
  options: { maxRequestBytes?: number } = {},
): Promise<void> {
  const { sheet, columns } = await trackerHeader(context, sheetName);
  if (!columns.id) throw new Error('Thiếu cột mã nhiệm vụ / The task id column is missing');
  const batch = new Batch(context, options.maxRequestBytes ?? MAX_REQUEST_BYTES);
  for (const { row, id } of ids) {
    await batch.reserve(jsonBytes(id));
    sheet.getRange(`${columns.id}${row}`).values = [[asText(safeText(id))]];
  }
  await batch.flush();
}

/** Shows a cell (a problem the checks found): activates its sheet and selects it. One sync. */
export async function selectCell(context: Excel.RequestContext, sheetName: string, address: string): Promise<void> {
  const sheet = context.workbook.worksheets.getItem(sheetName);
  sheet.activate();
  sheet.getRange(address).select();
  await context.sync();
}

// ---------------------------------------------------------------- the report sheet

export type { ReportAgencyRow, ReportLateRow } from '../../../shared/report-layout';

/** What the report sheet shows: the service's report (GET …/report), or what the pane builds from the sheet. */
export type ReportSheetInput = ReportContent & { lang?: SheetLang };

const apiMinor = (features?: Pick<Features, 'excelApi'>) => (features ? Number(features.excelApi.split('.')[1]) : 1);
/** Category names on a chart's axis came with ExcelApi 1.7; before it the axis numbers the rows, as the STT column does. */
const canNameCategories = (features?: Pick<Features, 'excelApi'>) => apiMinor(features) >= 7;

/**
 * A new report sheet: the heading, then the tables of shared/report-layout.ts
 * one under another (summary per agency, late and due-soon tasks, and who
 * reported when the service's report says so), and a native stacked column
 * chart of tasks by category per agency beside the summary. Two syncs.
 */
export async function writeReportSheet(
  context: Excel.RequestContext,
  report: ReportSheetInput,
  features?: Pick<Features, 'excelApi'>,
): Promise<{ sheetName: string }> {
  const layout = reportLayout(report, report.lang ?? 'vi');
  const sheetName = uniqueSheetName(layout.sheetName, await sheetNames(context));
  const sheet = context.workbook.worksheets.add(sheetName);

  layout.heading.forEach((line, i) => {
    const cell = sheet.getRange(a1(i + 1, 0));
    cell.values = [[asText(line)]];
    cell.format.font.bold = i === 0;
    cell.format.font.italic = i > 0;
    if (i === 0) cell.format.font.size = 14;
  });
  const widths: number[] = [];
  let top = layout.heading.length + 1;
  for (const table of layout.tables) {
    const headerRow = top + 1;
    const last = table.columns.length - 1;
    const lastRow = headerRow + table.rows.length;
    sheet.getRange(a1(top, 0)).values = [[asText(table.title)]];
    sheet.getRange(a1(top, 0)).format.font.bold = true;
    sheet.getRange(box(headerRow, 0, lastRow, last)).values = [table.columns.map((c) => asText(c.header)), ...table.rows.map((r) => r.map((v) => asText(v ?? '')))];
    const head = sheet.getRange(box(headerRow, 0, headerRow, last));
    head.format.font.bold = true;
    head.format.wrapText = true;
    head.format.verticalAlignment = 'Center';
    head.format.fill.color = hex(layout.headerFill);
    table.columns.forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, c.width);
      if (c.category) {
        const cell = sheet.getRange(a1(headerRow, i));
        cell.format.fill.color = hex(CATEGORY_COLORS[c.category].fill);
        cell.format.font.color = hex(CATEGORY_COLORS[c.category].font);
      }
      if (table.rows.length === 0) return;
      if (c.numFmt) sheet.getRange(box(headerRow + 1, i, lastRow, i)).numberFormat = rowsOf(table.rows.length, c.numFmt);
      if (c.wrap) sheet.getRange(box(headerRow + 1, i, lastRow, i)).format.wrapText = true;
    });
    if (table.totalRow && table.rows.length > 0) sheet.getRange(box(lastRow, 0, lastRow, last)).format.font.bold = true;

    // The chart: the category columns of the rows (not the totals), one stacked column each.
    const counted = table.rows.length - (table.totalRow ? 1 : 0);
    const series = table.columns.flatMap((c, i) => (c.category ? [i] : []));
    if (table.chart && counted > 0 && series.length > 0) {
      const bottom = headerRow + counted;
      const chart = sheet.charts.add('ColumnStacked', sheet.getRange(box(headerRow, series[0], bottom, series[series.length - 1])), 'Columns');
      if (canNameCategories(features)) {
        chart.axes.categoryAxis.setCategoryNames(sheet.getRange(box(headerRow + 1, table.chart.labelColumn, bottom, table.chart.labelColumn)));
      }
      chart.title.text = table.chart.title;
      chart.legend.position = 'Bottom';
      chart.setPosition(a1(headerRow, last + 2), a1(headerRow + 20, last + 10));
    }
    top = lastRow + 2;
  }
  // Column widths need ExcelApi 1.2; on Excel 2016's 1.1 the wrapped text still shows, in default widths.
  if (apiMinor(features) >= 2) widths.forEach((w, i) => (sheet.getRange(`${columnLetter(i)}:${columnLetter(i)}`).format.columnWidth = widthInPoints(w)));
  sheet.activate();
  await context.sync();
  return { sheetName };
}
