// Parallel coordinates of compared runs as a plotly parcoords figure: the static export's
// version of what the canvas renderer (parallel-canvas.ts) draws live, from the same model
// (parallel-model.ts: axes, colours), so the exported file shows the same axes and colours.
import type { ICompareData } from './compare-data';
import type { IFigure } from './live-lines';
import { formatNumber, MISSING_LABEL } from './parallel-axes';
import { IParallelModel, ILineColour, parallelModel } from './parallel-model';
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
export const CROWDED_AXES = 8;
export const LABEL_ANGLE = -30;
const MAX_LABEL_CHARS = 24;
const MAX_TILTED_LABEL_CHARS = 32;
/** Width each axis needs to stay readable; the panel scrolls sideways below it. */
export const AXIS_WIDTH_PX = 110;

/** The smallest width (px) at which `data`'s axes are still readable. */
export function parallelMinWidth(data: ICompareData): number {
  return (data.params.length + data.metrics.length) * AXIS_WIDTH_PX + 160;
}

/** Axis labels as shown: shortened in the middle, longer when tilted. */
export function axisLabels(model: IParallelModel): string[] {
  const crowded = model.columns.length > CROWDED_AXES;
  return model.columns.map(c => shortenMiddle(c.label, crowded ? MAX_TILTED_LABEL_CHARS : MAX_LABEL_CHARS));
}

/** Room above the axes for their labels: tilted labels need more the longer they are. */
export function labelRoom(model: IParallelModel, fontSize: number): number {
  if (model.columns.length <= CROWDED_AXES) {
    return 56;
  }
  const longest = Math.max(0, ...axisLabels(model).map(l => l.length));
  return 40 + Math.ceil(longest * fontSize * 0.6 * 0.5);
}

export function parallelFigure(data: ICompareData, options: IParallelOptions): IFigure {
  const figure = parcoordsFigure(parallelModel(data, options.colorMetric, options.theme.dark), options);
  // Redrawn in place (as runs are added): keep brushed ranges while the data or theme
  // changes; a new colour metric starts afresh.
  return { data: figure.data, layout: { ...figure.layout, uirevision: options.colorMetric ?? '' } };
}

/** The parcoords figure of `model` (built once, also drawn by the canvas renderer). */
export function parcoordsFigure(model: IParallelModel, options: Omit<IParallelOptions, 'colorMetric'>): IFigure {
  const { theme } = options;
  const crowded = model.columns.length > CROWDED_AXES;
  const small = Math.max(9, theme.fontSize - 2);
  const labels = axisLabels(model);
  const colour = model.colour;
  const trace = {
    type: 'parcoords',
    dimensions: model.columns.map(({ axis }, i) => ({
      label: plotText(labels[i]),
      values: axis.values,
      range: axis.range,
      tickvals: axis.tickvals,
      ticktext: axis.ticktext
    })),
    line: colour ? lineColour(colour, theme) : { color: theme.colorway[0] },
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
    margin: { l: 70, r: colour ? 110 : 50, t: labelRoom(model, theme.fontSize), b: 24 },
    paper_bgcolor: theme.background,
    plot_bgcolor: theme.background,
    font: { family: theme.fontFamily, size: theme.fontSize, color: theme.foreground }
  };
  return { data: [trace], layout };
}

/** Lines outside a brush: visible but behind the selected ones. The grid colour at 0.6
 *  vanished on dark backgrounds (contrast 1.4); the muted text colour at 0.45 keeps ~2.4. */
export function unselectedLine(theme: IPlotTheme): { color: string; opacity: number } {
  return theme.dark ? { color: theme.muted, opacity: 0.45 } : { color: theme.grid, opacity: 0.6 };
}

/** plotly's line colouring of `colour`: runs without a value get the muted colour, ticked
 *  "missing" below the scale. */
function lineColour(colour: ILineColour, theme: IPlotTheme): Record<string, unknown> {
  const { low, high, scale } = colour;
  const missing = colour.missing > 0;
  const missingAt = low - (high - low) * 0.2;
  const cmin = missing ? missingAt : low;
  const start = (low - cmin) / (high - cmin);
  const colorscale: [number, string][] = [
    ...(missing ? ([[0, theme.muted], [start * 0.999, theme.muted]] as [number, string][]) : []),
    ...scale.map((c, i): [number, string] => [start + ((1 - start) * i) / (scale.length - 1), c])
  ];
  return {
    color: Array.from(colour.values, v => (Number.isNaN(v) ? missingAt : v)),
    colorscale,
    cmin,
    cmax: high,
    showscale: true,
    colorbar: {
      title: { text: plotText(shorten(colour.key, 16)), side: 'right', font: { color: theme.foreground } },
      thickness: 12,
      outlinewidth: 0,
      tickfont: { color: theme.foreground, size: Math.max(9, theme.fontSize - 2) },
      tickvals: [...(missing ? [missingAt] : []), ...colour.ticks],
      ticktext: [...(missing ? [MISSING_LABEL] : []), ...colour.ticks.map(formatNumber)]
    }
  };
}
