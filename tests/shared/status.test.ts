import type { HolidayCalendar } from '../../shared/holidays';
import type { DeadlineKind, IsoDate, ProgressStatus, StatusCategory } from '../../shared/schemas';
import {
  CATEGORIES,
  CATEGORY_COLORS,
  CATEGORY_LABELS,
  PROGRESS_LABELS,
  classifyTask,
  daysLate,
  effectiveDue,
  parseProgressStatus,
  summarize,
} from '../../shared/status';

const dl = (due: IsoDate | null, kind: DeadlineKind = 'date') => ({ kind, due });
const pr = (status: ProgressStatus, completedOn: IsoDate | null = null) => ({ status, completedOn });
const noHolidays: HolidayCalendar = { isHoliday: () => false, holidays: () => [] };

describe('effectiveDue (Civil Code 2015 Art. 148)', () => {
  it.each([
    ['2026-06-30', '2026-06-30', 'a Tuesday stays'],
    ['2026-05-02', '2026-05-04', 'Saturday → Monday'],
    ['2026-04-30', '2026-05-04', '30/4 and 1/5 holidays, then the weekend'],
    ['2026-02-14', '2026-02-23', 'the whole Tết break'],
    ['2026-08-29', '2026-09-03', 'weekend, swapped Monday, National Day'],
    ['2026-04-26', '2026-04-28', 'Giỗ Tổ on Sunday and its compensatory Monday'],
    ['2026-01-10', '2026-01-10', 'a make-up Saturday is a working day'],
    ['2025-12-31', '2025-12-31', 'a Wednesday stays'],
  ])('%s → %s (%s)', (due, expected) => {
    expect(effectiveDue(due)).toBe(expected);
  });

  it('uses the calendar it is given', () => {
    expect(effectiveDue('2026-04-30', noHolidays)).toBe('2026-04-30');
    expect(effectiveDue('2026-05-02', noHolidays)).toBe('2026-05-04');
  });
});

describe('classifyTask', () => {
  const asOf = '2026-06-15';

  it('done on or before the effective due → done_on_time, after → done_late', () => {
    expect(classifyTask(dl('2026-06-30'), pr('done', '2026-06-30'), { asOf })).toBe('done_on_time');
    expect(classifyTask(dl('2026-06-30'), pr('done', '2026-06-01'), { asOf })).toBe('done_on_time');
    expect(classifyTask(dl('2026-06-30'), pr('done', '2026-07-01'), { asOf: '2026-07-10' })).toBe('done_late');
    // Due Saturday 2/5/2026 moves to Monday 4/5: finishing on the Monday is on time.
    expect(classifyTask(dl('2026-05-02'), pr('done', '2026-05-04'), { asOf })).toBe('done_on_time');
    expect(classifyTask(dl('2026-05-02'), pr('done', '2026-05-05'), { asOf })).toBe('done_late');
  });

  it('done with no due day, or with no completion date, counts as on time', () => {
    expect(classifyTask(dl(null, 'ongoing'), pr('done', '2026-06-01'), { asOf })).toBe('done_on_time');
    expect(classifyTask(dl('2026-03-31'), pr('done', null), { asOf })).toBe('done_on_time');
    expect(classifyTask(dl('2026-12-31'), pr('done', null), { asOf })).toBe('done_on_time');
  });

  it.each<DeadlineKind>(['ongoing', 'conditional', 'relative', 'unknown'])('not done, %s without a due day → no_deadline', (kind) => {
    expect(classifyTask(dl(null, kind), pr('in_progress'), { asOf })).toBe('no_deadline');
    expect(classifyTask(dl(null, kind), pr('not_started'), { asOf })).toBe('no_deadline');
  });

  it('becomes overdue the day after the effective due day', () => {
    expect(classifyTask(dl('2026-06-15'), pr('in_progress'), { asOf: '2026-06-15' })).toBe('due_soon');
    expect(classifyTask(dl('2026-06-15'), pr('in_progress'), { asOf: '2026-06-16' })).toBe('overdue');
    expect(classifyTask(dl('2026-05-02'), pr('not_started'), { asOf: '2026-05-04' })).toBe('due_soon');
    expect(classifyTask(dl('2026-05-02'), pr('not_started'), { asOf: '2026-05-05' })).toBe('overdue');
  });

  it('is due soon within the window (default 7 days), on track before it', () => {
    expect(classifyTask(dl('2026-06-30'), pr('in_progress'), { asOf: '2026-06-23' })).toBe('due_soon');
    expect(classifyTask(dl('2026-06-30'), pr('in_progress'), { asOf: '2026-06-22' })).toBe('on_track');
    expect(classifyTask(dl('2026-06-30'), pr('in_progress'), { asOf: '2026-06-20', dueSoonDays: 10 })).toBe('due_soon');
    expect(classifyTask(dl('2026-06-30'), pr('in_progress'), { asOf: '2026-06-29', dueSoonDays: 0 })).toBe('on_track');
    expect(classifyTask(dl('2026-06-30'), pr('in_progress'), { asOf: '2026-06-30', dueSoonDays: 0 })).toBe('due_soon');
  });

  it('measures the window to the effective due day', () => {
    // Due Saturday 14/2/2026 moves past Tết to Monday 23/2.
    expect(classifyTask(dl('2026-02-14'), pr('in_progress'), { asOf: '2026-02-15' })).toBe('on_track');
    expect(classifyTask(dl('2026-02-14'), pr('in_progress'), { asOf: '2026-02-16' })).toBe('due_soon');
    expect(classifyTask(dl('2026-02-14'), pr('in_progress'), { asOf: '2026-02-17', holidays: noHolidays })).toBe('overdue'); // weekend only: due Monday 16/2
  });

  it('classifies recurring and period deadlines by their due day', () => {
    expect(classifyTask(dl('2026-06-25', 'recurring'), pr('in_progress'), { asOf })).toBe('on_track');
    expect(classifyTask(dl('2026-06-19', 'recurring'), pr('in_progress'), { asOf })).toBe('due_soon');
    expect(classifyTask(dl('2026-03-31', 'period'), pr('not_started'), { asOf })).toBe('overdue');
  });

  it('rejects a negative or fractional window', () => {
    expect(() => classifyTask(dl('2026-06-30'), pr('done'), { asOf, dueSoonDays: -1 })).toThrow(RangeError);
    expect(() => classifyTask(dl('2026-06-30'), pr('done'), { asOf, dueSoonDays: 1.5 })).toThrow(RangeError);
  });
});

