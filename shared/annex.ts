/**
 * Annex recognition: finds the task tables of a sheet (header synonyms in any
 * spelling, one- or two-row headers, headers repeated at page breaks, several
 * annexes in one sheet) and turns their rows into Tasks, with diagnostics that
 * name sheet rows.
 *
 * Row rules, in the words of the documents:
 * - a Roman numeral in STT with a title and nothing in lead/support/deadline/output is a section;
 * - a row with an empty STT continues the task above (a row cut by a page break):
 *   each non-empty cell is appended to the same column with one space;
 * - a lone number in STT (a page number) or lone text (stray prose) is skipped with a warning.
 *
 * Date cells whose day and month may have been swapped (a d/m date pasted under a
 * US locale) are flagged `date.swapped` only on evidence within the same annex:
 * (1) the deadline column also holds text dates with a day above 12 (which a US
 * locale could not convert, so they stayed text), or (2) the swapped date equals a
 * due date written as text elsewhere. A date cell outside the annex's dominant
 * year (most due dates in one year) is flagged `date.year`.
 */
import { AgencyRegistry, defaultRegistry } from './agencies';
import { isoFromExcelSerial, isoFromParts, isoFromUtcDate } from './dates';
import { deadlineFromDate, parseDeadline } from './deadline';
import { InputError } from './errors';
import { columnLetter, type CellValue, type Grid } from './grid';
import type { Deadline, Diagnostic, IsoDate, Task, TaskField } from './schemas';
import { cleanMultiline, cleanText, matchKey, trimEndWhile } from './text';

export interface RecognizeOptions {
  /** Reference date for deadlines. */
  asOf: IsoDate;
  /** Default: defaultRegistry. */
  registry?: AgencyRegistry;
  /** The user's correction: field → 0-based column. */
  mapping?: Partial<Record<TaskField, number>>;
  /** Which table when the sheet holds several annexes (0-based); default: the first task table. */
  table?: number;
}

export interface ColumnMapping {
  /** null: an extra column, kept in task.extra by its header. */
  field: TaskField | null;
  /** 0-based. */
  column: number;
  letter: string;
  header: string;
}

export interface Section {
  numeral: string;
  title: string;
  /** 1-based sheet row. */
  row: number;
}

export interface AnnexTable {
  index: number;
  title: string | null;
  /** 1-based sheet row of the (first) header row. */
  headerRow: number;
  taskCount: number;
  isTaskTable: boolean;
}

export interface Recognition {
  sheet: string;
  /** The annex title found above the header, cleaned of markdown and HTML. */
  title: string | null;
  /** 1-based sheet rows of the (one- or two-row) header. */
  headerRows: number[];
  columns: ColumnMapping[];
  sections: Section[];
  tasks: Task[];
  diagnostics: Diagnostic[];
  /** Every header-led table found in the grid. */
  tables: AnnexTable[];
  /** How much this grid looks like a task annex (for picking the sheet). */
  score: number;
}

// ---------------------------------------------------------------- cells

/** Excel's column count: a cell's key is row * limit + column. */
const COLUMN_LIMIT = 16_384;
/** Excel serial numbers read as dates in a deadline column: 2000-01-01 … 2099-12-31. */
const SERIAL_MIN = 36_526;
const SERIAL_MAX = 73_050;
/** Header cells are short; anything longer is data, which keeps the header test cheap. */
const HEADER_CELL_MAX = 120;
/** How far above a header the annex title is looked for. */
const TITLE_LOOKBACK = 8;


