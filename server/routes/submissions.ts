/**
 * Returned tracker workbooks: an agency fills its copy in Excel and uploads it;
 * each row is matched to a task (hidden id, else STT + task text) and its
 * progress goes through the same merge as a sync.
 */
import { Router } from 'express';
import type { Caller, TaskRecord } from '../store/store';
import type { TrackerRowRead } from '../../io/tracker-workbook';
import type { ProgressFields, SyncChange } from '../../shared/schemas';
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

/**
 * The progress a row states. Blank cells say nothing (an agency that leaves a
 * cell empty has not cleared it), and "Chưa thực hiện" is what a blank status
 * reads as, so a returned sheet never clears or resets what was reported.
 */
export function statedFields(row: TrackerRowRead): ProgressFields {
  const p = row.progress;
  const fields: ProgressFields = {};
  if (p.status !== 'not_started') fields.status = p.status;
  if (p.result) fields.result = p.result;
  if (p.completedOn) fields.completedOn = p.completedOn;
  if (p.evidence) fields.evidence = p.evidence;
  if (p.note) fields.note = p.note;
  return fields;
}

/**
 * Rows → sync changes. A row finds its task by the hidden id, else by STT and
 * task text when that pair is unique in the tracker; a second row for a task
 * already taken is reported, not merged over the first.
 */
export function matchRows(
  tasks: readonly TaskRecord[],
  rows: readonly TrackerRowRead[],
  agencyId: string | undefined,
): { changes: SyncChange[]; unmatched: z.infer<typeof UnmatchedRow>[] } {
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
    const fields = statedFields(row);
    if (Object.keys(fields).length === 0) continue;
    // The sheet carries no version: 0 lets the merge keep, as conflicts, whatever someone else changed meanwhile.
    changes.push({ taskId: task.id, baseVersion: 0, fields, ...(agencyId ? { agencyId } : {}) });
  }
  return { changes, unmatched };
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
    const { rows, diagnostics } = await uploads.tracker(file);
    const { changes, unmatched } = matchRows(tracker.tasks, rows, agencyId);
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
