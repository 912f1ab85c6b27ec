/**
 * Trackers: created by the administrator from an annex file (multipart `file`
 * read by the core) or from JSON tasks; read by any caller.
 */
import { Router } from 'express';
import type { Diagnostic } from '../../shared/schemas';
import type { AppDeps } from '../app';
import { callerOf, requireAdmin } from '../auth';
import { CreateTrackerBody, CreateTrackerForm } from '../../shared/api';
import { pathParam } from '../path-param';
import { badRequest, notFound } from '../errors';
import { todayIn } from '../report';
import type { NewTracker } from '../store/store';
import { multipartFile, uploadedFile } from '../upload';
import type { UploadParser } from '../upload-parser';

export function trackerRoutes({ store, config, uploads }: AppDeps & { uploads: UploadParser }): Router {
  const router = Router();

  router.post('/', requireAdmin, multipartFile(config), async (req, res) => {
    let input: NewTracker;
    let diagnostics: Diagnostic[] | undefined;
    if (req.is('multipart/form-data')) {
      const form = CreateTrackerForm.parse(req.body ?? {});
      const file = uploadedFile(req, config);
      const annex = await uploads.annex(file, form.asOf ?? todayIn(config.timeZone));
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
