// A small line chart of one metric: one trace per run (the tracked run and its child runs),
// x = step or wall time. A pure function from data and theme to a plotly figure spec, so the
// widget and the lab panels draw the same chart.
import type { IPlotTheme } from './theme';

export type XAxisMode = 'step' | 'time';

export interface ILineSeries {
  /** Legend label (run name). */
  name: string;
  /** Steps, or wall-clock times in ms since the epoch. */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export interface ILiveLinesOptions {
  xAxis: XAxisMode;
  theme: IPlotTheme;
  height: number;
}

/** What Plotly.react takes (kept loose: plotly's own types are not a dependency here). */
export interface IFigure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

function axis(theme: IPlotTheme): Record<string, unknown> {
  return {
    color: theme.muted,
    gridcolor: theme.grid,
    linecolor: theme.grid,
    zeroline: false,
    automargin: true,
    tickfont: { size: Math.max(9, theme.fontSize - 2) }
  };
}

export function liveLinesFigure(series: ILineSeries[], options: ILiveLinesOptions): IFigure {
  const { theme, xAxis } = options;
  const data = series.map(line => ({
    // SVG, not WebGL: a page holds only ~8 WebGL contexts, and ≤ 2k points draw fast in SVG.
    type: 'scatter',
    mode: line.x.length === 1 ? 'markers' : 'lines',
    name: line.name,
    x: line.x,
    y: line.y,
    // The points are already reduced to what the pixels can show; plotly's own line
    // simplification would only cost time.
    line: { width: 1.5, simplify: false },
    marker: { size: 5 },
    hovertemplate:
      xAxis === 'time' ? '%{x|%H:%M:%S}: %{y:.4g}<extra>%{fullData.name}</extra>' :
      'step %{x}: %{y:.4g}<extra>%{fullData.name}</extra>'
  }));
  const layout = {
    height: options.height,
    autosize: true,
    margin: { l: 8, r: 8, t: series.length > 1 ? 24 : 6, b: 8, pad: 2 },
    paper_bgcolor: theme.background,
    plot_bgcolor: theme.background,
    font: { family: theme.fontFamily, size: theme.fontSize, color: theme.foreground },
    colorway: theme.colorway,
    showlegend: series.length > 1,
    legend: {
      orientation: 'h',
      x: 0,
      y: 1.02,
      yanchor: 'bottom',
      font: { size: Math.max(9, theme.fontSize - 2), color: theme.foreground },
      bgcolor: 'rgba(0,0,0,0)'
    },
    hovermode: 'closest',
    hoverlabel: { bgcolor: theme.background, bordercolor: theme.grid, font: { color: theme.foreground } },
    xaxis: {
      ...axis(theme),
      type: xAxis === 'time' ? 'date' : 'linear',
      // Steps are whole numbers: a short run must not get ticks at 0.5.
      ...(xAxis === 'step' && stepSpan(series) < 10 ? { dtick: 1 } : {})
    },
    yaxis: { ...axis(theme), exponentformat: 'SI' },
    // Keep the user's zoom while points stream in; a new axis mode starts afresh.
    uirevision: xAxis
  };
  return { data, layout };
}

function stepSpan(series: ILineSeries[]): number {
  let low = Infinity;
  let high = -Infinity;
  for (const line of series) {
    if (line.x.length) {
      low = Math.min(low, line.x[0]);
      high = Math.max(high, line.x[line.x.length - 1]);
    }
  }
  return high - low;
}

