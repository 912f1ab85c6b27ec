/** One grid, read once: merge lookups, blank and one-cell rows, header rows and the title above them. */
import { columnLetter, type CellValue, type Grid } from '../grid';
import type { TaskField } from '../schemas';
import { cleanText, matchKey } from '../text';
import { cellText, isEmptyValue } from './cells';
import { bitCount, FIELD_BIT, fieldOfHeader, isAnnexTitle, isIssuedWithLine, maskOf } from './headers';
import type { ColumnMapping } from './types';

/** Excel's column count: a cell's key is row * limit + column. */
const COLUMN_LIMIT = 16_384;
/** Header cells are short; anything longer is data, which keeps the header test cheap. */
const HEADER_CELL_MAX = 120;
/** Cells a header naming only "STT" needs to count as one. */
const STT_HEADER_CELLS = 4;
/** How far above a header the annex title is looked for. */
const TITLE_LOOKBACK = 8;

export interface HeaderInfo {
  /** 0-based grid rows. */
  rows: number[];
  columns: ColumnMapping[];
  /** The fields the header names: two headers naming the same fields belong to one table. */
  mask: number;
}

export class SheetReader {
  readonly rows: CellValue[][];
  private readonly rowBase: number;
  /** Merge child cell key → master cell key. */
  private readonly mergeMaster = new Map<number, number>();
  private readonly headerFieldCache = new Map<string, TaskField | null>();

  constructor(readonly grid: Grid) {
    this.rows = grid.rows;
    this.rowBase = grid.firstRow ?? 1;
    const width = this.rows.reduce((w, row) => Math.max(w, row?.length ?? 0), 0);
    for (const m of grid.merges ?? []) {
      const master = m.top * COLUMN_LIMIT + m.left;
      const bottom = Math.min(m.bottom, this.rows.length - 1);
      const right = Math.min(m.right, width - 1);
      for (let r = m.top; r <= bottom; r++) {
        for (let c = m.left; c <= right; c++) if (r !== m.top || c !== m.left) this.mergeMaster.set(r * COLUMN_LIMIT + c, master);
      }
    }
  }

  get hasMerges(): boolean {
    return this.mergeMaster.size > 0;
  }

  sheetRow(r: number): number {
    return r + this.rowBase;
  }

  /** A header cell: merged children show their master's value. */
  headerValue(r: number, c: number): CellValue | undefined {
    const master = this.mergeMaster.size ? this.mergeMaster.get(r * COLUMN_LIMIT + c) : undefined;
    if (master === undefined) return this.rows[r]?.[c];
    return this.rows[Math.floor(master / COLUMN_LIMIT)]?.[master % COLUMN_LIMIT];
  }

  /**
   * A data cell. A merge child in its master's row is blank (the value shows once);
   * a cell merged down from a row above repeats the master's value when `repeatsMaster`
   * (a row that is an item of its own: one lead for several tasks) and is blank otherwise.
   */
  dataValue(r: number, c: number, repeatsMaster: boolean): CellValue | undefined {
    const master = this.mergeMaster.size ? this.mergeMaster.get(r * COLUMN_LIMIT + c) : undefined;
    if (master === undefined) return this.rows[r]?.[c];
    const masterRow = Math.floor(master / COLUMN_LIMIT);
    if (masterRow === r || !repeatsMaster) return null;
    return this.rows[masterRow]?.[master % COLUMN_LIMIT];
  }

  /** The cell is merged down from a row above (the row shares that cell with the rows it spans). */
  mergedFromAbove(r: number, c: number): boolean {
    const master = this.mergeMaster.size ? this.mergeMaster.get(r * COLUMN_LIMIT + c) : undefined;
    return master !== undefined && Math.floor(master / COLUMN_LIMIT) < r;
  }

  /** How many columns the merge holding (r, c) spans in its row (1 when unmerged). */
  mergeWidth(r: number, c: number): number {
    if (!this.mergeMaster.size) return 1;
    let w = 1;
    while (this.mergeMaster.get(r * COLUMN_LIMIT + c + w) === r * COLUMN_LIMIT + c) w++;
    return w;
  }

  isBlank(r: number): boolean {
    const row = this.rows[r];
    if (!row) return true;
    for (const v of row) if (!isEmptyValue(v)) return false;
    return true;
  }

  /** The text of the row's only non-empty cell, or null when it has none or several. */
  loneText(r: number): string | null {
    const row = this.rows[r];
    if (!row) return null;
    let found: CellValue | undefined;
    let count = 0;
    for (const v of row) {
      if (isEmptyValue(v)) continue;
      if (++count > 1) return null;
      found = v;
    }
    const text = count === 1 ? cellText(found) : '';
    return text === '' ? null : text;
  }

  private cachedField(raw: string): TaskField | null {
    let field = this.headerFieldCache.get(raw);
    if (field === undefined) {
      field = fieldOfHeader(cellText(raw));
      this.headerFieldCache.set(raw, field);
    }
    return field;
  }

