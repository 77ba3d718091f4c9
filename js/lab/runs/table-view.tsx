import * as React from 'react';

import { IOfflineRun, IRunRow } from '../tokens';
import { IRunColumn, ISortOrder } from './columns';
import { INameCellProps } from './name-cell';
import { IOwed, offlineRunTooltip, owedTooltip } from './offline';
import { HeaderRow, PinnedRowView, ROW_HEIGHT, rowDomId, RunRowView } from './table-row';
import { ITreeRow } from './tree';

const OVERSCAN_ROWS = 8;
/** Ask for the next page when the view comes this close to the last loaded row. */
const LOAD_AHEAD_ROWS = 40;
const CHECKBOX_WIDTH = 30;
/** Room the "not synced" mark takes in the name column while any row carries it. */
const MARK_WIDTH = 84;
const NO_OWED: ReadonlyMap<string, IOwed> = new Map();
const TREE_WIDTH = 40;

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
  /** Each row's place in the run tree (same order as `rows`). */
  tree?: readonly ITreeRow[];
  /** The run being renamed in place. */
  renaming?: string | null;
  nameActions?: Pick<INameCellProps, 'onExpand' | 'onStartRename' | 'onRename'>;
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
  // Room for the carets, indents and child counts while the tree has any.
  const nested = React.useMemo(
    () => props.tree?.some(t => t.children > 0 || t.depth > 0) ?? false,
    [props.tree]
  );
  const extra = (marked ? MARK_WIDTH : 0) + (nested ? TREE_WIDTH : 0);
  const columns = React.useMemo(
    () =>
      extra
        ? props.columns.map(c => (c.id === 'name' ? { ...c, width: c.width + extra } : c))
        : props.columns,
    [extra, props.columns]
  );
  const bodyRef = React.useRef<HTMLDivElement>(null);
  // When the context-menu key was last handled here (its own contextmenu event follows).
  const menuKeyAt = React.useRef(0);
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

  const contextMenuAt = (index: number): void => {
    const row = rows[index];
    const node = row && bodyRef.current?.querySelector<HTMLElement>(`#${CSS.escape(rowDomId(row.run_id))}`);
    if (node) {
      // JupyterLab's context menu, for the row, where a right-click on it would open it.
      const box = node.getBoundingClientRect();
      const init = { bubbles: true, cancelable: true, clientX: box.left + 24, clientY: box.bottom };
      node.dispatchEvent(new MouseEvent('contextmenu', init));
    }
  };

  const onTreeKey = (key: string, tree: ITreeRow | undefined): boolean => {
    const expand = props.nameActions?.onExpand;
    if (!tree || !expand) {
      return false;
    }
    if (key === 'ArrowRight' && tree.children > 0) {
      tree.expanded ? moveFocus(focused + 1) : expand(tree.row.run_id, true);
    } else if (key === 'ArrowLeft' && tree.expanded) {
      expand(tree.row.run_id, false);
    } else if (key === 'ArrowLeft' && tree.depth > 0) {
      let parent = focused - 1;
      while (parent > 0 && props.tree![parent].depth >= tree.depth) {
        parent -= 1;
      }
      moveFocus(parent);
    } else {
      return false;
    }
    return true;
  };

  const onKeyDown = (event: React.KeyboardEvent): void => {
    const page = Math.max(1, Math.floor(viewHeight / ROW_HEIGHT) - 1);
    const row = rows[focused];
    if (onTreeKey(event.key, props.tree?.[focused])) {
      event.preventDefault();
      event.stopPropagation();
      return;
    }
    if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
      contextMenuAt(focused);
      menuKeyAt.current = Date.now();
      event.preventDefault();
      event.stopPropagation();
      return;
    }
    switch (event.key) {
      case 'F2':
        if (row) {
          props.nameActions?.onStartRename?.(row.run_id);
        }
        break;
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
      role="treegrid"
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
            onContextMenu={event => {
              const target = (event.target as HTMLElement).closest<HTMLElement>('[data-run-id]');
              const index = target ? rows.findIndex(r => r.run_id === target.dataset.runId) : -1;
              if (index >= 0) {
                setFocusIndex(index); // a right-click on a row: JupyterLab's menu opens for it
              } else {
                // The keyboard's menu key on the table itself: open the menu for the focused row
                event.preventDefault();
                event.stopPropagation();
                if (Date.now() - menuKeyAt.current > 500) {
                  contextMenuAt(focused);
                }
              }
            }}
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
                    tree={props.tree?.[index] ?? null}
                    renaming={props.renaming === row.run_id}
                    nameActions={props.nameActions}
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
