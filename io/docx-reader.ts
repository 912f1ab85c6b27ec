/**
 * Word (.docx) → DocumentContent: body paragraphs and tables in document order.
 * Uses only jszip and saxes (no Node modules) so the add-in bundles the same reader.
 *
 * What Word keeps outside the text is put back: list numbering ("1.", "a)", "-")
 * lives in numbering.xml and is materialised here; merged cells (gridSpan, vMerge)
 * become Grid merges; header rows repeated on later pages are dropped by
 * joinContinuedTables; footnote marks read "¹" and the footnotes follow the body as paragraphs "¹ text".
 */
import JSZip from 'jszip';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { CellValue, MergeRange } from '../shared/grid';
import type { DocumentBlock, DocumentContent } from '../shared/document';
import { joinContinuedTables } from '../shared/document-tables';
import { superscriptDigits } from '../shared/document-text';
import { InputError } from '../shared/errors';

/** Most characters the XML parts of a .docx may hold (a 300-page annex is ~30 MB of XML). */
const MAX_XML_CHARS = 150 * 1024 * 1024;

const notDocx = (name: string) =>
  new InputError(`Tệp ${name} không phải văn bản Word (.docx) hợp lệ`, `${name} is not a valid Word document (.docx)`, 'file.not_docx');

export async function readDocx(bytes: Uint8Array, name: string): Promise<DocumentContent> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch {
    throw notDocx(name);
  }
  const part = async (path: string): Promise<string | null> => {
    const file = zip.file(path);
    if (!file) return null;
    const xml = await file.async('string');
    if (xml.length > MAX_XML_CHARS) {
      throw new InputError(`Tệp ${name} quá lớn khi giải nén`, `${name} expands beyond the size limit`, 'file.too_large');
    }
    return xml;
  };
  const body = await part('word/document.xml');
  if (body === null) throw notDocx(name);
  const numbering = parseNumbering((await part('word/numbering.xml')) ?? '');
  const styles = parseStyleNumbering((await part('word/styles.xml')) ?? '');
  const counters = new ListCounters(numbering);
  const blocks = parseBody(body, counters, styles, name);
  const footnotes = await part('word/footnotes.xml');
  if (footnotes !== null) blocks.push(...parseFootnotes(footnotes, counters, styles, name));
  return { name, format: 'docx', blocks: joinContinuedTables(blocks) };
}

// ---------------------------------------------------------------- numbering

interface Level {
  start: number;
  format: string;
  text: string;
}

interface Numbering {
  /** numId → abstract id and per-level start overrides. */
  nums: Map<string, { abstractId: string; starts: Map<number, number> }>;
  abstracts: Map<string, Map<number, Level>>;
}

/** A paragraph's list membership: w:numPr, on the paragraph or its style. */
interface NumPr {
  numId: string;
  level: number;
}

function attr(node: SaxesTagPlain, name: string): string | undefined {
  const value = node.attributes[name];
  return typeof value === 'string' ? value : undefined;
}

function parseXml(xml: string, name: string, handlers: { open?: (n: SaxesTagPlain) => void; close?: (n: SaxesTagPlain) => void; text?: (t: string) => void }): void {
  const parser = new SaxesParser();
  if (handlers.open) parser.on('opentag', handlers.open);
  if (handlers.close) parser.on('closetag', handlers.close);
  if (handlers.text) parser.on('text', handlers.text);
  try {
    parser.write(xml).close();
  } catch {
    throw notDocx(name);
  }
}

export function parseNumbering(xml: string): Numbering {
  const numbering: Numbering = { nums: new Map(), abstracts: new Map() };
  if (xml === '') return numbering;
  let abstract: Map<number, Level> | null = null;
  let level: Level | null = null;
  let num: { abstractId: string; starts: Map<number, number> } | null = null;
  let overrideLevel = -1;
  parseXml(xml, 'numbering.xml', {
    open(node) {
      const val = attr(node, 'w:val');
      switch (node.name) {
        case 'w:abstractNum':
          abstract = new Map();
          numbering.abstracts.set(attr(node, 'w:abstractNumId') ?? '', abstract);
          break;
        case 'w:lvl':
          level = { start: 1, format: 'decimal', text: '' };
          abstract?.set(Number(attr(node, 'w:ilvl') ?? 0), level);
          break;
        case 'w:start':
          if (level) level.start = Number(val ?? 1);
          else if (num && overrideLevel >= 0) num.starts.set(overrideLevel, Number(val ?? 1));
          break;
        case 'w:startOverride':
          if (num && overrideLevel >= 0) num.starts.set(overrideLevel, Number(val ?? 1));
          break;
        case 'w:numFmt':
          if (level) level.format = val ?? 'decimal';
          break;
        case 'w:lvlText':
          if (level) level.text = val ?? '';
          break;
        case 'w:num':
          num = { abstractId: '', starts: new Map() };
          numbering.nums.set(attr(node, 'w:numId') ?? '', num);
          break;
        case 'w:abstractNumId':
          if (num) num.abstractId = val ?? '';
          break;
        case 'w:lvlOverride':
          overrideLevel = Number(attr(node, 'w:ilvl') ?? 0);
          break;
      }
    },
    close(node) {
      if (node.name === 'w:lvl') level = null;
      else if (node.name === 'w:abstractNum') abstract = null;
      else if (node.name === 'w:num') num = null;
      else if (node.name === 'w:lvlOverride') overrideLevel = -1;
    },
  });
  return numbering;
}

