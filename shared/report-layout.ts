/**
 * The monthly report's tables as pure data, rendered by the service's
 * report.xlsx (exceljs, one sheet a table) and by the add-in's report sheet
 * (Office.js, the tables one under another) so both show the same columns,
 * labels and values: the summary per lead agency, the late and due-soon tasks,
 * and who reported this period. Text cells are neutralised (safeText) and days
 * are Excel serials shown with DATE_FORMAT.
 */
import { excelSerialFromIso } from './dates';
import type { ReportLateTask, ReportPeriod, ReportReporting, ReportSummary } from './report';
import type { IsoDate, StatusCategory } from './schemas';
import { CATEGORIES, CATEGORY_LABELS, PROGRESS_LABELS } from './status';
import { DATE_FORMAT, HEADER_FILL, formatDay, safeText, type Bilingual, type SheetLang } from './tracker-layout';
import { BODY_POINTS, TYPEFACE, fitWidths, linesToPoints, wrappedLines } from './print-layout';

// ---------------------------------------------------------------- what the layout reads

/**
 * The counts of one line of the summary. The service's report has every
 * field; the add-in's pane, building the report from the sheet alone, may
 * leave out the second rate.
 */
export type ReportSummaryRow = Pick<ReportSummary, 'counts' | 'total' | 'rateOfAll'> & Partial<Pick<ReportSummary, 'rateOfDue'>>;

export type ReportAgencyRow = ReportSummaryRow & { name: string };

export type ReportLateRow = Pick<ReportLateTask, 'stt' | 'task' | 'deadline' | 'category' | 'daysLate' | 'daysLeft'> &
  Partial<Pick<ReportLateTask, 'effectiveDue' | 'status'>> & { lead: readonly string[] };

/** A Report (shared/report.ts) or what the pane knows from the sheet: the period and who reported need the service. */
export interface ReportContent {
  title: string;
  asOf: IsoDate;
  period?: ReportPeriod;
  totals?: ReportSummaryRow;
  agencies: readonly ReportAgencyRow[];
  late: readonly ReportLateRow[];
  reporting?: readonly ReportReporting[];
}

// ---------------------------------------------------------------- what it gives

export type ReportCell = string | number | null;

export interface ReportColumn {
  header: string;
  /** Characters of the default font: what fits A4 landscape at 8 pt (the wish, narrowed to the paper). */
  width: number;
  /** The least the column may be narrowed to on the paper (default: width). */
  minWidth?: number;
  numFmt?: string;
  /** Long text: wrapped. */
  wrap?: true;
  /** The column counts tasks of this category: its header takes the category's colours and it is a series of the chart. */
  category?: StatusCategory;
}

export interface ReportTable {
  /** The table's own sheet in report.xlsx. */
  name: string;
  title: string;
  columns: ReportColumn[];
  rows: ReportCell[][];
  /** The last row is the totals (bold, and left out of the chart). */
  totalRow: boolean;
  /** A stacked column chart of the category columns, one column per row, labelled by labelColumn. */
  chart?: { title: string; labelColumn: number };
  /** Points: the header row with its longest label whole (bold, wrapped). */
  headerHeight: number;
  /** Points per row: every wrapped cell whole. */
  heights: number[];
  /** Points for the heading lines and the title above the table, merged across its columns and wrapped. */
  headingHeights: number[];
}

export interface ReportLayout {
  /** The add-in's sheet, holding every table. */
  sheetName: string;
  /** Lines above each table: the tracker's title (bold), then the day and the period. */
  heading: string[];
  headerFill: string;
  /** One typeface and body size for every cell. */
  font: { name: string; size: number };
  tables: ReportTable[];
}

export const PERCENT_FORMAT = '0.0%';

// ---------------------------------------------------------------- the tables

interface ColumnSpec<R> {
  header: Bilingual;
  style: Omit<ReportColumn, 'header'>;
  value: (row: R) => ReportCell;
}

type SummaryLine = { no: number | null; name: string; summary: ReportSummaryRow };
type ReportingLine = { no: number; agency: ReportReporting };

const text = safeText;
const day = (iso: IsoDate | null | undefined) => (iso ? excelSerialFromIso(iso) : null);

const YES_NO: Record<'yes' | 'no', Bilingual> = { yes: { vi: 'Có', en: 'Yes' }, no: { vi: 'Không', en: 'No' } };

