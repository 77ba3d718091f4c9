import * as React from 'react';

import { refreshIcon, VDomRenderer } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import { ISignal } from '@lumino/signaling';

import { runsIcon } from '../icons';
import { useSignal } from '../use-signal';
import { BackendSource, IOfflineRun, IStatus, RUNS_PANEL_ID } from '../tokens';
import { IRunsPanelState, RunsPanelModel } from './model';
import { IOwed, owedByRun, pinnedRuns } from './offline';
import { OfflineBanner } from './offline-view';
import { IRunsTableState, RunsTableModel } from './table-model';
import { IRunActions, SelectionBar, TrashNote } from './selection-bar';
import { TRASH } from './scope';
import { RunsTable } from './table-view';
import { RunsToolbar } from './toolbar';
import { RunTreeModel } from './tree-model';

const SOURCE_LABELS: Record<BackendSource, string> = {
  explicit: 'explicit setting',
  env: 'MLFLOW_TRACKING_URI',
  embedded: 'embedded default'
};

/** What the panel asks of the rest of JupyterLab (commands other plugins may provide). */
export type IRunsPanelActions = IRunActions;

/** The left-sidebar widget: renders the backend status and the runs table, and tells
 * both models when it is shown so that hidden panels do not poll. */
export class RunsPanel extends VDomRenderer<RunsPanelModel> {
  constructor(model: RunsPanelModel, tree: RunTreeModel, actions: IRunsPanelActions) {
    super(model);
    this._tree = tree;
    this._table = tree.table;
    this._actions = actions;
    this.id = RUNS_PANEL_ID;
    this.addClass('lt-RunsPanel');
    this.node.dataset.testid = 'labtrack-runs-panel';
    this.title.icon = runsIcon;
    this.title.caption = 'Runs';
  }

  protected render(): React.ReactElement {
    return (
      <RunsPanelView
        state={this.model.state}
        tree={this._tree}
        actions={this._actions}
        onRefresh={() => {
          void this.model.refresh();
          void this._table.refresh();
        }}
        onSync={async () => {
          await this.model.syncOffline();
          // Sent runs are server runs now: the table lists them, unmarked.
          await this._table.refresh();
        }}
        onDismissSync={() => this.model.dismissSync()}
      />
    );
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this._setActive(this.isVisible);
  }

  protected onBeforeDetach(msg: Message): void {
    this._setActive(false);
    super.onBeforeDetach(msg);
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._setActive(true);
  }

  protected onAfterHide(msg: Message): void {
    this._setActive(false);
    super.onAfterHide(msg);
  }

  private _setActive(active: boolean): void {
    this.model.active = active;
    this._table.active = active;
  }

  private _tree: RunTreeModel;
  private _table: RunsTableModel;
  private _actions: IRunsPanelActions;
}

interface IRunsPanelViewProps {
  state: Readonly<IRunsPanelState>;
  tree: RunTreeModel;
  actions: IRunsPanelActions;
  onRefresh: () => void;
  onSync: () => void;
  onDismissSync: () => void;
}

/** Re-render when a model outside the renderer's own changes. */
function useModelState<T>(model: { stateChanged: ISignal<any, void>; state: T }): T {
  useSignal(model.stateChanged);
  return model.state;
}

