/**
 * How much one file may hold, whatever its format: a reader's memory grows with
 * rows, columns and cells, not with the file's bytes (a 5 MB workbook can hold a
 * million rows), so every reader counts them as it goes and refuses early.
 */
import { columnLetter, type CellValue } from '../shared/grid';
import { InputError } from '../shared/errors';
import { MAX_UNCOMPRESSED_BYTES, MAX_ZIP_ENTRIES, type ZipLimits } from './zip';

export interface ReadLimits extends ZipLimits {
  /** Rows per sheet (counting from the sheet's first row). */
  maxRows: number;
  /** Columns per sheet. */
  maxColumns: number;
  /** Non-empty cells in the whole file. */
  maxCells: number;
  /** Characters per cell; Excel's own limit is 32,767. */
  maxCellLength: number;
}

export const DEFAULT_READ_LIMITS: Readonly<ReadLimits> = Object.freeze({
  maxRows: 100_000,
  maxColumns: 200,
  maxCells: 2_000_000,
  maxCellLength: 32_767,
  maxUncompressedBytes: MAX_UNCOMPRESSED_BYTES,
  maxZipEntries: MAX_ZIP_ENTRIES,
});

/** Options of readGrids: any limit left out takes its default. */
export type ReadOptions = Partial<ReadLimits>;

export function readLimits(options: ReadOptions = {}): ReadLimits {
  const limits = { ...DEFAULT_READ_LIMITS };
  for (const key of Object.keys(limits) as (keyof ReadLimits)[]) {
    const value = options[key];
    if (value !== undefined) {
      if (!Number.isInteger(value) || value <= 0) throw new RangeError(`read limit ${key} must be a positive integer, got ${value}`);
      limits[key] = value;
    }
  }
  return limits;
}

const fmt = (n: number) => n.toLocaleString('vi-VN');
const fmtEn = (n: number) => n.toLocaleString('en-US');

/** Counts what one file's readers produce against the limits; one budget per file. */
export class GridBudget {
  private cells = 0;

  constructor(readonly limits: ReadLimits) {}

  /**
   * A sheet's declared extent (an .xlsx `<dimension>`, a SheetJS `!fullref`,
   * an .ods scan), checked before its cells are read. `rows`, `columns` and
   * `cells` (non-empty ones, when known) are counts; the cells are not counted
   * towards the file's total, which the cells read will be.
   */
  extent(sheet: string, rows: number, columns: number, cells = 0): void {
    if (rows > this.limits.maxRows) throw this.tooManyRows(sheet, rows);
    if (columns > this.limits.maxColumns) throw this.tooManyColumns(sheet, columns - 1, rows);
    if (this.cells + cells > this.limits.maxCells) throw this.tooManyCells(sheet, rows - 1);
  }

  /**
   * The size of a workbook's shared string table as it is read: a sheet can use
   * no more distinct strings than it may hold cells, and each string costs memory
   * whether a cell uses it or not.
   */
  sharedStrings(count: number): void {
    const max = this.limits.maxCells;
    if (count <= max) return;
    throw new InputError(
      `Bảng chuỗi dùng chung của tệp có hơn ${fmt(max)} chuỗi, nhiều hơn số ô được phép: hãy tách tệp hoặc xoá phần thừa`,
      `The workbook's shared string table holds more than ${fmtEn(max)} strings, more than the cells allowed: split it or remove what is not needed`,
      'file.too_many_cells',
    );
  }

  /** A non-empty cell about to be kept, 0-based; throws when it breaks a limit. */
  cell(sheet: string, row: number, column: number, value: CellValue): void {
    if (row >= this.limits.maxRows) throw this.tooManyRows(sheet, row + 1);
    if (column >= this.limits.maxColumns) throw this.tooManyColumns(sheet, column, row + 1);
    if (++this.cells > this.limits.maxCells) throw this.tooManyCells(sheet, row);
    if (typeof value === 'string' && value.length > this.limits.maxCellLength) {
      const where = `${columnLetter(column)}${row + 1}`;
      const max = this.limits.maxCellLength;
      throw new InputError(
        `Ô ${where} của trang “${sheet}” dài ${fmt(value.length)} ký tự, vượt giới hạn ${fmt(max)} ký tự`,
        `Cell ${where} of sheet “${sheet}” holds ${fmtEn(value.length)} characters, beyond the ${fmtEn(max)}-character limit`,
        'file.cell_too_long',
        { sheet, row: row + 1, field: where },
      );
    }
  }

  private tooManyCells(sheet: string, row: number): InputError {
    const max = this.limits.maxCells;
    return new InputError(
      `Tệp có hơn ${fmt(max)} ô có dữ liệu, vượt giới hạn (tại trang “${sheet}”, dòng ${row + 1}): hãy tách tệp hoặc xoá phần thừa`,
      `The file holds more than ${fmtEn(max)} non-empty cells (exceeded on sheet “${sheet}”, row ${row + 1}): split it or remove what is not needed`,
      'file.too_many_cells',
      { sheet, row: row + 1 },
    );
  }

  private tooManyRows(sheet: string, rows: number): InputError {
    const max = this.limits.maxRows;
    return new InputError(
      `Trang “${sheet}” có ${fmt(rows)} dòng trở lên, vượt giới hạn ${fmt(max)} dòng: hãy xoá các dòng thừa hoặc tách tệp`,
      `Sheet “${sheet}” reaches row ${fmtEn(rows)}, beyond the ${fmtEn(max)}-row limit: delete the extra rows or split the file`,
      'file.too_many_rows',
      { sheet, row: rows },
    );
  }

  private tooManyColumns(sheet: string, column: number, row: number): InputError {
    const max = this.limits.maxColumns;
    return new InputError(
      `Trang “${sheet}” dùng đến cột ${columnLetter(column)} (dòng ${row}), vượt giới hạn ${fmt(max)} cột: hãy xoá các cột thừa`,
      `Sheet “${sheet}” reaches column ${columnLetter(column)} (row ${row}), beyond the ${fmtEn(max)}-column limit: delete the extra columns`,
      'file.too_many_columns',
      { sheet, row, field: columnLetter(column) },
    );
  }
}
