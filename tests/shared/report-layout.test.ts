/**
 * The report's tables as both renderers receive them: headers in Vietnamese and
 * English, the rows and both completion rates, days as Excel serials, user text
 * neutralised, and what the pane's sheet-only content leaves blank.
 */
import { Report } from '../../shared/report';
import { PERCENT_FORMAT, reportLayout, type ReportContent } from '../../shared/report-layout';
import { CATEGORIES } from '../../shared/status';
import { DATE_FORMAT } from '../../shared/tracker-layout';
import { MIN_SCALE, linesToPoints, printScale, wrappedLines } from '../../shared/print-layout';

const zero = { done_on_time: 0, done_late: 0, on_track: 0, due_soon: 0, overdue: 0, no_deadline: 0 };

// Checked against the schema so the fixture is a real service answer.
const report: Report = Report.parse({
  trackerId: 'tr1',
  title: '+Kế hoạch 125/KH-UBND',
  asOf: '2026-03-15',
  period: { month: '2026-03', from: '2026-03-01', to: '2026-03-31', reportBy: '2026-03-25' },
  totals: { counts: { ...zero, done_on_time: 2, done_late: 1, on_track: 1, overdue: 1 }, total: 5, done: 3, alreadyDue: 4, rateOfAll: 0.6, rateOfDue: 0.75 },
  agencies: [
    {
      agencyId: 'k',
      name: 'Sở Khoa học và Công nghệ',
      counts: { ...zero, done_on_time: 2, done_late: 1, overdue: 1 },
      total: 4,
      done: 3,
      alreadyDue: 4,
      rateOfAll: 0.75,
      rateOfDue: 0.75,
    },
    { agencyId: null, name: '@Sở Lạ', counts: { ...zero, on_track: 1 }, total: 1, done: 0, alreadyDue: 0, rateOfAll: 0, rateOfDue: null },
  ],
  late: [
    {
      taskId: 't7',
      stt: '7',
      task: '=HYPERLINK("http://evil.example","Bấm")',
      lead: ['Sở Khoa học và Công nghệ', 'Sở Nội vụ'],
      pendingLeads: ['Sở Nội vụ'],
      deadline: 'Tháng 02/2026',
      due: '2026-02-28',
      effectiveDue: '2026-03-02',
      category: 'overdue',
      status: 'in_progress',
      daysLate: 13,
      daysLeft: null,
    },
    {
      taskId: 't8',
      stt: '8',
      task: 'Ban hành quy chế',
      lead: ['Sở Nội vụ'],
      pendingLeads: ['Sở Nội vụ'],
      deadline: '20/3/2026',
      due: '2026-03-20',
      effectiveDue: '2026-03-20',
      category: 'due_soon',
      status: 'not_started',
      daysLate: null,
      daysLeft: 5,
    },
  ],
  reporting: [
    { agencyId: 'k', name: 'Sở Khoa học và Công nghệ', reported: true, onTime: true, firstOn: '2026-03-10', lastAt: '2026-03-12T02:00:00Z', submissions: 2 },
    { agencyId: 'n', name: 'Sở Nội vụ', reported: false, onTime: false, firstOn: null, lastAt: null, submissions: 0 },
  ],
});

