/**
 * The reports a tracker's last group of syncs read and wrote, kept in memory with the tracker's seq
 * as that group committed it. The next group, once it holds the tracker's counter lock, finds the seq
 * unchanged when nobody has written since — in this process or another instance — and takes its
 * reports from here rather than reading them again (a tenth of the store's time under a hundred
 * agencies: every group read back the rows the previous one had just written).
 *
 * Why an unchanged seq proves the reports unchanged: reports are written only by ReportWriter
 * (sync.ts), which writes a report only with a history row for each field it changed, each taking
 * the next seq, saved in the counter in the same transaction; and no report is ever deleted.
 *
 * A group takes the tracker's entry out while it runs and puts it back only after its commit, so a
 * group that fails leaves nothing behind: the next one reads from the database.
 */
import type { StoredReport } from '../merge';

/** A report as a group left it, with what ReportWriter keeps beside it. */
export interface ReportEntry {
  report: StoredReport;
  /** Changed by this group, to be written. */
  dirty: boolean;
  taskId: string;
  agencyId: string;
  /** Who wrote it last (a report loaded and not written: nobody). */
  by?: string;
}

/** A tracker's reports as known: every report of the `loaded` tasks, by ReportWriter's key. */
export interface KnownReports {
  reports: Map<string, ReportEntry>;
  loaded: Set<string>;
}

/** Trackers whose reports are kept; the least recently kept goes first. */
const TRACKERS_KEPT = 16;

export class ReportCache {
  private readonly trackers = new Map<string, KnownReports & { seq: number }>();

  /** The tracker's reports if they are those of `seq` (its counter, read under the lock); taken out either way. */
  take(trackerId: string, seq: number): KnownReports | null {
    const known = this.trackers.get(trackerId);
    this.trackers.delete(trackerId);
    return known && known.seq === seq ? known : null;
  }

  /** Keeps what a committed group knows, as of the seq it committed. */
  keep(trackerId: string, seq: number, known: KnownReports): void {
    for (const entry of known.reports.values()) entry.dirty = false;
    if (this.trackers.size >= TRACKERS_KEPT) this.trackers.delete(this.trackers.keys().next().value as string);
    this.trackers.set(trackerId, { ...known, seq });
  }
}
