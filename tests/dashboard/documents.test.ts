/**
 * The dashboard's tracker creation from a document, in headless Chromium against
 * the real service on loopback (SQLite): the file picker offers every format the
 * service reads; a Word letter's tasks are previewed (agency, deadline as written
 * and as read, diagnostics) as the preview API answers; a task unticked there is
 * left out of the tracker created on confirmation.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DOCUMENT_EXTENSIONS } from '../../shared/document';
import type { Task } from '../../shared/schemas';
import { call, fileForm, startServer, type TestServer } from '../server/http';
import { stopTestDatabases } from '../server/pg-cluster';
import { buildDashboard, launchChromium, openSignedIn } from './harness';

const LETTER = path.join(__dirname, '../fixtures/documents/004-cong-van.docx');

let server: TestServer;
let browser: Browser;
let page: Page;
let firstTracker: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  await buildDashboard();
  server = await startServer('sqlite');
  const seed = readFileSync(path.join(__dirname, '../fixtures/seeds/003-phu-luc-IV.txt'));
  firstTracker = (await call(server, server.adminToken, 'POST', '/api/trackers', fileForm(seed, '003-phu-luc-IV.txt'))).body.id;
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await stopTestDatabases();
});

it('previews a Word letter’s tasks, lets one be left out, and creates the tracker of the rest', async () => {
  await openSignedIn(page, server.url, server.adminToken, `?tracker=${firstTracker}&view=admin`);
  const picker = page.locator('input[type=file]').first();
  expect((await picker.getAttribute('accept'))?.split(',')).toEqual([...DOCUMENT_EXTENSIONS]);
  expect(await page.getByText(/Văn bản hoặc phụ lục \(.*\.docx, \.pdf\)/).count()).toBe(1);

  await picker.setInputFiles(LETTER);
  await page.getByRole('button', { name: 'Xem trước các nhiệm vụ' }).click();
  await page.waitForSelector('#preview-table tbody tr');

  const api = (await call(server, server.adminToken, 'POST', '/api/trackers/preview', fileForm(readFileSync(LETTER), '004-cong-van.docx'))).body;
  const tasks = api.tasks as Task[];
  const rows = await page.$$eval('#preview-table tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '')));
  expect(rows).toHaveLength(tasks.length);
  tasks.forEach((task, i) => {
    expect(rows[i][1]).toBe(task.stt);
    expect(rows[i][2]).toBe(task.task);
    expect(rows[i][3]).toContain(task.leadRaw || '—');
    expect(rows[i][4]).toBe(task.deadline.raw || '—');
  });
  // A deadline read as a day shows it as dd/mm/yyyy; one that is not says why.
  const dated = tasks.findIndex((task) => task.deadline.due !== null);
  const [y, m, d] = tasks[dated].deadline.due!.split('-');
  expect(rows[dated][5]).toBe(`${d}/${m}/${y}`);
  const undated = tasks.findIndex((task) => task.deadline.due === null);
  if (undated >= 0) expect(rows[undated][5]).toContain(tasks[undated].deadline.kind);
  expect(await page.$$eval('#preview-diagnostics li', (lis) => lis.length)).toBe(api.diagnostics.length);

  const before = (await call(server, server.adminToken, 'GET', '/api/trackers')).body.length;
  await page.getByRole('checkbox', { name: `Giữ nhiệm vụ ${tasks[0].stt}` }).first().uncheck();
  await page.getByRole('button', { name: `Tạo bảng theo dõi với ${tasks.length - 1} nhiệm vụ đã chọn` }).click();
  await page.waitForFunction(() => /Đã tạo bảng theo dõi/.test(document.body.textContent ?? ''));
  const list = (await call(server, server.adminToken, 'GET', '/api/trackers')).body as { id: string; title: string }[];
  expect(list).toHaveLength(before + 1);
  const created = list.find((tracker) => tracker.id !== firstTracker)!;
  expect(created.title).toBe(api.title);
  const stored = (await call(server, server.adminToken, 'GET', `/api/trackers/${created.id}`)).body.tasks as Task[];
  expect(stored.map((task) => task.id)).toEqual(tasks.slice(1).map((task) => task.id));
  expect(pageErrors).toEqual([]);
});
