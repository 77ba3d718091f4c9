import * as React from 'react';

import { IMetricSeries } from '../tokens';

const WIDTH = 120;
const HEIGHT = 24;
const PAD = 2;

/** The SVG path of a series scaled into the box; null values (NaN, ±inf) break the line. */
export function sparklinePath(steps: number[], values: (number | null)[]): string {
  const points = steps
    .map((step, i) => [step, values[i]] as const)
    .filter((p): p is readonly [number, number] => p[1] !== null && Number.isFinite(p[1]));
  if (points.length === 0) {
    return '';
  }
  const xs = points.map(p => p[0]);
  const ys = points.map(p => p[1]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const sx = (x: number): number =>
    x1 === x0 ? WIDTH / 2 : PAD + ((x - x0) / (x1 - x0)) * (WIDTH - 2 * PAD);
  const sy = (y: number): number =>
    y1 === y0 ? HEIGHT / 2 : HEIGHT - PAD - ((y - y0) / (y1 - y0)) * (HEIGHT - 2 * PAD);
  let d = '';
  let pen = 'M';
  steps.forEach((step, i) => {
    const value = values[i];
    if (value === null || !Number.isFinite(value)) {
      pen = 'M';
      return;
    }
    d += `${pen}${sx(step).toFixed(1)},${sy(value).toFixed(1)}`;
    pen = 'L';
  });
  return d;
}

/** A small inline line chart of a metric's history; colours come from the theme. */
export function Sparkline({ series }: { series: IMetricSeries }): React.ReactElement {
  const d = sparklinePath(series.steps, series.values);
  const single = series.steps.length === 1;
  const label = `${series.key}: ${series.total_points} point${series.total_points === 1 ? '' : 's'}`;
  return (
    <svg
      className="lt-Sparkline"
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={label}
      data-testid="labtrack-sparkline"
    >
      <title>{label}</title>
      {single ? (
        <circle className="lt-Sparkline-dot" cx={WIDTH / 2} cy={HEIGHT / 2} r={2.5} />
      ) : (
        <path className="lt-Sparkline-line" d={d} />
      )}
    </svg>
  );
}
