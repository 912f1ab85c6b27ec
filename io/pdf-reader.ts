/**
 * PDF (with a text layer) → DocumentContent, through pdf.js. No Node modules here:
 * the caller hands in the pdf.js module it loaded (Node in io/read-document, the
 * browser in the add-in), so both read PDFs alike.
 *
 * Per page: the ruling lines (stroked paths and thin filled rectangles) give the
 * tables — cells between the lines, a missing line between two cells merges them —;
 * the text items inside a cell are its text, wrapped lines joined with a space.
 * The other items make lines, and lines make paragraphs in reading order (a list
 * marker, a wide gap or a short last line ends one). Page numbers and lines that
 * repeat in the page margins (headers, footers) are dropped; tables cut by a page
 * break are joined by joinContinuedTables, their repeated header rows dropped.
 */
import type { CellValue, MergeRange } from '../shared/grid';
import type { DocumentBlock, DocumentContent } from '../shared/document';
import { joinContinuedTables } from '../shared/document-tables';
import { superscriptDigits } from '../shared/document-text';
import { InputError } from '../shared/errors';

/** The part of pdf.js used here (pdfjs-dist's legacy build in Node, the modern one in browsers). */
export interface PdfJs {
  getDocument(params: Record<string, unknown>): { promise: Promise<PdfDocument>; destroy(): Promise<void> };
  OPS: Record<string, number>;
}

interface PdfDocument {
  numPages: number;
  getPage(n: number): Promise<PdfPage>;
  destroy(): Promise<void>;
}

interface PdfPage {
  view: number[];
  getTextContent(): Promise<{ items: unknown[] }>;
  getOperatorList(): Promise<{ fnArray: number[]; argsArray: unknown[][] }>;
  cleanup(): void;
}

interface TextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
}

/** A piece of text on the page, in PDF units with y growing upwards. */
interface Word {
  text: string;
  x: number;
  right: number;
  /** Baseline. */
  y: number;
  size: number;
}

interface Segment {
  /** Horizontal: y, from x1 to x2. Vertical: x, from y1 to y2 (stored in `at`, `from`, `to`). */
  at: number;
  from: number;
  to: number;
}

/** Distance (PDF points) within which two ruling lines are the same line, or a line touches another. */
const SNAP = 2.5;
/** Fraction of the page height, top and bottom, where headers, footers and page numbers live. */
const MARGIN_BAND = 0.12;
const PAGE_NUMBER = /^(?:trang|page)?\s*[-–—]?\s*\d{1,4}\s*[-–—]?\s*(?:(?:\/|of|trên)\s*\d{1,4})?$/i;
/** Starts of list items: "1.", "1.2.", "a)", "-", "+", "•", "(1)", "II.", "Điều 3." */
const LIST_MARKER = /^(?:\d{1,3}(?:\.\d{1,3})*[.)]|[a-zđ][.)]|[-–+•▪●]|\(\d{1,3}\)|[IVXLC]{1,6}[.)]|(?:Điều|Mục|Phần|Chương)\s+\d)(?:\s|$)/;

/** A footnote's text starts with its raised number; it ends where its last line ends. */
const FOOTNOTE_MARK = /^[¹²³⁴⁵⁶⁷⁸⁹⁰]/;

export const scannedPdf = (name: string) =>
  new InputError(
    `Tệp ${name} là bản quét (ảnh), không có lớp chữ: hãy nhận dạng chữ (OCR) hoặc xin bản Word (.docx) của văn bản`,
    `${name} is a scanned PDF with no text layer: run OCR on it or ask for the Word file (.docx)`,
    'file.scanned_pdf',
  );

