/**
 * The Express application: safety middleware, the API routes, the add-in's
 * and the dashboard's static files, and the one error handler. No listening
 * here (main.ts and the tests do that), so the same app runs in the service
 * and on a test port.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler } from 'express';
import compression from 'compression';
import helmet from 'helmet';
import { rateLimit } from 'express-rate-limit';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Store } from './store/store';
import { identify, requireCaller } from './auth';
import { ApiError, errorHandler, notFoundHandler } from './errors';
import { type AgencyRegistry, defaultRegistry } from '../shared/agencies';
import { agencyRoutes } from './routes/agencies';
import { trackerRoutes } from './routes/trackers';
import { syncRoutes } from './routes/sync';
import { submissionRoutes } from './routes/submissions';
import { conflictRoutes } from './routes/conflicts';
import { exportRoutes } from './routes/exports';
import { reportRoutes } from './routes/reports';
import { dashboardRoutes } from './routes/dashboard';
import { openApiDocument } from './openapi';
import { UploadParser } from './upload-parser';

export interface AppDeps {
  store: Store;
  config: Config;
  logger: Logger;
  /** The add-in's built files, served at /addin; default addin/dist when it exists. */
  addinDir?: string | null;
  /** The dashboard's built files, served at /; default dashboard/dist when it exists. */
  dashboardDir?: string | null;
  /** The agency registry names resolve through (AGENCIES_FILE merged into the default); default the built-in one. */
  registry?: AgencyRegistry;
  /** Reads uploaded files off the event loop; default: one made from config. */
  uploads?: UploadParser;
}

const tooManyRequests = () =>
  new ApiError(429, 'rate.limited', 'Quá nhiều yêu cầu; hãy thử lại sau ít phút', 'Too many requests; try again in a minute');

/**
 * Two limits from one setting: per token once authenticated (agencies behind
 * one office NAT do not share a budget), and per address for requests without
 * a valid token (guessing tokens). A request with a valid token is never
 * counted or refused by the second: guesses from an address do not lock out
 * the administrator or the agencies behind it.
 */
function rateLimits(config: Config): { failedAuth: RequestHandler; perToken: RequestHandler } {
  if (config.rateLimit === 0) {
    const pass: RequestHandler = (_req, _res, next) => next();
    return { failedAuth: pass, perToken: pass };
  }
  const common = {
    windowMs: 60_000,
    limit: config.rateLimit,
    standardHeaders: 'draft-8' as const,
    legacyHeaders: false,
    handler: ((_req, _res, next) => next(tooManyRequests())) as RequestHandler,
  };
  return {
    failedAuth: rateLimit({ ...common, skip: (req) => req.caller !== undefined }),
    perToken: rateLimit({ ...common, keyGenerator: (req) => `token:${req.caller?.tokenId}` }),
  };
}

/**
 * One log line per request once it is answered (or abandoned): method, path, status, time. Never a
 * header: the bearer token must not reach a log. error from 500, warn from 400. Written here rather
 * than with pino-http, whose child logger and id per request showed in the sync profile.
 */
function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    const line = (message: string) => {
      const status = res.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 || !res.writableFinished ? 'warn' : 'info';
      const responseTime = Math.round(Number(process.hrtime.bigint() - start) / 1e6);
      logger[level]({ req: { method: req.method, url: req.originalUrl, remoteAddress: req.socket.remoteAddress }, res: { statusCode: status }, responseTime }, message);
    };
    res.once('close', () => line(res.writableFinished ? 'request completed' : 'request aborted'));
    next();
  };
}

/** CORS for the add-in's origin only; every other origin gets no CORS header at all. */
function addinCors(origin: string | null): RequestHandler {
  return (req, res, next) => {
    res.vary('Origin');
    if (!origin || req.get('origin') !== origin) return next();
    res.set({
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, Idempotency-Key',
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Expose-Headers': 'Content-Disposition, RateLimit, RateLimit-Policy',
      'Access-Control-Max-Age': '600',
    });
    if (req.method === 'OPTIONS') return void res.status(204).end();
    next();
  };
}

/**
 * The add-in runs inside Excel (desktop, or Excel on the web in an iframe) and
 * loads Office.js from Microsoft's CDN: its pages need those allowed, the API does not.
 */
