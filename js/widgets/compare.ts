// The inline comparison of runs: parallel coordinates (drawn on a canvas by
// js/plots/parallel-canvas.ts) coloured by a chosen metric, where brushing an axis selects runs
// (synced to the kernel as `selected`), the chosen metric's curves overlaid
// (js/plots/overlay.ts, plotly; histories come from the kernel, reduced), and the params table
// with "Only differences". The parallel coordinates need no plotly: they are painted before
// plotly is even loaded.
import type { RenderProps } from '@anywidget/types';
import type { IPlotly } from 'plotly.js-basic-dist-min';

import { messageOf } from '../common/errors';
import { runLabels, type ICompareData } from '../plots/compare-data';
import { parallelMinWidth, parcoordsFigure } from '../plots/parallel';
import { ParallelCanvas } from '../plots/parallel-canvas';
import { BRUSH_KEYS, parallelModel, type IParallelModel } from '../plots/parallel-model';
import { readPlotTheme, type IPlotTheme } from '../plots/theme';
import {
  compareData,
  decodeParams,
  decodeRuns,
  float64s,
  plainFigure,
  type ICompareTraits,
  type IPlainFigure
} from './compare-data';
import { CURVE_EVENTS, CurveControls, curveHistories, decodeTags } from './compare-curves';
import { MEDIA_EVENTS, MediaGrid } from './compare-media';
import { ensureCompareStyles } from './compare-styles';
import { atStepInput, atStepRows, renderParamsTable, type IAtStepValues } from './compare-table';
import { node } from './dom';
import { loadPlotly } from './plotly-loader';
import { ensureStyles } from './styles';

const DATA_EVENTS =
  'change:run_table change:param_keys change:param_categories change:param_codes change:metric_keys change:metric_values';
