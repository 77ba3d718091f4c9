// The rows of the Runs table (table-view.tsx lays them out and moves the focus): the header
// with its sort buttons, a server run, a run kept offline pinned above them, and the status
// badge. Every string from the server is rendered as text.
import * as React from 'react';

import { IOfflineRun, IRunRow } from '../tokens';
import { cellText, IRunColumn, ISortOrder } from './columns';
import { INameCellProps, NameCell } from './name-cell';
import { UnsyncedMark } from './offline-view';
import { ITreeRow } from './tree';

/** Every row has this height, so only the rows in view need to exist in the DOM. */
export const ROW_HEIGHT = 28;

/** The DOM id of a run's row (the grid's `aria-activedescendant`). */
export function rowDomId(runId: string): string {
  return `lt-run-${runId}`;
}

export function HeaderRow(props: {
  columns: readonly IRunColumn[];
  sort: ISortOrder;
  onSort: (columnId: string) => void;
}): React.ReactElement {
  return (
    <div className="lt-RunsTable-header" role="row">
      <div className="lt-RunsTable-check" role="columnheader" aria-label="Selected" />
      {props.columns.map(column => {
        const sorted = props.sort.columnId === column.id;
        const direction = sorted ? (props.sort.ascending ? 'ascending' : 'descending') : 'none';
        return (
          <div
            key={column.id}
            role="columnheader"
            aria-sort={direction}
            className={`lt-RunsTable-th lt-mod-${column.kind}`}
            style={{ width: column.width }}
            title={column.orderField ? `${column.id}: sort by this column` : column.id}
          >
            {column.orderField ? (
              <button
                type="button"
                className="lt-RunsTable-sort"
                data-column={column.id}
                onClick={() => props.onSort(column.id)}
              >
                <span className="lt-RunsTable-label">{column.label}</span>
                {sorted && <span aria-hidden="true">{props.sort.ascending ? ' ▲' : ' ▼'}</span>}
              </button>
            ) : (
              <span className="lt-RunsTable-label">{column.label}</span>
            )}
          </div>
        );
      })}
    </div>
  );
}

export interface IRunRowViewProps {
  row: IRunRow;
  index: number;
  /** The row's place in the grid for assistive technology (header and pinned rows first). */
  ariaIndex: number;
  /** Set when the run still owes the server a journal: the row carries the mark. */
  owedTooltip: string | null;
  columns: readonly IRunColumn[];
  now: number;
  focused: boolean;
  selected: boolean;
  onToggle: (runId: string) => void;
  onOpen: (runId: string) => void;
  /** The row's place in the run tree, and what its name cell can do. */
  tree?: ITreeRow | null;
  renaming?: boolean;
  nameActions?: Pick<INameCellProps, 'onExpand' | 'onStartRename' | 'onRename'>;
}

