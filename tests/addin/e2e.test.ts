/**
 * The add-in end to end in headless Chromium: the pane built by
 * addin/webpack.config.js (once, in beforeAll) and served by the real sync
 * service (createApp over a real SQLite store) at /addin; the Office.js CDN
 * request answered with a simulated workbook (fake-excel.ts) preloaded with
 * Phụ lục II of the seed plan. Goes through recognise → convert → check →
 * highlight → sync (publish as DoST; pull, edit, send as an agency; offline
 * queue; conflicts side by side, both choices) → report, and runs the ribbon's
 * highlightOverdue from commands.html, asserting on the workbook and on the
 * service's data. Also: the bundles parse as ES5 (IE 11), and screenshots of
 * the pane go to bench/out/addin/ for a person to look at.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import * as acorn from 'acorn';
import * as walk from 'acorn-walk';
import pino from 'pino';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import webpack from 'webpack';
import { createApp } from '../../server/app';
import { generateToken, hashToken } from '../../server/auth';
import { openStore } from '../../server/store/kysely-store';
import type { Store } from '../../server/store/store';
import { recognizeAnnex, type Recognition } from '../../shared/annex';
import { excelSerialFromIso, todayIso } from '../../shared/dates';
import { CATEGORIES, CATEGORY_LABELS, classifyTask } from '../../shared/status';
import { REPORT_DATE_CELL } from '../../shared/tracker-layout';
import { recognizeDocumentTasks } from '../../shared/document-tasks';
import { documentFromText } from '../../shared/document-text';
import { freshStoreUrl } from '../server/pg-cluster';
import { testConfig } from '../server/http';
import { gridFromText } from '../shared/grid-from-text';
import { excelApiSets } from './excel-api-sets';
import type { FakeWorkbook } from './fake-excel';

const ROOT = path.resolve(__dirname, '../..');
const SCREENSHOTS = path.join(ROOT, 'bench/out/addin');
const KHCN = 'Sở Khoa học và Công nghệ';
const ANNEX_SHEET = 'Phụ lục II';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

declare global {
  interface Window {
    __workbook: FakeWorkbook;
    __actions: Map<string, (event: { completed(): void }) => unknown>;
  }
}

// ---------------------------------------------------------------- build

function compile(config: webpack.Configuration): Promise<void> {
  return new Promise((resolve, reject) =>
    webpack(config, (err, stats) => {
      if (err) reject(err);
      else if (!stats || stats.hasErrors()) reject(new Error(stats?.toString('errors-only') ?? 'webpack failed'));
      else resolve();
    }),
  );
}

/** The production build of the pane into `dir`, exactly as `npm run build:addin` makes addin/dist. */
async function buildAddin(dir: string): Promise<void> {
  const makeConfig = createRequire(__filename)(path.join(ROOT, 'addin/webpack.config.js')) as (env: unknown, argv: unknown) => webpack.Configuration;
  const config = makeConfig({}, { mode: 'production' });
  await compile({ ...config, output: { ...config.output, path: dir } });
}

/** The stand-in for office.js: fake-excel.ts behind Office/Excel globals (modern browser, no polyfills). */
async function buildOfficeShim(dir: string): Promise<string> {
  await compile({
    mode: 'development',
    devtool: false,
    target: 'web',
    entry: path.join(__dirname, 'browser-office.ts'),
    output: { path: dir, filename: 'office.js' },
    resolve: { extensions: ['.ts', '.js'] },
    module: {
      rules: [{ test: /\.ts$/, use: { loader: 'babel-loader', options: { babelrc: false, configFile: false, presets: ['@babel/preset-typescript'] } } }],
    },
  });
  return readFileSync(path.join(dir, 'office.js'), 'utf8');
}

