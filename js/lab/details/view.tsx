import * as React from 'react';

import { refreshIcon, VDomRenderer } from '@jupyterlab/ui-components';

import { IRunDetail } from '../tokens';
import { ArtifactPreview, ArtifactTree } from './artifact-view';
import { modelsOf, RunCodeKind } from './code';
import { LineageSection } from './lineage';
import { MediaSection } from './media';
import { INotebookLink, RunDetailsModel } from './model';
import { formatDuration } from './preview';
import {
  DatasetsSection,
  EnvironmentSection,
  FamilySection,
  GitSection,
  MetricsSection,
  ModelsSection,
  ParamsSection,
  Section,
  TagsSection
} from './sections';
import { SystemSection, withoutSystemMetrics } from './system';

const REQUIREMENTS = 'labtrack/requirements.txt';

/** What the view asks of the app; the plugin wires these to commands. */
export interface IRunDetailsActions {
  openRun(runId: string): void;
  openNotebook(runId: string): void;
  insertCode(runId: string, what: RunCodeKind): void;
}

/** The main-area body for one run. State lives in the model; this only renders it. */
export class RunDetailsPanel extends VDomRenderer<RunDetailsModel> {
  constructor(
    model: RunDetailsModel,
    private readonly _actions: IRunDetailsActions
  ) {
    super(model);
    this.addClass('lt-RunDetails');
    this.node.dataset.testid = 'labtrack-run-details';
    this.node.dataset.runId = model.runId;
  }

  protected render(): React.ReactElement {
    const { state, artifacts } = this.model;
    const actions = this._actions;
    if (!state.detail) {
      return state.phase === 'failed' ? (
        <div className="lt-Error" role="alert">
          Could not read run {this.model.runId}: {state.error}
        </div>
      ) : (
        <div className="lt-Muted">Loading run {this.model.runId}…</div>
      );
    }
    const detail = state.detail;
    return (
      <div className="lt-RunDetails-body">
        <Header
          detail={detail}
          error={state.error}
          notebook={state.notebook}
          canInsert={state.canInsert}
          actions={actions}
          onRefresh={() => void this.model.refresh()}
        />
        <div className="lt-RunDetails-grid">
          <ParamsSection detail={detail} />
          <MetricsSection detail={withoutSystemMetrics(detail)} sparklines={state.sparklines} />
          <TagsSection detail={detail} />
          <GitSection detail={detail} />
          <EnvironmentSection
            detail={detail}
            hasLabtrackArtifacts={
              artifacts.dir('')?.entries?.some(e => e.is_dir && e.path === 'labtrack') ?? false
            }
            onShowRequirements={() => void artifacts.reveal(REQUIREMENTS)}
          />
          <DatasetsSection detail={detail} />
          <FamilySection detail={detail} onOpenRun={id => actions.openRun(id)} />
          <ModelsSection detail={detail} />
          <LineageSection detail={detail} />
          <SystemSection detail={detail} service={this.model.service} />
          <MediaSection model={this.model.media} />
          <Section title="Artifacts" testid="labtrack-run-artifacts" wide>
            <div className="lt-Artifacts">
              <ArtifactTree model={artifacts} />
              <ArtifactPreview preview={artifacts.preview} />
            </div>
          </Section>
        </div>
      </div>
    );
  }
}

function Header(props: {
  detail: IRunDetail;
  error: string | null;
  notebook: INotebookLink;
  canInsert: boolean;
  actions: IRunDetailsActions;
  onRefresh: () => void;
}): React.ReactElement {
  const { info } = props.detail;
  const running = info.status === 'RUNNING';
  const end = info.end_time ?? (running ? Date.now() : null);
  const hasModel = modelsOf(props.detail).length > 0;
  const noNotebook = 'Open a notebook first: the code goes below its active cell';
  return (
    <header className="lt-RunDetails-header">
      <div className="lt-RunDetails-titleRow">
        <h1 className="lt-RunDetails-name" data-testid="labtrack-run-name">
          {info.run_name || info.run_id}
        </h1>
        <span
          className={`lt-RunStatus lt-mod-${info.status.toLowerCase()}`}
          data-testid="labtrack-run-status"
          data-status={info.status}
          title={running ? 'Running: refreshed every few seconds' : info.status}
        >
          {running && <span className="lt-LiveDot" aria-hidden="true" />}
          {info.status}
        </span>
        <button
          type="button"
          className="lt-IconButton jp-Button jp-mod-minimal"
          title="Refresh"
          aria-label="Refresh"
          onClick={props.onRefresh}
        >
          <refreshIcon.react tag="span" elementSize="normal" />
        </button>
      </div>
      <dl className="lt-RunFacts">
        <dt>Run ID</dt>
        <dd>
          <code>{info.run_id}</code>
        </dd>
        <dt>Started</dt>
        <dd>{info.start_time ? new Date(info.start_time).toLocaleString() : '—'}</dd>
        <dt>Duration</dt>
        <dd data-testid="labtrack-run-duration">
          {info.start_time && end ? formatDuration(end - info.start_time) : '—'}
        </dd>
        <dt>User</dt>
        <dd>{info.user_id || '—'}</dd>
      </dl>
      {props.error && (
        <div className="lt-Error" role="alert">
          {props.error}
        </div>
      )}
      <div className="lt-RunActions">
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-reject"
          data-testid="labtrack-open-notebook"
          disabled={props.notebook.phase !== 'found'}
          title={
            props.notebook.phase === 'found'
              ? `Open ${props.notebook.path} at this run's cell`
              : props.notebook.reason
          }
          onClick={() => props.actions.openNotebook(info.run_id)}
        >
          Open notebook at cell
        </button>
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-reject"
          data-testid="labtrack-insert-metrics"
          disabled={!props.canInsert}
          title={props.canInsert ? 'Insert a cell that loads the metrics' : noNotebook}
          onClick={() => props.actions.insertCode(info.run_id, 'metrics')}
        >
          Insert metrics code
        </button>
        {hasModel && (
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-reject"
            data-testid="labtrack-insert-model"
            disabled={!props.canInsert}
            title={props.canInsert ? 'Insert a cell that loads the model' : noNotebook}
            onClick={() => props.actions.insertCode(info.run_id, 'model')}
          >
            Insert model code
          </button>
        )}
      </div>
    </header>
  );
}
