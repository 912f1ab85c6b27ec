/**
 * The monthly report (shape in shared/report.ts), built from a tracker's merged
 * state as the store keeps it (pure: records in, report out): per-agency counts
 * by status category with both completion rates, the late and due-soon tasks,
 * and which agencies reported this period and on time.
 */
import { defaultRegistry } from '../shared/agencies';
import { addDays, daysBetween, lastDayOfMonth } from '../shared/dates';
import { vietnamHolidays, type HolidayCalendar } from '../shared/holidays';
import { Report } from '../shared/report';
import type { IsoDate, Progress, StatusCategory } from '../shared/schemas';
import { classifyTask, daysLate, effectiveDue, summarize } from '../shared/status';
import { matchKey } from '../shared/text';
import { qualifiedStt } from '../shared/tracker-layout';
import { isLead, resolveLeads } from './store/leads';
import type { AgencyRecord, SubmissionInfo, TaskRecord, TrackerRecord } from './store/store';

/** The routes, the OpenAPI document and the dashboard take the shape from here, beside its builder. */
export { Report };

export interface ReportSubmission {
  agencyId: string;
  at: string;
  kind: SubmissionInfo['kind'];
}

export interface ReportOptions {
  asOf: IsoDate;
  /** Day of the month reports are due by (inclusive). */
  reportDay: number;
  dueSoonDays: number;
  /** Time zone whose calendar dates submissions. */
  timeZone: string;
  holidays?: HolidayCalendar;
}

const NO_PROGRESS: Progress = { status: 'not_started', result: '', completedOn: null, evidence: '', note: '' };

/** The calendar day of an instant in a time zone. */
export function dayIn(timeZone: string, at: Date | string): IsoDate {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(at));
}

export function todayIn(timeZone: string): IsoDate {
  return dayIn(timeZone, new Date());
}

/** The days a report on asOf covers: its month, and the on-time day. */
export function reportingPeriod(asOf: IsoDate, reportDay: number): Report['period'] {
  const year = Number(asOf.slice(0, 4));
  const month = Number(asOf.slice(5, 7));
  const from = `${asOf.slice(0, 7)}-01`;
  return { month: asOf.slice(0, 7), from, to: lastDayOfMonth(year, month), reportBy: addDays(from, reportDay - 1) };
}

/** The submissions a report on asOf needs, widened by a day each side for the time zone. */
export function submissionWindow(asOf: IsoDate, reportDay: number): { from: IsoDate; to: IsoDate } {
  const period = reportingPeriod(asOf, reportDay);
  return { from: addDays(period.from, -1), to: addDays(period.to, 1) };
}

interface LeadEntry {
  key: string;
  agencyId: string | null;
  name: string;
  progress: Progress;
  /** A leading group nobody has reported for yet: counted, but it cannot report itself. */
  group?: true;
}

/**
 * Whom a task counts for: each named lead (its own report, or none yet), and
 * each agency reporting through a leading group; a group nobody reported for
 * yet stands as itself.
 */
export function leadEntries(task: TaskRecord, agencies: ReadonlyMap<string, AgencyRecord>): LeadEntry[] {
  const leads = resolveLeads(task.lead, defaultRegistry);
  const entries = new Map<string, LeadEntry>();
  const claimed = new Set<string>();
  const add = (e: LeadEntry) => {
    if (!entries.has(e.key)) entries.set(e.key, e);
  };
  for (const lead of leads.filter((l) => l.kind !== 'group')) {
    const agency = [...agencies.values()].find((a) => isLead(lead, a));
    const report = agency ? task.reports.find((r) => r.agencyId === agency.id) : undefined;
    if (report) claimed.add(report.agencyId);
    add(
      agency
        ? { key: agency.id, agencyId: agency.id, name: agency.name, progress: report ?? NO_PROGRESS }
        : { key: `name:${matchKey(lead.name)}`, agencyId: null, name: lead.name, progress: NO_PROGRESS },
    );
  }
  const groups = leads.filter((l) => l.kind === 'group');
  if (groups.length > 0) {
    const members = task.reports.filter((r) => !claimed.has(r.agencyId));
    for (const r of members) add({ key: r.agencyId, agencyId: r.agencyId, name: r.agencyName, progress: r });
    if (members.length === 0) for (const g of groups) add({ key: `name:${matchKey(g.name)}`, agencyId: null, name: g.name, progress: NO_PROGRESS, group: true });
  }
  return [...entries.values()];
}

