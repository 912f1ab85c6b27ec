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
import { type Kysely, type SelectQueryBuilder, sql, SqliteAdapter } from 'kysely';
import { InputError } from '../../shared/errors';
import type { ChangeRecord } from '../../shared/schemas';
import type { Database } from './database';
import type { QueryShapes } from './query-shapes';
import { CHANGE_COLUMNS, changeFromRow, type ChangeRow } from './rows';
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
 * The table an agency's changes are read from (its feed, a task's history). SQLite's planner, without statistics (and a service's
 * tables start empty), walks the primary key's seq range and filters the other agencies' rows out
 * of it — with a hundred agencies, a hundred times the rows read — so the agency index is named.
 */
export function changesOf(db: Kysely<Database>, byAgency: boolean): 'changes' {
  if (!byAgency || !(db.getExecutor().adapter instanceof SqliteAdapter)) return 'changes';
  // Kysely takes raw SQL as the table; typed as the table it names.
  return sql`changes indexed by changes_by_agency` as unknown as 'changes';
}

/** One reader's page: its answer at once when nothing can follow, else its statement and how to read its rows. */
type FeedPlan =
  | { done: { changes: ChangeRecord[]; cursor: string } }
  | {
      build: () => SelectQueryBuilder<Database, 'changes', ChangeRow>;
      parameters: unknown[];
      shape: string;
      finish(rows: ChangeRow[]): { changes: ChangeRecord[]; cursor: string };
    };

function planFeed(db: Kysely<Database>, trackerId: string, after: number, limit: number, filter: FeedFilter): FeedPlan {
  const pageSize = Math.min(Math.max(1, Math.floor(limit)), MAX_PAGE);
  const head = filter.head;
  const skip = filter.skip && filter.skip.to > filter.skip.from ? filter.skip : null;
  // Own changes at the head of the feed just lower the bound; elsewhere they are cut out of the range.
  const skipAtHead = !!skip && head !== undefined && skip.to >= head;
  const upTo = head === undefined ? undefined : skipAtHead && skip ? Math.min(head, skip.from) : head;
  // Nothing can follow: no statement at all (a client already up to date, or seeing only its own changes).
  if (upTo !== undefined && after >= upTo) return { done: { changes: [], cursor: String(Math.max(after, head ?? after)) } };
  const { agencyId } = filter;
  const cut = skip && !skipAtHead ? skip : null;
  return {
    build: () => {
      let query = db.selectFrom(changesOf(db, !!agencyId)).select(CHANGE_COLUMNS).where('tracker_id', '=', trackerId).where('seq', '>', after);
      if (agencyId) query = query.where('agency_id', '=', agencyId);
      if (upTo !== undefined) query = query.where('seq', '<=', upTo);
      if (cut) query = query.where((eb) => eb.or([eb('seq', '<=', cut.from), eb('seq', '>', cut.to)]));
      return query.orderBy('seq').limit(pageSize);
    },
    parameters: [trackerId, after, ...(agencyId ? [agencyId] : []), ...(upTo !== undefined ? [upTo] : []), ...(cut ? [cut.from, cut.to] : []), pageSize],
    shape: `${+!!agencyId}${+(upTo !== undefined)}${+!!cut}`,
    finish: (rows) => {
      const changes = rows.map(changeFromRow);
      const full = changes.length === pageSize;
      const cursor = full ? changes[changes.length - 1].cursor : String(head !== undefined ? Math.max(after, head) : changes.length ? changes[changes.length - 1].cursor : after);
      return { changes, cursor };
    },
  };
}

/** Changes after `after`, oldest first; the cursor is the last one returned (or `after`, or the head, when the page is not full). */
export async function readChanges(
  db: Kysely<Database>,
  trackerId: string,
  after: number,
  limit = DEFAULT_PAGE,
  filter: FeedFilter = {},
): Promise<{ changes: ChangeRecord[]; cursor: string }> {
  const plan = planFeed(db, trackerId, after, limit, filter);
  return 'done' in plan ? plan.done : plan.finish(await plan.build().execute());
}

/** One page asked for by readFeeds. */
export interface FeedRequest {
  after: number;
  limit: number;
  filter: FeedFilter;
}

/**
 * Several readers' pages of one tracker in one statement — the answers of a group of syncs: each
 * page's query, as readChanges would run it, joined by UNION ALL and told apart by its number.
 */
export async function readFeeds(db: Kysely<Database>, trackerId: string, requests: readonly FeedRequest[], shapes: QueryShapes): Promise<{ changes: ChangeRecord[]; cursor: string }[]> {
  const plans = requests.map((r) => planFeed(db, trackerId, r.after, r.limit, r.filter));
  const queried = plans.flatMap((plan, page) => ('done' in plan ? [] : [{ plan, page }]));
  const rowsByPage = new Map<number, ChangeRow[]>(queried.map(({ page }) => [page, []]));
  if (queried.length) {
    const build = () =>
      queried
        .map(({ plan, page }) => db.selectFrom(plan.build().as('f')).selectAll('f').select(sql.lit(page).as('page')))
        .reduce((all, next) => all.unionAll(next));
    const parameters = queried.flatMap(({ plan }) => plan.parameters);
    const shape = `changes.feeds|${queried.map(({ plan, page }) => `${page}:${plan.shape}`).join(',')}`;
    for (const row of await shapes.execute(db, shape, parameters, build)) rowsByPage.get(Number(row.page))?.push(row);
  }
  return plans.map((plan, page) => {
    if ('done' in plan) return plan.done;
    // A compound statement's rows come in no promised order: each page in seq order again.
    const rows = (rowsByPage.get(page) ?? []).sort((a, b) => a.seq - b.seq);
    return plan.finish(rows);
  });
}
