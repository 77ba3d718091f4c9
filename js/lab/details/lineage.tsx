import * as React from 'react';

import { IDatasetView, IRunDetail } from '../tokens';
import { Section } from './sections';

/** What labtrack put in a dataset's profile (rows, size, DVC pointer); absent keys stay absent. */
interface IDatasetProfile {
  rows?: number;
  size?: number;
  files?: number;
  dvc_md5?: string;
  dvc_matches?: boolean;
  dvc_remote?: string;
}

function profileOf(dataset: IDatasetView): IDatasetProfile {
  try {
    const parsed = dataset.profile ? JSON.parse(dataset.profile) : {};
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

function datasetNote(dataset: IDatasetView): string {
  const profile = profileOf(dataset);
  const notes: string[] = [];
  if (typeof profile.rows === 'number') {
    notes.push(`${profile.rows} rows`);
  }
  if (typeof profile.files === 'number') {
    notes.push(`${profile.files} files`);
  }
  if (profile.dvc_md5) {
    const remote = profile.dvc_remote ? `, remote ${profile.dvc_remote}` : '';
    notes.push(`${profile.dvc_matches ? 'matches' : 'differs from'} its .dvc pointer${remote}`);
  }
  return notes.join(' · ');
}

function Stage(props: {
  stage: string;
  label: string;
  children: React.ReactNode;
}): React.ReactElement {
  return (
    <li className="lt-Lineage-stage" data-stage={props.stage}>
      <span className="lt-Lineage-label">{props.label}</span>
      <div className="lt-Lineage-items">{props.children}</div>
    </li>
  );
}

/**
 * The run's lineage, upstream first: dataset digests → the run (notebook, cell, commit,
 * environment) → logged models → registered versions and their aliases.
 */
export function LineageSection({ detail }: { detail: IRunDetail }): React.ReactElement {
  const tags = detail.tags;
  const notebook = tags['labtrack.notebook.path'];
  const commit = tags['mlflow.source.git.commit'];
  const runParts = [
    notebook ? notebook.split('/').pop() : 'no notebook recorded',
    tags['labtrack.cell.id'] ? `cell ${tags['labtrack.cell.id']}` : '',
    tags['labtrack.cell.execution_count'] ? `[${tags['labtrack.cell.execution_count']}]` : '',
    commit
      ? `git ${commit.slice(0, 10)}${tags['labtrack.git.dirty'] === 'true' ? ' (uncommitted changes)' : ''}`
      : 'no git',
    tags['labtrack.python.version'] ? `python ${tags['labtrack.python.version']}` : '',
    tags['labtrack.seed'] ? `seed ${tags['labtrack.seed']}` : ''
  ].filter(Boolean);
  return (
    <Section title="Lineage" testid="labtrack-run-lineage" wide>
      <ol className="lt-Lineage">
        <Stage stage="data" label="Data">
          {detail.datasets.length ? (
            detail.datasets.map(d => (
              <div key={`${d.name}:${d.digest}`} title={d.tags['labtrack.path'] ?? d.source}>
                {d.name} <code>{d.digest}</code>
                <span className="lt-Muted"> {datasetNote(d)}</span>
              </div>
            ))
          ) : (
            <span className="lt-Muted">No datasets recorded</span>
          )}
        </Stage>
        <Stage stage="run" label="Run">
          <div>
            {detail.info.run_name || detail.info.run_id}
            <span className="lt-Muted"> · {runParts.join(' · ')}</span>
          </div>
        </Stage>
        <Stage stage="models" label="Model">
          {detail.logged_models.length ? (
            detail.logged_models.map(m => (
              <div key={m.model_id}>
                {m.name} <span className="lt-Muted">{m.model_id}</span>
              </div>
            ))
          ) : (
            <span className="lt-Muted">No logged model</span>
          )}
        </Stage>
        <Stage stage="registered" label="Registered">
          {detail.registered_versions.length ? (
            detail.registered_versions.map(v => (
              <div key={`${v.name}:${v.version}`}>
                {v.name} v{v.version}
                {v.aliases.map(alias => (
                  <span key={alias} className="lt-Lineage-alias">
                    @{alias}
                  </span>
                ))}
                {v.stage && v.stage !== 'None' && <span className="lt-Muted"> {v.stage}</span>}
              </div>
            ))
          ) : (
            <span className="lt-Muted">Not registered</span>
          )}
        </Stage>
      </ol>
    </Section>
  );
}
