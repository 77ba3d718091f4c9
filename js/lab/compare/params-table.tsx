import * as React from 'react';

import { paramsSummary, valuesDiffer } from '../../plots/compare-data';
import { ICompareParamColumn } from '../tokens';

interface IParamsTableProps {
  params: readonly ICompareParamColumn[];
  /** Column headers: the runs' names, in the order of each column's values. */
  runLabels: readonly string[];
  runIds: readonly string[];
  onlyDifferences: boolean;
  onOnlyDifferencesChange: (value: boolean) => void;
  /** More controls in the header (the step of "Metrics at step"). */
  controls?: React.ReactNode;
  /** Rows after the params, always shown (each metric's value at a chosen step). */
  extraRows?: readonly IExtraRow[];
}

export interface IExtraRow {
  key: string;
  label: string;
  values: readonly (string | null)[];
  /** Hover text per cell (e.g. the step the value was logged at). */
  titles?: readonly (string | null)[];
}

/** Params × runs. Every value is server text, rendered by React as text, never as HTML. */
export function ParamsTable(props: IParamsTableProps): React.ReactElement {
  const { params, runLabels, runIds, onlyDifferences } = props;
  const shown = onlyDifferences ? params.filter(p => valuesDiffer(p.values)) : params;
  return (
    <section className="lt-Compare-section" aria-label="Params">
      <header className="lt-Compare-sectionHeader">
        <h3 className="lt-Compare-sectionTitle">
          Params
        </h3>
        <label className="lt-Compare-control">
          <input
            type="checkbox"
            data-testid="labtrack-compare-only-differences"
            checked={onlyDifferences}
            onChange={event => props.onOnlyDifferencesChange(event.currentTarget.checked)}
          />
          Only differences
        </label>
        {props.controls}
      </header>
      <p className="lt-Compare-note" data-testid="labtrack-compare-params-summary">
        {paramsSummary(params.length, shown.length)}
      </p>
      {(shown.length > 0 || (props.extraRows?.length ?? 0) > 0) && (
        <div className="lt-Compare-tableScroll">
          <table className="lt-Compare-table" data-testid="labtrack-compare-params">
            <thead>
              <tr>
                <th scope="col">Param</th>
                {runLabels.map((label, i) => (
                  <th scope="col" key={runIds[i]} title={`${label}\n${runIds[i]}`}>
                    {label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.map(param => (
                <tr key={param.key} data-param={param.key}>
                  <th scope="row">{param.key}</th>
                  {param.values.map((value, i) =>
                    value === null ? (
                      <td key={runIds[i]} className="lt-Compare-missing" title="not logged">
                        —
                      </td>
                    ) : (
                      <td key={runIds[i]}>{value}</td>
                    )
                  )}
                </tr>
              ))}
              {props.extraRows?.map(row => (
                <tr key={`extra:${row.key}`} data-metric-at-step={row.key} className="lt-Compare-atStepRow">
                  <th scope="row">{row.label}</th>
                  {row.values.map((value, i) => (
                    <td
                      key={runIds[i]}
                      className={value === null ? 'lt-Compare-missing' : undefined}
                      title={row.titles?.[i] ?? undefined}
                    >
                      {value ?? '—'}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
