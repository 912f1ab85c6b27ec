/**
 * Returned tracker workbooks: an agency fills its copy in Excel and uploads it;
 * each row is matched to a task (hidden id, else STT + task text), compared with
 * what the copy was given (the export's snapshot, found by the id stamped in the
 * file; blank for a workbook made without the service), and what the copy
 * changed goes through the same merge as a sync, from the version the copy was
 * made from.
 */
import { Router } from 'express';
import type { Caller, ExportSnapshot, TaskRecord } from '../store/store';
import type { TrackerRowRead } from '../../io/tracker-workbook';
import type { Diagnostic, SyncChange } from '../../shared/schemas';
import { copyEdits } from '../merge';
import { matchKey } from '../../shared/text';
import { qualifiedStt } from '../../shared/tracker-layout';
import type { AppDeps } from '../app';
import { callerOf } from '../auth';
import { SubmissionQuery, type UnmatchedRow } from '../../shared/api';
import { pathParam } from '../path-param';
import { idempotencyKeyOf } from './sync';
import { badRequest, forbidden, notFound } from '../errors';
import { multipartFile, uploadedFile } from '../upload';
import type { UploadParser } from '../upload-parser';
import type { z } from 'zod';

const rowKey = (stt: string, task: string) => `${matchKey(stt)}\u0000${matchKey(task)}`;

/** What the copy was given: its export's snapshot, and whose report the rows are (for the versions). */
export interface CopyBase {
  snapshot: ExportSnapshot | null;
  reportingAgencyId: string;
}

/**
 * Rows → sync changes. A row finds its task by the hidden id, else by STT and
 * task text when that pair is unique in the tracker; a second row for a task
 * already taken is reported, not merged over the first. A row proposes only
 * the fields its copy changed (see copyEdits), never one whose cell could not
 * be read, based on the version of the report its copy was made from.
 */
export function matchRows(
  tasks: readonly TaskRecord[],
  rows: readonly TrackerRowRead[],
  agencyId: string | undefined,
  base: CopyBase,
  diagnostics: readonly Diagnostic[] = [],
): { changes: SyncChange[]; unmatched: z.infer<typeof UnmatchedRow>[] } {
  const unreadable = new Map<number, Set<string>>();
  for (const d of diagnostics) {
    if (d.severity !== 'error' || d.row === null || !d.field) continue;
    const set = unreadable.get(d.row) ?? new Set<string>();
    set.add(d.field);
    unreadable.set(d.row, set);
  }
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const byKey = new Map<string, TaskRecord | null>();
  for (const t of tasks) {
    // The sheet numbers a task with its section ("II.12"); an older copy by its number alone.
    for (const k of new Set([rowKey(qualifiedStt(t), t.task), rowKey(t.stt, t.task)])) byKey.set(k, byKey.has(k) ? null : t); // null: ambiguous
  }
  const taken = new Set<string>();
  const changes: SyncChange[] = [];
  const unmatched: z.infer<typeof UnmatchedRow>[] = [];
  for (const row of rows) {
    const task = (row.id ? byId.get(row.id) : undefined) ?? byKey.get(rowKey(row.stt, row.task)) ?? undefined;
    const miss = (reason: 'no_match' | 'duplicate') => unmatched.push({ row: row.row, id: row.id, stt: row.stt, task: row.task, reason });
    if (!task) {
      miss('no_match');
      continue;
    }
    if (taken.has(task.id)) {
      miss('duplicate');
      continue;
    }
    taken.add(task.id);
    const given = base.snapshot?.[task.id];
    const fields = copyEdits(row.progress, given ? given.shown : null, unreadable.get(row.row));
    if (Object.keys(fields).length === 0) continue;
    // Without a base version, 0 keeps as conflicts whatever was changed meanwhile.
    const baseVersion = given?.versions[base.reportingAgencyId] ?? 0;
    changes.push({ taskId: task.id, baseVersion, fields, ...(agencyId ? { agencyId } : {}) });
  }
  return { changes, unmatched };
}

/** A stamp the service does not know (another tracker's copy, or another service's): merged as a copy with no base. */
function unknownExport(exportId: string): Diagnostic {
  return {
    row: null,
    field: 'exportId',
    severity: 'warning',
    code: 'submission.unknown_export',
    message: `Không tìm thấy bản xuất ${exportId} của bảng theo dõi này: mọi ô đã điền được coi là thay đổi, giá trị đã đổi trên máy chủ được giữ thành xung đột`,
    messageEn: `Export ${exportId} of this tracker is unknown: every filled cell counts as a change, and values changed on the service meanwhile are kept as conflicts`,
  };
}

/** Whose report the upload is: the agency's own, or (administrator) the one named by ?agency=. */
async function reportingAgency(caller: Caller, requested: string | undefined, store: AppDeps['store']): Promise<string | undefined> {
  if (caller.role === 'agency') {
    if (requested && requested !== caller.agencyId) {
      throw forbidden('Cơ quan chỉ gửi báo cáo của chính mình', 'An agency submits only its own report');
    }
    return undefined;
  }
  if (!requested) {
    throw badRequest('submission.agency', 'Quản trị viên gửi thay cần chỉ rõ cơ quan (?agency=ID)', 'The administrator must name the agency (?agency=ID)', {
      field: 'agency',
    });
  }
  if (!(await store.getAgency(requested))) throw notFound('agency', requested);
  return requested;
}

export function submissionRoutes({ store, config, uploads }: AppDeps & { uploads: UploadParser }): Router {
  const router = Router({ mergeParams: true });

  router.post('/submissions', multipartFile(config), async (req, res) => {
    const caller = callerOf(req);
    const query = SubmissionQuery.parse(req.query);
    const agencyId = await reportingAgency(caller, query.agency, store);
    const idempotencyKey = idempotencyKeyOf(req);
    if (!req.is('multipart/form-data')) {
      throw badRequest('upload.missing', 'Hãy gửi tệp dạng multipart (trường “file”)', 'Send the file as multipart (field “file”)', { field: 'file' });
    }
    const file = uploadedFile(req, config);
    // Matching rows needs the catalogue only; the reports would cost more than the rest of the merge.
    const tracker = await store.getTracker(pathParam(req, 'id'), { reports: false });
    if (!tracker) throw notFound('tracker', pathParam(req, 'id'));
    const { rows, diagnostics, exportId } = await uploads.tracker(file);
    const snapshot = exportId ? await store.exportSnapshot(tracker.id, exportId) : null;
    if (exportId && !snapshot) diagnostics.push(unknownExport(exportId));
    const reportingAgencyId = agencyId ?? caller.agencyId ?? '';
    const { changes, unmatched } = matchRows(tracker.tasks, rows, agencyId, { snapshot, reportingAgencyId }, diagnostics);
    const answer = await store.sync(
      tracker.id,
      caller,
      { since: tracker.cursor, changes },
      { idempotencyKey, submission: { kind: 'workbook', fileName: file.name } },
    );
    res.json({ ...answer, unmatched, diagnostics });
  });

  return router;
}
