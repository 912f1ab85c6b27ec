/**
 * The monthly report as JSON (report) and as a workbook to attach (report.xlsx):
 * the same three tables, built once by server/report.ts.
 */
import { Router } from 'express';
import ExcelJS from 'exceljs';
import { CATEGORIES, CATEGORY_LABELS, PROGRESS_LABELS } from '../../shared/status';
import { toUtcDate } from '../../shared/dates';
import { DATE_FORMAT, formatDay, safeText, type SheetLang } from '../../shared/tracker-layout';
import type { AppDeps } from '../app';
import { ReportQuery, pathParam } from '../api-schemas';
import { notFound } from '../errors';
import { buildReport, submissionWindow, todayIn, type Report } from '../report';

const T = {
  summary: { vi: 'Tổng hợp', en: 'Summary' },
  late: { vi: 'Nhiệm vụ chậm, sắp đến hạn', en: 'Late and due soon' },
  reporting: { vi: 'Tình hình báo cáo', en: 'Reporting' },
  no: { vi: 'STT', en: 'No.' },
  agency: { vi: 'Cơ quan', en: 'Agency' },
  total: { vi: 'Tổng số nhiệm vụ', en: 'Tasks' },
  rateOfAll: { vi: 'Tỷ lệ hoàn thành (trên tổng số)', en: 'Completion rate (of all)' },
  rateOfDue: { vi: 'Tỷ lệ hoàn thành (trên số đã đến hạn)', en: 'Completion rate (of tasks due)' },
  allAgencies: { vi: 'Toàn bộ nhiệm vụ', en: 'All tasks' },
  task: { vi: 'Nhiệm vụ', en: 'Task' },
  lead: { vi: 'Cơ quan chủ trì', en: 'Lead agency' },
  pending: { vi: 'Cơ quan chưa hoàn thành', en: 'Leads not done' },
  deadline: { vi: 'Thời hạn', en: 'Deadline' },
  due: { vi: 'Hạn (ngày)', en: 'Due date' },
  category: { vi: 'Phân loại', en: 'Category' },
  status: { vi: 'Tình trạng', en: 'Progress' },
  daysLate: { vi: 'Số ngày quá hạn', en: 'Days late' },
  daysLeft: { vi: 'Số ngày còn lại', en: 'Days left' },
  reported: { vi: 'Đã báo cáo', en: 'Reported' },
  onTime: { vi: 'Đúng hạn', en: 'On time' },
  firstOn: { vi: 'Ngày báo cáo đầu tiên', en: 'First report on' },
  count: { vi: 'Số lần gửi', en: 'Submissions' },
  yes: { vi: 'Có', en: 'Yes' },
  no_: { vi: 'Không', en: 'No' },
  title: {
    vi: (r: Report) => `BÁO CÁO TÌNH HÌNH THỰC HIỆN NHIỆM VỤ ĐẾN NGÀY ${formatDay(r.asOf)} — ${r.title}`,
    en: (r: Report) => `TASK PROGRESS REPORT AS OF ${formatDay(r.asOf)} — ${r.title}`,
  },
  period: {
    vi: (r: Report) => `Kỳ báo cáo tháng ${r.period.month.slice(5)}/${r.period.month.slice(0, 4)}; hạn gửi báo cáo: ${formatDay(r.period.reportBy)}`,
    en: (r: Report) => `Reporting month ${r.period.month}; reports due by ${formatDay(r.period.reportBy)}`,
  },
};

const text = (s: string) => safeText(s);

