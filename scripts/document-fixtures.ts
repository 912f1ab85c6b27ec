/**
 * Renders the seed documents as Word and PDF files, the way offices receive them,
 * into tests/fixtures/documents/ (committed; run again after changing a seed):
 *
 *   npx ts-node --transpile-only scripts/document-fixtures.ts
 *
 * - each seed annex (tests/fixtures/seeds/*.txt) as a .docx table: title lines as
 *   paragraphs, the header row marked "repeat on each page", section rows spanning
 *   the row, then as PDF through LibreOffice;
 * - the seed letters (công văn 000 and 004) as .docx with Word's own list numbering
 *   ("1.", "-") and bold runs, then as PDF;
 * - the refusals: a Word 97 .doc, a password-protected PDF, a scanned (image-only) PDF.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  PageNumber,
  ImageRun,
  LevelFormat,
  PageOrientation,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { CellValue } from '../shared/grid';
import { paragraphText } from '../shared/document-text';

const ROOT = path.resolve(__dirname, '..');
export const SEEDS = path.join(ROOT, 'tests/fixtures/seeds');
export const OUT = path.join(ROOT, 'tests/fixtures/documents');

/** The annex seeds rendered, by seed file. */
export const ANNEX_SEEDS = ['001-phu-luc.txt', '003-phu-luc-II.txt', '003-phu-luc-III.txt', '003-phu-luc-IV.txt'];
export const LETTER_SEEDS = ['000-cong-van.txt', '004-cong-van.txt'];

const BORDER = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const BORDERS = { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER, insideHorizontal: BORDER, insideVertical: BORDER };

const text = (v: CellValue | undefined): string => (v === null || v === undefined ? '' : String(v));
const runs = (s: string, bold = false) =>
  s.split('\n').map((line, i) => new TextRun({ text: paragraphText(line), bold, break: i > 0 ? 1 : undefined }));

/** Tab-separated text → rows (as io/read-grid reads the seed annexes). */
export function tabRows(source: string): string[][] {
  return source.split(/\r\n|\r|\n/).map((line) => (line.trim() === '' ? [] : line.split('\t')));
}

/**
 * An annex as Word: the lines above the table as centred paragraphs, the table
 * with its first row as the repeated header; a row holding only a numeral and a
 * title (a section) spans the whole width; empty rows are left out.
 */
export function annexDocument(rows: string[][]): Document {
  const first = rows.findIndex((r) => r.length >= 3);
  const width = Math.max(...rows.map((r) => r.length));
  const titles = rows.slice(0, first).filter((r) => r.length > 0);
  const body = rows.slice(first).filter((r) => r.some((v) => v.trim() !== ''));
  const table = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: BORDERS,
    rows: body.map((r, i) => {
      const filled = r.filter((v) => v.trim() !== '').length;
      const section = i > 0 && filled === 2 && r[0].trim() !== '' && r[1]?.trim() !== '' && !/^\d/.test(r[0].trim());
      const cells = section
        ? [cell(r[0], true), new TableCell({ children: [new Paragraph({ children: runs(r[1], true) })], columnSpan: width - 1 })]
        : Array.from({ length: width }, (_, c) => cell(r[c] ?? '', i === 0));
      return new TableRow({ children: cells, tableHeader: i === 0, cantSplit: false });
    }),
  });
  return new Document({
    sections: [
      {
        properties: { page: { size: { orientation: PageOrientation.LANDSCAPE } } },
        // A running header and page numbers, as printed plans carry: the PDF reader must drop both.
        headers: { default: new Header({ children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun('Kế hoạch năm 2026 của Ban Chỉ đạo')] })] }) },
        footers: { default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT] })] })] }) },
        children: [...titles.map((r) => new Paragraph({ alignment: AlignmentType.CENTER, children: runs(r.join(' '), true) })), table],
      },
    ],
  });
}

function cell(value: string, bold: boolean): TableCell {
  return new TableCell({ children: [new Paragraph({ children: runs(text(value).replace(/<br\s*\/?>/gi, '\n'), bold) })] });
}

const NUMBERED = /^(?:\*\*)?(\d+)\.\s+/;
const BULLET = /^-\s+/;

/**
 * A letter as Word: "1." and "-" lines become Word list paragraphs (the numbers
 * then live in numbering.xml, as in a letter typed in Word), "**bold**" bold runs.
 * A numbered line whose number does not follow on from the list is kept as text.
 */