function dmy(iso: IsoDate): string {
  return `${+iso.slice(8, 10)}/${+iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

/**
 * The one place a cell becomes text: markdown bold/italic markers and HTML
 * leftovers removed, NFC, white space (no-break spaces included) tidied; Dates as d/m/yyyy.
 */
export function cellText(value: CellValue | undefined, multiline = false): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') {
    let s = value;
    if (s.includes('*')) s = s.replace(/\*{2,}/g, ' ').replace(/(^|\s)\*(?=\S)|(\S)\*(?=\s|$)/gm, '$1$2');
    return multiline ? cleanMultiline(s.replace(/<br\s*\/?>/gi, '\n')) : cleanText(s);
  }
  if (value instanceof Date) {
    const iso = isoFromUtcDate(value);
    return iso ? dmy(iso) : '';
  }
  return String(value);
}

/** Cheap emptiness test: only strings that may hide markup or odd spaces get cleaned. */
function isEmptyValue(value: CellValue | undefined): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value !== 'string') return false;
  if (value.trim() === '') return true;
  return /^[\s*<&]/.test(value) || /[>*\u200b]\s*$/.test(value) ? cellText(value) === '' : false;
}

/** The day a deadline cell holds as a date (Date cell or plausible serial), else null. */
function dateOfCell(value: CellValue | undefined, date1904: boolean): IsoDate | null {
  if (value instanceof Date) return isoFromUtcDate(value);
  if (typeof value === 'number' && value >= SERIAL_MIN && value <= SERIAL_MAX) return isoFromExcelSerial(value, date1904);
  return null;
}

// ---------------------------------------------------------------- header words

const SYNONYMS: Record<TaskField, readonly string[]> = {
  stt: ['STT', 'TT', 'Số TT', 'Số thứ tự'],
  task: [
    'Nhiệm vụ', 'Tên nhiệm vụ', 'Nội dung nhiệm vụ', 'Nội dung', 'Nhiệm vụ, giải pháp', 'Tên nhiệm vụ, giải pháp',
    'Nội dung công việc', 'Nhiệm vụ cụ thể',
  ],
  lead: [
    'Cơ quan chủ trì', 'Đơn vị chủ trì', 'Chủ trì', 'Cơ quan thực hiện', 'Đơn vị thực hiện', 'Đơn vị đề xuất',
    'Cơ quan, đơn vị chủ trì', 'Cơ quan chủ trì thực hiện', 'Đơn vị chủ trì thực hiện',
  ],
  support: ['Cơ quan phối hợp', 'Đơn vị phối hợp', 'Phối hợp', 'Cơ quan, đơn vị phối hợp', 'Cơ quan phối hợp thực hiện', 'Đơn vị phối hợp thực hiện'],
  deadline: [
    'Thời hạn', 'Thời hạn hoàn thành', 'Thời gian hoàn thành', 'Thời gian thực hiện', 'Tiến độ hoàn thành', 'Hạn hoàn thành',
    'Thời hạn thực hiện', 'Thời gian kết thúc',
  ],
  output: ['Kết quả đầu ra', 'Sản phẩm', 'Sản phẩm đầu ra', 'Kết quả', 'Hình thức văn bản', 'Kết quả, sản phẩm', 'Sản phẩm, kết quả', 'Hình thức sản phẩm'],
};

const FIELD_BY_KEY = new Map<string, TaskField>(
  (Object.keys(SYNONYMS) as TaskField[]).flatMap((field) => SYNONYMS[field].map((word) => [matchKey(word), field] as const)),
);
/** In the pilot annexes the unit that proposed a task is the one that carries it out. */
const PROPOSER_KEY = matchKey('Đơn vị đề xuất');
const FIELD_BIT: Record<TaskField, number> = { stt: 1, task: 2, lead: 4, support: 8, deadline: 16, output: 32 };
const FIELD_LABEL: Record<TaskField, { vi: string; en: string }> = {
  stt: { vi: 'STT', en: 'No.' },
  task: { vi: 'Nhiệm vụ', en: 'Task' },
  lead: { vi: 'Cơ quan chủ trì', en: 'Lead agency' },
  support: { vi: 'Cơ quan phối hợp', en: 'Supporting agencies' },
  deadline: { vi: 'Thời hạn', en: 'Deadline' },
  output: { vi: 'Kết quả đầu ra', en: 'Output' },
};

/** The field a header text names ("Thời hạn (hoàn thành)", "THOI HAN", NFD all meet), or null. */
function fieldOfHeader(text: string): TaskField | null {
  if (text === '') return null;
  return FIELD_BY_KEY.get(matchKey(text)) ?? (text.includes('(') ? (FIELD_BY_KEY.get(matchKey(text.replace(/\([^)]*\)/g, ' '))) ?? null) : null);
}

function bitCount(mask: number): number {
  let n = 0;
  for (let m = mask; m; m &= m - 1) n++;
  return n;
}

function isAnnexTitle(text: string): boolean {
  return matchKey(text.slice(0, 40)).startsWith('phu luc');
}

function isIssuedWithLine(text: string): boolean {
  return /^(ban hanh )?kem theo\b/.test(matchKey(text.slice(0, 40)));
}

// ---------------------------------------------------------------- the grid as read

interface HeaderInfo {
  /** 0-based grid rows. */
  rows: number[];
  columns: ColumnMapping[];
  /** Compares headers: the same words in the same columns. */
  signature: string;
  mask: number;
}

interface TableScan {
  header: HeaderInfo;
  title: string | null;
  /** 0-based grid rows between this header and the next table, repeated headers left out. */
  dataRows: number[];
}

interface Draft {
  /** 0-based grid row the task starts on. */
  row: number;
  stt: string;
  section: Section | null;
  /** Cell texts by position in the table's columns. */
  texts: string[];
  deadlineDate: IsoDate | null;
}

interface ParsedTable {
  drafts: Draft[];
  sections: Section[];
  diagnostics: Diagnostic[];
}

function diag(row: number | null, severity: Diagnostic['severity'], code: string, message: string, messageEn: string, field?: string): Diagnostic {
  return field === undefined ? { row, severity, code, message, messageEn } : { row, field, severity, code, message, messageEn };
}

/** One grid, read once: merge lookups, header tests cached by cell text, table boundaries. */
class SheetReader {
  readonly rows: CellValue[][];
  private readonly rowBase: number;
  /** Merge child cell key → master cell key. */
  private readonly mergeMaster = new Map<number, number>();
  private readonly headerFieldCache = new Map<string, TaskField | null>();

  constructor(readonly grid: Grid) {
    this.rows = grid.rows;
    this.rowBase = grid.firstRow ?? 1;
    const width = this.rows.reduce((w, row) => Math.max(w, row?.length ?? 0), 0);
    for (const m of grid.merges ?? []) {
      const master = m.top * COLUMN_LIMIT + m.left;
      const bottom = Math.min(m.bottom, this.rows.length - 1);
      const right = Math.min(m.right, width - 1);
      for (let r = m.top; r <= bottom; r++) {
        for (let c = m.left; c <= right; c++) if (r !== m.top || c !== m.left) this.mergeMaster.set(r * COLUMN_LIMIT + c, master);
      }
    }
  }

  sheetRow(r: number): number {
    return r + this.rowBase;
  }

  /** A header cell: merged children show their master's value. */
  headerValue(r: number, c: number): CellValue | undefined {
    const master = this.mergeMaster.size ? this.mergeMaster.get(r * COLUMN_LIMIT + c) : undefined;
    if (master === undefined) return this.rows[r]?.[c];
    return this.rows[Math.floor(master / COLUMN_LIMIT)]?.[master % COLUMN_LIMIT];
  }

  /**
   * A data cell. A merge child in its master's row is blank (the value shows once);
   * a cell merged down from a row above repeats the master's value on rows that start
   * a task (one lead for several tasks) and is blank in STT and on continuation rows.
   */
  dataValue(r: number, c: number, repeatsMaster: boolean): CellValue | undefined {
    const master = this.mergeMaster.size ? this.mergeMaster.get(r * COLUMN_LIMIT + c) : undefined;
    if (master === undefined) return this.rows[r]?.[c];
    const masterRow = Math.floor(master / COLUMN_LIMIT);
    if (masterRow === r || !repeatsMaster) return null;
    return this.rows[masterRow]?.[master % COLUMN_LIMIT];
  }

  isBlank(r: number): boolean {
    const row = this.rows[r];
    if (!row) return true;
    for (const v of row) if (!isEmptyValue(v)) return false;
    return true;
  }

  /** The text of the row's only non-empty cell, or null when it has none or several. */
  loneText(r: number): string | null {
    const row = this.rows[r];
    if (!row) return null;
    let found: CellValue | undefined;
    let count = 0;
    for (const v of row) {
      if (isEmptyValue(v)) continue;
      if (++count > 1) return null;
      found = v;
    }
    const text = count === 1 ? cellText(found) : '';
    return text === '' ? null : text;
  }

  private cachedField(raw: string): TaskField | null {
    let field = this.headerFieldCache.get(raw);
    if (field === undefined) {
      field = fieldOfHeader(cellText(raw));
      this.headerFieldCache.set(raw, field);
    }
    return field;
  }

  /** Bit mask of the fields a row names when it reads like a header row, else 0. */
  headerMask(r: number): number {
    const row = this.rows[r];
    if (!row) return 0;
    let mask = 0;
    for (const v of row) {
      if (isEmptyValue(v)) continue;
      if (typeof v !== 'string' || v.length > HEADER_CELL_MAX) return 0;
      const field = this.cachedField(v);
      if (field) mask |= FIELD_BIT[field];
    }
    return bitCount(mask) >= 2 && mask & (FIELD_BIT.stt | FIELD_BIT.task) ? mask : 0;
  }

  /** The header starting at row r: its columns, with the sub-row of a two-row header when there is one. */
  readHeader(r: number): HeaderInfo {
    const width = Math.max(this.rowWidth(r), this.rowWidth(r + 1));
    const top: string[] = [];
    const sub: string[] = [];
    for (let c = 0; c < width; c++) {
      top.push(cellText(this.headerValue(r, c)));
      sub.push(cellText(this.headerValue(r + 1, c)));
    }
    const twoRow = this.isSubHeader(top, sub);
    if (twoRow) {
      // A CSV export keeps a spanning top cell in its first column only: carry it right over its sub-cells.
      let spanning = false;
      for (let c = 0; c < width; c++) {
        if (top[c] !== '') spanning = sub[c] !== '' && matchKey(sub[c]) !== matchKey(top[c]);
        else if (spanning && sub[c] !== '') top[c] = top[c - 1];
        else spanning = false;
      }
    }
    const used = new Set<TaskField>();
    const columns: ColumnMapping[] = [];
    let last = -1;
    for (let c = 0; c < width; c++) {
      const below = twoRow && sub[c] !== '' && matchKey(sub[c]) !== matchKey(top[c]) ? sub[c] : '';
      const header = below ? (top[c] ? `${top[c]} / ${below}` : below) : top[c];
      // Under a spanning cell the sub-cell decides ("Thời gian" over "Bắt đầu" is no deadline).
      let field = below ? (fieldOfHeader(below) ?? fieldOfHeader(`${top[c]} ${below}`)) : fieldOfHeader(top[c]);
      if (field && used.has(field)) field = null;
      if (field) used.add(field);
      if (header !== '') last = c;
      columns.push({ field, column: c, letter: columnLetter(c), header: header || columnLetter(c) });
    }
    columns.length = last + 1;
    return {
      rows: twoRow ? [r, r + 1] : [r],
      columns,
      signature: columns.map((col) => matchKey(col.header)).join('|'),
      mask: columns.reduce((m, col) => (col.field ? m | FIELD_BIT[col.field] : m), 0),
    };
  }

  private rowWidth(r: number): number {
    const row = this.rows[r];
    if (!row) return 0;
    let w = row.length;
    while (w > 0 && cellText(this.headerValue(r, w - 1)) === '') w--;
    return w;
  }

  /** The row below a header is its second row when its own cells (not repeats of the top) name lead or support. */
  private isSubHeader(top: string[], sub: string[]): boolean {
    let namesAgency = false;
    for (let c = 0; c < sub.length; c++) {
      if (sub[c] === '' || matchKey(sub[c]) === matchKey(top[c])) continue;
      if (sub[c].length > HEADER_CELL_MAX) return false;
      const field = fieldOfHeader(sub[c]);
      if (field === 'lead' || field === 'support') namesAgency = true;
    }
    return namesAgency;
  }

  /** The annex title in the few rows above a header (not above `floor`): from a "PHỤ LỤC …" line to the "(Ban hành kèm theo …)" line. */
  titleAbove(headerRow: number, floor: number): string | null {
    const lo = Math.max(floor, headerRow - TITLE_LOOKBACK);
    let start = -1;
    for (let r = headerRow - 1; r >= lo && start < 0; r--) {
      const text = this.loneText(r);
      if (text !== null && isAnnexTitle(text)) start = r;
    }
    if (start < 0) {
      // No "PHỤ LỤC" line: the block of one-cell lines nearest the header, skipping the "kèm theo" line and blanks.
      let r = headerRow - 1;
      while (r >= lo && (this.isBlank(r) || isIssuedWithLine(this.loneText(r) ?? ''))) r--;
      while (r >= lo && this.loneText(r) !== null && !isIssuedWithLine(this.loneText(r) ?? '')) start = r--;
    }
    if (start < 0) return null;
    const lines: string[] = [];
    for (let r = start; r < headerRow; r++) {
      const text = this.loneText(r);
      if (text === null || isIssuedWithLine(text)) break;
      const cut = /\(\s*(ban hành\s+)?kèm theo/i.exec(text);
      lines.push((cut ? text.slice(0, cut.index) : text).trim());
      if (cut) break;
    }
    if (lines.length === 0) return null;
    const [first, ...rest] = lines;
    // "PHỤ LỤC" alone on its line, then the name: "PHỤ LỤC: DANH MỤC …".
    const joined = /^phu luc( [ivxlc\d]+)?$/.test(matchKey(first)) && rest.length ? `${first}: ${rest.join(' ')}` : lines.join(' ');
    return cleanText(joined) || null;
  }

  /** Every header-led table: a new header that differs, or any header after a title line, starts one. */
  scanTables(): TableScan[] {
    const tables: TableScan[] = [];
    let current: TableScan | null = null;
    let floor = 0;
    for (let r = 0; r < this.rows.length; r++) {
      const row = this.rows[r];
      if (!row || row.length === 0) continue;
      if (this.headerMask(r)) {
        const header = this.readHeader(r);
        r = header.rows[header.rows.length - 1];
        if (current && header.signature === current.header.signature) continue; // repeated at a page break
        current = { header, title: this.titleAbove(header.rows[0], floor), dataRows: [] };
        tables.push(current);
        continue;
      }
      if (this.isBlank(r)) continue;
      const lone = this.loneText(r);
      if (lone !== null && isAnnexTitle(lone)) {
        current = null;
        floor = r;
        continue;
      }
      if (current) {
        current.dataRows.push(r);
        floor = r + 1;
      }
    }
    return tables;
  }
}

// ---------------------------------------------------------------- rows to drafts

const ROMAN_STT = /^(?:(?:phần|PHẦN|Phần)\s+)?([IVX]{1,7})(?![\p{L}\p{N}])\s*[.):–-]?\s*(.*)$/u;
const VALID_ROMAN = /^(?:X{0,3})(?:IX|IV|V?I{0,3})$/;

function sectionOf(stt: string): { numeral: string; rest: string } | null {
  const m = ROMAN_STT.exec(stt);
  // "II.4" numbers a task; "II. Hạ tầng số" is a section with its title in the same cell.
  return m && VALID_ROMAN.test(m[1]) && !/^\d/.test(m[2]) ? { numeral: m[1], rest: m[2] } : null;
}

function fieldIndex(columns: ColumnMapping[]): Partial<Record<TaskField, number>> {
  const index: Partial<Record<TaskField, number>> = {};
  columns.forEach((col, i) => {
    if (col.field) index[col.field] = i;
  });
  return index;
}

function pageNumber(row: number, text: string, field: string): Diagnostic {
  return diag(row, 'warning', 'row.page-number', `Bỏ qua dòng chỉ có số “${text}” (số trang?)`, `Skipped a row holding only the number "${text}" (a page number?)`, field);
}

function parseTable(sheet: SheetReader, table: TableScan, columns: ColumnMapping[]): ParsedTable {
  const idx = fieldIndex(columns);
  const sttAt = idx.stt;
  const dlAt = idx.deadline;
  const date1904 = !!sheet.grid.date1904;
  const drafts: Draft[] = [];
  const sections: Section[] = [];
  const diagnostics: Diagnostic[] = [];
  let section: Section | null = null;
  let last: 'task' | 'section' | null = null;

  for (const r of table.dataRows) {
    const sheetRow = sheet.sheetRow(r);
    const stt = sttAt === undefined ? '' : cellText(sheet.dataValue(r, columns[sttAt].column, false));
    // Without an STT column every row with task text starts a task.
    const starts =
      sttAt !== undefined ? stt !== '' : idx.task === undefined || cellText(sheet.dataValue(r, columns[idx.task].column, false)) !== '';
    const texts: string[] = [];
    let deadlineDate: IsoDate | null = null;
    let filled = 0;
    for (let i = 0; i < columns.length; i++) {
      if (i === sttAt) {
        texts.push(stt);
        continue;
      }
      const value = sheet.dataValue(r, columns[i].column, starts);
      if (i === dlAt) deadlineDate = dateOfCell(value, date1904);
      const text = deadlineDate && i === dlAt ? dmy(deadlineDate) : cellText(value, true);
      texts.push(text);
      if (text !== '') filled++;
    }
    if (stt === '' && filled === 0) continue;
    // A "(1) (2) (3)…" row numbering the columns right under the header.
    if (r === table.dataRows[0] && texts.every((t) => t === '' || /^\(?\d{1,2}\)?$/.test(t)) && filled >= 2) continue;

    const rest = (['lead', 'support', 'deadline', 'output'] as const).every((f) => idx[f] === undefined || texts[idx[f]] === '');
    const taskText = idx.task === undefined ? '' : texts[idx.task];
    if (starts && sttAt !== undefined) {
      const roman = sectionOf(stt);
      if (roman && rest && (taskText !== '' || filled === 0)) {
        const title = [roman.rest, taskText].filter((t) => t !== '').join(' ');
        section = { numeral: roman.numeral, title, row: sheetRow };
        sections.push(section);
        last = 'section';
        continue;
      }
      if (filled === 0) {
        diagnostics.push(
          /^\d+$/.test(stt)
            ? pageNumber(sheetRow, stt, 'stt')
            : diag(sheetRow, 'warning', 'row.stray', `Bỏ qua dòng chỉ có chữ ở cột STT: “${stt.slice(0, 60)}”`, `Skipped a row with text only in the STT column: "${stt.slice(0, 60)}"`, 'stt'),
        );
        continue;
      }
    }
    if (!starts && filled === 1) {
      // A page number that landed in another column (a sheet whose STT is not the first column).
      const at = texts.findIndex((t) => t !== '');
      if (/^\d{1,3}$/.test(texts[at])) {
        diagnostics.push(pageNumber(sheetRow, texts[at], columns[at].field ?? columns[at].letter));
        continue;
      }
    }
    if (starts) {
      drafts.push({ row: r, stt, section, texts, deadlineDate });
      last = 'task';
      continue;
    }
    // A row cut by a page break: append each cell to the task (or section title) above.
    if (last === 'task') {
      const draft = drafts[drafts.length - 1];
      if (dlAt !== undefined && draft.texts[dlAt] === '') draft.deadlineDate = deadlineDate;
      texts.forEach((text, i) => {
        if (text !== '') draft.texts[i] = draft.texts[i] === '' ? text : `${draft.texts[i]} ${text}`;
      });
    } else if (last === 'section' && section && idx.task !== undefined && filled === 1 && taskText !== '') {
      section.title = section.title ? `${section.title} ${taskText}` : taskText;
    } else {
      diagnostics.push(
        diag(sheetRow, 'warning', 'row.orphan', 'Dòng không có STT nhưng phía trên không có nhiệm vụ nào để nối tiếp', 'A row without STT has no task above it to continue'),
      );
    }
  }
  return { drafts, sections, diagnostics };
}

// ---------------------------------------------------------------- ids

/** Fold of a character as matchKey sees it: its lower-case ASCII letter or digit, "&", SKIP (a combining mark) or 0 (a separator). */
const SKIP = 1;
function foldOf(code: number): number {
  if (code >= 0x300 && code <= 0x36f) return SKIP;
  if (code === 0x110 || code === 0x111) return 100; // Đ, đ
  const base = String.fromCharCode(code).normalize('NFD').charCodeAt(0);
  if (base >= 65 && base <= 90) return base + 32;
  return (base >= 97 && base <= 122) || (base >= 48 && base <= 57) || base === 38 ? base : 0;
}
/** Folds of the Latin, Vietnamese and combining ranges, so hashing needs no normalize() per text. */
const FOLD = Uint8Array.from({ length: 0x1f00 }, (_, code) => foldOf(code));
const WIDE_FOLD = new Map<number, number>();

/**
 * cyrb53 (a small, well-mixed 53-bit hash) over the matchKey forms of `parts`
 * joined by "|", folding each character as it is read: no key string is built,
 * which matters when a 50,000-task annex keys every task text.
 */
function foldedHash(parts: readonly string[]): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let p = 0; p < parts.length; p++) {
    const s = parts[p];
    let started = false;
    let gap = p > 0; // the "|" between parts
    for (let i = 0; i < s.length; i++) {
      const code = s.charCodeAt(i);
      let c = code < 0x1f00 ? FOLD[code] : WIDE_FOLD.get(code);
      if (c === undefined) WIDE_FOLD.set(code, (c = foldOf(code)));
      if (c === SKIP) continue;
      if (c === 0) {
        gap = true;
        continue;
      }
      if ((gap || c === 38) && (started || p > 0)) {
        const sep = started ? 32 : 124; // a space inside a part, "|" before its first word; "&" is a token of its own
        h1 = Math.imul(h1 ^ sep, 2654435761);
        h2 = Math.imul(h2 ^ sep, 1597334677);
      }
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
      started = true;
      gap = c === 38;
    }
    if (!started && p > 0) {
      h1 = Math.imul(h1 ^ 124, 2654435761);
      h2 = Math.imul(h2 ^ 124, 1597334677);
    }
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The id of the task whose folded key hashes to `base`, for its n-th occurrence (repeats are rare: only they pay a second hash). */
function idOf(base: number, occurrence: number): string {
  return 't_' + (occurrence === 0 ? base : foldedHash([base.toString(36), String(occurrence)])).toString(36);
}

/**
 * Stable task id: the same task of the same annex gets the same id each time,
 * whatever the spelling (case, diacritics, punctuation, NFD, markup). `occurrence`
 * tells identical rows apart (0 for the first).
 */
export function taskId(annexTitle: string | null, section: string | null, stt: string, taskText: string, occurrence: number): string {
  return idOf(foldedHash([annexTitle ?? '', section ?? '', stt, taskText].map((part) => cleanText(part))), occurrence);
}

// ---------------------------------------------------------------- drafts to tasks

const NO_DEADLINE_COLUMN: Deadline = {
  raw: '',
  kind: 'unknown',
  due: null,
  reason: 'Bảng không có cột thời hạn / the table has no deadline column',
};
const EMPTY_DEADLINE: Deadline = { raw: '', kind: 'unknown', due: null, reason: 'Ô thời hạn trống / empty deadline cell' };
/** A plain d/m/yyyy date whose day cannot be a month: a US-locale paste would have left it as text. */
const DAY_FIRST_DATE = /(?:^|\D)(1[3-9]|2\d|3[01])\s*[/.-]\s*(0?[1-9]|1[0-2])\s*[/.-]\s*\d{4}(?!\d)/;

/** A clean multi-line cell on one line. */
function oneLine(text: string): string {
  return text.includes('\n') ? text.replace(/\n/g, ' ') : text;
}

function finishTasks(
  sheet: SheetReader,
  parsed: ParsedTable,
  columns: ColumnMapping[],
  title: string | null,
  options: RecognizeOptions,
): { tasks: Task[]; diagnostics: Diagnostic[] } {
  const registry = options.registry ?? defaultRegistry;
  const idx = fieldIndex(columns);
  const diagnostics = [...parsed.diagnostics];
  const memo = new Map<string, Deadline>();
  const occurrences = new Map<number, number>();
  const sttSeen = new Map<string, number>();
  const dateCells: { row: number; iso: IsoDate }[] = [];
  const extraNames = new Set<string>();
  const extras = columns.flatMap((col, i) => {
    if (col.field !== null) return [];
    const header = extraNames.has(col.header) ? `${col.header} (${col.letter})` : col.header;
    extraNames.add(header);
    return [{ i, header }];
  });
  const tasks: Task[] = [];

  const agencies = (text: string, field: 'lead' | 'support', row: number): string[] => {
    const resolution = registry.resolve(text);
    for (const w of resolution.warnings) {
      diagnostics.push(diag(row, 'warning', 'agency.unknown', `${FIELD_LABEL[field].vi}: ${w.message}`, `${FIELD_LABEL[field].en}: ${w.messageEn}`, field));
    }
    return resolution.agencies.map((a) => a.name);
  };

  for (const draft of parsed.drafts) {
    const row = sheet.sheetRow(draft.row);
    const text = (f: TaskField): string => (idx[f] === undefined ? '' : draft.texts[idx[f]]);
    const task = text('task');
    const leadRaw = oneLine(text('lead'));
    const supportRaw = oneLine(text('support'));
    const deadlineRaw = oneLine(text('deadline'));

    let deadline: Deadline;
    if (idx.deadline === undefined) deadline = NO_DEADLINE_COLUMN;
    else if (draft.deadlineDate) {
      deadline = deadlineFromDate(draft.deadlineDate, deadlineRaw);
      dateCells.push({ row, iso: draft.deadlineDate });
    } else if (deadlineRaw === '') {
      deadline = EMPTY_DEADLINE;
      diagnostics.push(diag(row, 'warning', 'deadline.missing', 'Thiếu thời hạn', 'No deadline', 'deadline'));
    } else {
      let parsedDeadline = memo.get(deadlineRaw);
      if (!parsedDeadline) memo.set(deadlineRaw, (parsedDeadline = parseDeadline(deadlineRaw, { asOf: options.asOf })));
      deadline = parsedDeadline;
      if (deadline.kind === 'unknown') {
        const why = deadline.reason ? ` (${deadline.reason})` : '';
        diagnostics.push(diag(row, 'warning', 'deadline.unknown', `Không đọc được thời hạn “${deadlineRaw}”${why}`, `Unreadable deadline "${deadlineRaw}"${why}`, 'deadline'));
      }
    }

    if (task === '') diagnostics.push(diag(row, 'warning', 'task.empty', 'Nhiệm vụ không có nội dung', 'The task has no text', 'task'));
    if (idx.lead !== undefined && leadRaw === '') diagnostics.push(diag(row, 'warning', 'lead.missing', 'Thiếu cơ quan chủ trì', 'No lead agency', 'lead'));
    const lead = leadRaw ? agencies(leadRaw, 'lead', row) : [];
    const support = supportRaw ? agencies(supportRaw, 'support', row) : [];

    const sectionNumeral = draft.section?.numeral ?? null;
    if (draft.stt !== '') {
      const sttKey = `${sectionNumeral ?? ''}|${trimEndWhile(draft.stt, /[\s.)]/).toLowerCase()}`;
      const first = sttSeen.get(sttKey);
      if (first === undefined) sttSeen.set(sttKey, row);
      else {
        const where = sectionNumeral ? ` trong mục ${sectionNumeral}` : '';
        const whereEn = sectionNumeral ? ` in section ${sectionNumeral}` : '';
        diagnostics.push(diag(row, 'warning', 'stt.duplicate', `STT “${draft.stt}” trùng với dòng ${first}${where}`, `No. "${draft.stt}" repeats row ${first}${whereEn}`, 'stt'));
      }
    }

    // Cell texts are clean already: hashing them directly gives taskId's result.
    const base = foldedHash([title ?? '', sectionNumeral ?? '', draft.stt, task]);
    const occurrence = occurrences.get(base) ?? 0;
    occurrences.set(base, occurrence + 1);
    const extra: Record<string, string> = {};
    for (const { i, header } of extras) extra[header] = draft.texts[i];

    tasks.push({
      id: idOf(base, occurrence),
      stt: draft.stt,
      section: sectionNumeral,
      sectionTitle: draft.section?.title ?? null,
      task,
      lead,
      support,
      leadRaw,
      supportRaw,
      deadline: { ...deadline },
      output: text('output'),
      extra,
      row,
    });
  }
  diagnostics.push(...dateCellDoubts(dateCells, tasks));
  return { tasks, diagnostics };
}

/** The date-cell checks described at the top of this module. */
function dateCellDoubts(dateCells: { row: number; iso: IsoDate }[], tasks: Task[]): Diagnostic[] {
  if (dateCells.length === 0) return [];
  const textDues = new Set<IsoDate>();
  const years = new Map<string, number>();
  let dayFirstText = false;
  const cellRows = new Set(dateCells.map((d) => d.row));
  for (const t of tasks) {
    if (t.deadline.due) years.set(t.deadline.due.slice(0, 4), (years.get(t.deadline.due.slice(0, 4)) ?? 0) + 1);
    if (cellRows.has(t.row ?? -1)) continue;
    if (t.deadline.kind === 'date' && t.deadline.due) textDues.add(t.deadline.due);
    if (DAY_FIRST_DATE.test(t.deadline.raw)) dayFirstText = true;
  }
  let dominant: string | null = null;
  let total = 0;
  for (const n of years.values()) total += n;
  for (const [year, n] of years) if (total >= 3 && n * 2 > total) dominant = year;

  const out: Diagnostic[] = [];
  for (const { row, iso } of dateCells) {
    const year = +iso.slice(0, 4);
    const month = +iso.slice(5, 7);
    const day = +iso.slice(8, 10);
    const swapped = day <= 12 && day !== month ? isoFromParts(year, day, month) : null;
    if (swapped && (dayFirstText || textDues.has(swapped))) {
      const evidence = textDues.has(swapped)
        ? { vi: `ngày ${dmy(swapped)} có trong thời hạn ghi bằng chữ của phụ lục`, en: `${dmy(swapped)} appears among the annex's text deadlines` }
        : { vi: 'các thời hạn ghi bằng chữ trong phụ lục viết ngày trước tháng', en: "the annex's text deadlines put the day first" };
      out.push(
        diag(
          row,
          'warning',
          'date.swapped',
          `Ô ngày ${dmy(iso)} có thể bị đảo ngày/tháng, có lẽ là ${dmy(swapped)} (${evidence.vi})`,
          `Date cell ${dmy(iso)} may have day and month swapped, perhaps ${dmy(swapped)} (${evidence.en})`,
          'deadline',
        ),
      );
    }
    if (dominant && String(year) !== dominant) {
      out.push(
        diag(row, 'warning', 'date.year', `Ô ngày ${dmy(iso)} thuộc năm ${year}, khác năm ${dominant} của phần lớn thời hạn`, `Date cell ${dmy(iso)} is in ${year}, unlike most deadlines (${dominant})`, 'deadline'),
      );
    }
  }
  return out;
}

