/**
 * Text files into a Grid: CSV (comma or semicolon), tab-separated text and the
 * plain tab-separated lines copied from Word, in UTF-8, UTF-16 or the legacy
 * Vietnamese encodings (decodeText), within the same limits as workbooks.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import type { CellValue, Grid } from '../shared/grid';
import { InputError } from '../shared/errors';
import { decodeText } from '../shared/encoding';
import type { GridBudget } from './grid-limits';

const DELIMITERS = ['\t', ';', ','] as const;
/** Characters of a text file looked at to choose its delimiter. */
const DELIMITER_SAMPLE_CHARS = 64 * 1024;

/** A text file (CSV, TSV, plain tab-separated lines; any encoding decodeText knows) as one grid named `name`. */
export function readTextGrid(bytes: Uint8Array, name: string, budget: GridBudget): Grid {
  const { text } = decodeText(bytes);
  if (text.trim() === '') throw new InputError(`Tệp ${name} rỗng`, `The file ${name} is empty`, 'file.empty');
  if (text.includes('\u0000')) throw new InputError(`Tệp ${name} không phải văn bản`, `The file ${name} is not text`, 'file.binary');
  const delimiter = detectDelimiter(text);
  // One record past the row limit is enough to know the file breaks it.
  const maxRecords = budget.limits.maxRows + 1;
  let records: string[][];
  if (delimiter === '\t' && !/(^|\t)"/m.test(text)) {
    // Plain tab-separated lines (the seeds, copies from Word): quotes are content, not syntax.
    const lines = text.split(/\r\n|\r|\n/, maxRecords + 1);
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    records = lines.slice(0, maxRecords).map((line) => line.split('\t'));
  } else {
    try {
      records = parseCsv(text, { delimiter, bom: true, relax_quotes: true, relax_column_count: true, to: maxRecords }) as string[][];
    } catch (e) {
      throw new InputError(`Tệp ${name} sai cấu trúc CSV: ${(e as Error).message}`, `Malformed CSV in ${name}: ${(e as Error).message}`, 'file.csv');
    }
  }
  budget.extent(name, records.length, 0);
  const rows = records.map((record, r) => {
    const cells: CellValue[] = [];
    record.forEach((v, c) => {
      if (v === '') return;
      budget.cell(name, r, c, v);
      while (cells.length < c) cells.push(null);
      cells[c] = v;
    });
    return cells;
  });
  return { sheet: name, rows, merges: [], firstRow: 1 };
}

/**
 * Tab, semicolon (Excel with a European list separator) or comma: the one that
 * splits most records of the sample into the same number of fields. Counting
 * skips quoted text, so commas inside quoted task texts do not vote; title
 * lines, which hold no delimiter, do not vote either.
 */
export function detectDelimiter(text: string): string {
  const counts: Record<string, number[]> = { '\t': [], ';': [], ',': [] };
  let current: Record<string, number> = { '\t': 0, ';': 0, ',': 0 };
  let quoted = false;
  const end = Math.min(text.length, DELIMITER_SAMPLE_CHARS);
  for (let i = 0; i < end; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c === '\n') {
      for (const d of DELIMITERS) if (current[d] > 0) counts[d].push(current[d]);
      current = { '\t': 0, ';': 0, ',': 0 };
    } else if (c in current) current[c]++;
  }
  let best: string = '\t';
  let bestScore = 0;
  for (const d of DELIMITERS) {
    const score = modeFrequency(counts[d]);
    if (score > bestScore) [best, bestScore] = [d, score];
  }
  return best;
}

function modeFrequency(values: number[]): number {
  const seen = new Map<number, number>();
  let top = 0;
  for (const v of values) {
    const n = (seen.get(v) ?? 0) + 1;
    seen.set(v, n);
    top = Math.max(top, n);
  }
  return top;
}
