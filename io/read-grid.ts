/**
 * Files → Grids (the Node edge of import), the format chosen by content: a zip
 * is an .xlsx (streamed, io/xlsx-reader) or an .ods/.xlsb (SheetJS); an OLE
 * compound file is an .xls (SheetJS), a password-protected workbook or a Word
 * .doc (both refused with advice); anything else is text (io/text-grid). Every
 * reader counts rows, columns, cells and cell lengths against the same limits.
 * Pure in the sense the server's worker thread needs: bytes and options in,
 * grids out, no global state.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CellValue, Grid } from '../shared/grid';
import { InputError } from '../shared/errors';
import { repairLegacyVietnamese } from '../shared/encoding';
import { GridBudget, readLimits, type ReadLimits, type ReadOptions } from './grid-limits';
import { checkOdsExtent } from './ods-extent';
import { oleStreams, passwordProtected, readSheetJs } from './sheetjs-reader';
import { checkXlsExtent } from './xls-extent';
import { readTextGrid } from './text-grid';
import { isXlsx, readXlsx } from './xlsx-reader';
import { notWorkbook, ZIP_MAGIC, ZipArchive } from './zip';

export { inspectZip } from './zip';
export { DEFAULT_READ_LIMITS, type ReadLimits, type ReadOptions } from './grid-limits';

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const WORKBOOK_EXTENSIONS = new Set(['.xlsx', '.xlsm', '.xltx', '.xltm', '.xls', '.xlsb', '.ods', '.ots']);
const TEXT_EXTENSIONS = new Set(['.csv', '.tsv', '.tab', '.txt', '.md', '']);
const ODS_MIMETYPES = new Set(['application/vnd.oasis.opendocument.spreadsheet', 'application/vnd.oasis.opendocument.spreadsheet-template']);
/** String cells looked at to decide whether a sheet was typed in TCVN3/VNI. */
const LEGACY_SAMPLE_CELLS = 400;

export async function readGridsFromFile(filePath: string, options?: ReadOptions): Promise<Grid[]> {
  return readGrids(await readFile(filePath), path.basename(filePath), options);
}

/**
 * The sheets of a file as grids. `fileName` names text grids and decides only
 * between "not a workbook" and "not a known type" when the content is neither
 * zip nor OLE. Bad or oversized input throws a bilingual InputError.
 */
export async function readGrids(bytes: Uint8Array, fileName: string, options?: ReadOptions): Promise<Grid[]> {
  const limits = readLimits(options);
  const budget = new GridBudget(limits);
  if (bytes.length === 0) throw new InputError(`Tệp ${fileName} rỗng`, `The file ${fileName} is empty`, 'file.empty');
  if (startsWith(bytes, ZIP_MAGIC)) return repairLegacySheets(await readZipWorkbook(bytes, limits, budget));
  if (startsWith(bytes, OLE_MAGIC)) return repairLegacySheets(await readOleFile(bytes, budget));
  const ext = path.extname(fileName).toLowerCase();
  if (WORKBOOK_EXTENSIONS.has(ext)) throw notWorkbook();
  if (!TEXT_EXTENSIONS.has(ext)) {
    throw new InputError(
      `Không đọc được loại tệp ${ext}: hãy dùng .xlsx, .xls, .ods, .csv, .tsv hoặc .txt`,
      `Cannot read ${ext} files: use .xlsx, .xls, .ods, .csv, .tsv or .txt`,
      'file.type',
    );
  }
  return [readTextGrid(bytes, path.basename(fileName, path.extname(fileName)), budget)];
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

async function readZipWorkbook(bytes: Uint8Array, limits: ReadLimits, budget: GridBudget): Promise<Grid[]> {
  const zip = new ZipArchive(bytes, limits);
  if (zip.has('mimetype')) {
    const mimetype = zip.text('mimetype').trim();
    if (ODS_MIMETYPES.has(mimetype)) {
      await checkOdsExtent(zip, budget);
      return readThroughSheetJs(zip, bytes, '.ods', budget);
    }
    if (mimetype.startsWith('application/vnd.oasis.opendocument.')) throw notSpreadsheet('OpenDocument (.odt, .odp …)');
  }
  if (isXlsx(zip)) return readXlsx(zip, budget);
  if (zip.has('xl/workbook.bin')) return readThroughSheetJs(zip, bytes, '.xlsb', budget);
  if (zip.has('word/document.xml')) throw notSpreadsheet('Word (.docx)');
  // Nothing here is read, but an archive whose sizes lie is a bomb and is named one.
  await zip.verifySizes();
  throw notWorkbook();
}

/** SheetJS unzips everything itself, so every entry's real size is checked first. */
async function readThroughSheetJs(zip: ZipArchive, bytes: Uint8Array, format: string, budget: GridBudget): Promise<Grid[]> {
  await zip.verifySizes();
  return readSheetJs(bytes, format, budget);
}

async function readOleFile(bytes: Uint8Array, budget: GridBudget): Promise<Grid[]> {
  const streams = await oleStreams(bytes);
  if (streams === null) throw notWorkbook('OLE');
  // Office wraps a password-protected .xlsx/.docx in an OLE file holding these two streams.
  if (streams.has('EncryptionInfo') || streams.has('EncryptedPackage')) throw passwordProtected();
  if (streams.has('WordDocument')) {
    throw new InputError(
      'Tệp Word 97-2003 (.doc) không đọc được: hãy mở bằng Word và lưu lại dạng .docx (Tệp → Lưu thành → Tài liệu Word)',
      'Word 97-2003 (.doc) files cannot be read: open it in Word and save it as .docx (File → Save As → Word Document)',
      'file.doc',
    );
  }
  const workbook = streams.get('Workbook') ?? streams.get('Book');
  if (workbook) {
    checkXlsExtent(workbook, budget);
    return readSheetJs(bytes, '.xls', budget);
  }
  throw notSpreadsheet('OLE');
}

const notSpreadsheet = (kind: string) =>
  new InputError(
    `Tệp ${kind} không phải bảng tính: hãy dùng .xlsx, .xls, .ods, .csv, .tsv hoặc .txt`,
    `The ${kind} file is not a spreadsheet: use .xlsx, .xls, .ods, .csv, .tsv or .txt`,
    'file.type',
  );

/** Sheets typed with TCVN3/VNI fonts hold mojibake; a sample decides, so clean sheets cost one call. */
function repairLegacySheets(grids: Grid[]): Grid[] {
  for (const grid of grids) repairLegacySheet(grid.rows);
  return grids;
}

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
