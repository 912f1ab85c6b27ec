/**
 * The numbers the page shows, from the service's classified tasks and the
 * filters (pure: no DOM). With no filter they are the report's own numbers:
 * totals count each task once by its overall progress, the per-agency bars
 * count each task once for each lead by that lead's own report.
 */
import type { StatusCategory } from '../../shared/schemas';
import { summarize, type StatusSummary } from '../../shared/status';
import { matchKey } from '../../shared/text';
import type { DashboardAnswer, DashboardTask } from './api';
import type { Filters } from './url';

export interface AgencyOption {
  key: string;
  agencyId: string | null;
  name: string;
}

export interface Prepared {
  answer: DashboardAnswer;
  tasks: readonly DashboardTask[];
  /** " " + matchKey of each task's number and text, in task order: the search runs on these. */
  searchKeys: readonly string[];
  agencies: readonly AgencyOption[];
  sections: readonly { id: string; title: string }[];
}

/** Once per load: the search keys and the filter choices. */
export function prepare(answer: DashboardAnswer): Prepared {
  const agencies = new Map<string, AgencyOption>();
  const sections = new Map<string, string>();
  for (const t of answer.tasks) {
    for (const l of t.leads) if (!agencies.has(l.key)) agencies.set(l.key, { key: l.key, agencyId: l.agencyId, name: l.name });
    if (t.section && !sections.has(t.section)) sections.set(t.section, t.sectionTitle ?? '');
  }
  return {
    answer,
    tasks: answer.tasks,
    searchKeys: answer.tasks.map((t) => ` ${matchKey(`${t.stt} ${t.task}`)}`),
    agencies: [...agencies.values()].sort((a, b) => a.name.localeCompare(b.name, 'vi')),
    sections: [...sections].map(([id, title]) => ({ id, title })),
  };
}

export interface Row {
  task: DashboardTask;
  /** The overall category, or the chosen agency's own. */
  category: StatusCategory;
  /** Led by the signed-in agency. */
  mine: boolean;
}

export interface AgencyBar extends AgencyOption {
  summary: StatusSummary;
}

export interface View {
  rows: Row[];
  totals: StatusSummary;
  bars: AgencyBar[];
  /** Overdue (most days late first), then due soon (nearest first). */
  late: Row[];
}

/**
 * Every word of the query (without diacritics) starts a word of the task: "ra soat" finds
 * "Rà soát" and "rà soát lại", not "tra cứu"; a word typed in part ("chuyen d") still finds.
 */
function searchTest(q: string): (key: string) => boolean {
  const words = matchKey(q).split(' ').filter(Boolean).map((w) => ` ${w}`);
  return words.length === 0 ? () => true : (key) => words.every((w) => key.includes(w));
}

/** Overdue, then due soon; then the rest by days late. */
const lateOrder = (a: Row, b: Row): number =>
  a.category !== b.category
    ? a.category === 'overdue'
      ? -1
      : 1
    : (b.task.daysLate ?? 0) - (a.task.daysLate ?? 0) || (a.task.daysLeft ?? 0) - (b.task.daysLeft ?? 0);

export function compute(p: Prepared, f: Filters, ownAgencyId: string | null): View {
  const matches = searchTest(f.q);
  const rows: Row[] = [];
  const perAgency = new Map<string, { option: AgencyOption; categories: { category: StatusCategory }[] }>();
  p.tasks.forEach((task, i) => {
    if (f.section && task.section !== f.section) return;
    if (!matches(p.searchKeys[i])) return;
    const leads = f.agency ? task.leads.filter((l) => l.key === f.agency) : task.leads;
    if (f.agency && leads.length === 0) return;
    // The bars take every lead entry of the chosen category, whatever the task's overall one.
    for (const l of leads) {
      if (f.category && l.category !== f.category) continue;
      const entry = perAgency.get(l.key) ?? { option: { key: l.key, agencyId: l.agencyId, name: l.name }, categories: [] };
      entry.categories.push({ category: l.category });
      perAgency.set(l.key, entry);
    }
    const category = f.agency ? leads[0].category : task.category;
    if (f.category && category !== f.category) return;
    rows.push({ task, category, mine: ownAgencyId !== null && task.leads.some((l) => l.agencyId === ownAgencyId) });
  });
  if (ownAgencyId) {
    // An agency sees its own tasks first; the sort is stable, so the annex order stays within each group.
    rows.sort((a, b) => Number(b.mine) - Number(a.mine));
  }
  const bars = [...perAgency.values()]
    .map(({ option, categories }) => ({ ...option, summary: summarize(categories) }))
    .sort(
      (a, b) =>
        b.summary.counts.overdue - a.summary.counts.overdue ||
        b.summary.counts.due_soon - a.summary.counts.due_soon ||
        b.summary.total - a.summary.total ||
        a.name.localeCompare(b.name, 'vi'),
    );
  const late = rows.filter((r) => r.category === 'overdue' || r.category === 'due_soon');
  late.sort((a, b) => Number(b.mine) - Number(a.mine) || lateOrder(a, b));
  return { rows, totals: summarize(rows), bars, late };
}
