/**
 * Trackers: created by the administrator from a document (multipart `file`: a
 * workbook, text, Word or PDF, read by the core), from JSON rows as a person types
 * them (read like a file's rows, see typed-rows.ts), or from JSON tasks already read
 * (with ids: what the dashboard sends once a person has checked the preview, and what
 * the add-in publishes); read by any caller. POST /preview answers the tasks a
 * document yields without creating anything.
 */
import { Router, type Request } from 'express';
import type { AgencyRegistry } from '../../shared/agencies';
import type { Diagnostic } from '../../shared/schemas';
import type { AppDeps } from '../app';
import { callerOf, requireAdmin } from '../auth';
import { CreateTrackerBody, CreateTrackerForm, CreateTrackerRows, type PreviewAnswer } from '../../shared/api';
import { pathParam } from '../path-param';
import { badRequest, notFound } from '../errors';
import { todayIn } from '../report';
import type { NewTracker } from '../store/store';
import { multipartFile, uploadedFile } from '../upload';
import type { ParsedDocument, UploadParser } from '../upload-parser';
import type { z } from 'zod';
import { tasksFromRows } from '../typed-rows';

/** Rows as typed carry no ids and their deadlines as text; tasks already read carry both. */
function isTypedRows(body: unknown): boolean {
  const tasks = (body as { tasks?: unknown } | null)?.tasks;
  return Array.isArray(tasks) && tasks.some((t) => !t || typeof t !== 'object' || !('id' in t) || typeof (t as { deadline?: unknown }).deadline === 'string');
}

export function trackerRoutes({ store, config, uploads, registry }: AppDeps & { uploads: UploadParser; registry: AgencyRegistry }): Router {
  const router = Router();
  const upload = multipartFile(config);

  /** The uploaded document and the tasks found in it (read in a reader process); a document with none is refused, naming the file. */
  async function tasksOfUpload(req: Request): Promise<{ form: z.infer<typeof CreateTrackerForm>; found: ParsedDocument }> {
    const form = CreateTrackerForm.parse(req.body ?? {});
    const file = uploadedFile(req, config);
    const found = await uploads.document(file, form.asOf ?? todayIn(config.timeZone));
    if (found.tasks.length === 0) {
      throw badRequest(
        'annex.no_tasks',
        `Không tìm thấy nhiệm vụ nào (bảng phụ lục hay đoạn giao việc) trong tệp ${file.name}`,
        `No task (annex table or assigning paragraph) found in ${file.name}`,
        { field: 'file' },
      );
    }
    return { form, found };
  }

  router.post('/preview', requireAdmin, upload, async (req, res) => {
    if (!req.is('multipart/form-data')) {
      throw badRequest('upload.missing', 'Gửi tệp văn bản trong trường “file” (multipart)', 'Send the document in the multipart field “file”', { field: 'file' });
    }
    const { found } = await tasksOfUpload(req);
    const answer: PreviewAnswer = {
      name: found.name,
      format: found.format,
      title: found.title,
      tasks: found.tasks,
      diagnostics: found.diagnostics,
      proseTasks: found.proseTasks,
    };
    res.json(answer);
  });

  router.post('/', requireAdmin, upload, async (req, res) => {
    let input: NewTracker;
    let diagnostics: Diagnostic[] | undefined;
    if (req.is('multipart/form-data')) {
      const { form, found } = await tasksOfUpload(req);
      diagnostics = found.diagnostics;
      input = {
        title: form.title || found.title || found.name,
        documentNumber: form.documentNumber ?? null,
        documentDate: form.documentDate ?? null,
        tasks: found.tasks,
      };
    } else if (isTypedRows(req.body)) {
      const body = CreateTrackerRows.parse(req.body);
      const read = tasksFromRows(body.tasks, body.asOf ?? todayIn(config.timeZone), registry);
      diagnostics = read.diagnostics;
      input = { title: body.title, documentNumber: body.documentNumber ?? null, documentDate: body.documentDate ?? null, tasks: read.tasks };
    } else {
      input = CreateTrackerBody.parse(req.body);
    }
    const tracker = await store.createTracker(input, callerOf(req));
    res.status(201).json(diagnostics ? { ...tracker, diagnostics } : tracker);
  });

  router.get('/', async (_req, res) => {
    res.json(await store.listTrackers());
  });

  router.get('/:id', async (req, res) => {
    const tracker = await store.getTracker(pathParam(req, 'id'));
    if (!tracker) throw notFound('tracker', pathParam(req, 'id'));
    res.json(tracker);
  });

  return router;
}
