/**
 * GET /api/openapi.json: OpenAPI 3.1 generated from the zod schemas the routes
 * validate with (shared/schemas.ts and shared/api.ts), so the document
 * cannot drift from what the server accepts.
 */
import { z } from 'zod';
import { ChangeRecord, Conflict, Diagnostic, Progress, ProgressFields, SyncChange, SyncRequest, SyncResponse, Task } from '../shared/schemas';
import * as api from '../shared/api';
import { Report } from './report';

/** Every named schema, by its component name. */
const COMPONENTS = {
  Task,
  Progress,
  ProgressFields,
  SyncChange,
  SyncRequest,
  SyncResponse,
  ChangeRecord,
  Conflict,
  Diagnostic,
  Report,
  CreateAgencyBody: api.CreateAgencyBody,
  Agency: api.AgencyAnswer,
  CreatedAgency: api.CreatedAgencyAnswer,
  Caller: api.CallerAnswer,
  Token: api.TokenAnswer,
  IssuedToken: api.IssuedTokenAnswer,
  CreateTrackerBody: api.CreateTrackerBody,
  CreateTrackerForm: api.CreateTrackerForm,
  Preview: api.PreviewAnswer,
  TrackerSummary: api.TrackerSummaryAnswer,
  Tracker: api.TrackerAnswer,
  Changes: api.ChangesAnswer,
  SubmissionAnswer: api.SubmissionAnswer,
  ConflictRecord: api.ConflictAnswer,
  ResolveConflictBody: api.ResolveConflictBody,
  Dashboard: api.DashboardAnswer,
  TaskHistory: api.TaskHistoryAnswer,
  Error: api.ErrorAnswer,
} satisfies Record<string, z.ZodType>;
type Component = keyof typeof COMPONENTS;

const ref = (name: Component) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: Component, array = false) => ({
  'application/json': { schema: array ? { type: 'array', items: ref(name) } : ref(name) },
});
const XLSX = { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } } };

interface Operation {
  summary: string;
  admin?: boolean;
  body?: Record<string, unknown>;
  query?: z.ZodObject;
  headers?: string[];
  status?: number;
  answer: Record<string, unknown>;
}

const fileForm = (extra: Record<string, unknown> = {}) => ({
  'multipart/form-data': {
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' }, ...extra } },
  },
});

const OPERATIONS: Record<string, Record<'get' | 'post', Operation | undefined>> = {
  '/api/me': { get: { summary: 'The caller of this token', answer: json('Caller') }, post: undefined },
  '/api/agencies': {
    get: { summary: 'List agencies', admin: true, answer: json('Agency', true) },
    post: {
      summary: 'Create an agency (name resolved through the registry) and a token for it, shown once; 409 when it exists (no token made)',
      admin: true,
      body: json('CreateAgencyBody'),
      status: 201,
      answer: json('CreatedAgency'),
    },
  },
  '/api/agencies/{id}/tokens': {
    get: { summary: 'The agency’s tokens: when each was made and revoked (never the secret)', admin: true, answer: json('Token', true) },
    post: { summary: 'A further token for the agency, shown once; the others stay valid', admin: true, status: 201, answer: json('IssuedToken') },
  },
  '/api/agencies/{id}/tokens/rotate': {
    get: undefined,
    post: { summary: 'A new token for the agency, shown once; every older one is revoked', admin: true, status: 201, answer: json('IssuedToken') },
  },
  '/api/agencies/{id}/tokens/{tokenId}/revoke': {
    get: undefined,
    post: { summary: 'Revoke one of the agency’s tokens', admin: true, answer: json('Token') },
  },
  '/api/trackers': {
    get: { summary: 'List trackers', answer: json('TrackerSummary', true) },
    post: {
      summary: 'Create a tracker from a document (multipart: file — .xlsx, .xls, .ods, .csv, .txt, .md, .docx or .pdf —, title…) or from JSON tasks',
      admin: true,
      body: {
        ...json('CreateTrackerBody'),
        ...fileForm((z.toJSONSchema(api.CreateTrackerForm, { io: 'input' }) as { properties: Record<string, unknown> }).properties),
      },
      status: 201,
      answer: json('Tracker'),
    },
  },
  '/api/trackers/preview': {
    get: undefined,
    post: {
      summary: 'The tasks a document yields (agency, deadline as written and as read, diagnostics), without creating anything',
      admin: true,
      body: fileForm({ asOf: { type: 'string', format: 'date' } }),
      answer: json('Preview'),
    },
  },
  '/api/trackers/{id}': { get: { summary: 'A tracker, its tasks with every lead report, and a change cursor', answer: json('Tracker') }, post: undefined },
  '/api/trackers/{id}/sync': {
    get: undefined,
    post: {
      summary: 'Merge field changes; answers applied, conflicts, rejected and the changes since `since`',
      headers: ['Idempotency-Key'],
      body: json('SyncRequest'),
      answer: json('SyncResponse'),
    },
  },
  '/api/trackers/{id}/changes': {
    get: { summary: 'Every change after the cursor, each exactly once, in commit order', query: api.ChangesQuery, answer: json('Changes') },
    post: undefined,
  },
  '/api/trackers/{id}/submissions': {
    get: undefined,
    post: {
      summary: 'Merge a returned tracker workbook (administrator: on behalf of ?agency=ID)',
      query: api.SubmissionQuery,
      headers: ['Idempotency-Key'],
      body: fileForm(),
      answer: json('SubmissionAnswer'),
    },
  },
  '/api/trackers/{id}/conflicts': {
    get: { summary: 'Conflicts kept by the merge (an agency sees its own)', query: api.ConflictsQuery, answer: json('ConflictRecord', true) },
    post: undefined,
  },
  '/api/trackers/{id}/conflicts/{cid}': {
    get: undefined,
    post: { summary: 'Resolve a conflict: choose yours or theirs, or give the value', admin: true, body: json('ResolveConflictBody'), answer: json('ConflictRecord') },
  },
  '/api/trackers/{id}/export.xlsx': {
    get: { summary: 'The tracker workbook with merged progress and a sheet of each lead report', query: api.ExportQuery, answer: XLSX },
    post: undefined,
  },
  '/api/trackers/{id}/report': {
    get: { summary: 'Monthly report: per-agency counts and rates, late and due-soon tasks, who reported', query: api.ReportQuery, answer: json('Report') },
    post: undefined,
  },
  '/api/trackers/{id}/report.xlsx': { get: { summary: 'The monthly report as a workbook', query: api.ReportQuery, answer: XLSX }, post: undefined },
  '/api/trackers/{id}/dashboard': {
    get: { summary: 'The report plus every task classified on the day, overall and per lead (the dashboard)', query: api.DashboardQuery, answer: json('Dashboard') },
    post: undefined,
  },
  '/api/trackers/{id}/tasks/{taskId}/history': { get: { summary: 'Every change of one task, oldest first', answer: json('TaskHistory') }, post: undefined },
};

