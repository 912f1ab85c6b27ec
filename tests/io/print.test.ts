/**
 * What an official prints, checked the way a person would: the tracker of
 * Phụ lục II and of notice 001's annex, report.xlsx and export.xlsx (with its
 * per-lead sheet) rendered to PDF by LibreOffice, then measured. pdftotext
 * -bbox gives the paper and every word's box (text over text, the header on
 * each page, what ends a page); pdf.js gives the size each word is set in,
 * which is the text height an official reads; pdffonts the typefaces.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readGridsFromFile } from '../../io/read-grid';
import { writeTrackerWorkbook } from '../../io/tracker-workbook';
import { pickAnnex, type Recognition } from '../../shared/annex';
import { buildReport, type Report } from '../../server/report';
import { reportWorkbook } from '../../server/routes/reports';
import { progressFor, reportsSheet } from '../../server/routes/exports';
import type { AgencyRecord, ReportRecord, TaskRecord, TrackerRecord } from '../../server/store/store';
import { MIN_PRINTED_POINTS } from '../../shared/print-layout';
import type { Progress } from '../../shared/schemas';

const SEEDS = path.resolve(__dirname, '../fixtures/seeds');
const AS_OF = '2026-11-20';

interface Word {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  text: string;
}
interface Page {
  width: number;
  height: number;
  words: Word[];
  /** Sizes (points) of the text runs pdf.js finds on the page. */
  sizes: number[];
}

