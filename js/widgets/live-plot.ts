// The live plot under a tracked cell: the run card's header, a progress bar with an ETA when
// the number of steps is known, and one small chart per metric with its current and best
// value. Points come from the model's LiveStore; traits carry status, run names, progress.
import type { RenderProps } from '@anywidget/types';
import type { IPlotly } from 'plotly.js-dist-min';

import { liveLinesFigure, lowerIsBetter, type ILineSeries, type XAxisMode } from '../plots/live-lines';
import { MAX_POINTS, minmaxIndices, pick } from '../plots/reduce';
import { readPlotTheme, type IPlotTheme } from '../plots/theme';
import { formatDuration, formatValue, shortRunId } from './format';
import { storeOf, type ITrace, type LiveStore } from './live-store';
import { loadPlotly } from './plotly-loader';
import { renderRunCard, type IRunCardTraits } from './run-card';
import { ensureStyles } from './styles';

export interface IRunEntry {
  name: string;
  status: string;
  parent: string | null;
}

/** Traits of the Python LivePlot; keep in step with src/labtrack/widgets/live_plot.py. */
export interface ILivePlotTraits extends IRunCardTraits {
  runs: Record<string, IRunEntry>;
  steps_total: number | null;
  steps_done: number | null;
  x_axis: XAxisMode;
  mode: 'track' | 'watch';
}

const CHART_HEIGHT = 180;
const PLOT_CONFIG = { displayModeBar: false, responsive: false, displaylogo: false };

interface IChart {
  panel: HTMLElement;
  plot: HTMLElement;
  current: HTMLElement;
  best: HTMLElement;
  drawn: boolean;
}

function node(doc: Document, tag: string, className: string, testid?: string): HTMLElement {
  const el = doc.createElement(tag);
  el.className = className;
  if (testid) {
    el.dataset.testid = testid;
  }
  return el;
}

/** The trace's points as drawn: at most MAX_POINTS, extremes kept. */
function drawnSeries(trace: ITrace, name: string, xAxis: XAxisMode): ILineSeries {
  const xs = xAxis === 'time' ? trace.times : trace.steps;
  if (trace.count <= MAX_POINTS) {
    return { name, x: xs.subarray(0, trace.count), y: trace.values.subarray(0, trace.count) };
  }
  const keep = minmaxIndices(trace.values, trace.count);
  return { name, x: pick(xs, keep), y: pick(trace.values, keep) };
}