const ERRORS: Record<number, string> = {
  400: 'Invalid input: the error names the field (and row)',
  401: 'Missing or unknown token',
  403: 'Not allowed for this token',
  404: 'Not found',
  409: 'Conflicting state',
  413: 'Body, file or expanded workbook too large',
  429: 'Rate limit reached',
  503: 'Database unavailable (nothing was saved)',
  507: 'Database disk full (nothing was saved)',
};

function operation(path: string, op: Operation) {
  const parameters: unknown[] = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  if (op.query) {
    const schema = z.toJSONSchema(op.query, { io: 'input' }) as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, s] of Object.entries(schema.properties ?? {})) {
      parameters.push({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: s });
    }
  }
  for (const name of op.headers ?? []) parameters.push({ name, in: 'header', required: false, schema: { type: 'string', maxLength: 200 } });
  return {
    summary: op.admin ? `${op.summary} (administrator)` : op.summary,
    parameters,
    ...(op.body ? { requestBody: { required: true, content: op.body } } : {}),
    responses: {
      [op.status ?? 200]: { description: 'OK', content: op.answer },
      ...Object.fromEntries(Object.entries(ERRORS).map(([code, description]) => [code, { description, content: json('Error') }])),
    },
  };
}

export function openApiDocument(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENTS)) registry.add(schema, { id });
  const generated = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}`, unrepresentable: 'any', io: 'input' }) as {
    schemas: Record<string, Record<string, unknown>>;
  };
  // Components carry no $id/$schema of their own inside an OpenAPI document.
  const schemas = Object.fromEntries(
    Object.entries(generated.schemas).map(([id, s]) => {
      const component = { ...s };
      delete component.$id;
      delete component.$schema;
      return [id, component];
    }),
  );
  const paths: Record<string, unknown> = Object.fromEntries(
    Object.entries(OPERATIONS).map(([path, ops]) => [
      path,
      Object.fromEntries(Object.entries(ops).flatMap(([method, op]) => (op ? [[method, operation(path, op)]] : []))),
    ]),
  );
  paths['/healthz'] = { get: { summary: 'Database reachable: 200, else 503', security: [], responses: { 200: { description: 'OK' }, 503: { description: 'Database down' } } } };
  return {
    openapi: '3.1.0',
    info: {
      title: 'annex-tracker sync service',
      version: '0.1.0',
      description:
        'Merges every agency’s progress on the tasks of an annex (Phụ lục), keeps conflicting values, and exports the merged tracker and the monthly report. Errors: {error: {code, message (Vietnamese), messageEn, field?, row?}}.',
    },
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
