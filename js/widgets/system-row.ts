// The live plot's "System" row: MLflow's system metrics of the tracked runs (CPU, memory,
// disk and network, GPUs; src/labtrack/tracking/system_metrics.py) in a row of their own,
// collapsed by default, its header showing the latest CPU, memory and GPU figures. The
// charts are drawn only while the row is open, at most once a second (samples come every
// few seconds), with the same builder as the metric charts.
import type { AnyModel } from '@anywidget/types';
import type { IPlotly } from 'plotly.js-basic-dist-min';

import { liveLinesFigure, type ILineSeries, type XAxisMode } from '../plots/live-lines';
import { systemCharts, systemHeadline } from '../plots/system-metrics';
import { readPlotTheme } from '../plots/theme';
import { node } from './dom';
import { addStyleSheet } from './frame-styles';
import type { LiveStore } from './live-store';
import { drawnSeries, pointBudget } from './trace-values';

const HEIGHT = 150;
const REDRAW_MS = 1000;
const CONFIG = { displayModeBar: false, responsive: false, displaylogo: false };

const CSS = `
.lt-w-system { border-top: 1px solid var(--lt-w-border); padding: 4px 8px 6px; }
.lt-w-system[hidden] { display: none; }
.lt-w-system > summary { cursor: pointer; display: flex; gap: 8px; align-items: baseline; padding: 2px 0; }
.lt-w-system > summary:focus-visible { outline: 2px solid var(--lt-w-accent); outline-offset: 1px; }
.lt-w-system-title { font-weight: 600; }
.lt-w-system-headline { color: var(--lt-w-fg-muted); font-variant-numeric: tabular-nums; }
.lt-w-system-charts { display: grid; gap: 8px; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); padding-top: 4px; }
.lt-w-system-chart-title { color: var(--lt-w-fg-muted); font-size: 0.9em; }
`;

export class SystemRow {
  readonly el: HTMLDetailsElement;
  private readonly headline: HTMLElement;
  private readonly charts: HTMLElement;
  private readonly plots = new Map<string, HTMLElement>();
  private plotly: IPlotly | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastDraw = -Infinity;
  private readonly unsubscribe: () => void;
  private readonly themeObserver: MutationObserver;
  private readonly onXAxis = (): void => this.schedule(true);

  constructor(
    doc: Document,
    private readonly model: AnyModel,
    private readonly store: LiveStore,
    private readonly runLabel: (runId: string) => string
  ) {
    this.el = node(doc, 'details', 'lt-w-system', 'labtrack-system-row') as HTMLDetailsElement;
    addStyleSheet(this.el, 'labtrack-system-row-styles', CSS);
    const summary = node(doc, 'summary', '');
    const title = node(doc, 'span', 'lt-w-system-title');
    title.textContent = 'System';
    this.headline = node(doc, 'span', 'lt-w-system-headline', 'labtrack-system-headline');
    summary.append(title, this.headline);
    this.charts = node(doc, 'div', 'lt-w-system-charts', 'labtrack-system-charts');
    this.el.append(summary, this.charts);
    this.el.hidden = true; // until the first sample arrives
    this.el.addEventListener('toggle', () => this.schedule(true));
    this.unsubscribe = store.subscribe(() => this.schedule());
    model.on('change:x_axis', this.onXAxis);
    this.themeObserver = new MutationObserver(() => this.schedule(true));
    this.themeObserver.observe(doc.body, {
      attributes: true,
      attributeFilter: ['data-jp-theme-name', 'data-jp-theme-light', 'class']
    });
    this.schedule(true);
  }

  setPlotly(plotly: IPlotly): void {
    this.plotly = plotly;
    this.schedule(true);
  }

  /** The latest figure of each system key, of the run standing for the cell first. */
  private latest(): Map<string, number> {
    const root = this.model.get('run_id');
    const latest = new Map<string, number>();
    for (const key of this.store.systemKeys()) {
      const traces = this.store.tracesOf(key).filter(t => t.count > 0);
      const trace = traces.find(t => t.run === root) ?? traces[0];
      if (trace) {
        latest.set(key, trace.values[trace.count - 1]);
      }
    }
    return latest;
  }

  private schedule(now = false): void {
    if (this.timer !== null) {
      if (!now) {
        return;
      }
      clearTimeout(this.timer);
    }
    const wait = now ? 0 : Math.max(0, this.lastDraw + REDRAW_MS - performance.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.draw();
    }, wait);
  }

  private draw(): void {
    this.lastDraw = performance.now();
    const keys = this.store.systemKeys();
    this.el.hidden = keys.length === 0;
    this.headline.textContent = systemHeadline(this.latest());
    this.el.dataset.keys = String(keys.length);
    if (!this.el.open || this.plotly === null) {
      return;
    }
    const theme = readPlotTheme(this.el);
    const xAxis: XAxisMode = this.model.get('x_axis') === 'time' ? 'time' : 'step';
    const doc = this.el.ownerDocument;
    for (const chart of systemCharts(keys)) {
      let plot = this.plots.get(chart.id);
      if (!plot) {
        const panel = node(doc, 'div', 'lt-w-system-chart', 'labtrack-system-chart');
        panel.dataset.chart = chart.id;
        const title = node(doc, 'div', 'lt-w-system-chart-title');
        title.textContent = chart.title;
        plot = node(doc, 'div', 'lt-w-system-plot');
        panel.append(title, plot);
        this.charts.append(panel);
        this.plots.set(chart.id, plot);
      }
      const budget = pointBudget(plot.clientWidth || 300);
      const series: ILineSeries[] = [];
      for (const line of chart.lines) {
        const traces = this.store.tracesOf(line.key);
        for (const trace of traces) {
          const label = traces.length > 1 ? `${line.label} (${this.runLabel(trace.run)})` : line.label;
          series.push(drawnSeries(trace, label, xAxis, budget));
        }
      }
      const figure = liveLinesFigure(series, { xAxis, theme, height: HEIGHT });
      const layout = { ...figure.layout, showlegend: series.length > 1, width: plot.clientWidth || undefined };
      void this.plotly.react(plot, figure.data, layout, CONFIG);
    }
  }

  dispose(): void {
    this.unsubscribe();
    this.model.off('change:x_axis', this.onXAxis);
    this.themeObserver.disconnect();
    if (this.timer !== null) {
      clearTimeout(this.timer);
    }
    for (const plot of this.plots.values()) {
      this.plotly?.purge(plot);
    }
    this.el.remove();
  }
}
