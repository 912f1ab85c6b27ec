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
import type { Kysely } from 'kysely';
import { InputError } from '../../shared/errors';
import type { ChangeRecord } from '../../shared/schemas';
import type { Database } from './database';
import { changeFromRow } from './rows';
import { NotFoundError } from './store';

export const DEFAULT_PAGE = 500;
export const MAX_PAGE = 5000;

/** A cursor is the seq of the last change seen, as a decimal string; none means the beginning. */
export function parseCursor(cursor: string | null | undefined): number {
  if (cursor === null || cursor === undefined || cursor === '') return 0;
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

/** Changes after `after`, oldest first; the cursor is the last one returned (or `after` when none). */
export async function readChanges(
  db: Kysely<Database>,
  trackerId: string,
  after: number,
  limit = DEFAULT_PAGE,
): Promise<{ changes: ChangeRecord[]; cursor: string }> {
  const rows = await db
    .selectFrom('changes')
    .selectAll()
    .where('tracker_id', '=', trackerId)
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(Math.min(Math.max(1, Math.floor(limit)), MAX_PAGE))
    .execute();
  const changes = rows.map(changeFromRow);
  return { changes, cursor: changes.length ? changes[changes.length - 1].cursor : String(after) };
}
