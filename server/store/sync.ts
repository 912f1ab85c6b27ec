/**
 * The writing transactions on reports: a sync request (permissions, per-field merge, conflicts,
 * history, idempotency, submissions) and a conflict's resolution. Both run inside a transaction that
 * holds the tracker's counter lock (see feed.ts), taken before anything is read; several syncs may
 * share one such transaction (group commit, see group-commit.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { baseVersionAhead, BLANK_PROGRESS, mergeReport, type MergeResult, type ProgressField, PROGRESS_FIELDS, type StoredReport } from '../merge';
import { InputError } from '../../shared/errors';
import { ProgressFields, type SyncChange, type SyncRequest, type SyncResponse } from '../../shared/schemas';
import type { ChangesTable, ConflictsTable, Database, SubmissionsTable } from './database';
import type { Catalogue } from './catalogue';
import { lockCounter, readChanges, saveCounter } from './feed';
import { type LeadRef, mayWriteReport } from './leads';
import { conflictFromRow, reportToRow, storedReportFromRow } from './rows';
import { type AgencyRecord, type Caller, type ConflictRecord, type ConflictResolution, NotFoundError, type SubmissionInfo } from './store';

type Db = Kysely<Database>;

export const newId = (prefix: string): string => `${prefix}_${randomBytes(9).toString('base64url')}`;

/**
 * How many changes a sync answer carries at most: one page of what the caller needs, kept small
 * because every sync pays for it; the client follows the cursor (GET …/changes) for the rest.
 */
const SYNC_FEED_LIMIT = 100;
/** Rows per IN list or multi-row insert, well under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const bilingual = (vi: string, en: string): string => `${vi} / ${en}`;
const key = (taskId: string, agencyId: string): string => `${taskId}\u0000${agencyId}`;

/**
 * The reports of one tracker touched by one transaction: loaded once, merged in memory, written back
 * with their history rows and the new counter value at the end.
 */
class ReportWriter {
  private readonly reports = new Map<string, { report: StoredReport; dirty: boolean; taskId: string; agencyId: string }>();
  private readonly history: ChangesTable[] = [];

  constructor(
    private readonly trx: Db,
    private readonly trackerId: string,
    private seq: number,
    private readonly caller: Caller,
    private readonly at: string,
  ) {}

  async load(taskIds: readonly string[]): Promise<void> {
    for (const part of chunks(taskIds)) {
      const rows = await this.trx.selectFrom('reports').selectAll().where('tracker_id', '=', this.trackerId).where('task_id', 'in', part).execute();
      for (const row of rows) {
        this.reports.set(key(row.task_id, row.agency_id), {
          report: storedReportFromRow(row),
          dirty: false,
          taskId: row.task_id,
          agencyId: row.agency_id,
        });
      }
    }
  }

  get(taskId: string, agencyId: string): StoredReport {
    return this.reports.get(key(taskId, agencyId))?.report ?? { values: { ...BLANK_PROGRESS }, version: 0, meta: {} };
  }

  /** Keeps the merged report and appends one history row per applied field. */
  record(taskId: string, agencyId: string, merged: MergeResult, submissionId: string | null): void {
    if (merged.applied.length === 0) return;
    this.reports.set(key(taskId, agencyId), { report: merged.report, dirty: true, taskId, agencyId });
    for (const { field, oldValue, newValue } of merged.applied) {
      this.history.push({
        tracker_id: this.trackerId,
        seq: ++this.seq,
        task_id: taskId,
        agency_id: agencyId,
        field,
        old_value: JSON.stringify(oldValue),
        new_value: JSON.stringify(newValue),
        version: merged.report.version,
        by_name: this.caller.name,
        by_token: this.caller.tokenId,
        at: this.at,
        submission_id: submissionId,
      });
    }
  }