export async function readPdfWith(pdfjs: PdfJs, bytes: Uint8Array, name: string, options: Record<string, unknown> = {}): Promise<DocumentContent> {
  // pdf.js takes ownership of the buffer it is given: hand it a copy.
  const task = pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, verbosity: 0, ...options });
  let document: PdfDocument;
  try {
    document = await task.promise;
  } catch (error) {
    throw openError(error, name);
  }
  try {
    const pages: PageContent[] = [];
    for (let n = 1; n <= document.numPages; n++) {
      const page = await document.getPage(n);
      pages.push(await readPage(pdfjs, page, n));
      page.cleanup();
    }
    if (pages.every((p) => p.words.length === 0 && p.tables.every((t) => t.words.length === 0))) throw scannedPdf(name);
    dropMarginLines(pages);
    const blocks = joinPageBreaks(pages.flatMap(pageBlocks));
    return { name, format: 'pdf', blocks: joinContinuedTables(blocks) };
  } finally {
    await document.destroy();
  }
}

function openError(error: unknown, name: string): InputError {
  const kind = (error as { name?: string }).name;
  if (kind === 'PasswordException') {
    return new InputError(
      `Tệp ${name} có mật khẩu: hãy mở bằng trình đọc PDF, bỏ mật khẩu (hoặc xin bản không đặt mật khẩu) rồi gửi lại`,
      `${name} is password-protected: open it in a PDF reader and save it without the password (or ask for an unprotected copy)`,
      'file.encrypted',
    );
  }
  return new InputError(`Tệp ${name} không phải PDF hợp lệ hoặc bị hỏng`, `${name} is not a valid PDF, or it is damaged`, 'file.not_pdf');
}

// ---------------------------------------------------------------- one page

interface PageContent {
  number: number;
  height: number;
  /** Words outside the tables. */
  words: Word[];
  tables: { table: Table; words: Word[] }[];
}

async function readPage(pdfjs: PdfJs, page: PdfPage, number: number): Promise<PageContent> {
  const [, bottom, , top] = page.view;
  const content = await page.getTextContent();
  const words: Word[] = [];
  for (const raw of content.items) {
    const item = raw as TextItem;
    if (typeof item.str !== 'string' || item.str.trim() === '') continue;
    const [a, b, , d, e, f] = item.transform;
    // Rotated text (stamps, margin notes) is not body text.
    if (Math.abs(b) > Math.abs(a) * 0.1) continue;
    const size = Math.abs(d) || item.height || 10;
    words.push({ text: item.str.normalize('NFC'), x: e, right: e + item.width, y: f, size });
  }
  const { horizontal, vertical } = rulingLines(pdfjs, await page.getOperatorList());
  const tables: PageContent['tables'] = [];
  let free = words;
  for (const table of findTables(horizontal, vertical)) {
    tables.push({ table, words: free.filter((w) => inside(w, table)) });
    free = free.filter((w) => !inside(w, table));
  }
  return { number, height: top - bottom, words: free, tables };
}

