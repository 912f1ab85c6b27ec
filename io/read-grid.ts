/**
 * Files → Grids (the Node edge of import): .xlsx through exceljs's in-memory
 * reader, .csv/.tsv/.txt through decodeText and csv-parse. Everything the core
 * sees afterwards is plain cell values, whatever the file was.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInflateRaw } from 'node:zlib';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import type { CellValue, Grid, MergeRange } from '../shared/grid';
import { InputError } from '../shared/errors';
import { decodeText, repairLegacyVietnamese } from '../shared/encoding';

/** Most bytes a workbook may expand to: real annexes stay far below (50,000 tasks ≈ 60 MB). */
export const MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024;
/** Most files a workbook may hold. */
export const MAX_ZIP_ENTRIES = 10_000;

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];
const WORKBOOK_EXTENSIONS = new Set(['.xlsx', '.xlsm', '.xltx', '.xltm']);
const TEXT_EXTENSIONS = new Set(['.csv', '.tsv', '.tab', '.txt', '']);
/** String cells looked at to decide whether a sheet was typed in TCVN3/VNI. */
const LEGACY_SAMPLE_CELLS = 400;

const notWorkbook = () =>
  new InputError('Tệp không phải bảng tính Excel (.xlsx) hợp lệ', 'Not a valid Excel workbook (.xlsx)', 'file.not_workbook');

export async function readGridsFromFile(filePath: string): Promise<Grid[]> {
  return readGrids(await readFile(filePath), path.basename(filePath));
}

/** What one file may hold (the server's UPLOAD_MAX_* settings); past a limit the read fails naming it. */
export interface GridLimits {
  maxRows?: number;
  maxColumns?: number;
  /** All sheets together. */
  maxCells?: number;
}

export async function readGrids(bytes: Uint8Array, fileName: string, limits: GridLimits = {}): Promise<Grid[]> {
  const grids = await readAnyGrids(bytes, fileName);
  checkLimits(grids, limits);
  return grids;
}

function checkLimits(grids: Grid[], limits: GridLimits): void {
  let cells = 0;
  const over = (what: { vi: string; en: string }, limit: number, sheet: string) =>
    new InputError(
      `Trang “${sheet}” có quá nhiều ${what.vi} (giới hạn ${limit.toLocaleString('vi-VN')})`,
      `Sheet “${sheet}” has too many ${what.en} (limit ${limit.toLocaleString('en')})`,
      'file.too_large',
      { sheet },
    );
  for (const grid of grids) {
    if (limits.maxRows !== undefined && grid.rows.length > limits.maxRows) throw over({ vi: 'dòng', en: 'rows' }, limits.maxRows, grid.sheet);
    for (const row of grid.rows) {
      if (limits.maxColumns !== undefined && row.length > limits.maxColumns) throw over({ vi: 'cột', en: 'columns' }, limits.maxColumns, grid.sheet);
      cells += row.length;
    }
    if (limits.maxCells !== undefined && cells > limits.maxCells) throw over({ vi: 'ô', en: 'cells' }, limits.maxCells, grid.sheet);
  }
}

