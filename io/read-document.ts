/**
 * Any file → DocumentContent, the format chosen by the bytes (the extension only
 * breaks ties between kinds of text): PDF, Word (.docx), workbooks (.xlsx/.xls/.ods,
 * each sheet a table block), delimited text (one table) and text letters (paragraphs
 * and tab-separated tables). Formats that cannot be read get one bilingual line
 * saying what to do instead.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DocumentContent, DocumentFormat } from '../shared/document';
import { documentFromText, isDelimitedTable } from '../shared/document-text';
import { decodeText } from '../shared/encoding';
import { InputError } from '../shared/errors';
import { readDocx } from './docx-reader';
import { readPdfWith, type PdfJs } from './pdf-reader';
import { inspectZip, readGrids, type ReadOptions } from './read-grid';
import { ZipArchive } from './zip';

const PDF_MAGIC = '%PDF-';
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const RTF_MAGIC = '{\\rtf';

export async function readDocumentFromFile(filePath: string): Promise<DocumentContent> {
  return readDocument(await readFile(filePath), path.basename(filePath));
}

export async function readDocument(bytes: Uint8Array, fileName: string, options?: ReadOptions): Promise<DocumentContent> {
  if (bytes.length === 0) throw new InputError(`Tệp ${fileName} rỗng`, `The file ${fileName} is empty`, 'file.empty');
  // A PDF may start after a little junk; the standard allows the header within the first 1 KB.
  if (asciiIndexOf(bytes.subarray(0, 1024), PDF_MAGIC) >= 0) return readPdfWith(await loadPdfJs(), bytes, fileName, { standardFontDataUrl: `${pdfJsFolder()}/standard_fonts/` });
  if (startsWith(bytes, ZIP_MAGIC)) {
    const names = new Set(zipEntries(bytes, fileName));
    if (names.has('word/document.xml')) {
      // The directory's sizes can lie: every entry is inflated under its declared size before jszip expands it.
      await new ZipArchive(bytes).verifySizes();
      return readDocx(bytes, fileName);
    }
    return workbook(bytes, fileName, names.has('content.xml') ? 'ods' : 'xlsx', options);
  }
  // An OLE file is an .xls, or a Word 97 .doc or a password-protected file, which readGrids refuses with advice.
  if (startsWith(bytes, OLE_MAGIC)) return workbook(bytes, fileName, 'xls', options);
  if (asciiIndexOf(bytes.subarray(0, 16), RTF_MAGIC) >= 0) {
    throw new InputError(
      `Tệp ${fileName} là văn bản RTF, không đọc được: hãy mở bằng Word và lưu lại dạng .docx`,
      `${fileName} is an RTF document, which cannot be read: open it in Word and save it as .docx`,
      'file.rtf',
    );
  }
  return textDocument(bytes, fileName, options);
}

/** The names in a zip, refused as too large before anything expands, or as damaged naming the file. */
function zipEntries(bytes: Uint8Array, fileName: string): string[] {
  try {
    return inspectZip(bytes).entries.map((e) => e.name);
  } catch (error) {
    if (error instanceof InputError && error.code === 'file.too_large') throw error;
    throw new InputError(
      `Tệp ${fileName} bị hỏng hoặc không phải tệp Office (.docx, .xlsx, .ods): hãy mở lại bằng Word/Excel và lưu lại`,
      `${fileName} is damaged or not an Office file (.docx, .xlsx, .ods): open it in Word or Excel and save it again`,
      'file.damaged',
    );
  }
}

async function workbook(bytes: Uint8Array, fileName: string, format: DocumentFormat, options?: ReadOptions): Promise<DocumentContent> {
  const grids = await readGrids(bytes, fileName, options);
  return { name: fileName, format, blocks: grids.map((grid) => ({ kind: 'table', grid })) };
}

async function textDocument(bytes: Uint8Array, fileName: string, options?: ReadOptions): Promise<DocumentContent> {
  const ext = path.extname(fileName).toLowerCase();
  const { text } = decodeText(bytes);
  // CSV and tab-separated tables stay one grid, exactly as import has always read them.
  if (ext === '.csv' || ext === '.tsv' || isDelimitedTable(text, '\t')) {
    return workbook(bytes, fileName, ext === '.csv' ? 'csv' : 'text', options);
  }
  if (text.includes('\u0000')) throw new InputError(`Tệp ${fileName} không phải văn bản`, `The file ${fileName} is not text`, 'file.binary');
  if (text.trim() === '') throw new InputError(`Tệp ${fileName} rỗng`, `The file ${fileName} is empty`, 'file.empty');
  return documentFromText(text, fileName);
}

// pdf.js is an ES module: TypeScript's CommonJS output would turn import() into a require() that cannot load it.
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<PdfJs>;
let pdfJs: Promise<PdfJs> | undefined;

/** Loaded once, on the first PDF. */
function loadPdfJs(): Promise<PdfJs> {
  pdfJs ??= importModule(pathToFileURL(path.join(pdfJsFolder(), 'legacy/build/pdf.mjs')).href);
  return pdfJs;
}

function pdfJsFolder(): string {
  return path.dirname(require.resolve('pdfjs-dist/package.json'));
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

function asciiIndexOf(bytes: Uint8Array, needle: string): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(needle, 0, 'latin1');
}

