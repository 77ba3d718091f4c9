import * as React from 'react';

import { useSignal } from '../use-signal';
import { MAX_GRID_RUNS, type MediaGridModel } from './media-grid-model';

/** One `log_image` key across the compared runs at a chosen step: each run's image at the
 *  logged step nearest it, with that step. Hidden when no run logged stepped images. */
export function MediaGridSection({ model }: { model: MediaGridModel }): React.ReactElement | null {
  useSignal(model.changed);
  const keys = model.keys;
  if (!keys.length) {
    return model.error ? (
      <p className="lt-Compare-error" role="alert">
        Could not read the runs' images: {model.error}
      </p>
    ) : null;
  }
  const steps = model.steps;
  const step = model.step;
  const position = step === null ? 0 : steps.indexOf(step);
  return (
    <section className="lt-Compare-section" aria-label="Images" data-testid="labtrack-compare-media">
      <header className="lt-Compare-sectionHeader">
        <h3 className="lt-Compare-sectionTitle">Images</h3>
        <label className="lt-Compare-control">
          Key
          <select
            className="lt-Compare-select"
            data-testid="labtrack-compare-media-key"
            value={model.key ?? ''}
            onChange={event => model.choose({ key: event.currentTarget.value })}
          >
            {keys.map(key => (
              <option key={key} value={key}>
                {key}
              </option>
            ))}
          </select>
        </label>
        <label className="lt-Compare-control">
          Step
          <input
            type="range"
            data-testid="labtrack-compare-media-step"
            aria-valuetext={`step ${step}`}
            min={0}
            max={Math.max(0, steps.length - 1)}
            step={1}
            value={position}
            onChange={event => model.choose({ step: steps[Number(event.currentTarget.value)] })}
          />
          <output className="lt-Compare-number" data-testid="labtrack-compare-media-step-value">
            {step}
          </output>
        </label>
      </header>
      <div className="lt-Compare-mediaGrid" data-testid="labtrack-compare-media-grid">
        {model.cells.map(cell => (
          <figure
            key={cell.runId}
            className="lt-Compare-mediaCell"
            data-testid="labtrack-compare-media-cell"
            data-run-id={cell.runId}
            data-step={cell.item?.step ?? ''}
          >
            <div className="lt-Compare-mediaFrame">
              {cell.url ? (
                <img src={cell.url} alt={`${cell.label}: ${model.key} at step ${cell.item?.step}`} />
              ) : (
                <span className="lt-Muted">{cell.item === null && !cell.loading ? 'no image' : 'loading…'}</span>
              )}
            </div>
            <figcaption>
              <span className="lt-Compare-mediaRun" title={cell.label}>
                {cell.label}
              </span>
              {cell.item && (
                <span className="lt-Muted">
                  step {cell.item.step}
                  {cell.item.step !== step ? ' (nearest)' : ''}
                </span>
              )}
            </figcaption>
          </figure>
        ))}
      </div>
      {model.more > 0 && (
        <p className="lt-Compare-note">
          The first {MAX_GRID_RUNS} runs are shown; {model.more} more are compared above.
        </p>
      )}
    </section>
  );
}