async function readAnyGrids(bytes: Uint8Array, fileName: string): Promise<Grid[]> {
  if (bytes.length === 0) throw new InputError(`Tệp ${fileName} rỗng`, `The file ${fileName} is empty`, 'file.empty');
  if (startsWith(bytes, OLE_MAGIC)) {
    // Old .xls files, and also password-protected .xlsx (Office wraps those in the same container).
    throw new InputError(
      'Tệp .xls (Excel 97-2003) hoặc tệp có mật khẩu không đọc được: hãy mở bằng Excel, bỏ mật khẩu nếu có, rồi lưu lại dạng .xlsx',
      'Old .xls (Excel 97-2003) or password-protected workbooks cannot be read: open it in Excel, remove any password and save it as .xlsx',
      'file.xls',
    );
  }
  const ext = path.extname(fileName).toLowerCase();
  if (startsWith(bytes, ZIP_MAGIC)) return readWorkbook(bytes);
  if (WORKBOOK_EXTENSIONS.has(ext)) throw notWorkbook();
  if (!TEXT_EXTENSIONS.has(ext)) {
    throw new InputError(
      `Không đọc được loại tệp ${ext}: hãy dùng .xlsx, .csv, .tsv hoặc .txt`,
      `Cannot read ${ext} files: use .xlsx, .csv, .tsv or .txt`,
      'file.type',
    );
  }
  return [readText(bytes, path.basename(fileName, path.extname(fileName)))];
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

// ---------------------------------------------------------------- zip guard

export interface ZipEntryInfo {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export interface ZipInventory {
  entries: ZipEntryInfo[];
  /** Sum of the declared uncompressed sizes. */
  uncompressedBytes: number;
}

const tooLarge = () =>
  new InputError(
    `Tệp nén quá lớn khi giải nén (giới hạn ${MAX_UNCOMPRESSED_BYTES / 1024 / 1024} MB, ${MAX_ZIP_ENTRIES} tệp con)`,
    `The workbook expands beyond the limits (${MAX_UNCOMPRESSED_BYTES / 1024 / 1024} MB, ${MAX_ZIP_ENTRIES} entries)`,
    'file.too_large',
  );

/**
 * Reads the zip central directory (entries and their declared sizes) without
 * expanding anything, and refuses archives beyond MAX_ZIP_ENTRIES or
 * MAX_UNCOMPRESSED_BYTES, or whose directory is malformed. Pure: bytes in, facts out.
 */
export function inspectZip(bytes: Uint8Array): ZipInventory {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const u64 = (at: number) => u32(at) + u32(at + 4) * 2 ** 32;
  try {
    // End of central directory: 22 bytes plus a comment of up to 65,535 bytes.
    let eocd = -1;
    for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
      if (u32(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw notWorkbook();
    let count = u16(eocd + 10);
    let offset = u32(eocd + 16);
    if ((count === 0xffff || offset === 0xffffffff) && eocd >= 20 && u32(eocd - 20) === 0x07064b50) {
      const zip64 = u64(eocd - 12);
      if (u32(zip64) !== 0x06064b50) throw notWorkbook();
      count = u64(zip64 + 32);
      offset = u64(zip64 + 48);
    }
    if (count > MAX_ZIP_ENTRIES) throw tooLarge();

    const entries: ZipEntryInfo[] = [];
    let uncompressedBytes = 0;
    for (let i = 0, at = offset; i < count; i++) {
      if (u32(at) !== 0x02014b50) throw notWorkbook();
      const nameLength = u16(at + 28);
      const extraLength = u16(at + 30);
      const entry: ZipEntryInfo = {
        name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)),
        method: u16(at + 10),
        compressedSize: u32(at + 20),
        uncompressedSize: u32(at + 24),
        localHeaderOffset: u32(at + 42),
      };
      readZip64Extra(entry, at + 46 + nameLength, extraLength, u16, u64);
      uncompressedBytes += entry.uncompressedSize;
      if (uncompressedBytes > MAX_UNCOMPRESSED_BYTES) throw tooLarge();
      entries.push(entry);
      at += 46 + nameLength + extraLength + u16(at + 32);
    }
    return { entries, uncompressedBytes };
  } catch (e) {
    // A directory pointing outside the file makes DataView throw RangeError.
    if (e instanceof RangeError) throw notWorkbook();
    throw e;
  }
}

/** Sizes of 0xFFFFFFFF mean "see the zip64 extra field" (id 1), which lists only those, in this order. */
function readZip64Extra(
  entry: ZipEntryInfo,
  start: number,
  length: number,
  u16: (at: number) => number,
  u64: (at: number) => number,
): void {
  const fields = (['uncompressedSize', 'compressedSize', 'localHeaderOffset'] as const).filter((f) => entry[f] === 0xffffffff);
  if (fields.length === 0) return;
  for (let at = start; at + 4 <= start + length; at += 4 + u16(at + 2)) {
    if (u16(at) !== 1) continue;
    fields.forEach((f, i) => (entry[f] = u64(at + 4 + 8 * i)));
    return;
  }
  throw notWorkbook();
}

/**
 * Expands every entry into nothing (bytes are counted, not kept) and refuses any
 * that yields more than its declared size: the central directory can lie, and
 * exceljs's unzipper would otherwise hold a lying entry whole in memory.
 */
export async function verifyZipSizes(bytes: Uint8Array, inventory: ZipInventory): Promise<void> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const entry of inventory.entries) {
    if (entry.method === 0) continue; // stored: the size is the size
    if (entry.method !== 8) throw notWorkbook();
    const at = entry.localHeaderOffset;
    if (at + 30 > bytes.length || view.getUint32(at, true) !== 0x04034b50) throw notWorkbook();
    const dataStart = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    await inflatedAtMost(bytes.subarray(dataStart, dataStart + entry.compressedSize), entry.uncompressedSize);
  }
}

