// One metric's curves of compared runs, as the Compare panel and the comparison widget draw
// them: a line per run, or with a grouping a mean line per group with its band (min–max or
// ± std, drawn as a `fill: 'tonexty'` scatter pair, which every plotly bundle keeps) and the
// group size in the legend; optionally smoothed (the raw line stays, faint), over steps,
// wall time or time since each run's start, on a linear or log y axis.
import {
  curveOf,
  emaSmooth,
  groupStats,
  type CurveXAxis,
  type IGroup,
  type IRunHistory
} from './curve-stats';
import type { IFigure } from './live-lines';
import { plotText } from './text';
import type { IPlotTheme } from './theme';

export type BandKind = 'minmax' | 'std';

export interface ICurveOptions {
  metric: string;
  theme: IPlotTheme;
  height: number;
  xAxis: CurveXAxis;
  /** 0 (none) … 0.99: the EMA weight. */
  smoothing: number;
  logY: boolean;
  band: BandKind;
}

export interface INamedHistory extends IRunHistory {
  name: string;
}

export interface IGrouping {
  /** What the runs are grouped by, e.g. `params.lr`. */
  key: string;
  groups: IGroup[];
}

const RAW_OPACITY = 0.25;
const BAND_ALPHA = 0.18;

function alpha(color: string, a: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (!hex) {
    return color;
  }
  const n = parseInt(hex[1], 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${a})`;
}

function line(
  name: string,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  color: string,
  extra: Record<string, unknown> = {}
): Record<string, unknown> {
  return {
    type: 'scatter',
    mode: x.length === 1 ? 'markers' : 'lines',
    name: plotText(name),
    x: Array.from(x),
    y: Array.from(y),
    line: { width: 1.6, color, simplify: false },
    marker: { size: 5, color },
    ...extra
  };
}

/** The line (smoothed when asked) and, when smoothed, the raw one faintly under it. */
function lines(name: string, x: ArrayLike<number>, y: ArrayLike<number>, color: string, options: ICurveOptions, group: string) {
  if (options.smoothing <= 0) {
    return [line(name, x, y, color, { legendgroup: group })];
  }
  return [
    line(name, x, y, color, {
      legendgroup: group,
      showlegend: false,
      opacity: RAW_OPACITY,
      hoverinfo: 'skip',
      meta: 'raw'
    }),
    line(name, x, emaSmooth(y, options.smoothing), color, { legendgroup: group, meta: 'smoothed' })
  ];
}

export function curvesFigure(
  runs: readonly INamedHistory[],
  grouping: IGrouping | null,
  options: ICurveOptions
): IFigure {
  const { theme } = options;
  const colors = theme.colorway;
  const data: Record<string, unknown>[] = [];
  if (grouping === null) {
    runs.forEach((run, i) => {
      const curve = curveOf(run, options.xAxis);
      data.push(...lines(run.name, curve.x, curve.y, colors[i % colors.length], options, `run${i}`));
    });
  } else {
    grouping.groups.forEach((group, g) => {
      const color = colors[g % colors.length];
      const stats = groupStats(group.members.map(i => curveOf(runs[i], options.xAxis)));
      const label = `${grouping.key} = ${group.value ?? '(none)'} (n=${group.members.length})`;
      const mean = options.smoothing > 0 ? emaSmooth(stats.mean, options.smoothing) : stats.mean;
      const spread = (sign: number) =>
        options.band === 'std'
          ? mean.map((m, k) => m + sign * stats.std[k])
          : options.smoothing > 0
            ? emaSmooth(sign < 0 ? stats.min : stats.max, options.smoothing)
            : sign < 0
              ? stats.min
              : stats.max;
      const band = { legendgroup: `group${g}`, showlegend: false, hoverinfo: 'skip', meta: 'band' };
      data.push(line(label, stats.x, spread(-1), color, { ...band, line: { width: 0, color } }));
      data.push(
        line(label, stats.x, spread(1), color, {
          ...band,
          line: { width: 0, color },
          fill: 'tonexty',
          fillcolor: alpha(color, BAND_ALPHA)
        })
      );
      data.push(...lines(label, stats.x, stats.mean, color, options, `group${g}`).map(trace => ({ ...trace, meta: trace.meta === 'raw' ? 'raw' : 'mean' })));
    });
  }
  const small = Math.max(9, theme.fontSize - 2);
  const axis = {
    color: theme.muted,
    gridcolor: theme.grid,
    linecolor: theme.grid,
    zeroline: false,
    automargin: true,
    tickfont: { size: small }
  };
  const xTitle = { step: 'step', time: 'wall time', relative: 'seconds since the run started' }[options.xAxis];
  const layout = {
    height: options.height,
    autosize: true,
    margin: { l: 8, r: 8, t: 32, b: 8, pad: 2 },
    paper_bgcolor: theme.background,
    plot_bgcolor: theme.background,
    font: { family: theme.fontFamily, size: theme.fontSize, color: theme.foreground },
    showlegend: true,
    legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom', font: { size: small, color: theme.foreground }, bgcolor: 'rgba(0,0,0,0)' },
    hovermode: 'closest',
    hoverlabel: { bgcolor: theme.background, bordercolor: theme.grid, font: { color: theme.foreground } },
    xaxis: {
      ...axis,
      type: options.xAxis === 'time' ? 'date' : 'linear',
      title: { text: xTitle, font: { size: small, color: theme.muted } }
    },
    yaxis: {
      ...axis,
      type: options.logY ? 'log' : 'linear',
      // On a log axis, ticks at 1, 2 and 5 of each decade (plotly labels every digit).
      ...(options.logY ? { dtick: 'D2' } : {}),
      exponentformat: 'SI',
      title: { text: plotText(options.metric), font: { size: small, color: theme.muted } }
    },
    uirevision: `${options.metric}/${options.xAxis}/${options.logY}`
  };
  return { data, layout };
}
