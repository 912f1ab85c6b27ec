/**
 * Trackers: created by the administrator from an annex file (multipart `file`
 * read by the core), from JSON rows as a person types them (read like a file's
 * rows, see typed-rows.ts), or from JSON tasks already read (with ids, as the
 * add-in publishes them); read by any caller.
 */
import { Router } from 'express';
import { readGrids } from '../../io/read-grid';
import { pickAnnex } from '../../shared/annex';
import type { Diagnostic } from '../../shared/schemas';
import type { AppDeps } from '../app';
import { callerOf, requireAdmin } from '../auth';
import { CreateTrackerBody, CreateTrackerForm, CreateTrackerRows } from '../../shared/api';
import { pathParam } from '../path-param';
import { badRequest, notFound } from '../errors';
import { todayIn } from '../report';
import type { NewTracker } from '../store/store';
import { multipartFile, uploadedFile } from '../upload';
import { tasksFromRows } from '../typed-rows';

/** Rows as typed carry no ids and their deadlines as text; tasks already read carry both. */
function isTypedRows(body: unknown): boolean {
  const tasks = (body as { tasks?: unknown } | null)?.tasks;
  return Array.isArray(tasks) && tasks.some((t) => !t || typeof t !== 'object' || !('id' in t) || typeof (t as { deadline?: unknown }).deadline === 'string');
}

export function trackerRoutes({ store, config }: AppDeps): Router {
  const router = Router();

  router.post('/', requireAdmin, multipartFile(config), async (req, res) => {
    let input: NewTracker;
    let diagnostics: Diagnostic[] | undefined;
    if (req.is('multipart/form-data')) {
      const form = CreateTrackerForm.parse(req.body ?? {});
      const file = uploadedFile(req, config);
      const grids = await readGrids(file.bytes, file.name);
      const annex = pickAnnex(grids, { asOf: form.asOf ?? todayIn(config.timeZone) });
      if (annex.tasks.length === 0) {
        throw badRequest(
          'annex.no_tasks',
          `Không tìm thấy bảng nhiệm vụ (phụ lục) trong tệp ${file.name}`,
          `No task table (annex) found in ${file.name}`,
          { field: 'file' },
        );
      }
      diagnostics = annex.diagnostics;
      input = {
        title: form.title || annex.title || file.name,
        documentNumber: form.documentNumber ?? null,
        documentDate: form.documentDate ?? null,
        tasks: annex.tasks,
      };
    } else if (isTypedRows(req.body)) {
      const body = CreateTrackerRows.parse(req.body);
      const read = tasksFromRows(body.tasks, body.asOf ?? todayIn(config.timeZone));
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
