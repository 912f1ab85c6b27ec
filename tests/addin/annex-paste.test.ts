/**
 * The add-in path of annex recognition: the active sheet read by the add-in's own
 * reading code (readActiveGrid over the fake Office.js) and handed to the same core
 * as the CLI. Phụ lục II pasted from its PDF gives its 61 tasks; a corpus table typed
 * with merged cells gives its rows.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FakeWorkbook } from './fake-excel';
import { fixtureGrid } from '../shared/grid-from-text';
import { recognizeAnnex } from '../../shared/annex';
import type { MergeRange } from '../../shared/grid';
import { readActiveGrid } from '../../addin/src/excel/adapter';
import { featuresFrom } from '../../addin/src/excel/features';

jest.mock('office-addin-manifest', () => ({
  OfficeApp: { Excel: 'excel', OneNote: 'onenote', Outlook: 'outlook', PowerPoint: 'powerpoint', Project: 'project', Word: 'word' },
}));

const asOf = '2026-05-20';

async function recogniseActive(wb: FakeWorkbook) {
  const context = wb.context() as unknown as Excel.RequestContext;
  const { grid } = await readActiveGrid(context, featuresFrom((name, version) => wb.isSetSupported(name, version)));
  return recognizeAnnex(grid, { asOf });
}

test('Phụ lục II pasted from its PDF onto the active sheet: 61 tasks, as typed', async () => {
  const wb = new FakeWorkbook();
  const pasted = fixtureGrid('seeds/003-phu-luc-II-pdf-paste.txt');
  wb.addSheet('Dán từ PDF').setValues(pasted.rows.map((r) => r.map((v) => (typeof v === 'string' ? v : null))));
  wb.activeSheet = 'Dán từ PDF';
  const r = await recogniseActive(wb);
  const typed = recognizeAnnex(fixtureGrid('seeds/003-phu-luc-II.txt'), { asOf });
  expect(r.tasks).toHaveLength(61);
  expect(r.tasks.map((t) => [t.id, t.section, t.stt, t.task, t.leadRaw, t.deadline.raw, t.output])).toEqual(
    typed.tasks.map((t) => [t.id, t.section, t.stt, t.task, t.leadRaw, t.deadline.raw, t.output]),
  );
});

test('a corpus table with merged cells (qd384: one owner over many data rows) on the active sheet', async () => {
  const fixtures = path.join(__dirname, '..', 'fixtures', 'corpus');
  const { rows, merges } = JSON.parse(readFileSync(path.join(fixtures, 'qd384_tw.grid.json'), 'utf8')) as { rows: string[][]; merges: MergeRange[] };
  const expected = (JSON.parse(readFileSync(path.join(fixtures, 'qd384_tw.expected.json'), 'utf8')) as { rows: { task: string; leadRaw: string }[] }).rows;
  const wb = new FakeWorkbook();
  const sheet = wb.addSheet('Phụ lục');
  const width = Math.max(...rows.map((r) => r.length));
  sheet.setValues(rows.map((r) => Array.from({ length: width }, (_, c) => r[c] || null)));
  for (const m of merges) sheet.merge(`${String.fromCharCode(65 + m.left)}${m.top + 1}:${String.fromCharCode(65 + m.right)}${m.bottom + 1}`);
  wb.activeSheet = 'Phụ lục';
  const r = await recogniseActive(wb);
  expect(r.tasks.map((t) => [t.task, t.leadRaw])).toEqual(expected.map((e) => [e.task, e.leadRaw]));
});
