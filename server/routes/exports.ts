/**
 * export.xlsx: the tracker workbook of the foundation issue filled with the
 * merged progress (or one agency's own reports, ?agency=ID), plus a second sheet
 * with each lead's report per task, streamed straight into the response.
 * io/tracker-workbook neutralises every text cell against formula injection.
 * Each export keeps a snapshot of what the copy shows (values and report versions per task) under an
 * id stamped in the file, so the copy, sent back, is merged against what it was given.
 */
import { Router } from 'express';
import { writeTrackerWorkbook, type ExtraCell, type ExtraSheet } from '../../io/tracker-workbook';
import type { Progress } from '../../shared/schemas';
import { PROGRESS_LABELS } from '../../shared/status';
import { toUtcDate } from '../../shared/dates';
import { DATE_FORMAT, qualifiedStt, type SheetLang } from '../../shared/tracker-layout';
import type { ExportSnapshot, TrackerRecord } from '../store/store';
import type { AppDeps } from '../app';
import { ExportQuery } from '../../shared/api';
import { downloadName } from '../../shared/download-name';
import { pathParam } from '../path-param';
import { notFound } from '../errors';
import { todayIn } from '../report';

export const REPORTS_SHEET = { vi: 'Báo cáo từng cơ quan', en: 'Reports by agency' } as const;

/** Widths on screen and the least each may shrink to, so the sheet prints one A4 page wide at 8 pt. */
const REPORT_COLUMNS = [
  { vi: 'Mã nhiệm vụ', en: 'Task id', width: 14, hidden: true },
  { vi: 'STT', en: 'No.', width: 8 },
  { vi: 'Nhiệm vụ', en: 'Task', width: 50, minWidth: 28 },
  { vi: 'Cơ quan báo cáo', en: 'Reporting agency', width: 28, minWidth: 14 },
  { vi: 'Tình trạng', en: 'Progress', width: 16, minWidth: 11 },
  { vi: 'Kết quả thực hiện', en: 'Result so far', width: 36, minWidth: 16 },
  { vi: 'Ngày hoàn thành', en: 'Completed on', width: 12.5, numFmt: DATE_FORMAT, wrap: false },
  { vi: 'Văn bản/sản phẩm', en: 'Document/product', width: 24, minWidth: 11 },
  { vi: 'Ghi chú (khó khăn, đề xuất)', en: 'Notes (problems, proposals)', width: 30, minWidth: 12 },
  { vi: 'Phiên bản', en: 'Version', width: 9, minWidth: 8, wrap: false },
  { vi: 'Cập nhật lúc (UTC)', en: 'Updated at (UTC)', width: 17, minWidth: 16.5, numFmt: 'dd/mm/yyyy hh:mm', wrap: false },
];

/** The per-lead reports sheet: one row per report, tasks in tracker order. */
export function reportsSheet(tracker: TrackerRecord, lang: SheetLang): ExtraSheet {
  function* rows(): Generator<ExtraCell[]> {
    for (const task of tracker.tasks) {
      for (const r of task.reports) {
        yield [
          task.id,
          qualifiedStt(task),
          task.task,
          r.agencyName,
          PROGRESS_LABELS[r.status][lang],
          r.result,
          r.completedOn ? toUtcDate(r.completedOn) : null,
          r.evidence,
          r.note,
          r.version,
          r.updatedAt ? new Date(r.updatedAt) : null,
        ];
      }
    }
  }
  return { name: REPORTS_SHEET[lang], columns: REPORT_COLUMNS.map((c) => ({ ...c, header: c[lang] })), rows: rows() };
}

/** The progress shown per task: the merged one, or the named agency's own report. */
export function progressFor(tracker: TrackerRecord, agencyId: string | undefined): Record<string, Progress> {
  const progress: Record<string, Progress> = {};
  for (const task of tracker.tasks) {
    const p = agencyId ? task.reports.find((r) => r.agencyId === agencyId) : task.overall;
    if (p) progress[task.id] = { status: p.status, result: p.result, completedOn: p.completedOn, evidence: p.evidence, note: p.note };
  }
  return progress;
}

/** What the copy shows per task, and the version of each agency's report it was made from. */
export function exportSnapshot(tracker: TrackerRecord, progress: Record<string, Progress>): ExportSnapshot {
  const snapshot: ExportSnapshot = {};
  for (const task of tracker.tasks) {
    const shown = progress[task.id];
    const versions: Record<string, number> = {};
    for (const r of task.reports) versions[r.agencyId] = r.version;
    if (shown) snapshot[task.id] = { shown, versions };
  }
  return snapshot;
}

export function exportRoutes({ store, config }: AppDeps): Router {
  const router = Router({ mergeParams: true });

  router.get('/export.xlsx', async (req, res) => {
    const query = ExportQuery.parse(req.query);
    const tracker = await store.getTracker(pathParam(req, 'id'));
    if (!tracker) throw notFound('tracker', pathParam(req, 'id'));
    const agency = query.agency ? await store.getAgency(query.agency) : null;
    if (query.agency && !agency) throw notFound('agency', query.agency);
    const progress = progressFor(tracker, query.agency);
    const exportId = await store.recordExport(tracker.id, query.agency ?? null, exportSnapshot(tracker, progress));
    res.attachment(downloadName('tracker', tracker.title, query.asOf ?? todayIn(config.timeZone), query.lang, agency?.name));
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    await writeTrackerWorkbook(
      {
        title: tracker.title,
        tasks: tracker.tasks,
        progress,
        asOf: query.asOf ?? todayIn(config.timeZone),
        lang: query.lang,
        dueSoonDays: config.dueSoonDays,
      },
      res,
      { extraSheets: [reportsSheet(tracker, query.lang)], exportId },
    );
    res.end();
  });

  return router;
}
