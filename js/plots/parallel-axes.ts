// How one column of the comparison becomes one parallel-coordinates axis.
//
// parcoords only draws finite numbers, so:
// - numbers are drawn as they are; positive values spanning ≥ 100× (learning rates…) on a
//   log10 scale whose ticks show the real values;
// - anything else (optimizer names, booleans…) is categorical: each distinct value gets an
//   integer code in natural sort order, and the axis ticks show the values;
// - a run without the value is drawn at an extra position just below the axis's range,
//   ticked "missing", so its line stays visible instead of being dropped or faked.
import { plotText, shorten } from './text';

export const MISSING_LABEL = 'missing';

/** One parcoords axis: what `dimensions[i]` needs, plus the kind for the caller. */
export interface IAxis {
  kind: 'numeric' | 'log' | 'categorical';
  values: number[];
  range: [number, number];
  /** Given when plotly's own ticks would not do (categories, log scale, a missing slot). */
  tickvals?: number[];
  ticktext?: string[];
  /** How many runs lack the value. */
  missing: number;
}

const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
const MAX_CATEGORY_TICKS = 16;
const MAX_TICK_CHARS = 16;

/** A param column (strings, as MLflow stores params) as an axis. */
export function paramAxis(values: readonly (string | null)[]): IAxis {
  const present = values.filter((v): v is string => v !== null);
  if (present.length && present.every(v => NUMBER.test(v))) {
    return numberAxis(values.map(v => (v === null ? null : Number(v))));
  }
  return categoricalAxis(values);
}

/** A metric column as an axis. NaN and infinities count as missing. */
export function metricAxis(values: readonly (number | null)[]): IAxis {
  return numberAxis(values);
}

function isFiniteNumber(v: number | null): v is number {
  return v !== null && Number.isFinite(v);
}

function numberAxis(values: readonly (number | null)[]): IAxis {
  const present = values.filter(isFiniteNumber);
  const missing = values.length - present.length;
  if (!present.length) {
    return { kind: 'numeric', values: values.map(() => 0), range: [0, 1], tickvals: [0],
      ticktext: [MISSING_LABEL], missing };
  }
  let low = Math.min(...present);
  let high = Math.max(...present);
  const log = low > 0 && high / low >= 100;
  const scale = (v: number): number => (log ? Math.log10(v) : v);
  low = scale(low);
  high = scale(high);
  if (low === high) {
    const pad = Math.abs(low) * 0.1 || 1;
    low -= pad;
    high += pad;
  }
  const ticks = log ? logTicks(low, high) : niceTicks(low, high);
  const needTicks = log || missing > 0;
  // The missing slot sits a fifth of the span below the lowest value.
  const missingAt = low - (high - low) * 0.2;
  return {
    kind: log ? 'log' : 'numeric',
    values: values.map(v => (isFiniteNumber(v) ? scale(v) : missingAt)),
    range: [missing ? missingAt : low, high],
    ...(needTicks
      ? {
          tickvals: [...(missing ? [missingAt] : []), ...ticks],
          ticktext: [
            ...(missing ? [MISSING_LABEL] : []),
            ...ticks.map(t => formatNumber(log ? 10 ** t : t))
          ]
        }
      : {}),
    missing
  };
}

function categoricalAxis(values: readonly (string | null)[]): IAxis {
  const categories = [...new Set(values.filter((v): v is string => v !== null))].sort(
    (a, b) => a.localeCompare(b, undefined, { numeric: true })
  );
  const code = new Map(categories.map((c, i) => [c, i]));
  const missing = values.filter(v => v === null).length;
  const missingAt = -1;
  // Thin the ticks of long category lists so their labels do not overlap.
  const every = Math.ceil(categories.length / MAX_CATEGORY_TICKS);
  const shown = categories.map((_, i) => i).filter(i => i % every === 0);
  const top = Math.max(categories.length - 1, 0);
  const bottom = missing ? missingAt : 0;
  return {
    kind: 'categorical',
    values: values.map(v => (v === null ? missingAt : code.get(v) ?? missingAt)),
    // A single value still gets an axis with some height around it.
    range: top === bottom ? [bottom - 0.5, top + 0.5] : [bottom, top],
    tickvals: [...(missing ? [missingAt] : []), ...shown],
    ticktext: [
      ...(missing ? [MISSING_LABEL] : []),
      ...shown.map(i => plotText(shorten(categories[i], MAX_TICK_CHARS)))
    ],
    missing
  };
}

/** About five round tick values within [low, high]. */
export function niceTicks(low: number, high: number, count = 5): number[] {
  const raw = (high - low) / Math.max(count - 1, 1);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map(m => m * magnitude).find(s => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(low / step) * step; t <= high + step * 1e-9; t += step) {
    // Rounded to the step's precision, so 0.30000000000000004 reads 0.3.
    ticks.push(Number(t.toPrecision(12)));
  }
  return ticks;
}

/** Ticks at whole powers of ten (log10 space), or at the ends when the span is under one. */
function logTicks(low: number, high: number): number[] {
  const ticks: number[] = [];
  for (let p = Math.ceil(low); p <= Math.floor(high); p++) {
    ticks.push(p);
  }
  return ticks.length >= 2 ? ticks : [low, high];
}

/** Short, readable numbers for tick labels: 0.001, 1e-5, 12.5, 3.2e+6. */
export function formatNumber(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) {
    return value.toExponential(1).replace('.0e', 'e');
  }
  return String(Number(value.toPrecision(4)));
}
