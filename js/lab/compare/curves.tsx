import * as React from 'react';

import { groupRuns, type CurveXAxis } from '../../plots/curve-stats';
import { curvesFigure, type BandKind, type IGrouping } from '../../plots/curves-figure';
import { ICompareMatrix } from '../tokens';
import type { ICurveChoices, IOverlayRun, IOverlayState } from './model';
import { PlotlyFigure } from './plot';

const HEIGHT = 360;
const X_AXES: [CurveXAxis, string][] = [
  ['step', 'step'],
  ['time', 'wall time'],
  ['relative', 'relative time']
];

/** What the runs can be grouped by: their params, then their own tags. */
export function groupKeys(matrix: ICompareMatrix): string[] {
  return [...matrix.params.map(p => `params.${p.key}`), ...matrix.tags.map(t => `tags.${t.key}`)];
}

/** The grouping of the drawn runs by `groupBy` (`params.lr`, `tags.team`), or null. */
export function groupingOf(
  matrix: ICompareMatrix,
  series: readonly IOverlayRun[],
  groupBy: string | null
): IGrouping | null {
  if (!groupBy) {
    return null;
  }
  const [kind, ...rest] = groupBy.split('.');
  const name = rest.join('.');
  const columns = kind === 'tags' ? matrix.tags : matrix.params;
  const column = columns.find(c => c.key === name);
  if (!column) {
    return null;
  }
  return { key: groupBy, groups: groupRuns(series.map(run => column.values[run.runIndex] ?? null)) };
}

interface ICurvesProps {
  matrix: ICompareMatrix;
  metric: string | null;
  overlay: IOverlayState;
  choices: ICurveChoices;
  themeRevision: number;
  metricSelect: React.ReactNode;
  onChoices: (change: Partial<ICurveChoices>) => void;
}

/** The chosen metric's curves: a line per run or a mean and band per group, smoothed or
 *  not, over steps, wall time or time since each run started, on a linear or log axis. */
export function CurvesSection(props: ICurvesProps): React.ReactElement {
  const { matrix, metric, overlay, choices } = props;
  const grouping = overlay.phase === 'ready' ? groupingOf(matrix, overlay.series, choices.groupBy) : null;
  const drawn = grouping ? grouping.groups.length : overlay.series.length;
  return (
    <section className="lt-Compare-section" aria-label="Metric curves">
      <header className="lt-Compare-sectionHeader">
        <h3 className="lt-Compare-sectionTitle">Metric curves</h3>
        {props.metricSelect}
      </header>
      {metric !== null && (
        <div className="lt-Compare-curveControls" data-testid="labtrack-compare-curve-controls">
          <label className="lt-Compare-control">
            Group by
            <select
              className="lt-Compare-select"
              data-testid="labtrack-compare-group-by"
              value={choices.groupBy ?? ''}
              onChange={event => props.onChoices({ groupBy: event.currentTarget.value || null })}
            >
              <option value="">no grouping (a line per run)</option>
              {groupKeys(matrix).map(key => (
                <option key={key} value={key}>
                  {key}
                </option>
              ))}
            </select>
          </label>
          {choices.groupBy && (
            <label className="lt-Compare-control">
              Band
              <select
                className="lt-Compare-select"
                data-testid="labtrack-compare-band"
                value={choices.band}
                onChange={event => props.onChoices({ band: event.currentTarget.value as BandKind })}
              >
                <option value="minmax">min – max</option>
                <option value="std">± std</option>
              </select>
            </label>
          )}
          <label className="lt-Compare-control">
            Smoothing
            <input
              type="range"
              data-testid="labtrack-compare-smoothing"
              min={0}
              max={0.99}
              step={0.01}
              value={choices.smoothing}
              onChange={event => props.onChoices({ smoothing: Number(event.currentTarget.value) })}
            />
            <output className="lt-Compare-number">{choices.smoothing.toFixed(2)}</output>
          </label>
          <label className="lt-Compare-control">
            x axis
            <select
              className="lt-Compare-select"
              data-testid="labtrack-compare-x-axis"
              value={choices.xAxis}
              onChange={event => props.onChoices({ xAxis: event.currentTarget.value as CurveXAxis })}
            >
              {X_AXES.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label className="lt-Compare-control">
            <input
              type="checkbox"
              data-testid="labtrack-compare-log-y"
              checked={choices.logY}
              onChange={event => props.onChoices({ logY: event.currentTarget.checked })}
            />
            log y
          </label>
        </div>
      )}
      {metric === null && <p className="lt-Compare-note">These runs logged no metrics.</p>}
      {overlay.phase === 'loading' && (
        <p className="lt-Compare-status" role="status">
          Loading the history of {metric}…
        </p>
      )}
      {overlay.phase === 'failed' && (
        <p className="lt-Compare-error" role="alert" data-testid="labtrack-compare-overlay-error">
          Could not load the history of {metric}: {overlay.error}
        </p>
      )}
      {overlay.phase === 'ready' && metric !== null && overlay.series.length > 0 && (
        <div data-testid="labtrack-compare-curves" data-groups={grouping ? grouping.groups.length : 0} data-lines={drawn}>
          <PlotlyFigure
            className="lt-Compare-overlay"
            label={`${metric} by ${choices.xAxis}, ${grouping ? `one mean per ${choices.groupBy}` : 'one line per run'}`}
            deps={[overlay.series, metric, props.themeRevision, choices, matrix]}
            build={theme =>
              curvesFigure(overlay.series, grouping, {
                metric,
                theme,
                height: HEIGHT,
                xAxis: choices.xAxis,
                smoothing: choices.smoothing,
                logY: choices.logY,
                band: choices.band
              })
            }
          />
        </div>
      )}
      {overlay.without.length > 0 && (
        <p className="lt-Compare-note" data-testid="labtrack-compare-overlay-without">
          Not logged by: {overlay.without.join(', ')}
        </p>
      )}
    </section>
  );
}