  /** The last seq handed out; the caller saves it in the counter row. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Writes the reports (one upsert per chunk), then the history. */
  async flush(): Promise<void> {
    const updated = { at: this.at, by: this.caller.name };
    const rows = [...this.reports.values()]
      .filter((entry) => entry.dirty)
      .map((entry) => reportToRow({ trackerId: this.trackerId, taskId: entry.taskId, agencyId: entry.agencyId }, entry.report, updated));
    for (const part of chunks(rows, 200)) {
      await this.trx
        .insertInto('reports')
        .values(part)
        .onConflict((oc) =>
          oc.columns(['tracker_id', 'task_id', 'agency_id']).doUpdateSet((eb) => ({
            status: eb.ref('excluded.status'),
            result: eb.ref('excluded.result'),
            completed_on: eb.ref('excluded.completed_on'),
            evidence: eb.ref('excluded.evidence'),
            note: eb.ref('excluded.note'),
            version: eb.ref('excluded.version'),
            field_meta: eb.ref('excluded.field_meta'),
            updated_at: eb.ref('excluded.updated_at'),
            updated_by: eb.ref('excluded.updated_by'),
          })),
        )
        .execute();
    }
    for (const part of chunks(this.history, 200)) await this.trx.insertInto('changes').values(part).execute();
  }
}

/** The agency whose report a change writes, or why it may not. */
function targetAgency(caller: Caller, change: SyncChange, leads: LeadRef[], agencies: Map<string, AgencyRecord>): AgencyRecord | { reason: string } {
  let agencyId: string | null;
  if (caller.role === 'agency') {
    if (change.agencyId && change.agencyId !== caller.agencyId) {
      return { reason: bilingual('Cơ quan chỉ được cập nhật báo cáo của chính mình', 'An agency may update only its own report') };
    }
    agencyId = caller.agencyId;
  } else {
    agencyId = change.agencyId ?? caller.agencyId;
    if (!agencyId) {
      return { reason: bilingual('Quản trị viên cần ghi rõ cơ quan báo cáo (agencyId)', 'The administrator must name the reporting agency (agencyId)') };
    }
  }
  const agency = agencies.get(agencyId);
  if (!agency) return { reason: bilingual(`Không có cơ quan ${agencyId}`, `No agency ${agencyId}`) };
  if (!mayWriteReport(leads, agency, caller.role)) {
    return {
      reason: bilingual(
        `${agency.name} không chủ trì nhiệm vụ ${change.taskId} nên không báo cáo nhiệm vụ này`,
        `${agency.name} does not lead task ${change.taskId}, so it cannot report on it`,
      ),
    };
  }
  return agency;
}

/**
 * The conflicts of one transaction. An open conflict with the same values is answered again rather
 * than recorded twice (a client resending its request); new ones are inserted together at the end.
 */
class ConflictLog {
  private readonly open = new Map<string, string>();
  private readonly fresh: ConflictsTable[] = [];

  constructor(
    private readonly trx: Db,
    private readonly trackerId: string,
    private readonly caller: Caller,
    private readonly at: string,
  ) {}

  private static key(taskId: string, agencyId: string, field: string, yours: string, theirs: string): string {
    return [taskId, agencyId, field, yours, theirs].join('\u0000');
  }

  async load(taskIds: readonly string[]): Promise<void> {
    for (const part of chunks(taskIds)) {
      const rows = await this.trx
        .selectFrom('conflicts')
        .select(['id', 'task_id', 'agency_id', 'field', 'yours', 'theirs'])
        .where('tracker_id', '=', this.trackerId)
        .where('task_id', 'in', part)
        .where('resolved_at', 'is', null)
        .execute();
      for (const r of rows) this.open.set(ConflictLog.key(r.task_id, r.agency_id, r.field, r.yours, r.theirs), r.id);
    }
  }

  /** The conflict's id, new or already open. */
  record(change: SyncChange, agencyId: string, conflict: { field: ProgressField; yours: unknown; theirs: unknown }): string {
    const yours = JSON.stringify(conflict.yours);
    const theirs = JSON.stringify(conflict.theirs);
    const k = ConflictLog.key(change.taskId, agencyId, conflict.field, yours, theirs);
    const known = this.open.get(k);
    if (known) return known;
    const id = newId('cf');
    this.open.set(k, id);
    this.fresh.push({
      id,
      tracker_id: this.trackerId,
      task_id: change.taskId,
      agency_id: agencyId,
      field: conflict.field,
      yours,
      theirs,
      base_version: change.baseVersion,
      submitted_by: this.caller.name,
      submitted_token: this.caller.tokenId,
      created_at: this.at,
      resolved_at: null,
      resolution: null,
      resolved_by: null,
    });
    return id;
  }

  async flush(): Promise<void> {
    for (const part of chunks(this.fresh, 200)) await this.trx.insertInto('conflicts').values(part).execute();
  }
}

export interface SyncContext {
  trackerId: string;
  caller: Caller;
  request: SyncRequest;
  since: number;
  idempotency: { key: string; requestHash: string } | null;
  submission: SubmissionInfo;
  catalogue: Catalogue;
}

