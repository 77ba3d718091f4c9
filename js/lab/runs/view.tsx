import * as React from 'react';

import { refreshIcon, VDomRenderer } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';

import { runsIcon } from '../icons';
import { BackendSource, IStatus, RUNS_PANEL_ID } from '../tokens';
import { IRunsPanelState, RunsPanelModel } from './model';

const SOURCE_LABELS: Record<BackendSource, string> = {
  explicit: 'explicit setting',
  env: 'MLFLOW_TRACKING_URI',
  embedded: 'embedded default'
};

/** The left-sidebar widget: renders a `RunsPanelModel`, tells it when it is shown. */
export class RunsPanel extends VDomRenderer<RunsPanelModel> {
  constructor(model: RunsPanelModel) {
    super(model);
    this.id = RUNS_PANEL_ID;
    this.addClass('lt-RunsPanel');
    this.node.dataset.testid = 'labtrack-runs-panel';
    this.title.icon = runsIcon;
    this.title.caption = 'Runs';
  }

  protected render(): React.ReactElement {
    return <RunsPanelView state={this.model.state} onRefresh={() => void this.model.refresh()} />;
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this.model.active = this.isVisible;
  }

  protected onBeforeDetach(msg: Message): void {
    this.model.active = false;
    super.onBeforeDetach(msg);
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.model.active = true;
  }

  protected onAfterHide(msg: Message): void {
    this.model.active = false;
    super.onAfterHide(msg);
  }
}

interface IRunsPanelViewProps {
  state: Readonly<IRunsPanelState>;
  onRefresh: () => void;
}

/** The whole panel body. Every string from the server is rendered as text by React. */
export function RunsPanelView({ state, onRefresh }: IRunsPanelViewProps): React.ReactElement {
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
          onClick={onRefresh}
        >
          <refreshIcon.react tag="span" elementSize="normal" />
        </button>
      </header>
      <BackendSection state={state} />
      <TrackHint />
    </div>
  );
}

function BackendSection({ state }: { state: Readonly<IRunsPanelState> }): React.ReactElement {
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
          summary={`labtrack cannot reach ${status.backend.tracking_uri}`}
          detail={status.error}
        />
      )}
      <BackendDetails status={status} checkedAt={state.checkedAt} />
    </section>
  );
}

function Unreachable(props: {
  summary: React.ReactNode;
  detail: string | null;
}): React.ReactElement {
  return (
    <div className="lt-Unreachable" role="alert" data-testid="labtrack-unreachable">
      <div className="lt-Unreachable-title">Backend unreachable</div>
      <div className="lt-Unreachable-summary">{props.summary}</div>
      {props.detail && <pre className="lt-Unreachable-detail">{props.detail}</pre>}
    </div>
  );
}

function BackendDetails(props: { status: IStatus; checkedAt: number | null }): React.ReactElement {
  const { backend, reachable } = props.status;
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
          {reachable ? 'reachable' : 'unreachable'}
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
