/**
 * The Store on Kysely: one implementation for SQLite and PostgreSQL. Every write is one transaction
 * that has committed when the returned promise resolves, so an answer of 200 means durable data;
 * concurrent syncs of one tracker share their transaction (group commit, see group-commit.ts).
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { type Kysely, sql } from 'kysely';
import { defaultRegistry } from '../../shared/agencies';
import { invalidInput, malformedJson } from '../../shared/validation-messages';
import { addDays } from '../../shared/dates';
import { InputError } from '../../shared/errors';
import { type ChangeRecord, type IsoDate, type SyncRequest, SyncRequest as SyncRequestSchema, type SyncResponse, Tracker } from '../../shared/schemas';
import { matchKey } from '../../shared/text';
import { type Database, type TrackersTable, openDatabase } from './database';
import { Catalogue } from './catalogue';
import { changesOf, currentSeq, DEFAULT_PAGE, lockCounter, parseCursor, readChanges, saveCounter } from './feed';
import { GroupCommit, type Outcome } from './group-commit';
import { leadIndex, type LeadResolver, overallProgress, resolveLeads } from './leads';
import { migrateToLatest } from './migrations';
import { agencyFromRow, CHANGE_COLUMNS, changeFromRow, conflictFromRow, leadRefsFromRow, reportFromRow, taskFromRow, taskToRow } from './rows';
import type {
  AgencyRecord,
  Caller,
  ConflictRecord,
  ConflictResolution,
  ExportSnapshot,
  NewTracker,
  ReportRecord,
  Store,
  SubmissionInfo,
  TaskRecord,
  TokenRecord,
  TrackerRecord,
  TrackerSummary,
} from './store';
import { FILE_CHANGED, NotFoundError } from './store';
import { QueryShapes } from './query-shapes';
import { WalSync } from './wal-sync';
import { ReportCache } from './report-cache';
import { answerFeeds, type GroupContext, type Merged, newId, resolveInTransaction, syncGroupInTransaction, type SyncJob } from './sync';

/** The administrator's token row has a fixed id, so two instances starting at once create one. */
const ADMIN_TOKEN_ID = 'admin';
const ADMIN_NAME = 'Quản trị viên';
/**
 * How long a busy tracker's next group of syncs waits for more to join it. Measured with
 * `npm run bench -- sync` on SQLite, 30 rounds with it against 20 without, in alternating runs:
 * mean 0.536× the bare handler against 0.513×, lowest round 0.47× against 0.42×.
 */
const GROUP_COLLECT_MS = 3;
/** Submission windows are days in Vietnam (UTC+7, no daylight saving); times are stored in UTC. */
const VIETNAM_OFFSET = '+07:00';

export interface StoreOptions {
  /** Resolves task leads to registry agencies (default: shared/data/agencies.json). */
  registry?: LeadResolver;
  /** PostgreSQL pool size. */
  poolSize?: number;
  /** Off: one transaction per sync, and SQLite statements prepared anew each time (to measure what each saves). */
  groupCommit?: boolean;
  statementCache?: boolean;
  /** How a group's SQLite WAL is flushed before it is answered (wal-sync.ts; tests hold it). */
  flushWal?: (file: string) => Promise<void>;
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * The SQLite file as opened: a file deleted, replaced or overwritten under a
 * running service is noticed (SQLite itself would go on writing to the
 * unlinked file, and lose it all at the next start).
 */
class SqliteFileIdentity {
  private readonly ino: number;
  private readonly dev: number;

  constructor(private readonly file: string) {
    const st = statSync(file);
    this.ino = st.ino;
    this.dev = st.dev;
  }

