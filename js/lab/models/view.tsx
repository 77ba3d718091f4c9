import * as React from 'react';

import { refreshIcon, VDomRenderer } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';

import { modelsIcon } from '../icons';
import { MODELS_PANEL_ID } from '../tokens';
import { askPromotion, confirmAction } from './dialogs';
import { ModelsPanelModel } from './model';
import { IRegistryFix, IRegistryWarning } from '../tokens';
import { IVersionLinks, LoadButton, Unverified, UserName, VersionItem } from './version';

/** What the panel asks of JupyterLab: open a run's details, insert code in a notebook. */
export interface IModelsPanelActions {
  openRun: (runId: string) => void;
  insertLoad: (name: string, target: { version?: string; alias?: string }) => void;
}

/** The "Models" left sidebar: pick a model, act on its versions and aliases, read its
 * audit trail. Every action asks for confirmation first. */
export class ModelsPanel extends VDomRenderer<ModelsPanelModel> {
  constructor(
    model: ModelsPanelModel,
    private readonly _actions: IModelsPanelActions
  ) {
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
    return <ModelsView model={this.model} actions={this._actions} />;
  }
}

function ModelsView({
  model,
  actions
}: {
  model: ModelsPanelModel;
  actions: IModelsPanelActions;
}): React.ReactElement {
  const state = model.state;
  const detail = state.detail;
  const name = state.selected ?? '';
  const links: IVersionLinks = {
    openRun: actions.openRun,
    insertLoad: state.canInsert ? target => actions.insertLoad(name, target) : null
  };
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
  const fix = async (item: IRegistryFix): Promise<void> => {
    const text = `${item.label} (${name})? Approvals are checked as for any promotion.`;
    if (await confirmAction('Fix', text, 'Apply')) {
      await model.promote(item.version, {
        alias: item.alias,
        stage: item.stage,
        archive_existing: item.archive_existing,
        reason: `fix: ${item.label}`
      });
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
          {detail.warnings.map(warning => (
            <Warning key={`${warning.kind}:${warning.alias}`} warning={warning} busy={state.busy} onFix={fix} />
          ))}
          {detail.approvals.unverified_tags.length > 0 && (
            <div className="lt-ModelsPanel-warning" data-testid="labtrack-models-policy-unverified">
              Ignored policy tags labtrack did not sign: {detail.approvals.unverified_tags.join(', ')}{' '}
              <Unverified />
            </div>
          )}
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
                <LoadButton links={links} target={{ alias }} testid={`labtrack-models-load-alias-${alias}`} />
              </span>
            ))}
          </div>
          <ul className="lt-ModelsPanel-versions">
            {detail.versions.map(v => (
              <VersionItem
                key={v.version}
                version={v}
                run={v.run_id ? state.runs[v.run_id] : undefined}
                approvals={detail.approvals}
                focused={v.version === state.focusedVersion}
                links={links}
                busy={state.busy}
                onPromote={promote}
                onApprove={approve}
              />
            ))}
          </ul>
          <h3 className="lt-ModelsPanel-subtitle">History</h3>
          <ol className="lt-ModelsPanel-history" data-testid="labtrack-models-history">
            {state.audit.slice(0, 20).map(entry => (
              <li key={entry.key} className={entry.verified ? '' : 'lt-ModelsPanel-ignored'}>
                <span className="lt-ModelsPanel-when">{new Date(entry.timestamp).toLocaleString()}</span>{' '}
                {!entry.verified && (
                  <>
                    <Unverified />{' '}
                  </>
                )}
                <UserName user={entry.user} />{' '}
                {describe(entry.action, entry.alias, entry.version, entry.before, entry.after)}
                {entry.reason && <em> ({entry.reason})</em>}
                {entry.evidence && (
                  <span className="lt-Muted" title={`evaluation run ${entry.evidence}`}>
                    {' '}
                    [evaluation {entry.evidence.slice(0, 8)}]
                  </span>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

/** A contradiction between aliases, stages and the verified trail, with its fixes. */
function Warning(props: {
  warning: IRegistryWarning;
  busy: boolean;
  onFix: (fix: IRegistryFix) => Promise<void>;
}): React.ReactElement {
  const w = props.warning;
  return (
    <div className="lt-ModelsPanel-warning" data-testid={`labtrack-models-warning-${w.alias}`}>
      <span>{w.message}</span>
      <span className="lt-ModelsPanel-fixes">
        {w.fixes.map((item, index) => (
          <button
            key={item.label}
            type="button"
            className="jp-Button jp-mod-styled lt-ModelsPanel-action"
            data-testid={`labtrack-models-fix-${w.alias}-${index}`}
            disabled={props.busy}
            onClick={() => void props.onFix(item)}
          >
            {item.label}
          </button>
        ))}
      </span>
    </div>
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
  if (action === 'policy') {
    return `set the policy ${after ?? ''}`;
  }
  if (action === 'challenge') {
    return `challenged with v${version}: ${after ?? ''}`;
  }
  const what = alias ? `@${alias}` : `v${version} stage`;
  const verb = action === 'rollback' ? 'rolled back' : action === 'alias-delete' ? 'deleted' : 'moved';
  return `${verb} ${what}: ${before ?? '—'} → ${after ?? '—'}`;
}
