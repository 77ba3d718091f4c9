import { VDomModel } from '@jupyterlab/ui-components';

import { messageOf } from '../../common/errors';
import { runLabels } from '../../plots/compare-data';
import type { CurveXAxis } from '../../plots/curve-stats';
import type { BandKind, INamedHistory } from '../../plots/curves-figure';
import { objectiveMetric } from '../../plots/objective';
import { ICompareAtStep, ICompareMatrix, ILabtrackService } from '../tokens';
import { MediaGridModel } from './media-grid-model';

/** Reduced histories are enough for a curve: the panel is at most a few thousand px wide. */
export const OVERLAY_MAX_POINTS = 1000;

/** One run's reduced history of the overlay metric; `runIndex` is its column in the matrix. */
export interface IOverlayRun extends INamedHistory {
  runIndex: number;
}

/** How the curves are drawn (js/plots/curves-figure.ts). */
export interface ICurveChoices {
  /** `params.<key>` or `tags.<key>`: one mean line and band per value; null: a line per run. */
  groupBy: string | null;
  band: BandKind;
  /** 0 … 0.99, TensorBoard's smoothing weight. */
  smoothing: number;
  xAxis: CurveXAxis;
  logY: boolean;
}

/** Each metric's value at a chosen step (nearest logged), for the params table. */
export interface IAtStepState {
  step: number | null;
  phase: 'idle' | 'loading' | 'ready' | 'failed';
  result: ICompareAtStep | null;
  error: string | null;
}

/** The overlaid curves of one metric. */
export interface IOverlayState {
  phase: 'idle' | 'loading' | 'ready' | 'failed';
  series: IOverlayRun[];
  /** Names of the runs that have no value of the metric (not fetched, not drawn). */
  without: string[];
  error: string | null;
}

/** What the Compare panel shows; the view only renders it. */
export interface ICompareState {
  /** `loading` until the matrix arrives, then `ready`, or `failed` with `error`. */
  phase: 'loading' | 'ready' | 'failed';
  matrix: ICompareMatrix | null;
  error: string | null;
  /** The metric colouring the parallel-coordinates lines (default the first metric). */
  colorMetric: string | null;
  /** The metric whose curves are overlaid (default the first metric). */
  overlayMetric: string | null;
  overlay: IOverlayState;
  curves: ICurveChoices;
  atStep: IAtStepState;
  /** Hide the params every run has the same value of. */
  onlyDifferences: boolean;
  /** Bumped when JupyterLab's theme changes, so the plots read their colours again. */
  themeRevision: number;
}

const IDLE_OVERLAY: IOverlayState = { phase: 'idle', series: [], without: [], error: null };
export const DEFAULT_CURVES: ICurveChoices = {
  groupBy: null,
  band: 'minmax',
  smoothing: 0,
  xAxis: 'step',
  logY: false
};

/** Fetches the comparison of some runs through the labtrack service and holds the choices. */
export class CompareModel extends VDomModel {
  constructor(options: CompareModel.IOptions) {
    super();
    this._service = options.service;
    this.runIds = [...options.runIds];
  }

  /** The compared runs, in the order the columns show them. */
  readonly runIds: readonly string[];

  get state(): Readonly<ICompareState> {
    return this._state;
  }

  /** The image grid of the compared runs, once their matrix is read. */
  get media(): MediaGridModel | null {
    return this._media;
  }

  /** Fetch the params and metrics of the runs, then the curves of the first metric. Never
   * rejects: failures become state, with the server's message. */
  async load(): Promise<void> {
    this._update({ phase: 'loading', error: null });
    let matrix: ICompareMatrix;
    try {
      matrix = await this._service.compareRuns([...this.runIds]);
    } catch (reason) {
      this._update({ phase: 'failed', matrix: null, error: messageOf(reason) });
      return;
    }
    const keys = matrix.metrics.map(m => m.key);
    // A metric chosen before stays; else the one a user would pick (js/plots/objective.ts).
    const preferred = objectiveMetric(matrix) ?? keys[0] ?? null;
    const keep = (key: string | null): string | null =>
      key !== null && keys.includes(key) ? key : preferred;
    if (this._media === null) {
      const labels = runLabels(matrix.runs);
      this._media = new MediaGridModel(
        this._service,
        matrix.runs.map((run, i) => ({ runId: run.run_id, label: labels[i] }))
      );
      void this._media.load();
    }
    this._update({
      phase: 'ready',
      matrix,
      error: null,
      colorMetric: keep(this._state.colorMetric),
      overlayMetric: keep(this._state.overlayMetric)
    });
    await this._loadOverlay();
  }

