/**
 * Agencies and their tokens (administrator), and "who am I" for any caller.
 * Names go through the agency registry, so every spelling of one agency
 * ("Sở KH&CN", "Sở Khoa học và Công nghệ") is one agency.
 */
import { Router } from 'express';
import { defaultRegistry } from '../../shared/agencies';
import { cleanText } from '../../shared/text';
import type { AgencyRecord } from '../store/store';
import type { AppDeps } from '../app';
import { callerOf, generateToken, hashToken, requireAdmin } from '../auth';
import { CreateAgencyBody } from '../../shared/api';

/** The agency a typed name stands for: the registry's entry, or the name as written. */
export function agencyFromName(name: string): { name: string; registryId: string | null; kind: AgencyRecord['kind'] } {
  const known = defaultRegistry.find(name);
  return known ? { name: known.name, registryId: known.id, kind: known.kind } : { name: cleanText(name), registryId: null, kind: 'other' };
}

export function agencyRoutes({ store }: AppDeps): Router {
  const router = Router();

  router.get('/me', (req, res) => {
    const { role, agencyId, name } = callerOf(req);
    res.json({ role, agencyId, name });
  });

  router.post('/agencies', requireAdmin, async (req, res) => {
    const { name } = CreateAgencyBody.parse(req.body);
    const token = generateToken();
    const agency = await store.createAgency(agencyFromName(name), hashToken(token));
    res.status(201).json({ ...agency, token });
  });

  router.get('/agencies', requireAdmin, async (_req, res) => {
    res.json(await store.listAgencies());
  });

  return router;
}
