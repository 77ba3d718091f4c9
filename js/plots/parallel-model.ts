// What the parallel coordinates show, before anything draws them: the axes (one per param and
// metric, built by parallel-axes.ts), each run's colour bucket, and brushing. Pure data, no
// DOM: the canvas renderer (parallel-canvas.ts) paints it, and parallel.ts turns it into a
// plotly parcoords figure for the static export.
import type { ICompareData } from './compare-data';
import { lowerIsBetter } from './objective';
import { IAxis, metricAxis, niceTicks, paramAxis } from './parallel-axes';

/** Colour scales whose every colour stands out from the theme's background: from dark blue to
 *  red on light backgrounds, from light blue to pink on dark ones. The last marks the best. */
export const LIGHT_SCALE = ['#253494', '#2c7fb8', '#1a9e8f', '#e08214', '#c2271b'];
export const DARK_SCALE = ['#6cb4ee', '#6fe0ee', '#e0e070', '#ffa64d', '#ff7b7b'];
/** Colours a colour scale is cut into for drawing: one path is stroked per bucket. */
export const COLOUR_BUCKETS = 24;
/** The bucket of runs without a value of the colour metric. */
export const MISSING_BUCKET = 255;

export interface IColumn {
  label: string;
  axis: IAxis;
}

/** How lines are coloured by a metric. */
export interface ILineColour {
  key: string;
  /** The metric's values, NaN where a run has none. */
  values: Float64Array;
  /** The present values' range (padded when they are all equal). */
  low: number;
  high: number;
  /** Colours from the lowest value to the highest: the theme's scale, whose last colour marks
   *  the best value, reversed when lower is better (loss, error…). */
  scale: string[];
  /** Whether lower values are better (they are then drawn last, on top). */
  lowerIsBetter: boolean;
  /** Round values inside [low, high] to label the colour bar with. */
  ticks: number[];
  /** How many runs lack the value. */
  missing: number;
  /** Per run: its bucket 0…COLOUR_BUCKETS-1 (lowest to highest value), or MISSING_BUCKET. */
  bucket: Uint8Array;
}

export interface IParallelModel {
  runs: number;
  columns: IColumn[];
  colour: ILineColour | null;
}

/** A brushed range of one axis, in the axis's own units (lower end first). */
export type Brush = readonly [number, number];

/** The axes and colours of `data`: params first, then metrics, the colouring metric last
 *  (next to its colour bar). */
export function parallelModel(data: ICompareData, colorMetric: string | null, dark: boolean): IParallelModel {
  const paramKeys = new Set(data.params.map(p => p.key));
  const metrics = [...data.metrics].sort(
    (a, b) => Number(a.key === colorMetric) - Number(b.key === colorMetric)
  );
  const columns: IColumn[] = [
    ...data.params.map(p => ({ label: p.key, axis: paramAxis(p.values) })),
    ...metrics.map(m => ({
      // A metric named like a param gets told apart.
      label: paramKeys.has(m.key) ? `metric ${m.key}` : m.key,
      axis: metricAxis(m.values)
    }))
  ];
  const metric = colorMetric ? data.metrics.find(m => m.key === colorMetric) : undefined;
  return {
    runs: data.runs.length,
    columns,
    colour: metric ? lineColour(metric.key, metric.values, dark) : null
  };
}

export function lineColour(key: string, values: readonly (number | null)[], dark: boolean): ILineColour {
  const numbers = Float64Array.from(values, v => (v !== null && Number.isFinite(v) ? v : NaN));
  let low = Infinity;
  let high = -Infinity;
  let missing = 0;
  for (const v of numbers) {
    if (Number.isNaN(v)) {
      missing++;
    } else {
      low = Math.min(low, v);
      high = Math.max(high, v);
    }
  }
  if (low > high) {
    low = 0;
    high = 1;
  } else if (low === high) {
    const pad = Math.abs(low) * 0.1 || 1;
    low -= pad;
    high += pad;
  }
  const stops = dark ? DARK_SCALE : LIGHT_SCALE;
  const lower = lowerIsBetter(key);
  const scale = lower ? [...stops].reverse() : [...stops];
  const bucket = new Uint8Array(numbers.length);
  const span = high - low;
  for (let i = 0; i < numbers.length; i++) {
    const v = numbers[i];
    bucket[i] = Number.isNaN(v)
      ? MISSING_BUCKET
      : Math.min(COLOUR_BUCKETS - 1, Math.max(0, Math.floor(((v - low) / span) * COLOUR_BUCKETS)));
  }
  return { key, values: numbers, low, high, scale, lowerIsBetter: lower, ticks: niceTicks(low, high), missing, bucket };
}

/** The colour at `t` (0…1) along `scale`, as #rrggbb. */
export function scaleColour(scale: readonly string[], t: number): string {
  const at = Math.min(1, Math.max(0, t)) * (scale.length - 1);
  const i = Math.min(scale.length - 2, Math.floor(at));
  const f = at - i;
  const [a, b] = [hexRgb(scale[i]), hexRgb(scale[i + 1])];
  return '#' + a.map((c, k) => Math.round(c + (b[k] - c) * f).toString(16).padStart(2, '0')).join('');
}

