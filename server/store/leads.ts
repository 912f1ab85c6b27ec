/**
 * Who reports on a task: its lead agencies, each with a report of its own, or — for a task led by a
 * group such as "Các sở, ban, ngành, địa phương" — each member that sends one. Also how the task's
 * overall progress derives from those reports.
 */
import type { AgencyKind, Progress, RegistryAgency } from '../../shared/schemas';
import { matchKey } from '../../shared/text';

/** A task's lead as resolved through the registry when the tracker was created. */
export interface LeadRef {
  name: string;
  registryId: string | null;
  kind: AgencyKind;
}

export type AgencyLike = LeadRef;

/** The registry lookup used to resolve lead names (AgencyRegistry from shared/agencies.ts fits). */
export interface LeadResolver {
  find(name: string): RegistryAgency | undefined;
}

export function resolveLeads(names: readonly string[], registry: LeadResolver): LeadRef[] {
  return names.map((name) => {
    const found = registry.find(name);
    return found ? { name: found.name, registryId: found.id, kind: found.kind } : { name, registryId: null, kind: 'other' };
  });
}

/**
 * A lead's or an agency's name key, made once per object: the same leads and agencies (kept by the
 * catalogue) are matched against each other on every change of every sync.
 */
const nameKeys = new WeakMap<AgencyLike, string>();
function nameKey(agency: AgencyLike): string {
  let key = nameKeys.get(agency);
  if (key === undefined) nameKeys.set(agency, (key = matchKey(agency.name)));
  return key;
}

/** The agency is this (non-group) lead: same registry id, or the same name up to case, accents and punctuation. */
export function isLead(lead: LeadRef, agency: AgencyLike): boolean {
  if (lead.registryId && agency.registryId) return lead.registryId === agency.registryId;
  return nameKey(lead) === nameKey(agency);
}

/** Which agencies a group takes reports from; groups not listed here are broad and take any agency. */
const GROUP_MEMBERS: Record<string, (agency: AgencyLike) => boolean> = {
  'ubnd-cac-xa-phuong': (a) => a.kind === 'commune',
  'dang-uy-cac-xa-phuong': (a) => a.kind === 'party' && /^dang uy (xa|phuong) /.test(nameKey(a)),
  'cac-so-ban-nganh': (a) => a.kind !== 'commune' && a.kind !== 'group',
};

export function groupAccepts(group: LeadRef, agency: AgencyLike): boolean {
  if (agency.kind === 'group') return false;
  const rule = group.registryId ? GROUP_MEMBERS[group.registryId] : undefined;
  return rule ? rule(agency) : true;
}

/**
 * The permission rule: may this agency's report on a task with these leads be written?
 * An agency writes only where it leads or belongs to a leading group; the administrator, writing on
 * an agency's behalf, is held to the same leads, except on a task that names no lead at all.
 */
export function mayWriteReport(leads: readonly LeadRef[], agency: AgencyLike, callerRole: 'admin' | 'agency'): boolean {
  if (leads.length === 0) return callerRole === 'admin';
  return leads.some((lead) => (lead.kind === 'group' ? groupAccepts(lead, agency) : isLead(lead, agency)));
}

/** Position of the agency among the task's leads (for ordering reports); leads.length when it reports through a group. */
export function leadIndex(leads: readonly LeadRef[], agency: AgencyLike): number {
  const i = leads.findIndex((lead) => lead.kind !== 'group' && isLead(lead, agency));
  return i < 0 ? leads.length : i;
}

export interface LeadReport {
  agency: AgencyLike;
  progress: Progress;
}

/**
 * Overall progress of a task: done when every named lead has a done report and every report received
 * (from group members too) is done — with at least one report; completed on the latest completedOn.
 * In progress when any report is under way or done; not started otherwise. Texts are the single
 * report's, or each agency's prefixed with its name.
 */
export function overallProgress(leads: readonly LeadRef[], reports: readonly LeadReport[]): Progress {
  const required = leads.filter((lead) => lead.kind !== 'group');
  const isDone = (r: LeadReport): boolean => r.progress.status === 'done';
  const done =
    reports.length > 0 && reports.every(isDone) && required.every((lead) => reports.some((r) => isDone(r) && isLead(lead, r.agency)));
  const started = reports.some((r) => r.progress.status !== 'not_started');
  const completedOn = done
    ? reports.reduce<string | null>((latest, r) => (r.progress.completedOn && (!latest || r.progress.completedOn > latest) ? r.progress.completedOn : latest), null)
    : null;
  const text = (field: 'result' | 'evidence' | 'note'): string => {
    const filled = reports.filter((r) => r.progress[field] !== '');
    if (reports.length === 1 || filled.length === 0) return filled[0]?.progress[field] ?? '';
    return filled.map((r) => `${r.agency.name}: ${r.progress[field]}`).join('\n');
  };
  return {
    status: done ? 'done' : started ? 'in_progress' : 'not_started',
    result: text('result'),
    completedOn,
    evidence: text('evidence'),
    note: text('note'),
  };
}