  intact(): boolean {
    try {
      const st = statSync(this.file);
      if (st.ino !== this.ino || st.dev !== this.dev) return false;
      const header = Buffer.alloc(SQLITE_HEADER.length);
      const fd = openSync(this.file, 'r');
      try {
        readSync(fd, header, 0, header.length, 0);
      } finally {
        closeSync(fd);
      }
      return header.equals(SQLITE_HEADER);
    } catch {
      return false;
    }
  }
}


/** The caller owning a token hash, or null (also for a revoked token). Asked on every request: compiled once (`shapes`). */
export async function callerOf(db: Kysely<Database>, shapes: QueryShapes, tokenHash: string): Promise<Caller | null> {
  const [row] = await shapes.execute(db, 'caller', [tokenHash], () =>
    db
      .selectFrom('tokens')
      .leftJoin('agencies', 'agencies.id', 'tokens.agency_id')
      .select(['tokens.id', 'tokens.role', 'tokens.agency_id', 'agencies.name'])
      .where('tokens.token_hash', '=', tokenHash)
      .where('tokens.revoked_at', 'is', null),
  );
  if (!row) return null;
  if (row.role === 'admin') return { role: 'admin', tokenId: row.id, agencyId: row.agency_id, name: row.name ?? ADMIN_NAME };
  if (!row.agency_id || !row.name) return null;
  return { role: 'agency', tokenId: row.id, agencyId: row.agency_id, name: row.name };
}

/** A sync decided and committed; its answer's feed is being read. */
interface Answered {
  merged: Merged;
  feed: Promise<Pick<SyncResponse, 'changes' | 'cursor'>>;
}

export class KyselyStore implements Store {
  private readonly registry: LeadResolver;
  private readonly catalogue = new Catalogue();
  private readonly shapes = new QueryShapes();
  /** The reports the last group of syncs of each tracker left (report-cache.ts). */
  private readonly reports = new ReportCache();
  private readonly syncs: GroupCommit<SyncJob, Answered>;

  /** Plain reads (see OpenedDatabase.reader); writes and transactions use db. */
  private readonly reader: Kysely<Database>;
  private sqliteFile: SqliteFileIdentity | null = null;
  /** SQLite in WAL mode, with group commit: a group's WAL is flushed off this thread (wal-sync.ts). */
  private walSync: WalSync | null = null;
  private readonly groupCommit: boolean;
  private readonly flushWal: StoreOptions['flushWal'];

  constructor(
    private readonly db: Kysely<Database>,
    options: StoreOptions & { reader?: Kysely<Database> } = {},
    /** The SQLite file, watched once the migrations have opened it (connections open on first use). */
    private readonly sqlitePath: string | null = null,
  ) {
    this.reader = options.reader ?? db;
    this.registry = options.registry ?? defaultRegistry;
    this.syncs = new GroupCommit((trackerId, jobs) => this.syncGroup(trackerId, jobs), options.groupCommit === false ? 1 : undefined, options.groupCommit === false ? 0 : GROUP_COLLECT_MS);
    this.groupCommit = options.groupCommit !== false;
    this.flushWal = options.flushWal;
  }

  async migrate(): Promise<void> {
    await migrateToLatest(this.db);
    if (!this.sqlitePath) return;
    this.sqliteFile = new SqliteFileIdentity(this.sqlitePath);
    // Only in WAL mode (which a file system without shared memory may refuse): a rollback journal
    // committed with synchronous=NORMAL could not be made durable by flushing a file afterwards.
    const [{ journal_mode: mode }] = (await sql<{ journal_mode: string }>`pragma journal_mode`.execute(this.db)).rows;
    if (mode === 'wal' && this.groupCommit) this.walSync = new WalSync(`${this.sqlitePath}-wal`, this.flushWal);
  }

  async close(): Promise<void> {
    if (this.reader !== this.db) await this.reader.destroy();
    await this.db.destroy();
  }

  /** False when the SQLite file is no longer the one opened (a stat and 16 bytes read). */
  private writable(): boolean {
    return this.sqliteFile?.intact() ?? true;
  }

  /**
   * Every write checks first that the SQLite file is still the one opened (a write into a file that
   * is gone would be acknowledged and lost); a group of syncs checks once, just before its commit.
   */
  private assertWritable(): void {
    if (!this.writable()) throw Object.assign(new Error(`the database file ${this.sqlitePath} was deleted, replaced or overwritten`), { code: FILE_CHANGED });
  }

  async ping(): Promise<boolean> {
    try {
      if (!this.writable()) return false;
      // A real table, not "select 1": the database must answer from its own data.
      await this.db.selectFrom('tokens').select('id').limit(1).execute();
      return true;
    } catch {
      return false;
    }
  }

  // tokens and agencies -------------------------------------------------------