describe('reportLayout of the service report', () => {
  const vi = reportLayout(report, 'vi');
  const en = reportLayout(report, 'en');
  const headers = (l: typeof vi) => l.tables.map((t) => t.columns.map((c) => c.header));

  it('fits every table one A4 page wide at 8 pt or more, in one typeface', () => {
    expect(vi.font).toEqual({ name: 'Times New Roman', size: 11 });
    for (const t of [...vi.tables, ...en.tables]) {
      expect(printScale(t.columns.map((c) => c.width), 'A4')).toBeGreaterThanOrEqual(MIN_SCALE);
      for (const c of t.columns) expect(c.width).toBeGreaterThanOrEqual(c.minWidth ?? c.width);
    }
  });

  it('makes the header, the heading lines and every row tall enough for their wrapped text', () => {
    for (const t of vi.tables) {
      const longest = Math.max(...t.columns.map((c) => wrappedLines(c.header, c.width, 11, true)));
      expect(t.headerHeight).toBe(linesToPoints(longest));
      // "Tỷ lệ hoàn thành (trên số nhiệm vụ đã đến hạn)" wraps: the header is never one clipped line.
      if (t === vi.tables[0]) expect(longest).toBeGreaterThan(1);
      expect(t.heights).toHaveLength(t.rows.length);
      t.rows.forEach((row, i) => {
        const lines = Math.max(1, ...row.map((cell, c) => (typeof cell === 'string' && t.columns[c].wrap ? wrappedLines(cell, t.columns[c].width) : 1)));
        expect(t.heights[i]).toBe(linesToPoints(lines));
      });
      expect(t.headingHeights).toHaveLength(vi.heading.length + 1);
    }
    const long = reportLayout({ ...report, title: 'Kế hoạch '.repeat(60) }, 'vi');
    expect(long.tables[0].headingHeights[0]).toBeGreaterThan(vi.tables[0].headingHeights[0]);
  });

  it('names the sheets, the tables and the add-in sheet in either language', () => {
    expect(vi.tables.map((t) => t.name)).toEqual(['Tổng hợp', 'Nhiệm vụ chậm, sắp đến hạn', 'Tình hình báo cáo']);
    expect(en.tables.map((t) => t.name)).toEqual(['Summary', 'Late and due soon', 'Reporting']);
    expect(vi.tables.map((t) => t.title)).toEqual(['TỔNG HỢP THEO CƠ QUAN CHỦ TRÌ', 'NHIỆM VỤ QUÁ HẠN VÀ SẮP ĐẾN HẠN', 'TÌNH HÌNH GỬI BÁO CÁO TRONG KỲ']);
    expect(vi.sheetName).toBe('Báo cáo 15-03-2026');
    expect(en.sheetName).toBe('Report 15-03-2026');
  });

  it('heads with the neutralised title, the day and the reporting period', () => {
    expect(vi.heading).toEqual([
      '\u200b+Kế hoạch 125/KH-UBND',
      'Tình hình thực hiện nhiệm vụ đến ngày 15/03/2026; kỳ báo cáo tháng 03/2026, hạn gửi báo cáo 25/03/2026',
    ]);
    expect(en.heading[1]).toBe('Progress of the tasks as of 15/03/2026; reporting month 2026-03, reports due by 25/03/2026');
  });

  it('has the headers in Vietnamese and English, both completion rates named by their denominator', () => {
    const pairs = [
      [
        ['STT', 'No.'],
        ['Cơ quan', 'Agency'],
        ['Tổng số nhiệm vụ', 'Tasks'],
        ['Hoàn thành đúng hạn', 'Done on time'],
        ['Hoàn thành quá hạn', 'Done late'],
        ['Đang thực hiện trong hạn', 'On track'],
        ['Sắp đến hạn', 'Due soon'],
        ['Quá hạn', 'Overdue'],
        ['Không có thời hạn cụ thể', 'No fixed deadline'],
        ['Tỷ lệ hoàn thành (trên tổng số nhiệm vụ)', 'Completion rate (of all tasks)'],
        ['Tỷ lệ hoàn thành (trên số nhiệm vụ đã đến hạn)', 'Completion rate (of tasks already due)'],
      ],
      [
        ['STT', 'No.'],
        ['Nhiệm vụ', 'Task'],
        ['Cơ quan chủ trì', 'Lead agency'],
        ['Thời hạn', 'Deadline'],
        ['Hạn (ngày)', 'Due date'],
        ['Phân loại', 'Category'],
        ['Tình trạng', 'Progress'],
        ['Số ngày quá hạn', 'Days late'],
        ['Số ngày còn lại', 'Days left'],
      ],
      [
        ['STT', 'No.'],
        ['Cơ quan', 'Agency'],
        ['Đã báo cáo', 'Reported'],
        ['Đúng hạn', 'On time'],
        ['Ngày báo cáo đầu tiên', 'First report on'],
        ['Số lần gửi', 'Submissions'],
      ],
    ];
    expect(headers(vi)).toEqual(pairs.map((t) => t.map(([h]) => h)));
    expect(headers(en)).toEqual(pairs.map((t) => t.map(([, h]) => h)));
  });

  it('gives one summary row per agency and the totals last, rates as fractions in percent columns', () => {
    const summary = vi.tables[0];
    expect(summary.rows).toEqual([
      [1, 'Sở Khoa học và Công nghệ', 4, 2, 1, 0, 0, 1, 0, 0.75, 0.75],
      [2, '\u200b@Sở Lạ', 1, 0, 0, 1, 0, 0, 0, 0, null],
      [null, 'Tổng cộng', 5, 2, 1, 1, 0, 1, 0, 0.6, 0.75],
    ]);
    expect(summary.totalRow).toBe(true);
    expect(en.tables[0].rows[2][1]).toBe('Total');
    expect(summary.columns.slice(9).map((c) => c.numFmt)).toEqual([PERCENT_FORMAT, PERCENT_FORMAT]);
    // The category columns sit together, in report order: the chart's series.
    expect(summary.columns.map((c) => c.category)).toEqual([undefined, undefined, undefined, ...CATEGORIES, undefined, undefined]);
    expect(summary.chart).toEqual({ title: 'Nhiệm vụ theo phân loại của từng cơ quan', labelColumn: 1 });
  });

  it('lists the late and due-soon tasks with the due day as a serial and labels in the language', () => {
    const late = vi.tables[1];
    expect(late.rows).toEqual([
      ['7', '\u200b=HYPERLINK("http://evil.example","Bấm")', 'Sở Khoa học và Công nghệ, Sở Nội vụ', 'Tháng 02/2026', 46083, 'Quá hạn', 'Đang thực hiện', 13, null],
      ['8', 'Ban hành quy chế', 'Sở Nội vụ', '20/3/2026', 46101, 'Sắp đến hạn', 'Chưa thực hiện', null, 5],
    ]);
    expect(late.columns[4].numFmt).toBe(DATE_FORMAT);
    expect(en.tables[1].rows[0].slice(5, 7)).toEqual(['Overdue', 'In progress']);
    expect(late.totalRow).toBe(false);
  });

  it('says who reported, on time, from which day and how often', () => {
    expect(vi.tables[2].rows).toEqual([
      [1, 'Sở Khoa học và Công nghệ', 'Có', 'Có', 46091, 2],
      [2, 'Sở Nội vụ', 'Không', 'Không', null, 0],
    ]);
    expect(en.tables[2].rows[1].slice(2, 4)).toEqual(['No', 'No']);
  });

  it('leaves no text cell that Excel would run as a formula', () => {
    const texts = [...vi.heading, ...vi.tables.flatMap((t) => t.rows.flat())].filter((v): v is string => typeof v === 'string');
    expect(texts.filter((t) => /^[=+\-@]/.test(t))).toEqual([]);
  });
});

