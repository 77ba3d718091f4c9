import * as React from 'react';

import { VDomRenderer } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';

import { runLabels } from '../../plots/compare-data';
import { parallelMinWidth } from '../../plots/parallel';
import { BRUSH_KEYS } from '../../plots/parallel-model';
import { ICompareMatrix } from '../tokens';
import { AtStepControl, atStepRows } from './at-step';
import { CurvesSection } from './curves';
import { MediaGridSection } from './media-grid';
import { CompareModel, ICompareState, ICurveChoices } from './model';
import { ParallelFigure } from './parallel';
import { ParamsTable } from './params-table';
import { resizePlots } from './plot';

const PARALLEL_HEIGHT = 380;

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
        media={model.media ? <MediaGridSection model={model.media} /> : null}
        onCurves={change => model.setCurves(change)}
        onAtStep={step => void model.setAtStep(step)}
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
  media?: React.ReactNode;
  onCurves?: (change: Partial<ICurveChoices>) => void;
  onAtStep?: (step: number | null) => void;
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
      <CurvesSection
        matrix={matrix}
        metric={state.overlayMetric}
        overlay={state.overlay}
        choices={state.curves}
        themeRevision={state.themeRevision}
        onChoices={change => props.onCurves?.(change)}
        metricSelect={
          matrix.metrics.length > 0 && (
            <MetricSelect
              label="Metric"
              testid="labtrack-compare-overlay-metric"
              keys={matrix.metrics.map(m => m.key)}
              value={state.overlayMetric}
              onChange={props.onOverlayMetric}
            />
          )
        }
      />
      {props.media}
      <ParamsTable
        params={matrix.params}
        runLabels={labels}
        runIds={matrix.runs.map(r => r.run_id)}
        onlyDifferences={state.onlyDifferences}
        onOnlyDifferencesChange={props.onOnlyDifferences}
        controls={
          matrix.metrics.length > 0 && (
            <AtStepControl atStep={state.atStep} onStep={step => props.onAtStep?.(step)} />
          )
        }
        extraRows={atStepRows(state.atStep)}
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