const SUMMARY_COLUMNS: ColumnSpec<SummaryLine>[] = [
  { header: { vi: 'STT', en: 'No.' }, style: { width: 6 }, value: (r) => r.no },
  { header: { vi: 'Cơ quan', en: 'Agency' }, style: { width: 36, minWidth: 20, wrap: true }, value: (r) => text(r.name) },
  { header: { vi: 'Tổng số nhiệm vụ', en: 'Tasks' }, style: { width: 10, minWidth: 8 }, value: (r) => r.summary.total },
  ...CATEGORIES.map((c): ColumnSpec<SummaryLine> => ({ header: CATEGORY_LABELS[c], style: { width: 13, minWidth: 10, category: c }, value: (r) => r.summary.counts[c] ?? 0 })),
  // Official reports give the rate over both denominators, so each header names its own.
  {
    header: { vi: 'Tỷ lệ hoàn thành (trên tổng số nhiệm vụ)', en: 'Completion rate (of all tasks)' },
    style: { width: 15, minWidth: 11, numFmt: PERCENT_FORMAT },
    value: (r) => r.summary.rateOfAll,
  },
  {
    header: { vi: 'Tỷ lệ hoàn thành (trên số nhiệm vụ đã đến hạn)', en: 'Completion rate (of tasks already due)' },
    style: { width: 15, minWidth: 11, numFmt: PERCENT_FORMAT },
    value: (r) => r.summary.rateOfDue ?? null,
  },
];

function lateColumns(lang: SheetLang): ColumnSpec<ReportLateRow>[] {
  return [
    // "II.12": the number with its section, which alone tells tasks of different sections apart.
    { header: { vi: 'STT', en: 'No.' }, style: { width: 8, wrap: true }, value: (r) => text(r.stt) },
    { header: { vi: 'Nhiệm vụ', en: 'Task' }, style: { width: 50, minWidth: 28, wrap: true }, value: (r) => text(r.task) },
    { header: { vi: 'Cơ quan chủ trì', en: 'Lead agency' }, style: { width: 28, minWidth: 14, wrap: true }, value: (r) => text(r.lead.join(', ')) },
    { header: { vi: 'Thời hạn', en: 'Deadline' }, style: { width: 18, minWidth: 10, wrap: true }, value: (r) => text(r.deadline) },
    { header: { vi: 'Hạn (ngày)', en: 'Due date' }, style: { width: 11, numFmt: DATE_FORMAT }, value: (r) => day(r.effectiveDue) },
    { header: { vi: 'Phân loại', en: 'Category' }, style: { width: 16, minWidth: 10, wrap: true }, value: (r) => CATEGORY_LABELS[r.category][lang] },
    { header: { vi: 'Tình trạng', en: 'Progress' }, style: { width: 16, minWidth: 10, wrap: true }, value: (r) => (r.status ? PROGRESS_LABELS[r.status][lang] : null) },
    { header: { vi: 'Số ngày quá hạn', en: 'Days late' }, style: { width: 10, minWidth: 8 }, value: (r) => r.daysLate },
    { header: { vi: 'Số ngày còn lại', en: 'Days left' }, style: { width: 10, minWidth: 8 }, value: (r) => r.daysLeft },
  ];
}

function reportingColumns(lang: SheetLang): ColumnSpec<ReportingLine>[] {
  const yesNo = (b: boolean) => YES_NO[b ? 'yes' : 'no'][lang];
  return [
    { header: { vi: 'STT', en: 'No.' }, style: { width: 6 }, value: (r) => r.no },
    { header: { vi: 'Cơ quan', en: 'Agency' }, style: { width: 36, minWidth: 20, wrap: true }, value: (r) => text(r.agency.name) },
    { header: { vi: 'Đã báo cáo', en: 'Reported' }, style: { width: 12 }, value: (r) => yesNo(r.agency.reported) },
    { header: { vi: 'Đúng hạn', en: 'On time' }, style: { width: 12 }, value: (r) => yesNo(r.agency.onTime) },
    { header: { vi: 'Ngày báo cáo đầu tiên', en: 'First report on' }, style: { width: 14, numFmt: DATE_FORMAT }, value: (r) => day(r.agency.firstOn) },
    { header: { vi: 'Số lần gửi', en: 'Submissions' }, style: { width: 10 }, value: (r) => r.agency.submissions },
  ];
}

/** Lines of the tallest cell: wrapped columns wrap, the others hold one line. */
function rowLines(columns: readonly ReportColumn[], cells: readonly ReportCell[], bold = false): number {
  let lines = 1;
  cells.forEach((cell, i) => {
    if (typeof cell === 'string' && (columns[i].wrap || bold)) lines = Math.max(lines, wrappedLines(cell, columns[i].width, BODY_POINTS, bold));
  });
  return lines;
}