// ---------------------------------------------------------------- recognition

interface Scanned {
  sheet: SheetReader;
  tables: TableScan[];
  parsed: ParsedTable[];
  summaries: AnnexTable[];
}

function isTaskHeader(mask: number): boolean {
  return !!(mask & FIELD_BIT.task) && !!(mask & (FIELD_BIT.lead | FIELD_BIT.deadline));
}

function scanGrid(grid: Grid): Scanned {
  const sheet = new SheetReader(grid);
  const tables = sheet.scanTables();
  const parsed = tables.map((t) => parseTable(sheet, t, t.header.columns));
  const summaries = tables.map((t, index) => ({
    index,
    title: t.title,
    headerRow: sheet.sheetRow(t.header.rows[0]),
    taskCount: parsed[index].drafts.length,
    isTaskTable: isTaskHeader(t.header.mask),
  }));
  return { sheet, tables, parsed, summaries };
}

function chosenTable(scanned: Scanned, table: number | undefined): number {
  if (table !== undefined) return table;
  const firstTaskTable = scanned.summaries.findIndex((t) => t.isTaskTable);
  return firstTaskTable >= 0 ? firstTaskTable : 0;
}

/** Tiers: a task table first, then how many fields its header names, then how many tasks it holds. */
function scoreOf(scanned: Scanned, index: number): number {
  const summary = scanned.summaries[index];
  if (!summary) return 0;
  const fields = bitCount(scanned.tables[index].header.mask);
  return (summary.isTaskTable ? 10_000_000 : 0) + fields * 1_000_000 + Math.min(summary.taskCount, 999_999);
}