  /** Bit mask of the fields a row names when it reads like a header row (no numbers, short cells), else 0. */
  headerMask(r: number): number {
    const row = this.rows[r];
    if (!row) return 0;
    let mask = 0;
    let cells = 0;
    for (const v of row) {
      if (isEmptyValue(v)) continue;
      if (typeof v !== 'string' || v.length > HEADER_CELL_MAX || /^\s*\d+\s*$/.test(v)) return 0;
      const field = this.cachedField(v);
      if (field) mask |= FIELD_BIT[field];
      cells++;
    }
    // "STT" over three or more short headings is a header whose other words are unknown: the cells will tell.
    if (mask === FIELD_BIT.stt) return cells >= STT_HEADER_CELLS ? mask : 0;
    return bitCount(mask) >= 2 && mask & (FIELD_BIT.stt | FIELD_BIT.task) ? mask : 0;
  }

  /** The header starting at row r: its columns, with the sub-row of a two-row header when there is one. */
  readHeader(r: number): HeaderInfo {
    const width = Math.max(this.rowWidth(r), this.rowWidth(r + 1));
    const top: string[] = [];
    const sub: string[] = [];
    for (let c = 0; c < width; c++) {
      top.push(cellText(this.headerValue(r, c)));
      sub.push(cellText(this.headerValue(r + 1, c)));
    }
    const twoRow = this.isSubHeader(top, sub);
    if (twoRow) {
      // A CSV export keeps a spanning top cell in its first column only: carry it right over its sub-cells.
      let spanning = false;
      for (let c = 0; c < width; c++) {
        if (top[c] !== '') spanning = sub[c] !== '' && matchKey(sub[c]) !== matchKey(top[c]);
        else if (spanning && sub[c] !== '') top[c] = top[c - 1];
        else spanning = false;
      }
    }
    const used = new Set<TaskField>();
    const columns: ColumnMapping[] = [];
    let last = -1;
    for (let c = 0; c < width; c++) {
      const below = twoRow && sub[c] !== '' && matchKey(sub[c]) !== matchKey(top[c]) ? sub[c] : '';
      const header = below ? (top[c] ? `${top[c]} / ${below}` : below) : top[c];
      // Under a spanning cell the sub-cell decides ("Thời gian" over "Bắt đầu" is no deadline).
      let field = below ? (fieldOfHeader(below) ?? fieldOfHeader(`${top[c]} ${below}`)) : fieldOfHeader(top[c]);
      if (field && used.has(field)) field = null;
      if (field) used.add(field);
      if (header !== '') last = c;
      columns.push(field ? { field, column: c, letter: columnLetter(c), header: header || columnLetter(c), by: 'header' } : { field, column: c, letter: columnLetter(c), header: header || columnLetter(c) });
    }
    columns.length = last + 1;
    return { rows: twoRow ? [r, r + 1] : [r], columns, mask: maskOf(columns) };
  }

  private rowWidth(r: number): number {
    const row = this.rows[r];
    if (!row) return 0;
    let w = row.length;
    while (w > 0 && cellText(this.headerValue(r, w - 1)) === '') w--;
    return w;
  }

  /** The row below a header is its second row when its own cells (not repeats of the top) name lead or support. */
  private isSubHeader(top: string[], sub: string[]): boolean {
    let namesAgency = false;
    for (let c = 0; c < sub.length; c++) {
      if (sub[c] === '' || matchKey(sub[c]) === matchKey(top[c])) continue;
      if (sub[c].length > HEADER_CELL_MAX) return false;
      const field = fieldOfHeader(sub[c]);
      if (field === 'lead' || field === 'support') namesAgency = true;
    }
    return namesAgency;
  }

  /** The annex title in the few rows above `below` (not above `floor`): from a "PHỤ LỤC …" line to the "(Ban hành kèm theo …)" line. */
  titleAbove(below: number, floor: number): string | null {
    const lo = Math.max(floor, below - TITLE_LOOKBACK);
    let start = -1;
    for (let r = below - 1; r >= lo && start < 0; r--) {
      const text = this.loneText(r);
      if (text !== null && isAnnexTitle(text)) start = r;
    }
    if (start < 0) {
      // No "PHỤ LỤC" line: the block of one-cell lines nearest the header, skipping the "kèm theo" line and blanks.
      let r = below - 1;
      while (r >= lo && (this.isBlank(r) || isIssuedWithLine(this.loneText(r) ?? ''))) r--;
      while (r >= lo && this.loneText(r) !== null && !isIssuedWithLine(this.loneText(r) ?? '')) start = r--;
    }
    if (start < 0) return null;
    const lines: string[] = [];
    for (let r = start; r < below; r++) {
      const text = this.loneText(r);
      if (text === null) {
        if (this.isBlank(r) && lines.length === 1 && /^phu luc( [ivxlc\d]+)?$/.test(matchKey(lines[0]))) continue;
        break;
      }
      if (isIssuedWithLine(text)) break;
      const cut = /\(\s*(ban hành\s+)?kèm theo/i.exec(text);
      lines.push((cut ? text.slice(0, cut.index) : text).trim());
      if (cut) break;
    }
    if (lines.length === 0) return null;
    const [first, ...rest] = lines;
    // "PHỤ LỤC" alone on its line, then the name: "PHỤ LỤC: DANH MỤC …".
    const joined = /^phu luc( [ivxlc\d]+)?$/.test(matchKey(first)) && rest.length ? `${first}: ${rest.join(' ')}` : lines.join(' ');
    return cleanText(joined) || null;
  }
}
