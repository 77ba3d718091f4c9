/** Short form of an MLflow run id (32 hex characters) as shown in lists. */
export function shortRunId(runId: string): string {
  return runId.length > 8 ? runId.slice(0, 8) : runId;
}

/** A duration in ms as a short human string: "850 ms", "12.3 s", "4 min 05 s", "2 h 03 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) {
    return '—';
  }
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  const seconds = ms / 1000;
  if (seconds < 60) {
    return `${seconds.toFixed(1)} s`;
  }
  const total = Math.floor(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h === 0) {
    return `${m} min ${pad(s)} s`;
  }
  return `${h} h ${pad(m)} min`;
}

/** A metric value in 4 significant digits; NaN and ±inf spelled out, missing as "—". */
export function formatValue(value: number | undefined): string {
  if (value === undefined) {
    return '—';
  }
  if (Number.isNaN(value)) {
    return 'NaN';
  }
  if (!Number.isFinite(value)) {
    return value > 0 ? '∞' : '−∞';
  }
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e6 || abs < 1e-3)) {
    return value.toExponential(3);
  }
  return String(Number(value.toPrecision(4)));
}

/** Decimals that show `value` with 4 significant digits (0 for large values). */
function decimalsFor(value: number): number {
  const abs = Math.abs(value);
  if (abs === 0 || !Number.isFinite(abs)) {
    return 0;
  }
  return Math.max(0, Math.min(6, 3 - Math.floor(Math.log10(abs))));
}

/** Values shown side by side (a chart's current and best) with the same precision: the
 *  decimals the most precise of them needs, or all in exponent form when one needs it. */
export function formatValues(values: (number | undefined)[]): string[] {
  const finite = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  const exponent = finite.some(v => v !== 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3));
  if (exponent) {
    return values.map(v => (v !== undefined && Number.isFinite(v) ? v.toExponential(3) : formatValue(v)));
  }
  // Whole numbers (a rank, a count) stay whole.
  const decimals = finite.every(Number.isInteger) ? 0 : Math.max(0, ...finite.map(decimalsFor));
  return values.map(v => (v !== undefined && Number.isFinite(v) ? v.toFixed(decimals) : formatValue(v)));
}

