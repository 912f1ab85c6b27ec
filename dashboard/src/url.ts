/**
 * What the page shows lives in the query string, so a link can be sent and a
 * reload (or Back) brings the same view: tracker, reporting date, agency,
 * section, category, search text and page.
 */
import type { StatusCategory } from '../../shared/schemas';
import { CATEGORIES } from '../../shared/status';

export const VIEWS = ['overview', 'tasks', 'conflicts', 'admin'] as const;
export type View = (typeof VIEWS)[number];

export interface Filters {
  tracker: string | null;
  /** null: today, as the service counts it. */
  asOf: string | null;
  /** A lead's key: its agency id, or "name:…" for a lead with no agency record. */
  agency: string | null;
  section: string | null;
  category: StatusCategory | null;
  q: string;
  view: View;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export function readFilters(search: string): Filters {
  const p = new URLSearchParams(search);
  const text = (name: string) => {
    const v = p.get(name)?.trim();
    return v ? v.slice(0, 300) : null;
  };
  const category = p.get('category');
  const view = p.get('view');
  const asOf = p.get('asOf');
  return {
    tracker: text('tracker'),
    asOf: asOf && ISO_DAY.test(asOf) ? asOf : null,
    agency: text('agency'),
    section: text('section'),
    category: CATEGORIES.includes(category as StatusCategory) ? (category as StatusCategory) : null,
    q: (p.get('q') ?? '').slice(0, 300),
    view: VIEWS.includes(view as View) ? (view as View) : 'overview',
  };
}

/** The query string for these filters; empty and default values are left out. */
export function writeFilters(f: Filters): string {
  const p = new URLSearchParams();
  if (f.tracker) p.set('tracker', f.tracker);
  if (f.asOf) p.set('asOf', f.asOf);
  if (f.agency) p.set('agency', f.agency);
  if (f.section) p.set('section', f.section);
  if (f.category) p.set('category', f.category);
  if (f.q.trim()) p.set('q', f.q);
  if (f.view !== 'overview') p.set('view', f.view);
  const s = p.toString();
  return s ? `?${s}` : '';
}
