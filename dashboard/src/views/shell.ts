/**
 * The frame around every page: the header (who is signed in, language, sign
 * out), the page links, and the filter bar. The filter bar is built once per
 * load, not per keystroke, so the search box keeps its focus while typing.
 */
import { CATEGORIES } from '../../../shared/status';
import type { Me, TrackerSummary } from '../api';
import { h, uid } from '../dom';
import { categoryLabel, formatDay, parseDay, t } from '../i18n';
import type { Prepared } from '../model';
import { writeFilters, type Filters, type View } from '../url';

export function languageButton(onSwitch: () => void): HTMLButtonElement {
  return h('button', { type: 'button', className: 'link-button', id: 'lang-switch', 'aria-label': t('switchLangLabel'), onclick: onSwitch }, t('switchLang'));
}

export function header(me: Me | null, handlers: { onLanguage: () => void; onSignOut?: () => void }): HTMLElement {
  return h(
    'header',
    { className: 'topbar' },
    h('div', { className: 'brand' }, h('h1', {}, t('appTitle')), h('p', {}, t('appSubtitle'))),
    h(
      'div',
      { className: 'account' },
      // The administrator's name is a role, said in the reader's language; an agency's is its own.
      me ? h('span', { className: 'who' }, h('strong', {}, me.role === 'admin' ? t('roleAdmin') : me.name), me.role === 'agency' ? ` · ${t('roleAgency')}` : null) : null,
      languageButton(handlers.onLanguage),
      handlers.onSignOut ? h('button', { type: 'button', className: 'link-button', id: 'sign-out', onclick: handlers.onSignOut }, t('signOut')) : null,
    ),
  );
}

export function pageLinks(filters: Filters, isAdmin: boolean, openConflicts: number, go: (view: View) => void): HTMLElement {
  const views: { view: View; label: string }[] = [
    { view: 'overview', label: t('viewOverview') },
    { view: 'tasks', label: t('viewTasks') },
    ...(isAdmin
      ? [
          { view: 'conflicts' as const, label: `${t('viewConflicts')}${openConflicts ? ` (${openConflicts})` : ''}` },
          { view: 'admin' as const, label: t('viewAdmin') },
        ]
      : []),
  ];
  return h(
    'nav',
    { className: 'pages', 'aria-label': t('pages') },
    h(
      'ul',
      {},
      views.map(({ view, label }) =>
        h(
          'li',
          {},
          h(
            'a',
            {
              href: writeFilters({ ...filters, view }) || '?',
              'aria-current': filters.view === view ? 'page' : null,
              'data-view': view,
              onclick: (event: Event) => {
                const e = event as MouseEvent;
                if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return; // a new tab keeps the link's own behaviour
                e.preventDefault();
                go(view);
              },
            },
            label,
          ),
        ),
      ),
    ),
  );
}

export interface FilterBarProps {
  filters: Filters;
  trackers: readonly TrackerSummary[];
  data: Prepared | null;
  /** The reporting date in effect (today's when none is chosen). */
  asOf: string | null;
  open: boolean;
  onToggle: (open: boolean) => void;
  onChange: (patch: Partial<Filters>, options?: { typing?: boolean }) => void;
}

function labelled(label: string, control: HTMLElement, hint?: string): HTMLElement {
  control.id ||= uid('filter');
  const hintId = hint ? `${control.id}-hint` : null;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h('div', { className: 'field' }, h('label', { for: control.id }, label), control, hint ? h('span', { className: 'hint', id: hintId }, hint) : null);
}

function select(name: string, value: string | null, choices: { value: string; label: string }[], onChange: (value: string | null) => void): HTMLSelectElement {
  const el = h(
    'select',
    { name, id: `filter-${name}` },
    choices.map((c) => h('option', { value: c.value, selected: c.value === (value ?? '') }, c.label)),
  );
  el.addEventListener('change', () => onChange(el.value || null));
  return el;
}

export function filterBar(props: FilterBarProps): HTMLElement {
  const { filters, data, onChange } = props;
  const tracker = select(
    'tracker',
    filters.tracker,
    props.trackers.map((tr) => ({ value: tr.id, label: `${tr.title} (${tr.taskCount})` })),
    (v) => onChange({ tracker: v, agency: null, section: null }),
  );
  // A text field, not type="date": a browser shows a date field in its own locale (mm/dd/yyyy in en-US),
  // and every date on the page reads dd/mm/yyyy.
  const asOf = h('input', {
    type: 'text',
    name: 'asOf',
    id: 'filter-asOf',
    value: props.asOf ? formatDay(props.asOf) : '',
    required: true,
    inputMode: 'numeric',
    placeholder: 'dd/mm/yyyy',
    autocomplete: 'off',
  });
  asOf.addEventListener('change', () => {
    const day = parseDay(asOf.value);
    asOf.setAttribute('aria-invalid', String(day === null));
    asOf.setCustomValidity(day === null ? t('badDay') : '');
    if (day === null) asOf.reportValidity();
    else onChange({ asOf: day });
  });
  const agency = select(
    'agency',
    filters.agency,
    [{ value: '', label: t('allAgencies') }, ...(data?.agencies ?? []).map((a) => ({ value: a.key, label: a.name }))],
    (v) => onChange({ agency: v }),
  );
  const section = select(
    'section',
    filters.section,
    [{ value: '', label: t('allSections') }, ...(data?.sections ?? []).map((s) => ({ value: s.id, label: s.title ? `${s.id}. ${s.title}` : s.id }))],
    (v) => onChange({ section: v }),
  );
  const category = select(
    'category',
    filters.category,
    [{ value: '', label: t('allCategories') }, ...CATEGORIES.map((c) => ({ value: c, label: categoryLabel(c) }))],
    (v) => onChange({ category: v as Filters['category'] }),
  );
  const search = h('input', { type: 'search', name: 'q', id: 'filter-q', value: filters.q, autocomplete: 'off', spellcheck: 'false' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    // One redraw per pause in typing, not per key.
    timer = setTimeout(() => onChange({ q: search.value }, { typing: true }), 200);
  });
  const clear = h('button', { type: 'button', className: 'secondary', id: 'filter-clear', onclick: () => onChange({ agency: null, section: null, category: null, q: '' }) }, t('clearFilters'));
  const form = h(
    'form',
    { className: 'filters', role: 'search', 'aria-label': t('filters') },
    labelled(t('tracker'), tracker),
    labelled(t('asOf'), asOf),
    labelled(t('agency'), agency),
    labelled(t('section'), section),
    labelled(t('category'), category),
    labelled(t('search'), search, t('searchHint')),
    h('div', { className: 'field actions' }, clear),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    onChange({ q: search.value });
  });
  // On a phone the filters fold away under one line that says how many are in use.
  const active = [filters.agency, filters.section, filters.category, filters.q.trim()].filter(Boolean).length;
  const panel = h(
    'details',
    { className: 'filter-panel', open: props.open },
    h('summary', {}, t('filters'), active ? ` (${t('activeFilters', { n: active })})` : null),
    form,
  );
  panel.addEventListener('toggle', () => props.onToggle(panel.open));
  return panel;
}
