import * as React from 'react';

import { IOfflineRun, IRunRow } from '../tokens';
import { cellText, IRunColumn, ISortOrder } from './columns';
import { IOwed, offlineRunTooltip, owedTooltip } from './offline';
import { UnsyncedMark } from './offline-view';

/** Every row has this height, so only the rows in view need to exist in the DOM. */
export const ROW_HEIGHT = 28;
const OVERSCAN_ROWS = 8;
/** Ask for the next page when the view comes this close to the last loaded row. */
const LOAD_AHEAD_ROWS = 40;
const CHECKBOX_WIDTH = 30;
/** Room the "not synced" mark takes in the name column while any row carries it. */
const MARK_WIDTH = 84;
const NO_OWED: ReadonlyMap<string, IOwed> = new Map();

export interface IRunsTableProps {
  rows: readonly IRunRow[];
  columns: readonly IRunColumn[];
  sort: ISortOrder;
  selected: ReadonlySet<string>;
  hasMore: boolean;
  loadingMore: boolean;
  onSort: (columnId: string) => void;
  onToggle: (runId: string) => void;
  onOpen: (runId: string) => void;
  onLoadMore: () => void;
  /** Runs kept offline (not on the server): shown first, marked, and not openable. */
  pinned?: readonly IOfflineRun[];
  /** Server runs that still owe the server a journal, by id: marked too. */
  owed?: ReadonlyMap<string, IOwed>;
  /** The tracking server, named in the marks' tooltips. */
  server?: string | null;
}

/** A virtualised, keyboard-navigable grid of runs. Server strings are rendered as text. */
export function RunsTable(props: IRunsTableProps): React.ReactElement {
  const { rows, hasMore, onLoadMore } = props;
  const pinned = props.pinned ?? [];
  const owed = props.owed ?? NO_OWED;
  const server = props.server ?? 'the tracking server';
  // Once per new rows, not per scroll frame: 100k loaded rows would be scanned each frame.
  const marked = React.useMemo(
    () => pinned.length > 0 || rows.some(row => owed.has(row.run_id)),
    [pinned.length, rows, owed]
  );
  const columns = React.useMemo(
    () =>
      marked
        ? props.columns.map(c => (c.id === 'name' ? { ...c, width: c.width + MARK_WIDTH } : c))
        : props.columns,
    [marked, props.columns]
  );
  const bodyRef = React.useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = React.useState(0);
  const [viewHeight, setViewHeight] = React.useState(400);
  const [focusIndex, setFocusIndex] = React.useState(0);

  React.useLayoutEffect(() => {
    const body = bodyRef.current;
    if (!body) {
      return;
    }
    const observer = new ResizeObserver(() => setViewHeight(body.clientHeight || 400));
    observer.observe(body);
    return () => observer.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN_ROWS);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewHeight) / ROW_HEIGHT) + OVERSCAN_ROWS);

  React.useEffect(() => {
    if (hasMore && last >= rows.length - LOAD_AHEAD_ROWS) {
      onLoadMore();
    }
  }, [hasMore, last, rows.length, onLoadMore]);

  const focused = Math.min(focusIndex, Math.max(rows.length - 1, 0));
  const width = CHECKBOX_WIDTH + columns.reduce((sum, c) => sum + c.width, 0);
  const now = Date.now();

  const moveFocus = (index: number): void => {
    const target = Math.max(0, Math.min(rows.length - 1, index));
    setFocusIndex(target);
    const body = bodyRef.current;
    if (body) {
      const top = target * ROW_HEIGHT;
      if (top < body.scrollTop) {
        body.scrollTop = top;
      } else if (top + ROW_HEIGHT > body.scrollTop + body.clientHeight) {
        body.scrollTop = top + ROW_HEIGHT - body.clientHeight;
      }
    }
  };

  const onKeyDown = (event: React.KeyboardEvent): void => {
    const page = Math.max(1, Math.floor(viewHeight / ROW_HEIGHT) - 1);
    const row = rows[focused];
    switch (event.key) {
      case 'ArrowDown':
        moveFocus(focused + 1);
        break;
      case 'ArrowUp':
        moveFocus(focused - 1);
        break;
      case 'PageDown':
        moveFocus(focused + page);
        break;
      case 'PageUp':
        moveFocus(focused - page);
        break;
      case 'Home':
        moveFocus(0);
        break;
      case 'End':
        moveFocus(rows.length - 1);
        break;
      case ' ':
        if (row) {
          props.onToggle(row.run_id);
        }
        break;
      case 'Enter':
        if (row) {
          props.onOpen(row.run_id);
        }
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  return (
    <div
      className="lt-RunsTable"
      role="grid"
      aria-rowcount={rows.length + pinned.length + 1}
      aria-multiselectable="true"
      data-testid="labtrack-runs-table"
    >
      <div className="lt-RunsTable-scroll">
        <div className="lt-RunsTable-inner" style={{ width }}>
          <HeaderRow columns={columns} sort={props.sort} onSort={props.onSort} />
          {pinned.length > 0 && (
            <div
              className="lt-RunsTable-pinned"
              role="rowgroup"
              aria-label="Not synced: kept on this machine"
              data-testid="labtrack-pinned-rows"
            >
              {pinned.map((run, index) => (
                <PinnedRowView
                  key={run.run_id}
                  run={run}
                  index={index}
                  columns={columns}
                  now={now}
                  tooltip={offlineRunTooltip(run, server)}
                />
              ))}
            </div>
          )}
          <div
            ref={bodyRef}
            className="lt-RunsTable-body"
            tabIndex={0}
            role="rowgroup"
            aria-label="Runs"
            aria-activedescendant={rows[focused] ? rowDomId(rows[focused].run_id) : undefined}
            onScroll={event => setScrollTop(event.currentTarget.scrollTop)}
            onKeyDown={onKeyDown}
          >
            <div style={{ height: rows.length * ROW_HEIGHT, position: 'relative' }}>
              {rows.slice(first, last).map((row, offset) => {
                const index = first + offset;
                return (
                  <RunRowView
                    key={row.run_id}
                    row={row}
                    index={index}
                    ariaIndex={index + pinned.length + 2}
                    columns={columns}
                    now={now}
                    owedTooltip={
                      owed.has(row.run_id) ? owedTooltip(owed.get(row.run_id)!, server) : null
                    }
                    focused={index === focused}
                    selected={props.selected.has(row.run_id)}
                    onToggle={props.onToggle}
                    onOpen={runId => {
                      setFocusIndex(index);
                      props.onOpen(runId);
                    }}
                  />
                );
              })}
            </div>
          </div>
        </div>
      </div>
      {props.loadingMore && <div className="lt-RunsTable-more">Loading more runs…</div>}
    </div>
  );
}

function rowDomId(runId: string): string {
  return `lt-run-${runId}`;
}

function HeaderRow(props: {
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

interface IRunRowViewProps {
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
}

const RunRowView = React.memo(function RunRowView(props: IRunRowViewProps): React.ReactElement {
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
      data-run-id={row.run_id}
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
            <button
              type="button"
              tabIndex={-1}
              className="lt-RunsTable-open"
              title={props.owedTooltip !== null ? row.run_id : undefined}
              onClick={() => props.onOpen(row.run_id)}
            >
              {cellText(row, column, props.now)}
            </button>
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
function PinnedRowView(props: {
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
