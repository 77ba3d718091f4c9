// The comparison widget's traits decoded into the plain shapes js/plots builds from (see
// src/labtrack/widgets/compare_payload.py for the packing).
import type { ICompareData } from '../plots/compare-data';
import type { IOverlaySeries } from '../plots/overlay';

export interface ICompareRunTrait {
  run_id: string;
  run_name: string;
  status: string;
}

/** The runs as columns; `status[i]` indexes `statuses`. */
export interface IRunTableTrait {
  ids: string[];
  names: string[];
  statuses: string[];
  status: number[];
}

export function decodeRuns(table: Partial<IRunTableTrait> | null | undefined): ICompareRunTrait[] {
  const ids = table?.ids ?? [];
  const names = table?.names ?? [];
  const statuses = table?.statuses ?? [];
  const status = table?.status ?? [];
  return ids.map((run_id, i) => ({ run_id, run_name: names[i] ?? '', status: statuses[status[i]] ?? '' }));
}

/** Params from their categories and the int32 codes buffer (params × runs, -1: missing). */
export function decodeParams(
  keys: readonly string[],
  categories: readonly (readonly string[])[],
  raw: DataView | ArrayBuffer | null | undefined,
  runCount: number
): { key: string; values: (string | null)[] }[] {
  const codes = int32s(raw);
  return keys.map((key, p) => {
    const values: (string | null)[] = new Array(runCount);
    const names = categories[p] ?? [];
    for (let i = 0; i < runCount; i++) {
      const code = codes[p * runCount + i];
      values[i] = code >= 0 && code < names.length ? names[code] : null;
    }
    return { key, values };
  });
}

/** float32 little-endian numbers of a bytes trait (the curves; copied, as `float64s`). */
export function float32s(raw: DataView | ArrayBuffer | null | undefined): Float32Array {
  if (!raw) {
    return new Float32Array(0);
  }
  const bytes =
    raw instanceof ArrayBuffer
      ? new Uint8Array(raw).slice()
      : new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength).slice();
  return new Float32Array(bytes.buffer, 0, Math.floor(bytes.byteLength / 4));
}

/** int32 little-endian numbers of a bytes trait (copied, as `float64s`). */
export function int32s(raw: DataView | ArrayBuffer | null | undefined): Int32Array {
  if (!raw) {
    return new Int32Array(0);
  }
  const bytes =
    raw instanceof ArrayBuffer
      ? new Uint8Array(raw).slice()
      : new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength).slice();
  return new Int32Array(bytes.buffer, 0, Math.floor(bytes.byteLength / 4));
}

/** Traits of the Python CompareWidget; keep in step with src/labtrack/widgets/compare.py. */
export interface ICompareTraits {
  _labtrack_view: string;
  run_table: IRunTableTrait;
  param_keys: string[];
  param_categories: string[][];
  param_codes: DataView | ArrayBuffer | null;
  metric_keys: string[];
  metric_values: DataView | ArrayBuffer | null;
  color_metric: string | null;
  curve_metric: string | null;
  curve_runs: { run_id: string; n: number }[];
  curve_values: DataView | ArrayBuffer | null;
  curve_missing: string[];
  only_differences: boolean;
  selected: string[];
  /** The plotly figures last drawn, sent to the kernel for the static export. */
  figures: Record<string, IPlainFigure>;
  // Grouped curves, values at a step and images: src/labtrack/widgets/compare_extras.py.
  tag_keys: string[];
  tag_categories: string[][];
  tag_codes: DataView | ArrayBuffer | null;
  curve_times: DataView | ArrayBuffer | null;
  curve_group_by: string | null;
  curve_band: string;
  curve_smoothing: number;
  curve_x_axis: string;
  curve_log_y: boolean;
  at_step: number | null;
  at_step_values: Record<string, unknown>;
  media_keys: string[];
  media_key: string | null;
  media_steps: number[];
  media_step: number | null;
  media_cells: Record<string, unknown>[];
}

export interface IPlainFigure {
  data: unknown[];
  layout: Record<string, unknown>;
}

/** Number arrays at least this long travel as plotly typed-array specs (float32, base64). */
const PACKED_MIN = 32;

/** A figure as plain JSON for the kernel: long number arrays (a parcoords axis holds one value
 *  per run) become plotly's typed-array specs `{dtype: 'f4', bdata}`, which plotly.js reads
 *  back as Float32Arrays; at 10k runs × 15 axes that is 0.8 MB instead of 3.6 MB of digits.
 *  NaN stays NaN (a gap in a curve). */
export function plainFigure(figure: { data: unknown[]; layout: unknown }): IPlainFigure {
  return JSON.parse(
    JSON.stringify(figure, (_key, value) => {
      if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
        return packed(value as unknown as ArrayLike<number>);
      }
      if (Array.isArray(value) && value.length >= PACKED_MIN && value.every(v => typeof v === 'number' || v === null)) {
        return packed(value);
      }
      return value;
    })
  );
}

function packed(values: ArrayLike<number | null>): { dtype: 'f4'; bdata: string } {
  const floats = Float32Array.from(values as ArrayLike<number>, v => (v === null ? NaN : v));
  const bytes = new Uint8Array(floats.buffer);
  let binary = '';
  for (let at = 0; at < bytes.length; at += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  }
  return { dtype: 'f4', bdata: btoa(binary) };
}

/** float64 little-endian numbers of a bytes trait (copied: a DataView inside a websocket
 *  frame need not be 8-aligned). */
export function float64s(raw: DataView | ArrayBuffer | null | undefined): Float64Array {
  if (!raw) {
    return new Float64Array(0);
  }
  const bytes =
    raw instanceof ArrayBuffer
      ? new Uint8Array(raw).slice()
      : new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength).slice();
  return new Float64Array(bytes.buffer, 0, Math.floor(bytes.byteLength / 8));
}

export function compareData(
  runs: readonly ICompareRunTrait[],
  params: { key: string; values: (string | null)[] }[],
  metricKeys: readonly string[],
  metricValues: Float64Array
): ICompareData {
  const n = runs.length;
  return {
    runs: runs.map(r => ({ run_id: r.run_id, run_name: r.run_name })),
    params,
    metrics: metricKeys.map((key, i) => ({
      key,
      values: Array.from(metricValues.subarray(i * n, (i + 1) * n), v =>
        Number.isFinite(v) ? v : null
      )
    }))
  };
}

/** The overlay's series: per run steps[n] then values[n] in one float32 buffer. */
export function curveSeries(
  curveRuns: ICompareTraits['curve_runs'],
  values: Float32Array | Float64Array,
  labelOf: (runId: string) => string
): IOverlaySeries[] {
  const series: IOverlaySeries[] = [];
  let at = 0;
  for (const { run_id, n } of curveRuns) {
    const steps = Array.from(values.subarray(at, at + n));
    const ys = Array.from(values.subarray(at + n, at + 2 * n), v => (Number.isFinite(v) ? v : null));
    series.push({ name: labelOf(run_id), steps, values: ys });
    at += 2 * n;
  }
  return series;
}
