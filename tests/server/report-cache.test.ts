/** The reports a group of syncs leaves for the next (report-cache.ts): only for the seq it committed, and only once. */
import { ReportCache, type KnownReports } from '../../server/store/report-cache';

const known = (): KnownReports => ({
  reports: new Map([['t1\u0000ag1', { report: { values: { status: 'done', result: '', completedOn: null, evidence: '', note: '' }, version: 2, meta: {} }, dirty: true, taskId: 't1', agencyId: 'ag1' }]]),
  loaded: new Set(['t1']),
});

describe('ReportCache', () => {
  it('gives a tracker’s reports back only at the seq they were kept at, as written (no longer dirty)', () => {
    const cache = new ReportCache();
    cache.keep('tr1', 7, known());
    const back = cache.take('tr1', 7);
    expect(back?.loaded).toEqual(new Set(['t1']));
    expect([...back!.reports.values()].map((e) => [e.taskId, e.dirty])).toEqual([['t1', false]]);
  });

  it('takes them out: a group that fails before keeping leaves nothing for the next', () => {
    const cache = new ReportCache();
    cache.keep('tr1', 7, known());
    expect(cache.take('tr1', 7)).not.toBeNull();
    expect(cache.take('tr1', 7)).toBeNull();
  });

  it('drops them when the tracker has moved on (another writer), and keeps sixteen trackers at most', () => {
    const cache = new ReportCache();
    cache.keep('tr1', 7, known());
    expect(cache.take('tr1', 9)).toBeNull();
    expect(cache.take('tr1', 7)).toBeNull();
    for (let i = 0; i < 17; i++) cache.keep(`tr${i}`, 1, known());
    expect(cache.take('tr0', 1)).toBeNull();
    expect(cache.take('tr16', 1)).not.toBeNull();
  });
});