/** Title, subtitle and a bold header row; returns the sheet with its columns set. */
function tableSheet(workbook: ExcelJS.Workbook, name: string, heading: string[], columns: { header: string; width: number; numFmt?: string }[]) {
  const sheet = workbook.addWorksheet(name, { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  heading.forEach((line, i) => {
    sheet.getCell(i + 1, 1).value = text(line);
    sheet.getCell(i + 1, 1).font = { bold: i === 0, italic: i > 0 };
  });
  const headerRow = heading.length + 2;
  columns.forEach((c, i) => {
    const col = sheet.getColumn(i + 1);
    col.width = c.width;
    if (c.numFmt) col.numFmt = c.numFmt;
    const cell = sheet.getCell(headerRow, i + 1);
    cell.value = c.header;
    cell.font = { bold: true };
    cell.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
  });
  sheet.views = [{ state: 'frozen', ySplit: headerRow }];
  return sheet;
}

/** report.xlsx: the summary per agency, the late and due-soon list, and who reported. */
export function reportWorkbook(report: Report, lang: SheetLang): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'annex-tracker';
  const heading = [T.title[lang](report), T.period[lang](report)];
  const pct = '0.0%';

  const summary = tableSheet(workbook, T.summary[lang], heading, [
    { header: T.no[lang], width: 6 },
    { header: T.agency[lang], width: 36 },
    { header: T.total[lang], width: 10 },
    ...CATEGORIES.map((c) => ({ header: CATEGORY_LABELS[c][lang], width: 13 })),
    { header: T.rateOfAll[lang], width: 14, numFmt: pct },
    { header: T.rateOfDue[lang], width: 14, numFmt: pct },
  ]);
  const summaryRow = (no: number | null, name: string, s: Report['totals']) => [
    no,
    text(name),
    s.total,
    ...CATEGORIES.map((c) => s.counts[c]),
    s.rateOfAll,
    s.rateOfDue,
  ];
  report.agencies.forEach((a, i) => summary.addRow(summaryRow(i + 1, a.name, a)));
  summary.addRow(summaryRow(null, T.allAgencies[lang], report.totals)).font = { bold: true };

  const late = tableSheet(workbook, T.late[lang], heading, [
    { header: T.no[lang], width: 6 },
    { header: T.task[lang], width: 50 },
    { header: T.lead[lang], width: 28 },
    { header: T.pending[lang], width: 28 },
    { header: T.deadline[lang], width: 18 },
    { header: T.due[lang], width: 12, numFmt: DATE_FORMAT },
    { header: T.category[lang], width: 16 },
    { header: T.status[lang], width: 16 },
    { header: T.daysLate[lang], width: 10 },
    { header: T.daysLeft[lang], width: 10 },
  ]);
  for (const t of report.late) {
    late.addRow([
      text(t.stt),
      text(t.task),
      text(t.lead.join(', ')),
      text(t.pendingLeads.join(', ')),
      text(t.deadline),
      toUtcDate(t.effectiveDue),
      CATEGORY_LABELS[t.category][lang],
      PROGRESS_LABELS[t.status][lang],
      t.daysLate,
      t.daysLeft,
    ]);
  }

  const reporting = tableSheet(workbook, T.reporting[lang], heading, [
    { header: T.no[lang], width: 6 },
    { header: T.agency[lang], width: 36 },
    { header: T.reported[lang], width: 12 },
    { header: T.onTime[lang], width: 12 },
    { header: T.firstOn[lang], width: 14, numFmt: DATE_FORMAT },
    { header: T.count[lang], width: 10 },
  ]);
  const yesNo = (b: boolean) => (b ? T.yes[lang] : T.no_[lang]);
  report.reporting.forEach((r, i) =>
    reporting.addRow([i + 1, text(r.name), yesNo(r.reported), yesNo(r.onTime), r.firstOn ? toUtcDate(r.firstOn) : null, r.submissions]),
  );
  return workbook;
}

export function reportRoutes({ store, config }: AppDeps): Router {
  const router = Router({ mergeParams: true });

  const load = async (trackerId: string, query: unknown) => {
    const { asOf: asked, lang } = ReportQuery.parse(query);
    const asOf = asked ?? todayIn(config.timeZone);
    const tracker = await store.getTracker(trackerId);
    if (!tracker) throw notFound('tracker', trackerId);
    const window = submissionWindow(asOf, config.reportDay);
    const [agencies, submissions] = await Promise.all([store.listAgencies(), store.submissions(tracker.id, window.from, window.to)]);
    const report = buildReport(tracker, agencies, submissions, {
      asOf,
      reportDay: config.reportDay,
      dueSoonDays: config.dueSoonDays,
      timeZone: config.timeZone,
    });
    return { report, lang };
  };

  router.get('/report', async (req, res) => {
    res.json((await load(pathParam(req, 'id'), req.query)).report);
  });

  router.get('/report.xlsx', async (req, res) => {
    const { report, lang } = await load(pathParam(req, 'id'), req.query);
    const buffer = await reportWorkbook(report, lang).xlsx.writeBuffer();
    res.attachment(`report-${report.trackerId}-${report.asOf}.xlsx`);
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.send(Buffer.from(buffer as ArrayBuffer));
  });

  return router;
}
