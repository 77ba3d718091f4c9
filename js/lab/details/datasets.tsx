// A run's dataset inputs as a table a person reads: name, context, rows, columns and where
// the data came from — MLflow keeps the source, schema and profile as JSON strings.
import * as React from 'react';

import { IDatasetView } from '../tokens';
import { Section } from './sections';

/** At most this many column names are listed; the rest are counted. */
const LISTED_COLUMNS = 6;

function json(text: string | null): Record<string, unknown> {
  try {
    const value: unknown = text ? JSON.parse(text) : null;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** "x (double), y (long) … 4 more", from MLflow's column spec. */
export function schemaText(dataset: IDatasetView): string {
  const spec = json(dataset.schema).mlflow_colspec;
  if (!Array.isArray(spec)) {
    return dataset.schema ? 'tensor schema' : '';
  }
  const names = spec.map(column => {
    const c = column as { name?: unknown; type?: unknown };
    return `${String(c.name ?? '?')}${c.type ? ` (${String(c.type)})` : ''}`;
  });
  const more = names.length - LISTED_COLUMNS;
  return names.slice(0, LISTED_COLUMNS).join(', ') + (more > 0 ? ` … ${more} more` : '');
}

export function rowCount(dataset: IDatasetView): string {
  const profile = json(dataset.profile);
  const rows = profile.num_rows ?? profile.rows;
  return typeof rows === 'number' ? rows.toLocaleString() : '';
}

export function sourceText(dataset: IDatasetView): string {
  const path = dataset.tags['labtrack.path'];
  if (path) {
    return path;
  }
  const source = json(dataset.source);
  for (const key of ['uri', 'path', 'url', 'table_name', 'sql']) {
    if (typeof source[key] === 'string' && source[key]) {
      return source[key] as string;
    }
  }
  return dataset.source_type;
}

export function DatasetsSection({ datasets }: { datasets: IDatasetView[] }): React.ReactElement {
  return (
    <Section title="Dataset inputs" testid="labtrack-run-datasets" wide>
      {datasets.length === 0 ? (
        <div className="lt-Muted">No dataset inputs</div>
      ) : (
        <div className="lt-TableScroll">
          <table className="lt-DataTable lt-DatasetTable">
            <thead>
              <tr>
                <th scope="col">Dataset</th>
                <th scope="col">Context</th>
                <th scope="col" className="lt-mod-numeric">Rows</th>
                <th scope="col">Columns</th>
                <th scope="col">Source</th>
                <th scope="col">Digest</th>
              </tr>
            </thead>
            <tbody>
              {datasets.map(d => (
                <tr key={`${d.name}:${d.digest}`}>
                  <th scope="row">{d.name || '—'}</th>
                  <td>{d.tags['mlflow.data.context'] ?? ''}</td>
                  <td className="lt-mod-numeric">{rowCount(d)}</td>
                  <td title={d.schema ?? undefined}>{schemaText(d)}</td>
                  <td className="lt-DatasetTable-source" title={d.source}>
                    {sourceText(d)}
                    <span className="lt-Muted"> · {d.source_type}</span>
                  </td>
                  <td>
                    <code>{d.digest}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
