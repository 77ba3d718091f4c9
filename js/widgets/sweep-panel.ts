// The live plot's sweep panel: the finished trials (child runs) of the sweep as parallel
// coordinates that grow as trials end, and the best trial so far on the objective
// (js/plots/objective.ts: autolog's search score, else a loss, …). Params that vary come
// first; params constant across every trial and timing metrics (fit and score times of a
// grid search) are hidden until asked for. Painted by the compare widget's canvas renderer
// (js/plots/parallel-canvas.ts), not plotly's parcoords: no WebGL context per sweep, no
// wait for plotly, and the widget bundle carries plotly's basic bundle, which has none.
import { runLabels, valuesDiffer, type ICompareData } from '../plots/compare-data';
import { isTimingMetric, lowerIsBetter, objectiveMetric } from '../plots/objective';
import { parallelMinWidth } from '../plots/parallel';
import { ParallelCanvas } from '../plots/parallel-canvas';
import { parallelModel } from '../plots/parallel-model';
import type { IPlotTheme } from '../plots/theme';
import { node } from './dom';
import { formatValue } from './format';

const HEIGHT = 300;

/** Index of the best run on `key` (lowest for losses, else highest), or -1. */
export function bestRun(data: ICompareData, key: string): number {
  const column = data.metrics.find(m => m.key === key);
  if (!column) {
    return -1;
  }
  const lower = lowerIsBetter(key);
  let best = -1;
  column.values.forEach((value, i) => {
    if (value === null || !Number.isFinite(value)) {
      return;
    }
    const current = best < 0 ? null : column.values[best];
    if (current === null || (lower ? value < current : value > current)) {
      best = i;
    }
  });
  return best;
}

/** The axes the panel draws: params that vary first, then the metrics; with `everything`,
 *  also the constant params and the timing metrics (hidden by default). */
export function sweepAxes(data: ICompareData, everything: boolean): ICompareData {
  const varying = data.params.filter(p => valuesDiffer(p.values));
  const constant = data.params.filter(p => !valuesDiffer(p.values));
  const timings = data.metrics.filter(m => isTimingMetric(m.key));
  const others = data.metrics.filter(m => !isTimingMetric(m.key));
  return everything
    ? { ...data, params: [...varying, ...constant], metrics: [...others, ...timings] }
    : { ...data, params: varying, metrics: others };
}

export class SweepPanel {
  readonly el: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly plot: HTMLElement;
  private readonly toggle: HTMLButtonElement;
  private readonly canvas: ParallelCanvas;
  private readonly resizer: ResizeObserver;
  private data: ICompareData | null = null;
  private showAll = false;
  private theme: IPlotTheme | null = null;

  constructor(doc: Document) {
    this.el = node(doc, 'div', 'lt-w-sweep', 'labtrack-sweep');
    const title = node(doc, 'div', 'lt-w-chart-title');
    this.summary = node(doc, 'span', 'lt-w-sweep-summary', 'labtrack-sweep-summary');
    this.toggle = node(doc, 'button', 'lt-w-sweep-toggle', 'labtrack-sweep-constant') as HTMLButtonElement;
    this.toggle.type = 'button';
    this.toggle.addEventListener('click', () => {
      this.showAll = !this.showAll;
      this.showToggle();
      if (this.theme) {
        this.draw(this.theme);
      }
    });
    title.append(this.summary, this.toggle);
    const scroll = node(doc, 'div', 'lt-w-sweep-scroll');
    this.plot = node(doc, 'div', 'lt-w-sweep-plot', 'labtrack-sweep-parallel');
    scroll.append(this.plot);
    this.el.append(title, scroll);
    this.el.hidden = true;
    this.canvas = new ParallelCanvas(this.plot);
    // The panel is hidden until the first trial ends, and the cell's width changes: paint
    // again once the host has its (new) width.
    this.resizer = new ResizeObserver(() => this.canvas.fit());
    this.resizer.observe(this.plot);
  }

  /** New trials from the kernel (`sweep` trait); empty hides the panel. */
  setData(raw: Partial<ICompareData> | undefined): void {
    const runs = raw?.runs ?? [];
    this.data = runs.length ? { runs, params: raw?.params ?? [], metrics: raw?.metrics ?? [] } : null;
    this.el.hidden = this.data === null;
    this.el.dataset.trials = String(runs.length);
    if (!this.data) {
      return;
    }
    this.showToggle();
    const key = objectiveMetric(this.data);
    const best = key ? bestRun(this.data, key) : -1;
    const count = `${runs.length} trial${runs.length === 1 ? '' : 's'} finished`;
    if (key && best >= 0) {
      const label = runLabels(this.data.runs)[best];
      const value = this.data.metrics.find(m => m.key === key)?.values[best] ?? null;
      this.summary.textContent = `${count} · best ${key} ${formatValue(value ?? undefined)} (${label})`;
      this.el.dataset.best = this.data.runs[best].run_id;
    } else {
      this.summary.textContent = count;
    }
  }

  /** "Show N more axes" / "Hide constant params and timings"; hidden when none is hidden. */
  private showToggle(): void {
    const data = this.data;
    const shown = data ? sweepAxes(data, false) : null;
    const constant = data && shown ? data.params.length - shown.params.length : 0;
    const timings = data && shown ? data.metrics.length - shown.metrics.length : 0;
    const hidden = constant + timings;
    this.toggle.hidden = hidden === 0;
    this.toggle.setAttribute('aria-pressed', String(this.showAll));
    this.toggle.textContent = this.showAll
      ? 'Hide constant params and timings'
      : `Show ${hidden} more ax${hidden === 1 ? 'is' : 'es'} (constant params, timings)`;
    this.toggle.title = `${constant} param(s) with one value in every trial, ${timings} timing metric(s)`;
    this.el.dataset.constantParams = String(constant);
  }

  /** Paint the trials; brushes on axes that are still there are kept as trials arrive. */
  draw(theme: IPlotTheme): void {
    this.theme = theme;
    if (!this.data) {
      return;
    }
    const shown = sweepAxes(this.data, this.showAll);
    this.plot.style.minWidth = `${parallelMinWidth(shown)}px`;
    this.el.dataset.axes = String(shown.params.length + shown.metrics.length);
    this.canvas.update(parallelModel(shown, objectiveMetric(shown), theme.dark), theme, HEIGHT);
  }

  dispose(): void {
    this.resizer.disconnect();
    this.canvas.dispose();
  }
}
