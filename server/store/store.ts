/**
 * What the HTTP layer asks of storage. One implementation (server/store/kysely-store.ts)
 * serves both SQLite and PostgreSQL through Kysely; routes never see SQL.
 */
import type { AgencyKind, ChangeRecord, Conflict, IsoDate, Progress, SyncRequest, SyncResponse, Task } from '../../shared/schemas';

/** Who is calling, resolved from the bearer token. */
export type Caller =
  | { role: 'admin'; tokenId: string; agencyId: string | null; name: string }
  | { role: 'agency'; tokenId: string; agencyId: string; name: string };

export interface AgencyRecord {
  id: string;
  name: string;
  /** Registry id (shared/data/agencies.json) when the name resolved, else null. */
  registryId: string | null;
  kind: AgencyKind;
  createdAt: string;
}

/** One token of an agency, as the administrator sees it (never the secret, never its hash). */
export interface TokenRecord {
  id: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface TrackerSummary {
  id: string;
  title: string;
  documentNumber: string | null;
  documentDate: IsoDate | null;
  taskCount: number;
  createdAt: string;
}

/** One lead agency's report on one task. */
export interface ReportRecord extends Progress {
  agencyId: string;
  agencyName: string;
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface TaskRecord extends Task {
  position: number;
  reports: ReportRecord[];
  /** Derived from the lead reports: done when every lead is done, completed on the latest date. */
  overall: Progress;
}

export interface TrackerRecord extends TrackerSummary {
  tasks: TaskRecord[];
  /** Cursor of the newest change: give it to changesSince to follow from here. */
  cursor: string;
}

export interface NewTracker {
  title: string;
  documentNumber?: string | null;
  documentDate?: IsoDate | null;
  tasks: Task[];
}

export interface ConflictRecord extends Conflict {
  agencyId: string;
  baseVersion: number;
  submittedBy: string;
  createdAt: string;
  resolvedAt: string | null;
  resolution: 'yours' | 'theirs' | 'value' | null;
}

export type ConflictResolution = { choose: 'yours' | 'theirs' } | { value: unknown };

/** Where a sync came from, recorded for "who reported this period, and on time". */
export interface SubmissionInfo {
  kind: 'sync' | 'workbook';
  fileName?: string;
}

/**
 * What an exported workbook showed, per task: the progress values in its cells and the version of
 * each agency's report they came from — the base a returned copy is merged against.
 */
export type ExportSnapshot = Record<string, { shown: Progress; versions: Record<string, number> }>;

export interface Store {
  /** Creates or upgrades the schema; safe to run at every start and from several instances. */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** True when the database answers from its own data (and, on SQLite, is the file that was opened). */
  ping(): Promise<boolean>;

  // tokens and agencies -------------------------------------------------------
  /** Stores the admin token's hash unless an admin token exists; true when it created one. */
  ensureAdminToken(tokenHash: string): Promise<boolean>;
  /** Makes this hash the administrator's token, replacing any other (ADMIN_TOKEN, `admin reset-token`). */
  setAdminToken(tokenHash: string): Promise<void>;
  /** Caller owning this token hash, or null (also for revoked tokens). */
  findCaller(tokenHash: string): Promise<Caller | null>;
  /**
   * Creates the agency with its first token; an agency with the same registry id / name
   * already there is returned with created: false and no token is made.
   */
  createAgency(
    input: { name: string; registryId: string | null; kind: AgencyKind },
    tokenHash: string,
  ): Promise<{ agency: AgencyRecord; created: boolean }>;
  /** The agency's tokens, oldest first (NotFoundError for an unknown agency). */
  listTokens(agencyId: string): Promise<TokenRecord[]>;
  /** A further token for the agency; with rotate, every token it had is revoked in the same transaction. */
  issueToken(agencyId: string, tokenHash: string, options?: { rotate?: boolean }): Promise<{ token: TokenRecord; revoked: number }>;
  /** Revokes one of the agency's tokens (again: no change); NotFoundError when it is not the agency's. */
  revokeToken(agencyId: string, tokenId: string): Promise<TokenRecord>;
  listAgencies(): Promise<AgencyRecord[]>;
  getAgency(id: string): Promise<AgencyRecord | null>;

  // trackers ------------------------------------------------------------------
  createTracker(input: NewTracker, by: Caller): Promise<TrackerRecord>;
  listTrackers(): Promise<TrackerSummary[]>;
  /** With reports: false, tasks come without reports (and a blank overall): enough to match rows, far cheaper on a busy tracker. */
  getTracker(id: string, options?: { reports?: boolean }): Promise<TrackerRecord | null>;

  // sync ----------------------------------------------------------------------
  /**
   * Merges the caller's changes field by field in one transaction (see server/merge.ts):
   * untouched fields merge in, a field someone else changed since baseVersion and that now
   * differs becomes a conflict (stored value kept, caller's kept in the conflict record).
   * With an idempotency key, a replay returns the first answer and changes nothing.
   */
  sync(trackerId: string, caller: Caller, request: SyncRequest, options?: { idempotencyKey?: string; submission?: SubmissionInfo }): Promise<SyncResponse>;
  /**
   * sync as HTTP carries it: the request's JSON text in, the answer's JSON text out, so that the
   * service's own thread neither parses nor serializes it, and passing it to the store's thread
   * copies one string rather than cloning an object tree (the clone cost more than the JSON).
   */
  syncJson(trackerId: string, caller: Caller, body: string, options?: { idempotencyKey?: string; submission?: SubmissionInfo }): Promise<string>;
  /** Every change after the cursor, in commit order, each exactly once. */
  changesSince(trackerId: string, cursor: string | null, limit?: number): Promise<{ changes: ChangeRecord[]; cursor: string }>;
  /** Every change of one task, oldest first (its history beside its conflicts). */
  taskHistory(trackerId: string, taskId: string): Promise<ChangeRecord[]>;
  listConflicts(trackerId: string, options?: { open?: boolean }): Promise<ConflictRecord[]>;
  resolveConflict(trackerId: string, conflictId: string, resolution: ConflictResolution, by: Caller): Promise<ConflictRecord>;
  /** Keeps what an exported copy shows; returns the export id to stamp in the file. */
  recordExport(trackerId: string, agencyId: string | null, snapshot: ExportSnapshot): Promise<string>;
  /** The snapshot of an export of this tracker, or null (unknown id, or another tracker's). */
  exportSnapshot(trackerId: string, exportId: string): Promise<ExportSnapshot | null>;
  /** Sync and workbook submissions per agency between two days (inclusive), for the monthly report. */
  submissions(trackerId: string, from: IsoDate, to: IsoDate): Promise<{ agencyId: string; at: string; kind: SubmissionInfo['kind'] }[]>;
}

/**
 * The code of the error every write meets when the SQLite file was deleted, replaced or overwritten
 * under the service (it would be acknowledged and lost); the service answers 503. On PostgreSQL a
 * lost database fails the write itself.
 */
export const FILE_CHANGED = 'STORE_FILE_CHANGED';

/** Thrown by the store for a missing tracker, task or conflict; routes turn it into 404. */
export class NotFoundError extends Error {
  constructor(readonly what: 'tracker' | 'task' | 'conflict' | 'agency' | 'token', readonly id: string) {
    super(`${what} ${id} not found`);
    this.name = 'NotFoundError';
  }
}
