/**
 * The pure report builder: who counts a task (named leads, members of a leading
 * group), the reporting period, and "on time" judged on Vietnam's calendar day.
 */
import { buildReport, dayIn, leadEntries, reportingPeriod } from '../../server/report';
import type { AgencyRecord, ReportRecord, TaskRecord, TrackerRecord } from '../../server/store/store';
import type { Progress } from '../../shared/schemas';
import { task } from './http';

const NONE: Progress = { status: 'not_started', result: '', completedOn: null, evidence: '', note: '' };
const agency = (id: string, name: string, registryId: string | null, kind: AgencyRecord['kind'] = 'department'): AgencyRecord => ({
  id,
  name,
  registryId,
  kind,
  createdAt: '2026-01-01T00:00:00Z',
});
const KHCN = agency('k', 'Sở Khoa học và Công nghệ', 'so-khoa-hoc-cong-nghe');
const NOI_VU = agency('n', 'Sở Nội vụ', 'so-noi-vu');
const XA = agency('x', 'UBND xã Bát Xát', 'ubnd-xa-bat-xat', 'commune');
const AGENCIES = new Map([KHCN, NOI_VU, XA].map((a) => [a.id, a]));

const report = (a: AgencyRecord, p: Partial<Progress>): ReportRecord => ({
  ...NONE,
  ...p,
  agencyId: a.id,
  agencyName: a.name,
  version: 1,
  updatedAt: '2026-03-02T00:00:00Z',
  updatedBy: a.name,
});
const record = (id: string, lead: string[], reports: ReportRecord[], overall: Partial<Progress> = {}, due = '2026-03-31'): TaskRecord => ({
  ...task(id, lead, { deadline: { raw: due, kind: 'date', due } }),
  position: 0,
  reports,
  overall: { ...NONE, ...overall },
});

describe('leadEntries', () => {
  it('counts a task for each named lead, by its own report or none yet', () => {
    const t = record('t', ['Sở KH&CN', 'Sở Nội vụ', 'Sở Y tế'], [report(KHCN, { status: 'done' })]);
    expect(leadEntries(t, AGENCIES).map((e) => [e.agencyId, e.name, e.progress.status])).toEqual([
      ['k', KHCN.name, 'done'],
      ['n', NOI_VU.name, 'not_started'],
      [null, 'Sở Y tế', 'not_started'],
    ]);
  });

  it('counts a group task for each member that reported, or for the group while none has', () => {
    const t = record('g', ['UBND các xã, phường'], [report(XA, { status: 'in_progress' })]);
    expect(leadEntries(t, AGENCIES).map((e) => [e.agencyId, e.progress.status])).toEqual([['x', 'in_progress']]);
    const silent = leadEntries(record('g2', ['UBND các xã, phường'], []), AGENCIES);
    expect(silent).toEqual([expect.objectContaining({ agencyId: null, name: 'UBND các xã, phường', group: true })]);
  });
});

describe('reporting period and time zone', () => {
  it('is the month of asOf, due by the report day', () => {
    expect(reportingPeriod('2026-02-10', 25)).toEqual({ month: '2026-02', from: '2026-02-01', to: '2026-02-28', reportBy: '2026-02-25' });
  });

  it('dates a submission by Vietnam’s calendar, not UTC’s', () => {
    expect(dayIn('Asia/Ho_Chi_Minh', '2026-03-25T16:59:00Z')).toBe('2026-03-25');
    expect(dayIn('Asia/Ho_Chi_Minh', '2026-03-25T17:00:00Z')).toBe('2026-03-26');
  });

  it('says who reported in the month and who by the 25th', () => {
    const tracker: TrackerRecord = {
      id: 'tr',
      title: 'T',
      documentNumber: null,
      documentDate: null,
      taskCount: 2,
      createdAt: '2026-01-01T00:00:00Z',
      cursor: '0',
      tasks: [record('a', [KHCN.name], []), record('b', [NOI_VU.name, XA.name], [])],
    };
    const submissions = [
      { agencyId: 'k', at: '2026-02-28T18:00:00Z', kind: 'sync' as const }, // 1/3 in Vietnam: this period
      { agencyId: 'k', at: '2026-03-25T16:30:00Z', kind: 'workbook' as const }, // 23:30 on the 25th
      { agencyId: 'n', at: '2026-03-25T17:30:00Z', kind: 'sync' as const }, // 00:30 on the 26th: late
      { agencyId: 'x', at: '2026-04-01T01:00:00Z', kind: 'sync' as const }, // next month
    ];
    const r = buildReport(tracker, [...AGENCIES.values()], submissions, { asOf: '2026-03-31', reportDay: 25, dueSoonDays: 7, timeZone: 'Asia/Ho_Chi_Minh' });
    expect(r.reporting.map((x) => [x.agencyId, x.reported, x.onTime, x.firstOn, x.submissions])).toEqual([
      ['k', true, true, '2026-03-01', 2],
      ['n', true, false, '2026-03-26', 1],
      ['x', false, false, null, 0],
    ]);
    // A report as of the 20th does not see what came later.
    const early = buildReport(tracker, [...AGENCIES.values()], submissions, { asOf: '2026-03-20', reportDay: 25, dueSoonDays: 7, timeZone: 'Asia/Ho_Chi_Minh' });
    expect(early.reporting.find((x) => x.agencyId === 'k')).toMatchObject({ submissions: 1, onTime: true });
    expect(early.reporting.find((x) => x.agencyId === 'n')).toMatchObject({ reported: false });
  });
});
