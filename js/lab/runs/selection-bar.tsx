// The Runs panel's footer: how many runs are listed and, once some are ticked, what can be
// done with them — the same actions as the rows' context menu.
import * as React from 'react';

import { IRunsTableState, RunsTableModel } from './table-model';
import { TRASH } from './scope';

/** What the panel can do with runs; the plugin wires these to labtrack's commands. */
export interface IRunActions {
  openRun: (runId: string) => void;
  compare: (runIds: readonly string[]) => void;
  canCompare: () => boolean;
  deleteRuns: (runIds: readonly string[]) => void;
  restoreRuns: (runIds: readonly string[]) => void;
  tagRuns: (runIds: readonly string[]) => void;
  copyRunIds: (runIds: readonly string[]) => void;
  renameRun: (runId: string, name: string) => void;
}

export function SelectionBar(props: {
  table: RunsTableModel;
  state: Readonly<IRunsTableState>;
  actions: IRunActions;
  unsynced: number;
}): React.ReactElement {
  const { table, state, actions } = props;
  const selected = state.selected.size;
  const ids = table.runIds;
  const inTrash = state.experimentId === TRASH;
  const button = (label: string, testid: string, onClick: () => void, title: string, extra = '') => (
    <button
      type="button"
      className={`jp-Button jp-mod-styled lt-RunsFooter-action ${extra}`}
      data-testid={testid}
      title={title}
      onClick={onClick}
    >
      {label}
    </button>
  );
  return (
    <footer className="lt-RunsFooter">
      <span className="lt-RunsFooter-count" data-testid="labtrack-runs-count">
        {state.rows.length}
        {state.nextPageToken ? '+' : ''} run{state.rows.length === 1 ? '' : 's'}
        {props.unsynced > 0 ? ` · ${props.unsynced} not synced` : ''}
      </span>
      {selected > 0 && (
        <span className="lt-RunsFooter-selection" role="toolbar" aria-label="Ticked runs">
          <span data-testid="labtrack-selected-count">{selected} selected</span>
          {!inTrash && (
            <button
              type="button"
              className="jp-Button jp-mod-styled jp-mod-accept lt-RunsFooter-compare"
              data-testid="labtrack-compare"
              disabled={selected < 2 || !actions.canCompare()}
              title={selected < 2 ? 'Select at least two runs to compare' : 'Compare the selected runs'}
              onClick={() => actions.compare(ids)}
            >
              Compare
            </button>
          )}
          {inTrash
            ? button('Restore', 'labtrack-restore', () => actions.restoreRuns(ids), 'Bring the ticked runs back from the Trash', 'jp-mod-accept')
            : button('Delete', 'labtrack-delete', () => actions.deleteRuns(ids), 'Move the ticked runs to the Trash', 'jp-mod-warn')}
          {!inTrash && button('Tag', 'labtrack-tag', () => actions.tagRuns(ids), 'Add a tag to the ticked runs')}
          {button('Copy ID', 'labtrack-copy-ids', () => actions.copyRunIds(ids), 'Copy the ticked runs’ ids')}
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-reject lt-RunsFooter-clear"
            onClick={() => table.clearSelection()}
          >
            Clear
          </button>
        </span>
      )}
    </footer>
  );
}

/** Above the Trash: what it is and how runs leave it for good. */
export function TrashNote(): React.ReactElement {
  return (
    <div className="lt-TrashNote" data-testid="labtrack-trash-note">
      Deleted runs stay here, with their artifacts, until <code>mlflow gc</code> (or{' '}
      <code>%track gc</code>) purges them for good. Tick runs and press <b>Restore</b> to bring
      them back.
    </div>
  );
}