function inflatedAtMost(data: Uint8Array, limit: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const inflate = createInflateRaw({ chunkSize: 256 * 1024 });
    let produced = 0;
    inflate.on('data', (chunk: Buffer) => {
      produced += chunk.length;
      if (produced > limit) {
        inflate.destroy();
        reject(tooLarge());
      }
    });
    inflate.on('error', () => reject(notWorkbook()));
    inflate.on('end', () => resolve());
    inflate.end(data);
  });
}

// ---------------------------------------------------------------- workbooks

async function readWorkbook(bytes: Uint8Array): Promise<Grid[]> {
  await verifyZipSizes(bytes, inspectZip(bytes));
  const workbook = new ExcelJS.Workbook();
  try {
    // `as never`: exceljs's typings declare a Buffer of their own that Node's does not satisfy.
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as never);
  } catch {
    throw notWorkbook();
  }
  const sheets = workbook.worksheets;
  if (sheets.length === 0) throw notWorkbook();
  const visible = sheets.filter((ws) => ws.state !== 'hidden' && ws.state !== 'veryHidden');
  const date1904 = Boolean(workbook.properties?.date1904);
  return (visible.length > 0 ? visible : sheets).map((ws) => sheetGrid(ws, date1904));
}

function sheetGrid(worksheet: ExcelJS.Worksheet, date1904: boolean): Grid {
  const rows: CellValue[][] = [];
  worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: CellValue[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      // Merged children repeat the master's value; only the top-left cell keeps it.
      if (cell.type === ExcelJS.ValueType.Merge) return;
      const value = plainValue(cell.value);
      if (value === null) return;
      while (cells.length < col - 1) cells.push(null);
      cells[col - 1] = value;
    });
    while (rows.length < rowNumber - 1) rows.push([]);
    rows[rowNumber - 1] = cells;
  });
  while (rows.length > 0 && rows[rows.length - 1].length === 0) rows.pop();
  repairLegacySheet(rows);
  return { sheet: worksheet.name, rows, merges: sheetMerges(worksheet), firstRow: 1, date1904 };
}

/** The one place exceljs's cell values become plain values. */
export function plainValue(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) {
    // Deadlines are days: drop any time of day, keep the UTC calendar day exceljs built.
    const t = value.getTime();
    return Number.isNaN(t) ? null : new Date(t - (((t % 86_400_000) + 86_400_000) % 86_400_000));
  }
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('hyperlink' in value) return plainValue(value.text as ExcelJS.CellValue);
  if ('formula' in value || 'sharedFormula' in value) return plainValue(value.result as ExcelJS.CellValue);
  return null; // {error}: #N/A, #REF! … carry no content
}

