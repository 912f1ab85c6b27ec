/**
 * The HTTP API's own request and answer shapes (beyond shared/schemas.ts), as zod
 * schemas: routes validate with them, /api/openapi.json is generated from them.
 */
import { z } from 'zod';
import { Report } from './report';
import { AgencyKind, ChangeRecord, Conflict, Diagnostic, IsoDate, Progress, ProgressStatus, StatusCategory, SyncResponse, Task, UserText } from './schemas';

const Id = UserText.min(1).max(200);

export const CreateAgencyBody = z.object({ name: UserText.trim().min(1).max(300) });

export const AgencyAnswer = z.object({
  id: z.string(),
  name: z.string(),
  registryId: z.string().nullable(),
  kind: AgencyKind,
  createdAt: z.string(),
});

export const CreatedAgencyAnswer = AgencyAnswer.extend({
  /** Given once: only its hash is kept. */
  token: z.string(),
});

/** An agency's token as listed: when it was made and revoked; the secret itself is shown once, when issued. */
export const TokenAnswer = z.object({
  id: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});

export const IssuedTokenAnswer = TokenAnswer.extend({
  /** Given once: only its hash is kept. */
  token: z.string(),
  /** How many of the agency's tokens this revoked (rotation; 0 for a further token). */
  revoked: z.number().int(),
});

export const CallerAnswer = z.object({
  role: z.enum(['admin', 'agency']),
  agencyId: z.string().nullable(),
  name: z.string(),
});

