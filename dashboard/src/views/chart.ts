/**
 * The stacked bars of categories per lead agency, as inline SVG: one bar per
 * agency under its name (names wrap as text, so the chart reads on a phone),
 * bar lengths on one scale, the colours of the tracker workbook with a dark
 * outline of the same family. Every bar has a text alternative, and the same
 * figures are one click away as a table.
 */
import { CATEGORIES, CATEGORY_COLORS } from '../../../shared/status';
import { h, svg, uid } from '../dom';
import { categoryLabel, t } from '../i18n';
import type { AgencyBar } from '../model';
import { dataTable } from './table';

/** Agencies shown before "show all": the ones with the most overdue tasks. */
const FIRST = 15;

function parts(bar: AgencyBar): string {
  return CATEGORIES.filter((c) => bar.summary.counts[c] > 0)
    .map((c) => `${categoryLabel(c)} ${bar.summary.counts[c]}`)
    .join(', ');
}

function barRow(bar: AgencyBar, scale: number, ownAgencyId: string | null): HTMLLIElement {
  let x = 0;
  const rects = CATEGORIES.filter((c) => bar.summary.counts[c] > 0).map((c) => {
    const n = bar.summary.counts[c];
    const rect = svg(
      'rect',
      {
        x,
        y: 0,
        width: n,
        height: 1,
        fill: `#${CATEGORY_COLORS[c].fill}`,
        stroke: `#${CATEGORY_COLORS[c].font}`,
        'stroke-width': 1,
        'vector-effect': 'non-scaling-stroke',
        'data-category': c,
        'data-count': n,
      },
      svg('title', {}, `${categoryLabel(c)}: ${n}`),
    );
    x += n;
    return rect;
  });
  const label = t('chartRow', { name: bar.name, n: bar.summary.total, parts: parts(bar) });
  const mine = ownAgencyId !== null && bar.agencyId === ownAgencyId;
  return h(
    'li',
    { className: mine ? 'bar-row mine' : 'bar-row', 'data-agency': bar.key },
    h(
      'div',
      { className: 'bar-label' },
      h('span', { className: 'bar-name' }, bar.name, mine ? ` ${t('you')}` : null),
      h(
        'span',
        { className: 'bar-figures' },
        t('chartTasks', { n: bar.summary.total }),
        bar.summary.counts.overdue > 0 ? ` · ${categoryLabel('overdue')} ${bar.summary.counts.overdue}` : null,
      ),
    ),
    svg(
      'svg',
      { className: 'bar', viewBox: `0 0 ${scale} 1`, preserveAspectRatio: 'none', role: 'img', 'aria-label': label, focusable: 'false' },
      rects,
    ),
  );
}

export function legend(): HTMLElement {
  return h(
    'ul',
    { className: 'legend', 'aria-hidden': 'true' },
    CATEGORIES.map((c) => {
      const swatch = h('span', { className: 'swatch' });
      swatch.style.backgroundColor = `#${CATEGORY_COLORS[c].fill}`;
      swatch.style.borderColor = `#${CATEGORY_COLORS[c].font}`;
      return h('li', {}, swatch, categoryLabel(c));
    }),
  );
}

export function agencyChart(bars: readonly AgencyBar[], ownAgencyId: string | null): HTMLElement {
  const titleId = uid('chart-title');
  if (bars.length === 0) return h('section', { className: 'panel', 'aria-labelledby': titleId }, h('h3', { id: titleId }, t('chart')), h('p', {}, t('chartEmpty')));
  const scale = Math.max(1, ...bars.map((b) => b.summary.total));
  const list = h('ol', { className: 'bars', 'aria-labelledby': titleId });
  const show = (n: number) => list.replaceChildren(...bars.slice(0, n).map((b) => barRow(b, scale, ownAgencyId)));
  show(FIRST);
  const all = h('button', { type: 'button', className: 'secondary', hidden: bars.length <= FIRST }, t('showAllAgencies', { n: bars.length }));
  all.addEventListener('click', () => {
    show(bars.length);
    all.hidden = true;
    list.querySelector<HTMLElement>(`li:nth-child(${FIRST + 1})`)?.setAttribute('tabindex', '-1');
    list.querySelector<HTMLElement>(`li:nth-child(${FIRST + 1})`)?.focus();
  });
  const table = dataTable(
    [
      { label: t('agency'), cell: (b: AgencyBar) => b.name },
      { label: t('totalTasks'), cell: (b: AgencyBar) => b.summary.total, className: 'num' },
      ...CATEGORIES.map((c) => ({ label: categoryLabel(c), cell: (b: AgencyBar) => b.summary.counts[c], className: 'num' })),
    ],
    bars,
    { caption: t('chart'), page: 200 },
  );
  return h(
    'section',
    { className: 'panel chart', 'aria-labelledby': titleId, id: 'chart' },
    h('h3', { id: titleId }, t('chart')),
    h('p', { className: 'note' }, t('chartNote')),
    legend(),
    list,
    all,
    h('details', { className: 'chart-table' }, h('summary', {}, t('chartTable')), table),
  );
}
