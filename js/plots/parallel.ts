// Parallel coordinates of compared runs: one axis per param and metric, one line per run,
// coloured by a chosen metric. A pure function from plain data and theme to a plotly figure,
// shared by the JupyterLab Compare panel and the inline comparison widget.
import type { ICompareData } from './compare-data';
import type { IFigure } from './live-lines';
import { lowerIsBetter } from './live-lines';
import { IAxis, MISSING_LABEL, metricAxis, niceTicks, paramAxis, formatNumber } from './parallel-axes';
import { plotText, shorten, shortenMiddle } from './text';
import type { IPlotTheme } from './theme';

export { MISSING_LABEL } from './parallel-axes';

export interface IParallelOptions {
  theme: IPlotTheme;
  /** The metric that colours the lines (and is drawn as the last axis); null: one colour. */
  colorMetric: string | null;
  height: number;
}

/** Beyond this many axes the labels are tilted: tilted labels cannot overlap each other
 * (at 30° and 110 px apart they are 55 px apart), so they may be longer. */
const CROWDED_AXES = 8;
const LABEL_ANGLE = -30;
const MAX_LABEL_CHARS = 24;
const MAX_TILTED_LABEL_CHARS = 32;
/** Width each axis needs to stay readable; the panel scrolls sideways below it. */
const AXIS_WIDTH_PX = 110;

// Sequential scales whose every colour stands out from the theme's background: from dark blue
// to red on light backgrounds, from light blue to pink on dark ones. The last colour marks the
// best value.
const LIGHT_SCALE = ['#253494', '#2c7fb8', '#1a9e8f', '#e08214', '#c2271b'];
const DARK_SCALE = ['#6cb4ee', '#6fe0ee', '#e0e070', '#ffa64d', '#ff7b7b'];

interface IColumn {
  label: string;
  axis: IAxis;
}

/** The smallest width (px) at which `data`'s axes are still readable. */
export function parallelMinWidth(data: ICompareData): number {
  return (data.params.length + data.metrics.length) * AXIS_WIDTH_PX + 160;
}

export function parallelFigure(data: ICompareData, options: IParallelOptions): IFigure {
  const { theme } = options;
  const columns = axisColumns(data, options.colorMetric);
  const crowded = columns.length > CROWDED_AXES;
  const small = Math.max(9, theme.fontSize - 2);
  const colour = options.colorMetric
    ? data.metrics.find(m => m.key === options.colorMetric) ?? null
    : null;
  const labels = columns.map(c =>
    shortenMiddle(c.label, crowded ? MAX_TILTED_LABEL_CHARS : MAX_LABEL_CHARS)
  );
  const longest = Math.max(0, ...labels.map(l => l.length));
  // Room above the axes for tilted labels: their height grows with their length.
  const top = crowded ? 40 + Math.ceil(longest * theme.fontSize * 0.6 * 0.5) : 56;
  const trace = {
    type: 'parcoords',
    dimensions: columns.map(({ axis }, i) => ({
      label: plotText(labels[i]),
      values: axis.values,
      range: axis.range,
      tickvals: axis.tickvals,
      ticktext: axis.ticktext
    })),
    line: colour
      ? lineColour(colour.key, colour.values, theme)
      : { color: theme.colorway[0] },
    labelangle: crowded ? LABEL_ANGLE : 0,
    labelside: 'top',
    labelfont: { size: theme.fontSize, color: theme.foreground, family: theme.fontFamily },
    tickfont: { size: small, color: theme.foreground, family: theme.fontFamily },
    rangefont: { size: small, color: theme.muted, family: theme.fontFamily },
    unselected: { line: unselectedLine(theme) }
  };
  const layout = {
    height: options.height,
    autosize: true,
    margin: { l: 70, r: colour ? 110 : 50, t: top, b: 24 },
    paper_bgcolor: theme.background,
    plot_bgcolor: theme.background,
    font: { family: theme.fontFamily, size: theme.fontSize, color: theme.foreground },
    // Keep brushed ranges while the theme changes; a new colour metric starts afresh.
    uirevision: options.colorMetric ?? ''
  };
  return { data: [trace], layout };
}

/** Lines outside a brush: visible but behind the selected ones. The grid colour at 0.6
 *  vanished on dark backgrounds (contrast 1.4); the muted text colour at 0.45 keeps ~2.4. */
export function unselectedLine(theme: IPlotTheme): { color: string; opacity: number } {
  return theme.dark ? { color: theme.muted, opacity: 0.45 } : { color: theme.grid, opacity: 0.6 };
}

/** Params first, then metrics with the colouring metric last, next to its colour bar. */
function axisColumns(data: ICompareData, colorMetric: string | null): IColumn[] {
  const paramKeys = new Set(data.params.map(p => p.key));
  const metrics = [...data.metrics].sort(
    (a, b) => Number(a.key === colorMetric) - Number(b.key === colorMetric)
  );
  return [
    ...data.params.map(p => ({ label: p.key, axis: paramAxis(p.values) })),
    ...metrics.map(m => ({
      // A metric named like a param gets told apart.
      label: paramKeys.has(m.key) ? `metric ${m.key}` : m.key,
      axis: metricAxis(m.values)
    }))
  ];
}

/** Colour by `values`; runs without a value get the muted colour, ticked "missing". */
function lineColour(
  key: string,
  values: readonly (number | null)[],
  theme: IPlotTheme
): Record<string, unknown> {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  let low = present.length ? Math.min(...present) : 0;
  let high = present.length ? Math.max(...present) : 1;
  if (low === high) {
    const pad = Math.abs(low) * 0.1 || 1;
    low -= pad;
    high += pad;
  }
  const stops = theme.dark ? DARK_SCALE : LIGHT_SCALE;
  // The best value gets the last colour: reversed when lower is better (loss, error…).
  const ordered = lowerIsBetter(key) ? [...stops].reverse() : stops;
  const missing = present.length < values.length;
  const missingAt = low - (high - low) * 0.2;
  const cmin = missing ? missingAt : low;
  const start = (low - cmin) / (high - cmin);
  const colorscale: [number, string][] = [
    ...(missing ? ([[0, theme.muted], [start * 0.999, theme.muted]] as [number, string][]) : []),
    ...ordered.map((c, i): [number, string] => [start + ((1 - start) * i) / (ordered.length - 1), c])
  ];
  const ticks = niceTicks(low, high);
  return {
    color: values.map(v => (v !== null && Number.isFinite(v) ? v : missingAt)),
    colorscale,
    cmin,
    cmax: high,
    showscale: true,
    colorbar: {
      title: { text: plotText(shorten(key, 16)), side: 'right', font: { color: theme.foreground } },
      thickness: 12,
      outlinewidth: 0,
      tickfont: { color: theme.foreground, size: Math.max(9, theme.fontSize - 2) },
      tickvals: [...(missing ? [missingAt] : []), ...ticks],
      ticktext: [...(missing ? [MISSING_LABEL] : []), ...ticks.map(formatNumber)]
    }
  };
}
