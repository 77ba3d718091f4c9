import * as React from 'react';

import { IMetricSeries, IRunDetail, IRunLink } from '../tokens';
import { IRunModelRef, modelsOf } from './code';
import { Sparkline } from './sparkline';

/** Tags that describe the run's origin, written by MLflow or labtrack rather than the user. */
export function isSystemTag(key: string): boolean {
  return key.startsWith('mlflow.') || key.startsWith('labtrack.');
}

export function Section(props: {
  title: string;
  testid: string;
  children: React.ReactNode;
  wide?: boolean;
}): React.ReactElement {
  return (
    <section
      className={`lt-DetailsSection${props.wide ? ' lt-mod-wide' : ''}`}
      data-testid={props.testid}
      aria-label={props.title}
    >
      <h2 className="lt-DetailsSection-title">{props.title}</h2>
      {props.children}
    </section>
  );
}

/** A two-column key/value table; every string is React text, so nothing is HTML. */
export function KeyValues(props: {
  entries: [string, React.ReactNode][];
  empty: string;
  className?: string;
  /** How a key is shown (default: as it is). */
  label?: (key: string) => React.ReactNode;
}): React.ReactElement {
  if (!props.entries.length) {
    return <div className="lt-Muted">{props.empty}</div>;
  }
  return (
    <table className={`lt-KeyValues ${props.className ?? ''}`}>
      <tbody>
        {props.entries.map(([key, value]) => (
          <tr key={key}>
            <th scope="row">{props.label ? props.label(key) : key}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function sorted<T>(record: Record<string, T>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}

export function formatMetric(value: number | null): string {
  if (value === null) {
    return 'NaN';
  }
  if (Number.isInteger(value)) {
    return String(value);
  }
  const text = value.toPrecision(6);
  // Trailing zeros of the fraction only; never those of an exponent ("1.2e+10").
  return text.includes('e') ? text : text.replace(/\.?0+$/, '');
}

export function ParamsSection({ detail }: { detail: IRunDetail }): React.ReactElement {
  return (
    <Section title="Parameters" testid="labtrack-run-params">
      <KeyValues entries={sorted(detail.params)} empty="No parameters" />
    </Section>
  );
}

/** A metric name that wraps after its separators (`val_loss/epoch.mean`), not mid-word. */
export function wrappableName(name: string): React.ReactNode {
  const parts = name.split(/(?<=[_./:-])/);
  return parts.length < 2 ? name : parts.flatMap((part, i) => (i ? [<wbr key={i} />, part] : [part]));
}

export function MetricsSection(props: {
  detail: IRunDetail;
  sparklines: Readonly<Record<string, IMetricSeries>>;
}): React.ReactElement {
  const rows = sorted(props.detail.metrics).map(([key, value]): [string, React.ReactNode] => {
    const series = props.sparklines[key];
    return [
      key,
      <span className="lt-MetricValue">
        <span className="lt-MetricValue-number">{formatMetric(value)}</span>
        {series && <Sparkline series={series} />}
      </span>
    ];
  });
  return (
    <Section title="Metrics (latest)" testid="labtrack-run-metrics">
      <KeyValues entries={rows} empty="No metrics" className="lt-MetricNames" label={wrappableName} />
    </Section>
  );
}

export function GitSection({ detail }: { detail: IRunDetail }): React.ReactElement {
  const tags = detail.tags;
  const entries: [string, React.ReactNode][] = [];
  if (tags['mlflow.source.git.commit']) {
    entries.push(['Commit', <code>{tags['mlflow.source.git.commit']}</code>]);
  }
  if (tags['mlflow.source.git.branch']) {
    entries.push(['Branch', tags['mlflow.source.git.branch']]);
  }
  if (tags['labtrack.git.dirty'] !== undefined) {
    const dirty = tags['labtrack.git.dirty'] === 'true';
    entries.push([
      'Working tree',
      <span className={dirty ? 'lt-Warn' : ''}>{dirty ? 'uncommitted changes' : 'clean'}</span>
    ]);
  }
  if (tags['mlflow.source.git.repoURL']) {
    entries.push(['Repository', tags['mlflow.source.git.repoURL']]);
  }
  return (
    <Section title="Git" testid="labtrack-run-git">
      <KeyValues entries={entries} empty="Not recorded in a git repository" />
    </Section>
  );
}

export function EnvironmentSection(props: {
  detail: IRunDetail;
  /** Whether the run has labtrack's artifact folder, where requirements.txt is written. */
  hasLabtrackArtifacts: boolean;
  onShowRequirements: () => void;
}): React.ReactElement {
  const python = props.detail.tags['labtrack.python.version'];
  return (
    <Section title="Environment" testid="labtrack-run-environment">
      <KeyValues entries={python ? [['Python', python]] : []} empty="No Python version recorded" />
      {props.hasLabtrackArtifacts && (
        <button
          type="button"
          className="lt-LinkButton"
          data-testid="labtrack-show-requirements"
          onClick={props.onShowRequirements}
        >
          Preview labtrack/requirements.txt
        </button>
      )}
    </Section>
  );
}

function RunLinkButton(props: {
  link: IRunLink;
  onOpenRun: (runId: string) => void;
}): React.ReactElement {
  return (
    <button
      type="button"
      className="lt-LinkButton"
      data-run-id={props.link.run_id}
      title={`Open run ${props.link.run_id}`}
      onClick={() => props.onOpenRun(props.link.run_id)}
    >
      {props.link.run_name || props.link.run_id.slice(0, 8)}
      <span className="lt-Muted"> · {props.link.status}</span>
    </button>
  );
}

export function FamilySection(props: {
  detail: IRunDetail;
  onOpenRun: (runId: string) => void;
}): React.ReactElement {
  const { parent_run_id, children } = props.detail;
  const entries: [string, React.ReactNode][] = [];
  if (parent_run_id) {
    const parent = { run_id: parent_run_id, run_name: '', status: 'parent' };
    entries.push(['Parent', <RunLinkButton link={parent} onOpenRun={props.onOpenRun} />]);
  }
  if (children.length) {
    entries.push([
      `Children (${children.length})`,
      <span className="lt-RunLinks">
        {children.map(child => (
          <RunLinkButton key={child.run_id} link={child} onOpenRun={props.onOpenRun} />
        ))}
      </span>
    ]);
  }
  return (
    <Section title="Parent and children" testid="labtrack-run-family">
      <KeyValues entries={entries} empty="No parent or child runs" />
    </Section>
  );
}

export function ModelsSection(props: {
  detail: IRunDetail;
  onRegister: (model: IRunModelRef) => void;
}): React.ReactElement {
  const entries = modelsOf(props.detail).map((m): [string, React.ReactNode] => [
    m.label,
    <span className="lt-ModelRef">
      <code>{m.uri}</code>
      <button
        type="button"
        className="jp-Button jp-mod-styled jp-mod-accept lt-ModelRef-register"
        data-testid="labtrack-register-model"
        data-model={m.label}
        title={`Register ${m.label} in the model registry`}
        onClick={() => props.onRegister(m)}
      >
        Register…
      </button>
    </span>
  ]);
  return (
    <Section title="Logged models" testid="labtrack-run-models">
      <KeyValues entries={entries} empty="No logged models" />
    </Section>
  );
}