/** Every construct of the bundle that is not ES5 (IE 11 would refuse the whole file), by kind. */
function nonEs5(source: string): string[] {
  const found = new Set<string>();
  const ast = acorn.parse(source, { ecmaVersion: 'latest' });
  walk.full(ast, (node) => {
    const n = node as acorn.AnyNode;
    if (['ArrowFunctionExpression', 'ClassDeclaration', 'ClassExpression', 'TemplateLiteral', 'ForOfStatement', 'SpreadElement', 'AwaitExpression', 'YieldExpression'].includes(n.type)) found.add(n.type);
    else if (n.type === 'VariableDeclaration' && n.kind !== 'var') found.add(n.kind);
    else if (n.type === 'Literal' && 'regex' in n && n.regex) {
      try {
        acorn.parse(`/${n.regex.pattern}/${n.regex.flags}`, { ecmaVersion: 5 });
      } catch {
        found.add(`regex /${n.regex.pattern}/${n.regex.flags}`);
      }
    }
  });
  return [...found];
}

// ---------------------------------------------------------------- the world: service, browser, annex

const annexText = readFileSync(path.join(__dirname, '../fixtures/seeds/003-phu-luc-II.txt'), 'utf8');
/** The seed's cells as a user's sheet holds them: whole numbers typed in became numbers. */
const annexRows = gridFromText(annexText, ANNEX_SHEET).rows.map((row) => row.map((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : (v as string))));

let tmp: string;
let addinDir: string;
let officeJs: string;
let store: Store;
let server: Server;
let baseUrl: string;
let adminToken: string;
let agencyToken: string;
let agencyId: string;
let browser: Browser;
let recognition: Recognition;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'addin-e2e-'));
  addinDir = path.join(tmp, 'addin');
  [officeJs] = await Promise.all([buildOfficeShim(path.join(tmp, 'office')), buildAddin(addinDir)]);
  mkdirSync(SCREENSHOTS, { recursive: true });

  store = await openStore(await freshStoreUrl('sqlite'));
  adminToken = generateToken();
  await store.ensureAdminToken(hashToken(adminToken));
  const app = createApp({ store, config: testConfig(), logger: pino({ level: 'silent' }), addinDir });
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const agency = await api('POST', '/api/agencies', { name: 'Sở KH&CN' });
  agencyToken = agency.token;
  agencyId = agency.id;

  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  recognition = recognizeAnnex(gridFromText(annexText, ANNEX_SHEET), { asOf: todayIso() });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await store?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function api(method: string, url: string, body?: unknown, token = adminToken): Promise<any> {
  const res = await fetch(baseUrl + url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const answer = await res.json();
  if (res.status >= 400) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}

const apiSetsJson = JSON.stringify(Object.fromEntries(excelApiSets()));

/** A computer with Excel open: its own localStorage, and a workbook holding `annex` (or empty). */
async function openPane(
  annex: { sheet: string; rows: (string | number)[][]; apiMinor?: number; ribbon?: boolean } | null,
  /** Script run before Office.js and the pane (e.g. to take away what IE 11 lacks). */
  prelude = '',
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 420, height: 900 }, locale: 'vi-VN' });
  await context.route('https://appsforoffice.microsoft.com/**', (route) =>
    route.fulfill({
      contentType: 'application/javascript',
      body: `${prelude}\nwindow.__ANNEX__ = ${JSON.stringify(annex)};\nwindow.__API_SETS__ = ${apiSetsJson};\n${officeJs}`,
    }),
  );
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${baseUrl}/addin/taskpane.html`);
  await page.waitForFunction(() => document.getElementById('status')?.textContent !== '');
  return { context, page, errors };
}

/** Clicks a button of the pane and waits for its action to finish; the status line after it. */
async function act(page: Page, selector: string): Promise<{ text: string; kind: string }> {
  await page.click(selector);
  await page.waitForFunction(() => !document.body.hasAttribute('aria-busy'));
  return page.evaluate(() => {
    const status = document.getElementById('status')!;
    return { text: status.textContent ?? '', kind: status.className };
  });
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

/** Sheet address of a task's cell under a header, found as a person would: by the hidden id and the header text. */
function cellOf(page: Page, sheet: string, taskId: string, header: string): Promise<string> {
  return page.evaluate(
    ([sheetName, id, head]) => {
      const values = window.__workbook.sheet(sheetName).usedValues();
      const headerRow = values.findIndex((row) => row.includes(head));
      const col = values[headerRow].indexOf(head);
      const row = values.findIndex((r) => r[0] === id);
      if (headerRow < 0 || row < 0) throw new Error(`no ${head} / ${id} on ${sheetName}`);
      let letters = '';
      for (let n = col + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
      return `${letters}${row + 1}`;
    },
    [sheet, taskId, header],
  );
}

function setCells(page: Page, sheet: string, address: string, rows: (string | number)[][]): Promise<void> {
  return page.evaluate(([s, a, r]) => window.__workbook.sheet(s as string).setValues(r as (string | number)[][], a as string), [sheet, address, rows] as const);
}

/** Empties a cell as the Delete key does (setValues skips blanks). */
function clearCell(page: Page, sheet: string, address: string): Promise<void> {
  return page.evaluate(
    ([s, a]) => {
      const [, letters, digits] = /^([A-Z]+)(\d+)$/.exec(a)!;
      let c = 0;
      for (const ch of letters) c = c * 26 + ch.charCodeAt(0) - 64;
      const cell = window.__workbook.sheet(s).cell(Number(digits) - 1, c - 1);
      if (cell) {
        delete cell.value;
        delete cell.formula;
      }
    },
    [sheet, address],
  );
}

function valueAt(page: Page, sheet: string, address: string): Promise<string | number | boolean> {
  return page.evaluate(([s, a]) => window.__workbook.sheet(s).valueAt(a), [sheet, address]);
}

// ---------------------------------------------------------------- tests

describe('the built pane', () => {
  it('is ES5 throughout, as the IE 11 webview of Office 2016/2019 needs', () => {
    for (const file of ['taskpane.js', 'commands.js']) {
      expect({ file, nonEs5: nonEs5(readFileSync(path.join(addinDir, file), 'utf8')) }).toEqual({ file, nonEs5: [] });
    }
  });

  it('is served by the service at /addin, loading Office.js from Microsoft’s CDN before its own script', async () => {
    for (const page of ['taskpane.html', 'commands.html']) {
      const res = await fetch(`${baseUrl}/addin/${page}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      const office = html.indexOf('https://appsforoffice.microsoft.com/lib/1/hosted/office.js');
      const own = html.indexOf(page.replace('.html', '.js'));
      expect(office).toBeGreaterThan(0);
      expect(own).toBeGreaterThan(office);
    }
    expect((await fetch(`${baseUrl}/addin/assets/icon-32.png`)).status).toBe(200);
  });

  it('starts in a browser without BigInt, as IE 11 is (zod builds BigInt constants when it loads)', async () => {
    const bare = await openPane({ sheet: ANNEX_SHEET, rows: annexRows }, 'delete window.BigInt;');
    try {
      expect(await bare.page.evaluate(() => typeof (window as unknown as { BigInt: unknown }).BigInt)).toBe('function');
      expect((await act(bare.page, '[data-action="detect"]')).text).toContain('61 nhiệm vụ');
      expect(bare.errors).toEqual([]);
    } finally {
      await bare.context.close();
    }
  });
});

