/**
 * What this computer last agreed with the service about one tracker: for each
 * task, the report version and values it last saw (the "shadow"), the feed
 * cursor, and the conflicts still waiting for the user's choice. Kept in
 * localStorage, never in the workbook.
 *
 * The sheet is compared with the shadow to find the user's edits (only the
 * fields that differ are sent, with the shadow's version as baseVersion); the
 * service's answers move the shadow forward; sheet cells still equal to the old
 * shadow take the new values. A field in conflict is neither sent nor
 * overwritten until the user chooses a side.
 */
import type { ChangeRecord, Progress, SyncChange, SyncResponse } from '../../../shared/schemas';
import type { KeyValueStore, RemoteTracker } from './client';

export const PROGRESS_FIELDS = ['status', 'result', 'completedOn', 'evidence', 'note'] as const;
export type ProgressField = (typeof PROGRESS_FIELDS)[number];

export interface TaskShadow {
  version: number;
  progress: Progress;
}

/** A conflict as the pane shows it: the user's value and the service's, side by side. */
export interface LocalConflict {
  id: string;
  taskId: string;
  field: ProgressField;
  yours: unknown;
  theirs: unknown;
}

export interface SyncState {
  trackerId: string;
  /** The reporting agency (null for the administrator, who follows the merged progress). */
  agencyId: string | null;
  cursor: string | null;
  tasks: Record<string, TaskShadow>;
  conflicts: LocalConflict[];
}

/** One tracker row as read from the sheet. */
export interface SheetProgress {
  row: number;
  id: string;
  progress: Progress;
}

const BLANK: Progress = { status: 'not_started', result: '', completedOn: null, evidence: '', note: '' };
const stateKey = (trackerId: string) => `annexTracker.state.${trackerId}`;

export function loadState(storage: KeyValueStore, trackerId: string): SyncState | null {
  try {
    const raw = storage.getItem(stateKey(trackerId));
    return raw ? (JSON.parse(raw) as SyncState) : null;
  } catch {
    return null;
  }
}

export function saveState(storage: KeyValueStore, state: SyncState): void {
  storage.setItem(stateKey(state.trackerId), JSON.stringify(state));
}

/** The shadow right after pulling: the agency's own reports (the merged progress for the administrator). */
export function stateFromTracker(tracker: RemoteTracker, agencyId: string | null): SyncState {
  const tasks: Record<string, TaskShadow> = {};
  for (const task of tracker.tasks) {
    const own = agencyId ? task.reports.find((r) => r.agencyId === agencyId) : undefined;
    const source = agencyId ? own : task.overall;
    tasks[task.id] = {
      version: own ? own.version : 0,
      progress: source ? pickProgress(source) : { ...BLANK },
    };
  }
  return { trackerId: tracker.id, agencyId, cursor: tracker.cursor, tasks, conflicts: [] };
}

function pickProgress(p: Progress): Progress {
  return { status: p.status, result: p.result, completedOn: p.completedOn, evidence: p.evidence, note: p.note };
}

const inConflict = (state: SyncState, taskId: string, field: ProgressField) =>
  state.conflicts.some((c) => c.taskId === taskId && c.field === field);

/** The user's edits: the fields of each known task whose sheet value differs from the shadow, conflicts left out. */
export function diffChanges(state: SyncState, sheet: readonly SheetProgress[]): SyncChange[] {
  const changes: SyncChange[] = [];
  for (const row of sheet) {
    const shadow = state.tasks[row.id];
    if (!shadow) continue;
    const fields: Record<string, unknown> = {};
    let any = false;
    for (const f of PROGRESS_FIELDS) {
      if (row.progress[f] !== shadow.progress[f] && !inConflict(state, row.id, f)) {
        fields[f] = row.progress[f];
        any = true;
      }
    }
    if (any) changes.push({ taskId: row.id, baseVersion: shadow.version, fields });
  }
  return changes;
}

/**
 * Takes queued changes into the shadow at once, so the same edit is not queued
 * again while it waits (offline); the service's answer settles it later.
 */