  set colorMetric(key: string | null) {
    this._update({ colorMetric: key });
  }

  set overlayMetric(key: string | null) {
    if (key !== this._state.overlayMetric) {
      this._update({ overlayMetric: key });
      void this._loadOverlay();
    }
  }

  /** Change how the curves are drawn (no new request: they are drawn from what was read). */
  setCurves(change: Partial<ICurveChoices>): void {
    this._update({ curves: { ...this._state.curves, ...change } });
  }

  /** Show each metric's value at the step nearest `step` in the params table (null: hide). */
  async setAtStep(step: number | null): Promise<void> {
    const matrix = this._state.matrix;
    const request = ++this._atStepRequest;
    if (step === null || !matrix) {
      this._update({ atStep: { step: null, phase: 'idle', result: null, error: null } });
      return;
    }
    this._update({ atStep: { ...this._state.atStep, step, phase: 'loading', error: null } });
    let atStep: IAtStepState;
    try {
      const result = await this._service.valuesAtStep([...this.runIds], step);
      atStep = { step, phase: 'ready', result, error: null };
    } catch (reason) {
      atStep = { step, phase: 'failed', result: null, error: messageOf(reason) };
    }
    if (request === this._atStepRequest) {
      this._update({ atStep });
    }
  }

  set onlyDifferences(value: boolean) {
    this._update({ onlyDifferences: value });
  }

  /** JupyterLab's theme changed: draw the plots again with its colours. */
  themeChanged(): void {
    this._update({ themeRevision: this._state.themeRevision + 1 });
  }

  /** Fetch each run's reduced history of the overlay metric; a newer choice wins. */
  private async _loadOverlay(): Promise<void> {
    const { matrix, overlayMetric } = this._state;
    const request = ++this._overlayRequest;
    if (!matrix || overlayMetric === null) {
      this._update({ overlay: IDLE_OVERLAY });
      return;
    }
    const column = matrix.metrics.find(m => m.key === overlayMetric);
    const labels = runLabels(matrix.runs);
    // A run without the metric has no history (the server would answer 404): skip it.
    const has = matrix.runs.map((_, i) => column !== undefined && column.values[i] !== null);
    const without = labels.filter((_, i) => !has[i]);
    this._update({ overlay: { ...this._state.overlay, phase: 'loading', without, error: null } });
    let overlay: IOverlayState;
    try {
      const histories = await Promise.all(
        matrix.runs.map((run, i) =>
          has[i]
            ? this._service.getMetricHistory(run.run_id, overlayMetric, {
                maxPoints: OVERLAY_MAX_POINTS
              })
            : null
        )
      );
      const series: IOverlayRun[] = [];
      histories.forEach((history, i) => {
        if (history) {
          const values = history.values.map(v => (v === null ? NaN : v));
          series.push({ name: labels[i], runIndex: i, steps: history.steps, timestamps: history.timestamps, values });
        }
      });
      overlay = { phase: 'ready', series, without, error: null };
    } catch (reason) {
      overlay = { phase: 'failed', series: [], without, error: messageOf(reason) };
    }
    if (request === this._overlayRequest) {
      this._update({ overlay });
    }
  }

  dispose(): void {
    this._media?.dispose();
    super.dispose();
  }

  private _update(change: Partial<ICompareState>): void {
    if (this.isDisposed) {
      return;
    }
    this._state = { ...this._state, ...change };
    this.stateChanged.emit(void 0);
  }

  private _service: ILabtrackService;
  private _media: MediaGridModel | null = null;
  private _overlayRequest = 0;
  private _atStepRequest = 0;
  private _state: ICompareState = {
    phase: 'loading',
    matrix: null,
    error: null,
    colorMetric: null,
    overlayMetric: null,
    overlay: IDLE_OVERLAY,
    curves: DEFAULT_CURVES,
    atStep: { step: null, phase: 'idle', result: null, error: null },
    onlyDifferences: true,
    themeRevision: 0
  };
}

export namespace CompareModel {
  export interface IOptions {
    service: ILabtrackService;
    runIds: readonly string[];
  }
}
