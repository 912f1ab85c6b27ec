/**
 * The DoST dashboard end to end in headless Chromium (Debian's, through
 * playwright-core): the production build (once, in beforeAll) served by the
 * real service on loopback over SQLite, seeded through the API with Phụ lục II,
 * agency reports, two conflicts and text that carries HTML. Sign-in, totals
 * and chart against the report API, filters in the URL, diacritic-insensitive
 * search, conflicts decided from the page, workbook downloads, HTML shown as
 * text, the English switch, an agency's view, and agency tokens.
 */
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Report } from '../../server/report';
import type { DashboardAnswer } from '../../shared/api';
import { CATEGORIES, CATEGORY_LABELS } from '../../shared/status';
import { matchKey } from '../../shared/text';
import { call, createAgency, fileForm, startServer, type TestServer } from '../server/http';
import { stopTestDatabases } from '../server/pg-cluster';
import { HTML_RESULT, HTML_TASK, TOKEN_KEY, buildDashboard, launchChromium, openSignedIn, seedService, type Seeded } from './harness';

/** A reporting day in the plan's year: some tasks overdue, some due soon. */
const AS_OF = '2026-06-25';

let server: TestServer;
let seeded: Seeded;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let pageErrors: string[];
let dialogs: string[];

beforeAll(async () => {
  await buildDashboard();
  server = await startServer('sqlite');
  seeded = await seedService(server);
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await stopTestDatabases();
});

// Each test in a fresh context: its own sessionStorage (token) and localStorage (language).
beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  pageErrors = [];
  dialogs = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // A Content-Security-Policy violation is reported on the console.
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
  });
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
});

afterEach(async () => {
  await context?.close();
  expect(pageErrors).toEqual([]);
  expect(dialogs).toEqual([]);
});

const query = (extra = '') => `?tracker=${seeded.trackerId}&asOf=${AS_OF}${extra}`;

async function apiReport(): Promise<Report> {
  return (await call(server, server.adminToken, 'GET', `/api/trackers/${seeded.trackerId}/report?asOf=${AS_OF}`)).body;
}

async function apiDashboard(): Promise<DashboardAnswer> {
  return (await call(server, server.adminToken, 'GET', `/api/trackers/${seeded.trackerId}/dashboard?asOf=${AS_OF}`)).body;
}

/** The summary cards: key → value text. */
function cards(): Promise<Record<string, string>> {
  return page.$$eval('#summary .card', (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-key'), e.querySelector('.card-value')?.textContent ?? ''])));
}

const searchParams = () => new URL(page.url()).searchParams;

describe('signing in', () => {
  it('refuses a wrong token with a message, opens the dashboard with a good one, and signs out', async () => {
    const res = await page.goto(`${server.url}/`);
    const csp = res?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    await page.fill('#token', 'x'.repeat(43));
    await page.click('form.sign-in button[type=submit]');
    await page.waitForFunction(() => /Mã truy cập không đúng/.test(document.getElementById('sign-in-error')?.textContent ?? ''));
    // Said for a person: what to do, not the header an API client sends.
    const refusal = await page.textContent('#sign-in-error');
    expect(refusal).toContain('quản trị viên');
    expect(refusal).not.toMatch(/Authorization|Bearer/);
    expect(await page.evaluate((key) => sessionStorage.getItem(key), TOKEN_KEY)).toBeNull();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('token');

    await page.fill('#token', server.adminToken);
    await page.click('form.sign-in button[type=submit]');
    await page.waitForSelector('#summary');
    expect(await page.textContent('#content-title')).toBe('Phụ lục II — Nhiệm vụ, giải pháp trọng tâm');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('content-title');
    // The token stays in this tab only.
    expect(await page.evaluate((key) => sessionStorage.getItem(key), TOKEN_KEY)).toBe(server.adminToken);
    expect(await page.evaluate(() => Object.keys(localStorage).some((k) => localStorage.getItem(k)?.length === 43))).toBe(false);
    await page.reload();
    await page.waitForSelector('#summary');

    await page.click('#sign-out');
    await page.waitForSelector('#token');
    expect(await page.evaluate((key) => sessionStorage.getItem(key), TOKEN_KEY)).toBeNull();
  });

  it('is usable from the keyboard: a skip link first, focus always visible', async () => {
    await openSignedIn(page, server.url, server.adminToken, query());
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip-link');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { inMain: !!el.closest('main'), outline: getComputedStyle(el).outlineStyle, width: getComputedStyle(el).outlineWidth };
    });
    expect(focused).toEqual({ inMain: true, outline: 'solid', width: '3px' });
  });
});

