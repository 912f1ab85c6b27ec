/**
 * The Excel add-in on a simulated workbook (tests/addin/fake-excel.ts): a
 * 5,000-task annex read from the active sheet, recognised, converted into a
 * tracker and highlighted as of a reporting day. Figures per step: Office.js
 * round trips (syncs), the largest request and response payloads (Excel on the
 * web refuses more than 5 MB), and time. The annex is the generated workbook
 * the other benchmarks use, read with the CLI's reader.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readGridsFromFile } from '../io/read-grid';
import { defaultRegistry } from '../shared/agencies';
import { recognizeAnnex } from '../shared/annex';
import { classifyTask, summarize } from '../shared/status';
import { trackerLayout, trackerRows } from '../shared/tracker-layout';
import { readActiveGrid, readTracker, setReportDate, writeTracker } from '../addin/src/excel/adapter';
import { featuresFrom } from '../addin/src/excel/features';
import { FakeWorkbook, columnName } from '../tests/addin/fake-excel';
import { writeLargeAnnex } from './annex-fixture';
import { figure, peakRssMiB, timed } from './measure';

const TASKS = 5_000;
const AS_OF = '2026-05-20';
const KiB = 1024;
const NOT_STARTED = { status: 'not_started', completedOn: null } as const;

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'addin-bench-'));
  try {
    const file = path.join(dir, 'annex.xlsx');
    await writeLargeAnnex(file, TASKS);
    const [source] = await readGridsFromFile(file);

    // The annex as a user's sheet holds it: values in masters only, merged areas.
    const wb = new FakeWorkbook();
    const sheet = wb.addSheet(source.sheet);
    const rows = source.rows.map((r) => [...r]);
    for (const m of source.merges) {
      for (let r = m.top; r <= m.bottom; r++) for (let c = m.left; c <= m.right; c++) if (r !== m.top || c !== m.left) rows[r][c] = null;
      sheet.merge(`${columnName(m.left)}${m.top + 1}:${columnName(m.right)}${m.bottom + 1}`);
    }
    sheet.setValues(rows.map((r) => r.map((v) => (typeof v === 'boolean' ? String(v) : v))));
    wb.activeSheet = sheet.name;
    const features = featuresFrom((name, version) => wb.isSetSupported(name, version));
    const context = () => wb.context() as unknown as Excel.RequestContext;

    const step = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
      wb.resetCounters();
      const { value, ms } = await timed(fn);
      figure(`${label}: syncs`, wb.syncCount, '', 0);
      figure(`${label}: largest request`, wb.largestRequestBytes / KiB, 'KiB', 0);
      figure(`${label}: largest response`, wb.largestResponseBytes / KiB, 'KiB', 0);
      figure(`${label}: time`, ms, 'ms', 0);
      return value;
    };

    const { grid } = await step(`read annex (${TASKS} tasks)`, () => readActiveGrid(context(), features));
    const { value: rec, ms: recognizeMs } = await timed(() => recognizeAnnex(grid, { asOf: AS_OF }));
    figure('recognise (pure): tasks', rec.tasks.length, '', 0);
    figure('recognise (pure): time', recognizeMs, 'ms', 0);
    if (rec.tasks.length !== TASKS) throw new Error(`recognised ${rec.tasks.length} tasks, expected ${TASKS}`);

    const layout = trackerLayout({
      title: rec.title,
      tasks: rec.tasks,
      annexColumns: rec.columns,
      asOf: AS_OF,
      agencyNames: defaultRegistry.agencies.map((a) => a.name),
    });
    const written = await step('convert', () =>
      writeTracker(context(), { sheetName: layout.sheetName, layout, rows: trackerRows(layout, rec.tasks), features }),
    );
    figure('convert: sheet rows written', written.rowCount, '', 0);
    figure('convert: all requests together', wb.requests.reduce((n, r) => n + r.bytes, 0) / KiB, 'KiB', 0);

    const counts = await step('highlight as of 30/06/2026', () => setReportDate(context(), '2026-06-30'));
    // The counts read from the sheet must be those of the tasks themselves.
    const expected = summarize(rec.tasks.map((t) => ({ category: classifyTask(t.deadline, NOT_STARTED, { asOf: '2026-06-30' }) })));
    if (JSON.stringify(counts.counts) !== JSON.stringify(expected.counts)) throw new Error('highlight counts differ from classifyTask');
    figure('highlight: overdue on 30/06/2026', counts.counts.overdue, 'tasks', 0);
    figure('highlight: due soon on 30/06/2026', counts.counts.due_soon, 'tasks', 0);
    await step('highlight as of today (ribbon)', () => setReportDate(context(), null));
    await step('read tracker back', () => readTracker(context(), written.sheetName));
    figure('peak memory', peakRssMiB(), 'MiB', 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
