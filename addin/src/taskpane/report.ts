/**
 * The report sheet's content from the tracker sheet as it stands (pure): per
 * lead agency, tasks by category and the completion rate; then the overdue
 * tasks (most days late first) and those due soon (nearest first). Each task
 * counts once under each agency that leads it; a task without a lead counts
 * under "(không rõ)". Works without the service, on the user's own sheet.
 */
import { defaultRegistry, type AgencyRegistry } from '../../../shared/agencies';
import type { SheetTaskRow } from '../../../shared/checks';
import { daysBetween } from '../../../shared/dates';
import type { IsoDate, StatusCategory } from '../../../shared/schemas';
import { DEFAULT_DUE_SOON_DAYS, classifyTask, daysLate, effectiveDue, summarize } from '../../../shared/status';
import type { SheetLang } from '../../../shared/tracker-layout';
import type { ReportAgencyRow, ReportLateRow, ReportSheetInput } from '../excel/adapter';

const NO_LEAD = { vi: '(không rõ cơ quan chủ trì)', en: '(no lead agency)' };

export interface ReportOptions {
  title: string;
  asOf: IsoDate;
  lang: SheetLang;
  dueSoonDays?: number;
  registry?: AgencyRegistry;
}

function agencyRow(name: string, categories: StatusCategory[]): ReportAgencyRow {
  const s = summarize(categories.map((category) => ({ category })));
  return { name, counts: s.counts, total: s.total, rateOfAll: s.rateOfAll };
}

export function reportFromSheet(rows: readonly SheetTaskRow[], options: ReportOptions): ReportSheetInput {
  const registry = options.registry ?? defaultRegistry;
  const dueSoonDays = options.dueSoonDays ?? DEFAULT_DUE_SOON_DAYS;
  const byAgency = new Map<string, StatusCategory[]>();
  const all: StatusCategory[] = [];
  const late: { order: number; row: ReportLateRow }[] = [];

  for (const r of rows) {
    if (!r.id) continue;
    const deadline = { kind: r.due ? ('date' as const) : ('unknown' as const), due: r.due };
    const category = classifyTask(deadline, r.progress, { asOf: options.asOf, dueSoonDays });
    all.push(category);
    const leads = registry.resolve(r.lead).agencies.map((a) => a.name);
    const names = leads.length ? leads : [NO_LEAD[options.lang]];
    for (const name of names) {
      const list = byAgency.get(name);
      if (list) list.push(category);
      else byAgency.set(name, [category]);
    }
    if (category === 'overdue' || category === 'due_soon') {
      const overdue = category === 'overdue';
      const days = overdue ? daysLate(deadline, r.progress, options.asOf) : daysBetween(options.asOf, effectiveDue(r.due!));
      late.push({
        // Overdue first, most days late first; then due soon, nearest first.
        order: overdue ? -(days ?? 0) : 100000 + (days ?? 0),
        row: {
          stt: r.stt,
          task: r.task,
          lead: leads.length ? leads : [r.lead],
          deadline: r.deadline,
          category,
          daysLate: overdue ? days : null,
          daysLeft: overdue ? null : days,
        },
      });
    }
  }

  const agencies = Array.from(byAgency.keys())
    .sort((a, b) => a.localeCompare(b, 'vi'))
    .map((name) => agencyRow(name, byAgency.get(name)!));
  const totals = agencyRow('', all);
  return {
    title: options.title,
    asOf: options.asOf,
    lang: options.lang,
    totals: { counts: totals.counts, total: totals.total, rateOfAll: totals.rateOfAll },
    agencies,
    late: late.sort((a, b) => a.order - b.order).map((x) => x.row),
  };
}
