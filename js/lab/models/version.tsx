import * as React from 'react';

import { IApprovalsView, IChallengeView, IModelVersionView, IRunDetail } from '../tokens';

/** What a version's row can do beyond promotion and approval. */
export interface IVersionLinks {
  openRun: (runId: string) => void;
  /** Insert code loading `NAME/VERSION` or `NAME@ALIAS`; null when no notebook is open. */
  insertLoad: ((target: { version?: string; alias?: string }) => void) | null;
}

export const NO_NOTEBOOK = 'Open a notebook to insert code into';

/** "1 of 2 approvals" when the policy needs any; "approved by" otherwise ('' for none). */
export function approvalsText(approvers: string[], policy: IApprovalsView): string {
  if (policy.required <= 0) {
    return approvers.length ? 'approved by' : '';
  }
  return `${approvers.length} of ${policy.required} approvals`;
}

/** A user name cut short (hex ids are long), whole in its tooltip. */
export function UserName({ user }: { user: string }): React.ReactElement {
  return (
    <span className="lt-ModelsPanel-user" title={user}>
      {user}
    </span>
  );
}

export function policyTitle(policy: IApprovalsView): string {
  if (policy.required <= 0) {
    return 'No approvals required';
  }
  const targets = policy.protected.join(', ') || 'nothing';
  const duties = policy.separate_duties ? '; the registrar may not approve' : '';
  return `Promotion to ${targets} needs ${policy.required} approvals from distinct users${duties}`;
}

export const UNVERIFIED_TITLE =
  'Not signed by labtrack: written by another MLflow client. Shown, never counted or followed.';

/** A mark on what labtrack did not sign. */
export function Unverified(): React.ReactElement {
  return (
    <span className="lt-ModelsPanel-unverified" title={UNVERIFIED_TITLE}>
      unverified
    </span>
  );
}

function number(value: number | null): string {
  return value === null ? '—' : value.toPrecision(4);
}

/** "won against v1: r2_score 0.912 vs 0.887" (the newest challenge of a version). */
export function challengeText(challenge: IChallengeView): string {
  const metric = `${challenge.metric} ${number(challenge.value)} vs ${number(challenge.opponent_value)}`;
  if (challenge.role === 'challenger') {
    const outcome = challenge.passed ? 'passed its challenge of' : 'failed its challenge of';
    return `${outcome} v${challenge.opponent}: ${metric}`;
  }
  const outcome = challenge.passed ? 'lost to' : 'held against';
  return `${outcome} challenger v${challenge.opponent}: ${metric}`;
}

function Challenge({ challenge, version }: { challenge: IChallengeView; version: string }): React.ReactElement {
  const when = new Date(challenge.timestamp).toLocaleString();
  return (
    <div
      className="lt-ModelsPanel-challenge"
      data-testid={`labtrack-models-challenge-${version}`}
      title={`Evaluation run ${challenge.run_id}, ${when}`}
    >
      {challengeText(challenge)} {!challenge.verified && <Unverified />}
    </div>
  );
}

export function LoadButton(props: {
  links: IVersionLinks;
  target: { version?: string; alias?: string };
  testid: string;
}): React.ReactElement {
  const insert = props.links.insertLoad;
  const what = props.target.alias ? `@${props.target.alias}` : `version ${props.target.version}`;
  return (
    <button
      type="button"
      className="jp-Button jp-mod-styled lt-ModelsPanel-action"
      data-testid={props.testid}
      disabled={!insert}
      title={insert ? `Insert a cell below the active one that loads ${what}` : NO_NOTEBOOK}
      onClick={() => insert?.(props.target)}
    >
      Load
    </button>
  );
}

/** The source run's lineage: notebook, git commit, dataset digests. */
function Lineage({ run, version }: { run: IRunDetail | string | undefined; version: string }): React.ReactElement {
  const testid = `labtrack-models-lineage-${version}`;
  if (run === undefined) {
    return <div className="lt-ModelsPanel-lineage" data-testid={testid}>reading lineage…</div>;
  }
  if (typeof run === 'string') {
    return <div className="lt-ModelsPanel-lineage" data-testid={testid}>lineage unavailable: {run}</div>;
  }
  const notebook = run.tags['labtrack.notebook.path'];
  const commit = run.tags['mlflow.source.git.commit'];
  const dirty = run.tags['labtrack.git.dirty'] === 'true';
  return (
    <ul className="lt-ModelsPanel-lineage" data-testid={testid}>
      <li title={notebook ?? ''}>notebook {notebook ? <code>{notebook.split('/').pop()}</code> : '—'}</li>
      <li title={commit ?? ''}>
        git {commit ? <code>{commit.slice(0, 10)}</code> : '—'}
        {dirty && ' (uncommitted changes)'}
      </li>
      {run.datasets.length ? (
        run.datasets.map(d => (
          <li key={`${d.name}:${d.digest}`} title={`dataset ${d.name}, digest ${d.digest}`}>
            data {d.name} <code>{d.digest}</code>
          </li>
        ))
      ) : (
        <li>data —</li>
      )}
    </ul>
  );
}

export function VersionItem(props: {
  version: IModelVersionView;
  run: IRunDetail | string | undefined;
  approvals: IApprovalsView;
  links: IVersionLinks;
  busy: boolean;
  onPromote: (version: string) => Promise<void>;
  onApprove: (version: string) => Promise<void>;
  /** Pointed at (just registered): highlighted and scrolled into view. */
  focused?: boolean;
}): React.ReactElement {
  const v = props.version;
  const item = React.useRef<HTMLLIElement>(null);
  React.useEffect(() => {
    if (props.focused) {
      item.current?.scrollIntoView({ block: 'nearest' });
    }
  }, [props.focused]);
  const runId = v.run_id;
  const runName = typeof props.run === 'object' ? props.run.info.run_name : '';
  const approvals = approvalsText(v.approvers, props.approvals);
  return (
    <li
      ref={item}
      className={`lt-ModelsPanel-version${props.focused ? ' lt-mod-focused' : ''}`}
      data-testid={`labtrack-models-version-${v.version}`}
      data-focused={props.focused ? 'true' : undefined}
    >
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
        run{' '}
        {runId ? (
          <button
            type="button"
            className="lt-ModelsPanel-runLink"
            data-testid={`labtrack-models-run-${v.version}`}
            title={`Open the details of run ${runId}`}
            onClick={() => props.links.openRun(runId)}
          >
            {runName || runId.slice(0, 8)}
          </button>
        ) : (
          '—'
        )}
        {(approvals || v.unverified_approvals.length > 0) && (
          <div data-testid={`labtrack-models-approvals-${v.version}`} title={policyTitle(props.approvals)}>
            {approvals}
            {v.approvers.map(user => (
              <React.Fragment key={user}>
                {' '}
                <UserName user={user} />
              </React.Fragment>
            ))}
            {v.unverified_approvals.map(user => (
              <span key={`unverified:${user}`} className="lt-ModelsPanel-ignored">
                {' '}
                <s>
                  <UserName user={user} />
                </s>{' '}
                <Unverified />
              </span>
            ))}
          </div>
        )}
        {v.registrar && <div className="lt-Muted">registered by <UserName user={v.registrar} /></div>}
        {v.challenge && <Challenge challenge={v.challenge} version={v.version} />}
      </div>
      {runId && <Lineage run={props.run} version={v.version} />}
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
        <LoadButton links={props.links} target={{ version: v.version }} testid={`labtrack-models-load-${v.version}`} />
      </div>
    </li>
  );
}