describe('overview', () => {
  it('shows the report API’s totals, both completion rates, and a bar per agency, most overdue first', async () => {
    await openSignedIn(page, server.url, server.adminToken, query());
    const report = await apiReport();
    const shown = await cards();
    expect(shown.total).toBe(String(report.totals.total));
    for (const c of CATEGORIES) expect(shown[c]).toBe(String(report.totals.counts[c]));
    const percent = (text: string) => Number(text.replace('%', '').replace(',', '.').trim());
    expect(percent(shown.rateOfAll)).toBeCloseTo(report.totals.rateOfAll! * 100, 1);
    expect(percent(shown.rateOfDue)).toBeCloseTo(report.totals.rateOfDue! * 100, 1);
    expect(await page.textContent('[data-key=rateOfDue] .card-detail')).toBe(`${report.totals.done}/${report.totals.alreadyDue} nhiệm vụ`);

    const bars = await page.$$eval('#chart .bar-row', (rows) =>
      rows.map((row) => ({
        name: row.querySelector('.bar-name')?.textContent ?? '',
        role: row.querySelector('svg')?.getAttribute('role'),
        label: row.querySelector('svg')?.getAttribute('aria-label') ?? '',
        counts: Object.fromEntries(Array.from(row.querySelectorAll('rect')).map((r) => [r.getAttribute('data-category'), Number(r.getAttribute('data-count'))])),
      })),
    );
    expect(bars).toHaveLength(report.agencies.length);
    for (const row of report.agencies) {
      const bar = bars.find((b) => b.name === row.name);
      expect(bar).toBeDefined();
      expect(bar!.counts).toEqual(Object.fromEntries(CATEGORIES.filter((c) => row.counts[c] > 0).map((c) => [c, row.counts[c]])));
      expect(bar!.role).toBe('img');
      expect(bar!.label).toContain(`${row.name}: ${row.total} nhiệm vụ`);
    }
    const overdue = bars.map((b) => b.counts.overdue ?? 0);
    expect(overdue).toEqual([...overdue].sort((a, b) => b - a));
    expect(overdue[0]).toBeGreaterThan(0);

    // The late and due-soon tasks, with the deadline as written and the days late.
    const late = await page.$$eval('#late-table tbody tr', (rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent ?? '')));
    expect(late).toHaveLength(report.late.length);
    expect(late[0]).toEqual(expect.arrayContaining([report.late[0].deadline, `Quá ${report.late[0].daysLate} ngày`, report.late[0].lead.join(', ')]));
    expect(late.map((cells) => cells[1])).toContain(report.late[report.late.length - 1].task);

    // Who reported this period.
    const reporting = await page.$$eval('#reporting-table tbody tr', (rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent ?? '')));
    expect(reporting.map((cells) => [cells[0], cells[1]])).toEqual(report.reporting.map((r) => [r.name, r.reported ? 'Có' : 'Không']));
    // On the report day itself an agency that has not reported yet is not late: "Chưa đến hạn", never "Không".
    expect(AS_OF <= report.period.reportBy).toBe(true);
    expect(reporting.map((cells) => cells[2])).toEqual(report.reporting.map((r) => (r.reported ? (r.onTime ? 'Có' : 'Không') : 'Chưa đến hạn')));
    expect(report.reporting.some((r) => !r.reported)).toBe(true);
  });

  it('reads and writes the reporting date as dd/mm/yyyy whatever the browser’s locale, and refuses a day that does not exist', async () => {
    const english = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    try {
      const us = await english.newPage();
      await openSignedIn(us, server.url, server.adminToken, query());
      expect(await us.inputValue('#filter-asOf')).toBe('25/06/2026');
      await us.fill('#filter-asOf', '30/6/2026');
      await us.press('#filter-asOf', 'Enter');
      await us.waitForFunction(() => new URL(location.href).searchParams.get('asOf') === '2026-06-30');
      // The page is drawn again for the new day (the field written back as dd/mm/yyyy): only then is a
      // bad day typed, or it would go into the field that redraw replaces.
      await us.waitForFunction(() => (document.querySelector('#filter-asOf') as HTMLInputElement | null)?.value === '30/06/2026');
      await us.fill('#filter-asOf', '31/02/2026');
      await us.dispatchEvent('#filter-asOf', 'change');
      expect(await us.getAttribute('#filter-asOf', 'aria-invalid')).toBe('true');
      expect(new URL(us.url()).searchParams.get('asOf')).toBe('2026-06-30');
    } finally {
      await english.close();
    }
  });

  it('downloads the merged tracker and the monthly report as workbooks that open', async () => {
    await openSignedIn(page, server.url, server.adminToken, query());
    const [trackerFile] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Tải bảng theo dõi tổng hợp (.xlsx)' }).click()]);
    // Named as a person files it: the tracker's title, what it is and the day, not an internal id.
    expect(trackerFile.suggestedFilename()).toBe(`Phụ lục II — Nhiệm vụ, giải pháp trọng tâm - theo dõi ${AS_OF}.xlsx`);
    const tracker = new ExcelJS.Workbook();
    await tracker.xlsx.readFile((await trackerFile.path())!);
    const ids: unknown[] = [];
    tracker.getWorksheet('Theo dõi')!.eachRow((row) => ids.push(row.getCell(1).value));
    expect(ids).toEqual(expect.arrayContaining([...seeded.taskIds.values()]));
    expect(tracker.getWorksheet('Báo cáo từng cơ quan')).toBeDefined();

    const [reportFile] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Tải báo cáo tháng (.xlsx)' }).click()]);
    expect(reportFile.suggestedFilename()).toBe(`Phụ lục II — Nhiệm vụ, giải pháp trọng tâm - báo cáo ${AS_OF}.xlsx`);
    const report = new ExcelJS.Workbook();
    await report.xlsx.readFile((await reportFile.path())!);
    // Whatever its layout, the report names the tracker and every agency the report API counts.
    const texts = new Set<string>();
    report.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => void texts.add(String(cell.text)))));
    expect([...texts].some((text) => text.includes('Phụ lục II — Nhiệm vụ, giải pháp trọng tâm'))).toBe(true);
    expect([...texts]).toEqual(expect.arrayContaining((await apiReport()).agencies.map((a) => a.name)));
    await page.waitForFunction(() => /Đã tải về .* - báo cáo /.test(document.getElementById('status')?.textContent ?? ''));
  });
});

