/**
 * PDFs through the real command line (pdf.js is an ES module, which the test
 * runner's module sandbox cannot load; the built binary loads it as users run it):
 * the seed annexes and letters rendered to PDF by LibreOffice (tests/fixtures/documents,
 * made by scripts/document-fixtures.ts) give the tasks of the seed text; scanned and
 * password-protected PDFs give one bilingual line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Task } from '../../shared/schemas';

const ROOT = path.resolve(__dirname, '../..');
const SEEDS = path.join(ROOT, 'tests/fixtures/seeds');
const DOCUMENTS = path.join(ROOT, 'tests/fixtures/documents');
const AS_OF = '2026-04-20';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/annex-tracker.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tasksOf(file: string): Task[] {
  const r = cli('import', file, '--as-of', AS_OF);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return (JSON.parse(r.stdout) as { tasks: Task[] }).tasks;
}

const withoutRow = (task: Task) => ({ ...task, row: 0 });

describe('PDF annexes', () => {
  it.each(['001-phu-luc', '003-phu-luc-II', '003-phu-luc-III', '003-phu-luc-IV'])(
    '%s.pdf gives exactly the tasks of the seed text (tables from ruling lines, header repeated per page, running header and page numbers dropped)',
    (seed) => {
      const fromText = tasksOf(path.join(SEEDS, `${seed}.txt`));
      const fromPdf = tasksOf(path.join(DOCUMENTS, `${seed}.pdf`));
      expect(fromText.length).toBeGreaterThan(10);
      expect(fromPdf.map(withoutRow)).toEqual(fromText.map(withoutRow));
    },
  );
});

describe('PDF letters', () => {
  it('004: the tasks of the seed text, paragraphs rebuilt from wrapped lines and footnote marks kept', () => {
    const fromText = tasksOf(path.join(SEEDS, '004-cong-van.txt'));
    expect(tasksOf(path.join(DOCUMENTS, '004-cong-van.pdf')).map(withoutRow)).toEqual(fromText.map(withoutRow));
  });

  it('000: all but the items a wrapped line makes ambiguous are the tasks of the seed text', () => {
    const key = (t: Task) => JSON.stringify(withoutRow(t));
    const fromText = new Set(tasksOf(path.join(SEEDS, '000-cong-van.txt')).map(key));
    const fromPdf = tasksOf(path.join(DOCUMENTS, '000-cong-van.pdf'));
    const same = fromPdf.filter((t) => fromText.has(key(t))).length;
    // The seed's footnote text wraps onto a line starting "(5) …" right after a ";": read as a new
    // list item, which the line's layout cannot tell apart. The task holding that footnote and the
    // item after it differ, and "(5)" is read as a task of its own.
    expect(same).toBeGreaterThanOrEqual(fromText.size - 2);
    expect(fromPdf.length).toBeLessThanOrEqual(fromText.size + 1);
  });
});

describe('PDFs that cannot be read', () => {
  it.each([
    ['refused-scanned.pdf', /bản quét.*OCR.*\.docx.* \/ Error: .*scanned PDF.*OCR.*Word file/],
    ['refused-password.pdf', /có mật khẩu.* \/ Error: .*password-protected/],
  ])('%s: exit 1 and one bilingual line', (file, line) => {
    const r = cli('import', path.join(DOCUMENTS, file));
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(line);
  });

  it('refuses a damaged PDF by name', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pdf-'));
    try {
      const file = path.join(dir, 'hong.pdf');
      writeFileSync(file, '%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF');
      const r = cli('import', file);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/hong\.pdf/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('convert from documents', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'convert-doc-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['000-cong-van.docx', '004-cong-van.pdf'])('%s: a tracker of the letter’s tasks, the tasks listed on stderr for checking', async (file) => {
    const out = path.join(dir, `${file}.xlsx`);
    const r = cli('convert', path.join(DOCUMENTS, file), '-o', out, '--as-of', AS_OF);
    expect(r.status).toBe(0);
    const tasks = tasksOf(path.join(DOCUMENTS, file));
    // One line per task ("STT | lead | "deadline" → due | task"), the summary, then each diagnostic with its row.
    const lines = r.stderr.trim().split('\n');
    expect(lines[tasks.length]).toMatch(new RegExp(`: ${tasks.length} nhiệm vụ`));
    expect(lines.slice(0, tasks.length).every((line) => line.includes(' | '))).toBe(true);
    expect(r.stderr).toContain(`| ${tasks[0].leadRaw} | "${tasks[0].deadline.raw}" →`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const texts: string[] = [];
    workbook.worksheets[0].eachRow((row) => row.eachCell((c) => texts.push(String(c.value))));
    for (const t of tasks) expect(texts).toContain(t.task);
  });
});