const addinHelmet = helmet({
  frameguard: false,
  contentSecurityPolicy: {
    directives: {
      'script-src': ["'self'", 'https://appsforoffice.microsoft.com'],
      'frame-ancestors': ["'self'", 'https://*.office.com', 'https://*.officeapps.live.com', 'https://*.sharepoint.com', 'https://*.office365.com'],
      'connect-src': ["'self'"],
    },
  },
});

/**
 * The dashboard is a page of its own origin's: its script and styles only, no
 * inline script or style, nothing framed, and no request but to the API.
 */
const dashboardHelmet = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'connect-src': ["'self'"],
      'base-uri': ["'none'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
});

/**
 * The API answers JSON (and workbooks), never a page: the headers that matter for it (OWASP's REST
 * set) rather than helmet's for documents — nothing may run, load or frame if an answer is ever
 * opened as a page, no sniffing, HTTPS remembered. Set at once from a list made once; helmet's dozen
 * middlewares and headers cost a sync about 5% of its throughput (`npm run bench -- sync`).
 */
const API_HEADERS: [string, string][] = [
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
  ['Referrer-Policy', 'no-referrer'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
];
const apiHeaders: RequestHandler = (_req, res, next) => {
  for (const [name, value] of API_HEADERS) res.setHeader(name, value);
  next();
};

/** The dashboard's files: the page at / and its two bundles beside it. */
const DASHBOARD_PATHS = ['/', '/index.html', '/dashboard.js', '/dashboard.css'];

function defaultDistDir(part: 'addin' | 'dashboard'): string | null {
  // server/ under ts-node, dist/server/ once built: the project root is one or two levels up.
  for (const root of [path.resolve(__dirname, '..'), path.resolve(__dirname, '../..')]) {
    const dir = path.join(root, part, 'dist');
    if (existsSync(path.join(root, 'package.json'))) return existsSync(dir) ? dir : null;
  }
  return null;
}

export function createApp(deps: AppDeps): express.Express {
  const { store, config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('json spaces', 0);

  app.use(requestLog(logger));
  app.use(addinCors(config.addinOrigin));
  // JSON answers (the dashboard's is ~3 MB for 5,000 tasks) and the pages' scripts go compressed; workbooks are zips already.
  // Not a sync's answer: a few kilobytes at most (20 changes), and most of the traffic.
  const compress = compression({ threshold: 8 * 1024 });
  app.use((req, res, next) => (req.method === 'POST' && req.path.endsWith('/sync') ? next() : compress(req, res, next)));

  const addinDir = deps.addinDir === undefined ? defaultDistDir('addin') : deps.addinDir;
  if (addinDir) app.use('/addin', addinHelmet, express.static(addinDir, { index: ['taskpane.html', 'index.html'] }));

  const dashboardDir = deps.dashboardDir === undefined ? defaultDistDir('dashboard') : deps.dashboardDir;
  if (dashboardDir) app.get(DASHBOARD_PATHS, dashboardHelmet, express.static(dashboardDir, { index: 'index.html' }));

  app.use(apiHeaders);

  // The database must answer from its own data (and, on SQLite, be the file that was opened).
  app.get('/healthz', async (_req, res) => {
    const ok = await store.ping().catch(() => false);
    res.status(ok ? 200 : 503).json({ ok });
  });
  const openApi = openApiDocument();
  app.get('/api/openapi.json', (_req, res) => void res.json(openApi));

  const limits = rateLimits(config);
  const api = express.Router();
  // (A write into a database file that is gone is refused by the store itself: 503, see kysely-store.ts.)
  api.use(identify(store), limits.failedAuth, requireCaller, limits.perToken);
  const routeDeps = { ...deps, addinDir, registry: deps.registry ?? defaultRegistry, uploads: deps.uploads ?? new UploadParser(config) };
  // The sync first: it is most of the traffic, and no other route shares its paths. Its body is read
  // as text and parsed by the store, in its thread (routes/sync.ts); every other route's here.
  api.use('/trackers/:id', syncRoutes(routeDeps));
  api.use(express.json({ limit: config.jsonLimit, strict: true }));
  api.use(agencyRoutes(routeDeps));
  api.use('/trackers', trackerRoutes(routeDeps));
  api.use('/trackers/:id', submissionRoutes(routeDeps));
  api.use('/trackers/:id', conflictRoutes(routeDeps));
  api.use('/trackers/:id', exportRoutes(routeDeps));
  api.use('/trackers/:id', reportRoutes(routeDeps));
  api.use('/trackers/:id', dashboardRoutes(routeDeps));
  app.use('/api', api);

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