/** Style id → the list its paragraphs belong to (headings numbered through their style). */
function parseStyleNumbering(xml: string): Map<string, NumPr> {
  const styles = new Map<string, NumPr>();
  if (xml === '') return styles;
  let styleId: string | null = null;
  let numPr: Partial<NumPr> | null = null;
  parseXml(xml, 'styles.xml', {
    open(node) {
      if (node.name === 'w:style') styleId = attr(node, 'w:styleId') ?? null;
      else if (node.name === 'w:numPr' && styleId) numPr = {};
      else if (node.name === 'w:numId' && numPr) numPr.numId = attr(node, 'w:val');
      else if (node.name === 'w:ilvl' && numPr) numPr.level = Number(attr(node, 'w:val') ?? 0);
    },
    close(node) {
      if (node.name === 'w:numPr' && styleId && numPr?.numId) styles.set(styleId, { numId: numPr.numId, level: numPr.level ?? 0 });
      if (node.name === 'w:numPr') numPr = null;
      if (node.name === 'w:style') styleId = null;
    },
  });
  return styles;
}

/** Word's counters: one per list and level; a level's use restarts the levels below it. */
class ListCounters {
  private readonly counts = new Map<string, number[]>();

  constructor(private readonly numbering: Numbering) {}

  /** The label Word shows before the paragraph ("2.", "b)", "-"), or "" when none. */
  next({ numId, level }: NumPr): string {
    const num = this.numbering.nums.get(numId);
    const levels = num && this.numbering.abstracts.get(num.abstractId);
    if (!num || !levels || numId === '0') return '';
    const startOf = (l: number) => num.starts.get(l) ?? levels.get(l)?.start ?? 1;
    // Lists sharing an abstract definition share counters, as in Word, unless one restarts.
    const key = num.starts.size > 0 ? `n${numId}` : `a${num.abstractId}`;
    let counts = this.counts.get(key);
    if (!counts) this.counts.set(key, (counts = []));
    for (let l = 0; l < level; l++) if (counts[l] === undefined) counts[l] = startOf(l);
    counts[level] = counts[level] === undefined ? startOf(level) : counts[level] + 1;
    counts.length = level + 1;
    const def = levels.get(level);
    if (!def || def.format === 'none') return '';
    if (def.format === 'bullet') return bulletText(def.text);
    return def.text.replace(/%([1-9])/g, (_, n: string) => {
      const l = Number(n) - 1;
      return formatNumber(counts[l] ?? startOf(l), levels.get(l)?.format ?? 'decimal');
    });
  }
}

/** Symbol and Wingdings bullets are private-use characters; the text shows them as "-" (the Vietnamese dash list). */
function bulletText(text: string): string {
  const t = text.trim();
  if (t === '' || /[\ue000-\uf8ff]/.test(t) || t === '•' || t === '▪' || t === '●' || t === 'o' || t === '§') return '-';
  return t;
}

function formatNumber(n: number, format: string): string {
  switch (format) {
    case 'lowerLetter':
      return letters(n).toLowerCase();
    case 'upperLetter':
      return letters(n);
    case 'lowerRoman':
      return roman(n).toLowerCase();
    case 'upperRoman':
      return roman(n);
    case 'decimalZero':
      return n < 10 ? `0${n}` : String(n);
    default:
      return String(n);
  }
}

/** Word repeats the letter past z: 27 → "AA". */
function letters(n: number): string {
  const letter = String.fromCharCode(65 + ((n - 1) % 26));
  return letter.repeat(Math.floor((n - 1) / 26) + 1);
}

