/**
 * A worksheet as the core sees it, whatever it came from (exceljs, Office.js,
 * CSV or tab-separated text): rows of plain cell values plus merged ranges.
 */

/** Date cells arrive as Dates built at UTC midnight (exceljs) or as serial numbers (Office.js). */
export type CellValue = string | number | boolean | Date | null;

/** A merged range, 0-based and inclusive, in the coordinates of Grid.rows. */
export interface MergeRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export interface Grid {
  /** Sheet name ("Sheet1", or the file name for text files). */
  sheet: string;
  rows: CellValue[][];
  merges: MergeRange[];
  /** Sheet row number of rows[0] (1 unless the grid is a slice of a sheet). */
  firstRow?: number;
  /** The workbook counts serial dates from 1904 (old Mac workbooks). */
  date1904?: boolean;
}

/** Column letters of a 0-based column index: 0 → A, 27 → AB. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