/** Axis-aligned strokes, and filled rectangles thin enough to be lines, in page space. */
function rulingLines(pdfjs: PdfJs, ops: { fnArray: number[]; argsArray: unknown[][] }): { horizontal: Segment[]; vertical: Segment[] } {
  const { OPS } = pdfjs;
  const horizontal: Segment[] = [];
  const vertical: Segment[] = [];
  const stroke = new Set([OPS.stroke, OPS.closeStroke, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke]);
  const fill = new Set([OPS.fill, OPS.eoFill]);
  let ctm = [1, 0, 0, 1, 0, 0];
  const stack: number[][] = [];
  const point = (x: number, y: number): [number, number] => [ctm[0] * x + ctm[2] * y + ctm[4], ctm[1] * x + ctm[3] * y + ctm[5]];
  const add = (x1: number, y1: number, x2: number, y2: number) => {
    if (Math.abs(y1 - y2) <= 1 && Math.abs(x1 - x2) > SNAP) horizontal.push({ at: (y1 + y2) / 2, from: Math.min(x1, x2), to: Math.max(x1, x2) });
    else if (Math.abs(x1 - x2) <= 1 && Math.abs(y1 - y2) > SNAP) vertical.push({ at: (x1 + x2) / 2, from: Math.min(y1, y2), to: Math.max(y1, y2) });
  };
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i];
    const args = ops.argsArray[i];
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.transform) {
      const [a, b, c, d, e, f] = args as number[];
      const m = ctm;
      ctm = [m[0] * a + m[2] * b, m[1] * a + m[3] * b, m[0] * c + m[2] * d, m[1] * c + m[3] * d, m[0] * e + m[2] * f + m[4], m[1] * e + m[3] * f + m[5]];
    } else if (fn === OPS.constructPath) {
      const paint = args[0] as number;
      const data = (args[1] as ArrayLike<number>[] | null)?.[0];
      if (!data || (!stroke.has(paint) && !fill.has(paint))) continue;
      const points = pathPoints(data).map((subpath) => subpath.map(([x, y]) => point(x, y)));
      for (const subpath of points) {
        if (stroke.has(paint)) {
          for (let k = 1; k < subpath.length; k++) add(subpath[k - 1][0], subpath[k - 1][1], subpath[k][0], subpath[k][1]);
        } else {
          const xs = subpath.map((p) => p[0]);
          const ys = subpath.map((p) => p[1]);
          const [x1, x2, y1, y2] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
          // A filled rectangle a few points thin is how many producers draw a border.
          if (y2 - y1 <= 3 && x2 - x1 > SNAP) add(x1, (y1 + y2) / 2, x2, (y1 + y2) / 2);
          else if (x2 - x1 <= 3 && y2 - y1 > SNAP) add((x1 + x2) / 2, y1, (x1 + x2) / 2, y2);
        }
      }
    }
  }
  return { horizontal, vertical };
}

/** pdf.js 5 path data: op codes (0 moveTo, 1 lineTo, 2 curveTo, 3 quadraticCurveTo, 4 closePath) each followed by its points. */
function pathPoints(data: ArrayLike<number>): [number, number][][] {
  const subpaths: [number, number][][] = [];
  let current: [number, number][] = [];
  for (let i = 0; i < data.length; ) {
    const op = data[i++];
    if (op === 0) {
      if (current.length > 1) subpaths.push(current);
      current = [[data[i], data[i + 1]]];
      i += 2;
    } else if (op === 1) {
      current.push([data[i], data[i + 1]]);
      i += 2;
    } else if (op === 2) {
      // A curve ends a straight run: keep its end point only, breaking the line.
      if (current.length > 1) subpaths.push(current);
      current = [[data[i + 4], data[i + 5]]];
      i += 6;
    } else if (op === 3) {
      if (current.length > 1) subpaths.push(current);
      current = [[data[i + 2], data[i + 3]]];
      i += 4;
    } else if (op === 4) {
      if (current.length > 1) current.push(current[0]);
    } else {
      break;
    }
  }
  if (current.length > 1) subpaths.push(current);
  return subpaths;
}

// ---------------------------------------------------------------- margins

/** Page numbers, and lines repeated in the top or bottom band of most pages (running headers, footers). */
function dropMarginLines(pages: PageContent[]): void {
  const pageLines = pages.map((page) => {
    const lines = textLines(page.words);
    if (lines.length === 0) return { page, lines };
    // Bands measured from the text's own extent, so margins of any size work.
    const band = (page.height * MARGIN_BAND) / 2;
    const [top, bottom] = [lines[0].y, lines[lines.length - 1].y];
    return { page, lines: lines.filter((line) => line.y <= bottom + band || line.y >= top - band) };
  });
  const key = (line: Line) => line.words.map((w) => w.text).join(' ').replace(/\d+/g, '#').replace(/\s+/g, ' ').trim().toLowerCase();
  const seen = new Map<string, number>();
  for (const { lines } of pageLines) for (const k of new Set(lines.map(key))) seen.set(k, (seen.get(k) ?? 0) + 1);
  const repeated = (k: string) => pages.length >= 3 && (seen.get(k) ?? 0) >= Math.max(3, pages.length / 2);
  for (const { page, lines } of pageLines) {
    const drop = new Set<Word>();
    for (const line of lines) {
      const text = line.words.map((w) => w.text).join(' ').trim();
      if (PAGE_NUMBER.test(text) || repeated(key(line))) for (const w of line.words) drop.add(w);
    }
    if (drop.size > 0) page.words = page.words.filter((w) => !drop.has(w));
  }
}

