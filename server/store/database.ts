/**
 * Opens the one query layer (Kysely) on SQLite or PostgreSQL, and declares the tables' row types.
 * Portable column types only: text ids, integer versions and counters, ISO timestamps as text,
 * JSON as text — so both databases store and return the same values.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { Pool } from 'pg';

export interface TokensTable {
  id: string;
  token_hash: string;
  role: 'admin' | 'agency';
  agency_id: string | null;
  created_at: string;
  revoked_at: string | null;
}

export interface AgenciesTable {
  id: string;
  /** Dedup key: "registry:<id>" for registry agencies, "name:<matchKey>" otherwise. */
  key: string;
  name: string;
  registry_id: string | null;
  kind: string;
  created_at: string;
}

export interface TrackersTable {
  id: string;
  title: string;
  document_number: string | null;
  document_date: string | null;
  task_count: number;
  created_at: string;
  created_by: string;
}

export interface TasksTable {
  tracker_id: string;
  id: string;
  position: number;
  stt: string;
  section: string | null;
  section_title: string | null;
  task: string;
  /** JSON string[]. */
  lead: string;
  /** JSON string[]. */
  support: string;
  lead_raw: string | null;
  support_raw: string | null;
  /** JSON LeadRef[]: the leads resolved through the registry at creation. */
  lead_refs: string;
  /** JSON Deadline. */
  deadline: string;
  due: string | null;
  output: string;
  /** JSON Record<string, string>. */
  extra: string;
  row: number | null;
}

export interface ReportsTable {
  tracker_id: string;
  task_id: string;
  agency_id: string;
  status: string;
  result: string;
  completed_on: string | null;
  evidence: string;
  note: string;
  version: number;
  /** JSON {field: {version, by: tokenId}}. */
  field_meta: string;
  updated_at: string | null;
  updated_by: string | null;
}

export interface ChangesTable {
  tracker_id: string;
  seq: number;
  task_id: string;
  agency_id: string;
  field: string;
  /** JSON values. */
  old_value: string;
  new_value: string;
  version: number;
  /** Caller's display name and token id. */
  by_name: string;
  by_token: string;
  at: string;
  submission_id: string | null;
}

export interface CountersTable {
  tracker_id: string;
  seq: number;
}

export interface ConflictsTable {
  id: string;
  tracker_id: string;
  task_id: string;
  agency_id: string;
  field: string;
  /** JSON values. */
  yours: string;
  theirs: string;
  base_version: number;
  submitted_by: string;
  submitted_token: string;
  created_at: string;
  resolved_at: string | null;
  resolution: string | null;
  resolved_by: string | null;
}

export interface IdempotencyTable {
  tracker_id: string;
  token_id: string;
  key: string;
  request_hash: string;
  /** JSON SyncResponse, returned as is on replay. */
  response: string;
  created_at: string;
}

export interface ExportsTable {
  id: string;
  tracker_id: string;
  /** The agency whose own reports the copy showed; null for the merged progress. */
  agency_id: string | null;
  created_at: string;
  /** JSON ExportSnapshot. */
  snapshot: string;
}

export interface SubmissionsTable {
  id: string;
  tracker_id: string;
  agency_id: string;
  kind: string;
  file_name: string | null;
  at: string;
}

export interface Database {
  tokens: TokensTable;
  agencies: AgenciesTable;
  trackers: TrackersTable;
  tasks: TasksTable;
  reports: ReportsTable;
  changes: ChangesTable;
  counters: CountersTable;
  conflicts: ConflictsTable;
  idempotency: IdempotencyTable;
  submissions: SubmissionsTable;
  exports: ExportsTable;
}

export type Dialect = 'sqlite' | 'postgres';

export interface OpenedDatabase {
  /** Writes (every transaction) go here. */
  db: Kysely<Database>;
  /**
   * Plain reads. On SQLite a second connection (WAL lets it read the last commit while a write
   * transaction is open), so a request's token lookup does not wait behind a group of syncs — and
   * can join the next one. On PostgreSQL the same pool.
   */
  reader: Kysely<Database>;
  dialect: Dialect;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** Statements kept prepared per connection; past this the cache starts afresh (IN lists of odd sizes). */
const STATEMENTS_KEPT = 500;

/**
 * Kysely prepares every query anew; the same few statements run on every sync, so each SQL text is
 * prepared once and reused. Safe because Kysely runs one statement at a time on the connection and
 * never leaves one iterating.
 */
function cachePreparedStatements(database: SqliteDatabase.Database): void {
  const prepare = database.prepare.bind(database);
  const cache = new Map<string, SqliteDatabase.Statement>();
  database.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (!statement) {
      if (cache.size >= STATEMENTS_KEPT) cache.clear();
      statement = prepare(source);
      cache.set(source, statement);
    }
    return statement;
  }) as typeof database.prepare;
}

/**
 * A 'postgres://…' URL opens a pg pool; anything else is a SQLite file path (its folder is created).
 * SQLite runs in WAL mode with synchronous=FULL, so a committed transaction survives a crash of the
 * process or the machine; busy_timeout lets a second process wait for the write lock.
 */
export function openDatabase(target: string | { sqliteFile: string }, options: { poolSize?: number; statementCache?: boolean } = {}): OpenedDatabase {
  const url = typeof target === 'string' ? target : null;
  if (url && isPostgresUrl(url)) {
    const pool = new Pool({ connectionString: url, max: options.poolSize ?? 10 });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, reader: db, dialect: 'postgres' };
  }
  const file = typeof target === 'string' ? target : target.sqliteFile;
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const connect = (): SqliteDatabase.Database => {
    const database = new SqliteDatabase(file);
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = FULL');
    database.pragma('foreign_keys = ON');
    database.pragma('busy_timeout = 10000');
    // A checkpoint runs in the committing connection, on the store's thread, with two fsyncs: every
    // 4,000 pages (16 MB of WAL) rather than SQLite's 1,000, a bench run's fsyncs fell from 78 to 44
    // (counted with strace), and a checkpoint copies once a page that several commits rewrote.
    database.pragma('wal_autocheckpoint = 4000');
    if (options.statementCache !== false) cachePreparedStatements(database);
    return database;
  };
  // Opened on first use: Kysely closes only a connection it has opened itself, and a reader that was
  // never used would otherwise keep the file open after close (its WAL never checkpointed).
  const dialect = () => new SqliteDialect({ database: async () => connect() });
  return { db: new Kysely<Database>({ dialect: dialect() }), reader: new Kysely<Database>({ dialect: dialect() }), dialect: 'sqlite' };
}