/** The whole panel body. Every string from the server is rendered as text by React. */
export function RunsPanelView(props: IRunsPanelViewProps): React.ReactElement {
  const { state, tree, actions } = props;
  const table = tree.table;
  const tableState = useModelState(table);
  useModelState(tree);
  const reachable = state.phase === 'ready' && state.status?.reachable === true;
  const experimentName =
    tableState.experiments.find(e => e.experiment_id === tableState.experimentId)?.name ?? null;
  const pinned = React.useMemo(
    () => pinnedRuns(state.offline, experimentName),
    [state.offline, experimentName]
  );
  const owed = React.useMemo(() => owedByRun(state.offline), [state.offline]);
  const noRuns =
    tableState.phase === 'ready' &&
    tableState.rows.length === 0 &&
    pinned.length === 0 &&
    !tableState.appliedFilter &&
    !tableState.notebookOnly;
  return (
    <div className="lt-RunsPanel-body">
      <header className="lt-RunsPanel-header">
        <h2 className="lt-RunsPanel-title">Runs</h2>
        <button
          type="button"
          className="lt-RunsPanel-refresh jp-Button jp-mod-minimal"
          data-testid="labtrack-refresh"
          title="Refresh"
          aria-label="Refresh"
          disabled={state.phase === 'loading'}
          onClick={props.onRefresh}
        >
          <refreshIcon.react tag="span" elementSize="normal" />
        </button>
      </header>
      <BackendSection state={state} open={!reachable || noRuns} />
      <OfflineBanner
        backlog={state.offline}
        sync={state.sync}
        onSync={props.onSync}
        onDismiss={props.onDismissSync}
      />
      {reachable && (
        <>
          <RunsToolbar model={table} />
          <RunsBody
            tree={tree}
            state={tableState}
            actions={actions}
            pinned={pinned}
            owed={owed}
            server={state.offline?.server ?? null}
          />
        </>
      )}
      {(!reachable || noRuns) && state.phase !== 'loading' && <TrackHint />}
    </div>
  );
}

function RunsBody(props: {
  tree: RunTreeModel;
  state: Readonly<IRunsTableState>;
  actions: IRunsPanelActions;
  pinned: readonly IOfflineRun[];
  owed: ReadonlyMap<string, IOwed>;
  server: string | null;
}): React.ReactElement {
  const { tree, state, actions, pinned } = props;
  const table = tree.table;
  const loadMore = React.useCallback(() => void table.loadMore(), [table]);
  const nameActions = React.useMemo(
    () => ({
      onExpand: (runId: string, expand: boolean) =>
        void (expand ? tree.expand(runId) : tree.collapse(runId)),
      onStartRename: (runId: string) => tree.startRename(runId),
      onRename: (runId: string, name: string | null) => {
        tree.stopRename();
        const row = table.state.rows.find(r => r.run_id === runId);
        if (name !== null && name.trim() && name !== row?.run_name) {
          actions.renameRun(runId, name);
        }
      }
    }),
    [tree, table, actions]
  );
  const shown = tree.rows;
  if (state.phase === 'error') {
    return (
      <div className="lt-RunsBody-error" role="alert" data-testid="labtrack-runs-error">
        {state.error}
      </div>
    );
  }
  return (
    <>
      {state.experimentId === TRASH && <TrashNote />}
      <div className="lt-RunsBody">
        {state.phase === 'loading' && state.rows.length === 0 ? (
          <div className="lt-RunsBody-note" data-testid="labtrack-runs-loading">
            Loading runs…
          </div>
        ) : state.rows.length === 0 &&
          pinned.length === 0 &&
          (state.appliedFilter || state.notebookOnly) ? (
          <div className="lt-RunsBody-note" data-testid="labtrack-runs-none">
            {state.notebookOnly && state.notebookPath === null
              ? 'Open a notebook to list its runs.'
              : 'No runs match.'}
          </div>
        ) : (
          <RunsTable
            rows={shown.map(t => t.row)}
            tree={shown}
            renaming={tree.state.renaming}
            nameActions={nameActions}
            columns={table.columns}
            sort={state.sort}
            selected={state.selected}
            hasMore={state.nextPageToken !== null}
            loadingMore={state.loadingMore}
            onSort={columnId => void table.sortBy(columnId)}
            onToggle={runId => table.toggleSelected(runId)}
            onOpen={actions.openRun}
            onLoadMore={loadMore}
            pinned={pinned}
            owed={props.owed}
            server={props.server}
          />
        )}
      </div>
      <SelectionBar table={table} state={state} actions={actions} unsynced={pinned.length} />
    </>
  );
}

