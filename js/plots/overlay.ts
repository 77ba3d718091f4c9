// One metric's curves of several runs, overlaid: one line per run, legend by run name.
// Drawn like the live plot (same axes, colours and hover), with the metric named on the
// y axis and the legend always shown, since the runs are what is being compared.
import { IFigure, liveLinesFigure } from './live-lines';
import { plotText } from './text';
import type { IPlotTheme } from './theme';

export interface IOverlaySeries {
  /** Legend label: the run's name (shown as text, never markup). */
  name: string;
  steps: readonly number[];
  /** null where the server had no finite value (drawn as a gap). */
  values: readonly (number | null)[];
}

export interface IOverlayOptions {
  metric: string;
  theme: IPlotTheme;
  height: number;
}

export function overlayFigure(series: readonly IOverlaySeries[], options: IOverlayOptions): IFigure {
  const { theme, metric } = options;
  const lines = series.map(s => ({
    name: plotText(s.name),
    x: s.steps,
    y: s.values.map(v => (v === null ? NaN : v))
  }));
  const figure = liveLinesFigure(lines, { xAxis: 'step', theme, height: options.height });
  const small = Math.max(9, theme.fontSize - 2);
  const layout = figure.layout as Record<string, Record<string, unknown>>;
  return {
    data: figure.data,
    layout: {
      ...figure.layout,
      showlegend: true,
      margin: { l: 8, r: 8, t: 32, b: 8, pad: 2 },
      xaxis: { ...layout.xaxis, title: { text: 'step', font: { size: small, color: theme.muted } } },
      yaxis: {
        ...layout.yaxis,
        title: { text: plotText(metric), font: { size: small, color: theme.muted } }
      },
      // Keep the zoom while the theme changes; another metric starts afresh.
      uirevision: metric
    }
  };
}