describe('filters', () => {
  it('live in the URL: changing them updates the query string, a reload restores them, Back undoes one', async () => {
    await openSignedIn(page, server.url, server.adminToken, query());
    const [report, data] = await Promise.all([apiReport(), apiDashboard()]);

    await page.selectOption('#filter-agency', seeded.khcn.id);
    expect(searchParams().get('agency')).toBe(seeded.khcn.id);
    // One agency: its own reports, exactly the report's row for it.
    const row = report.agencies.find((a) => a.agencyId === seeded.khcn.id)!;
    const byAgency = await cards();
    expect(byAgency.total).toBe(String(row.total));
    for (const c of CATEGORIES) expect(byAgency[c]).toBe(String(row.counts[c]));

    await page.selectOption('#filter-section', 'II');
    await page.selectOption('#filter-category', 'overdue');
    const params = searchParams();
    expect([params.get('tracker'), params.get('asOf'), params.get('agency'), params.get('section'), params.get('category')]).toEqual([
      seeded.trackerId,
      AS_OF,
      seeded.khcn.id,
      'II',
      'overdue',
    ]);
    const expected = data.tasks.filter((t) => t.section === 'II' && t.leads.some((l) => l.agencyId === seeded.khcn.id && l.category === 'overdue'));
    expect(expected.length).toBeGreaterThan(0);
    expect((await cards()).total).toBe(String(expected.length));
    expect(await page.$$eval('#late-table tbody tr', (rows) => rows.length)).toBe(expected.length);

    await page.reload();
    await page.waitForSelector('#summary');
    expect(await page.$eval('#filter-agency', (el) => (el as HTMLSelectElement).value)).toBe(seeded.khcn.id);
    expect(await page.$eval('#filter-section', (el) => (el as HTMLSelectElement).value)).toBe('II');
    expect(await page.$eval('#filter-category', (el) => (el as HTMLSelectElement).value)).toBe('overdue');
    expect((await cards()).total).toBe(String(expected.length));

    await page.goBack();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('category'));
    expect(await page.$eval('#filter-category', (el) => (el as HTMLSelectElement).value)).toBe('');
    expect(await page.$eval('#filter-section', (el) => (el as HTMLSelectElement).value)).toBe('II');

    // The page links keep the filters; clearing drops them but keeps tracker and date.
    await page.click('nav.pages a[data-view=tasks]');
    expect(searchParams().get('view')).toBe('tasks');
    expect(searchParams().get('section')).toBe('II');
    await page.click('#filter-clear');
    expect([...searchParams().keys()].sort()).toEqual(['asOf', 'tracker', 'view']);
  });

  it('search ignores diacritics, case and Unicode form', async () => {
    await openSignedIn(page, server.url, server.adminToken, query('&view=tasks'));
    const data = await apiDashboard();
    // Each word typed starts a word of the task.
    const words = (t: { stt: string; task: string }) => ` ${matchKey(`${t.stt} ${t.task}`)}`;
    const expected = data.tasks.filter((t) => words(t).includes(' ra') && words(t).includes(' soat')).length;
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(data.tasks.length);
    const rowsFor = async (text: string) => {
      await page.fill('#filter-q', text);
      await page.waitForFunction((q) => new URL(location.href).searchParams.get('q') === q, text);
      return page.$$eval('#task-table tbody td.text', (cells) => cells.map((c) => c.textContent ?? ''));
    };
    const plain = await rowsFor('ra soat');
    expect(plain).toHaveLength(expected);
    expect(plain.every((text) => / ra\b/.test(` ${matchKey(text)}`) && / soat\b/.test(` ${matchKey(text)}`))).toBe(true);
    expect(plain.some((text) => text.includes('Rà soát'))).toBe(true);
    expect(await rowsFor('RÀ SOÁT')).toEqual(plain);
    expect(await rowsFor('ra\u0300 soa\u0301t')).toEqual(plain); // NFD, as some keyboards type it
    await page.waitForFunction((n) => document.getElementById('status')?.textContent === `Đang hiện ${n} nhiệm vụ.`, expected);
    await page.reload();
    await page.waitForSelector('#task-table');
    expect(await page.inputValue('#filter-q')).toBe('ra\u0300 soa\u0301t');
    expect(await page.$$eval('#task-table tbody tr', (rows) => rows.length)).toBe(expected);
  });
});

