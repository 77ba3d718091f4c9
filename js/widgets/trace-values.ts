// What a chart shows of its traces: the points to draw (reduced to what its pixels can
// show), the current value and the best one.
import type { ILineSeries, XAxisMode } from '../plots/live-lines';
import { MAX_POINTS, minmaxIndices, pick } from '../plots/reduce';
import type { ITrace } from './live-store';

/** How many points a chart `width` pixels wide can show: a low and a high point per pixel
 *  column (more would be drawn on top of each other), never more than MAX_POINTS. */
export function pointBudget(width: number): number {
  return Math.max(64, Math.min(MAX_POINTS, 2 * Math.ceil(width) + 2));
}

/** The trace's points as drawn: at most `budget`, extremes kept. */
export function drawnSeries(trace: ITrace, name: string, xAxis: XAxisMode, budget: number): ILineSeries {
  const xs = xAxis === 'time' ? trace.times : trace.steps;
  if (trace.count <= budget) {
    return { name, x: xs.subarray(0, trace.count), y: trace.values.subarray(0, trace.count) };
  }
  const keep = minmaxIndices(trace.values, trace.count, budget);
  return { name, x: pick(xs, keep), y: pick(trace.values, keep) };
}

/** The value logged last (by wall time) across the traces. */
export function latest(traces: ITrace[]): number | undefined {
  let when = -Infinity;
  let value: number | undefined;
  for (const trace of traces) {
    if (trace.count && trace.times[trace.count - 1] >= when) {
      when = trace.times[trace.count - 1];
      value = trace.values[trace.count - 1];
    }
  }
  return value;
}

/** The lowest (`lower`) or highest value across the traces; NaN never counts. */
export function best(traces: ITrace[], lower: boolean): number | undefined {
  // low <= high only for traces holding at least one value that is not NaN.
  const usable = traces.filter(trace => trace.low <= trace.high);
  if (!usable.length) {
    return undefined;
  }
  return lower
    ? Math.min(...usable.map(trace => trace.low))
    : Math.max(...usable.map(trace => trace.high));
}

/** A metric every run logged exactly once (a final score): shown as values, not a chart. */
export function isValueTile(traces: ITrace[]): boolean {
  return traces.length > 0 && traces.every(trace => trace.count === 1);
}