describe('"Từ văn bản…"', () => {
  it('reads a Word letter in the pane, shows its tasks with the deadline as written and as read, and builds the tracker of them', async () => {
    const pane = await openPane(null);
    const { page } = pane;
    try {
      const letter = path.join(__dirname, '../fixtures/documents/004-cong-van.docx');
      const expected = recognizeDocumentTasks(documentFromText(readFileSync(path.join(__dirname, '../fixtures/seeds/004-cong-van.txt'), 'utf8'), 'x'), { asOf: todayIso() }).tasks;
      await page.setInputFiles('#document-file', letter);
      const status = await act(page, '[data-action="from-document"]');
      expect(status.text).toContain(`Tìm thấy ${expected.length} nhiệm vụ trong 004-cong-van.docx`);
      const rows = await page.$$eval('#detect-result tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '')));
      expect(rows.map((r) => [r[0], r[1], r[2], r[3]])).toEqual(expected.map((t) => [t.stt, t.task, t.leadRaw, t.deadline.raw]));
      const dated = expected.findIndex((t) => t.deadline.due);
      expect(rows[dated][4]).toBe(expected[dated].deadline.due!.split('-').reverse().join('/'));

      const built = await act(page, '[data-action="convert"]');
      expect(built.kind).toContain('success');
      const sheetTexts = await page.evaluate(() => window.__workbook.sheets.flatMap((sheet) => sheet.usedValues().flat().map(String)));
      for (const t of expected) expect(sheetTexts).toContain(t.task);

      // PDF is read on the service: the pane says where, in one line.
      await page.setInputFiles('#document-file', path.join(__dirname, '../fixtures/documents/004-cong-van.pdf'));
      const pdf = await act(page, '[data-action="from-document"]');
      expect(pdf.text).toMatch(/không đọc được PDF.*quản trị/);
      expect(pane.errors).toEqual([]);
    } finally {
      await pane.context.close();
    }
  });
});

describe('end to end in Chromium', () => {
  let admin: { context: BrowserContext; page: Page; errors: string[] };
  let agency: { context: BrowserContext; page: Page; errors: string[] };
  let trackerId: string;
  const khcnTask = () => recognition.tasks.find((t) => t.lead.length === 1 && t.lead[0] === KHCN && t.deadline.due)!;

  beforeAll(async () => {
    admin = await openPane({ sheet: ANNEX_SHEET, rows: annexRows });
  });
  afterAll(async () => {
    await admin?.context.close();
    await agency?.context.close();
  });
  afterEach(() => {
    expect(admin.errors).toEqual([]);
    if (agency) expect(agency.errors).toEqual([]);
  });

  it('opens in Vietnamese, labels every control, and switches to English and back', async () => {
    const { page } = admin;
    expect(await page.textContent('h1')).toBe('Theo dõi nhiệm vụ Phụ lục');
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    expect(await page.getAttribute('#status', 'aria-live')).toBe('polite');
    const unlabelled = await page.evaluate(() =>
      Array.from(document.querySelectorAll('input, select, button'))
        .filter((e) => {
          const el = e as HTMLElement;
          if (el.tagName === 'BUTTON') return !(el.textContent ?? '').trim() && !el.getAttribute('aria-label');
          return !el.getAttribute('aria-label') && !document.querySelector(`label[for="${el.id}"]`);
        })
        .map((e) => e.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    const actions = await page.$$eval('[data-action]', (els) => els.map((e) => e.getAttribute('data-action')));
    for (const a of ['detect', 'convert', 'check', 'highlight', 'sync', 'report']) expect(actions).toContain(a);
    await page.click('#lang-switch');
    expect(await page.textContent('[data-action="detect"]')).toBe('Recognise');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.click('#lang-switch');
    expect(await page.textContent('[data-action="detect"]')).toBe('Nhận dạng');
  });

  it('recognises the annex (from the keyboard), shows each field’s column and lets a mapping be corrected', async () => {
    const { page } = admin;
    await page.focus('[data-action="detect"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !document.body.hasAttribute('aria-busy') && document.getElementById('detect-result')!.textContent !== '');
    const status = await page.textContent('#status');
    expect(status).toContain(`${recognition.tasks.length} nhiệm vụ`);
    expect(status).toContain(`${recognition.sections.length} mục`);
    expect(recognition.tasks).toHaveLength(61);
    const mapped = await page.$$eval('select[data-field]', (els) => els.map((e) => [e.getAttribute('data-field'), (e as HTMLSelectElement).value]));
    expect(mapped).toEqual(recognition.columns.filter((c) => c.field).map((c) => [c.field, String(c.column)]));
    expect(await page.textContent('#detect-result')).toContain('Dòng tiêu đề: 4');
    await shot(page, '01-recognised');

    // Output taken from the supporting agencies' column: recognised again, support left without a column; then put back.
    const column = (f: string) => String(recognition.columns.find((c) => c.field === f)!.column);
    const selected = (f: string) => page.$eval(`#map-${f}`, (e) => (e as HTMLSelectElement).value);
    await page.selectOption('#map-output', column('support'));
    expect([await selected('output'), await selected('support')]).toEqual([column('support'), '']);
    expect(await page.textContent('#map-support')).toContain('(không có)');
    await page.selectOption('#map-output', column('output'));
    await page.selectOption('#map-support', column('support'));
    expect(mapped).toEqual(await page.$$eval('select[data-field]', (els) => els.map((e) => [e.getAttribute('data-field'), (e as HTMLSelectElement).value])));
    expect(await page.textContent('#status')).toContain('61 nhiệm vụ');
  });

  it('builds the tracker on a new sheet, leaving the annex untouched', async () => {
    const { page } = admin;
    const before = await page.evaluate((s) => window.__workbook.sheet(s).usedValues(), ANNEX_SHEET);
    const status = await act(page, '[data-action="convert"]');
    expect(status.kind).toContain('success');
    expect(status.text).toContain('Theo dõi');
    const wb = await page.evaluate((s) => {
      const w = window.__workbook;
      const t = w.sheet('Theo dõi');
      return {
        sheets: w.sheets.map((x) => [x.name, x.visibility]),
        annex: w.sheet(s).usedValues(),
        header: t.usedValues()[2],
        ids: t.usedValues().map((r) => r[0]).filter((v) => typeof v === 'string' && v.length > 0 && !String(v).startsWith('Mã')),
        idHidden: t.isColumnHidden('A'),
        frozen: t.frozenRows,
        rules: t.conditionalFormats.length,
        validations: t.validations.length,
        names: w.names.map((n) => n.name),
      };
    }, ANNEX_SHEET);
    expect(wb.annex).toEqual(before);
    expect(wb.sheets).toEqual(expect.arrayContaining([[ANNEX_SHEET, 'Visible'], ['Theo dõi', 'Visible']]));
    expect(wb.sheets.find(([n]) => n === 'Danh mục')?.[1]).not.toBe('Visible');
    expect(wb.header).toEqual(expect.arrayContaining(['STT', 'Tình trạng', 'Ngày hoàn thành', 'Phân loại']));
    expect(wb.ids).toEqual(recognition.tasks.map((t) => t.id));
    expect(wb.idHidden).toBe(true);
    expect(wb.frozen).toBe(3);
    expect(wb.rules).toBeGreaterThanOrEqual(1);
    expect(wb.validations).toBeGreaterThanOrEqual(2);
    expect(wb.names).toEqual(expect.arrayContaining(['TinhTrang', 'DanhSachCoQuan', 'NgayBaoCao']));
  });

  it('checks the tracker, and a click on a problem selects its cell', async () => {
    const { page } = admin;
    const [first, second] = recognition.tasks;
    const done = await cellOf(page, 'Theo dõi', first.id, 'Tình trạng');
    await setCells(page, 'Theo dõi', done, [['Hoàn thành']]);
    const future = await cellOf(page, 'Theo dõi', second.id, 'Ngày hoàn thành');
    await setCells(page, 'Theo dõi', future, [[excelSerialFromIso('2099-01-01')]]);
    const status = await act(page, '[data-action="check"]');
    expect(status.kind).toContain('warning');
    const problems = await page.$$eval('#check-result [data-action="select-cell"]', (els) =>
      els.map((e) => ({ address: e.getAttribute('data-address'), text: e.textContent })),
    );
    const doneRow = Number(done.replace(/\D/g, ''));
    const futureRow = Number(future.replace(/\D/g, ''));
    const noDate = problems.find((p) => p.text?.includes('chưa có ngày hoàn thành'));
    expect(noDate?.address).toBe(`${future.replace(/\d/g, '')}${doneRow}`);
    expect(problems.find((p) => p.text?.includes('ở sau ngày báo cáo'))?.address).toBe(future);
    expect(problems.find((p) => p.address === future)?.text).toMatch(new RegExp(`^Lỗi · Dòng ${futureRow}: `));
    await shot(page, '02-checked');
    await page.click(`#check-result [data-address="${future}"]`);
    await page.waitForFunction(() => !document.body.hasAttribute('aria-busy'));
    expect(await page.evaluate(() => [window.__workbook.activeSheet, window.__workbook.selection])).toEqual(['Theo dõi', future]);
    // Back to a clean sheet for what follows.
    await clearCell(page, 'Theo dõi', done);
    await clearCell(page, 'Theo dõi', future);
  });

  it('highlights as of a chosen reporting day with a summary per category, and as of today', async () => {
    const { page } = admin;
    await page.fill('#report-date', '31/12/2026');
    const status = await act(page, '[data-action="highlight"]');
    expect(status.text).toContain('31/12/2026');
    expect(await valueAt(page, 'Danh mục', REPORT_DATE_CELL)).toBe(excelSerialFromIso('2026-12-31'));
    const expected = Object.fromEntries(CATEGORIES.map((c) => [c, 0]));
    for (const t of recognition.tasks) expected[classifyTask(t.deadline, { status: 'not_started', completedOn: null }, { asOf: '2026-12-31' })]++;
    const shown = await page.$$eval('#highlight-result [data-category]', (els) =>
      els.map((e) => [e.getAttribute('data-category'), Number(e.parentElement!.nextElementSibling!.textContent)]),
    );
    expect(Object.fromEntries(shown)).toEqual(expected);
    expect(await page.textContent('#highlight-result')).toContain(CATEGORY_LABELS.overdue.vi);
    await shot(page, '03-highlighted');

    await page.fill('#report-date', '31/02/2026');
    expect((await act(page, '[data-action="highlight"]')).kind).toContain('error');
    expect(await page.getAttribute('#report-date', 'aria-invalid')).toBe('true');
    expect(await valueAt(page, 'Danh mục', REPORT_DATE_CELL)).toBe(excelSerialFromIso('2026-12-31'));
  });

  it('runs the ribbon’s highlightOverdue from commands.html on the same workbook: back to today', async () => {
    const { page } = admin;
    await page.evaluate(
      (url) =>
        new Promise<void>((resolve) => {
          const frame = document.createElement('iframe');
          frame.src = url;
          frame.style.display = 'none';
          frame.onload = () => resolve();
          document.body.appendChild(frame);
        }),
      `${baseUrl}/addin/commands.html`,
    );
    const frame = page.frames().find((f) => f.url().endsWith('/addin/commands.html'))!;
    await frame.waitForFunction(() => window.__actions && window.__actions.has('highlightOverdue'));
    const completed = await frame.evaluate(
      () =>
        new Promise<boolean>((resolve) => {
          void window.__actions.get('highlightOverdue')!({ completed: () => resolve(true) });
        }),
    );
    expect(completed).toBe(true);
    expect(await valueAt(page, 'Danh mục', REPORT_DATE_CELL)).toBe('');
    await page.evaluate(() => document.querySelector('iframe')!.remove());
  });

  it('publishes as DoST: the service holds the 61 tasks with the sheet’s ids', async () => {
    const { page } = admin;
    expect(await page.inputValue('#service-url')).toBe(baseUrl);
    await page.fill('#service-token', adminToken);
    const connected = await act(page, '[data-action="save-settings"]');
    expect(connected.text).toContain('quản trị');
    const published = await act(page, '[data-action="publish"]');
    expect(published.kind).toContain('success');
    trackerId = await page.inputValue('#tracker-id');
    expect(trackerId).toMatch(/^tr_/);
    const tracker = await api('GET', `/api/trackers/${trackerId}`);
    expect(tracker.tasks.map((t: { id: string }) => t.id)).toEqual(recognition.tasks.map((t) => t.id));
    // Kept on this computer, never in the workbook.
    const stored = await page.evaluate(() => window.localStorage.getItem('annexTracker.settings'));
    expect(JSON.parse(stored!)).toMatchObject({ token: adminToken, trackerId });
    const inWorkbook = await page.evaluate((token) => JSON.stringify(window.__workbook.sheets.map((s) => s.usedValues())).includes(token), adminToken);
    expect(inWorkbook).toBe(false);
  });

  it('pulls as an agency, sends an edited report with a progress bar, and queues while offline', async () => {
    agency = await openPane(null);
    const { page } = agency;
    await page.fill('#service-token', agencyToken);
    expect((await act(page, '[data-action="save-settings"]')).text).toContain(KHCN);
    await page.selectOption('#tracker-id', trackerId);
    const pulled = await act(page, '[data-action="pull"]');
    expect(pulled.text).toContain('61');
    const task = khcnTask();
    const status = await cellOf(page, 'Theo dõi', task.id, 'Tình trạng');
    const result = await cellOf(page, 'Theo dõi', task.id, 'Kết quả thực hiện');
    await setCells(page, 'Theo dõi', status, [['Đang thực hiện', 'Đã họp triển khai']]);
    expect(result).toBe(`${String.fromCharCode(status.charCodeAt(0) + 1)}${status.replace(/\D/g, '')}`);
    const sent = await act(page, '[data-action="sync"]');
    expect(sent.kind).toContain('success');
    expect(await page.$eval('#sync-bar', (e) => [(e as HTMLProgressElement).value, (e as HTMLProgressElement).max])).toEqual([1, 1]);
    let report = (await api('GET', `/api/trackers/${trackerId}`)).tasks.find((t: { id: string }) => t.id === task.id).reports[0];
    expect(report).toMatchObject({ agencyId, status: 'in_progress', result: 'Đã họp triển khai', version: 1 });
    await shot(page, '04-sent');

    // The service cannot be reached: the change waits on this computer and the pane says so.
    await page.route('**/api/trackers/*/sync', (route) => route.abort('connectionrefused'));
    const note = await cellOf(page, 'Theo dõi', task.id, 'Ghi chú (khó khăn, đề xuất)');
    await setCells(page, 'Theo dõi', note, [['Chờ kinh phí']]);
    const offline = await act(page, '[data-action="sync"]');
    expect(offline.kind).toContain('warning');
    expect(offline.text).toContain('Không kết nối được máy chủ. 1 thay đổi đã được lưu trên máy này');
    expect(await page.textContent('#queue-info')).toBe('1 thay đổi đang chờ gửi.');
    await shot(page, '05-offline');
    await page.unroute('**/api/trackers/*/sync');
    expect((await act(page, '[data-action="sync"]')).kind).toContain('success');
    expect(await page.textContent('#queue-info')).toBe('');
    report = (await api('GET', `/api/trackers/${trackerId}`)).tasks.find((t: { id: string }) => t.id === task.id).reports[0];
    expect(report).toMatchObject({ note: 'Chờ kinh phí', version: 2 });
    const history = await api('GET', `/api/trackers/${trackerId}/changes`);
    expect(history.changes.filter((c: { field: string }) => c.field === 'note')).toHaveLength(1);
  });

  it('shows conflicts side by side: "giữ của tôi" sends mine, "giữ bản trên máy chủ" takes the service’s', async () => {
    const { page } = agency;
    const task = khcnTask();
    const current = (await api('GET', `/api/trackers/${trackerId}`)).tasks.find((t: { id: string }) => t.id === task.id).reports[0];
    // DoST edits the agency's report on the service meanwhile.
    await api('POST', `/api/trackers/${trackerId}/sync`, {
      changes: [{ taskId: task.id, baseVersion: current.version, agencyId, fields: { result: 'Bản tổng hợp của Sở', evidence: 'CV 12/SKHCN' } }],
    });
    const result = await cellOf(page, 'Theo dõi', task.id, 'Kết quả thực hiện');
    const evidence = await cellOf(page, 'Theo dõi', task.id, 'Văn bản/sản phẩm');
    await setCells(page, 'Theo dõi', result, [['Đã ban hành kế hoạch']]);
    await setCells(page, 'Theo dõi', evidence, [['KH 45/KH-UBND']]);
    const status = await act(page, '[data-action="sync"]');
    expect(status.kind).toContain('warning');
    expect(status.text).toContain('Xung đột (2)');
    const cards = await page.$$eval('#conflicts .conflict', (els) =>
      els.map((e) => ({
        id: e.getAttribute('data-conflict'),
        left: e.querySelector('[data-side="left"]')!.textContent,
        right: e.querySelector('[data-side="right"]')!.textContent,
        buttons: Array.from(e.querySelectorAll('button')).map((b) => b.textContent),
      })),
    );
    expect(cards.map((c) => [c.left, c.right])).toEqual([
      ['Của tôiĐã ban hành kế hoạch', 'Trên máy chủBản tổng hợp của Sở'],
      ['Của tôiKH 45/KH-UBND', 'Trên máy chủCV 12/SKHCN'],
    ]);
    expect(cards[0].buttons).toEqual(['Giữ của tôi', 'Giữ bản trên máy chủ']);
    await shot(page, '06-conflicts');

    expect((await act(page, `[data-action="resolve"][data-conflict="${cards[0].id}"][data-keep="mine"]`)).kind).toContain('success');
    expect((await act(page, `[data-action="resolve"][data-conflict="${cards[1].id}"][data-keep="theirs"]`)).kind).toContain('success');
    expect(await page.$$('#conflicts .conflict')).toHaveLength(0);
    const report = (await api('GET', `/api/trackers/${trackerId}`)).tasks.find((t: { id: string }) => t.id === task.id).reports[0];
    expect(report).toMatchObject({ result: 'Đã ban hành kế hoạch', evidence: 'CV 12/SKHCN' });
    expect(await valueAt(page, 'Theo dõi', result)).toBe('Đã ban hành kế hoạch');
    expect(await valueAt(page, 'Theo dõi', evidence)).toBe('CV 12/SKHCN');
    // Nothing left to send: the next sync changes nothing on the service.
    const versions = report.version;
    expect((await act(page, '[data-action="sync"]')).text).toContain('Không có thay đổi');
    expect((await api('GET', `/api/trackers/${trackerId}`)).tasks.find((t: { id: string }) => t.id === task.id).reports[0].version).toBe(versions);
  });

  it('brings the agency’s report into DoST’s sheet, and makes the report sheet with its chart', async () => {
    const { page } = admin;
    expect((await act(page, '[data-action="sync"]')).kind).toContain('success');
    const task = khcnTask();
    expect(await valueAt(page, 'Theo dõi', await cellOf(page, 'Theo dõi', task.id, 'Tình trạng'))).toBe('Đang thực hiện');
    expect(await valueAt(page, 'Theo dõi', await cellOf(page, 'Theo dõi', task.id, 'Kết quả thực hiện'))).toBe('Đã ban hành kế hoạch');

    const status = await act(page, '[data-action="report"]');
    expect(status.kind).toContain('success');
    const report = await page.evaluate(() => {
      const sheet = window.__workbook.sheets.find((s) => s.name.startsWith('Báo cáo'))!;
      return { name: sheet.name, charts: sheet.charts.length, text: JSON.stringify(sheet.usedValues()) };
    });
    expect(status.text).toContain(report.name);
    expect(report.charts).toBe(1);
    expect(report.text).toContain(KHCN);
    await shot(page, '07-report');
  });

  it.each([
    { office: 'Office 2016', apiMinor: 1, missing: ['Excel API 1.1', 'định dạng có điều kiện', 'Độ rộng cột', 'ribbon'] },
    { office: 'Office 2019', apiMinor: 7, missing: ['Excel API 1.7', 'Danh sách chọn', 'ribbon'] },
  ])('on $office (ExcelApi 1.$apiMinor, no ribbon) says what is missing, converts, checks, highlights, and offers export.xlsx', async ({ apiMinor, missing }) => {
    const old = await openPane({ sheet: ANNEX_SHEET, rows: annexRows, apiMinor, ribbon: false });
    try {
      const { page } = old;
      const notice = await page.textContent('#features');
      expect(await page.isVisible('#features')).toBe(true);
      for (const words of missing) expect(notice).toContain(words);
      await act(page, '[data-action="detect"]');
      expect((await act(page, '[data-action="convert"]')).kind).toContain('success');
      const sheet = await page.evaluate(() => {
        const t = window.__workbook.sheet('Theo dõi');
        return { rows: t.usedValues().length, rules: t.conditionalFormats.length, validations: t.validations.length };
      });
      expect(sheet).toMatchObject({ rules: apiMinor >= 6 ? 6 : 0, validations: 0 });
      expect(sheet.rows).toBeGreaterThan(61);
      // Check and highlight do what the host allows (every member they use is in ExcelApi 1.1).
      expect((await act(page, '[data-action="check"]')).kind).not.toContain('error');
      await page.fill('#report-date', '31/12/2026');
      const highlighted = await act(page, '[data-action="highlight"]');
      expect(highlighted.kind).not.toContain('error');
      expect(highlighted.text).toContain('31/12/2026');
      await shot(page, `08-old-office-1.${apiMinor}`);

      await page.fill('#service-token', agencyToken);
      await act(page, '[data-action="save-settings"]');
      await page.selectOption('#tracker-id', trackerId);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#features [data-action="export"]')]);
      expect(download.suggestedFilename()).toMatch(/ - theo dõi \d{4}-\d{2}-\d{2}\.xlsx$/);
      const bytes = readFileSync((await download.path())!);
      expect(bytes.subarray(0, 2).toString()).toBe('PK');
      expect(old.errors).toEqual([]);
    } finally {
      await old.context.close();
    }
  });
});