describe('conflicts', () => {
  it('are decided from the page, beside the task’s history, and the stored value changes', async () => {
    await openSignedIn(page, server.url, server.adminToken, query('&view=conflicts'));
    await page.waitForSelector('.history-list li');
    expect(await page.$$eval('article.conflict', (els) => els.length)).toBe(2);
    const resultCard = page.locator('article.conflict', { hasText: 'Kết quả thực hiện' });
    // The agency's value carries <script>: it is shown as text.
    expect(await resultCard.locator('.value[data-side=yours]').textContent()).toBe(HTML_RESULT);
    expect(await resultCard.locator('.value[data-side=theirs]').textContent()).toBe('Đã trình dự thảo (Sở KH&CN sửa)');
    await resultCard.locator('.history-list li').first().waitFor();
    expect(await resultCard.locator('.history-list').textContent()).toContain('Kết quả thực hiện: Đang dự thảo → Đã trình dự thảo (Sở KH&CN sửa)');

    await resultCard.getByRole('button', { name: 'Dùng giá trị cơ quan gửi' }).click();
    await page.waitForFunction(() => document.querySelectorAll('article.conflict').length === 1);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'Đã lưu quyết định cho xung đột.');
    const reportOf = async (key: string) => {
      const tracker = (await call(server, server.adminToken, 'GET', `/api/trackers/${seeded.trackerId}`)).body;
      const task = tracker.tasks.find((t: { id: string }) => t.id === seeded.taskIds.get(key));
      return task.reports.find((r: { agencyId: string }) => r.agencyId === seeded.khcn.id);
    };
    expect((await reportOf('I.6')).result).toBe(HTML_RESULT);

    const noteCard = page.locator('article.conflict', { hasText: 'Ghi chú' });
    await noteCard.getByLabel('Hoặc nhập giá trị khác (Ghi chú)').fill('Đủ ý kiến, trừ Sở Tài chính');
    await noteCard.getByRole('button', { name: 'Lưu giá trị này' }).click();
    await page.waitForFunction(() => document.querySelectorAll('article.conflict').length === 0);
    expect(await page.textContent('#content')).toContain('Không có xung đột nào đang chờ.');
    expect(await page.textContent('nav.pages a[data-view=conflicts]')).toBe('Xung đột');
    expect((await reportOf('II.12')).note).toBe('Đủ ý kiến, trừ Sở Tài chính');
  });
});

