import * as React from 'react';

import { formatMetric } from '../details/sections';
import type { IAtStepState } from './model';
import type { IExtraRow } from './params-table';

/** "Metrics at step S": a step to read every metric at (the nearest logged step per run). */
export function AtStepControl(props: {
  atStep: IAtStepState;
  onStep: (step: number | null) => void;
}): React.ReactElement {
  const [text, setText] = React.useState(props.atStep.step === null ? '' : String(props.atStep.step));
  const submit = (): void => {
    const value = text.trim();
    const step = value === '' ? null : Number(value);
    props.onStep(step !== null && Number.isInteger(step) ? step : null);
  };
  return (
    <form
      className="lt-Compare-control"
      onSubmit={event => {
        event.preventDefault();
        submit();
      }}
    >
      <label className="lt-Compare-control">
        Metrics at step
        <input
          type="number"
          className="lt-Compare-step"
          data-testid="labtrack-compare-at-step"
          step={1}
          placeholder="step"
          value={text}
          onChange={event => setText(event.currentTarget.value)}
          onBlur={submit}
        />
      </label>
      {props.atStep.phase === 'loading' && <span className="lt-Muted">reading…</span>}
      {props.atStep.phase === 'failed' && (
        <span className="lt-Compare-error" role="alert">
          {props.atStep.error}
        </span>
      )}
    </form>
  );
}

/** One params-table row per metric: its value at the nearest logged step, that step on hover. */
export function atStepRows(atStep: IAtStepState): IExtraRow[] {
  const result = atStep.result;
  if (atStep.phase !== 'ready' || !result) {
    return [];
  }
  return result.metrics.map((column, m) => {
    const steps = result.steps[m]?.values ?? [];
    return {
      key: column.key,
      label: `${column.key} @ ${result.step}`,
      values: column.values.map((value, i) => (steps[i] === null ? null : formatMetric(value))),
      titles: steps.map(step => (step === null ? 'not logged' : `logged at step ${step}`))
    };
  });
}
