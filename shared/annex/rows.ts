/**
 * Rows to drafts. Each row is a section, an item, the cut half of the item above,
 * or noise, by these signals (one sentence each):
 * - a row with something in lead, support, deadline or output is never a section;
 * - a Roman numeral, capital letter or "Phần/Bảng …" label with a title and nothing else is a section;
 * - a number or dotted number with a title and nothing else is a section when its title
 *   shares its cell ("1. Các nhiệm vụ …") or the next numbered row is an item numbered
 *   another way (1 → 1.1, III.1 → 1, 1 → a);
 * - a row holding only an unlabelled title is a section when it is in capitals, spans
 *   merged cells across the table, or the numbering restarts right below it;
 * - a row without STT continues the item above when it follows a page break (blank row,
 *   repeated header, page number) and its STT cell is not merged from above, or when its
 *   text starts in lower case (a sentence cut in two), or when all it holds are bullets
 *   ("- …", "+ …": the paragraphs of a cell pasted from Word, which Excel puts on rows of their own);
 * - any other row without STT is an item of its own under the numbered item above: it
 *   takes that item's task (and STT), lead, support and deadline where its own cells are empty;
 * - an item numbered like an open section ("2" after section "1" and its 1.1, 1.2) closes it;
 * - a lone number (a page number) or lone text in the STT column (stray prose) is skipped with a warning.
 */
import type { Diagnostic, IsoDate, TaskField } from '../schemas';
import { cellText, dateOfCell, dmy, isUpperCase, startsLowerCase } from './cells';
import { isFirstOrdinal, SectionStack, sectionLabel } from './sections';
import type { SheetReader } from './sheet';
import { segmentColumns, type TableScan } from './tables';
import { diag, type ColumnMapping, type Section } from './types';

export interface Draft {
  /** 0-based grid row the item starts on. */
  row: number;
  stt: string;
  /** The open sections, outermost first (shared objects: a title cut by a page break still grows). */
  path: Section[];
  /** Cell texts by position in the table's columns. */
  texts: string[];
  deadlineDate: IsoDate | null;
  /** An unnumbered item under the numbered item above (its STT repeats without being a duplicate). */
  shared: boolean;
}

export interface ParsedTable {
  drafts: Draft[];
  sections: Section[];
  diagnostics: Diagnostic[];
}

export function fieldIndex(columns: readonly ColumnMapping[]): Partial<Record<TaskField, number>> {
  const index: Partial<Record<TaskField, number>> = {};
  columns.forEach((col, i) => {
    if (col.field) index[col.field] = i;
  });
  return index;
}

function pageNumber(row: number, text: string, field: string): Diagnostic {
  return diag(row, 'warning', 'row.page-number', `Bỏ qua dòng chỉ có số “${text}” (số trang?)`, `Skipped a row holding only the number "${text}" (a page number?)`, field);
}

function joined(a: string, b: string): string {
  return a === '' ? b : b === '' ? a : `${a} ${b}`;
}

/** A paragraph that lists ("- …", "+ …", "• …"): a cell pasted from Word splits into such rows. */
const BULLET = /^[-+•–]\s/;

/** Fields an unnumbered item takes from the numbered item above when its own cells are empty. */
const SHARED_FIELDS: readonly TaskField[] = ['task', 'lead', 'support', 'deadline'];