// ---------------------------------------------------------------- lines

interface Line {
  words: Word[];
  y: number;
  x: number;
  right: number;
  size: number;
}

/** Words grouped into lines (same baseline, within a third of the font size), top to bottom, each left to right. */
function textLines(words: Word[]): Line[] {
  const sorted = [...words].sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: Line[] = [];
  for (const word of sorted) {
    const line = lines[lines.length - 1];
    // A smaller word (a raised footnote mark) may sit half its line's height off the baseline.
    const reach = Math.max(line?.size ?? 0, word.size) * (line && Math.abs(line.size - word.size) > 1 ? 0.5 : 1 / 3);
    if (line && Math.abs(line.y - word.y) <= reach) {
      line.words.push(word);
      line.right = Math.max(line.right, word.right);
      line.x = Math.min(line.x, word.x);
      if (word.size > line.size) [line.size, line.y] = [word.size, word.y];
    } else {
      lines.push({ words: [word], y: word.y, x: word.x, right: word.right, size: word.size });
    }
  }
  for (const line of lines) line.words.sort((a, b) => a.x - b.x);
  return lines;
}

/** A line's text: words joined, with a space where the gap between them shows one; raised small digits are footnote marks ("¹"). */
function lineText(words: Word[]): string {
  const size = Math.max(...words.map((w) => w.size));
  const baseline = words.find((w) => w.size === size)?.y ?? 0;
  let text = '';
  let right = -Infinity;
  for (const w of words) {
    const gap = w.x - right;
    const raised = w.size <= size * 0.8 && w.y > baseline + size * 0.15 && /^\d{1,3}$/.test(w.text.trim());
    if (text !== '' && !raised && gap > w.size * 0.15 && !text.endsWith(' ') && !w.text.startsWith(' ')) text += ' ';
    text += raised ? superscriptDigits(w.text.trim()) : w.text;
    right = w.right;
  }
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * A line split where the gap between words is wide (two columns side by side: the
 * letterhead), but not after a list marker, which a tab keeps apart from its text.
 */
function columnsOf(line: Line): Line[] {
  const parts: Line[] = [];
  for (const w of line.words) {
    const part = parts[parts.length - 1];
    if (part && (w.x - part.right < Math.max(w.size, part.size) * 3 || LIST_MARKER.test(`${lineText(part.words)} `))) {
      part.words.push(w);
      part.right = Math.max(part.right, w.right);
    } else {
      parts.push({ words: [w], y: line.y, x: w.x, right: w.right, size: w.size });
    }
  }
  return parts;
}

// ---------------------------------------------------------------- tables

interface Table {
  /** Column boundaries left to right, row boundaries top to bottom (descending y). */
  xs: number[];
  ys: number[];
  horizontal: Segment[];
  vertical: Segment[];
}

/** Clusters of values within SNAP, each replaced by its mean. */
function cluster(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last && v - last[last.length - 1] <= SNAP) last.push(v);
    else out.push([v]);
  }
  return out.map((c) => c.reduce((s, v) => s + v, 0) / c.length);
}

/** Ruling lines that touch each other make one table; a table needs two rows and two columns of lines. */
function findTables(horizontal: Segment[], vertical: Segment[]): Table[] {
  const all = [...horizontal.map((s) => ({ s, h: true })), ...vertical.map((s) => ({ s, h: false }))];
  const parent = all.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (let i = 0; i < all.length; i++) {
    if (!all[i].h) continue;
    const h = all[i].s;
    for (let j = 0; j < all.length; j++) {
      if (all[j].h) continue;
      const v = all[j].s;
      if (v.at >= h.from - SNAP && v.at <= h.to + SNAP && h.at >= v.from - SNAP && h.at <= v.to + SNAP) parent[find(i)] = find(j);
    }
  }
  const groups = new Map<number, { horizontal: Segment[]; vertical: Segment[] }>();
  all.forEach((item, i) => {
    const root = find(i);
    if (!groups.has(root)) groups.set(root, { horizontal: [], vertical: [] });
    (item.h ? groups.get(root)!.horizontal : groups.get(root)!.vertical).push(item.s);
  });
  const tables: Table[] = [];
  for (const g of groups.values()) {
    const xs = cluster(g.vertical.map((s) => s.at));
    const ys = cluster(g.horizontal.map((s) => s.at)).reverse();
    if (xs.length >= 2 && ys.length >= 2) tables.push({ xs, ys, ...g });
  }
  return tables;
}

