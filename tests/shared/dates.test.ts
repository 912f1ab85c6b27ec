import { addDays, dayOfWeek, daysBetween, excelSerialFromIso, isoFromExcelSerial, isoFromParts, isoFromUtcDate, lastDayOfMonth, parseIso, todayIso } from '../../shared/dates';

describe('calendar days', () => {
  it('builds only days that exist', () => {
    expect(isoFromParts(2026, 4, 15)).toBe('2026-04-15');
    expect(isoFromParts(2028, 2, 29)).toBe('2028-02-29');
    for (const [y, m, d] of [[2026, 2, 31], [2027, 2, 29], [2026, 13, 1], [2026, 4, 31], [2026, 1, 0], [2026, 1, 32]]) {
      expect(isoFromParts(y, m, d)).toBeNull();
    }
    expect(parseIso('2026-02-31')).toBeNull();
    expect(parseIso('15/4/2026')).toBeNull();
    expect(parseIso('2026-06-30')).toBe('2026-06-30');
  });

  it('counts days across months, years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(daysBetween('2026-04-30', '2026-06-30')).toBe(61);
    expect(lastDayOfMonth(2026, 2)).toBe('2026-02-28');
    expect(lastDayOfMonth(2028, 2)).toBe('2028-02-29');
    expect(lastDayOfMonth(2026, 6)).toBe('2026-06-30');
    expect(dayOfWeek('2026-04-25')).toBe(6); // a Saturday
  });

  it('reads and writes Excel serial days, in the 1900 and 1904 systems', () => {
    expect(isoFromExcelSerial(46127)).toBe('2026-04-15');
    expect(excelSerialFromIso('2026-04-15')).toBe(46127);
    expect(isoFromExcelSerial(46127.75)).toBe('2026-04-15');
    expect(isoFromExcelSerial(46127 - 1462, true)).toBe('2026-04-15');
    expect(isoFromExcelSerial(0)).toBeNull();
    expect(isoFromExcelSerial(Number.NaN)).toBeNull();
    for (const iso of ['2000-01-01', '2026-02-28', '2099-12-31']) expect(isoFromExcelSerial(excelSerialFromIso(iso))).toBe(iso);
  });

  it('takes the day of a Date built at UTC midnight, and today in local time', () => {
    expect(isoFromUtcDate(new Date(Date.UTC(2026, 3, 15)))).toBe('2026-04-15');
    expect(isoFromUtcDate(new Date('x'))).toBeNull();
    expect(todayIso(new Date(2026, 10, 23, 23, 59))).toBe('2026-11-23');
  });
});