function BackendSection({
  state,
  open
}: {
  state: Readonly<IRunsPanelState>;
  open: boolean;
}): React.ReactElement {
  if (state.phase === 'loading') {
    return (
      <section className="lt-Backend lt-mod-loading" data-testid="labtrack-backend-loading">
        Checking the tracking backend…
      </section>
    );
  }
  if (state.phase === 'failed' || state.status === null) {
    return (
      <section className="lt-Backend">
        <Unreachable
          summary={
            <>
              The labtrack server extension did not answer. Check that{' '}
              <code>jupyter server extension list</code> shows it enabled, then restart
              JupyterLab.
            </>
          }
          detail={state.requestError}
        />
      </section>
    );
  }
  const { status } = state;
  return (
    <section className="lt-Backend" data-testid="labtrack-backend">
      {!status.reachable && (
        <Unreachable
          title={status.unauthorized ? 'Not authorized' : 'Backend unreachable'}
          summary={
            status.unauthorized
              ? `${status.backend.tracking_uri} answers but refuses labtrack's credentials`
              : `labtrack cannot reach ${status.backend.tracking_uri}`
          }
          detail={status.error}
        />
      )}
      <details className="lt-Backend-more" open={open}>
        <summary className="lt-Backend-summary">
          Backend: {status.backend.kind}
          {status.reachable ? '' : status.unauthorized ? ' (not authorized)' : ' (unreachable)'}
        </summary>
        <BackendDetails status={status} checkedAt={state.checkedAt} />
      </details>
    </section>
  );
}

function Unreachable(props: {
  title?: string;
  summary: React.ReactNode;
  detail: string | null;
}): React.ReactElement {
  return (
    <div className="lt-Unreachable" role="alert" data-testid="labtrack-unreachable">
      <div className="lt-Unreachable-title">{props.title ?? 'Backend unreachable'}</div>
      <div className="lt-Unreachable-summary">{props.summary}</div>
      {props.detail && <pre className="lt-Unreachable-detail">{props.detail}</pre>}
    </div>
  );
}

function BackendDetails(props: { status: IStatus; checkedAt: number | null }): React.ReactElement {
  const { backend, reachable, unauthorized } = props.status;
  return (
    <dl className="lt-BackendDetails">
      <dt>Backend</dt>
      <dd className="lt-BackendSummary">
        <span className="lt-BackendKind" data-testid="labtrack-backend-kind" data-kind={backend.kind}>
          {backend.kind}
        </span>
        <span
          className={`lt-Reachability ${reachable ? 'lt-mod-reachable' : 'lt-mod-unreachable'}`}
          data-testid="labtrack-backend-reachability"
          data-reachable={String(reachable)}
        >
          {reachable ? 'reachable' : unauthorized ? 'not authorized' : 'unreachable'}
        </span>
      </dd>
      <dt>Tracking URI</dt>
      <dd>
        <code className="lt-BackendUri" data-testid="labtrack-backend-uri">
          {backend.tracking_uri}
        </code>
      </dd>
      {backend.artifact_root !== null && (
        <>
          <dt>Artifacts</dt>
          <dd>
            <code data-testid="labtrack-artifact-root">{backend.artifact_root}</code>
          </dd>
        </>
      )}
      <dt>From</dt>
      <dd data-testid="labtrack-backend-source">{SOURCE_LABELS[backend.source]}</dd>
      <dt>Versions</dt>
      <dd className="lt-Versions">
        labtrack {props.status.labtrack_version} · MLflow {props.status.mlflow_version}
      </dd>
      {props.checkedAt !== null && (
        <>
          <dt>Checked</dt>
          <dd>{new Date(props.checkedAt).toLocaleTimeString()}</dd>
        </>
      )}
    </dl>
  );
}

function TrackHint(): React.ReactElement {
  return (
    <section className="lt-TrackHint" data-testid="labtrack-empty-hint">
      <p className="lt-TrackHint-title">Track a notebook cell</p>
      <p>Load the extension once in the notebook:</p>
      <pre className="lt-TrackHint-code">%load_ext labtrack</pre>
      <p>then start the cell to track with:</p>
      <pre className="lt-TrackHint-code">%%track</pre>
    </section>
  );
}