describe('daysLate', () => {
  it('counts completion − effective due for a task done late', () => {
    expect(daysLate(dl('2026-06-30'), pr('done', '2026-07-03'), '2026-07-10')).toBe(3);
    expect(daysLate(dl('2026-05-02'), pr('done', '2026-05-06'), '2026-07-10')).toBe(2); // effective due 4/5
  });

  it('counts asOf − effective due for an overdue task', () => {
    expect(daysLate(dl('2026-06-15'), pr('in_progress'), '2026-06-16')).toBe(1);
    expect(daysLate(dl('2026-06-15'), pr('not_started'), '2026-07-15')).toBe(30);
    expect(daysLate(dl('2026-05-02'), pr('not_started'), '2026-05-05', noHolidays)).toBe(1);
  });

  it('is 0 for a task in time and null when lateness cannot be measured', () => {
    expect(daysLate(dl('2026-06-30'), pr('in_progress'), '2026-06-15')).toBe(0);
    expect(daysLate(dl('2026-06-30'), pr('done', '2026-06-01'), '2026-07-15')).toBe(0);
    expect(daysLate(dl(null, 'ongoing'), pr('in_progress'), '2026-06-15')).toBeNull();
    expect(daysLate(dl('2026-06-30'), pr('done', null), '2026-07-15')).toBeNull();
  });
});

describe('labels and colours', () => {
  it('lists the categories in report order', () => {
    expect(CATEGORIES).toEqual(['done_on_time', 'done_late', 'on_track', 'due_soon', 'overdue', 'no_deadline']);
  });

  it('labels categories and progress exactly', () => {
    expect(CATEGORY_LABELS).toEqual({
      done_on_time: { vi: 'Hoàn thành đúng hạn', en: 'Done on time' },
      done_late: { vi: 'Hoàn thành quá hạn', en: 'Done late' },
      on_track: { vi: 'Đang thực hiện trong hạn', en: 'On track' },
      due_soon: { vi: 'Sắp đến hạn', en: 'Due soon' },
      overdue: { vi: 'Quá hạn', en: 'Overdue' },
      no_deadline: { vi: 'Không có thời hạn cụ thể', en: 'No fixed deadline' },
    });
    expect(PROGRESS_LABELS).toEqual({
      not_started: { vi: 'Chưa thực hiện', en: 'Not started' },
      in_progress: { vi: 'Đang thực hiện', en: 'In progress' },
      done: { vi: 'Hoàn thành', en: 'Done' },
    });
  });

  // WCAG 2 relative luminance and contrast ratio.
  const luminance = (hex: string) => {
    const [r, g, b] = [0, 2, 4].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a: string, b: string) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };

  it('checks the WCAG formula on known pairs', () => {
    expect(contrast('000000', 'FFFFFF')).toBeCloseTo(21, 5);
    expect(contrast('777777', 'FFFFFF')).toBeCloseTo(4.48, 2);
  });

  it.each(CATEGORIES.map((c) => [c]))('%s has a readable font on its fill', (category) => {
    const { fill, font } = CATEGORY_COLORS[category as StatusCategory];
    expect(fill).toMatch(/^[0-9A-F]{6}$/);
    expect(font).toMatch(/^[0-9A-F]{6}$/);
    expect(contrast(fill, font)).toBeGreaterThanOrEqual(4.5);
  });

  it('gives each category its own colour family', () => {
    const hue = (hex: string) => {
      const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
      return { r, g, b };
    };
    const fills = CATEGORIES.map((c) => CATEGORY_COLORS[c].fill);
    expect(new Set(fills).size).toBe(CATEGORIES.length);
    const green = hue(CATEGORY_COLORS.done_on_time.fill);
    expect(green.g).toBeGreaterThan(green.r);
    const red = hue(CATEGORY_COLORS.overdue.fill);
    expect(red.r).toBeGreaterThan(red.g);
    const blue = hue(CATEGORY_COLORS.on_track.fill);
    expect(blue.b).toBeGreaterThan(blue.r);
    const grey = hue(CATEGORY_COLORS.no_deadline.fill);
    expect(grey.r).toBe(grey.g);
    expect(grey.g).toBe(grey.b);
    const yellow = hue(CATEGORY_COLORS.due_soon.fill);
    const orange = hue(CATEGORY_COLORS.done_late.fill);
    expect(yellow.b).toBeLessThan(yellow.g);
    expect(orange.g).toBeLessThan(yellow.g); // orange is redder than yellow
  });
});

