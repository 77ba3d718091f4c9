// "All experiments" and the Trash in the picker (scope.ts): what they ask the server for,
// and the Experiment column they add to the table (columns.ts).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import type { IExperimentView, IRunRow } from '../tokens';
import { cellText, scopeColumns, tableColumns } from './columns';
import { ALL_EXPERIMENTS, columnScope, isScope, searchScope, TRASH } from './scope';

const experiment = (id: string, name: string): IExperimentView => ({
  experiment_id: id,
  name,
  artifact_location: '',
  lifecycle_stage: 'active',
  creation_time: 0,
  last_update_time: 0,
  tags: {}
});

test('an experiment, every experiment, or the Trash is what the server is asked for', () => {
  assert.deepEqual(searchScope('7'), { experimentIds: ['7'], lifecycle: 'active' });
  assert.deepEqual(searchScope(ALL_EXPERIMENTS), { experimentIds: 'all', lifecycle: 'active' });
  assert.deepEqual(searchScope(TRASH), { experimentIds: 'all', lifecycle: 'deleted' });
  assert.deepEqual(columnScope(TRASH), 'all');
  assert.equal(isScope('7'), false);
  assert.equal(isScope(TRASH), true);
});

test('across experiments, the second column names each run’s experiment', () => {
  const base = tableColumns([], ['loss']);
  const experiments = [experiment('1', 'churn'), experiment('2', 'vision')];
  assert.equal(scopeColumns(base, { experimentId: '1', experiments }), base);
  const columns = scopeColumns(base, { experimentId: ALL_EXPERIMENTS, experiments });
  assert.deepEqual(
    columns.map(c => c.id),
    ['name', 'experiment', 'status', 'start', 'duration', 'metrics.loss']
  );
  const row = { experiment_id: '2', metrics: {}, params: {}, tags: {} } as unknown as IRunRow;
  assert.equal(cellText(row, columns[1], 0), 'vision');
  assert.equal(columns[1].orderField, null); // MLflow cannot sort runs by experiment
});
