/**
 * Rows ↔ records: the one place that knows how a Task, a report, a change and a conflict are laid
 * out in the tables (JSON kept as text, optional fields as NULL).
 */
import type { Selectable } from 'kysely';
import { type FieldMetaMap, type StoredReport } from '../merge';
import type { AgencyKind, ChangeRecord, Deadline, ProgressStatus, Task } from '../../shared/schemas';
import type { AgencyRecord, ConflictRecord, ReportRecord } from './store';
import type { AgenciesTable, ChangesTable, ConflictsTable, ReportsTable, TasksTable } from './database';
import type { LeadRef } from './leads';

export function taskToRow(trackerId: string, task: Task, position: number, leadRefs: LeadRef[]): TasksTable {
  return {
    tracker_id: trackerId,
    id: task.id,
    position,
    stt: task.stt,
    section: task.section,
    section_title: task.sectionTitle ?? null,
    task: task.task,
    lead: JSON.stringify(task.lead),
    support: JSON.stringify(task.support),
    lead_raw: task.leadRaw ?? null,
    support_raw: task.supportRaw ?? null,
    lead_refs: JSON.stringify(leadRefs),
    deadline: JSON.stringify(task.deadline),
    due: task.deadline.due,
    output: task.output,
    extra: JSON.stringify(task.extra ?? {}),
    row: task.row ?? null,
  };
}

export function taskFromRow(row: Selectable<TasksTable>): Task {
  return {
    id: row.id,
    stt: row.stt,
    section: row.section,
    sectionTitle: row.section_title,
    task: row.task,
    lead: JSON.parse(row.lead) as string[],
    support: JSON.parse(row.support) as string[],
    ...(row.lead_raw !== null ? { leadRaw: row.lead_raw } : {}),
    ...(row.support_raw !== null ? { supportRaw: row.support_raw } : {}),
    deadline: JSON.parse(row.deadline) as Deadline,
    output: row.output,
    extra: JSON.parse(row.extra) as Record<string, string>,
    ...(row.row !== null ? { row: row.row } : {}),
  };
}

export function leadRefsFromRow(row: Pick<TasksTable, 'lead_refs'>): LeadRef[] {
  return JSON.parse(row.lead_refs) as LeadRef[];
}

export function agencyFromRow(row: Selectable<AgenciesTable>): AgencyRecord {
  return { id: row.id, name: row.name, registryId: row.registry_id, kind: row.kind as AgencyKind, createdAt: row.created_at };
}

export function storedReportFromRow(row: Selectable<ReportsTable>): StoredReport {
  return {
    values: {
      status: row.status as ProgressStatus,
      result: row.result,
      completedOn: row.completed_on,
      evidence: row.evidence,
      note: row.note,
    },
    version: row.version,
    meta: JSON.parse(row.field_meta) as FieldMetaMap,
  };
}

export function reportToRow(
  key: { trackerId: string; taskId: string; agencyId: string },
  report: StoredReport,
  updated: { at: string | null; by: string | null },
): ReportsTable {
  return {
    tracker_id: key.trackerId,
    task_id: key.taskId,
    agency_id: key.agencyId,
    status: report.values.status,
    result: report.values.result,
    completed_on: report.values.completedOn,
    evidence: report.values.evidence,
    note: report.values.note,
    version: report.version,
    field_meta: JSON.stringify(report.meta),
    updated_at: updated.at,
    updated_by: updated.by,
  };
}

export function reportFromRow(row: Selectable<ReportsTable> & { agency_name: string }): ReportRecord {
  return {
    ...storedReportFromRow(row).values,
    agencyId: row.agency_id,
    agencyName: row.agency_name,
    version: row.version,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

/** The columns a change record is made of (the feed reads no others). */
export const CHANGE_COLUMNS = ['seq', 'task_id', 'agency_id', 'field', 'old_value', 'new_value', 'version', 'by_name', 'at'] as const;

/** A change row as the feed reads it. */
export type ChangeRow = Pick<Selectable<ChangesTable>, (typeof CHANGE_COLUMNS)[number]>;

export function changeFromRow(row: ChangeRow): ChangeRecord {
  return {
    cursor: String(row.seq),
    taskId: row.task_id,
    agencyId: row.agency_id,
    field: row.field,
    oldValue: JSON.parse(row.old_value),
    newValue: JSON.parse(row.new_value),
    version: row.version,
    by: row.by_name,
    at: row.at,
  };
}

export function conflictFromRow(row: Selectable<ConflictsTable>): ConflictRecord {
  return {
    id: row.id,
    taskId: row.task_id,
    agencyId: row.agency_id,
    field: row.field,
    yours: JSON.parse(row.yours),
    theirs: JSON.parse(row.theirs),
    baseVersion: row.base_version,
    submittedBy: row.submitted_by,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
    resolution: row.resolution as ConflictRecord['resolution'],
  };
}
