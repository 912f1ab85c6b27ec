/**
 * The shapes every part exchanges (core, CLI, add-in, server), as zod schemas.
 * Types are inferred from them so a field is declared once.
 */
import { z } from 'zod';
import { parseIso } from './dates';
import { hasXmlForbidden } from './text';

// Typed apart: parseIso returns an IsoDate, the type this file declares.
const isRealDay = (s: string): boolean => parseIso(s) !== null;

/** A real calendar day (1900–2200) as YYYY-MM-DD: "2026-02-30" and "2026-99-99" are refused, not rolled over. */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine(isRealDay, 'không có ngày này / no such day');
export type IsoDate = z.infer<typeof IsoDate>;

/**
 * Text a person sent: no NUL, no control character other than tab and line
 * breaks, no U+FFFE/U+FFFF — XML 1.0 cannot hold them (a workbook with one is
 * damaged) and PostgreSQL refuses NUL.
 */
export const UserText = z.string().refine((s) => !hasXmlForbidden(s), 'ký tự điều khiển không được phép / control characters are not allowed');

// ---------------------------------------------------------------- deadlines

export const DeadlineKind = z.enum(['date', 'period', 'recurring', 'ongoing', 'conditional', 'relative', 'unknown']);
export type DeadlineKind = z.infer<typeof DeadlineKind>;

export const PeriodUnit = z.enum(['month', 'quarter', 'half', 'year', 'range']);
export const RecurrenceUnit = z.enum(['week', 'month', 'quarter', 'half', 'year']);

export const Deadline = z.object({
  /** The cell as written (clean text). */
  raw: UserText,
  kind: DeadlineKind,
  /** The day the task is due (ISO), null when the text fixes no day. */
  due: IsoDate.nullable(),
  /** First day of the period or range, when the text names one. */
  start: IsoDate.nullable().optional(),
  period: PeriodUnit.optional(),
  /**
   * For recurring duties: what repeats, and on which day of the period (null: the period's last day);
   * for a yearly duty, in which month ("trước ngày 25/12 hằng năm").
   */
  recurrence: z
    .object({ every: RecurrenceUnit, day: z.number().int().nullable(), month: z.number().int().min(1).max(12).optional() })
    .optional(),
  /** For relative deadlines: days after the trigger. */
  offsetDays: z.number().int().optional(),
  /** For relative and conditional deadlines: the outside event waited for. */
  trigger: z.string().optional(),
  /** Why the text could not be read (kind unknown), or a caution about how it was read. */
  reason: z.string().optional(),
  /** The duty that goes on after the due day, as written ("và duy trì thường xuyên", "và các năm tiếp theo"). */
  continuing: z.string().optional(),
});
export type Deadline = z.infer<typeof Deadline>;

// ---------------------------------------------------------------- agencies

export const AgencyKind = z.enum(['department', 'commune', 'party', 'mass_org', 'central', 'group', 'other']);
export type AgencyKind = z.infer<typeof AgencyKind>;

/** One entry of the agency registry (shared/data/agencies.json). */
export const RegistryAgency = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  kind: AgencyKind,
  /** Other spellings, short forms and abbreviations. */
  aliases: z.array(z.string()).default([]),
  /** Names before a merger (2025): read as this agency, the text kept as written. */
  formerNames: z.array(z.string()).optional(),
});
export type RegistryAgency = z.infer<typeof RegistryAgency>;

export const AgencyRegistryFile = z.object({
  province: z.string(),
  agencies: z.array(RegistryAgency),
});
export type AgencyRegistryFile = z.infer<typeof AgencyRegistryFile>;

/** An agency named in a cell: resolved to the registry, or kept verbatim. */
export const AgencyRef = z.object({
  /** Canonical name when known; the text as written otherwise. */
  name: z.string(),
  /** Registry id, null when the name is unknown. */
  id: z.string().nullable(),
  kind: AgencyKind,
  /** The piece of the cell this came from. */
  source: z.string(),
  /**
   * In a cell written as sentences ("Sở KH&CN chủ trì …; Các sở, ngành … thực hiện …"):
   * 'lead' for the body named with "chủ trì", 'support' for the others.
   */
  role: z.enum(['lead', 'support']).optional(),
});
export type AgencyRef = z.infer<typeof AgencyRef>;

// ---------------------------------------------------------------- diagnostics

export const Severity = z.enum(['error', 'warning', 'info']);
export const Diagnostic = z.object({
  /** 1-based sheet row the problem is on (null when it concerns the whole sheet). */
  row: z.number().int().nullable(),
  /** Field or column concerned, when there is one (e.g. "deadline", "lead", "E"). */
  field: z.string().optional(),
  severity: Severity,
  /** Stable machine code, e.g. "deadline.unknown", "agency.unknown", "date.swapped". */
  code: z.string(),
  /** Vietnamese, for the person reading. */
  message: z.string(),
  messageEn: z.string(),
});
export type Diagnostic = z.infer<typeof Diagnostic>;