export const RunRowView = React.memo(function RunRowView(props: IRunRowViewProps): React.ReactElement {
  const { row, columns } = props;
  const classes = ['lt-RunsTable-row'];
  if (props.focused) {
    classes.push('lt-mod-focused');
  }
  if (props.selected) {
    classes.push('lt-mod-selected');
  }
  if (props.owedTooltip !== null) {
    classes.push('lt-mod-unsynced');
  }
  return (
    <div
      id={rowDomId(row.run_id)}
      className={classes.join(' ')}
      role="row"
      aria-rowindex={props.ariaIndex}
      aria-selected={props.selected}
      aria-level={(props.tree?.depth ?? 0) + 1}
      aria-expanded={props.tree?.children ? props.tree.expanded : undefined}
      data-run-id={row.run_id}
      data-depth={props.tree?.depth ?? 0}
      data-status={row.status}
      data-unsynced={props.owedTooltip !== null ? 'journal' : undefined}
      style={{ top: props.index * ROW_HEIGHT, height: ROW_HEIGHT }}
      onDoubleClick={() => props.onOpen(row.run_id)}
    >
      <div className="lt-RunsTable-check" role="gridcell">
        <input
          type="checkbox"
          tabIndex={-1}
          checked={props.selected}
          aria-label={`Select ${row.run_name || row.run_id}`}
          onChange={() => props.onToggle(row.run_id)}
        />
      </div>
      {columns.map(column => (
        <div
          key={column.id}
          role="gridcell"
          className={cellClass(column, column.id === 'name' && props.owedTooltip !== null)}
          style={{ width: column.width }}
          data-column={column.id}
          title={column.id === 'name' && props.owedTooltip === null ? row.run_id : undefined}
        >
          {column.id === 'name' && props.owedTooltip !== null && (
            <UnsyncedMark tooltip={props.owedTooltip} />
          )}
          {column.id === 'status' ? (
            <StatusBadge status={row.status} />
          ) : column.id === 'name' ? (
            <NameCell
              row={row}
              text={cellText(row, column, props.now)}
              tree={props.tree ?? null}
              renaming={props.renaming ?? false}
              title={props.owedTooltip !== null ? row.run_id : undefined}
              onOpen={props.onOpen}
              {...props.nameActions}
            />
          ) : (
            cellText(row, column, props.now)
          )}
        </div>
      ))}
    </div>
  );
});

function cellClass(column: IRunColumn, marked: boolean): string {
  const classes = ['lt-RunsTable-td', `lt-mod-${column.kind}`];
  if (column.numeric) {
    classes.push('lt-mod-numeric');
  }
  if (marked) {
    classes.push('lt-mod-marked');
  }
  return classes.join(' ');
}

/** A run kept offline, pinned above the server's runs. It is not on the server, so it
 * has no details to open and cannot be compared: no checkbox, no link, no key action. */
export function PinnedRowView(props: {
  run: IOfflineRun;
  index: number;
  columns: readonly IRunColumn[];
  now: number;
  tooltip: string;
}): React.ReactElement {
  const { run, columns } = props;
  const row = offlineRow(run);
  return (
    <div
      className="lt-RunsTable-row lt-mod-pinned lt-mod-unsynced"
      role="row"
      aria-rowindex={props.index + 2}
      aria-disabled="true"
      data-run-id={run.run_id}
      data-status={run.status}
      data-unsynced="offline"
      data-testid="labtrack-pinned-row"
      style={{ height: ROW_HEIGHT }}
    >
      <div className="lt-RunsTable-check" role="gridcell" />
      {columns.map(column => (
        <div
          key={column.id}
          role="gridcell"
          className={cellClass(column, column.id === 'name')}
          style={{ width: column.width }}
          data-column={column.id}
        >
          {column.id === 'name' ? (
            <>
              <UnsyncedMark tooltip={props.tooltip} />
              <span className="lt-RunsTable-offlineName" title={props.tooltip}>
                {cellText(row, column, props.now)}
              </span>
            </>
          ) : column.id === 'status' ? (
            <StatusBadge status={run.status} />
          ) : (
            cellText(row, column, props.now)
          )}
        </div>
      ))}
    </div>
  );
}

/** An offline run in the shape the cells read (it has no params or metrics here). */
function offlineRow(run: IOfflineRun): IRunRow {
  return {
    run_id: run.run_id,
    run_name: run.run_name,
    experiment_id: '',
    status: run.status,
    start_time: run.start_time,
    end_time: run.end_time,
    user_id: null,
    lifecycle_stage: 'active',
    params: {},
    metrics: {},
    tags: {}
  };
}

export function StatusBadge({ status }: { status: string }): React.ReactElement {
  return (
    <span
      className={`lt-Status lt-mod-${status.toLowerCase()}`}
      data-testid="labtrack-row-status"
      title={status === 'RUNNING' ? 'Running: updates live' : status}
    >
      {status === 'RUNNING' && <span className="lt-Status-live" aria-hidden="true" />}
      {status}
    </span>
  );
}
