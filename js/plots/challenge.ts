// The champion–challenger plots: residuals of both versions side by side (regressors), or
// their ROC and precision–recall curves on one axis each (binary classifiers). Champion in
// the theme's first colour, challenger in its second, everywhere in the view.
import type { IFigure } from './live-lines';
import { plotText } from './text';
import type { IPlotTheme } from './theme';

export type Role = 'champion' | 'challenger';
export const ROLES: Role[] = ['champion', 'challenger'];

export interface IResiduals {
  predicted: (number | null)[];
  residual: (number | null)[];
}

export interface ICurve {
  x: (number | null)[];
  y: (number | null)[];
  area: number;
}

export function roleColor(theme: IPlotTheme, role: Role): string {
  return theme.colorway[role === 'champion' ? 0 : 1];
}

function axis(theme: IPlotTheme, title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const small = Math.max(9, theme.fontSize - 2);
  return {
    color: theme.muted,
    gridcolor: theme.grid,
    linecolor: theme.grid,
    zerolinecolor: theme.muted,
    automargin: true,
    exponentformat: 'SI',
    tickfont: { size: small },
    title: { text: plotText(title), font: { size: small, color: theme.muted } },
    ...extra
  };
}

function frame(theme: IPlotTheme, height: number, title: string): Record<string, unknown> {
  return {
    height,
    autosize: true,
    margin: { l: 8, r: 8, t: 30, b: 8, pad: 2 },
    paper_bgcolor: theme.background,
    plot_bgcolor: theme.background,
    font: { family: theme.fontFamily, size: theme.fontSize, color: theme.foreground },
    title: { text: plotText(title), font: { size: theme.fontSize }, x: 0.02, y: 0.98 },
    hovermode: 'closest',
    hoverlabel: { bgcolor: theme.background, bordercolor: theme.grid, font: { color: theme.foreground } },
    showlegend: false
  };
}

/** One version's residuals (actual − predicted) against its predictions; both panels share
 * the y range, so their spread compares at a glance. */
export function residualFigure(
  residuals: IResiduals,
  options: { theme: IPlotTheme; role: Role; title: string; height: number; range: [number, number] }
): IFigure {
  const { theme } = options;
  const color = roleColor(theme, options.role);
  return {
    data: [
      {
        type: 'scatter',
        mode: 'markers',
        x: residuals.predicted,
        y: residuals.residual,
        marker: { size: 4, color, opacity: 0.6 },
        hovertemplate: 'predicted %{x:.4g}<br>residual %{y:.4g}<extra></extra>'
      }
    ],
    layout: {
      ...frame(theme, options.height, options.title),
      xaxis: axis(theme, 'predicted'),
      yaxis: axis(theme, 'actual − predicted', { range: options.range, zeroline: true })
    }
  };
}

/** The shared y range of both residual panels (a little padded). */
export function residualRange(all: IResiduals[]): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const r of all) {
    for (const v of r.residual) {
      if (v !== null) {
        low = Math.min(low, v);
        high = Math.max(high, v);
      }
    }
  }
  if (!Number.isFinite(low)) {
    return [-1, 1];
  }
  const pad = (high - low || Math.abs(high) || 1) * 0.05;
  return [low - pad, high + pad];
}

/** ROC or PR curves of both versions on one axis, the area in the legend. */
export function curveFigure(
  curves: Partial<Record<Role, ICurve>>,
  options: { theme: IPlotTheme; kind: 'roc' | 'pr'; labels: Record<Role, string>; height: number }
): IFigure {
  const { theme } = options;
  const roc = options.kind === 'roc';
  const data: Record<string, unknown>[] = ROLES.filter(role => curves[role]).map(role => {
    const curve = curves[role] as ICurve;
    return {
      type: 'scatter',
      mode: 'lines',
      name: plotText(`${options.labels[role]} (${roc ? 'AUC' : 'AP'} ${curve.area.toFixed(3)})`),
      x: curve.x,
      y: curve.y,
      line: { width: 2, color: roleColor(theme, role), shape: roc ? 'hv' : 'linear' },
      hovertemplate: `${roc ? 'FPR' : 'recall'} %{x:.3f}<br>${roc ? 'TPR' : 'precision'} %{y:.3f}<extra>%{fullData.name}</extra>`
    };
  });
  if (roc) {
    data.push({
      type: 'scatter',
      mode: 'lines',
      x: [0, 1],
      y: [0, 1],
      line: { width: 1, dash: 'dot', color: theme.muted },
      hoverinfo: 'skip',
      showlegend: false
    });
  }
  return {
    data,
    layout: {
      ...frame(theme, options.height, roc ? 'ROC curve' : 'Precision–recall'),
      showlegend: true,
      legend: { orientation: 'h', x: 0, y: -0.25, font: { size: Math.max(9, theme.fontSize - 2) } },
      xaxis: axis(theme, roc ? 'false positive rate' : 'recall', { range: [0, 1] }),
      yaxis: axis(theme, roc ? 'true positive rate' : 'precision', { range: [0, 1.02] })
    }
  };
}