// ---------------------------------------------------------------- tasks and trackers

export const TaskField = z.enum(['stt', 'task', 'lead', 'support', 'deadline', 'output']);
export type TaskField = z.infer<typeof TaskField>;

/** One level of a task's section path: its label as written ("I", "A", "III.1"; empty when untitled) and title. */
export const SectionRef = z.object({ label: UserText, title: UserText });
export type SectionRef = z.infer<typeof SectionRef>;

export const Task = z.object({
  /** Stable id: the same task of the same annex gets the same id each time. */
  id: UserText,
  stt: UserText,
  /** Label of the innermost section the task stands in (a Roman numeral in most annexes), null outside sections. */
  section: UserText.nullable(),
  sectionTitle: UserText.nullable().optional(),
  /** Nested sections, outermost first (A › I › 1); absent or one level for most annexes. */
  sectionPath: z.array(SectionRef).optional(),
  task: UserText,
  /** Canonical names of the lead agencies (verbatim where unknown). */
  lead: z.array(UserText),
  support: z.array(UserText),
  leadRaw: UserText.optional(),
  supportRaw: UserText.optional(),
  deadline: Deadline,
  output: UserText,
  /** Columns the annex had beyond the known fields, by their header text. */
  extra: z.record(UserText, UserText).default({}),
  /** 1-based sheet row the task starts on. */
  row: z.number().int().optional(),
});
export type Task = z.infer<typeof Task>;

export const ProgressStatus = z.enum(['not_started', 'in_progress', 'done']);
export type ProgressStatus = z.infer<typeof ProgressStatus>;

export const Progress = z.object({
  status: ProgressStatus.default('not_started'),
  result: z.string().default(''),
  completedOn: IsoDate.nullable().default(null),
  evidence: z.string().default(''),
  note: z.string().default(''),
});
export type Progress = z.infer<typeof Progress>;

export const StatusCategory = z.enum(['done_on_time', 'done_late', 'on_track', 'due_soon', 'overdue', 'no_deadline']);
export type StatusCategory = z.infer<typeof StatusCategory>;

export const Tracker = z.object({
  id: z.string().optional(),
  title: UserText,
  documentNumber: UserText.nullable().optional(),
  documentDate: IsoDate.nullable().optional(),
  tasks: z.array(Task),
});
export type Tracker = z.infer<typeof Tracker>;

// ---------------------------------------------------------------- sync messages

export const ProgressFields = z
  .object({
    status: ProgressStatus,
    result: UserText.max(20000),
    completedOn: IsoDate.nullable(),
    evidence: UserText.max(5000),
    note: UserText.max(20000),
  })
  .partial();
export type ProgressFields = z.infer<typeof ProgressFields>;

export const SyncChange = z.object({
  taskId: UserText.min(1),
  /** The report version the client last saw (0: none). */
  baseVersion: z.number().int().min(0),
  fields: ProgressFields,
  /** With an administrator's token: the lead agency whose report this is. */
  agencyId: UserText.optional(),
});
export type SyncChange = z.infer<typeof SyncChange>;

export const SyncRequest = z.object({
  /** The cursor of the last change seen: the string the service handed out, or the same number. */
  since: z.union([z.string().max(100), z.number().int().min(0)]).nullable().optional(),
  changes: z.array(SyncChange).max(5000),
});
export type SyncRequest = z.infer<typeof SyncRequest>;

export const Conflict = z.object({
  id: z.string(),
  taskId: z.string(),
  agencyId: z.string().optional(),
  field: z.string(),
  yours: z.unknown(),
  theirs: z.unknown(),
});
export type Conflict = z.infer<typeof Conflict>;

export const ChangeRecord = z.object({
  cursor: z.string(),
  taskId: z.string(),
  agencyId: z.string(),
  field: z.string(),
  oldValue: z.unknown(),
  newValue: z.unknown(),
  version: z.number().int(),
  by: z.string(),
  at: z.string(),
});
export type ChangeRecord = z.infer<typeof ChangeRecord>;

export const SyncResponse = z.object({
  applied: z.array(z.object({ taskId: z.string(), version: z.number().int() })),
  conflicts: z.array(Conflict),
  rejected: z.array(z.object({ taskId: z.string(), reason: z.string() })),
  changes: z.array(ChangeRecord),
  cursor: z.string(),
});
export type SyncResponse = z.infer<typeof SyncResponse>;
