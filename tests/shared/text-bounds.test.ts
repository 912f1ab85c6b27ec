/**
 * Issue 10, findings 1, 4 and 5 in the core: a cell's cost is bounded by
 * Excel's cell limit whatever a file holds, characters XML cannot hold never
 * leave, and every written cell is neutralised against formulas.
 */
import { IsoDate, ProgressFields, SyncChange } from '../../shared/schemas';
import { MAX_CELL_LENGTH, capLength, cleanMultiline, cleanText, hasXmlForbidden, stripXmlForbidden, trimEndWhile, trimTrailingPunctuation } from '../../shared/text';
import { safeText } from '../../shared/tracker-layout';

describe('cell length guard', () => {
  const hostile = '<b'.repeat(160_000);

  it('reads no character past Excel’s cell limit, so the work per cell is bounded', () => {
    // The same answer as for the first 32,767 characters alone: nothing beyond them was looked at.
    expect(cleanText(hostile)).toBe(cleanText(hostile.slice(0, MAX_CELL_LENGTH)));
    expect(cleanText(hostile).length).toBeLessThanOrEqual(MAX_CELL_LENGTH);
    expect(cleanMultiline(`${'x'.repeat(40_000)}\n${'y'.repeat(10)}`)).toBe('x'.repeat(MAX_CELL_LENGTH));
  });

  it('cuts at the limit without splitting a surrogate pair', () => {
    const s = 'a'.repeat(MAX_CELL_LENGTH - 1) + '😀' + 'b';
    expect(capLength(s)).toBe('a'.repeat(MAX_CELL_LENGTH - 1));
    expect(capLength('short')).toBe('short');
  });

  it('still strips real tags and keeps text that only looks like one', () => {
    expect(cleanText('<b>Sở</b> <i>Nội vụ</i>')).toBe('Sở Nội vụ');
    expect(cleanText('a <b<b x>')).toBe('a <b');
    expect(cleanText('1 < 2 và 3 > 2')).toBe('1 < 2 và 3 > 2');
  });

  it('trims trailing punctuation by walking back once (no retry from every inner character)', () => {
    const inner = `a${' .'.repeat(20_000)}b`;
    expect(trimTrailingPunctuation(inner)).toBe(inner);
    expect(trimTrailingPunctuation('Sở Tài chính.; ')).toBe('Sở Tài chính');
    expect(trimEndWhile('abc   ', /\s/)).toBe('abc');
  });
});

describe('characters XML 1.0 cannot hold', () => {
  it('are found and stripped; tab and line breaks are kept', () => {
    const bad = 'a\u0000b\u0001c\u000bd\ufffee\uffff';
    expect(hasXmlForbidden(bad)).toBe(true);
    expect(stripXmlForbidden(bad)).toBe('abcde');
    expect(hasXmlForbidden('a\tb\nc\rd')).toBe(false);
  });

  it('never survive cleanText', () => {
    expect(cleanText('Ghi\u0000 chú\uffff')).toBe('Ghi chú');
    expect(cleanText('Ghi\u000bchú')).toBe('Ghi chú');
  });

  it('are refused in sync text fields and task ids, NUL included', () => {
    expect(ProgressFields.safeParse({ note: 'x\u0000y' }).success).toBe(false);
    expect(ProgressFields.safeParse({ result: '\ufffe' }).success).toBe(false);
    expect(ProgressFields.safeParse({ note: 'dòng 1\ndòng 2\tcột' }).success).toBe(true);
    expect(SyncChange.safeParse({ taskId: 't\u0000', baseVersion: 0, fields: {} }).success).toBe(false);
  });
});

describe('IsoDate', () => {
  it.each(['2026-02-30', '2026-99-99', '2026-13-01', '2026-00-10', '2027-02-29', '20260101', '2026-1-1'])('refuses %s', (s) => {
    expect(IsoDate.safeParse(s).success).toBe(false);
  });
  it.each(['2026-02-28', '2028-02-29', '2026-12-31'])('accepts %s', (s) => {
    expect(IsoDate.safeParse(s).success).toBe(true);
  });
});

describe('safeText, the one guard of every written cell', () => {
  it.each(['=cmd|\' /C calc\'!A0', '+1+2', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '＝1+1', '＋1', '－1', '＠A1'])('neutralises %j', (s) => {
    const out = safeText(s);
    expect(out).toBe(`\u200b${s}`);
    // Read back, the neutraliser goes and the text is as written (minus the white space cleanText always trims).
    expect(cleanText(out)).toBe(cleanText(s));
  });

  it('leaves ordinary text alone and is idempotent', () => {
    expect(safeText('Sở Nội vụ')).toBe('Sở Nội vụ');
    expect(safeText(safeText('=1'))).toBe(safeText('=1'));
  });

  it('drops XML-forbidden characters and cuts to the cell limit', () => {
    expect(safeText('a\u0000b\uffff')).toBe('ab');
    expect(safeText('=' + 'x'.repeat(MAX_CELL_LENGTH)).length).toBe(MAX_CELL_LENGTH);
  });
});
