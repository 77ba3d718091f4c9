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
  tickvals: number[];
  ticktext: string[];
  /** How many runs lack the value. */
  missing: number;
}

const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
const MAX_CATEGORY_TICKS = 16;
const MAX_TICK_CHARS = 16;

/** A param column (strings, as MLflow stores params) as an axis. */
export function paramAxis(values: readonly (string | null)[]): IAxis {
  // Each distinct text is parsed once: a 10k-run column mostly repeats a few values.
  const parsed = new Map<string, number | null>();
  for (const v of values) {
    if (v !== null && !parsed.has(v)) {
      parsed.set(v, NUMBER.test(v) ? Number(v) : null);
    }
  }
  if (parsed.size && [...parsed.values()].every(n => n !== null)) {
    return numberAxis(values.map(v => (v === null ? null : parsed.get(v)!)));
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
  let min = Infinity;
  let max = -Infinity;
  let missing = 0;
  for (const v of values) {
    if (isFiniteNumber(v)) {
      min = v < min ? v : min;
      max = v > max ? v : max;
    } else {
      missing++;
    }
  }
  if (missing === values.length) {
    // An empty top tick keeps the axis line (drawn from first to last tick) visible.
    return { kind: 'numeric', values: values.map(() => 0), range: [0, 1], tickvals: [0, 1],
      ticktext: [MISSING_LABEL, ''], missing };
  }
  const log = min > 0 && max / min >= 100;
  const scale = (v: number): number => (log ? Math.log10(v) : v);
  // Plotly draws an axis with given ticks only from its first to its last tick, so the ticks
  // span the values: whole powers of ten on a log axis, round numbers on a linear one.
  const ticks = log
    ? wholeSteps(Math.floor(scale(min)), Math.ceil(scale(max)))
    : roundTicks(min, max);
  const low = ticks[0];
  const high = ticks[ticks.length - 1];
  // The missing slot sits a fifth of the span below the lowest tick.
  const missingAt = low - (high - low) * 0.2;
  // Ticks are always given: plotly then formats none itself and draws no range labels
  // (like "0.0454545") above and below the axis.
  return {
    kind: log ? 'log' : 'numeric',
    values: values.map(v => (isFiniteNumber(v) ? scale(v) : missingAt)),
    range: [missing ? missingAt : low, high],
    tickvals: [...(missing ? [missingAt] : []), ...ticks],
    ticktext: [
      ...(missing ? [MISSING_LABEL] : []),
      ...ticks.map(t => formatNumber(log ? 10 ** t : t))
    ],
    missing
  };
}

function categoricalAxis(values: readonly (string | null)[]): IAxis {
  const categories = [...new Set(values.filter((v): v is string => v !== null))].sort(
    new Intl.Collator(undefined, { numeric: true }).compare
  );
  const code = new Map(categories.map((c, i) => [c, i]));
  const missing = values.filter(v => v === null).length;
  const missingAt = -1;
  // Thin the ticks of long category lists so their labels do not overlap; keep the last, as
  // the axis line is drawn from the first tick to the last.
  const top = Math.max(categories.length - 1, 0);
  const every = Math.ceil(categories.length / MAX_CATEGORY_TICKS);
  const shown = categories.map((_, i) => i).filter(i => i % every === 0 || i === top);
  const text = (i: number): string => plotText(shorten(categories[i], MAX_TICK_CHARS));
  const codes = values.map(v => (v === null ? missingAt : code.get(v) ?? missingAt));
  if (categories.length === 1 && !missing) {
    // One value in every run: empty ticks either side give the axis a visible line.
    return { kind: 'categorical', values: codes, range: [-1, 1], tickvals: [-1, 0, 1],
      ticktext: ['', text(0), ''], missing };
  }
  return {
    kind: 'categorical',
    values: codes,
    range: [missing ? missingAt : 0, top],
    tickvals: [...(missing ? [missingAt] : []), ...shown],
    ticktext: [...(missing ? [MISSING_LABEL] : []), ...shown.map(text)],
    missing
  };
}

/** A round step giving about `count` ticks over `span`. */
function roundStep(span: number, count = 5): number {
  const raw = span / Math.max(count - 1, 1);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  // The tolerance keeps 0.89 - 0.69 = 0.20000000000000007 from needing the next step up.
  return [1, 2, 2.5, 5, 10].map(m => m * magnitude).find(s => s >= raw * (1 - 1e-9)) ?? raw;
}

/** Round ticks from at or below `low` to at or above `high`; one value gets one step of room
 * either side, so it sits on the middle tick. */
export function roundTicks(low: number, high: number): number[] {
  if (low === high) {
    const step = roundStep(Math.abs(low) * 0.2 || 2, 2);
    return [low - step, low, low + step].map(t => Number(t.toPrecision(12)));
  }
  const step = roundStep(high - low);
  const first = Math.floor(low / step + 1e-9);
  const last = Math.ceil(high / step - 1e-9);
  // Rounded to 12 digits, so 0.30000000000000004 reads 0.3.
  return wholeSteps(first, last).map(i => Number((i * step).toPrecision(12)));
}

/** Round ticks within [low, high] (for a colour bar, whose ends need no tick). */
export function niceTicks(low: number, high: number): number[] {
  const step = roundStep(high - low);
  const ticks = wholeSteps(Math.ceil(low / step - 1e-9), Math.floor(high / step + 1e-9));
  return ticks.map(i => Number((i * step).toPrecision(12)));
}

/** The whole numbers from `first` to `last`. */
function wholeSteps(first: number, last: number): number[] {
  const steps: number[] = [];
  for (let i = first; i <= last; i++) {
    steps.push(i);
  }
  // A log axis spanning one power of ten still gets two ends.
  return steps.length >= 2 ? steps : [first - 1, first];
}

/** Short, readable numbers for tick labels: 0.001, 1e-5, 12.5, 3.2e+6. */
export function formatNumber(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) {
    return value.toExponential(1).replace('.0e', 'e');
  }
  return String(Number(value.toPrecision(4)));
}
