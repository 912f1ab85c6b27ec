/**
 * Column recognition: what field a header names, in the words offices use, and
 * where the words say nothing, what the cells hold (a column of agency names, of
 * deadlines, of long texts).
 */
import type { AgencyRegistry } from '../agencies';
import { parseDeadline } from '../deadline';
import type { IsoDate, TaskField } from '../schemas';
import { matchKey } from '../text';
import type { ColumnMapping } from './types';

/** Header texts named field by field, as matchKey sees them. */
const SYNONYMS: Record<TaskField, readonly string[]> = {
  stt: ['STT', 'TT', 'Số TT', 'Số thứ tự'],
  task: ['Nhiệm vụ', 'Nội dung', 'Nội dung công việc', 'Công việc', 'Hoạt động', 'Chỉ tiêu', 'Đề án', 'Dự án', 'Giải pháp'],
  lead: ['Chủ trì', 'Đơn vị đề xuất'],
  support: ['Phối hợp'],
  deadline: ['Thời hạn', 'Thời gian', 'Tiến độ', 'Hạn hoàn thành', 'Tiến độ thực hiện', 'Tiến độ hoàn thành'],
  output: ['Sản phẩm', 'Kết quả', 'Kết quả đầu ra', 'Kết quả dự kiến', 'Hình thức văn bản', 'Hình thức sản phẩm'],
};

const FIELD_BY_KEY = new Map<string, TaskField>(
  (Object.keys(SYNONYMS) as TaskField[]).flatMap((field) => SYNONYMS[field].map((word) => [matchKey(word), field] as const)),
);

/**
 * Header shapes beyond the listed words, tested on the matching key in this order
 * (a deadline header says "thời gian thực hiện", which must not read as a lead).
 * Each is one sentence of how offices write: a time word first is a deadline
 * (not a start); "phối hợp" without "chủ trì" is support; "chủ trì", "chủ quản",
 * "phụ trách", or an agency word with "thực hiện" is the lead; "sản phẩm…", "kết
 * quả…" (not the progress "kết quả thực hiện") is the output; a name or content
 * word first ("Tên …", "Nội dung …", "Nhiệm vụ …", "Đề án …") is the task.
 */
const RULES: readonly [TaskField, RegExp][] = [
  ['deadline', /^(?:du kien )?(?:thoi han|thoi gian|tien do|han|moc thoi gian|nam)(?: (?:hoan thanh|thuc hien|trien khai|ket thuc|ban hanh|van hanh|du kien|trinh))*$/],
  ['support', /^(?:(?:co quan|don vi|bo|so|nganh)(?: (?:co quan|don vi))? )?phoi hop(?: thuc hien)?$/],
  ['lead', /(?:^| )(?:chu tri|chu quan|phu trach)(?: |$)|^(?:co quan|don vi|bo|so|nganh)(?: (?:co quan|don vi))? thuc hien$/],
  ['output', /^(?:san pham|ket qua (?:dau ra|du kien|can dat)|hinh thuc)(?: |$)/],
  ['task', /^(?:ten|noi dung|nhiem vu|de an|du an|chi tieu|cong viec|hoat dong|giai phap)(?: |$)/],
];
/** Longer texts are titles or data, not headers. */
const RULE_WORDS_MAX = 9;

/** The field a header text names ("Thời hạn (hoàn thành)", "THOI HAN", "Nội dung/nhiệm vụ", NFD all meet), or null. */
export function fieldOfHeader(text: string): TaskField | null {
  if (text === '') return null;
  const key = matchKey(text.includes('(') ? text.replace(/\([^)]*\)/g, ' ') : text);
  const known = FIELD_BY_KEY.get(key) ?? FIELD_BY_KEY.get(matchKey(text));
  if (known) return known;
  if (key === '' || key.split(' ').length > RULE_WORDS_MAX || key.includes('ket qua thuc hien')) return null;
  for (const [field, rule] of RULES) if (rule.test(key)) return field;
  return null;
}

export const FIELD_BIT: Record<TaskField, number> = { stt: 1, task: 2, lead: 4, support: 8, deadline: 16, output: 32 };
export const FIELD_LABEL: Record<TaskField, { vi: string; en: string }> = {
  stt: { vi: 'STT', en: 'No.' },
  task: { vi: 'Nhiệm vụ', en: 'Task' },
  lead: { vi: 'Cơ quan chủ trì', en: 'Lead agency' },
  support: { vi: 'Cơ quan phối hợp', en: 'Supporting agencies' },
  deadline: { vi: 'Thời hạn', en: 'Deadline' },
  output: { vi: 'Kết quả đầu ra', en: 'Output' },
};
/** In the pilot annexes the unit that proposed a task is the one that carries it out. */
export const PROPOSER_KEY = matchKey('Đơn vị đề xuất');

