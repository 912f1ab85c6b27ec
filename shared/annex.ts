/**
 * Annex recognition, the public API: finds the task tables of a sheet and turns
 * their rows into Tasks, with diagnostics that name sheet rows. The work is split by
 * concept under annex/: headers.ts (what a column is), sheet.ts (the grid as read),
 * tables.ts (finding and joining tables), sections.ts (section labels and paths),
 * rows.ts (what each row is), tasks.ts (drafts to tasks), ids.ts (stable ids).
 */
import { defaultRegistry } from './agencies';
import { InputError } from './errors';
import { columnLetter, type Grid } from './grid';
import type { Diagnostic, TaskField } from './schemas';
import { matchKey } from './text';
import { cellText, dateOfCell } from './annex/cells';
import { bitCount, FIELD_BIT, FIELD_LABEL, INFER_SAMPLE, inferFields, isTaskHeader, maskOf, PROPOSER_KEY, type ColumnCells } from './annex/headers';
import { parseTable, type ParsedTable } from './annex/rows';
import { SheetReader } from './annex/sheet';
import { scanTables, type TableScan } from './annex/tables';
import { finishTasks } from './annex/tasks';
import { diag, type AnnexTable, type ColumnMapping, type Recognition, type RecognizeOptions } from './annex/types';

export { cellText } from './annex/cells';
export { taskId } from './annex/ids';
export type { AnnexTable, ColumnMapping, Recognition, RecognizeOptions, Section } from './annex/types';

interface Scanned {
  sheet: SheetReader;
  tables: TableScan[];
  /** Each table's columns: the first header's, with fields its cells gave where the words named none. */
  columns: ColumnMapping[][];
  parsed: ParsedTable[];
  summaries: AnnexTable[];
}

/**
 * The fields a header's cells may add: the task when the words named the lead or
 * the deadline, lead and deadline when they named the task, all three when they named
 * only the STT. A header naming other fields only (a list of targets with their
 * results) stays as it is.
 */
function inferable(mask: number): TaskField[] {
  if (mask === FIELD_BIT.stt) return ['task', 'lead', 'deadline'];
  if (!(mask & FIELD_BIT.task)) return mask & (FIELD_BIT.lead | FIELD_BIT.deadline) ? ['task'] : [];
  return (['lead', 'deadline'] as const).filter((f) => !(mask & FIELD_BIT[f]));
}

function withCellFields(sheet: SheetReader, table: TableScan, options: RecognizeOptions): ColumnMapping[] {
  const columns = table.header.columns;
  const allowed = inferable(table.header.mask);
  if (allowed.length === 0) return columns;
  const cells: ColumnCells[] = columns.map((_, index) => ({ index, texts: [], dates: 0 }));
  const date1904 = !!sheet.grid.date1904;
  let seen = 0;
  for (let k = 0; k < table.dataRows.length && seen < INFER_SAMPLE; k++) {
    if (table.segmentOf[k] !== 0) continue;
    seen++;
    for (const cell of cells) {
      if (columns[cell.index].field !== null) continue;
      const value = sheet.dataValue(table.dataRows[k], columns[cell.index].column, false);
      if (dateOfCell(value, date1904)) cell.dates++;
      else {
        const text = cellText(value);
        if (text !== '') cell.texts.push(text);
      }
    }
  }
  return inferFields(columns, cells, allowed, options.registry ?? defaultRegistry, options.asOf);
}

function scanGrid(grid: Grid, options: RecognizeOptions): Scanned {
  const sheet = new SheetReader(grid);
  const tables = scanTables(sheet);
  const columns = tables.map((t) => withCellFields(sheet, t, options));
  const parsed = tables.map((t, i) => parseTable(sheet, t, columns[i]));
  const summaries = tables.map((t, index) => ({
    index,
    title: t.title,
    headerRow: sheet.sheetRow(t.header.rows[0]),
    taskCount: parsed[index].drafts.length,
    isTaskTable: isTaskHeader(maskOf(columns[index])),
  }));
  return { sheet, tables, columns, parsed, summaries };
}

