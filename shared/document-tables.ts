/**
 * Tables cut by page breaks. Word repeats a table's header rows on each page and
 * PDF pages hold one piece each; a document may also carry the header typed again
 * mid-table. The pieces become one table with its header once, so the rows read
 * the same as in the workbook the table was typed from.
 */
import type { DocumentBlock } from './document';
import type { CellValue, Grid, MergeRange } from './grid';
import { cleanText, trimEndWhile } from './text';

/** Most rows a repeated header spans (two header rows and a row of column numbers "(1) (2) …"). */
const MAX_HEADER_ROWS = 4;

type TableBlock = Extract<DocumentBlock, { kind: 'table' }>;

const rowKey = (row: CellValue[] | undefined): string =>
  trimEndWhile(
    (row ?? []).map((v) => (v === null || v === undefined ? '' : cleanText(String(v)).toLowerCase())).join('\t'), /\t/);

/** A row that can be a header: two or more cells of text. */
const headerLike = (row: CellValue[] | undefined): boolean => (row ?? []).filter((v) => v !== null && v !== undefined && String(v).trim() !== '').length >= 2;

const width = (grid: Grid): number => grid.rows.reduce((w, r) => Math.max(w, r.length), 0);

/**
 * Joins each table with the one right after it (nothing between, or only the next
 * page) when they have the same number of columns, dropping the header rows the
 * second repeats; then drops header rows repeated inside a table.
 */
export function joinContinuedTables(blocks: DocumentBlock[]): DocumentBlock[] {
  const out: DocumentBlock[] = [];
  /** The page a joined table ends on (its `page` stays the page it starts on). */
  const lastPage = new Map<DocumentBlock, number | undefined>();
  for (const block of blocks) {
    const previous = out[out.length - 1];
    if (block.kind === 'table' && previous?.kind === 'table' && continues(previous, lastPage.get(previous) ?? previous.page, block)) {
      const joined = append(previous, block);
      lastPage.set(joined, block.page);
      out[out.length - 1] = joined;
    } else {
      out.push(block);
    }
  }
  return out.map((b) => (b.kind === 'table' ? dropRepeatedHeaders(b) : b));
}

function continues(first: TableBlock, firstEnds: number | undefined, next: TableBlock): boolean {
  if (width(first.grid) !== width(next.grid)) return false;
  if (firstEnds === undefined || next.page === undefined) return true;
  return next.page === firstEnds + 1 || repeatedHeaderRows(headerKeys(first), next.grid.rows) > 0;
}

/** The keys of the rows that may be `table`'s header (none when its first row cannot be one). */
function headerKeys(table: TableBlock): string[] {
  const header = table.grid.rows;
  if (!headerLike(header[0])) return [];
  return header.slice(0, Math.min(table.headerRows ?? MAX_HEADER_ROWS, MAX_HEADER_ROWS)).map(rowKey);
}

/** How many of `rows`' first rows repeat the header whose keys are `keys`. */
function repeatedHeaderRows(keys: readonly string[], rows: CellValue[][]): number {
  const most = Math.min(keys.length, rows.length);
  let n = 0;
  while (n < most && keys[n] !== '' && rowKey(rows[n]) === keys[n]) n++;
  return n;
}

/**
 * The next piece under the first, its repeated header dropped. A blank row marks the
 * page break between them, the signal by which the annex reader joins a row cut in two
 * by the break (its second half has no STT) to the row above, as in a pasted PDF.
 */
function append(first: TableBlock, next: TableBlock): TableBlock {
  const skip = repeatedHeaderRows(headerKeys(first), next.grid.rows);
  const offset = first.grid.rows.length + 1 - skip;
  const merges = next.grid.merges
    .filter((m) => m.top >= skip)
    .map((m) => ({ top: m.top + offset, left: m.left, bottom: m.bottom + offset, right: m.right }));
  return {
    ...first,
    grid: { ...first.grid, rows: [...first.grid.rows, [], ...next.grid.rows.slice(skip)], merges: [...first.grid.merges, ...merges] },
  };
}

function dropRepeatedHeaders(table: TableBlock): TableBlock {
  const rows = table.grid.rows;
  // The header's keys once, not again for every row compared with them.
  const keys = headerKeys(table);
  if (keys.length === 0) return table;
  const keep: number[] = [];
  for (let i = 0; i < rows.length; ) {
    const repeated = i > 0 ? repeatedHeaderRows(keys, rows.slice(i, i + MAX_HEADER_ROWS)) : 0;
    if (repeated > 0) {
      i += repeated;
    } else {
      keep.push(i++);
    }
  }
  if (keep.length === rows.length) return table;
  const newIndex = new Map(keep.map((old, i) => [old, i]));
  const merges: MergeRange[] = [];
  for (const m of table.grid.merges) {
    const top = newIndex.get(m.top);
    if (top === undefined) continue;
    let bottom = top;
    for (let r = m.top + 1; r <= m.bottom; r++) bottom = newIndex.get(r) ?? bottom;
    merges.push({ top, left: m.left, bottom, right: m.right });
  }
  return { ...table, grid: { ...table.grid, rows: keep.map((i) => rows[i]), merges } };
}