function roman(n: number): string {
  const table: [number, string][] = [
    [1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'],
    [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I'],
  ];
  let s = '';
  for (const [value, numeral] of table) for (; n >= value; n -= value) s += numeral;
  return s;
}

// ---------------------------------------------------------------- body

interface CellState {
  column: number;
  span: number;
  /** 'restart' | 'continue' | null */
  vMerge: string | null;
  lines: string[];
}

interface TableState {
  rows: CellValue[][];
  merges: MergeRange[];
  /** Rows marked w:tblHeader (repeated on each page). */
  headerRows: number;
  row: CellValue[] | null;
  column: number;
  cell: CellState | null;
  /** Open vertical merges by grid column: the merge being extended. */
  open: Map<number, MergeRange>;
  rowIsHeader: boolean;
}

interface ParagraphState {
  text: string;
  numPr: Partial<NumPr>;
  style: string | null;
  inNumPr: boolean;
}

/**
 * Walks document.xml (or footnotes.xml) once. Tables nested in a cell are read
 * as lines of that cell; text boxes are read as paragraphs of their own.
 */
function parseBody(xml: string, counters: ListCounters, styles: Map<string, NumPr>, name: string): DocumentBlock[];
/** With `noteTag`: one paragraph per note element, its text joined and `note` its w:id. */
function parseBody(xml: string, counters: ListCounters, styles: Map<string, NumPr>, name: string, noteTag: string): (DocumentBlock & { note?: string })[];
function parseBody(xml: string, counters: ListCounters, styles: Map<string, NumPr>, name: string, noteTag?: string): (DocumentBlock & { note?: string })[] {
  let blocks: DocumentBlock[] = [];
  const notes: (DocumentBlock & { note?: string })[] = [];
  const paragraphs: ParagraphState[] = [];
  let table: TableState | null = null;
  let tableDepth = 0;
  let inText = false;
  /** The run being read is raised (w:vertAlign superscript): its digits are footnote marks. */
  let superscript = false;
  /** Inside content that is not shown: deleted revisions, hidden runs' fallbacks, field instructions. */
  let skipDepth = 0;
  let tableIndex = 0;

  const current = () => paragraphs[paragraphs.length - 1];
  const append = (s: string) => {
    const p = current();
    if (p && skipDepth === 0) p.text += s;
  };

  const closeCell = (t: TableState) => {
    const cell = t.cell;
    if (!cell || !t.row) return;
    const text = cell.lines.join('\n').trim();
    const rowIndex = t.rows.length;
    if (cell.vMerge === 'continue') {
      const merge = t.open.get(cell.column);
      if (merge) merge.bottom = rowIndex;
      // A continued cell's text (rare) joins the merged cell's top.
      if (text !== '' && merge) {
        const top = t.rows[merge.top][merge.left];
        t.rows[merge.top][merge.left] = top === null || top === undefined || top === '' ? text : `${String(top)}\n${text}`;
      }
    } else {
      while (t.row.length < cell.column) t.row.push(null);
      t.row[cell.column] = text === '' ? null : text;
      for (let c = cell.column; c < cell.column + cell.span; c++) t.open.delete(c);
      if (cell.vMerge === 'restart' || cell.span > 1) {
        const merge = { top: rowIndex, left: cell.column, bottom: rowIndex, right: cell.column + cell.span - 1 };
        t.merges.push(merge);
        if (cell.vMerge === 'restart') t.open.set(cell.column, merge);
      }
    }
    t.column = cell.column + cell.span;
    t.cell = null;
  };

  parseXml(xml, name, {
    open(node) {
      if (skipDepth > 0) {
        skipDepth++;
        return;
      }
      if (node.name === noteTag) blocks = [];
      switch (node.name) {
        case 'w:del':
        case 'w:instrText':
        case 'mc:Fallback':
        case 'w:footnoteReference':
        case 'w:endnoteReference':
          // The mark as the page shows it: a raised number.
          if (node.name === 'w:footnoteReference') append(superscriptDigits(attr(node, 'w:id') ?? ''));
          skipDepth = 1;
          return;
        case 'w:tbl':
          tableDepth++;
          if (tableDepth === 1) {
            table = { rows: [], merges: [], headerRows: 0, row: null, column: 0, cell: null, open: new Map(), rowIsHeader: false };
          }
          return;
        case 'w:tr':
          if (tableDepth === 1 && table) {
            table.row = [];
            table.column = 0;
            table.rowIsHeader = false;
          }
          return;
        case 'w:tblHeader':
          if (tableDepth === 1 && table && attr(node, 'w:val') !== 'false' && attr(node, 'w:val') !== '0') table.rowIsHeader = true;
          return;
        case 'w:gridBefore':
          if (tableDepth === 1 && table) table.column += Number(attr(node, 'w:val') ?? 0);
          return;
        case 'w:tc':
          if (tableDepth === 1 && table) table.cell = { column: table.column, span: 1, vMerge: null, lines: [] };
          return;
        case 'w:gridSpan':
          if (tableDepth === 1 && table?.cell) table.cell.span = Math.max(1, Number(attr(node, 'w:val') ?? 1));
          return;
        case 'w:vMerge':
          if (tableDepth === 1 && table?.cell) table.cell.vMerge = attr(node, 'w:val') === 'restart' ? 'restart' : 'continue';
          return;
        case 'w:p':
          paragraphs.push({ text: '', numPr: {}, style: null, inNumPr: false });
          return;
        case 'w:pStyle':
          if (current()) current().style = attr(node, 'w:val') ?? null;
          return;
        case 'w:numPr':
          if (current()) current().inNumPr = true;
          return;
        case 'w:numId':
          if (current()?.inNumPr) current().numPr.numId = attr(node, 'w:val');
          return;
        case 'w:ilvl':
          if (current()?.inNumPr) current().numPr.level = Number(attr(node, 'w:val') ?? 0);
          return;
        case 'w:t':
          inText = true;
          return;
        case 'w:r':
          superscript = false;
          return;
        case 'w:vertAlign':
          superscript = attr(node, 'w:val') === 'superscript';
          return;
        case 'w:tab':
        case 'w:ptab':
          // w:tab inside w:tabs (paragraph properties) is a tab stop, not text.
          if (!current()?.inNumPr && attr(node, 'w:pos') === undefined) append('\t');
          return;
        case 'w:br':
        case 'w:cr':
          append('\n');
          return;
        case 'w:noBreakHyphen':
          append('-');
          return;
        case 'w:vanish':
          return;
      }
    },
    text(t) {
      if (inText && skipDepth === 0) append(superscript && /^\d+$/.test(t) ? superscriptDigits(t) : t);
    },
    close(node) {
      if (skipDepth > 0) {
        skipDepth--;
        return;
      }
      if (node.name === noteTag) {
        const text = blocks.map((b) => (b.kind === 'paragraph' ? b.text : '')).join(' ').trim();
        notes.push({ kind: 'paragraph', text, note: attr(node, 'w:id') });
      }
      switch (node.name) {
        case 'w:t':
          inText = false;
          return;
        case 'w:numPr':
          if (current()) current().inNumPr = false;
          return;
        case 'w:p': {
          const p = paragraphs.pop();
          if (!p) return;
          const numPr = p.numPr.numId !== undefined ? { numId: p.numPr.numId, level: p.numPr.level ?? 0 } : p.style ? styles.get(p.style) : undefined;
          const label = numPr ? counters.next(numPr) : '';
          const text = (label ? `${label} ${p.text.replace(/^\s+/, '')}` : p.text).replace(/[ \t]*\n[ \t]*/g, '\n');
          if (tableDepth > 0 && table?.cell) {
            // In a table: the cell's lines; a nested table's cells add lines to the outer cell.
            if (text.trim() !== '') table.cell.lines.push(text.replace(/\t+/g, ' ').trim());
          } else if (text.trim() !== '') {
            blocks.push({ kind: 'paragraph', text: text.replace(/[\t\n]+/g, ' ').replace(/ {2,}/g, ' ').trim() });
          }
          return;
        }
        case 'w:tc':
          if (tableDepth === 1 && table) closeCell(table);
          return;
        case 'w:tr':
          if (tableDepth === 1 && table?.row) {
            if (table.rowIsHeader && table.headerRows === table.rows.length) table.headerRows++;
            table.rows.push(table.row);
            table.row = null;
          }
          return;
        case 'w:tbl':
          tableDepth--;
          if (tableDepth === 0 && table) {
            const t: TableState = table;
            table = null;
            if (t.rows.some((r) => r.some((v) => v !== null))) {
              tableIndex++;
              blocks.push({ kind: 'table', grid: { sheet: `Bảng ${tableIndex}`, rows: t.rows, merges: t.merges, firstRow: 1 }, headerRows: t.headerRows || undefined });
            }
          }
          return;
      }
    },
  });
  return noteTag ? notes : blocks;
}

/** Footnotes (ids 1 and up; -1 and 0 are Word's separators) as "¹ text" paragraphs after the body. */
function parseFootnotes(xml: string, counters: ListCounters, styles: Map<string, NumPr>, name: string): DocumentBlock[] {
  const notes: DocumentBlock[] = [];
  for (const note of parseBody(xml, counters, styles, name, 'w:footnote')) {
    if (note.kind === 'paragraph' && Number(note.note) >= 1 && note.text !== '') notes.push({ kind: 'paragraph', text: `${superscriptDigits(note.note ?? '')} ${note.text}`, role: 'footnote' });
  }
  return notes;
}
