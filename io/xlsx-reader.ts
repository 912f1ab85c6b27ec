/**
 * .xlsx (Office Open XML) into Grids by streaming each sheet's XML through a
 * SAX parser: no workbook model is built, memory follows the cells kept, and
 * the limits refuse a hostile sheet from its `<dimension>` or as its rows
 * stream by. Reads shared and inline strings (rich text runs joined, phonetic
 * runs left out), cached formula results, booleans, dates (by the cell's
 * number format, 1900 or 1904 based) and merges.
 */
import { columnLetter, type CellValue, type Grid, type MergeRange } from '../shared/grid';
import { dayOf, serialDay } from './cell-day';
import type { GridBudget } from './grid-limits';
import { localName, parseXml, streamXml } from './xml';
import { notWorkbook, type ZipArchive } from './zip';

const REL_WORKSHEET = /\/worksheet$/;
const REL_SHARED_STRINGS = /\/sharedStrings$/;
const REL_STYLES = /\/styles$/;
const REL_OFFICE_DOCUMENT = /\/officeDocument$/;

/** Whether a zip holds an Office Open XML workbook (as opposed to .ods, .docx …). */
export function isXlsx(zip: ZipArchive): boolean {
  return zip.has('xl/workbook.xml') || /(^|\/)workbook\.xml$/.test(officeDocumentPath(zip) ?? '');
}

export async function readXlsx(zip: ZipArchive, budget: GridBudget): Promise<Grid[]> {
  const workbookPath = zip.has('xl/workbook.xml') ? 'xl/workbook.xml' : (officeDocumentPath(zip) ?? 'xl/workbook.xml');
  const workbook = parseWorkbook(zip.text(workbookPath));
  const rels = parseRels(zip, relsPath(workbookPath));
  const target = (type: RegExp) => [...rels.values()].find((r) => type.test(r.type))?.target;

  const stylesPath = target(REL_STYLES);
  const dateStyles = stylesPath && zip.has(stylesPath) ? parseDateStyles(zip.text(stylesPath)) : [];
  const stringsPath = target(REL_SHARED_STRINGS);
  const strings = stringsPath && zip.has(stringsPath) ? await parseSharedStrings(zip, stringsPath, budget) : [];

  const sheets = workbook.sheets.filter((s) => {
    const rel = rels.get(s.rid);
    return rel !== undefined && REL_WORKSHEET.test(rel.type) && zip.has(rel.target);
  });
  if (sheets.length === 0) throw notWorkbook();
  const visible = sheets.filter((s) => s.state !== 'hidden' && s.state !== 'veryHidden');
  const grids: Grid[] = [];
  for (const sheet of visible.length > 0 ? visible : sheets) {
    const context: SheetContext = { name: sheet.name, strings, dateStyles, date1904: workbook.date1904, budget };
    grids.push(await readSheet(zip, rels.get(sheet.rid)!.target, context));
  }
  return grids;
}

// ---------------------------------------------------------------- package parts

interface Relationship {
  type: string;
  /** Path inside the zip. */
  target: string;
}

function officeDocumentPath(zip: ZipArchive): string | undefined {
  if (!zip.has('_rels/.rels')) return undefined;
  return [...parseRels(zip, '_rels/.rels').values()].find((r) => REL_OFFICE_DOCUMENT.test(r.type))?.target;
}

/** `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`. */
function relsPath(part: string): string {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

function parseRels(zip: ZipArchive, path: string): Map<string, Relationship> {
  const rels = new Map<string, Relationship>();
  if (!zip.has(path)) return rels;
  // Targets are relative to the folder holding the `_rels` folder, or absolute from the package root.
  const base = path.slice(0, path.lastIndexOf('_rels/'));
  parseXml(zip.text(path), (tag) => {
    if (localName(tag.name) !== 'Relationship' || tag.attributes.TargetMode === 'External') return;
    const target = tag.attributes.Target ?? '';
    rels.set(tag.attributes.Id ?? '', { type: tag.attributes.Type ?? '', target: resolvePath(target.startsWith('/') ? target.slice(1) : base + target) });
  });
  return rels;
}

function resolvePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.join('/');
}

