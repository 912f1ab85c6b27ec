/** Several readers' pages of the change feed in one statement (a group of syncs' answers) read as each alone. */
import { openDatabase } from '../../server/store/database';
import { type FeedRequest, readChanges, readFeeds } from '../../server/store/feed';
import { KyselyStore } from '../../server/store/kysely-store';
import { QueryShapes } from '../../server/store/query-shapes';
import type { Caller } from '../../server/store/store';
import { DATABASE_KINDS, freshStoreUrl, stopTestDatabases } from './pg-cluster';
import { task } from './task-fixture';

afterAll(stopTestDatabases);

describe.each(DATABASE_KINDS)('pages of the feed read together, on %s', (kind) => {
  it('give each reader what reading its page alone gives, whatever its filter', async () => {
    const { db, reader } = openDatabase(await freshStoreUrl(kind));
    const store = new KyselyStore(db, { reader });
    try {
      await store.migrate();
      await store.ensureAdminToken('admin');
      const admin = (await store.findCaller('admin')) as Caller;
      const agencies: Caller[] = [];
      for (const [i, name] of ['Sở Nội vụ', 'Sở Tài chính', 'Sở Y tế'].entries()) {
        await store.createAgency({ name, registryId: null, kind: 'department' }, `h${i}`);
        agencies.push((await store.findCaller(`h${i}`)) as Caller);
      }
      const tasks = agencies.flatMap((a, i) => Array.from({ length: 4 }, (_, j) => task(`t${i}${j}`, [a.name])));
      const tracker = await store.createTracker({ title: 'KH', documentNumber: null, documentDate: null, tasks }, admin);
      // Three rounds of every agency editing its four tasks: 36 changes, interleaved by agency.
      for (let round = 0; round < 3; round++) {
        for (const [i, a] of agencies.entries()) {
          await store.sync(tracker.id, a, { changes: Array.from({ length: 4 }, (_, j) => ({ taskId: `t${i}${j}`, baseVersion: round, fields: { note: `vòng ${round}` } })) });
        }
      }
      const head = 36;
      const [first, second] = [agencies[0].agencyId as string, agencies[1].agencyId as string];
      const requests: FeedRequest[] = [
        { after: 0, limit: 5, filter: { agencyId: first, head } },
        { after: 4, limit: 20, filter: { agencyId: first, head, skip: { from: 12, to: 16 } } },
        { after: 30, limit: 20, filter: { agencyId: second, head, skip: { from: 32, to: 36 } } },
        { after: 36, limit: 20, filter: { agencyId: second, head } },
        { after: 10, limit: 7, filter: { head, skip: { from: 20, to: 24 } } },
        { after: 0, limit: 100, filter: { agencyId: 'ag_none', head } },
      ];
      const together = await readFeeds(reader, tracker.id, requests, new QueryShapes());
      const alone = await Promise.all(requests.map((r) => readChanges(reader, tracker.id, r.after, r.limit, r.filter)));
      expect(together).toEqual(alone);
      // Not trivially equal: pages full or not, own changes left out (in the middle, and at the head),
      // cursors at a full page's last change or moved up to the head.
      expect(together.map((p) => p.changes.map((c) => Number(c.cursor)))).toEqual([
        [1, 2, 3, 4, 13],
        [25, 26, 27, 28],
        [31, 32],
        [],
        [11, 12, 13, 14, 15, 16, 17],
        [],
      ]);
      expect(together.map((p) => p.cursor)).toEqual(['13', '36', '36', '36', '17', '36']);
      // Read again with the compiled statement, and with fewer pages.
      expect(await readFeeds(reader, tracker.id, requests, new QueryShapes())).toEqual(alone);
      expect(await readFeeds(reader, tracker.id, requests.slice(3, 4), new QueryShapes())).toEqual(alone.slice(3, 4));
    } finally {
      await store.close();
    }
  });
});
