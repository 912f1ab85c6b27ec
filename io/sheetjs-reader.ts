/**
 * The formats read through SheetJS (@e965/xlsx, the npm republish of SheetJS
 * 0.20.3, pinned): Excel 97-2003 .xls, OpenDocument .ods and binary .xlsb; and
 * what sits inside an OLE compound file, to tell an .xls from a Word .doc or a
 * password-protected workbook. SheetJS holds a whole workbook in memory, so the
 * callers bound it first: zip sizes, and the extent of .ods (io/ods-extent) and
 * .xls (io/xls-extent) sheets; the rows here again, as SheetJS reads them.
 */
import type { CellObject, WorkBook, WorkSheet } from '@e965/xlsx';
import type { CellValue, Grid, MergeRange } from '../shared/grid';
import { InputError } from '../shared/errors';
import { dayOf } from './cell-day';
import type { GridBudget } from './grid-limits';

export const passwordProtected = () =>
  new InputError(
    'Tệp có đặt mật khẩu nên không đọc được: hãy mở bằng Excel, gỡ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, để trống) rồi lưu lại',
    'The file is password-protected and cannot be read: open it in Excel, remove the password (File → Info → Protect Workbook → Encrypt with Password, left empty) and save it again',
    'file.encrypted',
  );

type SheetJs = typeof import('@e965/xlsx');

/**
 * SheetJS, loaded on first use: a megabyte of script that .xlsx and text
 * imports never need. The dist build, because the package's main entry also
 * loads Node's fs and stream hooks, which reading bytes never needs.
 */
const sheetJs = (): Promise<SheetJs> => import('@e965/xlsx/dist/xlsx.full.min.js');

/** An OLE compound file's streams by name (the last part of each path), or null when the bytes are not one. */
export async function oleStreams(bytes: Uint8Array): Promise<Map<string, Uint8Array> | null> {
  const XLSX = await sheetJs();
  try {
    const cfb = XLSX.CFB.read(bytes, { type: 'buffer' });
    // Streams read from bytes are Buffers; CFB leaves some (those it built itself) as plain arrays.
    const streams = cfb.FileIndex as { name: string; content: Uint8Array | number[] | null }[];
    return new Map(streams.map((entry) => [entry.name, entry.content instanceof Uint8Array ? entry.content : Uint8Array.from(entry.content ?? [])]));
  } catch {
    return null;
  }
}

const unreadable = (format: string) =>
  new InputError(
    `Tệp ${format} hỏng hoặc không đọc được: hãy mở bằng Excel hoặc LibreOffice rồi lưu lại dạng .xlsx`,
    `The ${format} file is damaged or unreadable: open it in Excel or LibreOffice and save it again as .xlsx`,
    'file.not_workbook',
  );

/** An .xls, .ods or .xlsb workbook into grids, visible sheets only (all of them when none is visible). */
export async function readSheetJs(bytes: Uint8Array, format: string, budget: GridBudget): Promise<Grid[]> {
  const XLSX = await sheetJs();
  let workbook: WorkBook;
  const quiet = console.error;
  try {
    // SheetJS reports unsupported ODS number-format conditions on console.error; they do not change cell values.
    console.error = () => undefined;
    workbook = XLSX.read(bytes, {
      type: 'buffer',
      dense: true,
      cellDates: true,
      UTC: true,
      cellHTML: false,
      cellText: false,
      cellStyles: false,
      // One row past the limit, so that a sheet beyond it shows in its !fullref.
      sheetRows: budget.limits.maxRows + 1,
    });
  } catch (e) {
    if (/password/i.test((e as Error).message)) throw passwordProtected();
    throw unreadable(format);
  } finally {
    console.error = quiet;
  }
  const date1904 = Boolean(workbook.Workbook?.WBProps?.date1904);
  const hidden = new Set((workbook.Workbook?.Sheets ?? []).filter((s) => s.Hidden).map((s) => s.name));
  const visible = workbook.SheetNames.filter((name) => !hidden.has(name));
  if (workbook.SheetNames.length === 0) throw unreadable(format);
  return (visible.length > 0 ? visible : workbook.SheetNames).map((name) => {
    const worksheet = workbook.Sheets[name];
    const extent = worksheet['!fullref'] ?? worksheet['!ref'];
    if (extent) {
      const { e } = XLSX.utils.decode_range(extent);
      budget.extent(name, e.r + 1, e.c + 1);
    }
    return sheetGrid(name, worksheet, date1904, budget);
  });
}

function sheetGrid(sheet: string, worksheet: WorkSheet, date1904: boolean, budget: GridBudget): Grid {
  const data = (worksheet['!data'] ?? []) as (CellObject | undefined)[][];
  const rows: CellValue[][] = [];
  data.forEach((source, r) => {
    const cells: CellValue[] = [];
    source?.forEach((cell, c) => {
      const value = cell ? plainValue(cell) : null;
      if (value === null) return;
      budget.cell(sheet, r, c, value);
      while (cells.length < c) cells.push(null);
      cells[c] = value;
    });
    rows[r] = cells;
  });
  for (let r = 0; r < rows.length; r++) rows[r] ??= [];
  while (rows.length > 0 && rows[rows.length - 1].length === 0) rows.pop();
  const merges: MergeRange[] = (worksheet['!merges'] ?? []).map((m) => ({ top: m.s.r, left: m.s.c, bottom: m.e.r, right: m.e.c }));
  return { sheet, rows, merges, firstRow: 1, date1904 };
}

/** A SheetJS cell as a plain value: cached results for formulas, days for dates (read as UTC), nothing for errors. */
function plainValue(cell: CellObject): CellValue {
  switch (cell.t) {
    case 's':
      return typeof cell.v === 'string' && cell.v !== '' ? cell.v : null;
    case 'n':
      return typeof cell.v === 'number' && Number.isFinite(cell.v) ? cell.v : null;
    case 'b':
      return Boolean(cell.v);
    case 'd': {
      return dayOf(cell.v instanceof Date ? cell.v.getTime() : Date.parse(String(cell.v)));
    }
    default:
      return null; // 'e' (#N/A …) and 'z' (blank) carry no content
  }
}
