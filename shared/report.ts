/**
 * The monthly report's shape (the service's GET …/report answer): per-agency
 * counts by status category with both completion rates, the late and due-soon
 * tasks, and which agencies reported this period and on time. The service
 * builds it (server/report.ts); the workbook, the add-in and the dashboard show it.
 */
import { z } from 'zod';
import { IsoDate, ProgressStatus, StatusCategory } from './schemas';

export const ReportSummary = z.object({
  counts: z.record(StatusCategory, z.number().int()),
  total: z.number().int(),
  done: z.number().int(),
  /** Tasks whose due day has passed or that are done: the second denominator. */
  alreadyDue: z.number().int(),
  /** done ÷ total. */
  rateOfAll: z.number().nullable(),
  /** done ÷ alreadyDue. */
  rateOfDue: z.number().nullable(),
});
export type ReportSummary = z.infer<typeof ReportSummary>;

export const ReportPeriod = z.object({
  /** YYYY-MM: the reporting month of asOf. */
  month: z.string(),
  from: IsoDate,
  to: IsoDate,
  /** Reports on or before this day are on time. */
  reportBy: IsoDate,
});
export type ReportPeriod = z.infer<typeof ReportPeriod>;

export const ReportLateTask = z.object({
  taskId: z.string(),
  stt: z.string(),
  task: z.string(),
  lead: z.array(z.string()),
  /** Leads whose own report is not done. */
  pendingLeads: z.array(z.string()),
  deadline: z.string(),
  due: IsoDate,
  /** The due day moved off weekends and holidays. */
  effectiveDue: IsoDate,
  category: z.enum(['overdue', 'due_soon']),
  status: ProgressStatus,
  /** Overdue: days past the effective due day. */
  daysLate: z.number().int().nullable(),
  /** Due soon: days left. */
  daysLeft: z.number().int().nullable(),
});
export type ReportLateTask = z.infer<typeof ReportLateTask>;

export const ReportReporting = z.object({
  agencyId: z.string().nullable(),
  name: z.string(),
  reported: z.boolean(),
  onTime: z.boolean(),
  /** Local day of the first report this period. */
  firstOn: IsoDate.nullable(),
  lastAt: z.string().nullable(),
  submissions: z.number().int(),
});
export type ReportReporting = z.infer<typeof ReportReporting>;

export const Report = z.object({
  trackerId: z.string(),
  title: z.string(),
  asOf: IsoDate,
  period: ReportPeriod,
  /** Every task once, by its overall progress. */
  totals: ReportSummary,
  /** One row per lead agency: each task counted under each agency that leads it, by that agency's own report. */
  agencies: z.array(ReportSummary.extend({ agencyId: z.string().nullable(), name: z.string() })),
  /** Overdue tasks (most days late first), then tasks due soon (nearest first). */
  late: z.array(ReportLateTask),
  /** Each agency that leads a task or has reported: did it report this period, and by reportBy? */
  reporting: z.array(ReportReporting),
});
export type Report = z.infer<typeof Report>;
