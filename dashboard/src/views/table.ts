/**
 * Tables that stay readable on a phone (each row becomes a card whose cells
 * carry their column's name, see styles.css) and fast on thousands of rows
 * (the first page only, then "show more").
 */
import { h, type Child } from '../dom';
import { t } from '../i18n';

export interface Column<T> {
  label: string;
  cell: (row: T) => Child | Child[];
  className?: string;
}

export interface TableOptions<T> {
  caption: string;
  /** Rows shown at first and added by each "show more". */
  page?: number;
  rowClass?: (row: T) => string | null;
  id?: string;
}

export function dataTable<T>(columns: readonly Column<T>[], rows: readonly T[], options: TableOptions<T>): HTMLElement {
  const page = options.page ?? 100;
  const body = h('tbody');
  const count = h('p', { className: 'table-count' });
  const more = h('button', { type: 'button', className: 'secondary' });
  let shown = 0;

  const addRows = (n: number) => {
    const fragment = document.createDocumentFragment();
    const end = Math.min(rows.length, shown + n);
    for (let i = shown; i < end; i++) {
      const row = rows[i];
      const tr = h('tr', { className: options.rowClass?.(row) ?? null });
      for (const c of columns) tr.append(h('td', { 'data-label': c.label, className: c.className ?? null }, c.cell(row)));
      fragment.append(tr);
    }
    body.append(fragment);
    shown = end;
    count.textContent = rows.length > page ? t('shownOf', { shown, total: rows.length }) : '';
    more.hidden = shown >= rows.length;
    more.textContent = t('showMore', { n: Math.min(page, rows.length - shown) });
  };
  more.addEventListener('click', () => {
    addRows(page);
    // A hidden button loses focus: keep the keyboard user in the table rather than at the top of the page.
    if (more.hidden) table.focus();
  });

  const table = h(
    'table',
    { className: 'data', id: options.id ?? null, tabindex: -1 },
    h('caption', { className: 'visually-hidden' }, options.caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', className: c.className ?? null }, c.label)))),
    body,
  );
  addRows(page);
  return h('div', { className: 'table-wrap' }, table, count, more);
}
