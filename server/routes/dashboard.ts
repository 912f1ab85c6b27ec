/**
 * What the dashboard page (dashboard/) reads beyond the report: every task
 * classified on the reporting day, overall and per lead, so the page filters and
 * counts without re-deriving the status rules; and one task's history (the
 * change feed filtered to the task) to show beside its conflicts.
 */
import { Router } from 'express';
import { DashboardAnswer, DashboardQuery, type DashboardTask, type TaskHistoryAnswer } from '../../shared/api';
import type { IsoDate } from '../../shared/schemas';
import { daysBetween } from '../../shared/dates';
import { vietnamHolidays, type HolidayCalendar } from '../../shared/holidays';
import { classifyTask, daysLate, effectiveDue } from '../../shared/status';
import type { AgencyRecord, TrackerRecord } from '../store/store';
import type { AppDeps } from '../app';
import { pathParam } from '../path-param';
import { leadEntries } from '../report';
import { loadReport } from './reports';

/** Every task on asOf, classified exactly as buildReport classifies it. */
export function dashboardTasks(
  tracker: TrackerRecord,
  agencyList: readonly AgencyRecord[],
  options: { asOf: IsoDate; dueSoonDays: number; holidays?: HolidayCalendar },
): DashboardTask[] {
  const holidays = options.holidays ?? vietnamHolidays;
  const classify = { asOf: options.asOf, dueSoonDays: options.dueSoonDays, holidays };
  const agencies = new Map(agencyList.map((a) => [a.id, a]));
  return tracker.tasks.map((task) => {
    const category = classifyTask(task.deadline, task.overall, classify);
    const due = task.deadline.due ? effectiveDue(task.deadline.due, holidays) : null;
    const late = category === 'overdue' || category === 'done_late';
    return {
      id: task.id,
      stt: task.stt,
      section: task.section,
      sectionTitle: task.sectionTitle ?? null,
      task: task.task,
      lead: task.lead,
      deadline: task.deadline.raw,
      due: task.deadline.due,
      effectiveDue: due,
      status: task.overall.status,
      completedOn: task.overall.completedOn,
      category,
      daysLate: late ? daysLate(task.deadline, task.overall, options.asOf, holidays) : null,
      daysLeft: due && (category === 'on_track' || category === 'due_soon') ? daysBetween(options.asOf, due) : null,
      leads: leadEntries(task, agencies).map((e) => ({
        key: e.key,
        agencyId: e.agencyId,
        name: e.name,
        status: e.progress.status,
        category: classifyTask(task.deadline, e.progress, classify),
      })),
    };
  });
}

export function dashboardRoutes(deps: AppDeps): Router {
  const router = Router({ mergeParams: true });

  router.get('/dashboard', async (req, res) => {
    const { asOf } = DashboardQuery.parse(req.query);
    const { report, tracker, agencies } = await loadReport(deps, pathParam(req, 'id'), asOf);
    const answer: DashboardAnswer = { report, tasks: dashboardTasks(tracker, agencies, { asOf: report.asOf, dueSoonDays: deps.config.dueSoonDays }) };
    res.json(answer);
  });

  router.get('/tasks/:taskId/history', async (req, res) => {
    const answer: TaskHistoryAnswer = { changes: await deps.store.taskHistory(pathParam(req, 'id'), pathParam(req, 'taskId')) };
    res.json(answer);
  });

  return router;
}
