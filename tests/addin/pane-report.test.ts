/**
 * The pane's report content from a tracker sheet's rows: counts per lead
 * agency (a task led by two agencies counts under each), totals once per task,
 * and the late list (overdue by most days late, then due soon by nearest).
 */
import type { SheetTaskRow } from '../../shared/checks';
import type { Progress } from '../../shared/schemas';
import { reportFromSheet } from '../../addin/src/taskpane/report';

const blank: Progress = { status: 'not_started', result: '', completedOn: null, evidence: '', note: '' };

function row(n: number, lead: string, due: string | null, progress: Partial<Progress> = {}): SheetTaskRow {
  return {
    row: n + 3,
    id: `t${n}`,
    section: 'I',
    stt: String(n),
    task: `Nhiệm vụ ${n}`,
    lead,
    support: '',
    deadline: due ?? 'Thường xuyên',
    due,
    progress: { ...blank, ...progress },
    statusText: '',
    completedOnText: '',
  };
}

describe('reportFromSheet', () => {
  // 2026-06-10 is a Wednesday: nothing moves for weekends or holidays in these dates.
  const rows = [
    row(1, 'Sở Khoa học và Công nghệ', '2026-05-29'), // overdue 12 days
    row(2, 'Sở KH&CN, Sở Nội vụ', '2026-06-05'), // overdue 5 days, two leads
    row(3, 'Sở Nội vụ', '2026-06-12'), // due soon, 2 days left
    row(4, 'Sở Nội vụ', '2026-06-15', { status: 'done', completedOn: '2026-06-01' }), // done on time
    row(5, '', null), // no lead, no deadline
    { ...row(6, 'Sở Nội vụ', '2026-01-01'), id: null }, // not a task row
  ];
  const report = reportFromSheet(rows, { title: 'Phụ lục II', asOf: '2026-06-10', lang: 'vi' });

  it('counts each task under each of its leads, and once in the totals', () => {
    const byName = Object.fromEntries(report.agencies.map((a) => [a.name, a]));
    expect(Object.keys(byName)).toEqual(['(không rõ cơ quan chủ trì)', 'Sở Khoa học và Công nghệ', 'Sở Nội vụ']);
    expect(byName['Sở Khoa học và Công nghệ']).toMatchObject({ total: 2, counts: { overdue: 2 }, rateOfAll: 0 });
    expect(byName['Sở Nội vụ']).toMatchObject({ total: 3, counts: { overdue: 1, due_soon: 1, done_on_time: 1 } });
    expect(byName['Sở Nội vụ'].rateOfAll).toBeCloseTo(1 / 3);
    expect(byName['(không rõ cơ quan chủ trì)'].counts.no_deadline).toBe(1);
    expect(report.totals).toMatchObject({ total: 5, counts: { overdue: 2, due_soon: 1, done_on_time: 1, no_deadline: 1 } });
  });

  it('lists overdue tasks by most days late, then tasks due soon by days left', () => {
    expect(report.late.map((l) => [l.stt, l.category, l.daysLate, l.daysLeft])).toEqual([
      ['1', 'overdue', 12, null],
      ['2', 'overdue', 5, null],
      ['3', 'due_soon', null, 2],
    ]);
    expect(report.late[1].lead).toEqual(['Sở Khoa học và Công nghệ', 'Sở Nội vụ']);
    expect(report).toMatchObject({ title: 'Phụ lục II', asOf: '2026-06-10', lang: 'vi' });
  });
});