/** Whether a ruling line runs along `at` over the middle of [from, to]. */
function ruled(segments: Segment[], at: number, from: number, to: number): boolean {
  const mid = (from + to) / 2;
  return segments.some((s) => Math.abs(s.at - at) <= SNAP && s.from <= mid + SNAP && s.to >= mid - SNAP);
}

/** The table's cells, merged where no line separates them, filled with the words inside them. */
function tableGrid(table: Table, words: Word[]): { rows: CellValue[][]; merges: MergeRange[] } {
  const { xs, ys } = table;
  const nRows = ys.length - 1;
  const nCols = xs.length - 1;
  const parent = Array.from({ length: nRows * nCols }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const union = (a: number, b: number) => {
    const [ra, rb] = [find(a), find(b)];
    // The top-left cell stays the root, so it holds the merged cell's text.
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  for (let r = 0; r < nRows; r++) {
    for (let c = 0; c < nCols; c++) {
      if (c + 1 < nCols && !ruled(table.vertical, xs[c + 1], ys[r + 1], ys[r])) union(r * nCols + c, r * nCols + c + 1);
      if (r + 1 < nRows && !ruled(table.horizontal, ys[r + 1], xs[c], xs[c + 1])) union(r * nCols + c, (r + 1) * nCols + c);
    }
  }
  const cellWords = new Map<number, Word[]>();
  for (const w of words) {
    const c = xs.findIndex((x, i) => i < nCols && w.x + 0.5 >= x && w.x + 0.5 < xs[i + 1]);
    const mid = w.y + w.size * 0.3;
    const r = ys.findIndex((y, i) => i < nRows && mid <= y && mid > ys[i + 1]);
    if (c < 0 || r < 0) continue;
    const root = find(r * nCols + c);
    if (!cellWords.has(root)) cellWords.set(root, []);
    cellWords.get(root)!.push(w);
  }
  const rows: CellValue[][] = Array.from({ length: nRows }, () => []);
  const extent = new Map<number, MergeRange>();
  for (let i = 0; i < nRows * nCols; i++) {
    const root = find(i);
    const [r, c] = [Math.floor(i / nCols), i % nCols];
    const m = extent.get(root);
    if (m) {
      m.bottom = Math.max(m.bottom, r);
      m.right = Math.max(m.right, c);
    } else {
      extent.set(root, { top: r, left: c, bottom: r, right: c });
    }
  }
  for (const [root, w] of cellWords) {
    const [r, c] = [Math.floor(root / nCols), root % nCols];
    while (rows[r].length < c) rows[r].push(null);
    rows[r][c] = cellText(w);
  }
  for (const row of rows) while (row.length > 0 && row[row.length - 1] === null) row.pop();
  const merges = [...extent.values()].filter((m) => m.bottom > m.top || m.right > m.left);
  return { rows, merges };
}

/** A cell's lines joined with a space (text wrapped by the cell's width); a list marker starts a new line. */
function cellText(words: Word[]): string {
  return textLines(words)
    .map((line) => lineText(line.words))
    .reduce((text, line) => (text === '' ? line : `${text}${lineJoint(text, line)}${line}`), '');
}

/** What joins a wrapped line to the text before: nothing after a word cut at "-" or "/" ("57-" + "NQ/TW"), a line break before a list marker, else a space. */
function lineJoint(before: string, line: string): string {
  if (LIST_MARKER.test(line)) return '\n';
  return /[^\s][-/]$/.test(before) ? '' : ' ';
}

// ---------------------------------------------------------------- blocks

/** Whether a word stands inside a table's outer lines (its start and its middle height). */
function inside(w: Word, t: Table): boolean {
  const mid = w.y + w.size * 0.3;
  return w.x + 0.5 >= t.xs[0] && w.x + 0.5 <= t.xs[t.xs.length - 1] && mid <= t.ys[0] && mid >= t.ys[t.ys.length - 1];
}

function pageBlocks(page: PageContent): DocumentBlock[] {
  const placed: { top: number; block: DocumentBlock }[] = [];
  for (const { table, words } of page.tables) {
    const { rows, merges } = tableGrid(table, words);
    if (rows.every((r) => r.length === 0)) continue;
    placed.push({ top: table.ys[0], block: { kind: 'table', grid: { sheet: `Trang ${page.number}`, rows, merges, firstRow: 1 }, page: page.number } });
  }
  for (const p of paragraphs(textLines(page.words))) placed.push({ top: p.y, block: { kind: 'paragraph', text: p.text, page: page.number } });
  return placed.sort((a, b) => b.top - a.top).map((p) => p.block);
}

/** Lines into paragraphs: a list marker, a gap wider than the usual line spacing, or a short line before ends a paragraph. */
function paragraphs(lines: Line[]): { y: number; text: string }[] {
  const parts = lines.flatMap(columnsOf);
  const single = lines.filter((l) => columnsOf(l).length === 1);
  const spacing = median(single.slice(1).map((l, i) => single[i].y - l.y).filter((d) => d > 0)) ?? 14;
  const right = Math.max(...single.map((l) => l.right), 0);
  const left = Math.min(...single.map((l) => l.x), Infinity);
  const out: { y: number; text: string; last: Line }[] = [];
  for (const part of parts) {
    const text = lineText(part.words);
    const previous = out[out.length - 1];
    const sameLine = previous && Math.abs(previous.last.y - part.y) < 1;
    const full = previous !== undefined && previous.last.right >= right - (right - left) * 0.12;
    const open = previous !== undefined && !/[.:;!?]$/.test(previous.text) && !FOOTNOTE_MARK.test(previous.text);
    const continues =
      previous &&
      // "./." closes the body of an official document: what follows ("Nơi nhận:") is not part of it.
      !previous.text.endsWith('./.') &&
      !sameLine &&
      previous.last.y - part.y <= spacing * 1.4 &&
      Math.abs(part.x - left) < part.size * 4 &&
      // A full line before means the text wrapped, even onto a "(5)" that is no list item; else the sentence must go on in lower case.
      (LIST_MARKER.test(text) ? full && open : full || (open && startsLower(text)));
    if (continues) {
      previous.text = `${previous.text}${lineJoint(previous.text, text).replace('\n', ' ')}${text}`;
      previous.last = part;
    } else {
      out.push({ y: part.y, text, last: part });
    }
  }
  return out.map(({ y, text }) => ({ y, text }));
}

/** A paragraph cut by a page break: the first of the next page goes on in lower case after one left open. */
function joinPageBreaks(blocks: DocumentBlock[]): DocumentBlock[] {
  const out: DocumentBlock[] = [];
  for (const block of blocks) {
    const previous = out[out.length - 1];
    if (
      block.kind === 'paragraph' &&
      previous?.kind === 'paragraph' &&
      block.page === (previous.page ?? 0) + 1 &&
      !/[.:;!?]$/.test(previous.text) &&
      !FOOTNOTE_MARK.test(previous.text) &&
      !LIST_MARKER.test(block.text) &&
      startsLower(block.text)
    ) {
      out[out.length - 1] = { ...previous, text: `${previous.text}${lineJoint(previous.text, block.text)}${block.text}` };
    } else {
      out.push(block);
    }
  }
  return out;
}

function startsLower(text: string): boolean {
  const c = text.charAt(0);
  return (c !== c.toUpperCase() && c === c.toLowerCase()) || /\d/.test(c);
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
