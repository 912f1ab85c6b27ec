/**
 * Importing documents: a 100-page PDF annex and a 60-page Word annex (the seed's
 * Phụ lục II repeated, rendered as the tests' fixtures are: the docx package, then
 * LibreOffice for the PDF; made once into bench/out/). Each import (read the file,
 * find the tasks) against its floor in the same run: for Word, unzipping
 * document.xml with jszip; for PDF, pdf.js's plain text extraction of every page.
 * Goal: each import under 10 s. Times are the fastest of RUNS runs.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import JSZip from 'jszip';
import { annexDocument, soffice, tabRows, writeDocx } from '../scripts/document-fixtures';
import { readDocument } from '../io/read-document';
import { recognizeDocumentTasks } from '../shared/document-tasks';
import { figure, timed } from './measure';

const OUT = path.join(__dirname, 'out');
const RUNS = 3;
const SEED = path.join(__dirname, '../tests/fixtures/seeds/003-phu-luc-II.txt');
/** Copies of Phụ lục II's rows: ~18 pages per copy as LibreOffice lays it out (6 → 109 pages, 4 → ~72). */
const PDF_COPIES = 6;
const DOCX_COPIES = 4;

/** The seed annex with its task rows repeated `copies` times, sections renumbered so every task stays distinct. */
function repeatedAnnex(copies: number): string[][] {
  const rows = tabRows(readFileSync(SEED, 'utf8'));
  const header = rows.findIndex((r) => r.length >= 3);
  const body = rows.slice(header + 1);
  const out = rows.slice(0, header + 1);
  for (let c = 0; c < copies; c++) out.push(...body.map((r) => (r.length > 1 ? [r[0], c === 0 ? r[1] : `${r[1]} (đợt ${c + 1})`, ...r.slice(2)] : r)));
  return out;
}

async function fixture(name: string, copies: number, pdf: boolean): Promise<string> {
  mkdirSync(OUT, { recursive: true });
  const docx = path.join(OUT, `${name}.docx`);
  const target = pdf ? docx.replace(/\.docx$/, '.pdf') : docx;
  if (existsSync(target)) return target;
  await writeDocx(annexDocument(repeatedAnnex(copies)), docx);
  return pdf ? soffice(docx, 'pdf', 'pdf') : docx;
}

async function fastest(fn: () => Promise<unknown>): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < RUNS; i++) best = Math.min(best, (await timed(fn)).ms);
  return best;
}

/** Pages of the PDF, after extracting each one's text. */
async function pdfTextFloor(bytes: Uint8Array): Promise<number> {
  const importModule = new Function('s', 'return import(s)') as (s: string) => Promise<{ getDocument(p: object): { promise: Promise<{ numPages: number; getPage(n: number): Promise<{ getTextContent(): Promise<unknown> }>; destroy(): Promise<void> }> } }>;
  const pdfjs = await importModule(pathToFileURL(require.resolve('pdfjs-dist/legacy/build/pdf.mjs')).href);
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, verbosity: 0 }).promise;
  for (let n = 1; n <= doc.numPages; n++) await (await doc.getPage(n)).getTextContent();
  const pages = doc.numPages;
  await doc.destroy();
  return pages;
}

async function main(): Promise<void> {
  const pdfFile = await fixture('annex-100-pages', PDF_COPIES, true);
  const docxFile = await fixture('annex-60-pages', DOCX_COPIES, false);
  const pdfBytes = await readFile(pdfFile);
  const docxBytes = await readFile(docxFile);
  const expected = (copies: number) => 61 * copies;

  const importOf = (bytes: Uint8Array, name: string, copies: number) => async () => {
    const found = recognizeDocumentTasks(await readDocument(bytes, name), { asOf: '2026-04-20' });
    if (found.tasks.length !== expected(copies)) throw new Error(`${name}: expected ${expected(copies)} tasks, got ${found.tasks.length}`);
  };

  const pages = await pdfTextFloor(pdfBytes);
  const pdfFloor = await fastest(() => pdfTextFloor(pdfBytes));
  const pdfImport = await fastest(importOf(pdfBytes, 'annex.pdf', PDF_COPIES));
  const docxFloor = await fastest(async () => (await JSZip.loadAsync(docxBytes)).file('word/document.xml')!.async('string'));
  const docxImport = await fastest(importOf(docxBytes, 'annex.docx', DOCX_COPIES));

  figure(`PDF annex: pages`, pages, '', 0);
  figure(`PDF annex: import (${expected(PDF_COPIES)} tasks)`, pdfImport / 1000, 's', 2);
  figure('PDF annex: floor (pdf.js plain text of every page)', pdfFloor / 1000, 's', 2);
  figure('PDF annex: import ÷ floor', pdfImport / pdfFloor, '×', 2);
  figure(`Word annex: import (${expected(DOCX_COPIES)} tasks, ${(docxBytes.length / 1024).toFixed(0)} KB)`, docxImport / 1000, 's', 2);
  figure('Word annex: floor (jszip unzip of document.xml)', docxFloor / 1000, 's', 2);
  figure('Word annex: import ÷ floor', docxImport / docxFloor, '×', 2);
  if (pdfImport > 10_000 || docxImport > 10_000) {
    console.log('Goal missed: each import under 10 s');
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
