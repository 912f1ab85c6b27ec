/**
 * The change feed with several instances on one PostgreSQL database: writers
 * commit concurrently through two apps while a follower walks the cursor,
 * alternating between the apps; it must see every change exactly once.
 */
import type { ChangeRecord } from '../../shared/schemas';
import { freshStoreUrl, stopTestDatabases } from './pg-cluster';
import { call, createAgency, startServer, task, type TestServer } from './http';

afterAll(stopTestDatabases);

describe('change feed across two instances on PostgreSQL', () => {
  let one: TestServer;
  let two: TestServer;

  beforeAll(async () => {
    const url = await freshStoreUrl('postgres');
    one = await startServer('postgres', { storeUrl: url });
    two = await startServer('postgres', { storeUrl: url, adminToken: one.adminToken });
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
  });

  it('gives a follower every change once, in one order, while writers commit through both', async () => {
    const AGENCIES = 12;
    const SYNCS_EACH = 15;
    const agencies = [];
    for (let a = 0; a < AGENCIES; a++) agencies.push(await createAgency(one, `Đơn vị thử ${a}`));
    const tasks = agencies.flatMap((a, i) => [task(`a${i}x`, [a.name]), task(`a${i}y`, [a.name])]);
    const trackerId = (await call(one, one.adminToken, 'POST', '/api/trackers', { title: 'Feed', tasks })).body.id as string;

    const acknowledged: string[] = [];
    let writing = true;
    const writers = agencies.map(async (agency, a) => {
      // Each writer edits its own edits: from the versions its previous answer gave.
      const version: Record<string, number> = {};
      for (let i = 0; i < SYNCS_EACH; i++) {
        const via = (a + i) % 2 === 0 ? one : two;
        const res = await call(via, agency.token, 'POST', `/api/trackers/${trackerId}/sync`, {
          changes: [
            { taskId: `a${a}x`, baseVersion: version[`a${a}x`] ?? 0, fields: { note: `x ${a}-${i}` } },
            { taskId: `a${a}y`, baseVersion: version[`a${a}y`] ?? 0, fields: { result: `y ${a}-${i}` } },
          ],
        });
        expect(res.status).toBe(200);
        expect(res.body.conflicts).toEqual([]);
        for (const applied of res.body.applied as { taskId: string; version: number }[]) version[applied.taskId] = applied.version;
        acknowledged.push(`a${a}x|note|x ${a}-${i}`, `a${a}y|result|y ${a}-${i}`);
      }
    });

    const seen: ChangeRecord[] = [];
    const follow = async () => {
      let cursor = '';
      let turn = 0;
      const page = async () => {
        const via = turn++ % 2 === 0 ? one : two;
        const res = await call(via, one.adminToken, 'GET', `/api/trackers/${trackerId}/changes?limit=7${cursor ? `&since=${cursor}` : ''}`);
        seen.push(...res.body.changes);
        cursor = res.body.cursor;
        return res.body.changes.length;
      };
      while (writing) await page();
      // Writers done: drain what is left.
      while ((await page()) > 0);
    };
    const follower = follow();
    await Promise.all(writers);
    writing = false;
    await follower;

    const keys = seen.map((c) => `${c.taskId}|${c.field}|${c.newValue}`);
    expect(new Set(seen.map((c) => c.cursor)).size).toBe(seen.length);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual([...acknowledged].sort());
    // The same walk afterwards gives the same changes in the same order.
    const all = await call(two, one.adminToken, 'GET', `/api/trackers/${trackerId}/changes?limit=5000`);
    expect(all.body.changes.map((c: ChangeRecord) => c.cursor)).toEqual(seen.map((c) => c.cursor));
  });
});
