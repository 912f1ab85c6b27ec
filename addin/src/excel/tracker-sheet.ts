/**
 * A tracker sheet's cells (as Office.js `values` gives them) read back into
 * rows: finds the header, tells each column by its label in either language
 * (the catalogue columns keep the annex's wording, so the annex recognizer's
 * header vocabulary names those), and reads task rows, section rows and
 * progress. Pure, so it is tested without Excel.
 */
import { recognizeAnnex } from '../../../shared/annex';
import type { SheetTaskRow } from '../../../shared/checks';
import { isoFromExcelSerial, isoFromParts, parseIso } from '../../../shared/dates';
import type { IsoDate, Progress, TaskField } from '../../../shared/schemas';
import { parseProgressStatus } from '../../../shared/status';
import { cleanMultiline, cleanText, matchKey } from '../../../shared/text';
import { columnLetter } from '../../../shared/grid';
import { HEADER_LABELS, MIN_COMPLETION_DATE, type SheetLang, type TrackerColumnKey } from '../../../shared/tracker-layout';

export type SheetCell = string | number | boolean | null;

export type TrackerSheetKey = Exclude<TrackerColumnKey, `extra:${string}`>;

export interface TrackerSheet {
  sheetName: string;
  lang: SheetLang;
  /** 1-based sheet row of the header. */
  headerRow: number;
  /** Letter of each tracker column found on the sheet. */
  columns: Partial<Record<TrackerSheetKey, string>>;
  /** Task rows (with an id, or without one but with progress filled in). */
  rows: SheetTaskRow[];
  sectionRows: number[];
}

/** The title rows come first; a header further down is not a tracker's. */
const HEADER_SEARCH_ROWS = 30;
const PROGRESS_KEYS = ['status', 'result', 'completedOn', 'evidence', 'note'] as const;
const CATALOGUE_KEYS: readonly TaskField[] = ['stt', 'task', 'lead', 'support', 'deadline', 'output'];

const LABEL_KEYS: ReadonlyMap<string, { key: TrackerSheetKey; lang: SheetLang }> = new Map(
  (Object.keys(HEADER_LABELS) as TrackerSheetKey[]).flatMap((key) =>
    (['vi', 'en'] as const).map((lang) => [matchKey(HEADER_LABELS[key][lang]), { key, lang }] as const),
  ),
);

function text(value: SheetCell | undefined, multiline = false): string {
  if (value === null || value === undefined || value === '') return '';
  return multiline ? cleanMultiline(String(value)) : cleanText(String(value));
}

/** A day from a serial (a date cell) or typed d/m/yyyy or ISO text; null when it is none. */
export function dayOfCell(value: SheetCell | undefined, min: IsoDate | null = null): IsoDate | null {
  let day: IsoDate | null = null;
  if (typeof value === 'number') day = isoFromExcelSerial(value);
  else if (typeof value === 'string') {
    const s = cleanText(value);
    const dmy = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$/.exec(s);
    day = dmy ? isoFromParts(+dmy[3], +dmy[2], +dmy[1]) : parseIso(s);
  }
  return day && (min === null || day >= min) ? day : null;
}

/** The header row and the column of each key; null when no row has the tracker's own progress columns. */
export function findTrackerHeader(
  rows: readonly (readonly SheetCell[])[],
): { index: number; lang: SheetLang; columns: Partial<Record<TrackerSheetKey, number>> } | null {
  for (let r = 0; r < Math.min(rows.length, HEADER_SEARCH_ROWS); r++) {
    const columns: Partial<Record<TrackerSheetKey, number>> = {};
    let lang: SheetLang = 'vi';
    rows[r].forEach((v, c) => {
      const found = typeof v === 'string' ? LABEL_KEYS.get(matchKey(v)) : undefined;
      if (!found || columns[found.key] !== undefined) return;
      columns[found.key] = c;
      if (found.key === 'status') lang = found.lang;
    });
    if (columns.status === undefined || columns.id === undefined) continue;
    // Catalogue headers in the annex's own words: the recognizer knows their spellings.
    const unknown = CATALOGUE_KEYS.filter((k) => columns[k] === undefined);
    if (unknown.length > 0) {
      const header = rows[r].map((v, c) => (Object.values(columns).includes(c) ? null : v));
      for (const m of recognizeAnnex({ sheet: '', rows: [header], merges: [] }, { asOf: '2000-01-01' }).columns) {
        if (m.field && columns[m.field] === undefined) columns[m.field] = m.column;
      }
    }
    return { index: r, lang, columns };
  }
  return null;
}

/**
 * The task rows of a tracker sheet. `rows[0]` is sheet row `firstRow`. A row
 * without an id that has an STT or a title and no progress is a section heading.
 */
export function parseTrackerSheet(sheetName: string, rows: readonly (readonly SheetCell[])[], firstRow = 1): TrackerSheet | null {
  const header = findTrackerHeader(rows);
  if (!header) return null;
  const col = header.columns;
  const at = (cells: readonly SheetCell[], key: TrackerSheetKey) => (col[key] === undefined ? null : (cells[col[key]!] ?? null));
  const out: TrackerSheet = {
    sheetName,
    lang: header.lang,
    headerRow: firstRow + header.index,
    columns: Object.fromEntries(Object.entries(col).map(([k, c]) => [k, columnLetter(c as number)])),
    rows: [],
    sectionRows: [],
  };
  let section: string | null = null;
  for (let r = header.index + 1; r < rows.length; r++) {
    const cells = rows[r];
    const row = firstRow + r;
    const id = text(at(cells, 'id')) || null;
    const filled = PROGRESS_KEYS.some((k) => text(at(cells, k)) !== '');
    const stt = text(at(cells, 'stt'));
    if (!id && !filled) {
      if (stt || text(at(cells, 'task'))) {
        section = stt || null;
        out.sectionRows.push(row);
      }
      continue;
    }
    const statusText = text(at(cells, 'status'));
    const completedCell = at(cells, 'completedOn');
    const progress: Progress = {
      status: parseProgressStatus(statusText) ?? 'not_started',
      result: text(at(cells, 'result'), true),
      completedOn: dayOfCell(completedCell, MIN_COMPLETION_DATE),
      evidence: text(at(cells, 'evidence'), true),
      note: text(at(cells, 'note'), true),
    };
    out.rows.push({
      row,
      id,
      section,
      stt,
      task: text(at(cells, 'task'), true),
      lead: text(at(cells, 'lead')),
      support: text(at(cells, 'support')),
      deadline: text(at(cells, 'deadline')),
      due: dayOfCell(at(cells, 'due')),
      progress,
      statusText,
      completedOnText: text(completedCell),
    });
  }
  return out;
}
