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
import type { ChangesTable, ConflictsTable, Database, IdempotencyTable, SubmissionsTable } from './database';
import type { Outcome } from './group-commit';
import type { Catalogue } from './catalogue';
import { lockCounter, readFeeds, saveCounter } from './feed';
import { type LeadRef, mayWriteReport } from './leads';
import type { QueryShapes } from './query-shapes';
import type { KnownReports, ReportEntry } from './report-cache';
import { conflictFromRow, reportToRow, storedReportFromRow } from './rows';
import { type AgencyRecord, type Caller, type ConflictRecord, type ConflictResolution, NotFoundError, type SubmissionInfo } from './store';

type Db = Kysely<Database>;

export const newId = (prefix: string): string => `${prefix}_${randomBytes(9).toString('base64url')}`;

/**
 * How many changes a sync answer carries at most: one page of what the caller needs, kept small
 * because every sync pays for it; the client follows the cursor (GET …/changes) for the rest.
 */
const SYNC_FEED_LIMIT = 20;
/** Rows per IN list or multi-row insert, well under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const bilingual = (vi: string, en: string): string => `${vi} / ${en}`;
const key = (taskId: string, agencyId: string): string => `${taskId}\u0000${agencyId}`;

/** Where a writer stood before one sync of a group: its records are undone if it is refused. */
interface Mark {
  seq: number;
  history: number;
  undo: { key: string; entry: ReportEntry | undefined }[];
}

/**
 * The reports of one tracker touched by one transaction: loaded once, merged in memory, written back
 * with their history rows and the new counter value at the end.
 */
class ReportWriter {
  private readonly reports: Map<string, ReportEntry>;
  /** Tasks whose reports are loaded (all of their agencies'). */
  private readonly loaded: Set<string>;
  private readonly history: ChangesTable[] = [];
  private mark: Mark | null = null;

  constructor(
    private readonly trx: Db,
    private readonly shapes: QueryShapes,
    private readonly trackerId: string,
    private seq: number,
    private readonly at: string,
    /** The tracker's reports as of `seq`, when known (report-cache.ts). */
    known: KnownReports | null = null,
  ) {
    this.reports = known?.reports ?? new Map();
    this.loaded = known?.loaded ?? new Set();
  }

  /** The reports it has read and written: once committed, those of the tracker at lastSeq. */
  get known(): KnownReports {
    return { reports: this.reports, loaded: this.loaded };
  }