function withMapping(columns: ColumnMapping[], mapping: Partial<Record<TaskField, number>>): ColumnMapping[] {
  const out = columns.map((c) => ({ ...c }));
  for (const [field, column] of Object.entries(mapping) as [TaskField, number][]) {
    if (!Number.isInteger(column) || column < 0) continue;
    for (const c of out) if (c.field === field) c.field = null;
    for (let c = out.length; c <= column; c++) out.push({ field: null, column: c, letter: columnLetter(c), header: columnLetter(c) });
    out[column].field = field;
  }
  return out;
}

function emptyRecognition(grid: Grid, tables: AnnexTable[], diagnostics: Diagnostic[]): Recognition {
  return { sheet: grid.sheet, title: null, headerRows: [], columns: [], sections: [], tasks: [], diagnostics, tables, score: 0 };
}

function headerMissing(sheet: string): Diagnostic {
  return diag(
    null,
    'error',
    'header.missing',
    `Không tìm thấy dòng tiêu đề bảng (STT, Nhiệm vụ, Cơ quan chủ trì, Thời hạn…) trong trang “${sheet}”`,
    `No table header row (STT, Nhiệm vụ, Cơ quan chủ trì, Thời hạn…) found in sheet "${sheet}"`,
  );
}

function recognizeScanned(scanned: Scanned, options: RecognizeOptions): Recognition {
  const { sheet, tables, summaries } = scanned;
  const grid = sheet.grid;
  if (tables.length === 0) return emptyRecognition(grid, [], [headerMissing(grid.sheet)]);
  const index = chosenTable(scanned, options.table);
  if (!Number.isInteger(index) || index < 0 || index >= tables.length) {
    throw new InputError(
      `Trang “${grid.sheet}” không có bảng số ${index} (có ${tables.length} bảng, đánh số từ 0)`,
      `Sheet "${grid.sheet}" has no table ${index} (it has ${tables.length}, numbered from 0)`,
      'annex.table-missing',
      { sheet: grid.sheet },
    );
  }
  const table = tables[index];
  const columns = options.mapping ? withMapping(table.header.columns, options.mapping) : table.header.columns;
  const parsed = options.mapping ? parseTable(sheet, table, columns) : scanned.parsed[index];
  const headerRow = sheet.sheetRow(table.header.rows[0]);
  const diagnostics: Diagnostic[] = [];
  const has = (f: TaskField) => columns.some((c) => c.field === f);

  if (tables.length > 1) {
    const name = table.title ?? `dòng ${headerRow}`;
    diagnostics.push(
      diag(null, 'info', 'table.multiple', `Tìm thấy ${tables.length} bảng trong trang; đang dùng bảng “${name}” (số ${index}, đánh số từ 0)`, `Found ${tables.length} tables in the sheet; using "${table.title ?? `row ${headerRow}`}" (number ${index}, counted from 0)`),
    );
  }
  if (!has('task')) {
    diagnostics.push(diag(headerRow, 'error', 'header.no-task-column', 'Bảng không có cột nhiệm vụ (Nhiệm vụ / Nội dung)', 'The table has no task column (Nhiệm vụ / Nội dung)', 'task'));
    return { ...emptyRecognition(grid, summaries, diagnostics), title: table.title, headerRows: table.header.rows.map((r) => sheet.sheetRow(r)), columns, score: scoreOf(scanned, index) };
  }
  const leadColumn = columns.find((c) => c.field === 'lead');
  if (!leadColumn) diagnostics.push(diag(headerRow, 'warning', 'lead.no-column', 'Bảng không có cột cơ quan chủ trì', 'The table has no lead agency column', 'lead'));
  else if (matchKey(leadColumn.header) === PROPOSER_KEY) {
    diagnostics.push(
      diag(headerRow, 'info', 'lead.proposer', 'Cột “Đơn vị đề xuất” được coi là cơ quan chủ trì: đơn vị đề xuất nhiệm vụ thí điểm là đơn vị thực hiện', 'The "Đơn vị đề xuất" (proposing unit) column is taken as the lead: the unit that proposed a pilot task carries it out', 'lead'),
    );
  }
  if (!has('deadline')) diagnostics.push(diag(headerRow, 'warning', 'deadline.no-column', 'Bảng không có cột thời hạn', 'The table has no deadline column', 'deadline'));

  const finished = finishTasks(sheet, parsed, columns, table.title, options);
  diagnostics.push(...finished.diagnostics);
  diagnostics.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  return {
    sheet: grid.sheet,
    title: table.title,
    headerRows: table.header.rows.map((r) => sheet.sheetRow(r)),
    columns,
    sections: parsed.sections.map((s) => ({ ...s })),
    tasks: finished.tasks,
    diagnostics,
    tables: summaries,
    score: scoreOf(scanned, index),
  };
}