function chosenTable(scanned: Scanned, table: number | undefined): number {
  if (table !== undefined) return table;
  const firstTaskTable = scanned.summaries.findIndex((t) => t.isTaskTable);
  return firstTaskTable >= 0 ? firstTaskTable : 0;
}

/** Tiers: a task table first, then how many fields its header names, then how many tasks it holds. */
function scoreOf(scanned: Scanned, index: number): number {
  const summary = scanned.summaries[index];
  if (!summary) return 0;
  const fields = bitCount(maskOf(scanned.columns[index]));
  return (summary.isTaskTable ? 10_000_000 : 0) + fields * 1_000_000 + Math.min(summary.taskCount, 999_999);
}

function withMapping(columns: ColumnMapping[], mapping: Partial<Record<TaskField, number>>): ColumnMapping[] {
  const out = columns.map((c) => ({ ...c }));
  for (const [field, column] of Object.entries(mapping) as [TaskField, number][]) {
    if (!Number.isInteger(column) || column < 0) continue;
    for (const c of out) if (c.field === field) c.field = null;
    for (let c = out.length; c <= column; c++) out.push({ field: null, column: c, letter: columnLetter(c), header: columnLetter(c) });
    out[column].field = field;
  }
  return out;
}

function emptyRecognition(grid: Grid, tables: AnnexTable[], diagnostics: Diagnostic[]): Recognition {
  return { sheet: grid.sheet, title: null, headerRows: [], columns: [], sections: [], tasks: [], diagnostics, tables, score: 0 };
}

function headerMissing(sheet: string): Diagnostic {
  return diag(
    null,
    'error',
    'header.missing',
    `Không tìm thấy dòng tiêu đề bảng (STT, Nhiệm vụ, Cơ quan chủ trì, Thời hạn…) trong trang “${sheet}”`,
    `No table header row (STT, Nhiệm vụ, Cơ quan chủ trì, Thời hạn…) found in sheet "${sheet}"`,
  );
}

function tableMissing(sheet: string, index: number, count: number): InputError {
  return new InputError(
    `Trang “${sheet}” không có bảng số ${index} (có ${count} bảng, đánh số từ 0)`,
    `Sheet "${sheet}" has no table ${index} (it has ${count}, numbered from 0)`,
    'annex.table-missing',
    { sheet },
  );
}

