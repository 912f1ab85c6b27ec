/**
 * The per-field merge of one incoming change into one stored report: pure, no I/O.
 *
 * Rule, field by field — versions decide, never who sends: two people of one agency share a token,
 * and the stale copy must not overwrite the other.
 *  - the stored value equals the incoming one              → no-op
 *  - the field was last changed at a version ≤ baseVersion → apply (nobody touched it since the caller looked)
 *  - changed since baseVersion                             → conflict: the stored value stays, the caller's
 *                                                             goes into the conflict record
 * A client editing its own edit sends the version its previous edit returned (the add-in's queue
 * does), so it meets no conflict. A baseVersion above the stored version is refused by the caller
 * of this module (see baseVersionAhead), never read as "nobody changed it".
 * Applying any field bumps the report version by one (once per change, however many fields).
 */
import type { Progress, ProgressFields } from '../shared/schemas';
import { cleanMultiline } from '../shared/text';

export const PROGRESS_FIELDS = ['status', 'result', 'completedOn', 'evidence', 'note'] as const;
export type ProgressField = (typeof PROGRESS_FIELDS)[number];

/** Who last changed a field, and at which report version. `by` (token id) is kept for the record only. */
export interface FieldMeta {
  version: number;
  by: string;
}
export type FieldMetaMap = Partial<Record<ProgressField, FieldMeta>>;

export interface StoredReport {
  values: Progress;
  version: number;
  meta: FieldMetaMap;
}

export interface IncomingChange {
  baseVersion: number;
  fields: ProgressFields;
  /** The caller's token id, recorded in FieldMeta.by. */
  by: string;
}

export type FieldDecision = 'noop' | 'apply' | 'conflict';

export interface MergeResult {
  applied: { field: ProgressField; oldValue: unknown; newValue: unknown }[];
  conflicts: { field: ProgressField; yours: unknown; theirs: unknown }[];
  noops: ProgressField[];
  /** The report after the merge (the stored one when nothing applied). */
  report: StoredReport;
}

export const BLANK_PROGRESS: Progress = { status: 'not_started', result: '', completedOn: null, evidence: '', note: '' };

/**
 * The edits a returned copy proposes, merged against what the copy was given (3-way): a field equal
 * to the copy's base proposes nothing — sending back an unchanged copy, even the merged one, changes
 * nothing — and a field the copy changed is proposed, to be merged with the version the copy was
 * made from (applied if the service has not changed it since, a conflict if it has). A copy with no
 * known base (made by `convert`, without the service) has a blank one: its filled cells are its edits.
 * Cells that could not be read propose nothing.
 */
export function copyEdits(stated: Progress, base: Progress | null, unreadable: ReadonlySet<string> = new Set()): ProgressFields {
  const from = base ?? BLANK_PROGRESS;
  const fields: Record<string, unknown> = {};
  for (const field of PROGRESS_FIELDS) {
    if (unreadable.has(field)) continue;
    const given = from[field];
    // Text comes back from a sheet tidied (spaces, blank lines, the formula guard): compared the same way.
    const same = typeof given === 'string' && field !== 'status' ? cleanMultiline(given) === stated[field] : given === stated[field];
    if (!same) fields[field] = stated[field];
  }
  return fields as ProgressFields;
}

/** The decision for one field; see the rule at the top of this file. */
export function decideField(stored: StoredReport, field: ProgressField, value: unknown, baseVersion: number): FieldDecision {
  if (stored.values[field] === value) return 'noop';
  const meta = stored.meta[field];
  if (!meta || meta.version <= baseVersion) return 'apply';
  return 'conflict';
}

/** A change claiming a version the report never had: refused, since it would read as "nobody changed it". */
export function baseVersionAhead(stored: StoredReport, baseVersion: number): boolean {
  return baseVersion > stored.version;
}

export function mergeReport(stored: StoredReport, change: IncomingChange): MergeResult {
  const result: MergeResult = { applied: [], conflicts: [], noops: [], report: stored };
  for (const field of PROGRESS_FIELDS) {
    const value = change.fields[field];
    if (value === undefined) continue;
    const decision = decideField(stored, field, value, change.baseVersion);
    if (decision === 'noop') result.noops.push(field);
    else if (decision === 'conflict') result.conflicts.push({ field, yours: value, theirs: stored.values[field] });
    else result.applied.push({ field, oldValue: stored.values[field], newValue: value });
  }
  if (result.applied.length > 0) {
    const version = stored.version + 1;
    const values: Progress = { ...stored.values };
    const meta: FieldMetaMap = { ...stored.meta };
    for (const { field, newValue } of result.applied) {
      (values as Record<ProgressField, unknown>)[field] = newValue;
      meta[field] = { version, by: change.by };
    }
    result.report = { values, version, meta };
  }
  return result;
}
