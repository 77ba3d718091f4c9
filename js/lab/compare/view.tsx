import * as React from 'react';

import { VDomRenderer } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';

import { runLabels } from '../../plots/compare-data';
import { overlayFigure } from '../../plots/overlay';
import { parallelMinWidth } from '../../plots/parallel';
import { BRUSH_KEYS } from '../../plots/parallel-model';
import { ICompareMatrix } from '../tokens';
import { CompareModel, ICompareState, IOverlayState } from './model';
import { ParallelFigure } from './parallel';
import { ParamsTable } from './params-table';
import { PlotlyFigure, resizePlots } from './plot';

const PARALLEL_HEIGHT = 380;
const OVERLAY_HEIGHT = 340;

/** The Compare panel's content (wrapped in a MainAreaWidget by the plugin). */
export class CompareView extends VDomRenderer<CompareModel> {
  constructor(model: CompareModel) {
    super(model);
    this.addClass('lt-Compare');
    this.node.dataset.testid = 'labtrack-compare-panel';
  }

  protected render(): React.ReactElement {
    const model = this.model;
    return (
      <CompareBody
        state={model.state}
        runCount={model.runIds.length}
        onRetry={() => void model.load()}
        onColorMetric={key => (model.colorMetric = key)}
        onOverlayMetric={key => (model.overlayMetric = key)}
        onOnlyDifferences={value => (model.onlyDifferences = value)}
      />
    );
  }

  protected onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    resizePlots(this.node);
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    // A plot drawn while its tab was hidden measured a width of 0.
    resizePlots(this.node);
  }
}

interface ICompareBodyProps {
  state: Readonly<ICompareState>;
  runCount: number;
  onRetry: () => void;
  onColorMetric: (key: string) => void;
  onOverlayMetric: (key: string) => void;
  onOnlyDifferences: (value: boolean) => void;
}

export function CompareBody(props: ICompareBodyProps): React.ReactElement {
  const { state } = props;
  if (state.phase === 'loading' || (state.phase === 'ready' && !state.matrix)) {
    return (
      <div className="lt-Compare-body">
        <p className="lt-Compare-status" role="status" data-testid="labtrack-compare-loading">
          Loading {props.runCount} runs…
        </p>
      </div>
    );
  }
  if (state.phase === 'failed' || !state.matrix) {
    return (
      <div className="lt-Compare-body">
        <div className="lt-Compare-error" role="alert" data-testid="labtrack-compare-error">
          <strong>Could not compare the runs.</strong> {state.error}
        </div>
        <button
          type="button"
          className="lt-Compare-retry jp-Button jp-mod-styled jp-mod-accept"
          onClick={props.onRetry}
        >
          Try again
        </button>
      </div>
    );
  }
  const matrix = state.matrix;
  const labels = runLabels(matrix.runs);
  return (
    <div className="lt-Compare-body">
      <ParallelSection
        matrix={matrix}
        colorMetric={state.colorMetric}
        themeRevision={state.themeRevision}
        onColorMetric={props.onColorMetric}
      />
      <OverlaySection
        matrix={matrix}
        metric={state.overlayMetric}
        overlay={state.overlay}
        themeRevision={state.themeRevision}
        onMetric={props.onOverlayMetric}
      />
      <ParamsTable
        params={matrix.params}
        runLabels={labels}
        runIds={matrix.runs.map(r => r.run_id)}
        onlyDifferences={state.onlyDifferences}
        onOnlyDifferencesChange={props.onOnlyDifferences}
      />
    </div>
  );
}

interface IMetricSelectProps {
  label: string;
  testid: string;
  keys: readonly string[];
  value: string | null;
  onChange: (key: string) => void;
}

function MetricSelect(props: IMetricSelectProps): React.ReactElement {
  return (
    <label className="lt-Compare-control">
      {props.label}
      <select
        className="lt-Compare-select"
        data-testid={props.testid}
        value={props.value ?? ''}
        onChange={event => props.onChange(event.currentTarget.value)}
      >
        {props.keys.map(key => (
          <option key={key} value={key}>
            {key}
          </option>
        ))}
      </select>
    </label>
  );
}

interface IParallelSectionProps {
  matrix: ICompareMatrix;
  colorMetric: string | null;
  themeRevision: number;
  onColorMetric: (key: string) => void;
}

function ParallelSection(props: IParallelSectionProps): React.ReactElement {
  const { matrix, colorMetric } = props;
  const axes = matrix.params.length + matrix.metrics.length;
  return (
    <section className="lt-Compare-section" aria-label="Params and metrics">
      <header className="lt-Compare-sectionHeader">
        <h3 className="lt-Compare-sectionTitle">
          Params and metrics
        </h3>
        {matrix.metrics.length > 0 && (
          <MetricSelect
            label="Colour by"
            testid="labtrack-compare-color-metric"
            keys={matrix.metrics.map(m => m.key)}
            value={colorMetric}
            onChange={props.onColorMetric}
          />
        )}
      </header>
      {axes === 0 ? (
        <p className="lt-Compare-note">These runs logged no params or metrics.</p>
      ) : (
        <>
          <div className="lt-Compare-plotScroll">
            <ParallelFigure
              className="lt-Compare-parallel"
              label={`Parallel coordinates of ${matrix.runs.length} runs`}
              minWidth={parallelMinWidth(matrix)}
              data={matrix}
              colorMetric={colorMetric}
              themeRevision={props.themeRevision}
              height={PARALLEL_HEIGHT}
            />
          </div>
          <p className="lt-Compare-note">
            One line per run. Runs without a value cross an axis at “missing”, below its range;
            text params are drawn as categories. Drag along an axis to highlight runs, click the
            axis to clear it; with the keyboard, Tab to an axis: {BRUSH_KEYS}
          </p>
        </>
      )}
    </section>
  );
}

interface IOverlaySectionProps {
  matrix: ICompareMatrix;
  metric: string | null;
  overlay: IOverlayState;
  themeRevision: number;
  onMetric: (key: string) => void;
}

function OverlaySection(props: IOverlaySectionProps): React.ReactElement {
  const { matrix, metric, overlay } = props;
  return (
    <section className="lt-Compare-section" aria-label="Metric curves">
      <header className="lt-Compare-sectionHeader">
        <h3 className="lt-Compare-sectionTitle">
          Metric curves
        </h3>
        {matrix.metrics.length > 0 && (
          <MetricSelect
            label="Metric"
            testid="labtrack-compare-overlay-metric"
            keys={matrix.metrics.map(m => m.key)}
            value={metric}
            onChange={props.onMetric}
          />
        )}
      </header>
      {metric === null && <p className="lt-Compare-note">These runs logged no metrics.</p>}
      {overlay.phase === 'loading' && (
        <p className="lt-Compare-status" role="status">
          Loading the history of {metric}…
        </p>
      )}
      {overlay.phase === 'failed' && (
        <p className="lt-Compare-error" role="alert" data-testid="labtrack-compare-overlay-error">
          Could not load the history of {metric}: {overlay.error}
        </p>
      )}
      {overlay.phase === 'ready' && metric !== null && overlay.series.length > 0 && (
        <PlotlyFigure
          className="lt-Compare-overlay"
          label={`${metric} by step, one line per run`}
          deps={[overlay.series, metric, props.themeRevision]}
          build={theme => overlayFigure(overlay.series, { metric, theme, height: OVERLAY_HEIGHT })}
        />
      )}
      {overlay.without.length > 0 && (
        <p className="lt-Compare-note" data-testid="labtrack-compare-overlay-without">
          Not logged by: {overlay.without.join(', ')}
        </p>
      )}
    </section>
  );
}
