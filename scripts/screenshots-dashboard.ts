/**
 * Screenshots of the dashboard's main views at a laptop's and a phone's width,
 * for a person to look at: builds the page, starts the service on loopback
 * over a throwaway SQLite store seeded like the browser test, and writes PNGs
 * to out/screenshots/dashboard-<view>-<laptop|phone>.png (ignored by git), or with --docs to the
 * tracked docs/screenshots/ that the README shows.
 *
 *   npm run screenshots [-- --docs]
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startServer } from '../tests/server/http';
import { stopTestDatabases } from '../tests/server/pg-cluster';
import { ROOT, buildDashboard, launchChromium, openSignedIn, seedService } from '../tests/dashboard/harness';

// The tracked pictures change only when asked: a plain run must leave the work tree clean.
const OUT = path.join(ROOT, process.argv.includes('--docs') ? 'docs/screenshots' : 'out/screenshots');
/** A reporting day inside the plan's year, with tasks overdue and due soon. */
const AS_OF = '2026-06-25';
const SIZES = {
  laptop: { width: 1366, height: 900 },
  phone: { width: 390, height: 844 },
} as const;

/** The viewport, scrolled so that `target` (when given) starts at its top. */
async function shoot(page: Page, name: string, size: keyof typeof SIZES, target?: string): Promise<string> {
  const file = path.join(OUT, `dashboard-${name}-${size}.png`);
  await page.evaluate(() => document.fonts.ready);
  if (target) await page.locator(target).first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: file });
  return path.relative(ROOT, file);
}

async function views(browser: Browser, baseUrl: string, seeded: { adminToken: string; agencyToken: string; trackerId: string }, size: keyof typeof SIZES): Promise<string[]> {
  const { adminToken, agencyToken, trackerId } = seeded;
  const files: string[] = [];
  const context = await browser.newContext({ viewport: SIZES[size], deviceScaleFactor: 1, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await context.newPage();
  const query = (extra = '') => `?tracker=${trackerId}&asOf=${AS_OF}${extra}`;

  await page.goto(`${baseUrl}/`);
  await page.waitForSelector('#token');
  files.push(await shoot(page, 'sign-in', size));

  await openSignedIn(page, baseUrl, adminToken, query());
  files.push(await shoot(page, 'overview', size));
  files.push(await shoot(page, 'chart', size, '#chart'));
  files.push(await shoot(page, 'late', size, '#late'));

  await page.goto(`${baseUrl}/${query('&view=tasks&q=ra%20soat')}`);
  await page.waitForSelector('#task-table');
  files.push(await shoot(page, 'tasks-search', size));

  await page.goto(`${baseUrl}/${query('&view=conflicts')}`);
  await page.waitForSelector('.history-list');
  files.push(await shoot(page, 'conflicts', size, '.conflict'));

  await page.goto(`${baseUrl}/${query('&view=admin')}`);
  await page.waitForSelector('#agency-table');
  await page.getByLabel('Tên cơ quan').fill('Sở Y tế');
  await page.getByRole('button', { name: 'Tạo cơ quan', exact: true }).click();
  await page.waitForSelector('.token-box:not([hidden])');
  files.push(await shoot(page, 'admin', size));

  await page.goto(`${baseUrl}/${query()}`);
  await page.waitForSelector('#summary');
  await page.click('#lang-switch');
  await page.waitForSelector('html[lang=en]');
  files.push(await shoot(page, 'overview-en', size));
  await context.close();

  // An agency: its own tasks first, no DoST pages.
  const agency = await browser.newContext({ viewport: SIZES[size], deviceScaleFactor: 1, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const agencyPage = await agency.newPage();
  await openSignedIn(agencyPage, baseUrl, agencyToken, query('&view=tasks'));
  files.push(await shoot(agencyPage, 'agency-tasks', size));
  await agency.close();
  return files;
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  await buildDashboard();
  const server = await startServer('sqlite');
  const browser = await launchChromium();
  try {
    const seeded = await seedService(server);
    const files: string[] = [];
    for (const size of Object.keys(SIZES) as (keyof typeof SIZES)[]) files.push(...(await views(browser, server.url, { adminToken: server.adminToken, agencyToken: seeded.khcn.token, trackerId: seeded.trackerId }, size)));
    for (const f of files) console.log(f);
  } finally {
    await browser.close();
    await server.close();
    await stopTestDatabases();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
