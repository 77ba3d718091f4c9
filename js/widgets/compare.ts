// The inline comparison of runs: parallel coordinates (js/plots/parallel.ts) coloured by a
// chosen metric, where brushing an axis selects runs (synced to the kernel as `selected`),
// the chosen metric's curves overlaid (js/plots/overlay.ts; histories come from the kernel,
// reduced), and the params table with "Only differences".
import type { RenderProps } from '@anywidget/types';
import type { IPlotly } from 'plotly.js-dist-min';

import { runLabels, type ICompareData } from '../plots/compare-data';
import { overlayFigure } from '../plots/overlay';
import { parallelFigure, parallelMinWidth } from '../plots/parallel';
import { readPlotTheme, type IPlotTheme } from '../plots/theme';
import {
  brushedRuns,
  compareData,
  curveSeries,
  decodeParams,
  decodeRuns,
  float32s,
  float64s,
  plainFigure,
  type ICompareTraits,
  type IPlainFigure
} from './compare-data';
import { ensureCompareStyles } from './compare-styles';
import { renderParamsTable } from './compare-table';
import { node } from './dom';
import { loadPlotly } from './plotly-loader';
import { ensureStyles } from './styles';

const DATA_EVENTS =
  'change:run_table change:param_keys change:param_categories change:param_codes change:metric_keys change:metric_values';
const PARALLEL_HEIGHT = 380;
const OVERLAY_HEIGHT = 280;
const CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ['sendDataToCloud'] };

type PlotElement = HTMLElement & {
  data?: { dimensions?: { values?: number[]; constraintrange?: unknown }[] }[];
  on?: (event: string, handler: () => void) => void;
};

function option(doc: Document, value: string, label: string): HTMLOptionElement {
  const el = doc.createElement('option');
  el.value = value;
  el.textContent = label;
  return el;
}