export function letterDocument(source: string): Document {
  let instance = 0;
  let expected = 0;
  const paragraphs = source
    .split(/\r\n|\r|\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => line.replace(/^#{1,6}\s+/, ''))
    .map((line) => {
      const numbered = NUMBERED.exec(line);
      if (numbered && Number(numbered[1]) === 1) {
        instance++;
        expected = 1;
      }
      if (numbered && Number(numbered[1]) === expected) {
        expected++;
        return new Paragraph({ numbering: { reference: 'decimal', level: 0, instance }, children: boldRuns(line.replace(/^(\*\*)?\d+\.\s+/, '$1')) });
      }
      if (BULLET.test(line)) return new Paragraph({ numbering: { reference: 'dash', level: 0 }, children: boldRuns(line.replace(BULLET, '')) });
      return new Paragraph({ children: boldRuns(line) });
    });
  return new Document({
    numbering: {
      config: [
        { reference: 'decimal', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', start: 1 }] },
        { reference: 'dash', levels: [{ level: 0, format: LevelFormat.BULLET, text: '-' }] },
      ],
    },
    sections: [{ children: paragraphs }],
  });
}

/** "**bold** plain <sup>1</sup>" → runs (bold, superscript); the text of each run cleaned as the text reader cleans a paragraph. */
function boldRuns(line: string): TextRun[] {
  return line.split('**').flatMap((part, i) =>
    part
      .replace(/<\/?(?:b|i|u|strong|em)>/gi, '')
      .replace(/\*([^*\n]+)\*/g, '$1')
      .split(/<sup>(.*?)(?:<\/sup>|$)/)
      .map((text, k) => ({ text, superScript: k % 2 === 1 }))
      .filter(({ text }) => text !== '')
      .map(({ text, superScript }) => new TextRun({ text, bold: i % 2 === 1, superScript })),
  );
}

export async function writeDocx(document: Document, file: string): Promise<void> {
  writeFileSync(file, await Packer.toBuffer(document));
}

/** LibreOffice conversion of `file` into `format` next to it (a private profile, so parallel runs do not collide). */
export function soffice(file: string, format: string, extension: string, target = file.replace(/\.[^.]+$/, `.${extension}`)): string {
  const work = mkdtempSync(path.join(os.tmpdir(), 'soffice-'));
  try {
    execFileSync(
      'soffice',
      [`-env:UserInstallation=file://${work}/profile`, '--headless', '--convert-to', format, '--outdir', work, file],
      { stdio: 'pipe', timeout: 180_000 },
    );
    copyFileSync(path.join(work, `${path.basename(file, path.extname(file))}.${extension}`), target);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return target;
}

const ENCRYPTED_PDF =
  'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"x"}}';

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  for (const seed of ANNEX_SEEDS) {
    const docx = path.join(OUT, seed.replace(/\.txt$/, '.docx'));
    await writeDocx(annexDocument(tabRows(readFileSync(path.join(SEEDS, seed), 'utf8'))), docx);
    soffice(docx, 'pdf', 'pdf');
  }
  for (const seed of LETTER_SEEDS) {
    const docx = path.join(OUT, seed.replace(/\.txt$/, '.docx'));
    await writeDocx(letterDocument(readFileSync(path.join(SEEDS, seed), 'utf8')), docx);
    soffice(docx, 'pdf', 'pdf');
  }
  const letter = path.join(OUT, '000-cong-van.docx');
  soffice(letter, 'doc', 'doc', path.join(OUT, 'refused-word-97.doc'));
  soffice(letter, ENCRYPTED_PDF, 'pdf', path.join(OUT, 'refused-password.pdf'));
  // A scan: the first page as a picture, put back into a PDF with no text layer.
  const work = mkdtempSync(path.join(os.tmpdir(), 'scan-'));
  try {
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', path.join(OUT, '000-cong-van.pdf'), path.join(work, 'scan')]);
    const picture = new ImageRun({ type: 'png', data: readFileSync(path.join(work, 'scan.png')), transformation: { width: 500, height: 700 } });
    const scanDocx = path.join(work, 'scan.docx');
    await writeDocx(new Document({ sections: [{ children: [new Paragraph({ children: [picture] })] }] }), scanDocx);
    soffice(scanDocx, 'pdf', 'pdf', path.join(OUT, 'refused-scanned.pdf'));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
