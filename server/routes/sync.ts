/**
 * The sync exchange: an agency's (or the administrator's) field changes in, the
 * merge outcome and every change since the caller's cursor out; and the change
 * feed alone for followers.
 */
import express, { Router, type Request } from 'express';
import type { AppDeps } from '../app';
import { callerOf } from '../auth';
import { ChangesQuery, IdempotencyKey } from '../../shared/api';
import { pathParam } from '../path-param';
import { badRequest } from '../errors';

/** The optional Idempotency-Key header: a replay with the same key gets the first answer. */
export function idempotencyKeyOf(req: Request): string | undefined {
  const header = req.get('idempotency-key');
  if (header === undefined) return undefined;
  const key = IdempotencyKey.safeParse(header);
  if (key.success) return key.data;
  throw badRequest(
    'request.idempotency_key',
    'Idempotency-Key không hợp lệ: 1–200 ký tự ASCII nhìn thấy được',
    'Invalid Idempotency-Key: 1–200 visible ASCII characters',
    { field: 'Idempotency-Key' },
  );
}

export function syncRoutes({ store, config }: AppDeps): Router {
  const router = Router({ mergeParams: true });
  // The JSON text as sent (same limit and charset rules as every JSON body), parsed by the store.
  const body = express.text({ type: 'application/json', limit: config.jsonLimit });

  router.post('/sync', body, async (req, res) => {
    const idempotencyKey = idempotencyKeyOf(req);
    // Not JSON by its type: an empty body, refused by the store as any body missing its changes.
    const text = typeof req.body === 'string' ? req.body : '{}';
    // The store parses and checks it against SyncRequest in its thread, with the same 400 naming the field.
    const answer = await store.syncJson(pathParam(req, 'id'), callerOf(req), text, { idempotencyKey, submission: { kind: 'sync' } });
    res.type('application/json').send(answer);
  });

  router.get('/changes', async (req, res) => {
    const query = ChangesQuery.parse(req.query);
    res.json(await store.changesSince(pathParam(req, 'id'), query.since ?? null, query.limit));
  });

  return router;
}