const PARALLEL_HEIGHT = 380;
const CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ['sendDataToCloud'] };
/** Brushing with the keyboard repeats keys: send the selection once it settles. */
const SELECTION_DELAY_MS = 120;
/** Time for the compositor to show the painted lines before plotly is evaluated. */
const PLOTLY_AFTER_PAINT_MS = 100;

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
  const parallel = node(doc, 'div', 'lt-w-cmp-parallel', 'labtrack-compare-parallel');
  parallel.setAttribute('role', 'figure');
  parallel.setAttribute('aria-label', 'Parallel coordinates of the compared runs');
  parallelScroll.append(parallel);
  const hint = node(doc, 'p', 'lt-w-cmp-note');
  hint.textContent =
    'One line per run. Drag along an axis to select runs, drag the range to move it, click the axis to clear it. ' +
    `With the keyboard, Tab to an axis: ${BRUSH_KEYS}`;

  const curvesHeader = node(doc, 'div', 'lt-w-cmp-section-header');
  const curvesTitle = node(doc, 'label', 'lt-w-cmp-control');
  curvesTitle.append('Curves of ');
  const curve = node(doc, 'select', 'lt-w-cmp-select', 'labtrack-compare-curve') as HTMLSelectElement;
  curvesTitle.append(curve);
  curvesHeader.append(curvesTitle);
  const controls = new CurveControls(doc, model); // group by, band, smoothing, x axis, log y
  const overlay = node(doc, 'div', 'lt-w-cmp-overlay', 'labtrack-compare-overlay');
  const missing = node(doc, 'p', 'lt-w-cmp-note', 'labtrack-compare-curve-missing');

  const paramsHeader = node(doc, 'div', 'lt-w-cmp-section-header');
  const paramsTitle = node(doc, 'span', 'lt-w-cmp-section-title');
  paramsTitle.textContent = 'Params';
  const onlyLabel = node(doc, 'label', 'lt-w-cmp-control');
  const only = node(doc, 'input', '', 'labtrack-compare-only-differences') as HTMLInputElement;
  only.type = 'checkbox';
  onlyLabel.append(only, ' Only differences');
  const atStep = atStepInput(doc, model); // "Metrics at step S"
  paramsHeader.append(paramsTitle, onlyLabel, atStep);
  const paramsHost = node(doc, 'div', 'lt-w-cmp-params');
  const media = new MediaGrid(doc, model);

  root.append(header, parallelScroll, hint, curvesHeader, controls.el, overlay, missing, media.el);
  root.append(paramsHeader, paramsHost);
  el.replaceChildren(root);

  let Plotly: IPlotly | null = null;
  let theme: IPlotTheme = readPlotTheme(root);
  let data: ICompareData = { runs: [], params: [], metrics: [] };
  let labels: string[] = [];
  let tags: ICompareData['params'] = [];
  let unmounted = false;
  let shape: IParallelModel | null = null;
  let dataRevision = 0;
  let drawnRevision = -1;
  let sending: ReturnType<typeof setTimeout> | null = null;
  type Figure = { data: unknown[]; layout: unknown };
  const drawn: Record<string, Figure | (() => Figure)> = {};
  let publishing: ReturnType<typeof setTimeout> | null = null;

  /** Send what was drawn to the kernel (once per burst of draws) for `to_html`; a figure may
   *  be given as a function, built only when sent. */
  const publish = (name: string, figure: Figure | (() => Figure) | null): void => {
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
            figures[key] = plainFigure(typeof figure === 'function' ? figure() : figure);
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
    tags = decodeTags(model, runs.length);
    controls.show([...data.params.map(p => `params.${p.key}`), ...tags.map(t => `tags.${t.key}`)]);
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
      selected: new Set(model.get('selected') ?? []),
      extraRows: atStepRows(model.get('at_step_values') as IAtStepValues, data.runs.map(r => r.run_id))
    });
  };

  /** The runs inside every brushed range (of all runs, drawn or not), sent to the kernel when
   *  they changed. */
  const syncSelection = (inside: Int32Array | null): void => {
    if (sending !== null) {
      clearTimeout(sending);
    }
    sending = setTimeout(() => {
      sending = null;
      if (unmounted) {
        return;
      }
      const ids = inside === null ? [] : Array.from(inside, i => data.runs[i].run_id);
      const current = model.get('selected') ?? [];
      if (ids.length !== current.length || ids.some((id, i) => id !== current[i])) {
        model.set('selected', ids);
        model.save_changes();
      }
    }, SELECTION_DELAY_MS);
  };
  const plot = new ParallelCanvas(parallel, { onBrush: syncSelection });

  /** Paint the parallel coordinates (brushes kept unless the data changed); the plotly version
   *  of the same figure goes to the kernel for the static export. */
  const drawParallel = (): void => {
    parallel.style.minWidth = `${parallelMinWidth(data)}px`;
    shape = parallelModel(data, model.get('color_metric') || null, theme.dark);
    plot.update(shape, theme, PARALLEL_HEIGHT, drawnRevision === dataRevision);
    drawnRevision = dataRevision;
    const drawnShape = shape;
    publish('parallel', () => parcoordsFigure(drawnShape, { theme, height: PARALLEL_HEIGHT }));
  };

  const drawOverlay = async (): Promise<void> => {
    if (!Plotly) {
      return;
    }
    const key = model.get('curve_metric');
    const series = curveHistories(model, labelOf);
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
    const figure = controls.figure(data, tags, series, key, theme);
    overlay.dataset.groups = String(model.get('curve_group_by') ? figure.data.filter(t => t.meta === 'mean').length : 0);
    await Plotly.react(overlay, figure.data, figure.layout, CONFIG);
    publish('overlay', figure);
  };

  const drawAll = (): void => {
    try {
      drawParallel();
    } catch (reason) {
      report(reason);
    }
    void drawOverlay().catch(report);
  };
  const report = (reason: unknown): void => {
    const message = node(doc, 'p', 'lt-w-error', 'labtrack-compare-error');
    message.textContent = `Could not draw the plot: ${messageOf(reason)}`;
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
    dataRevision++;
    readData();
    drawParams();
    drawAll();
  };
  const onColour = (): void => {
    colour.value = model.get('color_metric') ?? '';
    try {
      drawParallel();
    } catch (reason) {
      report(reason);
    }
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
  model.on('change:only_differences change:at_step_values', drawParams);
  const onCurveChoices = (): void => {
    controls.show([...data.params.map(p => `params.${p.key}`), ...tags.map(t => `tags.${t.key}`)]);
    void drawOverlay().catch(report);
  };
  const onMedia = (): void => media.show(labelOf);
  model.on(CURVE_EVENTS, onCurveChoices);
  model.on(MEDIA_EVENTS, onMedia);

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

  // Paint again when the plot's width changes (a narrower notebook, a resized panel, a
  // theme being swapped in).
  const resizeObserver = new ResizeObserver(() => plot.fit());

  readData();
  showSelection();
  drawParams();
  drawParallel();
  onMedia();
  resizeObserver.observe(parallel);
  // plotly (for the curves only) is evaluated once the frame showing the lines is out:
  // evaluating it holds the main thread for a while (seconds on a busy machine).
  const view = doc.defaultView ?? window;
  view.requestAnimationFrame(() =>
    setTimeout(() => {
      void loadPlotly().then(plotly => {
        if (!unmounted) {
          Plotly = plotly;
          void drawOverlay().catch(report);
        }
      });
    }, PLOTLY_AFTER_PAINT_MS)
  );

  return () => {
    unmounted = true;
    if (publishing !== null) {
      clearTimeout(publishing);
    }
    if (sending !== null) {
      clearTimeout(sending);
    }
    resizeObserver.disconnect();
    plot.dispose();
    model.off(DATA_EVENTS, onData);
    model.off('change:color_metric', onColour);
    model.off('change:curve_runs change:curve_values change:curve_missing change:curve_metric', onCurves);
    model.off('change:selected', onSelected);
    model.off('change:only_differences change:at_step_values', drawParams);
    model.off(CURVE_EVENTS, onCurveChoices);
    model.off(MEDIA_EVENTS, onMedia);
    media.dispose();
    themeObserver.disconnect();
    Plotly?.purge(overlay);
    root.remove();
  };
}
