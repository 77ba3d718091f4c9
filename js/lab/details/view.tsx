import * as React from 'react';

import { refreshIcon, VDomRenderer } from '@jupyterlab/ui-components';

import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';

import { IRunDetail } from '../tokens';
import { ArtifactPreview, ArtifactTree } from './artifact-view';
import { IRunModelRef, modelsOf, RunCodeKind } from './code';
import { DatasetsSection } from './datasets';
import { DescriptionSection, NOTE_TAG } from './description';
import { LineageSection } from './lineage';
import { MediaSection } from './media';
import { INotebookLink, RunDetailsModel } from './model';
import { formatDuration } from './preview';
import { RunName } from './run-name';
import {
  EnvironmentSection,
  FamilySection,
  GitSection,
  MetricsSection,
  ModelsSection,
  ParamsSection,
  Section
} from './sections';
import { TagsSection } from './tag-editor';
import { SystemSection, withoutSystemMetrics } from './system';

const REQUIREMENTS = 'labtrack/requirements.txt';

/** What the view asks of the app; the plugin wires these to commands. */
export interface IRunDetailsActions {
  openRun(runId: string): void;
  openNotebook(runId: string): void;
  insertCode(runId: string, what: RunCodeKind): void;
  /** Register one of the run's models (asks where first). */
  registerModel(runId: string, model: IRunModelRef): void;
}

/** The main-area body for one run. State lives in the model; this only renders it. */
export class RunDetailsPanel extends VDomRenderer<RunDetailsModel> {
  constructor(
    model: RunDetailsModel,
    private readonly _actions: IRunDetailsActions,
    private readonly _sanitizer: IRenderMime.ISanitizer
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
    const model = this.model;
    return (
      <div className="lt-RunDetails-body">
        <Header
          detail={detail}
          error={state.error}
          notebook={state.notebook}
          canInsert={state.canInsert}
          actions={actions}
          onRefresh={() => void model.refresh()}
          onRename={name => model.rename(name)}
        />
        {state.editError && (
          <div className="lt-Error lt-EditError" role="alert" data-testid="labtrack-edit-error">
            {state.editError}
            <button type="button" className="lt-LinkButton" onClick={() => model.dismissEditError()}>
              Dismiss
            </button>
          </div>
        )}
        <div className="lt-RunDetails-grid">
          <DescriptionSection
            text={detail.tags[NOTE_TAG] ?? ''}
            sanitizer={this._sanitizer}
            onSave={text => model.describe(text)}
          />
          <ParamsSection detail={detail} />
          <MetricsSection detail={withoutSystemMetrics(detail)} sparklines={state.sparklines} />
          <TagsSection
            detail={detail}
            actions={{
              setTag: (key, value) => model.setTag(key, value),
              deleteTag: key => model.deleteTag(key)
            }}
          />
          <GitSection detail={detail} />
          <EnvironmentSection
            detail={detail}
            hasLabtrackArtifacts={
              artifacts.dir('')?.entries?.some(e => e.is_dir && e.path === 'labtrack') ?? false
            }
            onShowRequirements={() => void artifacts.reveal(REQUIREMENTS)}
          />
          <FamilySection detail={detail} onOpenRun={id => actions.openRun(id)} />
          <ModelsSection detail={detail} onRegister={m => actions.registerModel(model.runId, m)} />
          <DatasetsSection datasets={detail.datasets} />
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
  onRename: (name: string) => Promise<boolean>;
}): React.ReactElement {
  const { info } = props.detail;
  const running = info.status === 'RUNNING';
  const end = info.end_time ?? (running ? Date.now() : null);
  const hasModel = modelsOf(props.detail).length > 0;
  const noNotebook = 'Open a notebook first: the code goes below its active cell';
  return (
    <header className="lt-RunDetails-header">
      <div className="lt-RunDetails-titleRow">
        <RunName name={info.run_name} runId={info.run_id} onRename={props.onRename} />
        <span
          className={`lt-RunStatus lt-mod-${info.status.toLowerCase()}`}
          data-testid="labtrack-run-status"
          data-status={info.status}
          title={running ? 'Running: refreshed every few seconds' : info.status}
        >
          {running && <span className="lt-LiveDot" aria-hidden="true" />}
          {info.status}
        </span>
        {info.lifecycle_stage === 'deleted' && (
          <span className="lt-RunTrashed" data-testid="labtrack-run-trashed" title="Restore it from the Trash in the Runs panel">
            In the Trash
          </span>
        )}
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