function latest(traces: ITrace[]): number | undefined {
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

function best(traces: ITrace[], lower: boolean): number | undefined {
  // low <= high only for traces holding at least one value that is not NaN.
  const usable = traces.filter(trace => trace.low <= trace.high);
  if (!usable.length) {
    return undefined;
  }
  return lower
    ? Math.min(...usable.map(trace => trace.low))
    : Math.max(...usable.map(trace => trace.high));
}

export function renderLivePlot({ model, el }: RenderProps<ILivePlotTraits>): () => void {
  ensureStyles(el);
  const doc = el.ownerDocument;
  const store: LiveStore = storeOf(model);

  const root = node(doc, 'div', 'lt-w-live', 'labtrack-live-plot');
  const header = node(doc, 'div', 'lt-w-live-header');
  const toolbar = node(doc, 'div', 'lt-w-live-toolbar');
  const progress = node(doc, 'div', 'lt-w-progress', 'labtrack-progress');
  const progressBar = node(doc, 'div', 'lt-w-progress-bar');
  const progressFill = node(doc, 'div', 'lt-w-progress-fill');
  const progressText = node(doc, 'span', 'lt-w-progress-text', 'labtrack-progress-text');
  const grid = node(doc, 'div', 'lt-w-charts', 'labtrack-charts');
  const empty = node(doc, 'div', 'lt-w-empty', 'labtrack-no-metrics');
  progressBar.append(progressFill);
  progress.append(progressBar, progressText);
  toolbar.append(progress);
  root.append(header, toolbar, grid, empty);
  el.replaceChildren(root);
  const unmountCard = renderRunCard({ model, el: header } as unknown as RenderProps<IRunCardTraits>);

  // x-axis toggle: step | time
  const toggle = node(doc, 'div', 'lt-w-toggle', 'labtrack-x-toggle');
  toggle.setAttribute('role', 'group');
  toggle.setAttribute('aria-label', 'x axis');
  const buttons = (['step', 'time'] as XAxisMode[]).map(mode => {
    const button = node(doc, 'button', 'lt-w-toggle-button', `labtrack-x-${mode}`) as HTMLButtonElement;
    button.type = 'button';
    button.textContent = mode === 'step' ? 'step' : 'wall time';
    button.addEventListener('click', () => {
      model.set('x_axis', mode);
      model.save_changes();
    });
    return button;
  });
  toggle.append(...buttons);
  toolbar.append(toggle);

  const charts = new Map<string, IChart>();
  let theme: IPlotTheme = readPlotTheme(root);
  let frame: number | null = null;
  let redrawAll = true;
  let clock: ReturnType<typeof setInterval> | null = null;

  const runLabel = (runId: string): string => {
    const entry = model.get('runs')?.[runId];
    if (runId === model.get('run_id')) {
      return entry?.name || model.get('run_name') || shortRunId(runId);
    }
    return entry?.name || shortRunId(runId);
  };

  const chartFor = (key: string): IChart => {
    let chart = charts.get(key);
    if (!chart) {
      const panel = node(doc, 'div', 'lt-w-chart', 'labtrack-chart');
      panel.dataset.metric = key;
      const title = node(doc, 'div', 'lt-w-chart-title');
      const name = node(doc, 'span', 'lt-w-chart-name', 'labtrack-chart-name');
      name.textContent = key; // textContent: metric names are user input
      const current = node(doc, 'span', 'lt-w-chart-current', 'labtrack-chart-current');
      const bestEl = node(doc, 'span', 'lt-w-chart-best', 'labtrack-chart-best');
      title.append(name, current, bestEl);
      const plot = node(doc, 'div', 'lt-w-chart-plot');
      panel.append(title, plot);
      grid.append(panel);
      chart = { panel, plot, current, best: bestEl, drawn: false };
      charts.set(key, chart);
      resizer.observe(plot);
    }
    return chart;
  };

  let Plotly: IPlotly | null = null;
  let unmounted = false;

  const drawChart = (key: string, plotly: IPlotly): void => {
    const chart = chartFor(key);
    const traces = store.tracesOf(key);
    const rootId = model.get('run_id');
    // The tracked run first, then child runs in the order they appeared.
    traces.sort((a, b) => Number(b.run === rootId) - Number(a.run === rootId));
    const xAxis = model.get('x_axis') === 'time' ? 'time' : 'step';
    const series = traces.map(trace => drawnSeries(trace, runLabel(trace.run), xAxis));
    const figure = liveLinesFigure(series, { xAxis, theme, height: CHART_HEIGHT });
    const lower = lowerIsBetter(key);
    chart.current.textContent = `current ${formatValue(latest(traces))}`;
    chart.best.textContent = `best ${formatValue(best(traces, lower))} (${lower ? 'min' : 'max'})`;
    chart.panel.dataset.points = String(traces.reduce((sum, trace) => sum + trace.count, 0));
    chart.panel.dataset.drawnPoints = String(series.reduce((sum, s) => sum + s.x.length, 0));
    chart.panel.dataset.traces = String(series.length);
    void plotly.react(chart.plot, figure.data, { ...figure.layout, width: chart.plot.clientWidth || undefined }, PLOT_CONFIG);
    chart.drawn = true;
  };

  const draw = (): void => {
    frame = null;
    if (Plotly === null) {
      return; // drawn once plotly has loaded
    }
    const keys = store.metricKeys();
    for (const key of keys) {
      if (redrawAll || store.dirty.has(key) || !charts.has(key)) {
        drawChart(key, Plotly);
      }
    }
    store.dirty.clear();
    redrawAll = false;
    empty.textContent = keys.length ? '' : 'No metrics logged yet.';
    empty.hidden = keys.length > 0;
    root.dataset.metrics = String(keys.length);
    root.dataset.seq = String(store.lastSeq);
  };

  const scheduleDraw = (all = false): void => {
    redrawAll = redrawAll || all;
    if (frame === null) {
      frame = requestAnimationFrame(draw);
    }
  };

  const resizer = new ResizeObserver(entries => {
    for (const entry of entries) {
      const plot = entry.target as HTMLElement;
      const drawn = (plot as unknown as { data?: unknown }).data;
      if (Plotly && plot.isConnected && plot.clientWidth > 0 && drawn) {
        void Plotly.Plots.resize(plot);
      }
    }
  });

  const showProgress = (): void => {
    const total = model.get('steps_total');
    const done = model.get('steps_done');
    if (typeof total !== 'number' || total <= 0) {
      progress.hidden = true;
      return;
    }
    progress.hidden = false;
    const count = typeof done === 'number' ? Math.min(done, total) : 0;
    const fraction = count / total;
    progressFill.style.width = `${(fraction * 100).toFixed(1)}%`;
    progress.dataset.done = String(count);
    progress.dataset.total = String(total);
    let text = `${count.toLocaleString()} / ${total.toLocaleString()} steps`;
    const start = model.get('start_time_ms');
    const running = model.get('status') === 'RUNNING';
    if (running && typeof start === 'number' && count > 0 && count < total) {
      const elapsed = Date.now() - start;
      text += ` · ETA ${formatDuration((elapsed / count) * (total - count))}`;
    }
    progressText.textContent = text;
  };

  const showToggle = (): void => {
    const mode = model.get('x_axis') === 'time' ? 'time' : 'step';
    buttons.forEach((button, index) => {
      button.setAttribute('aria-pressed', String((index === 0 ? 'step' : 'time') === mode));
    });
  };

  const onStatus = (): void => {
    root.dataset.status = model.get('status');
    showProgress();
    const running = model.get('status') === 'RUNNING';
    if (running && clock === null) {
      clock = setInterval(showProgress, 1000);
    } else if (!running && clock !== null) {
      clearInterval(clock);
      clock = null;
    }
  };

  // Theme changes: JupyterLab sets these body attributes once the new theme's CSS is in.
  const themeObserver = new MutationObserver(() => {
    theme = readPlotTheme(root);
    scheduleDraw(true);
  });
  themeObserver.observe(doc.body, {
    attributes: true,
    attributeFilter: ['data-jp-theme-name', 'data-jp-theme-light', 'class']
  });

  const onXAxis = (): void => {
    showToggle();
    scheduleDraw(true);
  };
  const onRuns = (): void => scheduleDraw(true);
  const unsubscribe = store.subscribe(() => scheduleDraw());
  model.on('change:x_axis', onXAxis);
  model.on('change:runs', onRuns);
  model.on('change:status', onStatus);
  model.on('change:steps_total', showProgress);
  model.on('change:steps_done', showProgress);

  showToggle();
  onStatus();
  void loadPlotly().then(plotly => {
    if (!unmounted) {
      Plotly = plotly;
      // Re-rendered view: the store already holds the curves.
      scheduleDraw(true);
    }
  });

  return () => {
    unmounted = true;
    unsubscribe();
    model.off('change:x_axis', onXAxis);
    model.off('change:runs', onRuns);
    model.off('change:status', onStatus);
    model.off('change:steps_total', showProgress);
    model.off('change:steps_done', showProgress);
    themeObserver.disconnect();
    resizer.disconnect();
    if (frame !== null) {
      cancelAnimationFrame(frame);
    }
    if (clock !== null) {
      clearInterval(clock);
    }
    for (const chart of charts.values()) {
      Plotly?.purge(chart.plot);
    }
    unmountCard();
    root.remove();
  };
}
