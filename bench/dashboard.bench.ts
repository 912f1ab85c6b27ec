/**
 * The dashboard on 5,000 tasks in headless Chromium: a tracker of 5,000 tasks
 * led by 40 agencies (half of them reported on) served by the real service on
 * loopback over SQLite; the page's own performance marks (dashboard/src/main.ts)
 * give the time to prepare the data and to draw each view. Median of 5 loads.
 */
import http from 'node:http';
import { defaultRegistry } from '../shared/agencies';
import { addDays } from '../shared/dates';
import type { Task } from '../shared/schemas';
import { buildDashboard, launchChromium, openSignedIn } from '../tests/dashboard/harness';
import { call, createAgency, startServer, task } from '../tests/server/http';
import { stopTestDatabases } from '../tests/server/pg-cluster';
import { figure, timed } from './measure';

const TASKS = 5000;
const AGENCIES = 40;
const RUNS = 5;
const AS_OF = '2026-06-25';
const SECTIONS = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X'];
const VERBS = ['Rà soát', 'Triển khai', 'Xây dựng', 'Hướng dẫn', 'Tổ chức', 'Đánh giá', 'Hoàn thiện', 'Kiểm tra'];
const TOPICS = ['chuyển đổi số', 'dữ liệu số', 'đổi mới sáng tạo', 'an toàn thông tin', 'cải cách hành chính', 'hạ tầng số', 'kinh tế số'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function tasksFor(leads: string[]): Task[] {
  return Array.from({ length: TASKS }, (_, i) => {
    const lead = i % 7 === 0 ? [leads[i % leads.length], leads[(i + 3) % leads.length]] : [leads[i % leads.length]];
    const due = addDays('2026-01-15', (i * 37) % 330);
    const ongoing = i % 9 === 0;
    return task(`b${i}`, lead, {
      stt: String((i % 500) + 1),
      section: SECTIONS[Math.floor(i / 500)],
      sectionTitle: `Nhóm nhiệm vụ ${SECTIONS[Math.floor(i / 500)]}`,
      task: `${VERBS[i % VERBS.length]} ${TOPICS[i % TOPICS.length]} của tỉnh, giai đoạn ${1 + (i % 4)}, hạng mục ${i}`,
      deadline: ongoing ? { raw: 'Thường xuyên', kind: 'ongoing', due: null } : { raw: due.split('-').reverse().join('/'), kind: 'date', due },
    });
  });
}

async function main(): Promise<void> {
  await buildDashboard();
  const server = await startServer('sqlite');
  const browser = await launchChromium();
  try {
    const names = defaultRegistry.agencies.filter((a) => a.kind === 'department' || a.kind === 'commune').slice(0, AGENCIES);
    const agencies = [];
    for (const a of names) agencies.push(await createAgency(server, a.name));
    const created = await call(server, server.adminToken, 'POST', '/api/trackers', { title: 'Bảng thử 5.000 nhiệm vụ', tasks: tasksFor(agencies.map((a) => a.name)) });
    if (created.status !== 201) throw new Error(`tracker: ${created.status} ${JSON.stringify(created.body).slice(0, 300)}`);
    const trackerId: string = created.body.id;
    // Each agency reports on every other task it leads.
    await Promise.all(
      agencies.map((agency, k) => {
        const changes = (created.body.tasks as Task[])
          .filter((t, i) => t.lead.includes(agency.name) && i % 2 === k % 2)
          .map((t, j) => ({ taskId: t.id, baseVersion: 0, fields: j % 3 === 0 ? { status: 'done', completedOn: '2026-05-20' } : { status: 'in_progress', result: 'Đang thực hiện' } }));
        return call(server, agency.token, 'POST', `/api/trackers/${trackerId}/sync`, { changes });
      }),
    );

    const answer = () => timed(() => call(server, server.adminToken, 'GET', `/api/trackers/${trackerId}/dashboard?asOf=${AS_OF}`));
    const bytes = JSON.stringify((await answer()).value.body).length; // also warms the server up
    // What the browser downloads: the same answer gzip-compressed (fetch would inflate it, so count raw bytes).
    const wire = await new Promise<number>((resolve, reject) => {
      const url = new URL(`/api/trackers/${trackerId}/dashboard?asOf=${AS_OF}`, server.url);
      http
        .get(url, { headers: { authorization: `Bearer ${server.adminToken}`, 'accept-encoding': 'gzip' } }, (res) => {
          let n = 0;
          res.on('data', (chunk: Buffer) => (n += chunk.length));
          res.on('end', () => resolve(n));
        })
        .on('error', reject);
    });
    const apiMs: number[] = [];
    for (let run = 0; run < RUNS; run++) apiMs.push((await answer()).ms);

    const samples: Record<string, number[]> = { prepare: [], overview: [], firstPaint: [], filter: [], search: [], tasks: [] };
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
      const page = await context.newPage();
      await openSignedIn(page, server.url, server.adminToken, `?tracker=${trackerId}&asOf=${AS_OF}`);
      await page.waitForSelector('#summary');
      const renders = () => page.evaluate(() => performance.getEntriesByName('dashboard:render').map((e) => e.duration));
      const first = await page.evaluate(() => ({
        prepare: performance.getEntriesByName('dashboard:prepare')[0].duration,
        render: performance.getEntriesByName('dashboard:render')[0].duration,
        end: performance.getEntriesByName('dashboard:render-end')[0].startTime,
      }));
      samples.prepare.push(first.prepare);
      samples.overview.push(first.render);
      samples.firstPaint.push(first.end);

      await page.selectOption('#filter-category', 'overdue');
      samples.filter.push((await renders()).at(-1)!);
      await page.selectOption('#filter-category', '');
      const before = (await renders()).length;
      await page.fill('#filter-q', 'ra soat chuyen doi');
      await page.waitForFunction((n) => performance.getEntriesByName('dashboard:render').length > n, before);
      samples.search.push((await renders()).at(-1)!);
      await page.click('nav.pages a[data-view=tasks]');
      await page.waitForSelector('#task-table');
      samples.tasks.push((await renders()).at(-1)!);
      await context.close();
    }

    console.log(`${TASKS} tasks, ${AGENCIES} agencies, headless Chromium, median of ${RUNS} page loads`);
    figure('GET …/dashboard: 5,000 classified tasks + report (server)', median(apiMs), 'ms');
    figure('dashboard API answer size', bytes / 1024, 'KiB');
    figure('dashboard API answer on the wire (gzip)', wire / 1024, 'KiB');
    figure('page: prepare data (search keys, filter choices)', median(samples.prepare), 'ms');
    figure('page: render overview (totals, chart, late list)', median(samples.overview), 'ms');
    figure('page: navigation start → overview drawn (incl. fetch)', median(samples.firstPaint), 'ms');
    figure('page: re-render on a category filter', median(samples.filter), 'ms');
    figure('page: re-render on a search', median(samples.search), 'ms');
    figure('page: render task list (first 100 rows)', median(samples.tasks), 'ms');
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
