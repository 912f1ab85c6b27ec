/**
 * The parts of a sync's input that never change once written — a tracker's task leads (fixed when
 * the tracker is created) and the agencies (created, never edited) — read from the database once
 * per process and then from memory, so a sync spends no statement on them. Safe with several
 * instances for the same reason: nothing here is ever updated.
 */
import type { Kysely } from 'kysely';
import type { Database } from './database';
import type { LeadRef } from './leads';
import { agencyFromRow, leadRefsFromRow } from './rows';
import type { AgencyRecord } from './store';

/** Trackers whose leads are kept; the least recently loaded goes first. */
const TRACKERS_KEPT = 16;
/** Rows per IN list, well under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

export class Catalogue {
  private readonly leads = new Map<string, Map<string, LeadRef[]>>();
  private readonly agencies = new Map<string, AgencyRecord>();

  /** The leads of every task of the tracker, by task id (a task missing from the map is not in the tracker). */
  async leadsOf(db: Kysely<Database>, trackerId: string): Promise<Map<string, LeadRef[]>> {
    const known = this.leads.get(trackerId);
    if (known) return known;
    const rows = await db.selectFrom('tasks').select(['id', 'lead_refs']).where('tracker_id', '=', trackerId).execute();
    const byTask = new Map(rows.map((row) => [row.id, leadRefsFromRow(row)] as const));
    // An unknown tracker is not remembered: it may be created later.
    if (rows.length > 0) {
      if (this.leads.size >= TRACKERS_KEPT) this.leads.delete(this.leads.keys().next().value as string);
      this.leads.set(trackerId, byTask);
    }
    return byTask;
  }

  async agenciesOf(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, AgencyRecord>> {
    const missing = ids.filter((id) => !this.agencies.has(id));
    for (let i = 0; i < missing.length; i += CHUNK) {
      const rows = await db.selectFrom('agencies').selectAll().where('id', 'in', missing.slice(i, i + CHUNK)).execute();
      for (const row of rows) this.agencies.set(row.id, agencyFromRow(row));
    }
    const out = new Map<string, AgencyRecord>();
    for (const id of ids) {
      const agency = this.agencies.get(id);
      if (agency) out.set(id, agency);
    }
    return out;
  }
}