export function markQueued(state: SyncState, changes: readonly SyncChange[]): void {
  for (const change of changes) {
    const shadow = state.tasks[change.taskId];
    if (shadow) shadow.progress = { ...shadow.progress, ...(change.fields as Partial<Progress>) };
  }
}

function applyRecord(state: SyncState, record: ChangeRecord): void {
  if (state.agencyId && record.agencyId !== state.agencyId) return;
  const shadow = state.tasks[record.taskId];
  if (!shadow) return;
  if (record.version >= shadow.version) shadow.version = record.version;
  // The administrator's shadow is the merged progress: several leads' records would interleave, so it follows only one-lead tasks exactly.
  (shadow.progress as Record<ProgressField, unknown>)[record.field as ProgressField] = record.newValue;
}

/**
 * Moves the shadow forward with a sync answer: versions of applied changes,
 * every change in the feed (the user's own and others'), and new conflicts,
 * whose fields take the service's value in the shadow while the sheet keeps
 * the user's until they choose.
 */
export function applyAnswer(state: SyncState, answer: SyncResponse): LocalConflict[] {
  for (const a of answer.applied) {
    const shadow = state.tasks[a.taskId];
    if (shadow && a.version > shadow.version) shadow.version = a.version;
  }
  for (const record of answer.changes) applyRecord(state, record);
  state.cursor = answer.cursor;
  const fresh: LocalConflict[] = [];
  for (const c of answer.conflicts) {
    if (state.agencyId && c.agencyId && c.agencyId !== state.agencyId) continue;
    const field = c.field as ProgressField;
    const shadow = state.tasks[c.taskId];
    if (shadow) (shadow.progress as Record<ProgressField, unknown>)[field] = c.theirs;
    const known = state.conflicts.find((k) => k.taskId === c.taskId && k.field === field);
    const conflict: LocalConflict = { id: c.id, taskId: c.taskId, field, yours: c.yours, theirs: c.theirs };
    if (known) Object.assign(known, conflict);
    else state.conflicts.push(conflict);
    fresh.push(conflict);
  }
  return fresh;
}

/** Applies a page of the change feed (GET …/changes). */
export function applyFeed(state: SyncState, feed: { changes: ChangeRecord[]; cursor: string }): void {
  for (const record of feed.changes) applyRecord(state, record);
  state.cursor = feed.cursor;
}

/**
 * The rows whose sheet cells should now show the shadow's values: every row
 * that differs, except on fields in conflict (the user's value stays in view).
 */
export function sheetUpdates(state: SyncState, sheet: readonly SheetProgress[]): { row: number; progress: Progress }[] {
  const updates: { row: number; progress: Progress }[] = [];
  for (const row of sheet) {
    const shadow = state.tasks[row.id];
    if (!shadow) continue;
    const next = { ...row.progress };
    let changed = false;
    for (const f of PROGRESS_FIELDS) {
      if (inConflict(state, row.id, f) || row.progress[f] === shadow.progress[f]) continue;
      (next as Record<ProgressField, unknown>)[f] = shadow.progress[f];
      changed = true;
    }
    if (changed) updates.push({ row: row.row, progress: next });
  }
  return updates;
}

/**
 * The user's choice on a conflict. "Keep mine" gives the change to send again
 * on top of the service's current version (the field is the caller's own
 * again, so the merge applies it); "keep the server's" gives nothing to send:
 * the shadow already holds the service's value, which sheetUpdates then writes.
 */
export function resolveLocally(state: SyncState, conflictId: string, keep: 'mine' | 'theirs'): SyncChange | null {
  const conflict = state.conflicts.find((c) => c.id === conflictId);
  if (!conflict) return null;
  state.conflicts = state.conflicts.filter((c) => c.id !== conflictId);
  if (keep === 'theirs') return null;
  const shadow = state.tasks[conflict.taskId];
  return { taskId: conflict.taskId, baseVersion: shadow ? shadow.version : 0, fields: { [conflict.field]: conflict.yours } };
}