describe('parseProgressStatus', () => {
  it.each([
    ['Hoàn thành', 'done'],
    ['Đã hoàn thành', 'done'],
    ['ĐÃ HOÀN THÀNH.', 'done'],
    ['hoan thanh', 'done'],
    ['Hoàn thành'.normalize('NFD'), 'done'],
    ['xong', 'done'],
    ['Đã xong', 'done'],
    ['done', 'done'],
    ['Done', 'done'],
    ['Hoàn thành (Quyết định số 123/QĐ-UBND)', 'done'],
    ['Đang thực hiện', 'in_progress'],
    ['dang thuc hien', 'in_progress'],
    ['Đang triển khai', 'in_progress'],
    ['Đang tiến hành', 'in_progress'],
    ['In progress', 'in_progress'],
    ['in-progress', 'in_progress'],
    ['Chưa hoàn thành', 'in_progress'],
    ['Chưa thực hiện', 'not_started'],
    ['CHUA THUC HIEN', 'not_started'],
    ['Chưa triển khai', 'not_started'],
    ['Chưa bắt đầu', 'not_started'],
    ['not started', 'not_started'],
    ['Not Started', 'not_started'],
  ])('%s → %s', (text, expected) => {
    expect(parseProgressStatus(text)).toBe(expected);
  });

  it.each(['', '   ', 'abc', 'Hoàn', 'thành', 'Quá hạn', 'x'])('%j → null', (text) => {
    expect(parseProgressStatus(text)).toBeNull();
  });
});

describe('summarize', () => {
  const rows = (spec: Partial<Record<StatusCategory, number>>) =>
    Object.entries(spec).flatMap(([category, n]) => Array.from({ length: n }, () => ({ category: category as StatusCategory })));

  it('counts each category and computes both completion rates', () => {
    const s = summarize(rows({ done_on_time: 3, done_late: 1, on_track: 2, due_soon: 1, overdue: 4, no_deadline: 1 }));
    expect(s.counts).toEqual({ done_on_time: 3, done_late: 1, on_track: 2, due_soon: 1, overdue: 4, no_deadline: 1 });
    expect(s.total).toBe(12);
    expect(s.done).toBe(4);
    expect(s.alreadyDue).toBe(8);
    expect(s.rateOfAll).toBeCloseTo(4 / 12);
    expect(s.rateOfDue).toBeCloseTo(0.5);
  });

  it('gives null rates when their denominator is 0', () => {
    expect(summarize([])).toMatchObject({ total: 0, rateOfAll: null, rateOfDue: null });
    const notDue = summarize(rows({ on_track: 2, no_deadline: 1 }));
    expect(notDue.rateOfAll).toBe(0);
    expect(notDue.rateOfDue).toBeNull();
    expect(Object.keys(notDue.counts)).toEqual([...CATEGORIES]);
  });

  it('summarises what classifyTask returns', () => {
    const asOf = '2026-06-15';
    const tasks = [
      classifyTask(dl('2026-03-31'), pr('done', '2026-03-30'), { asOf }),
      classifyTask(dl('2026-03-31'), pr('in_progress'), { asOf }),
      classifyTask(dl('2026-12-31'), pr('in_progress'), { asOf }),
    ].map((category) => ({ category }));
    expect(summarize(tasks)).toMatchObject({ done: 1, alreadyDue: 2, rateOfDue: 0.5 });
  });
});