  async load(taskIds: readonly string[]): Promise<void> {
    const missing = [...new Set(taskIds)].filter((id) => !this.loaded.has(id));
    for (const id of missing) this.loaded.add(id);
    for (const part of chunks(missing)) {
      const rows = await this.shapes.execute(this.trx, `reports.load|${part.length}`, [this.trackerId, ...part], () =>
        this.trx.selectFrom('reports').selectAll().where('tracker_id', '=', this.trackerId).where('task_id', 'in', part),
      );
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
  record(taskId: string, agencyId: string, merged: MergeResult, by: Caller, submissionId: string | null): void {
    if (merged.applied.length === 0) return;
    const k = key(taskId, agencyId);
    this.mark?.undo.push({ key: k, entry: this.reports.get(k) });
    this.reports.set(k, { report: merged.report, dirty: true, taskId, agencyId, by: by.name });
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
        by_name: by.name,
        by_token: by.tokenId,
        at: this.at,
        submission_id: submissionId,
      });
    }
  }

  /** The last seq handed out; the caller saves it in the counter row. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Runs one sync's merge; if it throws, the writer is as it was before (its records undone). */
  atomically<T>(fn: () => T): T {
    this.mark = { seq: this.seq, history: this.history.length, undo: [] };
    try {
      return fn();
    } catch (err) {
      const { seq, history, undo } = this.mark;
      for (const { key: k, entry } of undo.reverse()) {
        if (entry) this.reports.set(k, entry);
        else this.reports.delete(k);
      }
      this.history.length = history;
      this.seq = seq;
      throw err;
    } finally {
      this.mark = null;
    }
  }

  /** Writes the reports (one upsert per chunk), then the history. */
  async flush(): Promise<void> {
    const rows = [...this.reports.values()]
      .filter((entry) => entry.dirty)
      .map((entry) => reportToRow({ trackerId: this.trackerId, taskId: entry.taskId, agencyId: entry.agencyId }, entry.report, { at: this.at, by: entry.by ?? null }));
    for (const part of chunks(rows, 200)) {
      await this.shapes.insert(this.trx, 'reports.upsert', part, (values) =>
        this.trx
          .insertInto('reports')
          .values(values)
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
          ),
      );
    }
    for (const part of chunks(this.history, 200)) await this.shapes.insert(this.trx, 'changes', part, (values) => this.trx.insertInto('changes').values(values));
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
  private readonly loaded = new Set<string>();

  constructor(
    private readonly trx: Db,
    private readonly trackerId: string,
    private readonly at: string,
  ) {}

  private static key(taskId: string, agencyId: string, field: string, yours: string, theirs: string): string {
    return [taskId, agencyId, field, yours, theirs].join('\u0000');
  }

  async load(taskIds: readonly string[]): Promise<void> {
    const missing = [...new Set(taskIds)].filter((id) => !this.loaded.has(id));
    for (const id of missing) this.loaded.add(id);
    for (const part of chunks(missing)) {
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
  record(change: SyncChange, agencyId: string, conflict: { field: ProgressField; yours: unknown; theirs: unknown }, by: Caller): string {
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
      submitted_by: by.name,
      submitted_token: by.tokenId,
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

/** One sync request, as the group commit queues it. */
export interface SyncJob {
  caller: Caller;
  request: SyncRequest;
  since: number;
  idempotency: { key: string; requestHash: string } | null;
  submission: SubmissionInfo;
}

/** What a group's transaction shares: the tracker, the catalogue of leads and agencies, the compiled statements. */
export interface GroupContext {
  trackerId: string;
  catalogue: Catalogue;
  shapes: QueryShapes;
}

/**
 * A sync's outcome, decided in the transaction: the merge, and the seq range of the changes it made.
 * Also what an idempotency record keeps — not the feed, which is read once the group has committed
 * (a replay reads it anew from its own cursor, with the same range left out).
 */
export interface Merged {
  applied: SyncResponse['applied'];
  conflicts: SyncResponse['conflicts'];
  rejected: SyncResponse['rejected'];
  own: { from: number; to: number };
}

/**
 * The feeds a group's answers carry, read in one statement after the group committed, up to the
 * head it left: an agency sees its own reports only, and never the changes its request just made.
 * Changes up to a committed head never change, so reading them outside the transaction gives what
 * reading them inside would, without holding the tracker's lock.
 */
export async function answerFeeds(
  db: Db,
  ctx: GroupContext,
  answers: readonly { job: SyncJob; own: Merged['own'] }[],
  head: number,
): Promise<{ changes: SyncResponse['changes']; cursor: string }[]> {
  const requests = answers.map(({ job, own }) => ({
    after: job.since,
    limit: SYNC_FEED_LIMIT,
    filter: { agencyId: job.caller.role === 'agency' ? job.caller.agencyId : undefined, skip: own, head },
  }));
  return readFeeds(db, ctx.trackerId, requests, ctx.shapes);
}

const idempotencyKey = (tokenId: string, key: string): string => `${tokenId}\u0000${key}`;

/**
 * The syncs of one group inside one transaction that holds the tracker's counter lock at `seq`, in
 * arrival order, as if each ran alone after the one before: the reports of all their tasks are read
 * in one statement, merged in memory, and written back (reports, history, submissions, conflicts,
 * idempotency records) in one statement each, so a group costs a few statements, not a few per
 * sync. A sync refused for its input (InputError) is refused alone, its merge undone. Returns each
 * sync's outcome and the last seq used (the caller saves the counter).
 */
export async function syncGroupInTransaction(
  trx: Db,
  ctx: GroupContext,
  jobs: readonly SyncJob[],
  seq: number,
  known: KnownReports | null = null,
): Promise<{ outcomes: Outcome<Merged>[]; seq: number; known: KnownReports }> {
  const { trackerId } = ctx;
  const at = new Date().toISOString();

  // Idempotency records of the group's keys, read at once; records the group makes join them, so a
  // request resent while its first copy waits in the same group is answered from it.
  const records = new Map<string, { requestHash: string; merged: Merged }>();
  const keys = [...new Set(jobs.flatMap((job) => (job.idempotency ? [job.idempotency.key] : [])))];
  const tokens = [...new Set(jobs.filter((job) => job.idempotency).map((job) => job.caller.tokenId))];
  for (const part of chunks(keys)) {
    // Both lists on the primary key (tracker, token, key); the few extra rows a cross of the two finds are ignored.
    const rows = await ctx.shapes.execute(trx, `idempotency.find|${tokens.length}|${part.length}`, [trackerId, ...tokens, ...part], () =>
      trx
        .selectFrom('idempotency')
        .select(['token_id', 'key', 'request_hash', 'response'])
        .where('tracker_id', '=', trackerId)
        .where('token_id', 'in', tokens)
        .where('key', 'in', part),
    );
    for (const row of rows) {
      const merged = JSON.parse(row.response) as Partial<Merged> & Omit<Merged, 'own'>;
      // Records written before the range was kept carry none: nothing to leave out.
      records.set(idempotencyKey(row.token_id, row.key), { requestHash: row.request_hash, merged: { ...merged, own: merged.own ?? { from: seq, to: seq } } });
    }
  }

  const leadsByTask = await ctx.catalogue.leadsOf(trx, trackerId);
  const agencyIds = new Set<string>();
  for (const job of jobs) {
    if (job.caller.agencyId) agencyIds.add(job.caller.agencyId);
    for (const change of job.request.changes) if (change.agencyId) agencyIds.add(change.agencyId);
  }
  const agencies = await ctx.catalogue.agenciesOf(trx, [...agencyIds]);
  const writer = new ReportWriter(trx, ctx.shapes, trackerId, seq, at, known);
  await writer.load(jobs.flatMap((job) => job.request.changes.map((c) => c.taskId)).filter((id) => leadsByTask.has(id)));
  const conflicts = new ConflictLog(trx, trackerId, at);
  const submissions: SubmissionsTable[] = [];
  const pendingConflicts: { result: Merged; by: Caller; change: SyncChange; agencyId: string; conflict: MergeResult['conflicts'][number] }[] = [];
  const replayable: { job: SyncJob; idempotency: NonNullable<SyncJob['idempotency']>; result: Merged }[] = [];

  const outcomes: Outcome<Merged>[] = [];
  for (const job of jobs) {
    try {
      const record = job.idempotency && records.get(idempotencyKey(job.caller.tokenId, job.idempotency.key));
      if (record && job.idempotency) {
        if (record.requestHash !== job.idempotency.requestHash) {
          throw new InputError(
            'Khóa Idempotency-Key này đã dùng cho một yêu cầu khác',
            'This Idempotency-Key was already used for a different request',
            'idempotency.mismatch',
            { field: 'Idempotency-Key' },
          );
        }
        outcomes.push({ ok: record.merged });
        continue;
      }
      const from = writer.lastSeq;
      const { merged, conflicted, made } = writer.atomically(() => mergeSync(job, trackerId, leadsByTask, agencies, writer, at));
      const result: Merged = { ...merged, own: { from, to: writer.lastSeq } };
      submissions.push(...made);
      for (const { change, agencyId, conflict } of conflicted) pendingConflicts.push({ result, by: job.caller, change, agencyId, conflict });
      if (job.idempotency) {
        records.set(idempotencyKey(job.caller.tokenId, job.idempotency.key), { requestHash: job.idempotency.requestHash, merged: result });
        replayable.push({ job, idempotency: job.idempotency, result });
      }
      outcomes.push({ ok: result });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      outcomes.push({ error });
    }
  }

  // Open conflicts are read once for the group, and only for the tasks of its syncs' conflicts; each
  // is matched in arrival order (an open one, or one an earlier sync of the group just opened).
  if (pendingConflicts.length) await conflicts.load(pendingConflicts.map((c) => c.change.taskId));
  for (const { result, by, change, agencyId, conflict } of pendingConflicts) {
    result.conflicts.push({ id: conflicts.record(change, agencyId, conflict, by), taskId: change.taskId, agencyId, ...conflict });
  }
  // Kept once complete, conflict ids included.
  const fresh: IdempotencyTable[] = replayable.map(({ job, idempotency, result }) => ({
    tracker_id: trackerId,
    token_id: job.caller.tokenId,
    key: idempotency.key,
    request_hash: idempotency.requestHash,
    response: JSON.stringify(result),
    created_at: at,
  }));

  await conflicts.flush();
  for (const part of chunks(submissions, 200)) await ctx.shapes.insert(trx, 'submissions', part, (values) => trx.insertInto('submissions').values(values));
  await writer.flush();
  for (const part of chunks(fresh, 200)) await ctx.shapes.insert(trx, 'idempotency', part, (values) => trx.insertInto('idempotency').values(values));
  return { outcomes, seq: writer.lastSeq, known: writer.known };
}

/**
 * One sync's merge, in memory: permissions, per-field merge, history rows, one submission per
 * reporting agency. Throws (before the caller keeps anything) when a change is based on a version
 * the report never had.
 */
function mergeSync(
  job: SyncJob,
  trackerId: string,
  leadsByTask: Map<string, LeadRef[]>,
  agencies: Map<string, AgencyRecord>,
  writer: ReportWriter,
  at: string,
): { merged: Omit<Merged, 'own'>; conflicted: { change: SyncChange; agencyId: string; conflict: MergeResult['conflicts'][number] }[]; made: SubmissionsTable[] } {
  const { caller } = job;
  const merged: Omit<Merged, 'own'> = { applied: [], conflicts: [], rejected: [] };
  const submissions = new Map<string, SubmissionsTable>();
  const conflicted: { change: SyncChange; agencyId: string; conflict: MergeResult['conflicts'][number] }[] = [];
  job.request.changes.forEach((change, i) => {
    const leads = leadsByTask.get(change.taskId);
    if (!leads) {
      merged.rejected.push({
        taskId: change.taskId,
        reason: bilingual(`Bảng theo dõi không có nhiệm vụ ${change.taskId}`, `The tracker has no task ${change.taskId}`),
      });
      return;
    }
    const agency = targetAgency(caller, change, leads, agencies);
    if ('reason' in agency) {
      merged.rejected.push({ taskId: change.taskId, reason: agency.reason });
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
      submission = { id: newId('sub'), tracker_id: trackerId, agency_id: agency.id, kind: job.submission.kind, file_name: job.submission.fileName ?? null, at };
      submissions.set(agency.id, submission);
    }
    const result = mergeReport(stored, { baseVersion: change.baseVersion, fields: change.fields, by: caller.tokenId });
    writer.record(change.taskId, agency.id, result, caller, submission.id);
    for (const conflict of result.conflicts) conflicted.push({ change, agencyId: agency.id, conflict });
    // "Applied": the report now holds at least one of the caller's values (written or already equal).
    if (result.applied.length + result.noops.length > 0) merged.applied.push({ taskId: change.taskId, version: result.report.version });
  });
  return { merged, conflicted, made: [...submissions.values()] };
}

/**
 * Closes a conflict with the caller's value, the stored one, or a new one. A value that differs from
 * the report's current one is written like any change (new version, history row); a conflict already
 * resolved is returned as it is, so a repeated request does nothing.
 */
export async function resolveInTransaction(
  trx: Db,
  shapes: QueryShapes,
  trackerId: string,
  conflictId: string,
  resolution: ConflictResolution,
  by: Caller,
): Promise<ConflictRecord> {
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
  const writer = new ReportWriter(trx, shapes, trackerId, seq, at);
  await writer.load([row.task_id]);
  const current = writer.get(row.task_id, row.agency_id);
  // The resolver's word is final: merged as a change based on the current version, so it always applies.
  const merged = mergeReport(current, { baseVersion: current.version, fields: { [field]: parsed.data }, by: by.tokenId });
  writer.record(row.task_id, row.agency_id, merged, by, null);
  await writer.flush();
  if (writer.lastSeq !== seq) await saveCounter(trx, trackerId, writer.lastSeq);
  await trx.updateTable('conflicts').set({ resolved_at: at, resolution: kind, resolved_by: by.name }).where('id', '=', conflictId).execute();
  return conflictFromRow({ ...row, resolved_at: at, resolution: kind, resolved_by: by.name });
}