export function parseTable(sheet: SheetReader, table: TableScan, columns: ColumnMapping[]): ParsedTable {
  const idx = fieldIndex(columns);
  const sttAt = idx.stt;
  const taskAt = idx.task;
  const dlAt = idx.deadline;
  const details = (['lead', 'support', 'deadline', 'output'] as const).flatMap((f) => (idx[f] === undefined ? [] : [idx[f] as number]));
  const date1904 = !!sheet.grid.date1904;
  const reads = table.segments.map((_, s) => segmentColumns(table, columns, s));
  const { dataRows, segmentOf } = table;
  const drafts: Draft[] = [];
  const sections: Section[] = [];
  const diagnostics: Diagnostic[] = [];
  const stack = new SectionStack();
  let last: 'task' | 'section' | null = null;
  let pageBreak = false;

  const value = (k: number, i: number, repeat: boolean) => {
    const c = reads[segmentOf[k]][i];
    return c < 0 ? null : sheet.dataValue(dataRows[k], c, repeat);
  };
  const stts = dataRows.map((_, k) => (sttAt === undefined ? '' : cellText(value(k, sttAt, false))));
  /** The STT of the next numbered row, for numbering that goes deeper or restarts below a title. */
  const nextStt: string[] = new Array(dataRows.length).fill('');
  for (let k = dataRows.length - 2; k >= 0; k--) nextStt[k] = stts[k + 1] !== '' ? stts[k + 1] : nextStt[k + 1];

  const readRow = (k: number, repeat: boolean) => {
    const texts: string[] = [];
    let deadlineDate: IsoDate | null = null;
    let filled = 0;
    for (let i = 0; i < columns.length; i++) {
      if (i === sttAt) {
        texts.push(stts[k]);
        continue;
      }
      const v = value(k, i, repeat);
      if (i === dlAt) deadlineDate = dateOfCell(v, date1904);
      const text = deadlineDate && i === dlAt ? dmy(deadlineDate) : cellText(v, true);
      texts.push(text);
      if (text !== '') filled++;
    }
    return { texts, deadlineDate, filled };
  };

  /** A section row's label and title, or null. */
  const heading = (k: number, texts: string[], filled: number, afterBreak: boolean): { kind: string; label: string; title: string } | null => {
    if (details.some((i) => texts[i] !== '')) return null;
    const stt = stts[k];
    const taskText = taskAt === undefined ? '' : texts[taskAt];
    if (stt !== '') {
      const label = sectionLabel(stt);
      if (!label || (taskText === '' && filled > 0)) return null;
      const title = joined(label.rest, taskText);
      const section = { kind: label.kind, label: label.label, title };
      if (label.strong) return section;
      if (title === '') return null;
      if (label.rest !== '' && taskText === '') return section;
      const next = sectionLabel(nextStt[k]);
      return next && !next.strong && next.kind !== label.kind ? section : null;
    }
    if (filled !== 1 || taskText === '' || afterBreak || startsLowerCase(taskText)) return null;
    const label = sectionLabel(taskText);
    if (label && label.kind !== 'lower' && /^[A-ZÀ-Ỹ]/.test(label.rest)) return { kind: label.kind, label: label.label, title: label.rest };
    const r = dataRows[k];
    const spans = sheet.mergeWidth(r, reads[segmentOf[k]][taskAt as number]) * 2 > columns.length;
    const restarts = isFirstOrdinal(nextStt[k]);
    return isUpperCase(taskText) || spans || restarts ? { kind: 'title', label: '', title: taskText } : null;
  };

  for (let k = 0; k < dataRows.length; k++) {
    const r = dataRows[k];
    const sheetRow = sheet.sheetRow(r);
    const stt = stts[k];
    const afterBreak = pageBreak || table.afterBreak.has(r);
    pageBreak = false;
    const row = readRow(k, false);
    const { texts, filled } = row;
    if (stt === '' && filled === 0) continue;
    // A "(1) (2) (3)…" row numbering the columns right under a header.
    if (table.firstUnderHeader.has(r) && filled >= 2 && texts.every((t) => t === '' || /^\(?\d{1,2}\)?$/.test(t))) continue;

    const section = heading(k, texts, filled, afterBreak);
    if (section) {
      sections.push(stack.push(section.kind, section.label, section.title, sheetRow));
      last = 'section';
      continue;
    }
    if (stt !== '' && filled === 0) {
      const isPage = /^\d+$/.test(stt);
      pageBreak = isPage;
      diagnostics.push(
        isPage
          ? pageNumber(sheetRow, stt, 'stt')
          : diag(sheetRow, 'warning', 'row.stray', `Bỏ qua dòng chỉ có chữ ở cột STT: “${stt.slice(0, 60)}”`, `Skipped a row with text only in the STT column: "${stt.slice(0, 60)}"`, 'stt'),
      );
      continue;
    }
    if (stt === '' && filled === 1) {
      // A page number that landed in another column (a sheet whose STT is not the first column).
      const at = texts.findIndex((t) => t !== '');
      if (/^\d{1,3}$/.test(texts[at])) {
        diagnostics.push(pageNumber(sheetRow, texts[at], columns[at].field ?? columns[at].letter));
        pageBreak = true;
        continue;
      }
    }
    const taskText = taskAt === undefined ? '' : texts[taskAt];
    const firstText = taskText || texts.find((t) => t !== '') || '';
    const sttMerged = sttAt !== undefined && reads[segmentOf[k]][sttAt] >= 0 && sheet.mergedFromAbove(r, reads[segmentOf[k]][sttAt]);
    const numbered = sttAt === undefined ? taskText !== '' && !startsLowerCase(taskText) : stt !== '';
    const bulletsOnly = texts.every((t, i) => t === '' || i === sttAt || BULLET.test(t));
    const continues = !numbered && (sttAt === undefined || startsLowerCase(firstText) || bulletsOnly || (afterBreak && !sttMerged));

    if (!continues) {
      const label = numbered && stt !== '' ? sectionLabel(stt) : null;
      if (label && !label.strong) stack.place(label.kind);
      const shared = !numbered && last === 'task';
      const item = sheet.hasMerges ? readRow(k, true) : row;
      const draft: Draft = { row: r, stt: stts[k], path: stack.path(), texts: item.texts, deadlineDate: item.deadlineDate, shared };
      if (shared) {
        const above = drafts[drafts.length - 1];
        for (const f of SHARED_FIELDS) {
          const i = idx[f];
          if (i === undefined || row.texts[i] !== '') continue;
          // The row's own cell is empty (or merged down from the item above): the item's value holds.
          if (draft.texts[i] === '') draft.texts[i] = above.texts[i];
          if (f === 'deadline' && !draft.deadlineDate) draft.deadlineDate = above.deadlineDate;
          if (f === 'task') draft.stt = above.stt;
        }
      }
      drafts.push(draft);
      last = 'task';
      continue;
    }
    // The cut half of the item (or section title) above: each cell joins the same column.
    const open = stack.current;
    if (last === 'task') {
      const draft = drafts[drafts.length - 1];
      if (dlAt !== undefined && draft.texts[dlAt] === '') draft.deadlineDate = row.deadlineDate;
      texts.forEach((text, i) => {
        if (text !== '') draft.texts[i] = joined(draft.texts[i], text);
      });
    } else if (last === 'section' && open && filled === 1 && taskText !== '') {
      open.title = joined(open.title, taskText);
    } else {
      diagnostics.push(
        diag(sheetRow, 'warning', 'row.orphan', 'Dòng không có STT nhưng phía trên không có nhiệm vụ nào để nối tiếp', 'A row without STT has no task above it to continue'),
      );
    }
  }
  return { drafts, sections, diagnostics };
}
