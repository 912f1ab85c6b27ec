import { checkTracker, type SheetTaskRow } from '../../shared/checks';
import type { Progress } from '../../shared/schemas';

const progress = (p: Partial<Progress>): Progress => ({ status: 'not_started', result: '', completedOn: null, evidence: '', note: '', ...p });

let next = 4;
function row(p: Partial<SheetTaskRow>): SheetTaskRow {
  const r = next++;
  return {
    row: r,
    id: `t${r}`,
    section: 'I',
    stt: String(r),
    task: 'Rà soát văn bản',
    lead: 'Sở Khoa học và Công nghệ',
    support: 'Sở Tư pháp, Công an tỉnh',
    deadline: 'Quý II/2026',
    due: '2026-06-30',
    progress: progress({}),
    statusText: '',
    completedOnText: '',
    ...p,
  };
}

const columns = { stt: 'B', lead: 'D', support: 'E', deadline: 'F', status: 'I', completedOn: 'K' };
const asOf = '2026-05-20';
const check = (rows: SheetTaskRow[]) => checkTracker(rows, { asOf, columns });

describe('checkTracker', () => {
  it('finds nothing wrong in well-kept rows (ongoing and conditional deadlines included)', () => {
    expect(
      check([
        row({}),
        row({ deadline: 'Thường xuyên', due: null }),
        row({ deadline: 'Theo hướng dẫn của Bộ Khoa học và Công nghệ', due: null }),
        row({ progress: progress({ status: 'done', completedOn: '2026-05-02' }), statusText: 'Hoàn thành', completedOnText: '46144' }),
        row({ lead: 'Các sở, ban, ngành, địa phương' }),
      ]),
    ).toEqual([]);
  });

  it('flags an unknown agency in the lead and the support cells, at their columns', () => {
    const r = row({ lead: 'Sở Khoa học và Công nghệ, Phòng Xyz', support: 'Ban Abc tỉnh' });
    const found = check([r]);
    expect(found.map((d) => [d.code, d.row, d.field, d.column])).toEqual([
      ['agency.unknown', r.row, 'lead', 'D'],
      ['agency.unknown', r.row, 'support', 'E'],
    ]);
    expect(found[0].message).toContain('Phòng Xyz');
    expect(found[0].message).toMatch(new RegExp(`^Dòng ${r.row}: `));
    expect(found[0].messageEn).toMatch(new RegExp(`^Row ${r.row}: `));
  });

  it('flags a deadline that cannot be read when there is no due date, not when a due date was typed', () => {
    const unread = row({ deadline: 'khi nào xong thì báo', due: null });
    const typed = row({ deadline: 'khi nào xong thì báo', due: '2026-07-01' });
    expect(check([unread, typed]).map((d) => [d.code, d.row, d.column])).toEqual([['deadline.unknown', unread.row, 'F']]);
  });

  it('flags "done" without a completion date, and a completion date in the future', () => {
    const noDate = row({ progress: progress({ status: 'done' }), statusText: 'Hoàn thành' });
    const future = row({ progress: progress({ status: 'done', completedOn: '2026-06-01' }), statusText: 'Hoàn thành', completedOnText: '46174' });
    const found = check([noDate, future]);
    expect(found.map((d) => [d.code, d.severity, d.row, d.column])).toEqual([
      ['progress.done_without_date', 'warning', noDate.row, 'K'],
      ['progress.date_future', 'error', future.row, 'K'],
    ]);
    expect(found[1].message).toContain('01/06/2026');
  });

  it('flags a status or a completion date that cannot be read', () => {
    const status = row({ statusText: 'gần xong' });
    const date = row({ completedOnText: '31/02/2026' });
    expect(check([status, date]).map((d) => [d.code, d.row, d.column])).toEqual([
      ['progress.status_unknown', status.row, 'I'],
      ['progress.date_invalid', date.row, 'K'],
    ]);
  });

  it('flags an STT repeated within a section, naming the first row, but not the same STT in another section', () => {
    const first = row({ stt: '1', section: 'I' });
    const again = row({ stt: '1', section: 'I' });
    const other = row({ stt: '1', section: 'II' });
    const found = check([first, again, other]);
    expect(found.map((d) => [d.code, d.row, d.column])).toEqual([['stt.duplicate', again.row, 'B']]);
    expect(found[0].message).toContain(`dòng ${first.row}`);
  });

  it('gives a null column when the sheet lacks it', () => {
    const found = checkTracker([row({ statusText: '???' })], { asOf, columns: {} });
    expect(found[0]).toMatchObject({ field: 'status', column: null });
  });
});