  async ensureAdminToken(tokenHash: string): Promise<boolean> {
    this.assertWritable();
    const result = await this.db
      .insertInto('tokens')
      .values({ id: ADMIN_TOKEN_ID, token_hash: tokenHash, role: 'admin', agency_id: null, created_at: now(), revoked_at: null })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async setAdminToken(tokenHash: string): Promise<void> {
    this.assertWritable();
    await this.db
      .insertInto('tokens')
      .values({ id: ADMIN_TOKEN_ID, token_hash: tokenHash, role: 'admin', agency_id: null, created_at: now(), revoked_at: null })
      .onConflict((oc) => oc.column('id').doUpdateSet({ token_hash: tokenHash, created_at: now(), revoked_at: null }))
      .execute();
  }

  async findCaller(tokenHash: string): Promise<Caller | null> {
    return callerOf(this.reader, this.shapes, tokenHash);
  }

  async createAgency(
    input: { name: string; registryId: string | null; kind: AgencyRecord['kind'] },
    tokenHash: string,
  ): Promise<{ agency: AgencyRecord; created: boolean }> {
    this.assertWritable();
    const key = input.registryId ? `registry:${input.registryId}` : `name:${matchKey(input.name)}`;
    if (key === 'name:') throw new InputError('Tên cơ quan trống', 'The agency name is empty', 'agency.name', { field: 'name' });
    return this.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('agencies')
        .values({ id: newId('ag'), key, name: input.name, registry_id: input.registryId, kind: input.kind, created_at: now() })
        .onConflict((oc) => oc.column('key').doNothing())
        .executeTakeFirst();
      const created = Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
      const row = await trx.selectFrom('agencies').selectAll().where('key', '=', key).executeTakeFirstOrThrow();
      // Only a new agency gets a token here: a second token is asked for (issueToken), never a side effect.
      if (created) {
        await trx
          .insertInto('tokens')
          .values({ id: newId('tk'), token_hash: tokenHash, role: 'agency', agency_id: row.id, created_at: now(), revoked_at: null })
          .execute();
      }
      return { agency: agencyFromRow(row), created };
    });
  }

  async listTokens(agencyId: string): Promise<TokenRecord[]> {
    if (!(await this.getAgency(agencyId))) throw new NotFoundError('agency', agencyId);
    const rows = await this.db
      .selectFrom('tokens')
      .select(['id', 'created_at', 'revoked_at'])
      .where('agency_id', '=', agencyId)
      .where('role', '=', 'agency')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(tokenFromRow);
  }

  async issueToken(agencyId: string, tokenHash: string, options: { rotate?: boolean } = {}): Promise<{ token: TokenRecord; revoked: number }> {
    this.assertWritable();
    return this.db.transaction().execute(async (trx) => {
      const agency = await trx.selectFrom('agencies').select('id').where('id', '=', agencyId).executeTakeFirst();
      if (!agency) throw new NotFoundError('agency', agencyId);
      const at = now();
      let revoked = 0;
      if (options.rotate) {
        const result = await trx
          .updateTable('tokens')
          .set({ revoked_at: at })
          .where('agency_id', '=', agencyId)
          .where('role', '=', 'agency')
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        revoked = Number(result.numUpdatedRows);
      }
      const id = newId('tk');
      await trx.insertInto('tokens').values({ id, token_hash: tokenHash, role: 'agency', agency_id: agencyId, created_at: at, revoked_at: null }).execute();
      return { token: { id, createdAt: at, revokedAt: null }, revoked };
    });
  }

  async revokeToken(agencyId: string, tokenId: string): Promise<TokenRecord> {
    this.assertWritable();
    await this.db
      .updateTable('tokens')
      .set({ revoked_at: now() })
      .where('id', '=', tokenId)
      .where('agency_id', '=', agencyId)
      .where('role', '=', 'agency')
      .where('revoked_at', 'is', null)
      .execute();
    const row = await this.db
      .selectFrom('tokens')
      .select(['id', 'created_at', 'revoked_at'])
      .where('id', '=', tokenId)
      .where('agency_id', '=', agencyId)
      .where('role', '=', 'agency')
      .executeTakeFirst();
    if (!row) throw new NotFoundError('token', tokenId);
    return tokenFromRow(row);
  }

  async listAgencies(): Promise<AgencyRecord[]> {
    const rows = await this.reader.selectFrom('agencies').selectAll().orderBy('name').orderBy('id').execute();
    return rows.map(agencyFromRow);
  }