/**
 * What an idempotency record keeps: the merge outcome and the seq range of the changes the request
 * made — not the feed, which a replay reads anew from its own cursor (with the same range left out).
 */
interface ReplayRecord {
  applied: SyncResponse['applied'];
  conflicts: SyncResponse['conflicts'];
  rejected: SyncResponse['rejected'];
  own?: { from: number; to: number };
}

/** The feed an answer carries: an agency sees its own reports only, and never the changes its request just made. */
async function answerFeed(trx: Db, ctx: SyncContext, head: number, own: { from: number; to: number }): Promise<{ changes: SyncResponse['changes']; cursor: string }> {
  const agencyId = ctx.caller.role === 'agency' ? ctx.caller.agencyId : undefined;
  return readChanges(trx, ctx.trackerId, ctx.since, SYNC_FEED_LIMIT, { agencyId, skip: own, head });
}

/**
 * One sync inside a transaction that holds the tracker's counter lock at `seq`; returns the answer and
 * the last seq it used (the caller saves the counter). Everything that can refuse the request is
 * checked before the first write, so a refused sync leaves the shared transaction untouched.
 */
export async function syncInTransaction(trx: Db, ctx: SyncContext, seq: number): Promise<{ response: SyncResponse; seq: number }> {
  const { trackerId, caller, request } = ctx;
  if (ctx.idempotency) {
    const prior = await trx
      .selectFrom('idempotency')
      .select(['request_hash', 'response'])
      .where('tracker_id', '=', trackerId)
      .where('token_id', '=', caller.tokenId)
      .where('key', '=', ctx.idempotency.key)
      .executeTakeFirst();
    if (prior) {
      if (prior.request_hash !== ctx.idempotency.requestHash) {
        throw new InputError(
          'Khóa Idempotency-Key này đã dùng cho một yêu cầu khác',
          'This Idempotency-Key was already used for a different request',
          'idempotency.mismatch',
          { field: 'Idempotency-Key' },
        );
      }
      const record = JSON.parse(prior.response) as ReplayRecord;
      // Records written before the feed was left out of them carry no range: nothing to leave out.
      const feed = await answerFeed(trx, ctx, seq, record.own ?? { from: seq, to: seq });
      return { response: { applied: record.applied, conflicts: record.conflicts, rejected: record.rejected, ...feed }, seq };
    }
  }

  const at = new Date().toISOString();
  const taskIds = [...new Set(request.changes.map((c) => c.taskId))];
  const agencyIds = [...new Set([caller.agencyId, ...request.changes.map((c) => c.agencyId)].filter((id): id is string => !!id))];
  const leadsByTask = await ctx.catalogue.leadsOf(trx, trackerId);
  const agencies = await ctx.catalogue.agenciesOf(trx, agencyIds);
  const writer = new ReportWriter(trx, trackerId, seq, caller, at);
  await writer.load(taskIds.filter((id) => leadsByTask.has(id)));

  const response: SyncResponse = { applied: [], conflicts: [], rejected: [], changes: [], cursor: '' };
  const submissions = new Map<string, SubmissionsTable>();
  const conflicted: { change: SyncChange; agencyId: string; conflict: MergeResult['conflicts'][number] }[] = [];
  request.changes.forEach((change, i) => {
    const leads = leadsByTask.get(change.taskId);
    if (!leads) {
      response.rejected.push({
        taskId: change.taskId,
        reason: bilingual(`Bảng theo dõi không có nhiệm vụ ${change.taskId}`, `The tracker has no task ${change.taskId}`),
      });
      return;
    }
    const agency = targetAgency(caller, change, leads, agencies);
    if ('reason' in agency) {
      response.rejected.push({ taskId: change.taskId, reason: agency.reason });
      return;
    }
    const stored = writer.get(change.taskId, agency.id);
    if (baseVersionAhead(stored, change.baseVersion)) {
      throw new InputError(
        `Thay đổi thứ ${i + 1} (nhiệm vụ ${change.taskId}) dựa trên phiên bản ${change.baseVersion}, nhưng báo cáo mới ở phiên bản ${stored.version}`,
        `Change ${i + 1} (task ${change.taskId}) is based on version ${change.baseVersion}, but the report is only at version ${stored.version}`,
        'sync.base_version',
        { field: `changes.${i}.baseVersion`, row: i + 1 },
      );
    }
    let submission = submissions.get(agency.id);
    if (!submission) {
      submission = { id: newId('sub'), tracker_id: trackerId, agency_id: agency.id, kind: ctx.submission.kind, file_name: ctx.submission.fileName ?? null, at };
      submissions.set(agency.id, submission);
    }
    const merged = mergeReport(stored, { baseVersion: change.baseVersion, fields: change.fields, by: caller.tokenId });
    writer.record(change.taskId, agency.id, merged, submission.id);
    for (const conflict of merged.conflicts) conflicted.push({ change, agencyId: agency.id, conflict });
    // "Applied": the report now holds at least one of the caller's values (written or already equal).
    if (merged.applied.length + merged.noops.length > 0) response.applied.push({ taskId: change.taskId, version: merged.report.version });
  });

  // Open conflicts are read only when this request has conflicts of its own to match against them.
  if (conflicted.length) {
    const conflicts = new ConflictLog(trx, trackerId, caller, at);
    await conflicts.load([...new Set(conflicted.map((c) => c.change.taskId))]);
    for (const { change, agencyId, conflict } of conflicted) {
      response.conflicts.push({ id: conflicts.record(change, agencyId, conflict), taskId: change.taskId, agencyId, ...conflict });
    }
    await conflicts.flush();
  }
  const subs = [...submissions.values()];
  for (const part of chunks(subs, 200)) await trx.insertInto('submissions').values(part).execute();
  await writer.flush();
  const own = { from: seq, to: writer.lastSeq };
  const feed = await answerFeed(trx, ctx, writer.lastSeq, own);
  response.changes = feed.changes;
  response.cursor = feed.cursor;
  if (ctx.idempotency) {
    const record: ReplayRecord = { applied: response.applied, conflicts: response.conflicts, rejected: response.rejected, own };
    await trx
      .insertInto('idempotency')
      .values({
        tracker_id: trackerId,
        token_id: caller.tokenId,
        key: ctx.idempotency.key,
        request_hash: ctx.idempotency.requestHash,
        response: JSON.stringify(record),
        created_at: at,
      })
      .execute();
  }
  return { response, seq: writer.lastSeq };
}