function run(command: string, args: string[], input?: string): string {
  const r = spawnSync(command, args, { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024, timeout: 240_000 });
  if (r.status !== 0) throw new Error(`${command} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** Each page's size, word boxes (pdftotext -bbox) and text sizes (pdf.js, in a child: it is an ES module). */
function readPdf(file: string): Page[] {
  const html = run('pdftotext', ['-bbox', file, '-']);
  const pages: Page[] = [];
  for (const m of html.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)) {
    const words = [...m[3].matchAll(/xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((w) => ({
      x0: +w[1],
      y0: +w[2],
      x1: +w[3],
      y1: +w[4],
      text: unescape(w[5]),
    }));
    pages.push({ width: +m[1], height: +m[2], words, sizes: [] });
  }
  const script = `
    import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
    import { readFileSync } from 'node:fs';
    const doc = await getDocument({ data: new Uint8Array(readFileSync(process.argv[1])), verbosity: 0 }).promise;
    const out = [];
    for (let p = 1; p <= doc.numPages; p++) {
      const items = (await (await doc.getPage(p)).getTextContent()).items.filter((i) => i.str.trim());
      out.push(items.map((i) => Math.hypot(i.transform[2], i.transform[3])));
    }
    console.log(JSON.stringify(out));`;
  const sizes = JSON.parse(
    spawnSync(process.execPath, ['--input-type=module', '-e', script, file], { encoding: 'utf8', cwd: path.resolve(__dirname, '../..') }).stdout,
  ) as number[][];
  sizes.forEach((s, i) => (pages[i].sizes = s));
  return pages;
}

/** Pairs of words printed over each other: boxes that cross by more than a third of a line (adjacent lines touch a little). */
function overlaps(words: readonly Word[]): [string, string][] {
  const found: [string, string][] = [];
  const sorted = [...words].sort((a, b) => a.y0 - b.y0);
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i];
    for (let j = i + 1; j < sorted.length && sorted[j].y0 < a.y1; j++) {
      const b = sorted[j];
      const vertical = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
      if (a.x0 < b.x1 - 0.5 && b.x0 < a.x1 - 0.5 && vertical > Math.min(a.y1 - a.y0, b.y1 - b.y0) / 3) found.push([a.text, b.text]);
    }
  }
  return found;
}

/** A header label on the page: its words in the top third (a wrapped label's lines interleave with its neighbours'). */
function hasPhrase(page: Page, phrase: string): boolean {
  const top = new Set(page.words.filter((w) => w.y1 < page.height / 3).map((w) => w.text));
  return phrase.split(' ').every((w) => top.has(w));
}

const isA4 = (p: Page) => {
  const [short, long] = [Math.min(p.width, p.height), Math.max(p.width, p.height)];
  return Math.abs(short - 595.3) < 1 && Math.abs(long - 841.9) < 1;
};

/** The checks every printed page must pass. */
function expectReadable(pages: readonly Page[]): void {
  expect(pages.length).toBeGreaterThan(0);
  for (const page of pages) {
    expect(isA4(page)).toBe(true);
    expect(page.sizes.length).toBeGreaterThan(0);
    expect(Math.min(...page.sizes)).toBeGreaterThanOrEqual(MIN_PRINTED_POINTS);
    expect(Math.min(...page.words.map((w) => w.y1 - w.y0))).toBeGreaterThanOrEqual(MIN_PRINTED_POINTS);
    expect(overlaps(page.words)).toEqual([]);
  }
}

/** The typeface families of a PDF (subset prefix and style taken off). */
function families(file: string): string[] {
  const lines = run('pdffonts', [file]).split('\n').slice(2).filter(Boolean);
  return [...new Set(lines.map((l) => l.split(/\s+/)[0].replace(/^[A-Z]{6}\+/, '').replace(/-(Bold|Italic|BoldItalic|Oblique)$/, '')))];
}

/** The number column's words of a tracker page: those at the table's left edge. */
function numberColumn(page: Page): Word[] {
  const body = page.words.filter((w) => w.y1 < page.height - 40);
  const left = Math.min(...body.map((w) => w.x0));
  return body.filter((w) => w.x0 < left + 12).sort((a, b) => a.y0 - b.y0);
}

const NONE: Progress = { status: 'not_started', result: '', completedOn: null, evidence: '', note: '' };
const AGENCIES: AgencyRecord[] = [
  { id: 'khcn', name: 'Sở Khoa học và Công nghệ', registryId: 'so-khoa-hoc-cong-nghe', kind: 'department', createdAt: '2026-01-01T00:00:00Z' },
  { id: 'noivu', name: 'Sở Nội vụ', registryId: 'so-noi-vu', kind: 'department', createdAt: '2026-01-01T00:00:00Z' },
];

/** The service's tracker of Phụ lục II on AS_OF: a few tasks reported by their lead, the rest silent. */
function trackerRecord(recognition: Recognition): TrackerRecord {
  const tasks: TaskRecord[] = recognition.tasks.map((t, i) => {
    const agency = AGENCIES.find((a) => t.lead.includes(a.name));
    const reports: ReportRecord[] =
      agency && i % 4 === 0
        ? [
            {
              ...NONE,
              status: i % 8 === 0 ? 'done' : 'in_progress',
              completedOn: i % 8 === 0 ? '2026-10-15' : null,
              result: 'Đã trình UBND tỉnh dự thảo văn bản; đang lấy ý kiến các sở, ngành và địa phương trước khi ban hành chính thức',
              agencyId: agency.id,
              agencyName: agency.name,
              version: 1,
              updatedAt: '2026-11-02T03:00:00Z',
              updatedBy: agency.name,
            },
          ]
        : [];
    return { ...t, position: i, reports, overall: reports[0] ?? NONE };
  });
  return {
    id: 'pl2',
    title: recognition.title ?? 'Phụ lục II',
    documentNumber: null,
    documentDate: null,
    taskCount: tasks.length,
    createdAt: '2026-04-01T00:00:00Z',
    tasks,
    cursor: '0',
  };
}

let dir: string;
let phuLucII: Recognition;
let report: Report;
const pdf: Record<'tracker003' | 'tracker001' | 'report' | 'export', Page[]> = { tracker003: [], tracker001: [], report: [], export: [] };
const files: Record<keyof typeof pdf, string> = { tracker003: '', tracker001: '', report: '', export: '' };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'print-'));
  const recognise = async (seed: string) => pickAnnex(await readGridsFromFile(path.join(SEEDS, seed)), { asOf: AS_OF });
  phuLucII = await recognise('003-phu-luc-II.txt');
  const notice = await recognise('001-phu-luc.txt');
  const xlsx = (name: keyof typeof pdf) => path.join(dir, `${name}.xlsx`);
  const input = (r: Recognition) => ({ title: r.title, tasks: r.tasks, columns: r.columns, asOf: AS_OF });
  await writeTrackerWorkbook(input(phuLucII), xlsx('tracker003'));
  await writeTrackerWorkbook(input(notice), xlsx('tracker001'));
  const tracker = trackerRecord(phuLucII);
  report = buildReport(tracker, AGENCIES, [], { asOf: AS_OF, reportDay: 25, dueSoonDays: 7, timeZone: 'Asia/Ho_Chi_Minh' });
  await reportWorkbook(report, 'vi').xlsx.writeFile(xlsx('report'));
  // export.xlsx when two reports have come in: a nearly empty per-lead sheet.
  let kept = 0;
  const early = { ...tracker, tasks: tracker.tasks.map((t) => (t.reports.length && kept++ < 2 ? t : { ...t, reports: [], overall: NONE })) };
  await writeTrackerWorkbook({ ...input(phuLucII), progress: progressFor(early, undefined) }, xlsx('export'), {
    extraSheets: [reportsSheet(early, 'vi')],
  });
  // One LibreOffice run for every file, in a profile of its own so parallel runs do not collide.
  const names = Object.keys(pdf) as (keyof typeof pdf)[];
  run('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, ...names.map(xlsx)]);
  for (const name of names) {
    files[name] = path.join(dir, `${name}.pdf`);
    pdf[name] = readPdf(files[name]);
  }
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * PRINT_SCREENSHOTS=docs/screenshots npx jest tests/io/print.test.ts makes the
 * README's pictures of printed pages anew (pdftoppm, 60 dpi).
 */
if (process.env.PRINT_SCREENSHOTS) {
  const out = path.resolve(process.env.PRINT_SCREENSHOTS);
  it('writes a picture of a printed page of each', () => {
    const page = (name: keyof typeof pdf, find: (p: Page) => boolean, png: string) => {
      const n = pdf[name].findIndex(find) + 1;
      expect(n).toBeGreaterThan(0);
      run('pdftoppm', ['-png', '-r', '60', '-f', String(n), '-l', String(n), '-singlefile', files[name], path.join(out, png)]);
    };
    // A page that starts a section, with the header repeated above it.
    page('tracker003', (p) => p.words.some((w) => w.text === 'II'), 'print-tracker-phu-luc-II');
    page('tracker001', () => true, 'print-tracker-001');
    page('report', (p) => hasPhrase(p, 'Tổng số nhiệm vụ'), 'print-report-summary');
    page('report', (p) => hasPhrase(p, 'Số ngày quá hạn'), 'print-report-late');
    page('export', (p) => hasPhrase(p, 'Cập nhật lúc (UTC)'), 'print-export-per-lead');
  });
}

describe('the tracker of Phụ lục II, printed', () => {
  it('prints on A4 with every word at 8 pt or more and no text over text', () => {
    expectReadable(pdf.tracker003);
    expect(pdf.tracker003.every((p) => p.width > p.height)).toBe(true);
  });

  it('repeats the header row on every page', () => {
    for (const page of pdf.tracker003) {
      expect(hasPhrase(page, 'Phân loại')).toBe(true);
      expect(hasPhrase(page, 'Tên nhiệm vụ')).toBe(true);
    }
  });

  it('never ends a page with a section row, and numbers tasks with their section', () => {
    const numbers = pdf.tracker003.flatMap((page, p) => {
      const column = numberColumn(page);
      const last = column[column.length - 1].text;
      // A bare roman numeral is a section heading: the last row of a page must be a task.
      expect([p, last]).toEqual([p, expect.not.stringMatching(/^[IVX]+$/)]);
      return column.map((w) => w.text);
    });
    expect(numbers).toEqual(expect.arrayContaining(['I.1', 'II.12', 'VII.1']));
    const tasks = numbers.filter((n) => n.includes('.'));
    expect(new Set(tasks).size).toBe(tasks.length);
    expect(tasks).toHaveLength(phuLucII.tasks.length);
  });

  it('prints every word of every task, whole (no row too short for its text)', () => {
    const printed = pdf.tracker003.flatMap((p) => p.words.map((w) => w.text));
    const count = (words: string[]) => words.reduce((m, w) => m.set(w, (m.get(w) ?? 0) + 1), new Map<string, number>());
    const have = count(printed);
    const need = count(phuLucII.tasks.flatMap((t) => t.task.split(/\s+/).filter(Boolean)));
    const missing = [...need].filter(([w, n]) => (have.get(w) ?? 0) < n);
    expect(missing).toEqual([]);
  });

  it('sets everything in one typeface', () => {
    expect(families(files.tracker003)).toHaveLength(1);
  });
});

describe('the tracker of notice 001’s annex, printed', () => {
  it('has only the annex’s columns and the progress columns, one “Ghi chú”, and prints readable', () => {
    const header = pdf.tracker001[0];
    expect(hasPhrase(header, 'Cơ quan phối hợp')).toBe(false);
    expect(hasPhrase(header, 'Kết quả đầu ra')).toBe(false);
    expect(header.words.filter((w) => w.text === 'Ghi').length).toBe(1);
    expectReadable(pdf.tracker001);
    for (const page of pdf.tracker001) expect(hasPhrase(page, 'Văn bản đề xuất')).toBe(true);
    expect(families(files.tracker001)).toHaveLength(1);
  });
});

describe('report.xlsx, printed', () => {
  const SHEETS = ['Tổng số nhiệm vụ', 'Số ngày quá hạn', 'Đã báo cáo'];

  it('prints each table on A4 with its header on every page, readable, in one typeface', () => {
    expectReadable(pdf.report);
    for (const page of pdf.report) expect(SHEETS.filter((h) => hasPhrase(page, h))).toHaveLength(1);
    for (const h of SHEETS) expect(pdf.report.some((p) => hasPhrase(p, h))).toBe(true);
    expect(families(files.report)).toHaveLength(1);
  });

  it('names late tasks by section and number, never the bare number twice', () => {
    const late = report.late.map((t) => t.stt);
    expect(late.length).toBeGreaterThan(10);
    expect(new Set(late).size).toBe(late.length);
    expect(late.every((s) => /^[IVX]+\.\d+$/.test(s))).toBe(true);
    const printed = pdf.report.flatMap((p) => p.words.map((w) => w.text));
    expect(printed).toEqual(expect.arrayContaining(late));
  });

  it('prints the summary headers whole', () => {
    const summary = pdf.report.find((p) => hasPhrase(p, 'Tổng số nhiệm vụ'))!;
    for (const phrase of ['Tỷ lệ hoàn thành (trên tổng số nhiệm vụ)', 'Đang thực hiện trong hạn', 'Không có thời hạn cụ thể']) {
      const words = phrase.split(' ');
      const texts = summary.words.map((w) => w.text);
      for (const w of words) expect(texts).toContain(w);
    }
  });
});

describe('export.xlsx, printed', () => {
  it('prints a nearly empty per-lead sheet on one A4 landscape page with its header, readable, after the tracker', () => {
    expectReadable(pdf.export);
    const perLead = pdf.export.filter((p) => hasPhrase(p, 'Cập nhật lúc (UTC)'));
    expect(perLead).toHaveLength(1);
    expect(perLead[0].width).toBeGreaterThan(perLead[0].height);
    expect(pdf.export[pdf.export.length - 1]).toBe(perLead[0]);
    expect(families(files.export)).toHaveLength(1);
  });
});
