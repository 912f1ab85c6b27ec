/**
 * The overview: totals by category with both completion rates, the bars per
 * agency, the overdue and due-soon tasks, and who has reported this period.
 */
import { CATEGORIES, CATEGORY_COLORS } from '../../../shared/status';
import type { Report } from '../api';
import { h, uid } from '../dom';
import { categoryLabel, formatDay, formatMonth, formatPercent, t } from '../i18n';
import type { Row, View } from '../model';
import type { Filters } from '../url';
import { agencyChart } from './chart';
import { dataTable } from './table';

export interface OverviewProps {
  report: Report;
  view: View;
  filters: Filters;
  ownAgencyId: string | null;
  /** Present for the administrator: the two workbook downloads. */
  onDownload?: (kind: 'export' | 'report') => void;
}

export function categoryBadge(category: Row['category']): HTMLElement {
  const badge = h('span', { className: 'badge', 'data-category': category }, categoryLabel(category));
  badge.style.backgroundColor = `#${CATEGORY_COLORS[category].fill}`;
  badge.style.color = `#${CATEGORY_COLORS[category].font}`;
  return badge;
}

/** "Quá 12 ngày" / "Còn 3 ngày" / "—". */
export function timing(row: Row): string {
  if (row.task.daysLate !== null && row.task.daysLate > 0) return t('lateBy', { n: row.task.daysLate });
  if (row.task.daysLeft !== null) return t('daysLeft', { n: row.task.daysLeft });
  return '—';
}

function summary(view: View, filters: Filters): HTMLElement {
  const titleId = uid('summary');
  const s = view.totals;
  const card = (key: string, label: string, value: string, detail?: string, category?: Row['category']) => {
    const li = h(
      'li',
      { className: 'card', 'data-key': key },
      h('span', { className: 'card-label' }, label),
      h('span', { className: 'card-value' }, value),
      detail ? h('span', { className: 'card-detail' }, detail) : null,
    );
    if (category) li.style.borderTopColor = `#${CATEGORY_COLORS[category].font}`;
    return li;
  };
  return h(
    'section',
    { className: 'panel', 'aria-labelledby': titleId, id: 'summary' },
    h('h3', { id: titleId }, t('summary')),
    filters.agency ? h('p', { className: 'note' }, t('byAgencyNote')) : null,
    h(
      'ul',
      { className: 'cards' },
      card('total', t('totalTasks'), String(s.total)),
      card('rateOfAll', t('rateOfAll'), formatPercent(s.rateOfAll), t('rateDetail', { done: s.done, of: s.total })),
      card('rateOfDue', t('rateOfDue'), formatPercent(s.rateOfDue), t('rateDetail', { done: s.done, of: s.alreadyDue })),
      CATEGORIES.map((c) => card(c, categoryLabel(c), String(s.counts[c]), undefined, c)),
    ),
  );
}

function lateTable(rows: readonly Row[]): HTMLElement {
  const titleId = uid('late');
  return h(
    'section',
    { className: 'panel', 'aria-labelledby': titleId, id: 'late' },
    h('h3', { id: titleId }, `${t('late')} (${rows.length})`),
    rows.length === 0
      ? h('p', {}, t('lateEmpty'))
      : dataTable(
          [
            { label: t('no'), cell: (r: Row) => (r.task.section ? `${r.task.section}.${r.task.stt}` : r.task.stt), className: 'stt' },
            { label: t('task'), cell: (r: Row) => h('span', {}, r.task.task, r.mine ? h('span', { className: 'mine-tag' }, t('mine')) : null), className: 'text' },
            { label: t('lead'), cell: (r: Row) => r.task.lead.join(', ') },
            {
              label: t('pendingLeads'),
              cell: (r: Row) =>
                r.task.leads
                  .filter((l) => l.status !== 'done')
                  .map((l) => l.name)
                  .join(', '),
            },
            { label: t('deadline'), cell: (r: Row) => r.task.deadline },
            { label: t('due'), cell: (r: Row) => formatDay(r.task.effectiveDue), className: 'date' },
            { label: t('timing'), cell: (r: Row) => timing(r), className: 'num' },
            { label: t('category'), cell: (r: Row) => categoryBadge(r.category) },
          ],
          rows,
          { caption: t('late'), page: 50, id: 'late-table', rowClass: (r) => (r.mine ? 'mine' : null) },
        ),
  );
}

function reporting(report: Report, filters: Filters, agencyKeys: ReadonlySet<string>): HTMLElement {
  const titleId = uid('reporting');
  const rows = filters.agency ? report.reporting.filter((r) => agencyKeys.has(r.agencyId ?? '')) : report.reporting;
  const yesNo = (b: boolean) => h('span', { className: b ? 'yes' : 'no' }, b ? t('yes') : t('noWord'));
  // Before the report day an agency that has not reported is not late yet.
  const beforeReportDay = report.asOf <= report.period.reportBy;
  const onTime = (r: Report['reporting'][number]) => (r.reported || !beforeReportDay ? yesNo(r.onTime) : h('span', { className: 'pending' }, t('notYetDue')));
  return h(
    'section',
    { className: 'panel', 'aria-labelledby': titleId, id: 'reporting' },
    h('h3', { id: titleId }, t('reporting')),
    h(
      'p',
      {},
      t('reportingLine', {
        reported: rows.filter((r) => r.reported).length,
        total: rows.length,
        onTime: rows.filter((r) => r.onTime).length,
        date: formatDay(report.period.reportBy),
      }),
    ),
    dataTable(
      [
        { label: t('agency'), cell: (r: Report['reporting'][number]) => r.name },
        { label: t('reported'), cell: (r) => yesNo(r.reported) },
        { label: t('onTime'), cell: onTime },
        { label: t('firstOn'), cell: (r) => formatDay(r.firstOn), className: 'date' },
        { label: t('submissions'), cell: (r) => r.submissions, className: 'num' },
      ],
      rows,
      { caption: t('reporting'), page: 200, id: 'reporting-table' },
    ),
  );
}

export function overview(props: OverviewProps): HTMLElement {
  const { report, view, filters } = props;
  const downloads = props.onDownload
    ? h(
        'div',
        { className: 'downloads', role: 'group', 'aria-label': t('downloads') },
        h('button', { type: 'button', onclick: () => props.onDownload?.('export') }, t('downloadTracker')),
        h('button', { type: 'button', onclick: () => props.onDownload?.('report') }, t('downloadReport')),
      )
    : null;
  return h(
    'div',
    { className: 'overview' },
    h(
      'div',
      { className: 'heading' },
      h(
        'div',
        {},
        h('h2', { id: 'content-title', tabindex: -1 }, report.title),
        h('p', { className: 'note' }, t('asOfLine', { date: formatDay(report.asOf) }), ' · ', t('periodLine', { month: formatMonth(report.period.month), date: formatDay(report.period.reportBy) })),
      ),
      downloads,
    ),
    summary(view, filters),
    agencyChart(view.bars, props.ownAgencyId),
    lateTable(view.late),
    reporting(report, filters, new Set(filters.agency ? [filters.agency] : [])),
  );
}
