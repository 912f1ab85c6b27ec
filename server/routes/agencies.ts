/**
 * Agencies and their tokens (administrator), and "who am I" for any caller.
 * Names go through the agency registry, so every spelling of one agency
 * ("Sở KH&CN", "Sở Khoa học và Công nghệ") is one agency. A token is minted
 * only when asked for: creating an agency, issuing a further token, or
 * rotating (every older token of the agency revoked in the same step).
 */
import { Router } from 'express';
import { type AgencyRegistry, defaultRegistry } from '../../shared/agencies';
import { cleanText } from '../../shared/text';
import type { AgencyRecord } from '../store/store';
import type { AppDeps } from '../app';
import { callerOf, generateToken, hashToken, requireAdmin } from '../auth';
import { CreateAgencyBody } from '../../shared/api';
import { ApiError } from '../errors';
import { pathParam } from '../path-param';

/** The agency a typed name stands for: the registry's entry, or the name as written. */
export function agencyFromName(registry: AgencyRegistry, name: string): { name: string; registryId: string | null; kind: AgencyRecord['kind'] } {
  const known = registry.find(name);
  return known ? { name: known.name, registryId: known.id, kind: known.kind } : { name: cleanText(name), registryId: null, kind: 'other' };
}

const agencyExists = (agency: AgencyRecord) =>
  new ApiError(
    409,
    'agency.exists',
    `Cơ quan “${agency.name}” đã có (mã ${agency.id}); không tạo mã truy cập mới. Muốn cấp mã khác: POST /api/agencies/${agency.id}/tokens/rotate`,
    `The agency “${agency.name}” already exists (id ${agency.id}); no new token was made. For another token: POST /api/agencies/${agency.id}/tokens/rotate`,
    { field: 'name' },
  );

export function agencyRoutes({ store, registry = defaultRegistry }: AppDeps): Router {
  const router = Router();

  router.get('/me', (req, res) => {
    const { role, agencyId, name } = callerOf(req);
    res.json({ role, agencyId, name });
  });

  router.post('/agencies', requireAdmin, async (req, res) => {
    const { name } = CreateAgencyBody.parse(req.body);
    const token = generateToken();
    const { agency, created } = await store.createAgency(agencyFromName(registry, name), hashToken(token));
    if (!created) throw agencyExists(agency);
    res.status(201).json({ ...agency, token });
  });

  router.get('/agencies', requireAdmin, async (_req, res) => {
    res.json(await store.listAgencies());
  });

  router.get('/agencies/:id/tokens', requireAdmin, async (req, res) => {
    res.json(await store.listTokens(pathParam(req, 'id')));
  });

  // A further token (a second computer), the older ones staying valid.
  router.post('/agencies/:id/tokens', requireAdmin, async (req, res) => {
    const token = generateToken();
    const issued = await store.issueToken(pathParam(req, 'id'), hashToken(token));
    res.status(201).json({ ...issued.token, token, revoked: issued.revoked });
  });

  // A token lost or leaked: the new one replaces every token the agency had.
  router.post('/agencies/:id/tokens/rotate', requireAdmin, async (req, res) => {
    const token = generateToken();
    const issued = await store.issueToken(pathParam(req, 'id'), hashToken(token), { rotate: true });
    res.status(201).json({ ...issued.token, token, revoked: issued.revoked });
  });

  router.post('/agencies/:id/tokens/:tokenId/revoke', requireAdmin, async (req, res) => {
    res.json(await store.revokeToken(pathParam(req, 'id'), pathParam(req, 'tokenId')));
  });

  return router;
}
