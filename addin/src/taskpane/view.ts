/**
 * Small DOM builders for the pane's results: tables, problem lists, the
 * category summary and the side-by-side conflicts. IE 11's DOM only (no
 * append(), closest() or remove()); text always goes in as text, never as
 * HTML, since cells and service answers are untrusted.
 */
import type { StatusCategory } from '../../../shared/schemas';
import { CATEGORIES, CATEGORY_COLORS, CATEGORY_LABELS } from '../../../shared/status';
import { t, pick, type WordKey } from './i18n';

type Attrs = Record<string, string>;
type Child = Node | string | number | null | undefined | false;

export function el(tag: string, attrs: Attrs = {}, children: Child[] = []): HTMLElement {
  const node = document.createElement(tag);
  Object.keys(attrs).forEach((k) => node.setAttribute(k, attrs[k]));
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} missing from taskpane.html`);
  return node as T;
}

/** Replaces the content of a result area. */
export function show(target: HTMLElement, ...children: Child[]): void {
  while (target.firstChild) target.removeChild(target.firstChild);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    target.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

export type StatusKind = 'info' | 'success' | 'warning' | 'error';

/** The live region screen readers announce. */
export function setStatus(text: string, kind: StatusKind = 'info'): void {
  const status = byId('status');
  status.className = kind === 'info' ? 'status' : `status ${kind}`;
  status.textContent = text;
}

export function table(headers: string[], rows: Child[][], caption?: string): HTMLElement {
  return el('table', {}, [
    caption ? el('caption', { class: 'help' }, [caption]) : null,
    el('thead', {}, [el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, [h])))]),
    el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c) => el('td', typeof c === 'number' ? { class: 'number' } : {}, [typeof c === 'number' ? String(c) : c]))))),
  ]);
}

const SEVERITY_WORDS: Record<ProblemItem['severity'], WordKey> = { error: 'severityError', warning: 'severityWarning', info: 'severityInfo' };

export interface ProblemItem {
  row: number | null;
  severity: 'error' | 'warning' | 'info';
  message: string;
  messageEn: string;
  /** Data for the click: the cell to select. */
  sheet: string;
  address: string | null;
}

/** A heading with the count and one button per problem; the button selects the cell. */
export function problemList(items: readonly ProblemItem[], headingKey: WordKey = 'problems'): HTMLElement {
  if (items.length === 0) return el('p', {}, [t('noProblems')]);
  const id = `problems-${Math.floor(Math.random() * 1e9)}`;
  return el('div', {}, [
    el('h3', { id }, [t(headingKey, { count: items.length })]),
    el(
      'ul',
      { class: 'problems', 'aria-labelledby': id },
      items.map((p) => {
        const text = pick(p);
        // The core's checks already start with the row; the recogniser's do not.
        const row = p.row !== null && !/^(Dòng|Row) \d/.test(text) ? `${t('rowN', { row: p.row })}: ` : '';
        const body = [el('span', { class: `severity-${p.severity}` }, [`${t(SEVERITY_WORDS[p.severity])} · `]), row, text];
        return el('li', {}, [
          p.address ? el('button', { type: 'button', 'data-action': 'select-cell', 'data-sheet': p.sheet, 'data-address': p.address }, body) : el('span', {}, body),
        ]);
      }),
    ),
  ]);
}

/** Counts per category, in report order, with the sheet's colours. */
export function categorySummary(counts: Partial<Record<StatusCategory, number>>, caption: string): HTMLElement {
  let total = 0;
  const rows: Child[][] = CATEGORIES.map((c) => {
    const n = counts[c] ?? 0;
    total += n;
    const swatch = el('span', { class: 'swatch', style: `background:#${CATEGORY_COLORS[c].fill}`, 'aria-hidden': 'true' });
    return [el('span', { 'data-category': c }, [swatch, pick(CATEGORY_LABELS[c])]), n];
  });
  rows.push([el('strong', {}, [t('total')]), total]);
  return table([t('category'), t('count')], rows, caption);
}

export interface ConflictView {
  id: string;
  title: string;
  field: string;
  left: { label: string; value: string };
  right: { label: string; value: string };
  actions: { keep: string; label: string }[];
}

/** One conflict: the two values side by side and a button per choice. */
export function conflictCard(c: ConflictView): HTMLElement {
  const headingId = `conflict-${c.id}`;
  return el('div', { class: 'conflict', role: 'group', 'aria-labelledby': headingId, 'data-conflict': c.id }, [
    el('h3', { id: headingId }, [`${c.title} — ${c.field}`]),
    el('div', { class: 'sides' }, [
      el('div', { class: 'side', 'data-side': 'left' }, [el('h4', {}, [c.left.label]), c.left.value]),
      el('div', { class: 'side', 'data-side': 'right' }, [el('h4', {}, [c.right.label]), c.right.value]),
    ]),
    el(
      'div',
      { class: 'row' },
      c.actions.map((a) => el('button', { type: 'button', 'data-action': 'resolve', 'data-conflict': c.id, 'data-keep': a.keep }, [a.label])),
    ),
  ]);
}

/** The nearest element (self or ancestor) carrying the attribute: closest() for IE 11. */
export function withAttribute(start: EventTarget | null, attribute: string): HTMLElement | null {
  for (let node = start as HTMLElement | null; node && node.getAttribute; node = node.parentElement) {
    if (node.getAttribute(attribute) !== null) return node;
  }
  return null;
}