function recognizeScanned(scanned: Scanned, options: RecognizeOptions): Recognition {
  const { sheet, tables, summaries } = scanned;
  const grid = sheet.grid;
  if (tables.length === 0) return emptyRecognition(grid, [], [headerMissing(grid.sheet)]);
  const index = chosenTable(scanned, options.table);
  if (!Number.isInteger(index) || index < 0 || index >= tables.length) throw tableMissing(grid.sheet, index, tables.length);
  const table = tables[index];
  const columns = options.mapping ? withMapping(scanned.columns[index], options.mapping) : scanned.columns[index];
  const parsed = options.mapping ? parseTable(sheet, table, columns) : scanned.parsed[index];
  const headerRow = sheet.sheetRow(table.header.rows[0]);
  const diagnostics: Diagnostic[] = [];
  const has = (f: TaskField) => columns.some((c) => c.field === f);

  if (tables.length > 1) {
    const name = table.title ?? `dòng ${headerRow}`;
    diagnostics.push(
      diag(null, 'info', 'table.multiple', `Tìm thấy ${tables.length} bảng trong trang; đang dùng bảng “${name}” (số ${index}, đánh số từ 0)`, `Found ${tables.length} tables in the sheet; using "${table.title ?? `row ${headerRow}`}" (number ${index}, counted from 0)`),
    );
  }
  for (const col of columns) {
    if (col.by !== 'cells' || !col.field) continue;
    diagnostics.push(
      diag(headerRow, 'info', 'header.by-cells', `Cột ${col.letter} “${col.header}” được hiểu là cột ${FIELD_LABEL[col.field].vi} theo nội dung các ô`, `Column ${col.letter} "${col.header}" is read as the ${FIELD_LABEL[col.field].en} column from what its cells hold`, col.letter),
    );
  }
  if (!has('task')) {
    diagnostics.push(diag(headerRow, 'error', 'header.no-task-column', 'Bảng không có cột nhiệm vụ (Nhiệm vụ / Nội dung)', 'The table has no task column (Nhiệm vụ / Nội dung)', 'task'));
    return { ...emptyRecognition(grid, summaries, diagnostics), title: table.title, headerRows: table.header.rows.map((r) => sheet.sheetRow(r)), columns, score: scoreOf(scanned, index) };
  }
  const leadColumn = columns.find((c) => c.field === 'lead');
  if (!leadColumn) diagnostics.push(diag(headerRow, 'warning', 'lead.no-column', 'Bảng không có cột cơ quan chủ trì', 'The table has no lead agency column', 'lead'));
  else if (matchKey(leadColumn.header) === PROPOSER_KEY) {
    diagnostics.push(
      diag(headerRow, 'info', 'lead.proposer', 'Cột “Đơn vị đề xuất” được coi là cơ quan chủ trì: đơn vị đề xuất nhiệm vụ thí điểm là đơn vị thực hiện', 'The "Đơn vị đề xuất" (proposing unit) column is taken as the lead: the unit that proposed a pilot task carries it out', 'lead'),
    );
  }
  if (!has('deadline')) diagnostics.push(diag(headerRow, 'warning', 'deadline.no-column', 'Bảng không có cột thời hạn', 'The table has no deadline column', 'deadline'));

  const finished = finishTasks(sheet, parsed, columns, table.title, options);
  diagnostics.push(...finished.diagnostics);
  diagnostics.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  return {
    sheet: grid.sheet,
    title: table.title,
    headerRows: table.header.rows.map((r) => sheet.sheetRow(r)),
    columns,
    sections: parsed.sections.map((s) => ({ ...s })),
    tasks: finished.tasks,
    diagnostics,
    tables: summaries,
    score: scoreOf(scanned, index),
  };
}

/** Recognises the annex table of one grid (the first task table unless options.table says which). */
export function recognizeAnnex(grid: Grid, options: RecognizeOptions): Recognition {
  return recognizeScanned(scanGrid(grid, options), options);
}

/** The grid (sheet) with the best task table, recognised; throws InputError when no sheet has a header or the asked table. */
export function pickAnnex(grids: Grid[], options: RecognizeOptions): Recognition {
  const all = grids.map((g) => scanGrid(g, options));
  const scans = all.filter((s) => s.tables.length > (options.table ?? 0));
  if (scans.length === 0) {
    const most = all.reduce<Scanned | null>((m, s) => (s.tables.length > (m?.tables.length ?? 0) ? s : m), null);
    if (most && options.table !== undefined) throw tableMissing(most.sheet.grid.sheet, options.table, most.tables.length);
    const names = grids.map((g) => `“${g.sheet}”`).join(', ') || '(không có trang nào / no sheet)';
    throw new InputError(
      `Không tìm thấy bảng phụ lục có dòng tiêu đề (STT, Nhiệm vụ, Cơ quan chủ trì, Thời hạn…) trong các trang: ${names}`,
      `No annex table with a header row (STT, Nhiệm vụ, Cơ quan chủ trì, Thời hạn…) found in the sheets: ${names}`,
      'annex.header-missing',
    );
  }
  let best = scans[0];
  let bestScore = -1;
  for (const s of scans) {
    const score = scoreOf(s, chosenTable(s, options.table));
    if (score > bestScore) [best, bestScore] = [s, score];
  }
  return recognizeScanned(best, options);
}
