/**
 * Trackers from rows as a person types them (POST /api/trackers with JSON `tasks` of
 * {stt, section?, task, lead, support?, deadline, output?}): the rows are laid out as the annex
 * table a file would hold — header, a section row where the section changes — and read by the same
 * recogniser, so ids, agencies and deadlines come out exactly as from a file. Diagnostics name the
 * typed row (1-based), not the table's.
 */
import type { AgencyRegistry } from '../shared/agencies';
import { recognizeAnnex } from '../shared/annex';
import { InputError } from '../shared/errors';
import type { CellValue } from '../shared/grid';
import type { Diagnostic, IsoDate, Task } from '../shared/schemas';
import type { TrackerRowInput } from '../shared/api';
import type { z } from 'zod';

type Row = z.infer<typeof TrackerRowInput>;

const HEADER = ['STT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời hạn', 'Sản phẩm'];
const ROMAN = /^([IVXLC]{1,8})(?:[.):\s-]+(.*))?$/;
const NUMERALS = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII', 'XIII', 'XIV', 'XV', 'XVI', 'XVII', 'XVIII', 'XIX', 'XX'];

const agencies = (value: string | string[] | undefined): string => (Array.isArray(value) ? value.join('; ') : (value ?? ''));

/** "II. Title", "II" or a bare title (numbered in turn) → the section row's numeral and title. */
function sectionCells(section: string, count: number): [string, string] {
  const m = ROMAN.exec(section.trim());
  if (m) return [m[1], (m[2] ?? '').trim() || m[1]];
  return [NUMERALS[count] ?? String(count + 1), section.trim()];
}

export function tasksFromRows(rows: readonly Row[], asOf: IsoDate, registry?: AgencyRegistry): { tasks: Task[]; diagnostics: Diagnostic[] } {
  const grid: CellValue[][] = [HEADER];
  /** Table row (1-based) → typed row (1-based). */
  const typedRow = new Map<number, number>();
  let section: string | null = null;
  let sections = 0;
  rows.forEach((row, i) => {
    const s = row.section?.trim() || null;
    if (s && s !== section) grid.push([...sectionCells(s, sections++), null, null, null, null]);
    section = s;
    grid.push([row.stt, row.task, agencies(row.lead), agencies(row.support), row.deadline, row.output ?? '']);
    typedRow.set(grid.length, i + 1);
  });
  const read = recognizeAnnex({ sheet: 'tasks', rows: grid, merges: [] }, { asOf, registry, mapping: { stt: 0, task: 1, lead: 2, support: 3, deadline: 4, output: 5 } });
  const taken = new Set(read.tasks.map((t) => t.row));
  typedRow.forEach((typed, tableRow) => {
    if (!taken.has(tableRow)) {
      throw new InputError(
        `Dòng ${typed}: không đọc được thành nhiệm vụ (thiếu nội dung nhiệm vụ, hoặc STT trông như số La Mã của một phần)`,
        `Row ${typed}: not readable as a task (no task text, or an STT that looks like a section's Roman numeral)`,
        'tracker.row_invalid',
        { row: typed, field: `tasks.${typed - 1}` },
      );
    }
  });
  // A task's row is the typed one.
  const tasks = read.tasks.map((task) => ({ ...task, row: typedRow.get(task.row ?? -1) ?? task.row }));
  const diagnostics = read.diagnostics.map((d) => ({ ...d, row: d.row === null ? null : (typedRow.get(d.row) ?? null) }));
  return { tasks, diagnostics };
}
