/**
 * The schema, as migrations defined in code and run at every start. Kysely's Migrator records what
 * ran and takes a lock (an advisory lock on PostgreSQL), so two instances starting at once are safe.
 * DDL stays portable: text, integer, composite primary keys, plain indexes (one step, 0004, is
 * PostgreSQL's alone).
 */
import { Kysely, type Migration, Migrator, PostgresAdapter, sql } from 'kysely';
import type { Database } from './database';

// Migrations see the schema as it was when they were written, not today's Database type.
type AnyDb = Kysely<unknown>;

const initial: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('agency_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();

    await db.schema
      .createTable('agencies')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('key', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('registry_id', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('trackers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('document_number', 'text')
      .addColumn('document_date', 'text')
      .addColumn('task_count', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('counters')
      .addColumn('tracker_id', 'text', (c) => c.primaryKey().references('trackers.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('tasks')
      .addColumn('tracker_id', 'text', (c) => c.notNull().references('trackers.id'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('stt', 'text', (c) => c.notNull())
      .addColumn('section', 'text')
      .addColumn('section_title', 'text')
      .addColumn('task', 'text', (c) => c.notNull())
      .addColumn('lead', 'text', (c) => c.notNull())
      .addColumn('support', 'text', (c) => c.notNull())
      .addColumn('lead_raw', 'text')
      .addColumn('support_raw', 'text')
      .addColumn('lead_refs', 'text', (c) => c.notNull())
      .addColumn('deadline', 'text', (c) => c.notNull())
      .addColumn('due', 'text')
      .addColumn('output', 'text', (c) => c.notNull())
      .addColumn('extra', 'text', (c) => c.notNull())
      .addColumn('row', 'integer')
      .addPrimaryKeyConstraint('tasks_pk', ['tracker_id', 'id'])
      .execute();

    await db.schema
      .createTable('reports')
      .addColumn('tracker_id', 'text', (c) => c.notNull())
      .addColumn('task_id', 'text', (c) => c.notNull())
      .addColumn('agency_id', 'text', (c) => c.notNull().references('agencies.id'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('result', 'text', (c) => c.notNull())
      .addColumn('completed_on', 'text')
      .addColumn('evidence', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('field_meta', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text')
      .addColumn('updated_by', 'text')
      .addPrimaryKeyConstraint('reports_pk', ['tracker_id', 'task_id', 'agency_id'])
      .addForeignKeyConstraint('reports_task_fk', ['tracker_id', 'task_id'], 'tasks', ['tracker_id', 'id'])
      .execute();

    await db.schema
      .createTable('submissions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tracker_id', 'text', (c) => c.notNull().references('trackers.id'))
      .addColumn('agency_id', 'text', (c) => c.notNull().references('agencies.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('file_name', 'text')
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('submissions_by_time').on('submissions').columns(['tracker_id', 'at']).execute();

    await db.schema
      .createTable('changes')
      .addColumn('tracker_id', 'text', (c) => c.notNull().references('trackers.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('task_id', 'text', (c) => c.notNull())
      .addColumn('agency_id', 'text', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('old_value', 'text', (c) => c.notNull())
      .addColumn('new_value', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('by_name', 'text', (c) => c.notNull())
      .addColumn('by_token', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('submission_id', 'text', (c) => c.references('submissions.id'))
      .addPrimaryKeyConstraint('changes_pk', ['tracker_id', 'seq'])
      .execute();

    await db.schema
      .createTable('conflicts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tracker_id', 'text', (c) => c.notNull().references('trackers.id'))
      .addColumn('task_id', 'text', (c) => c.notNull())
      .addColumn('agency_id', 'text', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('yours', 'text', (c) => c.notNull())
      .addColumn('theirs', 'text', (c) => c.notNull())
      .addColumn('base_version', 'integer', (c) => c.notNull())
      .addColumn('submitted_by', 'text', (c) => c.notNull())
      .addColumn('submitted_token', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('resolved_at', 'text')
      .addColumn('resolution', 'text')
      .addColumn('resolved_by', 'text')
      .execute();
    await db.schema.createIndex('conflicts_by_report').on('conflicts').columns(['tracker_id', 'task_id', 'agency_id', 'field']).execute();

    await db.schema
      .createTable('idempotency')
      .addColumn('tracker_id', 'text', (c) => c.notNull())
      .addColumn('token_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('response', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_pk', ['tracker_id', 'token_id', 'key'])
      .execute();
  },
};

/** One task's history is read by task, not by walking the whole feed. */
const changesByTask: Migration = {
  async up(db: AnyDb) {
    await db.schema.createIndex('changes_by_task').on('changes').columns(['tracker_id', 'task_id', 'seq']).execute();
  },
};

/**
 * What each exported workbook showed (export.xlsx), so a returned copy merges against the copy it
 * was given; and an agency's feed read by agency.
 */
const exportsAndAgencyFeed: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('exports')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tracker_id', 'text', (c) => c.notNull().references('trackers.id'))
      .addColumn('agency_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('snapshot', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('changes_by_agency').on('changes').columns(['tracker_id', 'agency_id', 'seq']).execute();
  },
};

/**
 * PostgreSQL checks a foreign key with a query per row written: on the change log and the reports —
 * forty and twenty rows a sync — that cost a quarter of the database's time under a hundred agencies.
 * Both are written only inside the tracker's counter-locked transaction (the counter row references
 * its tracker), for tasks the transaction has just read, by agencies and in submissions that are
 * never deleted, so there the keys only repeat what the writer already knows. SQLite checks them
 * in-process for little, and cannot drop a constraint without rebuilding its table: it keeps them.
 */
const historyWithoutKeyChecks: Migration = {
  async up(db: AnyDb) {
    if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
    await sql`alter table changes drop constraint if exists changes_tracker_id_fkey, drop constraint if exists changes_submission_id_fkey`.execute(db);
    await sql`alter table reports drop constraint if exists reports_agency_id_fkey, drop constraint if exists reports_task_fk`.execute(db);
  },
};

/**
 * A task's history is read through the agencies reporting on it (changes_by_agency), not an index
 * of its own. That index took its entries in task order — one page of it rewritten for every task a
 * commit touched, wherever it lay — and was four tenths of what a busy commit wrote (SQLite's WAL
 * pages, counted with strace: 113,000 writes a run, 69,000 without it), for a read made when one
 * person opens one task. The agency index grows at its end.
 */
const historyByAgency: Migration = {
  async up(db: AnyDb) {
    await db.schema.dropIndex('changes_by_task').ifExists().execute();
  },
};

export const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_changes_by_task': changesByTask,
  '0003_exports_and_agency_feed': exportsAndAgencyFeed,
  '0004_history_without_key_checks': historyWithoutKeyChecks,
  '0005_history_by_agency': historyByAgency,
};

export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`database migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