/** The colour of bucket `b`: the middle of its slice of the scale. */
export function bucketColour(scale: readonly string[], b: number): string {
  return scaleColour(scale, (b + 0.5) / COLOUR_BUCKETS);
}

function hexRgb(hex: string): number[] {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? [...h].map(c => c + c).join('') : h;
  return [0, 2, 4].map(i => parseInt(full.slice(i, i + 2), 16));
}

/** Where `value` sits on `axis`: 0 at the bottom of its range, 1 at the top. */
export function axisPosition(axis: IAxis, value: number): number {
  const [low, high] = axis.range;
  return high === low ? 0.5 : (value - low) / (high - low);
}

/** The value of `axis` at position `t` (0 bottom, 1 top). */
export function axisValue(axis: IAxis, t: number): number {
  const [low, high] = axis.range;
  return low + (high - low) * t;
}

/** A brush dragged from one value to another, kept inside the axis; a categorical axis's
 *  brush grows to whole categories, so it selects what it visibly covers. */
export function brushBetween(axis: IAxis, from: number, to: number): Brush {
  const [low, high] = axis.range;
  let a = Math.max(low, Math.min(from, to));
  let b = Math.min(high, Math.max(from, to));
  if (axis.kind === 'categorical') {
    a = Math.round(a) - 0.5;
    b = Math.round(b) + 0.5;
  }
  return [a, b];
}

/** The indices of the runs inside every brush (null: no brush, nothing selected). Every run
 *  is tested, however many are drawn. */
export function runsInside(columns: readonly IColumn[], brushes: readonly (Brush | null)[], runs: number): Int32Array | null {
  const active: { values: readonly number[]; low: number; high: number }[] = [];
  columns.forEach((column, i) => {
    const brush = brushes[i];
    if (brush) {
      active.push({ values: column.axis.values, low: brush[0], high: brush[1] });
    }
  });
  if (!active.length) {
    return null;
  }
  const inside = new Int32Array(runs);
  let count = 0;
  for (let r = 0; r < runs; r++) {
    let ok = true;
    for (const { values, low, high } of active) {
      const v = values[r];
      if (!(v >= low && v <= high)) {
        ok = false;
        break;
      }
    }
    if (ok) {
      inside[count++] = r;
    }
  }
  return inside.slice(0, count);
}

/** The keys that brush an axis from the keyboard, for the hint and aria text. */
export const BRUSH_KEYS =
  'Arrow keys move the selected range, Shift+Arrow keys move its lower end, Escape clears it.';

/** The brush after a key press on a focused axis (undefined: the key is not ours). The step
 *  is one category on a categorical axis, a twentieth of the axis otherwise; the first press
 *  brushes the top step. */
export function brushAfterKey(
  axis: IAxis,
  brush: Brush | null,
  key: string,
  shift: boolean
): Brush | null | undefined {
  const [low, high] = axis.range;
  const step = axis.kind === 'categorical' ? 1 : (high - low) / 20;
  if (key === 'Escape' || key === 'Delete' || key === 'Backspace') {
    return null;
  }
  if (key !== 'ArrowUp' && key !== 'ArrowDown') {
    return undefined;
  }
  const up = key === 'ArrowUp';
  if (!brush) {
    return axis.kind === 'categorical' ? [high - 0.5, high + 0.5] : [high - step, high];
  }
  const [a, b] = brush;
  const edge = axis.kind === 'categorical' ? 0.5 : 0;
  if (shift) {
    // The lower end moves; the brush keeps at least one step.
    const next = Math.min(b - step, Math.max(low - edge, a + (up ? step : -step)));
    return [next, b];
  }
  const delta = up ? Math.min(step, high + edge - b) : -Math.min(step, a - (low - edge));
  return [a + delta, b + delta];
}

/** Runs ordered by colour bucket (missing first, then worst to best); `starts[b]` is where
 *  drawing bucket b begins. Without a colour metric every run is in one bucket. */
export function drawOrder(model: IParallelModel): { order: Uint32Array; starts: number[] } {
  const n = model.runs;
  const colour = model.colour;
  if (!colour) {
    return { order: Uint32Array.from({ length: n }, (_, i) => i), starts: [0, n] };
  }
  const slots = COLOUR_BUCKETS + (colour.missing ? 1 : 0);
  // Slots in drawing order: missing, then from the worst value to the best.
  const slotOf = (r: number) => {
    const b = colour.bucket[r];
    if (b === MISSING_BUCKET) {
      return 0;
    }
    return (colour.lowerIsBetter ? COLOUR_BUCKETS - 1 - b : b) + (colour.missing ? 1 : 0);
  };
  const counts = new Array(slots + 1).fill(0);
  for (let r = 0; r < n; r++) {
    counts[slotOf(r) + 1]++;
  }
  for (let s = 1; s <= slots; s++) {
    counts[s] += counts[s - 1];
  }
  const starts = [...counts];
  const order = new Uint32Array(n);
  const next = counts.slice(0, slots);
  for (let r = 0; r < n; r++) {
    order[next[slotOf(r)]++] = r;
  }
  return { order, starts };
}