/**
 * Closes a conflict with the caller's value, the stored one, or a new one. A value that differs from
 * the report's current one is written like any change (new version, history row); a conflict already
 * resolved is returned as it is, so a repeated request does nothing.
 */
export async function resolveInTransaction(trx: Db, trackerId: string, conflictId: string, resolution: ConflictResolution, by: Caller): Promise<ConflictRecord> {
  const seq = await lockCounter(trx, trackerId);
  const row = await trx.selectFrom('conflicts').selectAll().where('id', '=', conflictId).where('tracker_id', '=', trackerId).executeTakeFirst();
  if (!row) throw new NotFoundError('conflict', conflictId);
  if (row.resolved_at) return conflictFromRow(row);

  const field = row.field as ProgressField;
  if (!PROGRESS_FIELDS.includes(field)) throw new Error(`conflict ${conflictId} names unknown field ${row.field}`);
  const kind = 'choose' in resolution ? resolution.choose : 'value';
  const wanted = 'choose' in resolution ? JSON.parse(resolution.choose === 'yours' ? row.yours : row.theirs) : resolution.value;
  const parsed = ProgressFields.shape[field].safeParse(wanted);
  if (!parsed.success || parsed.data === undefined) {
    throw new InputError(`Giá trị không hợp lệ cho trường ${field}`, `Invalid value for field ${field}`, 'conflict.value', { field: 'value' });
  }

  const at = new Date().toISOString();
  const writer = new ReportWriter(trx, trackerId, seq, by, at);
  await writer.load([row.task_id]);
  const current = writer.get(row.task_id, row.agency_id);
  // The resolver's word is final: merged as a change based on the current version, so it always applies.
  const merged = mergeReport(current, { baseVersion: current.version, fields: { [field]: parsed.data }, by: by.tokenId });
  writer.record(row.task_id, row.agency_id, merged, null);
  await writer.flush();
  if (writer.lastSeq !== seq) await saveCounter(trx, trackerId, writer.lastSeq);
  await trx.updateTable('conflicts').set({ resolved_at: at, resolution: kind, resolved_by: by.name }).where('id', '=', conflictId).execute();
  return conflictFromRow({ ...row, resolved_at: at, resolution: kind, resolved_by: by.name });
}
