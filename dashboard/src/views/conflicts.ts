/**
 * The administrator's conflicts: for each, the agency's value and the stored
 * one side by side, a value of one's own, and beside them the task's history
 * (the change feed filtered to the task) to judge which is right.
 */
import type { ProgressStatus } from '../../../shared/schemas';
import type { ChangeRecord, ConflictRecord, DashboardTask } from '../api';
import { h, uid } from '../dom';
import { fieldLabel, formatDay, formatMoment, progressLabel, t } from '../i18n';

export type Resolution = { choose: 'yours' | 'theirs' } | { value: unknown };

export interface ConflictsProps {
  conflicts: readonly ConflictRecord[];
  tasks: ReadonlyMap<string, DashboardTask>;
  agencyName: (agencyId: string) => string;
  history: (taskId: string) => Promise<ChangeRecord[]>;
  onResolve: (conflict: ConflictRecord, resolution: Resolution) => Promise<void>;
}

const STATUSES: ProgressStatus[] = ['not_started', 'in_progress', 'done'];

export function formatValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return t('empty');
  if (field === 'status' && STATUSES.includes(value as ProgressStatus)) return progressLabel(value as ProgressStatus);
  if (field === 'completedOn' && typeof value === 'string') return formatDay(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The input for a value of one's own, of the field's kind, and how to read it back. */
function ownValueInput(conflict: ConflictRecord, id: string): { input: HTMLElement; read: () => unknown } {
  if (conflict.field === 'status') {
    const select = h(
      'select',
      { id },
      STATUSES.map((s) => h('option', { value: s, selected: s === conflict.theirs }, progressLabel(s))),
    );
    return { input: select, read: () => select.value };
  }
  if (conflict.field === 'completedOn') {
    const input = h('input', { id, type: 'date', value: typeof conflict.theirs === 'string' ? conflict.theirs : '' });
    return { input, read: () => input.value || null };
  }
  const area = h('textarea', { id, rows: 3 });
  area.value = typeof conflict.theirs === 'string' ? conflict.theirs : '';
  return { input: area, read: () => area.value };
}

function historyList(changes: readonly ChangeRecord[], agencyName: (id: string) => string): HTMLElement {
  if (changes.length === 0) return h('p', {}, t('historyNone'));
  return h(
    'ol',
    { className: 'history-list', reversed: true },
    // Newest first: the latest change is the one a conflict is about.
    [...changes].reverse().map((c) =>
      h(
        'li',
        {},
        h('span', { className: 'history-change' }, t('historyLine', { field: fieldLabel(c.field), old: formatValue(c.field, c.oldValue), new: formatValue(c.field, c.newValue) })),
        h('span', { className: 'history-meta' }, t('historyBy', { at: formatMoment(c.at), agency: agencyName(c.agencyId), by: c.by, version: c.version })),
      ),
    ),
  );
}

function conflictCard(conflict: ConflictRecord, props: ConflictsProps): HTMLElement {
  const task = props.tasks.get(conflict.taskId);
  const titleId = uid('conflict');
  const ownId = uid('own');
  const own = ownValueInput(conflict, ownId);
  const buttons: HTMLButtonElement[] = [];
  const act = (resolution: Resolution) => async () => {
    for (const b of buttons) b.disabled = true;
    try {
      await props.onResolve(conflict, resolution);
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  };
  const button = (label: string, resolution: () => Resolution, className = '') => {
    const b = h('button', { type: 'button', className }, label);
    b.addEventListener('click', () => void act(resolution())());
    buttons.push(b);
    return b;
  };
  const side = (kind: 'yours' | 'theirs', value: unknown) =>
    h(
      'div',
      { className: `side ${kind}` },
      h('h4', {}, t(kind)),
      h('p', { className: 'value', 'data-side': kind }, formatValue(conflict.field, value)),
      button(kind === 'yours' ? t('chooseYours') : t('chooseTheirs'), () => ({ choose: kind })),
    );
  const history = h('div', { className: 'history', 'aria-busy': 'true' }, h('p', {}, t('loading')));
  props
    .history(conflict.taskId)
    .then((changes) => history.replaceChildren(historyList(changes, props.agencyName)))
    .catch((e: Error) => history.replaceChildren(h('p', { className: 'error' }, e.message)))
    .finally(() => history.removeAttribute('aria-busy'));

  return h(
    'article',
    { className: 'conflict panel', 'aria-labelledby': titleId, 'data-conflict': conflict.id },
    h('h3', { id: titleId }, task ? `${task.section ? `${task.section}.` : ''}${task.stt}. ${task.task}` : conflict.taskId),
    h(
      'p',
      { className: 'note' },
      t('conflictMeta', { agency: props.agencyName(conflict.agencyId), field: fieldLabel(conflict.field), at: formatMoment(conflict.createdAt) }),
    ),
    h(
      'div',
      { className: 'conflict-body' },
      h(
        'div',
        { className: 'decide' },
        h('div', { className: 'sides' }, side('yours', conflict.yours), side('theirs', conflict.theirs)),
        h(
          'div',
          { className: 'own-value' },
          h('label', { for: ownId }, t('ownValue'), ` (${fieldLabel(conflict.field)})`),
          own.input,
          button(t('saveValue'), () => ({ value: own.read() }), 'secondary'),
        ),
      ),
      h('section', { className: 'history-panel', 'aria-label': t('history') }, h('h4', {}, t('history')), history),
    ),
  );
}

export function conflictList(props: ConflictsProps): HTMLElement {
  return h(
    'div',
    { className: 'conflicts' },
    h('h2', { id: 'content-title', tabindex: -1 }, `${t('conflictsTitle')} (${props.conflicts.length})`),
    h('p', { className: 'note' }, t('conflictsHelp')),
    props.conflicts.length === 0 ? h('p', {}, t('conflictsNone')) : props.conflicts.map((c) => conflictCard(c, props)),
  );
}