  async getAgency(id: string): Promise<AgencyRecord | null> {
    const row = await this.reader.selectFrom('agencies').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? agencyFromRow(row) : null;
  }

  // trackers ------------------------------------------------------------------

  async createTracker(input: NewTracker, by: Caller): Promise<TrackerRecord> {
    this.assertWritable();
    const tracker = validTracker(input);
    const id = newId('tr');
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('trackers')
        .values({
          id,
          title: tracker.title,
          document_number: tracker.documentNumber ?? null,
          document_date: tracker.documentDate ?? null,
          task_count: tracker.tasks.length,
          created_at: now(),
          created_by: by.name,
        })
        .execute();
      await trx.insertInto('counters').values({ tracker_id: id, seq: 0 }).execute();
      const rows = tracker.tasks.map((task, i) => taskToRow(id, task, i + 1, resolveLeads(task.lead, this.registry)));
      for (let i = 0; i < rows.length; i += 100) await trx.insertInto('tasks').values(rows.slice(i, i + 100)).execute();
    });
    const created = await this.getTracker(id);
    if (!created) throw new NotFoundError('tracker', id);
    return created;
  }

  async listTrackers(): Promise<TrackerSummary[]> {
    const rows = await this.reader.selectFrom('trackers').selectAll().orderBy('created_at', 'desc').orderBy('id').execute();
    return rows.map(summaryFromRow);
  }

  /**
   * The cursor is read before the reports: a client may then see again a change already in this
   * snapshot, but never miss one committed in between.
   */
  async getTracker(id: string, options: { reports?: boolean } = {}): Promise<TrackerRecord | null> {
    const seq = await currentSeq(this.reader, id);
    const tracker = await this.reader.selectFrom('trackers').selectAll().where('id', '=', id).executeTakeFirst();
    if (seq === null || !tracker) return null;
    const taskRows = await this.reader.selectFrom('tasks').selectAll().where('tracker_id', '=', id).orderBy('position').execute();
    const reportRows = options.reports === false ? [] : await this.reader
      .selectFrom('reports')
      .innerJoin('agencies', 'agencies.id', 'reports.agency_id')
      .selectAll('reports')
      .select(['agencies.name as agency_name', 'agencies.registry_id as agency_registry_id', 'agencies.kind as agency_kind'])
      .where('reports.tracker_id', '=', id)
      .execute();
    const byTask = new Map<string, typeof reportRows>();
    for (const row of reportRows) {
      const list = byTask.get(row.task_id);
      if (list) list.push(row);
      else byTask.set(row.task_id, [row]);
    }

    const tasks: TaskRecord[] = taskRows.map((row) => {
      const leads = leadRefsFromRow(row);
      const reports = (byTask.get(row.id) ?? []).map((r) => ({
        record: reportFromRow(r),
        agency: { name: r.agency_name, registryId: r.agency_registry_id, kind: r.agency_kind as AgencyRecord['kind'] },
      }));
      reports.sort((a, b) => leadIndex(leads, a.agency) - leadIndex(leads, b.agency) || a.agency.name.localeCompare(b.agency.name, 'vi'));
      const records: ReportRecord[] = reports.map((r) => r.record);
      return {
        ...taskFromRow(row),
        position: row.position,
        reports: records,
        overall: overallProgress(
          leads,
          reports.map((r) => ({ agency: r.agency, progress: r.record })),
        ),
      };
    });
    return { ...summaryFromRow(tracker), tasks, cursor: String(seq) };
  }

  // sync ----------------------------------------------------------------------

  async sync(
    trackerId: string,
    caller: Caller,
    request: SyncRequest,
    options: { idempotencyKey?: string; submission?: SubmissionInfo } = {},
  ): Promise<SyncResponse> {
    // Checked here, where it runs off the service's event loop, and only here (the route passes the body on).
    const parsed = SyncRequestSchema.safeParse(request);
    if (!parsed.success) throw invalidInput(parsed.error);
    const since = parseCursor(parsed.data.since);
    const key = options.idempotencyKey;
    // A retry must carry the same changes; its `since` may have moved on.
    const idempotency = key ? { key, requestHash: createHash('sha256').update(JSON.stringify(parsed.data.changes)).digest('hex') } : null;
    const job: SyncJob = { caller, request: parsed.data, since, idempotency, submission: options.submission ?? { kind: 'sync' } };
    const { merged, feed } = await this.syncs.submit(trackerId, job);
    return { applied: merged.applied, conflicts: merged.conflicts, rejected: merged.rejected, ...(await feed) };
  }

  async syncJson(trackerId: string, caller: Caller, body: string, options: { idempotencyKey?: string; submission?: SubmissionInfo } = {}): Promise<string> {
    let request: unknown;
    try {
      request = JSON.parse(body);
    } catch {
      throw malformedJson();
    }
    // Checked by sync, with the same 400 naming the field as any body.
    return JSON.stringify(await this.sync(trackerId, caller, request as SyncRequest, options));
  }

  /**
   * A group of syncs in one transaction, in arrival order (see syncGroupInTransaction). Their answers'
   * feeds are read in one statement once it has committed, while the next group already runs. A
   * sync refused for its input is refused alone; any other failure rolls the group back and its syncs
   * run again one by one, so only the faulty one fails.
   */
  private async syncGroup(trackerId: string, jobs: SyncJob[]): Promise<Outcome<Answered>[]> {
    const ctx: GroupContext = { trackerId, catalogue: this.catalogue, shapes: this.shapes };
    let done: Awaited<ReturnType<typeof syncGroupInTransaction>>;
    const inTransaction = (db: Kysely<Database>) =>
      db.transaction().execute(async (trx) => {
        const start = await lockCounter(trx, trackerId);
        const group = await syncGroupInTransaction(trx, ctx, jobs, start, this.reports.take(trackerId, start));
        if (group.seq !== start) await saveCounter(trx, trackerId, group.seq);
        this.assertWritable();
        return group;
      });
    let durable: Promise<void> = Promise.resolve();
    try {
      if (this.walSync) {
        const walSync = this.walSync;
        // The connection held from the pragma to its reset, so no other write commits unflushed.
        done = await this.db.connection().execute(async (conn) => {
          await sql`pragma synchronous = NORMAL`.execute(conn);
          try {
            return await inTransaction(conn);
          } finally {
            await sql`pragma synchronous = FULL`.execute(conn);
          }
        });
        durable = walSync.flush();
      } else {
        done = await inTransaction(this.db);
      }
    } catch (error) {
      if (jobs.length === 1) return [{ error }];
      const outcomes: Outcome<Answered>[] = [];
      for (const job of jobs) outcomes.push(...(await this.syncGroup(trackerId, [job])));
      return outcomes;
    }
    this.reports.keep(trackerId, done.seq, done.known);
    const answered = done.outcomes.flatMap((outcome, i) => ('ok' in outcome ? [{ job: jobs[i], own: outcome.ok.own }] : []));
    const feeds = answerFeeds(this.reader, ctx, answered, done.seq);
    // Each sync awaits its own feed; a failed read fails those syncs, not the process.
    feeds.catch(() => undefined);
    durable.catch(() => undefined);
    let k = 0;
    return done.outcomes.map((outcome) => {
      if (!('ok' in outcome)) return outcome;
      const index = k++;
      return { ok: { merged: outcome.ok, feed: Promise.all([feeds, durable]).then(([all]) => all[index]) } };
    });
  }

  async changesSince(trackerId: string, cursor: string | null, limit = DEFAULT_PAGE): Promise<{ changes: ChangeRecord[]; cursor: string }> {
    const after = parseCursor(cursor);
    if ((await currentSeq(this.reader, trackerId)) === null) throw new NotFoundError('tracker', trackerId);
    return readChanges(this.reader, trackerId, after, limit);
  }

  async taskHistory(trackerId: string, taskId: string): Promise<ChangeRecord[]> {
    if ((await currentSeq(this.reader, trackerId)) === null) throw new NotFoundError('tracker', trackerId);
    // Through the agencies reporting on the task: the change log has no index by task (migration 0005).
    const rows = await this.reader
      .selectFrom(changesOf(this.reader, true))
      .select(CHANGE_COLUMNS)
      .where('tracker_id', '=', trackerId)
      .where('agency_id', 'in', (q) => q.selectFrom('reports').select('agency_id').where('tracker_id', '=', trackerId).where('task_id', '=', taskId))
      .where('task_id', '=', taskId)
      .orderBy('seq')
      .execute();
    return rows.map(changeFromRow);
  }

  async listConflicts(trackerId: string, options: { open?: boolean } = {}): Promise<ConflictRecord[]> {
    if ((await currentSeq(this.reader, trackerId)) === null) throw new NotFoundError('tracker', trackerId);
    let query = this.reader.selectFrom('conflicts').selectAll().where('tracker_id', '=', trackerId);
    if (options.open) query = query.where('resolved_at', 'is', null);
    const rows = await query.orderBy('created_at').orderBy('id').execute();
    return rows.map(conflictFromRow);
  }

  async resolveConflict(trackerId: string, conflictId: string, resolution: ConflictResolution, by: Caller): Promise<ConflictRecord> {
    this.assertWritable();
    return this.db.transaction().execute((trx) => resolveInTransaction(trx, this.shapes, trackerId, conflictId, resolution, by));
  }

  async recordExport(trackerId: string, agencyId: string | null, snapshot: ExportSnapshot): Promise<string> {
    this.assertWritable();
    const id = newId('ex');
    await this.db.insertInto('exports').values({ id, tracker_id: trackerId, agency_id: agencyId, created_at: now(), snapshot: JSON.stringify(snapshot) }).execute();
    return id;
  }

  async exportSnapshot(trackerId: string, exportId: string): Promise<ExportSnapshot | null> {
    const row = await this.reader.selectFrom('exports').select('snapshot').where('id', '=', exportId).where('tracker_id', '=', trackerId).executeTakeFirst();
    return row ? (JSON.parse(row.snapshot) as ExportSnapshot) : null;
  }

  async submissions(trackerId: string, from: IsoDate, to: IsoDate): Promise<{ agencyId: string; at: string; kind: SubmissionInfo['kind'] }[]> {
    if ((await currentSeq(this.reader, trackerId)) === null) throw new NotFoundError('tracker', trackerId);
    const start = new Date(`${from}T00:00:00${VIETNAM_OFFSET}`).toISOString();
    const end = new Date(`${addDays(to, 1)}T00:00:00${VIETNAM_OFFSET}`).toISOString();
    const rows = await this.reader
      .selectFrom('submissions')
      .select(['agency_id', 'at', 'kind'])
      .where('tracker_id', '=', trackerId)
      .where('at', '>=', start)
      .where('at', '<', end)
      .orderBy('at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ agencyId: r.agency_id, at: r.at, kind: r.kind as SubmissionInfo['kind'] }));
  }
}

