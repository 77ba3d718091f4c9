// The Runs table following a tracked cell to the experiment its code chose itself
// (`mlflow.set_experiment(...)`: no `--experiment` on the `%%track` line).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import type { IExperimentView } from '../tokens';
import { IFollowedTable, TrackedCellFollower } from './follow';

function experiment(id: string, name: string): IExperimentView {
  return { experiment_id: id, name, lifecycle_stage: 'active' } as IExperimentView;
}

class FakeTable implements IFollowedTable {
  active = true;
  isDisposed = false;
  state = {
    experiments: [experiment('0', 'Default'), experiment('7', 'churn')],
    experimentId: '0' as string | null,
    rows: [] as IFollowedTable['state']['rows']
  };
  shown: string[] = [];
  newest: string | null = null;
  asked: number[] = [];
  async refresh(): Promise<void> {}
  async setExperiment(experimentId: string | null): Promise<void> {
    this.state.experimentId = experimentId;
    this.shown.push(String(experimentId));
  }
  async experimentOfNewestRun(since: number): Promise<string | null> {
    this.asked.push(since);
    return this.newest;
  }
}

test('an unnamed experiment is found from the newest run the notebook started', async () => {
  (globalThis as any).window ??= { setTimeout };
  const table = new FakeTable();
  const follower = new TrackedCellFollower(table);
  const started = Date.now();
  // The kernel's run appears in 'churn' while the cell runs; the cell then ends.
  const following = follower.follow(null);
  table.newest = '7';
  await follower.ended();
  await following;
  assert.deepEqual(table.shown, ['7']);
  assert.ok(table.asked.every(since => since <= started), 'asked for runs since the cell began');
});

test('a named experiment is shown without asking for runs', async () => {
  (globalThis as any).window ??= { setTimeout };
  const table = new FakeTable();
  const follower = new TrackedCellFollower(table);
  const following = follower.follow('churn');
  await follower.ended();
  await following;
  assert.deepEqual(table.shown, ['7']);
  assert.deepEqual(table.asked, []);
});
