/**
 * What the dashboard's browser test, its screenshot script and its benchmark
 * share: the production build (webpack's Node API, into dashboard/dist where
 * the service looks for it), Debian's chromium through playwright-core, and a
 * service seeded through the API with the seed plan's Phụ lục II, agencies,
 * their reports, two conflicts and a task text that carries HTML.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import webpack from 'webpack';
import { call, createAgency, fileForm, task, type TestServer } from '../server/http';

export const ROOT = path.resolve(__dirname, '../..');
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const TOKEN_KEY = 'annex-tracker.token';
export const HTML_TASK = '<script>alert(1)</script><img src=x onerror="window.__xss=1"> Nhiệm vụ có thẻ HTML';
export const HTML_RESULT = '<script>alert(1)</script> Dự thảo lần 2 của Sở';

/** `npx webpack --config dashboard/webpack.config.js`, in process. */
export async function buildDashboard(): Promise<void> {
  const makeConfig = createRequire(__filename)(path.join(ROOT, 'dashboard/webpack.config.js')) as (env: unknown, argv: unknown) => webpack.Configuration;
  await new Promise<void>((resolve, reject) =>
    webpack(makeConfig({}, { mode: 'production' }), (err, stats) => {
      if (err) reject(err);
      else if (!stats || stats.hasErrors()) reject(new Error(stats?.toString('errors-only') ?? 'webpack failed'));
      else resolve();
    }),
  );
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Opens the page already signed in (the token in sessionStorage, as the sign-in form leaves it). */
export async function openSignedIn(page: Page, baseUrl: string, token: string, query = ''): Promise<void> {
  await page.addInitScript(([key, value]) => sessionStorage.setItem(key, value), [TOKEN_KEY, token] as const);
  await page.goto(`${baseUrl}/${query}`);
  await page.waitForSelector('#content-title');
}

export interface Agency {
  id: string;
  name: string;
  token: string;
}

export interface Seeded {
  trackerId: string;
  htmlTrackerId: string;
  khcn: Agency;
  noiVu: Agency;
  congAn: Agency;
  /** Tasks of Phụ lục II by "section.stt". */
  taskIds: Map<string, string>;
}

/**
 * Agencies, a small tracker whose task text carries HTML, then Phụ lục II
 * (created last, so it is the one the page opens by default), reports from
 * three agencies, and two conflicts: one on a result whose value carries HTML,
 * one on a note.
 */
export async function seedService(server: TestServer): Promise<Seeded> {
  const admin = server.adminToken;
  const khcn = await createAgency(server, 'Sở KH&CN');
  const noiVu = await createAgency(server, 'Sở Nội vụ');
  const congAn = await createAgency(server, 'Công an tỉnh');
  await createAgency(server, 'Sở Tài chính');
  await createAgency(server, 'Văn phòng UBND tỉnh');

  const html = await call(server, admin, 'POST', '/api/trackers', {
    title: 'Bảng thử nội dung HTML',
    tasks: [task('x1', ['Sở Khoa học và Công nghệ'], { task: HTML_TASK }), task('x2', ['Sở Nội vụ'])],
  });
  if (html.status !== 201) throw new Error(`tracker: ${html.status} ${JSON.stringify(html.body)}`);

  const fixture = readFileSync(path.join(ROOT, 'tests/fixtures/seeds/003-phu-luc-II.txt'));
  const created = await call(server, admin, 'POST', '/api/trackers', fileForm(fixture, '003-phu-luc-II.txt', { title: 'Phụ lục II — Nhiệm vụ, giải pháp trọng tâm' }));
  if (created.status !== 201) throw new Error(`tracker: ${created.status} ${JSON.stringify(created.body)}`);
  const trackerId: string = created.body.id;
  const taskIds = new Map<string, string>((created.body.tasks as { id: string; section: string; stt: string }[]).map((t) => [`${t.section}.${t.stt}`, t.id]));
  const id = (key: string) => {
    const found = taskIds.get(key);
    if (!found) throw new Error(`no task ${key}`);
    return found;
  };
  const sync = async (token: string, changes: unknown[]) => {
    const res = await call(server, token, 'POST', `/api/trackers/${trackerId}/sync`, { changes });
    if (res.status !== 200) throw new Error(`sync: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  await sync(khcn.token, [
    { taskId: id('I.1'), baseVersion: 0, fields: { status: 'done', completedOn: '2026-04-10', result: 'Đã ban hành báo cáo rà soát' } },
    { taskId: id('II.9'), baseVersion: 0, fields: { status: 'done', completedOn: '2026-05-08', result: 'Hoàn thành muộn' } },
    { taskId: id('I.6'), baseVersion: 0, fields: { status: 'in_progress', result: 'Đang dự thảo' } },
    { taskId: id('II.12'), baseVersion: 0, fields: { status: 'in_progress', note: 'Chờ ý kiến các sở' } },
  ]);
  await sync(noiVu.token, [
    { taskId: id('I.3'), baseVersion: 0, fields: { status: 'in_progress', result: 'Đã lấy ý kiến' } },
    { taskId: id('VI.1'), baseVersion: 0, fields: { status: 'done', completedOn: '2026-03-20' } },
  ]);
  await sync(congAn.token, [{ taskId: id('V.4'), baseVersion: 0, fields: { status: 'done', completedOn: '2026-04-14' } }]);

  // DoST corrects two KH&CN reports while the department, still on version 1, sends its own.
  await sync(admin, [
    { taskId: id('I.6'), baseVersion: 1, agencyId: khcn.id, fields: { result: 'Đã trình dự thảo (Sở KH&CN sửa)' } },
    { taskId: id('II.12'), baseVersion: 1, agencyId: khcn.id, fields: { note: 'Đã đủ ý kiến' } },
  ]);
  const stale = await sync(khcn.token, [
    { taskId: id('I.6'), baseVersion: 1, fields: { result: HTML_RESULT } },
    { taskId: id('II.12'), baseVersion: 1, fields: { note: 'Còn thiếu ý kiến Sở Tài chính' } },
  ]);
  if (stale.conflicts.length !== 2) throw new Error(`expected two conflicts, got ${JSON.stringify(stale.conflicts)}`);

  return { trackerId, htmlTrackerId: html.body.id, khcn, noiVu, congAn, taskIds };
}
