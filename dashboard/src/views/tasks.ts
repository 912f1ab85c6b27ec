/** Every task that passes the filters, with where it stands; the signed-in agency's own first. */
import { h } from '../dom';
import { formatDay, progressLabel, t } from '../i18n';
import type { Row } from '../model';
import { categoryBadge, timing } from './overview';
import { dataTable } from './table';

export function taskList(rows: readonly Row[], ownAgencyId: string | null): HTMLElement {
  return h(
    'section',
    { className: 'panel', 'aria-labelledby': 'content-title' },
    h('h2', { id: 'content-title', tabindex: -1 }, `${t('tasksTitle')} (${rows.length})`),
    ownAgencyId ? h('p', { className: 'note' }, t('ownFirst')) : null,
    dataTable(
      [
        { label: t('no'), cell: (r: Row) => (r.task.section ? `${r.task.section}.${r.task.stt}` : r.task.stt), className: 'stt' },
        { label: t('task'), cell: (r: Row) => h('span', {}, r.task.task, r.mine ? h('span', { className: 'mine-tag' }, t('mine')) : null), className: 'text' },
        { label: t('lead'), cell: (r: Row) => r.task.lead.join(', ') },
        { label: t('deadline'), cell: (r: Row) => r.task.deadline },
        { label: t('due'), cell: (r: Row) => formatDay(r.task.effectiveDue), className: 'date' },
        { label: t('progress'), cell: (r: Row) => progressLabel(r.task.status) },
        { label: t('category'), cell: (r: Row) => categoryBadge(r.category) },
        { label: t('timing'), cell: (r: Row) => timing(r), className: 'num' },
      ],
      rows,
      { caption: t('tasksTitle'), page: 100, id: 'task-table', rowClass: (r) => (r.mine ? 'mine' : null) },
    ),
  );
}