describe('safety and languages', () => {
  it('shows HTML in task text as text and never runs it', async () => {
    await openSignedIn(page, server.url, server.adminToken, `?tracker=${seeded.htmlTrackerId}&view=tasks`);
    const texts = await page.$$eval('#task-table td.text', (cells) => cells.map((c) => c.textContent ?? ''));
    expect(texts).toContain(HTML_TASK);
    expect(await page.$$eval('#app script, #app img', (els) => els.length)).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });

  it('switches to English and back, and remembers the choice', async () => {
    await openSignedIn(page, server.url, server.adminToken, query());
    await page.click('#lang-switch');
    await page.waitForSelector('html[lang=en]');
    expect(await page.textContent('#summary h3')).toBe('Totals by category');
    expect(await page.textContent('[data-key=overdue] .card-label')).toBe(CATEGORY_LABELS.overdue.en);
    expect(await page.textContent('nav.pages a[data-view=tasks]')).toBe('Tasks');
    expect(await page.textContent('.account .who')).toBe('Administrator');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('lang-switch');
    await page.reload();
    await page.waitForSelector('#summary');
    expect(await page.textContent('#summary h3')).toBe('Totals by category');
    await page.click('#lang-switch');
    await page.waitForSelector('html[lang=vi]');
    expect(await page.textContent('[data-key=overdue] .card-label')).toBe(CATEGORY_LABELS.overdue.vi);
  });
});

