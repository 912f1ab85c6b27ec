import { BLANK_PROGRESS } from '../../server/merge';
import { type AgencyLike, mayWriteReport, overallProgress, resolveLeads } from '../../server/store/leads';
import { defaultRegistry } from '../../shared/agencies';
import type { Progress } from '../../shared/schemas';

const agency = (name: string): AgencyLike => {
  const found = defaultRegistry.find(name);
  if (!found) throw new Error(`not in the registry: ${name}`);
  return { name: found.name, registryId: found.id, kind: found.kind };
};
const khcn = agency('Sở Khoa học và Công nghệ');
const noiVu = agency('Sở Nội vụ');
const batXat = agency('UBND xã Bát Xát');
const dangUyBatXat = agency('Đảng ủy xã Bát Xát');
const unregistered: AgencyLike = { name: 'Trung tâm Dữ liệu', registryId: null, kind: 'other' };

describe('resolveLeads', () => {
  it('resolves names through the registry and keeps unknown ones verbatim', () => {
    expect(resolveLeads(['Sở KH&CN', 'Trung tâm Dữ liệu'], defaultRegistry)).toEqual([
      { name: khcn.name, registryId: khcn.registryId, kind: 'department' },
      { name: 'Trung tâm Dữ liệu', registryId: null, kind: 'other' },
    ]);
  });
});

describe('mayWriteReport', () => {
  const leads = (...names: string[]) => resolveLeads(names, defaultRegistry);

  it('lets a lead agency report, and nobody else', () => {
    expect(mayWriteReport(leads('Sở Khoa học và Công nghệ', 'Sở Nội vụ'), khcn, 'agency')).toBe(true);
    expect(mayWriteReport(leads('Sở Khoa học và Công nghệ'), noiVu, 'agency')).toBe(false);
    expect(mayWriteReport(leads('Sở Khoa học và Công nghệ'), noiVu, 'admin')).toBe(false);
  });

  it('matches unregistered leads by name, ignoring case and accents', () => {
    expect(mayWriteReport(leads('Trung tâm dữ liệu'), unregistered, 'agency')).toBe(true);
    expect(mayWriteReport(leads('Trung tam du lieu.'), unregistered, 'agency')).toBe(true);
  });

  it('takes reports from the members of a leading group', () => {
    const broad = leads('Các sở, ban, ngành, địa phương');
    expect([khcn, batXat, unregistered].map((a) => mayWriteReport(broad, a, 'agency'))).toEqual([true, true, true]);
    const communes = leads('UBND các xã, phường');
    expect([khcn, batXat, dangUyBatXat].map((a) => mayWriteReport(communes, a, 'agency'))).toEqual([false, true, false]);
    const partyCommittees = leads('Đảng ủy các xã, phường');
    expect([khcn, batXat, dangUyBatXat].map((a) => mayWriteReport(partyCommittees, a, 'agency'))).toEqual([false, false, true]);
    const departments = leads('Các sở, ban, ngành');
    expect([khcn, batXat].map((a) => mayWriteReport(departments, a, 'agency'))).toEqual([true, false]);
  });

  it('lets only the administrator report on a task that names no lead', () => {
    expect(mayWriteReport([], khcn, 'agency')).toBe(false);
    expect(mayWriteReport([], khcn, 'admin')).toBe(true);
  });
});

describe('overallProgress', () => {
  const p = (over: Partial<Progress>): Progress => ({ ...BLANK_PROGRESS, ...over });
  const twoLeads = resolveLeads(['Sở Khoa học và Công nghệ', 'Sở Nội vụ'], defaultRegistry);

  it('is done only when every lead is done, completed on the latest day', () => {
    const a = { agency: khcn, progress: p({ status: 'done', completedOn: '2026-03-05', result: 'Xong' }) };
    const b = { agency: noiVu, progress: p({ status: 'in_progress', result: 'Đang làm' }) };
    expect(overallProgress(twoLeads, [])).toEqual(p({}));
    expect(overallProgress(twoLeads, [a])).toMatchObject({ status: 'in_progress', completedOn: null, result: 'Xong' });
    expect(overallProgress(twoLeads, [a, b])).toMatchObject({
      status: 'in_progress',
      result: `${khcn.name}: Xong\n${noiVu.name}: Đang làm`,
    });
    const bDone = { agency: noiVu, progress: p({ status: 'done', completedOn: '2026-03-09' }) };
    expect(overallProgress(twoLeads, [a, bDone])).toMatchObject({ status: 'done', completedOn: '2026-03-09', result: `${khcn.name}: Xong` });
  });

  it('for a group, is done when every report received is done and there is one', () => {
    const group = resolveLeads(['Các sở, ban, ngành, địa phương'], defaultRegistry);
    expect(overallProgress(group, []).status).toBe('not_started');
    const done = { agency: khcn, progress: p({ status: 'done', completedOn: '2026-02-01' }) };
    const started = { agency: batXat, progress: p({ status: 'in_progress' }) };
    expect(overallProgress(group, [done])).toMatchObject({ status: 'done', completedOn: '2026-02-01' });
    expect(overallProgress(group, [done, started]).status).toBe('in_progress');
  });

  it('is not started while every report is', () => {
    expect(overallProgress(twoLeads, [{ agency: khcn, progress: p({ note: 'chờ' }) }])).toEqual(p({ note: 'chờ' }));
  });
});
