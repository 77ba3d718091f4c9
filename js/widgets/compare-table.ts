// The params × runs table of the comparison widget, with "Only differences". Every value is
// kernel text, set as textContent, never as HTML.
import type { AnyModel } from '@anywidget/types';

import { paramsSummary, valuesDiffer } from '../plots/compare-data';
import { node } from './dom';
import { formatValue } from './format';

export interface IParamsTableInput {
  params: readonly { key: string; values: readonly (string | null)[] }[];
  runLabels: readonly string[];
  runIds: readonly string[];
  onlyDifferences: boolean;
  /** Runs brushed in the plot: their columns are highlighted. */
  selected: ReadonlySet<string>;
  /** Rows after the params, always shown: each metric's value at a chosen step. */
  extraRows?: readonly { key: string; label: string; values: readonly (string | null)[] }[];
}

/** Run columns drawn at most: the selected runs first, then the others in order. A table of
 *  10k columns takes seconds to lay out and cannot be read anyway. */
export const MAX_TABLE_RUNS = 100;

/** The run columns to draw, by index: selected runs first, at most MAX_TABLE_RUNS. */
export function tableColumns(runIds: readonly string[], selected: ReadonlySet<string>): number[] {
  const all = runIds.map((_id, i) => i);
  if (all.length <= MAX_TABLE_RUNS) {
    return all;
  }
  const chosen = all.filter(i => selected.has(runIds[i]));
  const rest = all.filter(i => !selected.has(runIds[i]));
  return [...chosen, ...rest].slice(0, MAX_TABLE_RUNS);
}

/** Fill `host` with the summary line and the table. */
export function renderParamsTable(host: HTMLElement, input: IParamsTableInput): void {
  const doc = host.ownerDocument;
  const shown = input.onlyDifferences ? input.params.filter(p => valuesDiffer(p.values)) : input.params;
  const summary = node(doc, 'p', 'lt-w-cmp-note', 'labtrack-compare-params-summary');
  const columns = tableColumns(input.runIds, input.selected);
  const dropped = input.runIds.length - columns.length;
  summary.textContent =
    paramsSummary(input.params.length, shown.length) +
    (dropped > 0 ? ` Showing ${columns.length} of ${input.runIds.length} runs (selected first).` : '');
  host.replaceChildren(summary);
  const extra = input.extraRows ?? [];
  if (!shown.length && !extra.length) {
    return;
  }
  const scroll = node(doc, 'div', 'lt-w-cmp-table-scroll');
  const table = node(doc, 'table', 'lt-w-cmp-table', 'labtrack-compare-params');
  const head = doc.createElement('thead');
  const headRow = doc.createElement('tr');
  const corner = doc.createElement('th');
  corner.scope = 'col';
  corner.textContent = 'Param';
  headRow.append(corner);
  columns.forEach(i => {
    const label = input.runLabels[i];
    const th = doc.createElement('th');
    th.scope = 'col';
    th.textContent = label;
    th.title = `${label}\n${input.runIds[i]}`;
    th.classList.toggle('lt-w-cmp-selected', input.selected.has(input.runIds[i]));
    headRow.append(th);
  });
  head.append(headRow);
  const body = doc.createElement('tbody');
  const rows = [
    ...shown.map(param => ({ ...param, label: param.key, extra: false })),
    ...extra.map(row => ({ ...row, extra: true }))
  ];
  for (const param of rows) {
    const row = doc.createElement('tr');
    row.dataset[param.extra ? 'metricAtStep' : 'param'] = param.key;
    const th = doc.createElement('th');
    th.scope = 'row';
    th.textContent = param.label;
    row.append(th);
    columns.forEach(i => {
      const value = param.values[i];
      const td = doc.createElement('td');
      td.textContent = value ?? '—';
      if (value === null) {
        td.className = 'lt-w-cmp-missing';
        td.title = 'not logged';
      }
      td.classList.toggle('lt-w-cmp-selected', input.selected.has(input.runIds[i]));
      row.append(td);
    });
    body.append(row);
  }
  table.append(head, body);
  scroll.append(table);
  host.append(scroll);
}

/** The "Metrics at step" input of the params header: sets the `at_step` trait. */
export function atStepInput(doc: Document, model: AnyModel): HTMLElement {
  const label = node(doc, 'label', 'lt-w-cmp-control');
  const input = node(doc, 'input', 'lt-w-cmp-select lt-w-cmp-step', 'labtrack-compare-at-step') as HTMLInputElement;
  input.type = 'number';
  input.step = '1';
  input.placeholder = 'step';
  input.value = model.get('at_step') === null || model.get('at_step') === undefined ? '' : String(model.get('at_step'));
  const commit = (): void => {
    const step = input.value.trim() === '' ? null : Number(input.value);
    model.set('at_step', step !== null && Number.isInteger(step) ? step : null);
    model.save_changes();
  };
  input.addEventListener('change', commit);
  input.addEventListener('keydown', event => event.key === 'Enter' && commit());
  label.append('Metrics at step ', input);
  return label;
}

export interface IAtStepValues {
  step?: number;
  metrics?: { key: string; values: (number | null)[] }[];
  steps?: { key: string; values: (number | null)[] }[];
}

/** One row per metric: its value at the logged step nearest the chosen one, per run. */
export function atStepRows(
  answer: IAtStepValues | null | undefined,
  runIds: readonly string[]
): { key: string; label: string; values: (string | null)[] }[] {
  if (!answer || answer.step === undefined || !answer.metrics) {
    return [];
  }
  return answer.metrics.map((column, m) => ({
    key: column.key,
    label: `${column.key} @ ${answer.step}`,
    values: runIds.map((_id, i) =>
      answer.steps?.[m]?.values[i] === null ? null : formatValue(column.values[i] ?? NaN)
    )
  }));
}
