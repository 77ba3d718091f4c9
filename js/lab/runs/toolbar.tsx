import * as React from 'react';

import { ALL_EXPERIMENTS, TRASH } from './scope';
import { IRunsTableState, RunsTableModel } from './table-model';

/** Experiment picker, filter box, "this notebook" toggle and column chooser. */
export function RunsToolbar({ model }: { model: RunsTableModel }): React.ReactElement {
  const state = model.state;
  return (
    <div className="lt-RunsToolbar">
      <label className="lt-RunsToolbar-field">
        <span className="lt-RunsToolbar-label">Experiment</span>
        <select
          className="lt-Input lt-RunsToolbar-experiment"
          data-testid="labtrack-experiment"
          value={state.experimentId ?? ''}
          onChange={event => void model.chooseExperiment(event.target.value || null)}
        >
          {state.experiments.length === 0 && <option value="">No experiments yet</option>}
          {state.experiments.map(e => (
            <option key={e.experiment_id} value={e.experiment_id}>
              {e.name}
            </option>
          ))}
          {state.experiments.length > 0 && (
            <optgroup label="Across experiments">
              <option value={ALL_EXPERIMENTS}>All experiments</option>
              <option value={TRASH}>Trash</option>
            </optgroup>
          )}
        </select>
      </label>
      <FilterBox state={state} model={model} />
      <div className="lt-RunsToolbar-row">
        <label className="lt-RunsToolbar-toggle" title={notebookTitle(state)}>
          <input
            type="checkbox"
            data-testid="labtrack-this-notebook"
            checked={state.notebookOnly}
            onChange={event => void model.setNotebookOnly(event.target.checked)}
          />
          This notebook
        </label>
        <ColumnChooser state={state} model={model} />
      </div>
    </div>
  );
}

function notebookTitle(state: Readonly<IRunsTableState>): string {
  return state.notebookPath
    ? `Only runs of ${state.notebookPath}`
    : 'Only runs of the active notebook (none is open)';
}

function FilterBox({
  state,
  model
}: {
  state: Readonly<IRunsTableState>;
  model: RunsTableModel;
}): React.ReactElement {
  const errorId = 'lt-RunsToolbar-filter-error';
  return (
    <form
      className="lt-RunsToolbar-filter"
      onSubmit={event => {
        event.preventDefault();
        void model.applyFilter();
      }}
    >
      <input
        type="search"
        className="lt-Input lt-RunsToolbar-filterInput"
        data-testid="labtrack-filter"
        placeholder="Filter, e.g. metrics.loss < 0.1"
        aria-label="Filter runs (MLflow filter syntax, Enter to apply)"
        aria-invalid={state.filterError !== null}
        aria-describedby={state.filterError ? errorId : undefined}
        spellCheck={false}
        value={state.filter}
        onChange={event => model.setFilterText(event.target.value)}
        onKeyDown={event => {
          if (event.key === 'Escape' && state.filter) {
            event.preventDefault();
            event.stopPropagation();
            void model.applyFilter('');
          }
        }}
      />
      {state.filterError !== null && (
        <div id={errorId} className="lt-RunsToolbar-filterError" role="alert" data-testid="labtrack-filter-error">
          {state.filterError}
        </div>
      )}
    </form>
  );
}

function ColumnChooser({
  state,
  model
}: {
  state: Readonly<IRunsTableState>;
  model: RunsTableModel;
}): React.ReactElement {
  const [search, setSearch] = React.useState('');
  const params = union(state.available?.params ?? [], state.params);
  const metrics = union(state.available?.metrics ?? [], state.metrics);
  const needle = search.trim().toLowerCase();
  const keep = (key: string): boolean => !needle || key.toLowerCase().includes(needle);
  const chosen = state.params.length + state.metrics.length;
  return (
    <details className="lt-ColumnChooser" data-testid="labtrack-columns">
      <summary className="lt-ColumnChooser-summary">
        Columns{chosen ? ` (${chosen})` : ''}
      </summary>
      <div className="lt-ColumnChooser-popup">
        {params.length + metrics.length > 8 && (
          <input
            type="search"
            className="lt-Input lt-ColumnChooser-search"
            placeholder="Find a key"
            aria-label="Find a param or metric"
            value={search}
            onChange={event => setSearch(event.target.value)}
          />
        )}
        {params.length + metrics.length === 0 && (
          <p className="lt-ColumnChooser-empty">The runs have no params or metrics yet.</p>
        )}
        <KeyGroup
          title="Metrics"
          prefix="metrics."
          keys={metrics.filter(keep)}
          chosen={state.metrics}
          onToggle={id => void model.toggleColumn(id)}
        />
        <KeyGroup
          title="Params"
          prefix="params."
          keys={params.filter(keep)}
          chosen={state.params}
          onToggle={id => void model.toggleColumn(id)}
        />
      </div>
    </details>
  );
}

function KeyGroup(props: {
  title: string;
  prefix: string;
  keys: string[];
  chosen: readonly string[];
  onToggle: (id: string) => void;
}): React.ReactElement | null {
  if (!props.keys.length) {
    return null;
  }
  return (
    <fieldset className="lt-ColumnChooser-group">
      <legend>{props.title}</legend>
      {props.keys.map(key => (
        <label key={key} className="lt-ColumnChooser-option">
          <input
            type="checkbox"
            data-column={props.prefix + key}
            checked={props.chosen.includes(key)}
            onChange={() => props.onToggle(props.prefix + key)}
          />
          <span>{key}</span>
        </label>
      ))}
    </fieldset>
  );
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}