function table<R>(
  lang: SheetLang,
  name: Bilingual,
  title: Bilingual,
  specs: readonly ColumnSpec<R>[],
  rows: readonly R[],
): Omit<ReportTable, 'totalRow' | 'headingHeights'> {
  const wished = specs.map((c) => ({ header: c.header[lang], ...c.style }));
  // Narrowed so the table prints one A4 page wide at 8 pt or more (fit-to-width does the rest).
  const widths = fitWidths(wished.map((c) => ({ width: c.width, minWidth: c.minWidth ?? c.width })), 'A4') ?? wished.map((c) => c.minWidth ?? c.width);
  const columns = wished.map((c, i) => ({ ...c, width: widths[i] }));
  const values = rows.map((r) => specs.map((c) => c.value(r)));
  return {
    name: name[lang],
    title: title[lang],
    columns,
    rows: values,
    // Headers wrap whatever their column: a label is never clipped.
    headerHeight: linesToPoints(rowLines(columns, columns.map((c) => c.header), true)),
    heights: values.map((cells) => linesToPoints(rowLines(columns, cells))),
  };
}

/** Heights of the heading lines and the table's title, merged across the table's width. */
function headingHeights(lines: readonly string[], table: Omit<ReportTable, 'headingHeights'>): number[] {
  const width = table.columns.reduce((sum, c) => sum + c.width, 0);
  return [...lines, table.title].map((line, i) => linesToPoints(wrappedLines(line, width, BODY_POINTS, i !== 1)));
}

/** The report's heading and tables in one language. */
export function reportLayout(content: ReportContent, lang: SheetLang): ReportLayout {
  const asOf = formatDay(content.asOf);
  const period = content.period
    ? {
        vi: `; kỳ báo cáo tháng ${content.period.month.slice(5)}/${content.period.month.slice(0, 4)}, hạn gửi báo cáo ${formatDay(content.period.reportBy)}`,
        en: `; reporting month ${content.period.month}, reports due by ${formatDay(content.period.reportBy)}`,
      }[lang]
    : '';
  const subtitle = { vi: `Tình hình thực hiện nhiệm vụ đến ngày ${asOf}`, en: `Progress of the tasks as of ${asOf}` }[lang];

  const lines: SummaryLine[] = content.agencies.map((a, i) => ({ no: i + 1, name: a.name, summary: a }));
  if (content.totals) lines.push({ no: null, name: { vi: 'Tổng cộng', en: 'Total' }[lang], summary: content.totals });
  const summary: Omit<ReportTable, 'headingHeights'> = {
    ...table(lang, { vi: 'Tổng hợp', en: 'Summary' }, { vi: 'TỔNG HỢP THEO CƠ QUAN CHỦ TRÌ', en: 'SUMMARY BY LEAD AGENCY' }, SUMMARY_COLUMNS, lines),
    totalRow: content.totals !== undefined,
    chart: { title: { vi: 'Nhiệm vụ theo phân loại của từng cơ quan', en: 'Tasks by category per agency' }[lang], labelColumn: 1 },
  };
  const late: Omit<ReportTable, 'headingHeights'> = {
    ...table(
      lang,
      { vi: 'Nhiệm vụ chậm, sắp đến hạn', en: 'Late and due soon' },
      { vi: 'NHIỆM VỤ QUÁ HẠN VÀ SẮP ĐẾN HẠN', en: 'OVERDUE AND DUE-SOON TASKS' },
      lateColumns(lang),
      content.late,
    ),
    totalRow: false,
  };
  const tables: Omit<ReportTable, 'headingHeights'>[] = [summary, late];
  if (content.reporting) {
    const reporting = content.reporting.map((agency, i) => ({ no: i + 1, agency }));
    tables.push({
      ...table(lang, { vi: 'Tình hình báo cáo', en: 'Reporting' }, { vi: 'TÌNH HÌNH GỬI BÁO CÁO TRONG KỲ', en: 'REPORTS SENT THIS PERIOD' }, reportingColumns(lang), reporting),
      totalRow: false,
    });
  }
  const heading = [text(content.title), subtitle + period];
  return {
    sheetName: `${{ vi: 'Báo cáo', en: 'Report' }[lang]} ${asOf.replace(/\//g, '-')}`,
    heading,
    headerFill: HEADER_FILL,
    font: { name: TYPEFACE, size: BODY_POINTS },
    tables: tables.map((t) => ({ ...t, headingHeights: headingHeights(heading, t) })),
  };
}
