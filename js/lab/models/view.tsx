import * as React from 'react';

import { refreshIcon, VDomRenderer } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';

import { modelsIcon } from '../icons';
import { IModelVersionView, MODELS_PANEL_ID } from '../tokens';
import { askPromotion, confirmAction } from './dialogs';
import { ModelsPanelModel } from './model';

/** The "Models" left sidebar: pick a model, act on its versions and aliases, read its
 * audit trail. Every action asks for confirmation first. */
export class ModelsPanel extends VDomRenderer<ModelsPanelModel> {
  constructor(model: ModelsPanelModel) {
    super(model);
    this.id = MODELS_PANEL_ID;
    this.addClass('lt-ModelsPanel');
    this.node.dataset.testid = 'labtrack-models-panel';
    this.title.icon = modelsIcon;
    this.title.caption = 'Models';
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    void this.model.refresh();
  }

  protected render(): React.ReactElement {
    return <ModelsView model={this.model} />;
  }
}

function ModelsView({ model }: { model: ModelsPanelModel }): React.ReactElement {
  const state = model.state;
  const detail = state.detail;
  const name = state.selected ?? '';
  const promote = async (version: string): Promise<void> => {
    const request = await askPromotion(name, version);
    if (request) {
      await model.promote(version, request);
    }
  };
  const rollback = async (alias: string): Promise<void> => {
    const text = `Return @${alias} of ${name} to its previous holder (from the audit trail)?`;
    if (await confirmAction('Roll back', text, 'Roll back')) {
      await model.rollback(alias);
    }
  };
  const approve = async (version: string): Promise<void> => {
    const text = `Approve ${name} version ${version} as yourself?`;
    if (await confirmAction('Approve', text, 'Approve')) {
      await model.approve(version);
    }
  };
  return (
    <div className="lt-ModelsPanel-body">
      <header className="lt-RunsPanel-header">
        <h2 className="lt-RunsPanel-title">Models</h2>
        <button
          type="button"
          className="jp-Button jp-mod-minimal"
          title="Refresh"
          data-testid="labtrack-models-refresh"
          onClick={() => void model.refresh()}
        >
          <refreshIcon.react tag="span" />
        </button>
      </header>
      {state.models.length === 0 ? (
        <p className="lt-ModelsPanel-empty">
          No registered models. Register one from a notebook: <code>%track register --name NAME</code>
        </p>
      ) : (
        <select
          className="jp-mod-styled lt-ModelsPanel-picker"
          data-testid="labtrack-models-picker"
          value={name}
          onChange={event => void model.select(event.target.value)}
        >
          {state.models.map(m => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      )}
      {state.error && (
        <div className="lt-ModelsPanel-error" data-testid="labtrack-models-error">
          {state.error}
        </div>
      )}
      {state.notice && !state.error && (
        <div className="lt-ModelsPanel-notice" data-testid="labtrack-models-notice">
          {state.notice}
        </div>
      )}
      {detail && (
        <>
          <div className="lt-ModelsPanel-aliases">
            {Object.entries(detail.aliases).map(([alias, version]) => (
              <span key={alias} className="lt-ModelsPanel-alias" data-testid={`labtrack-models-alias-${alias}`}>
                <span className="lt-ModelsPanel-chip">
                  @{alias} → v{version}
                </span>
                <button
                  type="button"
                  className="jp-Button jp-mod-styled lt-ModelsPanel-action"
                  data-testid={`labtrack-models-rollback-${alias}`}
                  disabled={state.busy}
                  onClick={() => void rollback(alias)}
                >
                  Roll back
                </button>
              </span>
            ))}
          </div>
          <ul className="lt-ModelsPanel-versions">
            {detail.versions.map(v => (
              <VersionItem key={v.version} version={v} busy={state.busy} onPromote={promote} onApprove={approve} />
            ))}
          </ul>
          <h3 className="lt-ModelsPanel-subtitle">History</h3>
          <ol className="lt-ModelsPanel-history" data-testid="labtrack-models-history">
            {state.audit.slice(0, 20).map(entry => (
              <li key={entry.key}>
                <span className="lt-ModelsPanel-when">{new Date(entry.timestamp).toLocaleString()}</span>{' '}
                <strong>{entry.user}</strong> {describe(entry.action, entry.alias, entry.version, entry.before, entry.after)}
                {entry.reason && <em> ({entry.reason})</em>}
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

function VersionItem(props: {
  version: IModelVersionView;
  busy: boolean;
  onPromote: (version: string) => Promise<void>;
  onApprove: (version: string) => Promise<void>;
}): React.ReactElement {
  const v = props.version;
  return (
    <li className="lt-ModelsPanel-version" data-testid={`labtrack-models-version-${v.version}`}>
      <div className="lt-ModelsPanel-versionHead">
        <strong>v{v.version}</strong>
        <span className={`lt-ModelsPanel-stage lt-ModelsPanel-stage-${v.stage}`}>{v.stage}</span>
        {v.aliases.map(a => (
          <span key={a} className="lt-ModelsPanel-chip">
            @{a}
          </span>
        ))}
      </div>
      <div className="lt-ModelsPanel-meta">
        run <code title={v.run_id ?? ''}>{(v.run_id ?? '—').slice(0, 8)}</code>
        {v.approvers.length > 0 && <> · approved by {v.approvers.join(', ')}</>}
      </div>
      <div className="lt-ModelsPanel-actions">
        <button
          type="button"
          className="jp-Button jp-mod-styled lt-ModelsPanel-action"
          data-testid={`labtrack-models-promote-${v.version}`}
          disabled={props.busy}
          onClick={() => void props.onPromote(v.version)}
        >
          Promote…
        </button>
        <button
          type="button"
          className="jp-Button jp-mod-styled lt-ModelsPanel-action"
          data-testid={`labtrack-models-approve-${v.version}`}
          disabled={props.busy}
          onClick={() => void props.onApprove(v.version)}
        >
          Approve
        </button>
      </div>
    </li>
  );
}

function describe(
  action: string,
  alias: string | null,
  version: string | null,
  before: string | null,
  after: string | null
): string {
  if (action === 'register' || action === 'approve') {
    return `${action === 'register' ? 'registered' : 'approved'} v${version}`;
  }
  const what = alias ? `@${alias}` : `v${version} stage`;
  const verb = action === 'rollback' ? 'rolled back' : action === 'alias-delete' ? 'deleted' : 'moved';
  return `${verb} ${what}: ${before ?? '—'} → ${after ?? '—'}`;
}