/** Recognises the annex table of one grid (the first task table unless options.table says which). */
export function recognizeAnnex(grid: Grid, options: RecognizeOptions): Recognition {
  return recognizeScanned(scanGrid(grid), options);
}

/** The grid (sheet) with the best task table, recognised; throws InputError when no sheet has a header. */
export function pickAnnex(grids: Grid[], options: RecognizeOptions): Recognition {
  const scans = grids.map(scanGrid).filter((s) => s.tables.length > (options.table ?? 0));
  if (scans.length === 0) {
    const names = grids.map((g) => `“${g.sheet}”`).join(', ') || '(không có trang nào / no sheet)';
    throw new InputError(
      `Không tìm thấy bảng phụ lục có dòng tiêu đề (STT, Nhiệm vụ, Cơ quan chủ trì, Thời hạn…) trong các trang: ${names}`,
      `No annex table with a header row (STT, Nhiệm vụ, Cơ quan chủ trì, Thời hạn…) found in the sheets: ${names}`,
      'annex.header-missing',
    );
  }
  let best = scans[0];
  let bestScore = -1;
  for (const s of scans) {
    const score = scoreOf(s, chosenTable(s, options.table));
    if (score > bestScore) [best, bestScore] = [s, score];
  }
  return recognizeScanned(best, options);
}
