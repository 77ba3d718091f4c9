import * as React from 'react';

import { IDelimitedTable, MAX_TABLE_ROWS } from './csv';

/** A CSV/TSV artifact: its header and first rows, numbers right-aligned, as React text. */
export function DelimitedTable({ table }: { table: IDelimitedTable }): React.ReactElement {
  const width = Math.max(table.header.length, ...table.rows.map(r => r.length));
  const columns = Array.from({ length: width }, (_, i) => i);
  const align = (i: number): string | undefined => (table.numeric[i] ? 'lt-mod-numeric' : undefined);
  return (
    <>
      <div className="lt-Muted" data-testid="labtrack-artifact-table-note">
        {table.truncated
          ? `The first ${MAX_TABLE_ROWS.toLocaleString()} rows; download the file for the rest.`
          : `${table.rows.length.toLocaleString()} row${table.rows.length === 1 ? '' : 's'}`}
      </div>
      <div className="lt-TableScroll lt-ArtifactPreview-tableScroll">
        <table className="lt-DataTable" data-testid="labtrack-artifact-table">
          <thead>
            <tr>
              {columns.map(i => (
                <th key={i} scope="col" className={align(i)}>
                  {table.header[i] ?? ''}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, r) => (
              <tr key={r}>
                {columns.map(i => (
                  <td key={i} className={align(i)}>
                    {row[i] ?? ''}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** An HTML artifact (e.g. scikit-learn's estimator.html) in a frame that may run nothing:
 * `sandbox` with no permissions here, and the server's Content-Security-Policy forbids
 * script and requests there. */
export function HtmlFrame(props: { url: string; name: string }): React.ReactElement {
  return (
    <iframe
      className="lt-ArtifactPreview-frame"
      data-testid="labtrack-artifact-frame"
      title={`Preview of ${props.name}`}
      sandbox=""
      referrerPolicy="no-referrer"
      src={props.url}
    />
  );
}
