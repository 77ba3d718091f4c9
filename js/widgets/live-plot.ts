// The live plot under a tracked cell: the card, a progress bar with an ETA, a chart (or value
// tile) per metric. Points come from the model's LiveStore; traits carry status and names.
import type { RenderProps } from '@anywidget/types';
import type { IPlotly } from 'plotly.js-basic-dist-min';

import type { ICompareData } from '../plots/compare-data';
import { liveLinesFigure, type XAxisMode } from '../plots/live-lines';
import { lowerIsBetter } from '../plots/objective';
import { readPlotTheme, type IPlotTheme } from '../plots/theme';
import { formatValues, shortRunId } from './format';
import { storeOf, type ITrace, type LiveStore } from './live-store';
import { loadPlotly } from './plotly-loader';
import { node } from './dom';
import { NewestImages } from './newest-images';
import { ProgressBar } from './progress';
import { renderRunCard, type IRunCardTraits } from './run-card';
import { ensureStyles } from './styles';
import { SweepPanel } from './sweep-panel';
import { SystemRow } from './system-row';
import { best, drawnSeries, isValueTile, latest, pointBudget } from './trace-values';
import { showValueTile } from './value-tile';
import { xAxisToggle } from './x-toggle';

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
  /** The newest image per log_image key (js/widgets/newest-images.ts). */
  images: Record<string, unknown>;
  /** Finished trials (child runs), in the shape of js/plots/compare-data's ICompareData. */
  sweep: Partial<ICompareData>;
}

const CHART_HEIGHT = 180;
// Drawing is paced so a live plot never takes much of the page's main thread: one frame
// draws charts for at most FRAME_BUDGET_MS, and a new round of redraws starts no sooner
// than DRAW_SHARE⁻¹ × the last round's cost (between MIN_ROUND_MS and MAX_ROUND_MS) after
// the previous one. A chart's first drawing (plotly builds the whole SVG) is not counted.
// Points still arrive at up to 10 updates/s; a slow page redraws less often.
const FRAME_BUDGET_MS = 8;
const DRAW_SHARE = 0.1;
const MIN_ROUND_MS = 100;
const MAX_ROUND_MS = 1000;
const PLOT_CONFIG = { displayModeBar: false, responsive: false, displaylogo: false };

interface IChart {
  panel: HTMLElement;
  plot: HTMLElement;
  /** A metric logged once per run (a final score) shows as values, not as a chart. */
  tile: HTMLElement;
  current: HTMLElement;
  best: HTMLElement;
  drawn: boolean;
}

