/**
 * Conflicts kept by the merge: listed for any caller (an agency sees its own),
 * resolved by the administrator by choosing a side or giving the value.
 */
import { Router } from 'express';
import type { AppDeps } from '../app';
import { callerOf, requireAdmin } from '../auth';
import { ConflictsQuery, ResolveConflictBody } from '../../shared/api';
import { pathParam } from '../path-param';

export function conflictRoutes({ store }: AppDeps): Router {
  const router = Router({ mergeParams: true });

  router.get('/conflicts', async (req, res) => {
    const caller = callerOf(req);
    const { open } = ConflictsQuery.parse(req.query);
    const conflicts = await store.listConflicts(pathParam(req, 'id'), open === undefined ? {} : { open: open === 'true' });
    res.json(caller.role === 'admin' ? conflicts : conflicts.filter((c) => c.agencyId === caller.agencyId));
  });

  router.post('/conflicts/:cid', requireAdmin, async (req, res) => {
    // The store checks a typed value against the conflict's field.
    const resolution = ResolveConflictBody.parse(req.body);
    res.json(await store.resolveConflict(pathParam(req, 'id'), pathParam(req, 'cid'), resolution, callerOf(req)));
  });

  return router;
}
