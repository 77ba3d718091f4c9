// The live plot's sweep panel: the finished trials (child runs) of the tracked run as
// parallel coordinates that grow as trials end, and the best trial so far on the objective
// (the first metric where lower or higher is clearly better). Painted by the same canvas
// renderer as the compare widget (js/plots/parallel-canvas.ts), not plotly's parcoords:
// no WebGL context per sweep, no wait for plotly, and the widget bundle can carry plotly's
// small basic bundle, which has no parcoords.
import { runLabels, type ICompareData } from '../plots/compare-data';
import { lowerIsBetter } from '../plots/live-lines';
import { parallelMinWidth } from '../plots/parallel';
import { ParallelCanvas } from '../plots/parallel-canvas';
import { parallelModel } from '../plots/parallel-model';
import type { IPlotTheme } from '../plots/theme';
import { node } from './dom';
import { formatValue } from './format';

const HEIGHT = 300;

/** The metric a sweep optimises, as far as names tell: a loss or error first. */
export function objectiveMetric(data: ICompareData): string | null {
  const keys = data.metrics.map(m => m.key);
  return keys.find(key => lowerIsBetter(key)) ?? keys[0] ?? null;
}

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

export class SweepPanel {
  readonly el: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly plot: HTMLElement;
  private readonly canvas: ParallelCanvas;
  private readonly resizer: ResizeObserver;
  private data: ICompareData | null = null;

  constructor(doc: Document) {
    this.el = node(doc, 'div', 'lt-w-sweep', 'labtrack-sweep');
    const title = node(doc, 'div', 'lt-w-chart-title');
    this.summary = node(doc, 'span', 'lt-w-sweep-summary', 'labtrack-sweep-summary');
    title.append(this.summary);
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

  /** Paint the trials; brushes on axes that are still there are kept as trials arrive. */
  draw(theme: IPlotTheme): void {
    if (!this.data) {
      return;
    }
    this.plot.style.minWidth = `${parallelMinWidth(this.data)}px`;
    this.canvas.update(parallelModel(this.data, objectiveMetric(this.data), theme.dark), theme, HEIGHT);
  }

  dispose(): void {
    this.resizer.disconnect();
    this.canvas.dispose();
  }
}