interface WorkbookPart {
  sheets: { name: string; state: string; rid: string }[];
  date1904: boolean;
}

function parseWorkbook(xml: string): WorkbookPart {
  const part: WorkbookPart = { sheets: [], date1904: false };
  parseXml(xml, (tag) => {
    const name = localName(tag.name);
    if (name === 'workbookPr') part.date1904 = isTrue(tag.attributes.date1904);
    else if (name === 'sheet') {
      const rid = Object.entries(tag.attributes).find(([k]) => localName(k) === 'id')?.[1] ?? '';
      part.sheets.push({ name: tag.attributes.name ?? '', state: tag.attributes.state ?? 'visible', rid });
    }
  });
  return part;
}

const isTrue = (v: string | undefined) => v === '1' || v === 'true';

/** Built-in number formats that show dates or times (ECMA-376 §18.8.30, plus the East Asian ones Excel maps to dates). */
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** For each cell style (`cellXfs` index), whether its number format shows a date. */
function parseDateStyles(xml: string): boolean[] {
  const customFormats = new Map<number, string>();
  const dateStyles: boolean[] = [];
  let inCellXfs = false;
  parseXml(
    xml,
    (tag) => {
      const name = localName(tag.name);
      if (name === 'numFmt') customFormats.set(Number(tag.attributes.numFmtId), tag.attributes.formatCode ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) {
        const id = Number(tag.attributes.numFmtId ?? 0);
        const custom = customFormats.get(id);
        dateStyles.push(custom !== undefined ? isDateFormat(custom) : DATE_FORMAT_IDS.has(id));
      }
    },
    (name) => {
      if (localName(name) === 'cellXfs') inCellXfs = false;
    },
  );
  return dateStyles;
}

/**
 * Whether a format code shows a date or time: it holds d, m, y, h or s outside
 * quoted text, escaped characters and [colour]/[condition] brackets ([h], [mm]
 * elapsed-time brackets count). Only the first section (positive numbers) matters.
 */
export function isDateFormat(code: string): boolean {
  let quoted = false;
  let bracket = '';
  let inBracket = false;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (quoted) {
      if (c === '"') quoted = false;
    } else if (inBracket) {
      if (c === ']') {
        inBracket = false;
        if (/^(h+|m+|s+)$/i.test(bracket)) return true;
      } else bracket += c;
    } else if (c === '"') quoted = true;
    else if (c === '[') [inBracket, bracket] = [true, ''];
    else if (c === '\\' || c === '_' || c === '*') i++; // the next character is literal, padding or fill
    else if (c === ';') return false;
    else if ('dDmMyYhHsS'.includes(c)) return true;
  }
  return false;
}

async function parseSharedStrings(zip: ZipArchive, path: string, budget: GridBudget): Promise<string[]> {
  const strings: string[] = [];
  let inItem = false;
  let inText = false;
  let phonetic = 0;
  let text = '';
  await streamXml(
    zip,
    path,
    (tag) => {
      const name = localName(tag.name);
      if (name === 't') inText = inItem && phonetic === 0;
      else if (name === 'si') {
        inItem = true;
        text = '';
      }
      else if (name === 'rPh') phonetic++;
    },
    (name) => {
      const local = localName(name);
      if (local === 't') inText = false;
      else if (local === 'si') {
        inItem = false;
        budget.sharedStrings(strings.push(decodeEscapes(text)));
      } else if (local === 'rPh') phonetic--;
    },
    (chars) => {
      if (inText) text += chars;
    },
  );
  return strings;
}

/** OOXML writes characters XML cannot hold (CR, control characters) as _xHHHH_. */
function decodeEscapes(text: string): string {
  return text.includes('_x') ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
}

// ---------------------------------------------------------------- sheets

interface SheetContext {
  name: string;
  strings: string[];
  dateStyles: boolean[];
  date1904: boolean;
  budget: GridBudget;
}