const now = (): string => new Date().toISOString();

const tokenFromRow = (row: { id: string; created_at: string; revoked_at: string | null }): TokenRecord => ({
  id: row.id,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

function summaryFromRow(row: Omit<TrackersTable, 'created_by'>): TrackerSummary {
  return {
    id: row.id,
    title: row.title,
    documentNumber: row.document_number,
    documentDate: row.document_date,
    taskCount: row.task_count,
    createdAt: row.created_at,
  };
}

/** Checks a new tracker the way the API would (the store may be called directly too); task ids must be unique. */
function validTracker(input: NewTracker): NewTracker {
  const parsed = Tracker.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.map(String).join('.');
    throw new InputError(`Bảng theo dõi không hợp lệ (${field}): ${issue.message}`, `Invalid tracker (${field}): ${issue.message}`, 'tracker.invalid', { field });
  }
  const seen = new Set<string>();
  parsed.data.tasks.forEach((task, i) => {
    if (seen.has(task.id)) {
      throw new InputError(`Nhiệm vụ thứ ${i + 1} trùng mã “${task.id}”`, `Task ${i + 1} repeats the id “${task.id}”`, 'tracker.duplicate_task', {
        field: `tasks.${i}.id`,
      });
    }
    seen.add(task.id);
  });
  if (!parsed.data.title.trim()) throw new InputError('Thiếu tiêu đề', 'The title is missing', 'tracker.title', { field: 'title' });
  return parsed.data;
}

/** Opens the database named by a URL ('postgres://…') or a SQLite file path, brings its schema up to date, and returns the store. */
export async function openStore(url: string | { sqliteFile: string }, options: StoreOptions = {}): Promise<Store> {
  const { db, reader, dialect } = openDatabase(url, { poolSize: options.poolSize, statementCache: options.statementCache });
  const file = dialect === 'sqlite' ? (typeof url === 'string' ? url : url.sqliteFile) : null;
  const store = new KyselyStore(db, { ...options, reader }, file);
  try {
    await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