export function renderCompare({ model, el }: RenderProps<ICompareTraits>): () => void {
  ensureStyles(el);
  ensureCompareStyles(el);
  const doc = el.ownerDocument;
  const root = node(doc, 'div', 'lt-w-compare', 'labtrack-compare-widget');
  const header = node(doc, 'div', 'lt-w-cmp-header');
  const title = node(doc, 'span', 'lt-w-cmp-title');
  const selection = node(doc, 'span', 'lt-w-cmp-selection', 'labtrack-compare-selection');
  const colourLabel = node(doc, 'label', 'lt-w-cmp-control');
  colourLabel.append('Colour by ');
  const colour = node(doc, 'select', 'lt-w-cmp-select', 'labtrack-compare-color') as HTMLSelectElement;
  colourLabel.append(colour);
  header.append(title, selection, colourLabel);

  const parallelScroll = node(doc, 'div', 'lt-w-cmp-scroll');
  const parallel = node(doc, 'div', 'lt-w-cmp-parallel', 'labtrack-compare-parallel') as PlotElement;
  parallel.setAttribute('role', 'figure');
  parallel.setAttribute('aria-label', 'Parallel coordinates of the compared runs');
  parallelScroll.append(parallel);
  const hint = node(doc, 'p', 'lt-w-cmp-note');
  hint.textContent = 'Drag along an axis to select runs; click the range to clear it.';

  const curvesHeader = node(doc, 'div', 'lt-w-cmp-section-header');
  const curvesTitle = node(doc, 'label', 'lt-w-cmp-control');
  curvesTitle.append('Curves of ');
  const curve = node(doc, 'select', 'lt-w-cmp-select', 'labtrack-compare-curve') as HTMLSelectElement;
  curvesTitle.append(curve);
  curvesHeader.append(curvesTitle);
  const overlay = node(doc, 'div', 'lt-w-cmp-overlay', 'labtrack-compare-overlay');
  const missing = node(doc, 'p', 'lt-w-cmp-note', 'labtrack-compare-curve-missing');

  const paramsHeader = node(doc, 'div', 'lt-w-cmp-section-header');
  const paramsTitle = node(doc, 'span', 'lt-w-cmp-section-title');
  paramsTitle.textContent = 'Params';
  const onlyLabel = node(doc, 'label', 'lt-w-cmp-control');
  const only = node(doc, 'input', '', 'labtrack-compare-only-differences') as HTMLInputElement;
  only.type = 'checkbox';
  onlyLabel.append(only, ' Only differences');
  paramsHeader.append(paramsTitle, onlyLabel);
  const paramsHost = node(doc, 'div', 'lt-w-cmp-params');

  root.append(header, parallelScroll, hint, curvesHeader, overlay, missing, paramsHeader, paramsHost);
  el.replaceChildren(root);

  let Plotly: IPlotly | null = null;
  let theme: IPlotTheme = readPlotTheme(root);
  let data: ICompareData = { runs: [], params: [], metrics: [] };
  let labels: string[] = [];
  let unmounted = false;
  let listening = false;
  const drawn: Record<string, { data: unknown[]; layout: unknown }> = {};
  let publishing: ReturnType<typeof setTimeout> | null = null;

  /** Send what was drawn to the kernel (once per burst of draws) for `to_html`. */
  const publish = (name: string, figure: { data: unknown[]; layout: unknown } | null): void => {
    if (figure) {
      drawn[name] = figure;
    } else {
      delete drawn[name];
    }
    if (publishing === null) {
      publishing = setTimeout(() => {
        publishing = null;
        if (!unmounted) {
          const figures: Record<string, IPlainFigure> = {};
          for (const [key, figure] of Object.entries(drawn)) {
            figures[key] = plainFigure(figure);
          }
          model.set('figures', figures);
          model.save_changes();
        }
      }, 50);
    }
  };

  const labelOf = (runId: string): string => {
    const index = data.runs.findIndex(r => r.run_id === runId);
    return index >= 0 ? labels[index] : runId.slice(0, 8);
  };

  const fillSelect = (select: HTMLSelectElement, keys: string[], chosen: string | null, none?: string) => {
    select.replaceChildren(
      ...(none !== undefined ? [option(doc, '', none)] : []),
      ...keys.map(key => option(doc, key, key))
    );
    select.value = chosen ?? '';
  };

  const readData = (): void => {
    const runs = decodeRuns(model.get('run_table'));
    data = compareData(
      runs,
      decodeParams(model.get('param_keys') ?? [], model.get('param_categories') ?? [], model.get('param_codes'), runs.length),
      model.get('metric_keys') ?? [],
      float64s(model.get('metric_values'))
    );
    labels = runLabels(data.runs);
    const keys = data.metrics.map(m => m.key);
    fillSelect(colour, keys, model.get('color_metric'), 'one colour');
    fillSelect(curve, keys, model.get('curve_metric'));
    curve.disabled = keys.length === 0;
    title.textContent = `${data.runs.length} run${data.runs.length === 1 ? '' : 's'}`;
    root.dataset.runs = String(data.runs.length);
  };

  const showSelection = (): void => {
    const chosen = model.get('selected') ?? [];
    root.dataset.selected = String(chosen.length);
    selection.textContent = chosen.length ? `${chosen.length} selected` : 'none selected';
  };

  const drawParams = (): void => {
    only.checked = model.get('only_differences');
    renderParamsTable(paramsHost, {
      params: data.params,
      runLabels: labels,
      runIds: data.runs.map(r => r.run_id),
      onlyDifferences: only.checked,
      selected: new Set(model.get('selected') ?? [])
    });
  };

  /** The runs inside every brushed range, sent to the kernel when they changed. */
  const syncSelection = (): void => {
    const dimensions = parallel.data?.[0]?.dimensions ?? [];
    const inside = brushedRuns(dimensions, data.runs.length);
    const ids = inside === null ? [] : inside.map(i => data.runs[i].run_id);
    const current = model.get('selected') ?? [];
    if (ids.length !== current.length || ids.some((id, i) => id !== current[i])) {
      model.set('selected', ids);
      model.save_changes();
    }
  };

  const drawParallel = async (): Promise<void> => {
    if (!Plotly) {
      return;
    }
    parallel.style.minWidth = `${parallelMinWidth(data)}px`;
    const figure = parallelFigure(data, {
      theme,
      colorMetric: model.get('color_metric') || null,
      height: PARALLEL_HEIGHT
    });
    await Plotly.react(parallel, figure.data, figure.layout, CONFIG);
    publish('parallel', figure);
    if (!listening && parallel.on) {
      listening = true;
      // parcoords reports a brush as a restyle of a dimension's constraintrange.
      parallel.on('plotly_restyle', syncSelection);
    }
    syncSelection(); // a new colour metric starts without brushes
  };

  const drawOverlay = async (): Promise<void> => {
    if (!Plotly) {
      return;
    }
    const key = model.get('curve_metric');
    const series = curveSeries(model.get('curve_runs') ?? [], float32s(model.get('curve_values')), labelOf);
    overlay.dataset.lines = String(series.length);
    const lacking = (model.get('curve_missing') ?? []).map(labelOf);
    missing.textContent = lacking.length ? `No ${key} logged by: ${lacking.join(', ')}` : '';
    missing.hidden = lacking.length === 0;
    if (!key) {
      overlay.hidden = true;
      publish('overlay', null);
      return;
    }
    overlay.hidden = false;
    const figure = overlayFigure(series, { metric: key, theme, height: OVERLAY_HEIGHT });
    await Plotly.react(overlay, figure.data, figure.layout, CONFIG);
    publish('overlay', figure);
  };

  const drawAll = (): void => {
    void drawParallel().then(() => drawOverlay()).catch(report);
  };
  const report = (reason: unknown): void => {
    const message = node(doc, 'p', 'lt-w-error', 'labtrack-compare-error');
    message.textContent = `Could not draw the plot: ${reason instanceof Error ? reason.message : String(reason)}`;
    parallelScroll.after(message);
  };

  colour.addEventListener('change', () => {
    model.set('color_metric', colour.value || null);
    model.save_changes();
  });
  curve.addEventListener('change', () => {
    model.set('curve_metric', curve.value || null);
    model.save_changes();
  });
  only.addEventListener('change', () => {
    model.set('only_differences', only.checked);
    model.save_changes();
  });

  const onData = (): void => {
    readData();
    drawParams();
    drawAll();
  };
  const onColour = (): void => {
    colour.value = model.get('color_metric') ?? '';
    void drawParallel().catch(report);
  };
  const onCurves = (): void => {
    curve.value = model.get('curve_metric') ?? '';
    void drawOverlay().catch(report);
  };
  const onSelected = (): void => {
    showSelection();
    drawParams();
  };
  model.on(DATA_EVENTS, onData);
  model.on('change:color_metric', onColour);
  model.on('change:curve_runs change:curve_values change:curve_missing change:curve_metric', onCurves);
  model.on('change:selected', onSelected);
  model.on('change:only_differences', drawParams);

  const themeObserver = new MutationObserver(() => {
    const next = readPlotTheme(root);
    if (JSON.stringify(next) !== JSON.stringify(theme)) {
      theme = next;
      drawAll();
    }
  });
  themeObserver.observe(doc.body, {
    attributes: true,
    attributeFilter: ['data-jp-theme-name', 'data-jp-theme-light', 'class']
  });

  readData();
  showSelection();
  drawParams();
  void loadPlotly().then(plotly => {
    if (!unmounted) {
      Plotly = plotly;
      drawAll();
    }
  });

  return () => {
    unmounted = true;
    if (publishing !== null) {
      clearTimeout(publishing);
    }
    model.off(DATA_EVENTS, onData);
    model.off('change:color_metric', onColour);
    model.off('change:curve_runs change:curve_values change:curve_missing change:curve_metric', onCurves);
    model.off('change:selected', onSelected);
    model.off('change:only_differences', drawParams);
    themeObserver.disconnect();
    Plotly?.purge(parallel);
    Plotly?.purge(overlay);
    root.remove();
  };
}
