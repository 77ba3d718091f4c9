// `%track runs`: the runs DataFrame as a table. Click a header to sort (again: descending),
// type to filter (every cell, case-insensitive), click rows or their boxes to select them;
// the selected run ids go to the kernel as `selected_ids` (`table.selected` there is the
// DataFrame). Cells are kernel text, set as textContent, never as HTML.
import type { RenderProps } from '@anywidget/types';

import { ensureCompareStyles } from './compare-styles';
import { node } from './dom';
import { ensureStyles } from './styles';

type Cell = string | number | null;

export interface IRunsTableTraits {
  _labtrack_view: string;
  columns: string[];
  rows: Cell[][];
  selected_ids: string[];
}

/** Rows drawn at most (after filter and sort); the rest are counted, not drawn. */
export const MAX_DRAWN_ROWS = 500;

/** Numbers before text, missing cells last, whichever the direction. */
export function compareCells(a: Cell, b: Cell, descending: boolean): number {
  if (a === null || b === null) {
    return a === b ? 0 : a === null ? 1 : -1;
  }
  const order =
    typeof a === 'number' && typeof b === 'number'
      ? a - b
      : typeof a === 'number'
        ? -1
        : typeof b === 'number'
          ? 1
          : String(a).localeCompare(String(b));
  return descending ? -order : order;
}

/** Numbers to six significant digits (the kernel keeps them exact); missing as a dash. */
export function showCell(cell: Cell): string {
  if (cell === null) {
    return '—';
  }
  return typeof cell === 'number' && !Number.isInteger(cell) ? String(Number(cell.toPrecision(6))) : String(cell);
}

export function renderRunsTable({ model, el }: RenderProps<IRunsTableTraits>): () => void {
  ensureStyles(el);
  ensureCompareStyles(el);
  const doc = el.ownerDocument;
  const root = node(doc, 'div', 'lt-w-compare', 'labtrack-runs-table');
  const header = node(doc, 'div', 'lt-w-cmp-header');
  const count = node(doc, 'span', 'lt-w-cmp-title', 'labtrack-runs-count');
  const filter = node(doc, 'input', 'lt-w-cmp-select', 'labtrack-runs-filter') as HTMLInputElement;
  filter.type = 'search';
  filter.placeholder = 'Filter runs…';
  filter.setAttribute('aria-label', 'Filter runs');
  const clear = node(doc, 'button', 'lt-w-cmp-select', 'labtrack-runs-clear') as HTMLButtonElement;
  clear.textContent = 'Clear selection';
  header.append(count, filter, clear);
  const scroll = node(doc, 'div', 'lt-w-cmp-table-scroll');
  scroll.style.maxHeight = '420px';
  scroll.style.overflow = 'auto';
  const note = node(doc, 'p', 'lt-w-cmp-note', 'labtrack-runs-note');
  root.append(header, scroll, note);
  el.replaceChildren(root);

  let sortColumn = -1;
  let descending = false;

  const draw = (): void => {
    const columns = model.get('columns') ?? [];
    const rows = model.get('rows') ?? [];
    const idColumn = columns.indexOf('run_id');
    const selected = new Set(model.get('selected_ids') ?? []);
    const needle = filter.value.trim().toLowerCase();
    let shown = needle
      ? rows.filter(row => row.some(cell => cell !== null && String(cell).toLowerCase().includes(needle)))
      : rows.slice();
    if (sortColumn >= 0) {
      shown.sort((a, b) => compareCells(a[sortColumn], b[sortColumn], descending));
    }
    const total = shown.length;
    shown = shown.slice(0, MAX_DRAWN_ROWS);
    count.textContent = `${total} of ${rows.length} runs · ${selected.size} selected`;
    root.dataset.shown = String(total);
    root.dataset.selected = String(selected.size);
    note.textContent = total > MAX_DRAWN_ROWS ? `Showing the first ${MAX_DRAWN_ROWS}; filter to see others.` : '';

    const table = node(doc, 'table', 'lt-w-cmp-table', 'labtrack-runs-grid');
    const headRow = doc.createElement('tr');
    headRow.append(doc.createElement('th'));
    columns.forEach((name, i) => {
      const th = doc.createElement('th');
      th.scope = 'col';
      th.textContent = name + (i === sortColumn ? (descending ? ' ▼' : ' ▲') : '');
      th.style.cursor = 'pointer';
      th.dataset.column = name;
      th.setAttribute('aria-sort', i === sortColumn ? (descending ? 'descending' : 'ascending') : 'none');
      th.addEventListener('click', () => {
        descending = i === sortColumn ? !descending : false;
        sortColumn = i;
        draw();
      });
      headRow.append(th);
    });
    const head = doc.createElement('thead');
    head.append(headRow);
    const body = doc.createElement('tbody');
    for (const row of shown) {
      const runId = String(row[idColumn]);
      const tr = doc.createElement('tr');
      tr.dataset.runId = runId;
      tr.style.cursor = 'pointer';
      const isSelected = selected.has(runId);
      tr.classList.toggle('lt-w-cmp-selected', isSelected);
      tr.setAttribute('aria-selected', String(isSelected));
      const box = doc.createElement('input');
      box.type = 'checkbox';
      box.checked = isSelected;
      box.setAttribute('aria-label', `select run ${runId}`);
      const boxCell = doc.createElement('td');
      boxCell.append(box);
      tr.append(boxCell);
      for (const cell of row) {
        const td = doc.createElement('td');
        td.textContent = showCell(cell);
        if (cell === null) {
          td.className = 'lt-w-cmp-missing';
        }
        tr.append(td);
      }
      tr.addEventListener('click', () => toggle(runId));
      body.append(tr);
    }
    table.append(head, body);
    scroll.replaceChildren(table);
  };

  /** Selected ids are kept in the order of the rows (the frame's order). */
  const toggle = (runId: string): void => {
    const columns = model.get('columns') ?? [];
    const idColumn = columns.indexOf('run_id');
    const chosen = new Set(model.get('selected_ids') ?? []);
    if (chosen.has(runId)) {
      chosen.delete(runId);
    } else {
      chosen.add(runId);
    }
    const ordered = (model.get('rows') ?? []).map(r => String(r[idColumn])).filter(id => chosen.has(id));
    model.set('selected_ids', ordered);
    model.save_changes();
  };

  filter.addEventListener('input', draw);
  clear.addEventListener('click', () => {
    model.set('selected_ids', []);
    model.save_changes();
  });
  model.on('change:rows change:columns change:selected_ids', draw);
  draw();

  return () => {
    model.off('change:rows change:columns change:selected_ids', draw);
    root.remove();
  };
}