describe('reportLayout of what the pane knows from the sheet alone', () => {
  const content: ReportContent = {
    title: 'Phụ lục II',
    asOf: '2026-06-10',
    agencies: [{ name: 'Sở Nội vụ', counts: { ...zero, overdue: 1 }, total: 1, rateOfAll: 0 }],
    late: [{ stt: '3', task: 'Rà soát', lead: ['Sở Nội vụ'], deadline: 'Tháng 5/2026', category: 'overdue', daysLate: 10, daysLeft: null }],
  };
  const layout = reportLayout(content, 'vi');

  it('keeps the same columns, blank where the service alone knows, and no reporting table', () => {
    expect(layout.tables.map((t) => t.name)).toEqual(['Tổng hợp', 'Nhiệm vụ chậm, sắp đến hạn']);
    expect(layout.tables[0].rows).toEqual([[1, 'Sở Nội vụ', 1, 0, 0, 0, 0, 1, 0, 0, null]]);
    expect(layout.tables[0].totalRow).toBe(false);
    expect(layout.tables[1].rows).toEqual([['3', 'Rà soát', 'Sở Nội vụ', 'Tháng 5/2026', null, 'Quá hạn', null, 10, null]]);
    expect(layout.heading).toEqual(['Phụ lục II', 'Tình hình thực hiện nhiệm vụ đến ngày 10/06/2026']);
  });
});