async function readSheet(zip: ZipArchive, path: string, context: SheetContext): Promise<Grid> {
  const { name: sheet, strings, dateStyles, date1904, budget } = context;
  const { maxCellLength } = budget.limits;
  const rows: CellValue[][] = [];
  const merges: MergeRange[] = [];
  let row = -1;
  let cells: CellValue[] = [];
  let column = -1;
  let type = '';
  let style = 0;
  let hasValue = false;
  let text = '';
  let capture = false;
  let inline = false;
  let phonetic = 0;

  const cellValue = (): CellValue => {
    if (!hasValue) return null;
    switch (type) {
      case 's': {
        const value = strings[Number(text)];
        if (value === undefined) throw notWorkbook(`${path}: ${columnLetter(column)}${row + 1}`);
        return value === '' ? null : value;
      }
      case 'str':
      case 'inlineStr': {
        const value = decodeEscapes(text);
        return value === '' ? null : value;
      }
      case 'b':
        return text === '1' || text === 'true';
      case 'e':
        return null; // #N/A, #REF! … carry no content
      case 'd':
        return dayOf(Date.parse(text));
      default: {
        if (text === '') return null;
        const n = Number(text);
        if (Number.isNaN(n)) return null;
        return dateStyles[style] ? serialDay(n, date1904) : n;
      }
    }
  };

  await streamXml(
    zip,
    path,
    (tag) => {
      const name = localName(tag.name);
      const a = tag.attributes;
      switch (name) {
        case 'c': {
          const ref = a.r;
          column = ref ? refColumn(ref) : column + 1;
          type = a.t ?? 'n';
          style = a.s ? Number(a.s) : 0;
          hasValue = false;
          text = '';
          break;
        }
        case 'v':
          capture = hasValue = true;
          text = '';
          break;
        case 'is':
          inline = hasValue = true;
          text = '';
          break;
        case 't':
          capture = inline && phonetic === 0;
          break;
        case 'rPh':
          phonetic++;
          break;
        case 'row':
          row = a.r ? Number(a.r) - 1 : row + 1;
          cells = [];
          column = -1;
          break;
        case 'mergeCell':
          if (a.ref) merges.push(rangeOf(a.ref));
          break;
        case 'dimension':
          if (a.ref) {
            const { bottom, right } = rangeOf(a.ref);
            budget.extent(sheet, bottom + 1, right + 1);
          }
          break;
      }
    },
    (name) => {
      switch (localName(name)) {
        case 'v':
        case 't':
          capture = false;
          break;
        case 'is':
          inline = false;
          break;
        case 'rPh':
          phonetic--;
          break;
        case 'c': {
          const value = cellValue();
          if (value === null) break;
          budget.cell(sheet, row, column, value);
          while (cells.length < column) cells.push(null);
          cells[column] = value;
          break;
        }
        case 'row':
          if (cells.length === 0) break;
          while (rows.length < row) rows.push([]);
          rows[row] = cells;
          break;
      }
    },
    (chars) => {
      if (!capture) return;
      text += chars;
      // A cell's text is refused as soon as it outgrows the limit, not once it is whole.
      if (text.length > maxCellLength) budget.cell(sheet, row, column, text);
    },
  );
  blankMergedChildren(rows, merges);
  while (rows.length > 0 && rows[rows.length - 1].length === 0) rows.pop();
  return { sheet, rows, merges, firstRow: 1, date1904 };
}

/** Merged children show the master's value; only the top-left cell keeps one (some writers repeat it). */
function blankMergedChildren(rows: CellValue[][], merges: MergeRange[]): void {
  for (const m of merges) {
    for (let r = m.top; r <= m.bottom && r < rows.length; r++) {
      const cells = rows[r];
      for (let c = r === m.top ? m.left + 1 : m.left; c <= m.right && c < cells.length; c++) cells[c] = null;
      while (cells.length > 0 && cells[cells.length - 1] === null) cells.pop();
    }
  }
}

/** 0-based column of a cell reference: "AB12" → 27. */
function refColumn(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

/** 0-based row of a cell reference: "AB12" → 11. */
function refRow(ref: string): number {
  let i = 0;
  while (i < ref.length && ref.charCodeAt(i) >= 65) i++;
  return Number(ref.slice(i)) - 1;
}

function rangeOf(ref: string): MergeRange {
  const [from, to = from] = ref.replace(/\$/g, '').toUpperCase().split(':');
  return { top: refRow(from), left: refColumn(from), bottom: refRow(to), right: refColumn(to) };
}
