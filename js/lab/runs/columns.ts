// The columns of the Runs table: fixed run attributes plus the params and metrics a person
// chooses. Each knows its header, its cell text and the MLflow `order_by` that sorts it.

import { IExperimentView, IRunRow } from '../tokens';
import { isScope } from './scope';

export type ColumnKind = 'attribute' | 'param' | 'metric';

export interface IRunColumn {
  /** `name`, `status`, `start`, `duration`, or `params.<key>` / `metrics.<key>`. */
  id: string;
  label: string;
  kind: ColumnKind;
  /** The MLflow `order_by` field, or null when the server cannot sort by it. */
  orderField: string | null;
  /** Width in pixels; the table scrolls sideways when they add up to more than the panel. */
  width: number;
  numeric: boolean;
  /** The cell's text when the column is not read from the row's own fields. */
  text?: (row: IRunRow) => string;
}

export const ATTRIBUTE_COLUMNS: readonly IRunColumn[] = [
  { id: 'name', label: 'Run', kind: 'attribute', orderField: 'attributes.run_name', width: 148, numeric: false },
  { id: 'status', label: 'Status', kind: 'attribute', orderField: 'attributes.status', width: 84, numeric: false },
  { id: 'start', label: 'Started', kind: 'attribute', orderField: 'attributes.start_time', width: 112, numeric: false },
  // MLflow cannot order by a difference of two columns.
  { id: 'duration', label: 'Duration', kind: 'attribute', orderField: null, width: 72, numeric: true }
];

/** Backticks keep keys with spaces, dots or dashes one identifier in MLflow's grammar. */
function quoted(key: string): string {
  return '`' + key.replace(/`/g, '') + '`';
}

export function paramColumn(key: string): IRunColumn {
  return { id: `params.${key}`, label: key, kind: 'param', orderField: `params.${quoted(key)}`, width: 96, numeric: false };
}

export function metricColumn(key: string): IRunColumn {
  return { id: `metrics.${key}`, label: key, kind: 'metric', orderField: `metrics.${quoted(key)}`, width: 96, numeric: true };
}

export function tableColumns(params: readonly string[], metrics: readonly string[]): IRunColumn[] {
  return [...ATTRIBUTE_COLUMNS, ...params.map(paramColumn), ...metrics.map(metricColumn)];
}

/** With every experiment (or the Trash) in one table, each run says where it is. */
export function scopeColumns(
  columns: IRunColumn[],
  state: { experimentId: string | null; experiments: readonly IExperimentView[] }
): IRunColumn[] {
  if (!isScope(state.experimentId)) {
    return columns;
  }
  const names = new Map(state.experiments.map(e => [e.experiment_id, e.name]));
  const experiment: IRunColumn = {
    id: 'experiment',
    label: 'Experiment',
    kind: 'attribute',
    orderField: null, // MLflow cannot order runs by experiment
    width: 112,
    numeric: false,
    text: row => names.get(row.experiment_id) ?? row.experiment_id
  };
  return [columns[0], experiment, ...columns.slice(1)];
}

export interface ISortOrder {
  columnId: string;
  ascending: boolean;
}

export const DEFAULT_SORT: ISortOrder = { columnId: 'start', ascending: false };

/** The `order_by` list for a sort: the chosen column, then newest first to break ties. */
export function orderBy(sort: ISortOrder, columns: readonly IRunColumn[]): string[] {
  const column = columns.find(c => c.id === sort.columnId);
  if (!column?.orderField) {
    return ['attributes.start_time DESC'];
  }
  const clauses = [`${column.orderField} ${sort.ascending ? 'ASC' : 'DESC'}`];
  if (column.id !== 'start') {
    clauses.push('attributes.start_time DESC');
  }
  return clauses;
}

export function formatDuration(ms: number): string {
  if (ms < 0) {
    return '';
  }
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) {
    return `${seconds}s`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  }
  const hours = Math.floor(minutes / 60);
  return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
}

export function formatStart(ms: number | null): string {
  if (ms === null) {
    return '';
  }
  const date = new Date(ms);
  const sameDay = new Date().toDateString() === date.toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : date.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (Number.isInteger(value) && Math.abs(value) < 1e9) {
    return String(value);
  }
  const magnitude = Math.abs(value);
  return magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)
    ? value.toExponential(3)
    : value.toPrecision(4);
}

/** The text a cell shows; `now` makes a running run's duration grow. */
export function cellText(row: IRunRow, column: IRunColumn, now: number): string {
  if (column.text) {
    return column.text(row);
  }
  switch (column.kind) {
    case 'param':
      return row.params[column.label] ?? '';
    case 'metric':
      return formatMetric(row.metrics[column.label]);
    default:
      break;
  }
  switch (column.id) {
    case 'name':
      return row.run_name || row.run_id.slice(0, 8);
    case 'status':
      return row.status;
    case 'start':
      return formatStart(row.start_time);
    case 'duration': {
      if (row.start_time === null) {
        return '';
      }
      const end = row.end_time ?? (row.status === 'RUNNING' ? now : null);
      return end === null ? '' : formatDuration(end - row.start_time);
    }
    default:
      return '';
  }
}
