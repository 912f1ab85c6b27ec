import { dayOfWeek } from '../../shared/dates';
import { InputError } from '../../shared/errors';
import { holidayCalendar, isWorkingDay, vietnamHolidays, type HolidayCalendar } from '../../shared/holidays';
import data from '../../shared/data/holidays-vn.json';

const isWeekend = (iso: string) => dayOfWeek(iso) === 0 || dayOfWeek(iso) === 6;

describe('vietnamHolidays data', () => {
  const days = vietnamHolidays.holidays();
  const inYear = (year: number) => days.filter((d) => d.date.startsWith(`${year}-`));

  it('covers 2025, 2026 and 2027', () => {
    expect(vietnamHolidays.coveredYears()).toEqual([2025, 2026, 2027]);
  });

  it.each([2025, 2026, 2027])('%i has the fixed holidays of Labour Code Art. 112', (year) => {
    for (const md of ['01-01', '04-30', '05-01', '09-02']) expect(vietnamHolidays.isHoliday(`${year}-${md}`)).toBe(true);
    // National Day has one adjacent day, before or after 2/9.
    const adjacent = [`${year}-09-01`, `${year}-09-03`].filter((d) => vietnamHolidays.isHoliday(d));
    expect(adjacent).toHaveLength(1);
  });

  it.each([
    [2025, ['2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31']],
    [2026, ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']],
    [2027, ['2027-02-04', '2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10']],
  ])('%i has five Tết days', (year, tet) => {
    const found = inYear(year as number)
      .filter((d) => d.name.startsWith('Tết Âm lịch'))
      .map((d) => d.date);
    expect(found).toEqual(tet);
  });

  it('has Giỗ Tổ Hùng Vương (10/3 lunar) on the right solar day', () => {
    const gioTo = days.filter((d) => d.name.startsWith('Giỗ Tổ')).map((d) => d.date);
    expect(gioTo).toEqual(['2025-04-07', '2026-04-26', '2027-04-16']);
  });

  it('gives a compensatory weekday for a holiday on a weekend', () => {
    expect(vietnamHolidays.entry('2026-04-27')?.kind).toBe('compensatory'); // Giỗ Tổ on Sunday 26/4/2026
    expect(vietnamHolidays.entry('2027-05-03')?.kind).toBe('compensatory'); // 1/5/2027 is a Saturday
    for (const d of days.filter((x) => x.kind === 'compensatory')) {
      expect(isWeekend(d.date)).toBe(false);
    }
  });

  it('pairs every swapped day off with a make-up Saturday in the same year', () => {
    for (const year of [2025, 2026, 2027]) {
      const swapped = inYear(year).filter((d) => d.kind === 'swapped');
      const makeUp = vietnamHolidays.workingDays().filter((d) => d.date.startsWith(`${year}-`));
      expect(makeUp).toHaveLength(swapped.length);
      for (const d of makeUp) expect(dayOfWeek(d.date)).toBe(6);
      for (const d of swapped) expect(isWeekend(d.date)).toBe(false);
    }
    expect(vietnamHolidays.entry('2025-05-02')?.kind).toBe('swapped');
    expect(vietnamHolidays.isMakeUpWorkingDay('2025-04-26')).toBe(true);
  });

  it('marks the 2027 days not yet announced as estimated', () => {
    const estimated = days.filter((d) => d.estimated).map((d) => d.date);
    expect(estimated).toEqual(['2027-02-04', '2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10', '2027-09-03']);
    for (const d of days) expect(d.source).toBeTruthy();
  });

  it('does not count 24/11 (Ngày Văn hóa Việt Nam) until a law puts it in force', () => {
    expect(vietnamHolidays.isHoliday('2026-11-24')).toBe(false);
    expect(data.notes.some((n) => n.includes('24/11'))).toBe(true);
  });

  it('lists holidays in date order with names', () => {
    const dates = days.map((d) => d.date);
    expect(dates).toEqual([...dates].sort());
    expect(new Set(dates).size).toBe(dates.length);
    for (const d of days) expect(d.name.length).toBeGreaterThan(0);
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2026-03-03', true, 'a Tuesday'],
    ['2026-03-07', false, 'a Saturday'],
    ['2026-03-08', false, 'a Sunday'],
    ['2026-01-01', false, 'New Year'],
    ['2026-01-02', false, 'Friday swapped for Saturday 10/1'],
    ['2026-01-10', true, 'make-up Saturday'],
    ['2026-02-20', false, 'Tết'],
    ['2026-02-23', true, 'first day back after Tết'],
    ['2026-04-27', false, 'compensatory Monday'],
    ['2026-08-22', true, 'make-up Saturday for 31/8'],
    ['2026-08-31', false, 'swapped Monday'],
    ['2026-09-03', true, 'after National Day'],
    ['2025-04-26', true, 'make-up Saturday 2025'],
    ['2025-05-02', false, 'swapped Friday 2025'],
  ])('%s → %s (%s)', (iso, expected) => {
    expect(isWorkingDay(iso)).toBe(expected);
  });

  it('falls back to the fixed solar holidays for a year the data does not cover', () => {
    expect(vietnamHolidays.isHoliday('2028-04-30')).toBe(true);
    expect(vietnamHolidays.isHoliday('2028-09-02')).toBe(true);
    expect(isWorkingDay('2028-05-01')).toBe(false); // a Monday
    expect(isWorkingDay('2028-05-02')).toBe(true);
  });

  it('honours a calendar without make-up days (weekends are never worked)', () => {
    const none: HolidayCalendar = { isHoliday: () => false, holidays: () => [] };
    expect(isWorkingDay('2026-01-10', none)).toBe(false);
    expect(isWorkingDay('2026-01-02', none)).toBe(true);
  });
});

describe('holidayCalendar', () => {
  const office = {
    years: {
      '2030': {
        holidays: [{ date: '2030-03-05', name: 'Ngày nghỉ riêng', kind: 'holiday' }],
        workingDays: [{ date: '2030-03-09', name: 'Làm bù' }],
      },
    },
  };

  it('reads an office-edited file', () => {
    const cal = holidayCalendar(office);
    expect(cal.isHoliday('2030-03-05')).toBe(true);
    expect(isWorkingDay('2030-03-05', cal)).toBe(false);
    expect(isWorkingDay('2030-03-09', cal)).toBe(true);
    // The data covers 2030, so no fixed-holiday fallback for it.
    expect(cal.isHoliday('2030-04-30')).toBe(false);
    expect(cal.holidays()).toEqual([expect.objectContaining({ date: '2030-03-05', name: 'Ngày nghỉ riêng' })]);
  });

  const errorOf = (json: unknown): InputError => {
    try {
      holidayCalendar(json);
    } catch (e) {
      if (e instanceof InputError) return e;
      throw e;
    }
    throw new Error('no error thrown');
  };

  it('rejects malformed data with a bilingual InputError', () => {
    const badDate = errorOf({ years: { '2030': { holidays: [{ date: '5/3/2030', name: 'x', kind: 'holiday' }] } } });
    expect(badDate.code).toBe('holidays.invalid');
    const badKind = errorOf({ years: { '2030': { holidays: [{ date: '2030-03-05', name: 'x', kind: 'party' }] } } });
    expect(badKind.messageEn).toMatch(/years\.2030\.holidays\.0\.kind/);
    expect(badKind.message).toMatch(/^Dữ liệu ngày nghỉ không hợp lệ/);
  });

  it('rejects a day filed under the wrong year and a make-up day that is not a weekend', () => {
    expect(errorOf({ years: { '2031': office.years['2030'] } }).code).toBe('holidays.year');
    const weekday = errorOf({ years: { '2030': { holidays: [], workingDays: [{ date: '2030-03-06', name: 'x' }] } } });
    expect(weekday.code).toBe('holidays.working-day');
    expect(weekday.messageEn).toMatch(/not a Saturday or Sunday/);
  });
});
