// The name cell of a run row: its place in the run tree (indent, expand/collapse, the child
// count and the children's statuses), the link that opens the run, and the in-place rename
// (double-click the name, or F2 on the row). Server strings are rendered as text.
import * as React from 'react';

import { IRunRow } from '../tokens';
import { familySummary, ITreeRow, parentOf } from './tree';

/** A single click opens the run; a second click within this time makes it a rename. */
const DOUBLE_CLICK_MS = 250;
const INDENT_PX = 14;
/** The child statuses a parent shows beside its count (the tooltip has them all): the
 * ones that need a look. */
const STATUS_MARKS: [string, string][] = [
  ['RUNNING', '●'],
  ['FAILED', '✕'],
  ['KILLED', '■']
];

export interface INameCellProps {
  row: IRunRow;
  text: string;
  tree: ITreeRow | null;
  renaming: boolean;
  /** The name link's tooltip (the run id, or what the run still owes the server). */
  title?: string;
  onOpen: (runId: string) => void;
  onExpand?: (runId: string, expand: boolean) => void;
  onStartRename?: (runId: string) => void;
  /** The new name, or null when the rename was cancelled. */
  onRename?: (runId: string, name: string | null) => void;
}

export function NameCell(props: INameCellProps): React.ReactElement {
  const { row, tree } = props;
  const timer = React.useRef<number | null>(null);
  React.useEffect(() => () => window.clearTimeout(timer.current ?? undefined), []);
  const depth = tree?.depth ?? 0;
  const parent = parentOf(row);
  return (
    <>
      {depth > 0 && <span className="lt-RunTree-indent" style={{ width: depth * INDENT_PX }} />}
      {tree && tree.children > 0 ? (
        <button
          type="button"
          tabIndex={-1}
          className="lt-RunTree-caret"
          data-testid="labtrack-run-expand"
          aria-expanded={tree.expanded}
          aria-label={`${tree.expanded ? 'Collapse' : 'Expand'}: ${familySummary(tree.children, tree.statuses)}`}
          onClick={event => {
            event.stopPropagation();
            props.onExpand?.(row.run_id, !tree.expanded);
          }}
        >
          {tree.expanded ? '▾' : '▸'}
        </button>
      ) : (
        <span className="lt-RunTree-caret lt-mod-leaf" aria-hidden="true" />
      )}
      {tree?.orphan && parent && (
        <span className="lt-RunTree-orphan" title={`Child of run ${parent} (not shown here)`}>
          ↳
        </span>
      )}
      {props.renaming ? (
        <RenameInput row={row} onDone={name => props.onRename?.(row.run_id, name)} />
      ) : (
        <button
          type="button"
          tabIndex={-1}
          className="lt-RunsTable-open"
          title={props.title}
          onClick={event => {
            if (event.detail > 1) {
              return;
            }
            window.clearTimeout(timer.current ?? undefined);
            timer.current = window.setTimeout(() => props.onOpen(row.run_id), DOUBLE_CLICK_MS);
          }}
          onDoubleClick={event => {
            event.stopPropagation();
            window.clearTimeout(timer.current ?? undefined);
            props.onStartRename?.(row.run_id);
          }}
        >
          {props.text}
        </button>
      )}
      {tree && tree.children > 0 && <FamilyBadge tree={tree} />}
    </>
  );
}

function FamilyBadge({ tree }: { tree: ITreeRow }): React.ReactElement {
  return (
    <span
      className="lt-RunTree-family"
      data-testid="labtrack-run-children"
      title={familySummary(tree.children, tree.statuses)}
    >
      <span className="lt-RunTree-count">{tree.children}</span>
      {STATUS_MARKS.filter(([status]) => tree.statuses[status]).map(([status, mark]) => (
        <span key={status} className={`lt-RunTree-status lt-mod-${status.toLowerCase()}`}>
          {mark}
          {tree.statuses[status]}
        </span>
      ))}
      {tree.loading && <span className="lt-RunTree-loading"> …</span>}
    </span>
  );
}

function RenameInput(props: {
  row: IRunRow;
  onDone: (name: string | null) => void;
}): React.ReactElement {
  const done = React.useRef(false);
  const finish = (name: string | null): void => {
    if (!done.current) {
      done.current = true;
      props.onDone(name);
    }
  };
  return (
    <input
      className="lt-Input lt-RunsTable-rename"
      data-testid="labtrack-rename-input"
      aria-label={`New name for ${props.row.run_name || props.row.run_id}`}
      defaultValue={props.row.run_name}
      autoFocus
      onFocus={event => event.currentTarget.select()}
      onClick={event => event.stopPropagation()}
      onDoubleClick={event => event.stopPropagation()}
      onKeyDown={event => {
        event.stopPropagation(); // the table's keys (Space, arrows) are the input's here
        if (event.key === 'Enter') {
          finish(event.currentTarget.value);
        } else if (event.key === 'Escape') {
          finish(null);
        }
      }}
      onBlur={event => finish(event.currentTarget.value)}
    />
  );
}