describe('roles', () => {
  it('shows an agency its own tasks first and none of DoST’s pages', async () => {
    await openSignedIn(page, server.url, seeded.khcn.token, query('&view=tasks'));
    expect(await page.$$eval('nav.pages a', (links) => links.map((a) => a.getAttribute('data-view')))).toEqual(['overview', 'tasks']);
    const data = await apiDashboard();
    const own = data.tasks.filter((t) => t.leads.some((l) => l.agencyId === seeded.khcn.id)).length;
    const mine = await page.$$eval('#task-table tbody tr', (rows) => rows.map((r) => r.classList.contains('mine')));
    expect(mine).toHaveLength(data.tasks.length);
    expect(mine.filter(Boolean)).toHaveLength(own);
    expect(mine.indexOf(false)).toBe(own);

    await page.goto(`${server.url}/${query('&view=conflicts')}`);
    await page.waitForSelector('#summary');
    expect(await page.$$('.downloads')).toHaveLength(0);
  });

  it('lets DoST create an agency and shows its token once', async () => {
    await openSignedIn(page, server.url, server.adminToken, query('&view=admin'));
    await page.getByLabel('Tên cơ quan').fill('Sở Y tế');
    await page.getByRole('button', { name: 'Tạo cơ quan', exact: true }).click();
    await page.waitForSelector('.token-box:not([hidden])');
    const token = await page.inputValue('input.token');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('token');
    expect(await page.$$eval('#agency-table td', (cells) => cells.map((c) => c.textContent))).toContain('Sở Y tế');
    const me = await call(server, token, 'GET', '/api/me');
    expect(me.body).toMatchObject({ role: 'agency', name: 'Sở Y tế' });
    await page.reload();
    await page.waitForSelector('#agency-table');
    expect(await page.content()).not.toContain(token);
  });

  it('lets DoST revoke one of an agency’s tokens and rotate them all (issue 10, finding 3)', async () => {
    const agency = await createAgency(server, 'Sở Tư pháp');
    const second = (await call(server, server.adminToken, 'POST', `/api/agencies/${agency.id}/tokens`)).body as { id: string; token: string };
    const status = async (token: string) => (await call(server, token, 'GET', '/api/me')).status;
    await openSignedIn(page, server.url, server.adminToken, query('&view=admin'));
    await page.click(`#agency-table button[data-agency="${agency.id}"]`);
    await page.waitForSelector('#token-panel #token-table tbody tr');
    expect(await page.$$eval('#token-panel #token-table tbody tr', (rows) => rows.length)).toBe(2);

    await page.click(`#token-panel button[data-token="${second.id}"]`);
    await page.waitForSelector(`#token-panel button[data-token="${second.id}"]`, { state: 'detached' });
    expect(await page.textContent('#token-panel #token-table')).toContain('Đã thu hồi');
    expect(await status(second.token)).toBe(401);
    expect(await status(agency.token)).toBe(200);

    await page.getByRole('button', { name: 'Cấp mã mới, thu hồi mọi mã cũ' }).click();
    await page.waitForSelector('#token-panel .token-box:not([hidden])');
    const rotated = await page.inputValue('#token-panel input.token');
    expect(rotated).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await page.waitForFunction(() => document.querySelectorAll('#token-panel #token-table tbody tr').length === 3);
    expect(await page.$$eval('#token-panel button[data-token]', (buttons) => buttons.length)).toBe(1);
    expect(await status(agency.token)).toBe(401);
    expect((await call(server, rotated, 'GET', '/api/me')).body).toMatchObject({ role: 'agency', agencyId: agency.id });
  });
});

describe('a new installation', () => {
  it('says there is no tracker yet instead of loading forever, and names an empty upload as empty', async () => {
    const empty = await startServer('sqlite');
    try {
      await page.addInitScript(([key, value]) => sessionStorage.setItem(key, value), [TOKEN_KEY, empty.adminToken] as const);
      await page.goto(`${empty.url}/`);
      await page.waitForFunction(() => /Chưa có bảng theo dõi/.test(document.body.textContent ?? ''));
      expect(await page.textContent('#status')).not.toContain('Đang tải');
      const res = await call(empty, empty.adminToken, 'POST', '/api/trackers', fileForm(new Uint8Array(0), 'phu-luc.xlsx', { title: 'Rỗng' }));
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'upload.empty', field: 'file' });
      expect(res.body.error.message).toContain('“phu-luc.xlsx” rỗng');
      expect(res.body.error.messageEn).toContain('empty');
    } finally {
      await empty.close();
    }
  });
});
