import { BLANK_PROGRESS, baseVersionAhead, decideField, mergeReport, PROGRESS_FIELDS, type StoredReport } from '../../server/merge';

/** A report at version 5 whose result was last written at version 3 by token "alice". */
function stored(metaVersion: number | null, by = 'alice'): StoredReport {
  return {
    values: { ...BLANK_PROGRESS, status: 'in_progress', result: 'stored' },
    version: 5,
    meta: metaVersion === null ? {} : { result: { version: metaVersion, by } },
  };
}

describe('decideField: the rule table (versions decide, whoever sends)', () => {
  // [case, field last changed at (null: never), by, baseVersion, incoming value, decision]
  const table: [string, number | null, string, number, string, 'noop' | 'apply' | 'conflict'][] = [
    ['equal value, never changed', null, 'alice', 0, 'stored', 'noop'],
    ['equal value, changed before base', 3, 'alice', 4, 'stored', 'noop'],
    ['equal value, changed since base', 3, 'alice', 1, 'stored', 'noop'],
    ['differs, never changed', null, 'alice', 0, 'new', 'apply'],
    ['differs, changed before base', 3, 'alice', 4, 'new', 'apply'],
    ['differs, changed exactly at base', 3, 'alice', 3, 'new', 'apply'],
    // Two copies of one agency share a token: the stale one must not overwrite the other.
    ['differs, changed since base with the same token', 3, 'alice', 2, 'new', 'conflict'],
    ['differs, changed since base by another', 3, 'bob', 2, 'new', 'conflict'],
    ['differs, base 0 and changed since', 1, 'alice', 0, 'new', 'conflict'],
  ];
  it.each(table)('%s', (_name, metaVersion, by, baseVersion, value, decision) => {
    expect(decideField(stored(metaVersion, by), 'result', value, baseVersion)).toBe(decision);
  });

  it('refuses a base version the report never had', () => {
    expect(baseVersionAhead(stored(3), 5)).toBe(false);
    expect(baseVersionAhead(stored(3), 6)).toBe(true);
  });

  it('compares null and empty values exactly', () => {
    const report = stored(null);
    expect(decideField(report, 'completedOn', null, 0)).toBe('noop');
    expect(decideField(report, 'completedOn', '2026-01-02', 0)).toBe('apply');
    expect(decideField(report, 'note', '', 0)).toBe('noop');
    expect(decideField(report, 'note', ' ', 0)).toBe('apply');
  });
});

describe('mergeReport', () => {
  it('applies untouched fields, keeps conflicting ones, and bumps the version once', () => {
    const report: StoredReport = {
      values: { ...BLANK_PROGRESS, status: 'in_progress', result: 'theirs' },
      version: 2,
      meta: { status: { version: 1, by: 'alice' }, result: { version: 2, by: 'alice' } },
    };
    const merged = mergeReport(report, {
      baseVersion: 1,
      by: 'bob',
      fields: { status: 'done', result: 'mine', completedOn: '2026-03-01', note: '' },
    });
    expect(merged.applied).toEqual([
      { field: 'status', oldValue: 'in_progress', newValue: 'done' },
      { field: 'completedOn', oldValue: null, newValue: '2026-03-01' },
    ]);
    expect(merged.conflicts).toEqual([{ field: 'result', yours: 'mine', theirs: 'theirs' }]);
    expect(merged.noops).toEqual(['note']);
    expect(merged.report.version).toBe(3);
    expect(merged.report.values).toEqual({ ...BLANK_PROGRESS, status: 'done', result: 'theirs', completedOn: '2026-03-01' });
    expect(merged.report.meta).toEqual({
      status: { version: 3, by: 'bob' },
      result: { version: 2, by: 'alice' },
      completedOn: { version: 3, by: 'bob' },
    });
    // The input is not mutated.
    expect(report.values.status).toBe('in_progress');
    expect(report.meta.status).toEqual({ version: 1, by: 'alice' });
  });

  it('keeps the stored report (same version) when nothing applies', () => {
    const report = stored(3);
    const merged = mergeReport(report, { baseVersion: 0, by: 'bob', fields: { result: 'other', status: 'in_progress' } });
    expect(merged.applied).toEqual([]);
    expect(merged.noops).toEqual(['status']);
    expect(merged.conflicts).toHaveLength(1);
    expect(merged.report).toBe(report);
  });

  it('ignores fields the change does not carry, and walks every progress field', () => {
    const blank: StoredReport = { values: { ...BLANK_PROGRESS }, version: 0, meta: {} };
    expect(mergeReport(blank, { baseVersion: 0, by: 'a', fields: {} }).report).toBe(blank);
    const all = mergeReport(blank, {
      baseVersion: 0,
      by: 'a',
      fields: { status: 'done', result: 'r', completedOn: '2026-01-01', evidence: 'e', note: 'n' },
    });
    expect(all.applied.map((a) => a.field)).toEqual([...PROGRESS_FIELDS]);
    expect(all.report.version).toBe(1);
  });
});
