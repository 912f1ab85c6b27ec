/**
 * Finding and joining tables. A header that names the same fields as the table's
 * first header continues that table, whatever its wording, order or the rows before
 * it (a page break, blank rows, a sub-table's heading); a header naming other fields,
 * or a "PHỤ LỤC …" line, starts another table.
 */
import { matchKey } from '../text';
import { isAnnexTitle } from './headers';
import { isHeadingLine } from './sections';
import type { HeaderInfo, SheetReader } from './sheet';
import type { ColumnMapping } from './types';

export interface TableScan {
  /** The first header: its columns are the table's. */
  header: HeaderInfo;
  title: string | null;
  /** Every header of the table, the first included. */
  segments: HeaderInfo[];
  /** 0-based grid rows of the body in order, headers left out. */
  dataRows: number[];
  /** For each data row, the index of the header it stands under. */
  segmentOf: number[];
  /** Data rows right after a page break: a blank row or a repeated header. */
  afterBreak: Set<number>;
  /** The first data row under each header (where a "(1) (2) (3)" row numbering the columns may stand). */
  firstUnderHeader: Set<number>;
}

/** What a column is, header to header: its field when the words named one, else its header words. */
function identity(col: ColumnMapping): string {
  return col.by === 'header' && col.field ? `f:${col.field}` : `h:${matchKey(col.header)}`;
}

/**
 * For each of the table's columns, the sheet column that holds it under segment `s`
 * (-1 when that header has no such column). `columns` may carry the user's mapping;
 * a column keeps what it is by the first header's reading of the same sheet column.
 */
export function segmentColumns(table: TableScan, columns: readonly ColumnMapping[], s: number): number[] {
  if (s === 0) return columns.map((c) => c.column);
  const first = table.header.columns;
  const where = new Map<string, number>();
  for (const col of table.segments[s].columns) if (!where.has(identity(col))) where.set(identity(col), col.column);
  return columns.map((c) => (c.column < first.length ? (where.get(identity(first[c.column])) ?? -1) : -1));
}

/** Heading lines right above a header (skipping blanks, not above `floor`), top first. */
function headingsAbove(sheet: SheetReader, headerRow: number, floor: number): number[] {
  const rows: number[] = [];
  for (let r = headerRow - 1; r >= floor; r--) {
    if (sheet.isBlank(r)) continue;
    const text = sheet.loneText(r);
    if (text === null || isAnnexTitle(text) || !isHeadingLine(text)) break;
    rows.unshift(r);
  }
  return rows;
}

export function scanTables(sheet: SheetReader): TableScan[] {
  const tables: TableScan[] = [];
  let current: TableScan | null = null;
  /** Rows above this one belong to an earlier table or annex title. */
  let floor = 0;
  let pendingBreak = false;
  let underHeader = false;
  const push = (table: TableScan, r: number, segment: number) => {
    table.dataRows.push(r);
    table.segmentOf.push(segment);
  };
  for (let r = 0; r < sheet.rows.length; r++) {
    if (sheet.isBlank(r)) {
      pendingBreak = true;
      continue;
    }
    if (sheet.headerMask(r)) {
      const header = sheet.readHeader(r);
      r = header.rows[header.rows.length - 1];
      underHeader = true;
      if (current && header.mask === current.header.mask) {
        current.segments.push(header);
        pendingBreak = true;
        continue;
      }
      const headings = headingsAbove(sheet, header.rows[0], floor);
      if (current && headings.length) {
        // The sub-table's heading lines were read as the previous table's last rows.
        const keep = current.dataRows.findIndex((row) => row >= headings[0]);
        if (keep >= 0) {
          current.dataRows.length = keep;
          current.segmentOf.length = keep;
        }
      }
      current = {
        header,
        title: sheet.titleAbove(headings[0] ?? header.rows[0], floor),
        segments: [header],
        dataRows: [],
        segmentOf: [],
        afterBreak: new Set(),
        firstUnderHeader: new Set(),
      };
      for (const h of headings) push(current, h, 0);
      tables.push(current);
      pendingBreak = false;
      continue;
    }
    const lone = sheet.loneText(r);
    if (lone !== null && isAnnexTitle(lone)) {
      current = null;
      floor = r;
      continue;
    }
    if (!current) continue;
    push(current, r, current.segments.length - 1);
    if (pendingBreak) current.afterBreak.add(r);
    if (underHeader) current.firstUnderHeader.add(r);
    pendingBreak = underHeader = false;
    if (lone === null || !isHeadingLine(lone)) floor = r + 1;
  }
  return tables;
}