export function bitCount(mask: number): number {
  let n = 0;
  for (let m = mask; m; m &= m - 1) n++;
  return n;
}

export function maskOf(columns: readonly ColumnMapping[]): number {
  return columns.reduce((m, col) => (col.field ? m | FIELD_BIT[col.field] : m), 0);
}

export function isTaskHeader(mask: number): boolean {
  return !!(mask & FIELD_BIT.task) && !!(mask & (FIELD_BIT.lead | FIELD_BIT.deadline));
}

export function isAnnexTitle(text: string): boolean {
  return matchKey(text.slice(0, 40)).startsWith('phu luc');
}

export function isIssuedWithLine(text: string): boolean {
  return /^(ban hanh )?kem theo\b/.test(matchKey(text.slice(0, 40)));
}

// ---------------------------------------------------------------- by the cells

/** How many data cells of a column are looked at to judge it. */
export const INFER_SAMPLE = 60;
/** First words of agency names: "Sở …", "Bộ …", "Ủy ban …", "Các sở, ngành …". */
const AGENCY_HEAD = /^(?:cac |cac co quan )?(?:so|bo|ban|uy ban|ubnd|ubmttq|cong an|van phong|co quan|don vi|tinh doan|doan|hoi|dai|trung uong|thanh tra|ngan hang|bao hiem|cuc|tong cuc|vien|truong|tap doan|tong cong ty|cong ty|dang uy|tinh uy|thanh uy|hdnd|mat tran)(?: |$)/;
/** Headers whose words say what the column is not: a start, progress, a status, a note. */
const NOT_A_FIELD = /(?:^| )(?:bat dau|khoi cong|tinh trang|trang thai|ghi chu|ket qua thuc hien)(?: |$)/;
/** A deadline cell is short; a longer cell that happens to hold a date is prose or a reference. */
const DEADLINE_CELL_MAX = 40;
/** A document number ("184-BC/ĐU", "2618/QĐ-BKHCN") dates a document, not a task. */
const DOCUMENT_NUMBER = /\d\s*[-/]\s*[A-ZĐ]{2}/;

export interface ColumnCells {
  /** Index in the table's columns. */
  index: number;
  /** Clean texts of the column's non-empty data cells that are not dates (a sample). */
  texts: string[];
  /** How many data cells hold a date. */
  dates: number;
}

function share(texts: string[], test: (text: string) => boolean): number {
  if (texts.length === 0) return 0;
  let n = 0;
  for (const t of texts) if (test(t)) n++;
  return n / texts.length;
}

/**
 * Fields for the columns whose header words named none, from their cells: a column
 * of deadlines (most cells dates or readable deadlines), of agencies (most cells
 * name a known agency or start like one), and the task as the column holding the
 * most text. Only the `allowed` fields the header left unnamed are given; the rest stay extras.
 */
export function inferFields(columns: ColumnMapping[], cells: ColumnCells[], allowed: readonly TaskField[], registry: AgencyRegistry, asOf: IsoDate): ColumnMapping[] {
  const has = (f: TaskField) => !allowed.includes(f) || columns.some((c) => c.field === f);
  const out = columns.map((c) => ({ ...c }));
  const free = cells.filter((c) => out[c.index].field === null && c.texts.length + c.dates > 0 && !NOT_A_FIELD.test(matchKey(out[c.index].header)));
  const take = (field: TaskField, pick: ColumnCells | undefined) => {
    if (!pick || has(field)) return;
    out[pick.index] = { ...out[pick.index], field, by: 'cells' };
    free.splice(free.indexOf(pick), 1);
  };
  take(
    'deadline',
    free.find((c) => (c.dates + c.texts.length * share(c.texts, (t) => t.length <= DEADLINE_CELL_MAX && !DOCUMENT_NUMBER.test(t) && parseDeadline(t, { asOf }).kind !== 'unknown')) / (c.texts.length + c.dates) > 0.6),
  );
  take(
    'lead',
    free.find((c) => share(c.texts, (t) => AGENCY_HEAD.test(matchKey(t.slice(0, 40))) || registry.resolve(t).agencies.some((a) => a.id !== null)) > 0.6),
  );
  // When the words named nothing but the STT, the task column must read like sentences (not a list of names).
  const meanMin = allowed.length === 3 ? 30 : 15;
  let task: ColumnCells | undefined;
  let most = 0;
  for (const c of free) {
    const chars = c.texts.reduce((n, t) => n + t.length, 0);
    if (c.texts.length > 0 && chars > most && chars / c.texts.length >= meanMin) [task, most] = [c, chars];
  }
  take('task', task);
  return out;
}
