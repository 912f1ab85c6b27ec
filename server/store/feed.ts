/**
 * The change feed: per-tracker sequence numbers, cursors, and reading changes after a cursor.
 *
 * A change's seq comes from the tracker's counter row, updated inside the writing transaction. The
 * row lock taken by that UPDATE is held until commit, so the next writer gets its numbers only after
 * the previous one committed: commit order = seq order, and a reader that sees seq n has every seq
 * below n visible too (a PostgreSQL sequence would not promise that). The same lock serialises the
 * writers of one tracker, which also makes their read-merge-write of reports race-free. On SQLite the
 * UPDATE as first statement takes the write lock up front (no read→write upgrade to fail).
 */
import { type Kysely, sql, SqliteAdapter } from 'kysely';
import { InputError } from '../../shared/errors';
import type { ChangeRecord } from '../../shared/schemas';
import type { Database } from './database';
import type { QueryShapes } from './query-shapes';
import { changeFromRow } from './rows';
import { NotFoundError } from './store';

export const DEFAULT_PAGE = 500;
export const MAX_PAGE = 5000;

/** A cursor is the seq of the last change seen, as a decimal string (or that number); none means the beginning. */
export function parseCursor(cursor: string | number | null | undefined): number {
  if (cursor === null || cursor === undefined || cursor === '') return 0;
  if (typeof cursor === 'number') cursor = String(cursor);
  if (!/^\d{1,15}$/.test(cursor)) {
    throw new InputError(`Con trỏ thay đổi “${cursor}” không hợp lệ`, `Invalid change cursor “${cursor}”`, 'cursor.invalid', { field: 'since' });
  }
  return Number(cursor);
}

/** Locks the tracker's counter row for this transaction and returns its current seq. */
export async function lockCounter(trx: Kysely<Database>, trackerId: string): Promise<number> {
  const row = await trx
    .updateTable('counters')
    .set((eb) => ({ seq: eb.ref('seq') }))
    .where('tracker_id', '=', trackerId)
    .returning('seq')
    .executeTakeFirst();
  if (!row) throw new NotFoundError('tracker', trackerId);
  return row.seq;
}

export async function saveCounter(trx: Kysely<Database>, trackerId: string, seq: number): Promise<void> {
  await trx.updateTable('counters').set({ seq }).where('tracker_id', '=', trackerId).execute();
}

/** Seq of the newest change, or null for an unknown tracker. */
export async function currentSeq(db: Kysely<Database>, trackerId: string): Promise<number | null> {
  const row = await db.selectFrom('counters').select('seq').where('tracker_id', '=', trackerId).executeTakeFirst();
  return row ? row.seq : null;
}

/** Which changes a reader wants; all of them by default. */
export interface FeedFilter {
  /** Only changes to this agency's reports (what an agency's copy shows). */
  agencyId?: string;
  /** Leave out seq in (from, to]: the changes the caller's own request just made, which its answer already states. */
  skip?: { from: number; to: number };
  /** The tracker's current seq, known inside a writing transaction: when the page is not full, the cursor moves up to it, past the changes filtered out. */
  head?: number;
}

/**
 * The table an agency's feed is read from. SQLite's planner, without statistics (and a service's
 * tables start empty), walks the primary key's seq range and filters the other agencies' rows out
 * of it — with a hundred agencies, a hundred times the rows read — so the agency index is named.
 */
function changesOf(db: Kysely<Database>, byAgency: boolean): 'changes' {
  if (!byAgency || !(db.getExecutor().adapter instanceof SqliteAdapter)) return 'changes';
  // Kysely takes raw SQL as the table; typed as the table it names.
  return sql`changes indexed by changes_by_agency` as unknown as 'changes';
}

/** Changes after `after`, oldest first; the cursor is the last one returned (or `after`, or the head, when the page is not full). */
export async function readChanges(
  db: Kysely<Database>,
  trackerId: string,
  after: number,
  limit = DEFAULT_PAGE,
  filter: FeedFilter = {},
  shapes?: QueryShapes,
): Promise<{ changes: ChangeRecord[]; cursor: string }> {
  const pageSize = Math.min(Math.max(1, Math.floor(limit)), MAX_PAGE);
  const head = filter.head;
  const skip = filter.skip && filter.skip.to > filter.skip.from ? filter.skip : null;
  // Own changes at the head of the feed just lower the bound; elsewhere they are cut out of the range.
  const skipAtHead = !!skip && head !== undefined && skip.to >= head;
  const upTo = head === undefined ? undefined : skipAtHead && skip ? Math.min(head, skip.from) : head;
  // Nothing can follow: no statement at all (a client already up to date, or seeing only its own changes).
  if (upTo !== undefined && after >= upTo) return { changes: [], cursor: String(Math.max(after, head ?? after)) };
  const { agencyId } = filter;
  const cut = skip && !skipAtHead ? skip : null;
  const build = () => {
    let query = db.selectFrom(changesOf(db, !!agencyId)).selectAll().where('tracker_id', '=', trackerId).where('seq', '>', after);
    if (agencyId) query = query.where('agency_id', '=', agencyId);
    if (upTo !== undefined) query = query.where('seq', '<=', upTo);
    if (cut) query = query.where((eb) => eb.or([eb('seq', '<=', cut.from), eb('seq', '>', cut.to)]));
    return query.orderBy('seq').limit(pageSize);
  };
  const parameters = [trackerId, after, ...(agencyId ? [agencyId] : []), ...(upTo !== undefined ? [upTo] : []), ...(cut ? [cut.from, cut.to] : []), pageSize];
  const rows = shapes ? await shapes.execute(db, `changes.feed|${+!!agencyId}${+(upTo !== undefined)}${+!!cut}`, parameters, build) : await build().execute();
  const changes = rows.map(changeFromRow);
  const full = changes.length === pageSize;
  const cursor = full ? changes[changes.length - 1].cursor : String(head !== undefined ? Math.max(after, head) : changes.length ? changes[changes.length - 1].cursor : after);
  return { changes, cursor };
}
