/**
 * Bearer tokens: 32 random bytes (base64url) given out once, kept only as
 * SHA-256 hashes. A request's token is hashed and looked up by its hash, so no
 * byte of a secret is ever compared: how long an index lookup takes tells an
 * attacker about hashes of guesses, never about a stored token. That is the
 * constant-time property the usual timingSafeEqual gives a direct comparison.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Caller, Store } from './store/store';
import { forbidden, unauthorized } from './errors';

/** What a bearer token may be: the shape generateToken makes, and what ADMIN_TOKEN must be. */
export const TOKEN_PATTERN = /^[A-Za-z0-9._~+/=-]{16,512}$/;

export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(req: Pick<Request, 'get'>): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return m && TOKEN_PATTERN.test(m[1]) ? m[1] : null;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by identify() when the token is valid. */
    caller?: Caller;
  }
}

/**
 * Sets req.caller from a valid bearer token and lets every request through:
 * the failed-authentication limit then sees only requests without one, and
 * requireCaller answers 401.
 */
export function identify(store: Store): RequestHandler {
  return async (req, _res, next) => {
    const token = bearerToken(req);
    const caller = token ? await store.findCaller(hashToken(token)) : null;
    if (caller) req.caller = caller;
    next();
  };
}

/** 401 without a known, unrevoked token. */
export const requireCaller: RequestHandler = (req, _res, next) => {
  next(req.caller ? undefined : unauthorized());
};

export const requireAdmin: RequestHandler = (req, _res, next) => {
  next(req.caller?.role === 'admin' ? undefined : forbidden());
};

/** The caller of an authenticated route (requireCaller ran before it). */
export function callerOf(req: Request): Caller {
  if (!req.caller) throw unauthorized();
  return req.caller;
}