export const CreateTrackerBody = z.object({
  title: UserText.trim().min(1).max(1000),
  documentNumber: UserText.max(200).nullable().optional(),
  documentDate: IsoDate.nullable().optional(),
  tasks: z
    .array(Task)
    .min(1)
    .max(50_000)
    .superRefine((tasks, ctx) => {
      const seen = new Set<string>();
      tasks.forEach((t, i) => {
        if (seen.has(t.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate task id ${t.id}` });
        seen.add(t.id);
      });
    }),
});

const AgencyText = z.union([z.string().max(2000), z.array(z.string().max(500)).max(100)]);

/** One task as a person types it: the service assigns its id, resolves agencies and reads the deadline as written. */
export const TrackerRowInput = z.object({
  stt: z.union([z.string().max(50), z.number()]).transform(String),
  section: z.string().max(1000).nullable().optional(),
  task: z.string().trim().min(1).max(20_000),
  lead: AgencyText,
  support: AgencyText.optional(),
  deadline: z.string().max(1000),
  output: z.string().max(5000).optional(),
});

/** A tracker from typed rows (`asOf`: the date relative deadlines are read against; default today). */
export const CreateTrackerRows = z.object({
  title: z.string().trim().min(1).max(1000),
  documentNumber: z.string().max(200).nullable().optional(),
  documentDate: IsoDate.nullable().optional(),
  asOf: IsoDate.optional(),
  tasks: z.array(TrackerRowInput).min(1).max(50_000),
});

/** The text fields sent beside the file in a multipart tracker upload. */
export const CreateTrackerForm = z.object({
  title: UserText.trim().max(1000).optional(),
  documentNumber: UserText.trim().max(200).optional(),
  documentDate: IsoDate.optional(),
  asOf: IsoDate.optional(),
});

/** POST /api/trackers/preview: the tasks a document yields, for a person to check before the tracker is created. */
export const PreviewAnswer = z.object({
  name: z.string(),
  format: z.enum(['xlsx', 'xls', 'ods', 'csv', 'text', 'docx', 'pdf']),
  /** The annex's title or the letter's subject, when found. */
  title: z.string().nullable(),
  tasks: z.array(Task),
  diagnostics: z.array(Diagnostic),
  /** How many of the tasks the letter's prose assigns (the rest come from annex tables). */
  proseTasks: z.number().int().min(0),
});
export type PreviewAnswer = z.infer<typeof PreviewAnswer>;

export const ReportAnswer = Progress.extend({
  agencyId: z.string(),
  agencyName: z.string(),
  version: z.number().int(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});

export const TaskAnswer = Task.extend({
  position: z.number().int(),
  reports: z.array(ReportAnswer),
  overall: Progress,
});

export const TrackerSummaryAnswer = z.object({
  id: z.string(),
  title: z.string(),
  documentNumber: z.string().nullable(),
  documentDate: IsoDate.nullable(),
  taskCount: z.number().int(),
  createdAt: z.string(),
});

export const TrackerAnswer = TrackerSummaryAnswer.extend({
  tasks: z.array(TaskAnswer),
  cursor: z.string(),
  /** Only when created from a file: what the annex reader noticed. */
  diagnostics: z.array(Diagnostic).optional(),
});

export const IdempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, '1–200 visible ASCII characters');

export const ChangesQuery = z.object({
  /** The string the service handed out, or the same number. */
  since: z.union([z.string().max(100), z.number().int().min(0).transform(String)]).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});

export const ChangesAnswer = z.object({ changes: z.array(ChangeRecord), cursor: z.string() });

export const SubmissionQuery = z.object({ agency: Id.optional() });

export const UnmatchedRow = z.object({
  row: z.number().int(),
  id: z.string().nullable(),
  stt: z.string(),
  task: z.string(),
  reason: z.enum(['no_match', 'duplicate']),
});

export const SubmissionAnswer = SyncResponse.extend({
  unmatched: z.array(UnmatchedRow),
  diagnostics: z.array(Diagnostic),
});

export const ConflictsQuery = z.object({ open: z.enum(['true', 'false']).optional() });

export const ConflictAnswer = Conflict.extend({
  agencyId: z.string(),
  baseVersion: z.number().int(),
  submittedBy: z.string(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolution: z.enum(['yours', 'theirs', 'value']).nullable(),
});

export const ResolveConflictBody = z.union([
  z.object({ choose: z.enum(['yours', 'theirs']) }).strict(),
  // z.unknown() alone would let {} through as {value: undefined}.
  z
    .object({ value: z.unknown() })
    .strict()
    .refine((o) => 'value' in o && o.value !== undefined, { path: ['value'], message: 'required' }),
]);

export const ExportQuery = z.object({
  asOf: IsoDate.optional(),
  agency: Id.optional(),
  lang: z.enum(['vi', 'en']).default('vi'),
});

export const ReportQuery = z.object({
  asOf: IsoDate.optional(),
  lang: z.enum(['vi', 'en']).default('vi'),
});

export const ErrorAnswer = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    messageEn: z.string(),
    field: z.string().optional(),
    row: z.number().int().optional(),
    sheet: z.string().optional(),
  }),
});

// ---------------------------------------------------------------- the dashboard page's reads

export const DashboardQuery = z.object({ asOf: IsoDate.optional() });

export const DashboardLead = z.object({
  /** The agency's id, or "name:<key>" for a lead with no agency record (the report's rows use the same split). */
  key: z.string(),
  agencyId: z.string().nullable(),
  name: z.string(),
  status: ProgressStatus,
  /** By this lead's own report: what the report's per-agency counts add up. */
  category: StatusCategory,
});

export const DashboardTask = z.object({
  id: z.string(),
  stt: z.string(),
  section: z.string().nullable(),
  sectionTitle: z.string().nullable(),
  task: z.string(),
  lead: z.array(z.string()),
  /** The deadline as written. */
  deadline: z.string(),
  due: IsoDate.nullable(),
  /** The due day moved off weekends and holidays. */
  effectiveDue: IsoDate.nullable(),
  status: ProgressStatus,
  completedOn: IsoDate.nullable(),
  /** By the overall progress: what the report's totals add up. */
  category: StatusCategory,
  /** Overdue or done late: days past the effective due day. */
  daysLate: z.number().int().nullable(),
  /** Not done and not yet due: days left. */
  daysLeft: z.number().int().nullable(),
  leads: z.array(DashboardLead),
});
export type DashboardTask = z.infer<typeof DashboardTask>;

export const DashboardAnswer = z.object({ report: Report, tasks: z.array(DashboardTask) });
export type DashboardAnswer = z.infer<typeof DashboardAnswer>;

export const TaskHistoryAnswer = z.object({ changes: z.array(ChangeRecord) });
export type TaskHistoryAnswer = z.infer<typeof TaskHistoryAnswer>;

// Answer types of the routes, for the browser clients (they import nothing from server/).
export type AgencyRecord = z.infer<typeof AgencyAnswer>;
export type TokenRecord = z.infer<typeof TokenAnswer>;
export type IssuedToken = z.infer<typeof IssuedTokenAnswer>;
export type TrackerSummary = z.infer<typeof TrackerSummaryAnswer>;
export type ConflictRecord = z.infer<typeof ConflictAnswer>;
