/**
 * The corpus tables (tests/fixtures/corpus, derived from real annexes by derive.py)
 * as they reach Excel: typed with title rows, saved as CSV with ";", pasted from the
 * PDF with page breaks, and as a workbook with merged cells, written to real files and
 * read by the same reader the CLI uses. Every rendering must give the truth's rows.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { pickAnnex, type Recognition } from '../../shared/annex';
import type { MergeRange } from '../../shared/grid';
import { Task } from '../../shared/schemas';
import { readGridsFromFile } from '../../io/read-grid';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'corpus');
const DOCS = ['kh144_bacninh', 'nq394_cp', 'cv174_bcd', 'qd2634_ttg', 'qd384_tw'];
const RENDERINGS = ['tsv', 'csv', 'pdf.txt', 'xlsx'] as const;
const asOf = '2026-05-01';

interface ExpectedRow {
  stt: string;
  sectionPath: { label: string; title: string }[];
  task: string;
  leadRaw: string;
  supportRaw: string;
  deadline: string;
  extra: Record<string, string>;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'annex-corpus-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The rendering as a file the reader opens: text fixtures copied, the grid written as a workbook with its merges. */
async function renderedFile(doc: string, rendering: (typeof RENDERINGS)[number]): Promise<string> {
  const file = path.join(dir, `${doc}.${rendering === 'pdf.txt' ? 'pdf-paste.txt' : rendering}`);
  if (rendering !== 'xlsx') {
    writeFileSync(file, readFileSync(path.join(FIXTURES, `${doc}.${rendering}`)));
    return file;
  }
  const { rows, merges } = JSON.parse(readFileSync(path.join(FIXTURES, `${doc}.grid.json`), 'utf8')) as { rows: string[][]; merges: MergeRange[] };
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Phụ lục');
  rows.forEach((row, r) => row.forEach((text, c) => text !== '' && (sheet.getCell(r + 1, c + 1).value = text)));
  for (const m of merges) sheet.mergeCells(m.top + 1, m.left + 1, m.bottom + 1, m.right + 1);
  await workbook.xlsx.writeFile(file);
  return file;
}

function expectedOf(doc: string): ExpectedRow[] {
  return (JSON.parse(readFileSync(path.join(FIXTURES, `${doc}.expected.json`), 'utf8')) as { rows: ExpectedRow[] }).rows;
}

function actualRow(t: Task, extraKeys: string[]): ExpectedRow {
  const path = t.sectionPath ?? (t.section !== null ? [{ label: t.section, title: t.sectionTitle ?? '' }] : []);
  return {
    stt: t.stt,
    sectionPath: path,
    task: t.task,
    leadRaw: t.leadRaw ?? '',
    supportRaw: t.supportRaw ?? '',
    deadline: t.deadline.raw,
    extra: Object.fromEntries(extraKeys.map((k) => [k, t.extra[k] ?? ''])),
  };
}

const figures: string[] = [];
afterAll(() => {
  // Per-document figures, printed once for the record.
  process.stdout.write(`corpus tables, rows matched per rendering:\n${figures.join('\n')}\n`);
});

describe.each(DOCS)('%s', (doc) => {
  const expected = expectedOf(doc);

  test.each(RENDERINGS)('as %s: every row with its section, agencies and deadline', async (rendering) => {
    const grids = await readGridsFromFile(await renderedFile(doc, rendering));
    const r: Recognition = pickAnnex(grids, { asOf });
    const got = r.tasks.map((t, i) => actualRow(t, Object.keys(expected[i]?.extra ?? {})));
    const matched = got.filter((row, i) => JSON.stringify(row) === JSON.stringify(expected[i])).length;
    figures.push(`${doc} ${rendering}: ${matched}/${expected.length} (tasks ${r.tasks.length})`);
    expect(got).toEqual(expected);
    for (const t of r.tasks) expect(Task.parse(t)).toEqual(t);
    // Nothing dropped or glued unsaid: no orphan rows, no row skipped as stray text.
    expect(r.diagnostics.filter((d) => d.code === 'row.orphan' || d.code === 'row.stray')).toEqual([]);
  });
});
