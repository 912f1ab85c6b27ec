/**
 * The monthly report as JSON (report) and as a workbook to attach (report.xlsx):
 * the same three tables, built by server/report.ts and laid out by
 * shared/report-layout.ts (which the add-in's report sheet renders too).
 */
import { Router } from 'express';
import ExcelJS from 'exceljs';
import { reportLayout } from '../../shared/report-layout';
import { CATEGORY_COLORS } from '../../shared/status';
import { PAPERS, PRINT_MARGINS } from '../../shared/print-layout';
import type { SheetLang } from '../../shared/tracker-layout';
import type { AgencyRecord, TrackerRecord } from '../store/store';
import type { AppDeps } from '../app';
import { ReportQuery } from '../../shared/api';
import { downloadName } from '../../shared/download-name';
import { pathParam } from '../path-param';
import { notFound } from '../errors';
import { buildReport, submissionWindow, todayIn, type Report } from '../report';

/**
 * report.xlsx: each table of the report layout on its own sheet, under the
 * heading and the table's title, with a coloured, frozen header row repeated on
 * every printed page; A4 landscape one page wide, one typeface, rows as tall
 * as their wrapped text.
 */
export function reportWorkbook(report: Report, lang: SheetLang): ExcelJS.Workbook {
  const layout = reportLayout(report, lang);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'annex-tracker';
  const font = layout.font;
  for (const table of layout.tables) {
    const headerRow = layout.heading.length + 2;
    const last = table.columns.length;
    const sheet = workbook.addWorksheet(table.name, {
      pageSetup: {
        paperSize: PAPERS.A4.code as ExcelJS.PageSetup['paperSize'],
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        printTitlesRow: `${headerRow}:${headerRow}`,
        horizontalCentered: true,
        margins: { ...PRINT_MARGINS },
      },
      headerFooter: { oddFooter: `&C&"${font.name},Regular"&${font.size}${{ vi: 'Trang &P/&N', en: 'Page &P of &N' }[lang]}` },
    });
    table.columns.forEach((c, i) => {
      const col = sheet.getColumn(i + 1);
      col.width = c.width;
      col.font = font;
      if (c.numFmt) col.numFmt = c.numFmt;
      col.alignment = { wrapText: Boolean(c.wrap), vertical: 'top' };
    });
    // The heading lines span the table, wrapped, so a long title is neither clipped nor printed past the page.
    [...layout.heading, table.title].forEach((line, i) => {
      const cell = sheet.getCell(i + 1, 1);
      cell.value = line;
      cell.font = { ...font, bold: i !== 1, italic: i === 1 };
      cell.alignment = { wrapText: true, vertical: 'middle' };
      sheet.mergeCells(i + 1, 1, i + 1, last);
      sheet.getRow(i + 1).height = table.headingHeights[i];
    });
    table.columns.forEach((c, i) => {
      const colours = c.category ? CATEGORY_COLORS[c.category] : { fill: layout.headerFill, font: '000000' };
      const cell = sheet.getCell(headerRow, i + 1);
      cell.value = c.header;
      cell.font = { ...font, bold: true, color: { argb: `FF${colours.font}` } };
      cell.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: `FF${colours.fill}` } };
    });
    sheet.getRow(headerRow).height = table.headerHeight;
    table.rows.forEach((values, i) => {
      const row = sheet.addRow(values);
      row.height = table.heights[i];
      if (table.totalRow && i === table.rows.length - 1) row.font = { ...font, bold: true };
    });
    sheet.views = [{ state: 'frozen', ySplit: headerRow }];
  }
  return workbook;
}

/** The report on asOf (default: today in the service's time zone), with the tracker and agencies it was built from. */
export async function loadReport(
  { store, config }: Pick<AppDeps, 'store' | 'config'>,
  trackerId: string,
  asked: string | undefined,
): Promise<{ report: Report; tracker: TrackerRecord; agencies: AgencyRecord[] }> {
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
  return { report, tracker, agencies };
}

export function reportRoutes(deps: AppDeps): Router {
  const router = Router({ mergeParams: true });

  const load = async (trackerId: string, query: unknown) => {
    const { asOf, lang } = ReportQuery.parse(query);
    return { report: (await loadReport(deps, trackerId, asOf)).report, lang };
  };

  router.get('/report', async (req, res) => {
    res.json((await load(pathParam(req, 'id'), req.query)).report);
  });

  router.get('/report.xlsx', async (req, res) => {
    const { report, lang } = await load(pathParam(req, 'id'), req.query);
    const buffer = await reportWorkbook(report, lang).xlsx.writeBuffer();
    res.attachment(downloadName('report', report.title, report.asOf, lang));
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.send(Buffer.from(buffer as ArrayBuffer));
  });

  return router;
}