export function buildReport(
  tracker: TrackerRecord,
  agencyList: readonly AgencyRecord[],
  submissions: readonly ReportSubmission[],
  options: ReportOptions,
): Report {
  const holidays = options.holidays ?? vietnamHolidays;
  const { asOf } = options;
  const classify = (task: TaskRecord, progress: Pick<Progress, 'status' | 'completedOn'>) =>
    classifyTask(task.deadline, progress, { asOf, dueSoonDays: options.dueSoonDays, holidays });
  const agencies = new Map(agencyList.map((a) => [a.id, a]));

  const perAgency = new Map<string, { agencyId: string | null; name: string; group?: true; rows: { category: StatusCategory }[] }>();
  const late: Report['late'] = [];
  for (const task of tracker.tasks) {
    const entries = leadEntries(task, agencies);
    for (const e of entries) {
      const row = perAgency.get(e.key) ?? { agencyId: e.agencyId, name: e.name, group: e.group, rows: [] };
      row.rows.push({ category: classify(task, e.progress) });
      perAgency.set(e.key, row);
    }
    const category = classify(task, task.overall);
    if ((category === 'overdue' || category === 'due_soon') && task.deadline.due) {
      const due = effectiveDue(task.deadline.due, holidays);
      late.push({
        taskId: task.id,
        stt: qualifiedStt(task),
        task: task.task,
        lead: task.lead,
        pendingLeads: entries.filter((e) => e.progress.status !== 'done').map((e) => e.name),
        deadline: task.deadline.raw,
        due: task.deadline.due,
        effectiveDue: due,
        category,
        status: task.overall.status,
        daysLate: category === 'overdue' ? daysLate(task.deadline, task.overall, asOf, holidays) : null,
        daysLeft: category === 'due_soon' ? daysBetween(asOf, due) : null,
      });
    }
  }
  late.sort((a, b) =>
    a.category !== b.category ? (a.category === 'overdue' ? -1 : 1) : (b.daysLate ?? 0) - (a.daysLate ?? 0) || (a.daysLeft ?? 0) - (b.daysLeft ?? 0),
  );

  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'vi');
  const period = reportingPeriod(asOf, options.reportDay);
  return {
    trackerId: tracker.id,
    title: tracker.title,
    asOf,
    period,
    totals: summarize(tracker.tasks.map((t) => ({ category: classify(t, t.overall) }))),
    agencies: [...perAgency.values()].map(({ agencyId, name, rows }) => ({ agencyId, name, ...summarize(rows) })).sort(byName),
    late,
    reporting: reporting(perAgency, agencies, submissions, period, options).sort(byName),
  };
}

function reporting(
  perAgency: ReadonlyMap<string, { agencyId: string | null; name: string; group?: true }>,
  agencies: ReadonlyMap<string, AgencyRecord>,
  submissions: readonly ReportSubmission[],
  period: Report['period'],
  options: ReportOptions,
): Report['reporting'] {
  const last = options.asOf < period.to ? options.asOf : period.to;
  const inPeriod = new Map<string, { day: IsoDate; at: string }[]>();
  for (const s of submissions) {
    const day = dayIn(options.timeZone, s.at);
    if (day < period.from || day > last) continue;
    inPeriod.set(s.agencyId, [...(inPeriod.get(s.agencyId) ?? []), { day, at: s.at }]);
  }
  const expected = new Map<string, { agencyId: string | null; name: string }>([...perAgency].filter(([, a]) => !a.group));
  for (const id of inPeriod.keys()) if (!expected.has(id)) expected.set(id, { agencyId: id, name: agencies.get(id)?.name ?? id });
  return [...expected.values()].map(({ agencyId, name }) => {
    const list = (agencyId ? inPeriod.get(agencyId) : undefined) ?? [];
    const firstOn = list.reduce<IsoDate | null>((min, s) => (min === null || s.day < min ? s.day : min), null);
    const lastAt = list.reduce<string | null>((max, s) => (max === null || s.at > max ? s.at : max), null);
    return { agencyId, name, reported: list.length > 0, onTime: firstOn !== null && firstOn <= period.reportBy, firstOn, lastAt, submissions: list.length };
  });
}