function sheetMerges(worksheet: ExcelJS.Worksheet): MergeRange[] {
  // exceljs keeps merges by master address; `worksheet.model` would rebuild every row to list them.
  const merges = (worksheet as unknown as { _merges?: Record<string, MergeRange> })._merges ?? {};
  return Object.values(merges).map((m) => ({ top: m.top - 1, left: m.left - 1, bottom: m.bottom - 1, right: m.right - 1 }));
}

/** Sheets typed with TCVN3/VNI fonts hold mojibake; a sample decides, so clean sheets cost one call. */
function repairLegacySheet(rows: CellValue[][]): void {
  const sample: string[] = [];
  for (const row of rows) {
    for (const v of row) if (typeof v === 'string') sample.push(v);
    if (sample.length >= LEGACY_SAMPLE_CELLS) break;
  }
  if (repairLegacyVietnamese(sample.join('\n')).encoding === null) return;
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      if (typeof v === 'string') row[i] = repairLegacyVietnamese(v).text;
    }
  }
}

// ---------------------------------------------------------------- text files

const DELIMITERS = ['\t', ';', ','] as const;
/** Characters of a text file looked at to choose its delimiter. */
const DELIMITER_SAMPLE_CHARS = 64 * 1024;

function readText(bytes: Uint8Array, name: string): Grid {
  const { text } = decodeText(bytes);
  if (text.trim() === '') throw new InputError(`Tệp ${name} rỗng`, `The file ${name} is empty`, 'file.empty');
  if (text.includes('\u0000')) throw new InputError(`Tệp ${name} không phải văn bản`, `The file ${name} is not text`, 'file.binary');
  const delimiter = detectDelimiter(text);
  let records: string[][];
  if (delimiter === '\t' && !/(^|\t)"/m.test(text)) {
    // Plain tab-separated lines (the seeds, copies from Word): quotes are content, not syntax.
    records = text.split(/\r\n|\r|\n/).map((line) => line.split('\t'));
    if (records[records.length - 1].join('') === '') records.pop();
  } else {
    try {
      records = parseCsv(text, { delimiter, bom: true, relax_quotes: true, relax_column_count: true }) as string[][];
    } catch (e) {
      throw new InputError(`Tệp ${name} sai cấu trúc CSV: ${(e as Error).message}`, `Malformed CSV in ${name}: ${(e as Error).message}`, 'file.csv');
    }
  }
  const rows = records.map((record) => {
    const cells: CellValue[] = record.map((v) => (v === '' ? null : v));
    while (cells.length > 0 && cells[cells.length - 1] === null) cells.pop();
    return cells;
  });
  return { sheet: name, rows, merges: [], firstRow: 1 };
}

/**
 * Tab, semicolon (Excel with a European list separator) or comma: the one that
 * splits most records of the sample into the same number of fields. Counting
 * skips quoted text, so commas inside quoted task texts do not vote; title
 * lines, which hold no delimiter, do not vote either.
 */
export function detectDelimiter(text: string): string {
  const counts: Record<string, number[]> = { '\t': [], ';': [], ',': [] };
  let current: Record<string, number> = { '\t': 0, ';': 0, ',': 0 };
  let quoted = false;
  const end = Math.min(text.length, DELIMITER_SAMPLE_CHARS);
  for (let i = 0; i < end; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c === '\n') {
      for (const d of DELIMITERS) if (current[d] > 0) counts[d].push(current[d]);
      current = { '\t': 0, ';': 0, ',': 0 };
    } else if (c in current) current[c]++;
  }
  let best: string = '\t';
  let bestScore = 0;
  for (const d of DELIMITERS) {
    const score = modeFrequency(counts[d]);
    if (score > bestScore) [best, bestScore] = [d, score];
  }
  return best;
}

function modeFrequency(values: number[]): number {
  const seen = new Map<number, number>();
  let top = 0;
  for (const v of values) {
    const n = (seen.get(v) ?? 0) + 1;
    seen.set(v, n);
    top = Math.max(top, n);
  }
  return top;
}