export function renderLivePlot({ model, el }: RenderProps<ILivePlotTraits>): () => void {
  ensureStyles(el);
  const doc = el.ownerDocument;
  const store: LiveStore = storeOf(model);

  const root = node(doc, 'div', 'lt-w-live', 'labtrack-live-plot');
  const header = node(doc, 'div', 'lt-w-live-header');
  const toolbar = node(doc, 'div', 'lt-w-live-toolbar');
  const progress = new ProgressBar(doc);
  const grid = node(doc, 'div', 'lt-w-charts', 'labtrack-charts');
  const empty = node(doc, 'div', 'lt-w-empty', 'labtrack-no-metrics');
  toolbar.append(progress.el);
  const sweep = new SweepPanel(doc);
  root.append(header, toolbar, sweep.el, grid, empty);
  el.replaceChildren(root);
  const unmountCard = renderRunCard({ model, el: header } as unknown as RenderProps<IRunCardTraits>);

  const toggle = xAxisToggle(doc, model);
  toolbar.append(toggle.el);

  const charts = new Map<string, IChart>();
  let theme: IPlotTheme = readPlotTheme(root);
  let frame: number | null = null;
  let roundTimer: ReturnType<typeof setTimeout> | null = null;
  let roundStartedAt = -Infinity;
  let roundCost = 0;
  let inRound = false;
  let clock: ReturnType<typeof setInterval> | null = null;
  let Plotly: IPlotly | null = null;
  let unmounted = false;
  // Metric keys whose chart must be redrawn by this view (each view keeps its own).
  const pending = new Set<string>();
  // Charts on screen; the others are redrawn when they scroll into view.
  const visible = new WeakSet<Element>();
  const seen = new WeakSet<Element>();

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
      const tile = node(doc, 'div', 'lt-w-chart-tile', 'labtrack-chart-tile');
      panel.append(title, plot, tile);
      grid.append(panel);
      chart = { panel, plot, tile, current, best: bestEl, drawn: false };
      charts.set(key, chart);
      resizer.observe(plot);
      onScreen.observe(panel);
    }
    return chart;
  };

  /** The tracked run first, then child runs in the order they appeared. */
  const images = new NewestImages(doc, model); // the newest image per log_image key
  const system = new SystemRow(doc, model, store, runLabel); // MLflow's system/… metrics
  root.append(images.el, system.el);

  const tracesOf = (key: string): ITrace[] => {
    const rootId = model.get('run_id');
    return store.tracesOf(key).sort((a, b) => Number(b.run === rootId) - Number(a.run === rootId));
  };

  const showSummary = (key: string, chart: IChart): void => {
    const traces = tracesOf(key);
    const lower = lowerIsBetter(key);
    const single = isValueTile(traces);
    chart.panel.dataset.kind = single ? 'value' : 'chart';
    chart.panel.dataset.points = String(traces.reduce((sum, trace) => sum + trace.count, 0));
    chart.panel.dataset.traces = String(traces.length);
    if (single) {
      chart.current.textContent = '';
      chart.best.textContent = '';
      showValueTile(chart.tile, traces, runLabel);
      return;
    }
    const [current, bestValue] = formatValues([latest(traces), best(traces, lower)]);
    chart.current.textContent = `current ${current}`;
    chart.best.textContent = `best ${bestValue} (${lower ? 'min' : 'max'})`;
  };

  const plotChart = (key: string, chart: IChart, plotly: IPlotly): void => {
    if (isValueTile(tracesOf(key))) {
      if (chart.drawn) {
        plotly.purge(chart.plot);
        chart.drawn = false;
      }
      return;
    }
    const xAxis = model.get('x_axis') === 'time' ? 'time' : 'step';
    const width = chart.plot.clientWidth;
    const budget = pointBudget(width || 600);
    const series = tracesOf(key).map(trace =>
      drawnSeries(trace, runLabel(trace.run), xAxis, budget)
    );
    const figure = liveLinesFigure(series, { xAxis, theme, height: CHART_HEIGHT });
    const layout = { ...figure.layout, width: width || undefined };
    chart.panel.dataset.drawnPoints = String(series.reduce((sum, s) => sum + s.x.length, 0));
    void plotly.react(chart.plot, figure.data, layout, PLOT_CONFIG);
    chart.drawn = true;
  };

  // One animation frame draws charts until FRAME_BUDGET_MS is spent (at least one), so a
  // widget with many metrics spreads its work over frames instead of stalling the page.
  const draw = (): void => {
    frame = null;
    const keys = store.metricKeys();
    for (const key of keys) {
      if (!charts.has(key)) {
        pending.add(key);
      }
      if (pending.has(key)) {
        showSummary(key, chartFor(key));
      }
    }
    empty.textContent = keys.length ? '' : 'No metrics logged yet.';
    empty.hidden = keys.length > 0;
    root.dataset.metrics = String(keys.length);
    root.dataset.seq = String(store.lastSeq);
    if (Plotly === null) {
      return; // drawn once plotly has loaded
    }
    const started = performance.now();
    if (!inRound) {
      inRound = true;
      roundStartedAt = started;
      roundCost = 0;
    }
    let more = false;
    for (const key of keys) {
      const chart = charts.get(key);
      if (!chart || !pending.has(key)) {
        continue;
      }
      if (seen.has(chart.panel) && !visible.has(chart.panel)) {
        continue; // stays pending until it scrolls into view
      }
      if (performance.now() - started > FRAME_BUDGET_MS) {
        more = true;
        break;
      }
      pending.delete(key);
      const first = !chart.drawn;
      const before = performance.now();
      try {
        plotChart(key, chart, Plotly);
      } catch (error) {
        // One chart plotly cannot draw must not stop the others (nor the next rounds).
        console.warn(`labtrack: could not draw the chart of ${key}`, error);
      }
      if (!first) {
        roundCost += performance.now() - before;
      }
    }
    if (more) {
      frame = requestAnimationFrame(draw);
    } else {
      inRound = false;
    }
  };

  const roundInterval = (): number =>
    Math.min(MAX_ROUND_MS, Math.max(MIN_ROUND_MS, roundCost / DRAW_SHARE));

  /** Redraw `keys` (all charts if omitted): in the next round, or in the next frame when
   *  `now` (a person clicked, the theme changed, the run ended). */
  const scheduleDraw = (keys?: Iterable<string>, now = false): void => {
    for (const key of keys ?? store.metricKeys()) {
      pending.add(key);
    }
    if (frame !== null || (roundTimer !== null && !now)) {
      return;
    }
    const wait = now || inRound ? 0 : roundStartedAt + roundInterval() - performance.now();
    if (wait <= 0) {
      if (roundTimer !== null) {
        clearTimeout(roundTimer);
        roundTimer = null;
      }
      frame = requestAnimationFrame(draw);
    } else {
      roundTimer = setTimeout(() => {
        roundTimer = null;
        frame = requestAnimationFrame(draw);
      }, wait);
    }
  };

  // A new width changes the layout and the point budget: redraw that chart.
  const widths = new WeakMap<Element, number>();
  const resizer = new ResizeObserver(entries => {
    for (const entry of entries) {
      const width = Math.round(entry.contentRect.width);
      const key = (entry.target.parentElement as HTMLElement | null)?.dataset.metric;
      if (width > 0 && widths.get(entry.target) !== width && key !== undefined) {
        widths.set(entry.target, width);
        scheduleDraw([key], true);
      }
    }
  });

  const onScreen = new IntersectionObserver(entries => {
    for (const entry of entries) {
      seen.add(entry.target);
      if (entry.isIntersecting) {
        visible.add(entry.target);
        const key = (entry.target as HTMLElement).dataset.metric;
        if (key !== undefined && pending.has(key)) {
          scheduleDraw([key], true);
        }
      } else {
        visible.delete(entry.target);
      }
    }
  });

  const showProgress = (): void => progress.show(model);

  const onStatus = (): void => {
    root.dataset.status = model.get('status');
    if (model.get('status') !== 'RUNNING') {
      scheduleDraw(undefined, true); // the final curves without waiting for the next round
    }
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
    const next = readPlotTheme(root);
    if (JSON.stringify(next) !== JSON.stringify(theme)) {
      theme = next;
      scheduleDraw(undefined, true);
      drawSweep();
    }
  });
  themeObserver.observe(doc.body, {
    attributes: true,
    attributeFilter: ['data-jp-theme-name', 'data-jp-theme-light', 'class']
  });

  const onXAxis = (): void => {
    toggle.show();
    scheduleDraw(undefined, true);
  };
  const onRuns = (): void => scheduleDraw();
  const drawSweep = (): void => sweep.draw(theme);
  const onSweep = (): void => {
    sweep.setData(model.get('sweep'));
    drawSweep();
  };
  const unsubscribe = store.subscribe(keys => scheduleDraw(keys));
  model.on('change:x_axis', onXAxis);
  model.on('change:runs', onRuns);
  model.on('change:sweep', onSweep);
  model.on('change:status', onStatus);
  model.on('change:steps_total', showProgress);
  model.on('change:steps_done', showProgress);

  toggle.show();
  onStatus();
  onSweep();
  void loadPlotly().then(plotly => {
    if (!unmounted) {
      Plotly = plotly;
      system.setPlotly(plotly);
      // Re-rendered view: the store already holds the curves.
      scheduleDraw(undefined, true);
    }
  });

  return () => {
    unmounted = true;
    unsubscribe();
    model.off('change:x_axis', onXAxis);
    model.off('change:runs', onRuns);
    model.off('change:sweep', onSweep);
    sweep.dispose();
    system.dispose();
    images.dispose();
    model.off('change:status', onStatus);
    model.off('change:steps_total', showProgress);
    model.off('change:steps_done', showProgress);
    themeObserver.disconnect();
    resizer.disconnect();
    onScreen.disconnect();
    if (frame !== null) {
      cancelAnimationFrame(frame);
    }
    if (roundTimer !== null) {
      clearTimeout(roundTimer);
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
