// Grouped and smoothed curves, computed from the reduced histories the curve views already
// read (≤ 1,000 points a run): runs grouped by a param or tag value, each group's mean with
// its min–max or ± std band on a common x grid, and TensorBoard's exponential moving
// average. Pure functions, so the Compare panel and the comparison widget draw the same.

export type CurveXAxis = 'step' | 'time' | 'relative';

/** One run's history as the curve views hold it. */
export interface IRunHistory {
  steps: ArrayLike<number>;
  /** Wall-clock ms since the epoch, one per point. */
  timestamps: ArrayLike<number>;
  /** NaN where the value is not finite (a gap). */
  values: ArrayLike<number>;
}

export interface ICurve {
  x: Float64Array;
  y: Float64Array;
}

/** The history's x values for an axis mode: steps, wall-clock ms, or seconds since the
 *  run's first point. */
export function curveOf(history: IRunHistory, xAxis: CurveXAxis): ICurve {
  const n = history.values.length;
  const x = new Float64Array(n);
  const first = n ? history.timestamps[0] : 0;
  for (let i = 0; i < n; i++) {
    x[i] =
      xAxis === 'step'
        ? history.steps[i]
        : xAxis === 'time'
          ? history.timestamps[i]
          : (history.timestamps[i] - first) / 1000;
  }
  return { x, y: Float64Array.from(history.values as ArrayLike<number>) };
}

/** TensorBoard's smoothing: an exponential moving average with weight `weight` (0: none,
 *  0.99: heavy), debiased so the curve starts at the first value rather than at 0. Points
 *  that are not finite stay gaps and do not move the average. */
export function emaSmooth(values: ArrayLike<number>, weight: number): Float64Array {
  const out = new Float64Array(values.length);
  const w = Math.min(Math.max(weight, 0), 0.999);
  let last = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = NaN;
      continue;
    }
    last = last * w + (1 - w) * v;
    count++;
    out[i] = w === 0 ? v : last / (1 - Math.pow(w, count));
  }
  return out;
}

export interface IGroup {
  /** The value the members share, or null: the runs without the key. */
  value: string | null;
  /** Indices of the member runs. */
  members: number[];
}

/** Runs grouped by their value of a param or tag (null: the run lacks it, a group of its
 *  own, last). Numeric values sort as numbers, others as text. */
export function groupRuns(values: readonly (string | null)[]): IGroup[] {
  const groups = new Map<string | null, number[]>();
  values.forEach((value, i) => {
    const members = groups.get(value) ?? [];
    members.push(i);
    groups.set(value, members);
  });
  const present = [...groups.keys()].filter((v): v is string => v !== null);
  const numeric = present.every(v => v.trim() !== '' && Number.isFinite(Number(v)));
  present.sort((a, b) => (numeric ? Number(a) - Number(b) : a.localeCompare(b)));
  const ordered: (string | null)[] = groups.has(null) ? [...present, null] : present;
  return ordered.map(value => ({ value, members: groups.get(value)! }));
}

export interface IGroupStats {
  x: Float64Array;
  mean: Float64Array;
  min: Float64Array;
  max: Float64Array;
  std: Float64Array;
  /** How many runs have a value at each x. */
  count: Int32Array;
}

/** The common x grid of some curves: every x they hold, or `maxPoints` evenly spaced ones
 *  over their span when there are more. */
export function commonGrid(curves: readonly ICurve[], maxPoints = 500): Float64Array {
  const all = new Set<number>();
  let low = Infinity;
  let high = -Infinity;
  for (const curve of curves) {
    for (let i = 0; i < curve.x.length; i++) {
      if (Number.isFinite(curve.y[i])) {
        all.add(curve.x[i]);
        low = Math.min(low, curve.x[i]);
        high = Math.max(high, curve.x[i]);
      }
    }
  }
  if (all.size <= maxPoints) {
    return Float64Array.from([...all].sort((a, b) => a - b));
  }
  const grid = new Float64Array(maxPoints);
  for (let i = 0; i < maxPoints; i++) {
    grid[i] = low + ((high - low) * i) / (maxPoints - 1);
  }
  return grid;
}

/** Each curve's value at each grid x, linear between its finite points and absent outside
 *  its own span, then the mean, min, max and standard deviation over the curves present.
 *  Curves must be in ascending x (histories are). */
export function groupStats(curves: readonly ICurve[], maxPoints = 500): IGroupStats {
  const x = commonGrid(curves, maxPoints);
  const g = x.length;
  const sum = new Float64Array(g);
  const squares = new Float64Array(g);
  const min = new Float64Array(g).fill(Infinity);
  const max = new Float64Array(g).fill(-Infinity);
  const count = new Int32Array(g);
  for (const curve of curves) {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < curve.x.length; i++) {
      if (Number.isFinite(curve.y[i])) {
        xs.push(curve.x[i]);
        ys.push(curve.y[i]);
      }
    }
    let j = 0;
    for (let k = 0; k < g && xs.length; k++) {
      const at = x[k];
      if (at < xs[0] || at > xs[xs.length - 1]) {
        continue;
      }
      while (j < xs.length - 1 && xs[j + 1] < at) {
        j++;
      }
      let v: number;
      if (xs[j] === at || j === xs.length - 1) {
        v = ys[j];
      } else {
        const t = (at - xs[j]) / (xs[j + 1] - xs[j]);
        v = ys[j] + t * (ys[j + 1] - ys[j]);
      }
      sum[k] += v;
      squares[k] += v * v;
      min[k] = Math.min(min[k], v);
      max[k] = Math.max(max[k], v);
      count[k]++;
    }
  }
  const mean = new Float64Array(g);
  const std = new Float64Array(g);
  for (let k = 0; k < g; k++) {
    const n = count[k];
    mean[k] = n ? sum[k] / n : NaN;
    std[k] = n ? Math.sqrt(Math.max(0, squares[k] / n - mean[k] * mean[k])) : NaN;
    if (!n) {
      min[k] = NaN;
      max[k] = NaN;
    }
  }
  return { x, mean, min, max, std, count };
}

/** The value logged at the step nearest `step` (the lower one on a tie); undefined when the
 *  history holds no finite value. */
export function valueNearStep(history: IRunHistory, step: number): { step: number; value: number } | undefined {
  let best: { step: number; value: number } | undefined;
  for (let i = 0; i < history.values.length; i++) {
    const value = history.values[i];
    const at = history.steps[i];
    if (!Number.isFinite(value)) {
      continue;
    }
    const distance = Math.abs(at - step);
    const bestDistance = best ? Math.abs(best.step - step) : Infinity;
    if (distance < bestDistance || (distance === bestDistance && best && at < best.step)) {
      best = { step: at, value };
    }
  }
  return best;
}
