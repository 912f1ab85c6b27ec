/**
 * Drafts to Tasks: agencies resolved, deadlines read, ids given, with the diagnostics
 * of each row.
 *
 * Date cells in the deadline column: when every one of them falls on the 1st of a
 * month, they are months Excel turned into dates ("4/2026" typed becomes 1 April)
 * and are due the month's last day. Dates whose day and month may have been swapped
 * (a d/m date pasted under a US locale) are flagged `date.swapped` only on evidence
 * within the same annex: (1) the deadline column also holds text dates with a day
 * above 12 (which a US locale could not convert, so they stayed text), or (2) the
 * swapped date equals a due date written as text elsewhere. A date cell outside the
 * annex's dominant year (most due dates in one year) is flagged `date.year`.
 */
import { defaultRegistry } from '../agencies';
import { isoFromParts } from '../dates';
import { deadlineFromDate, parseDeadline } from '../deadline';
import type { Deadline, Diagnostic, IsoDate, Task, TaskField } from '../schemas';
import { dmy } from './cells';
import { FIELD_LABEL } from './headers';
import { foldedHash, idOf } from './ids';
import { trimEndWhile } from '../text';
import { fieldIndex, type ParsedTable } from './rows';
import { pathRefs } from './sections';
import type { SheetReader } from './sheet';
import { diag, type ColumnMapping, type RecognizeOptions, type Section } from './types';

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

/** The section part of a task's id and STT checks: each level's label (its title when it has none). */
function pathKey(path: readonly Section[]): string {
  return path.map((s) => s.numeral || s.title).join(' ');
}

export function finishTasks(
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
  /** Items under the same sections share one path array: its key is made once. */
  const pathKeys = new Map<readonly Section[], string>();
  const months = parsed.drafts.every((d) => d.deadlineDate === null || d.deadlineDate.endsWith('-01'));
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
  const readDeadline = (raw: string): Deadline => {
    let known = memo.get(raw);
    if (!known) memo.set(raw, (known = parseDeadline(raw, { asOf: options.asOf })));
    return known;
  };

  for (const draft of parsed.drafts) {
    const row = sheet.sheetRow(draft.row);
    const text = (f: TaskField): string => (idx[f] === undefined ? '' : draft.texts[idx[f]]);
    const task = text('task');
    const leadRaw = oneLine(text('lead'));
    const supportRaw = oneLine(text('support'));
    let deadlineRaw = oneLine(text('deadline'));

    let deadline: Deadline;
    if (idx.deadline === undefined) deadline = NO_DEADLINE_COLUMN;
    else if (draft.deadlineDate && months) {
      deadlineRaw = `${+draft.deadlineDate.slice(5, 7)}/${draft.deadlineDate.slice(0, 4)}`;
      deadline = readDeadline(deadlineRaw);
    } else if (draft.deadlineDate) {
      deadline = deadlineFromDate(draft.deadlineDate, deadlineRaw);
      dateCells.push({ row, iso: draft.deadlineDate });
    } else if (deadlineRaw === '') {
      deadline = EMPTY_DEADLINE;
      diagnostics.push(diag(row, 'warning', 'deadline.missing', 'Thiếu thời hạn', 'No deadline', 'deadline'));
    } else {
      deadline = readDeadline(deadlineRaw);
      if (deadline.kind === 'unknown') {
        const why = deadline.reason ? ` (${deadline.reason})` : '';
        diagnostics.push(diag(row, 'warning', 'deadline.unknown', `Không đọc được thời hạn “${deadlineRaw}”${why}`, `Unreadable deadline "${deadlineRaw}"${why}`, 'deadline'));
      }
    }

    if (task === '') diagnostics.push(diag(row, 'warning', 'task.empty', 'Nhiệm vụ không có nội dung', 'The task has no text', 'task'));
    if (idx.lead !== undefined && leadRaw === '') diagnostics.push(diag(row, 'warning', 'lead.missing', 'Thiếu cơ quan chủ trì', 'No lead agency', 'lead'));
    const lead = leadRaw ? agencies(leadRaw, 'lead', row) : [];
    const support = supportRaw ? agencies(supportRaw, 'support', row) : [];

    const inner = draft.path.length ? draft.path[draft.path.length - 1] : null;
    let sectionKey = pathKeys.get(draft.path);
    if (sectionKey === undefined) pathKeys.set(draft.path, (sectionKey = pathKey(draft.path)));
    if (draft.stt !== '' && !draft.shared) {
      const sttKey = `${sectionKey}|${trimEndWhile(draft.stt, /[\s.)]/).toLowerCase()}`;
      const first = sttSeen.get(sttKey);
      if (first === undefined) sttSeen.set(sttKey, row);
      else {
        const name = inner ? inner.numeral || inner.title.slice(0, 40) : '';
        const where = inner ? ` trong mục ${name}` : '';
        const whereEn = inner ? ` in section ${name}` : '';
        diagnostics.push(diag(row, 'warning', 'stt.duplicate', `STT “${draft.stt}” trùng với dòng ${first}${where}`, `No. "${draft.stt}" repeats row ${first}${whereEn}`, 'stt'));
      }
    }

    // Cell texts are clean already: hashing them directly gives taskId's result.
    const base = foldedHash([title ?? '', sectionKey, draft.stt, task]);
    const occurrence = occurrences.get(base) ?? 0;
    occurrences.set(base, occurrence + 1);
    const extra: Record<string, string> = {};
    for (const { i, header } of extras) extra[header] = draft.texts[i];

    const out: Task = {
      id: idOf(base, occurrence),
      stt: draft.stt,
      section: inner ? inner.numeral : null,
      sectionTitle: inner ? inner.title : null,
      task,
      lead,
      support,
      leadRaw,
      supportRaw,
      deadline: { ...deadline },
      output: text('output'),
      extra,
      row,
    };
    if (draft.path.length > 1) out.sectionPath = pathRefs(draft.path);
    tasks.push(out);
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
