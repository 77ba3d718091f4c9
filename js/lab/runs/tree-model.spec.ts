// The run tree's model (tree-model.ts) over a fake service: child counts are asked for the
// loaded rows, expanding a parent fetches its children with the table's filter and order from
// every experiment, and a new query forgets the children fetched for the old one.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import type { ILabtrackService, IRunFamilies, IRunPage, IRunRow, IRunSearch } from '../tokens';
import { RunsTableModel } from './table-model';
import { PARENT_TAG } from './tree';
import { RunTreeModel } from './tree-model';

function run(id: string, parent?: string): IRunRow {
  return {
    run_id: id,
    run_name: id,
    experiment_id: '1',
    status: 'FINISHED',
    start_time: 0,
    end_time: null,
    user_id: null,
    lifecycle_stage: 'active',
    params: {},
    metrics: {},
    tags: parent ? { [PARENT_TAG]: parent } : {}
  };
}

const tick = (): Promise<void> => new Promise(resolve => setImmediate(resolve));

/** Let pending work run until `condition` holds (or 100 turns of the event loop pass). */
async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !condition(); turn++) {
    await tick();
  }
}

/** Answers every search at once: the table's with `rows`, a parent's with its `children`. */
class FakeService {
  searches: IRunSearch[] = [];
  familyAsks: string[][] = [];
  rows = [run('sweep'), run('solo')];
  children = [run('t1', 'sweep'), run('t0', 'sweep')];

  async listExperiments() {
    return {
      experiments: [
        {
          experiment_id: '1',
          name: 'sweeps',
          artifact_location: '',
          lifecycle_stage: 'active',
          creation_time: 0,
          last_update_time: 1,
          tags: {}
        }
      ],
      next_page_token: null
    };
  }

  async getRunColumns() {
    return { params: [], metrics: [], tags: [] };
  }

  async searchRuns(search: IRunSearch): Promise<IRunPage> {
    this.searches.push(search);
    const children = search.filter?.startsWith(`tags.\`${PARENT_TAG}\``);
    return { runs: children ? this.children : this.rows, next_page_token: null };
  }

  async getRunFamilies(runIds: readonly string[]): Promise<IRunFamilies> {
    this.familyAsks.push([...runIds]);
    return { families: [{ run_id: 'sweep', children: 2, statuses: { FINISHED: 2 } }], sampled: false };
  }
}

async function treeOverTable(): Promise<{ tree: RunTreeModel; table: RunsTableModel; service: FakeService }> {
  const service = new FakeService();
  const table = new RunsTableModel({ service: service as unknown as ILabtrackService });
  const tree = new RunTreeModel(service as unknown as ILabtrackService, table);
  await table.loadExperiments();
  await tick();
  return { tree, table, service };
}

test('each load asks the server how many children the loaded runs have', async () => {
  const { tree, service } = await treeOverTable();
  assert.deepEqual(service.familyAsks, [['sweep', 'solo']]);
  assert.deepEqual(
    tree.rows.map(r => [r.row.run_id, r.children, r.expanded]),
    [
      ['sweep', 2, false],
      ['solo', 0, false]
    ]
  );
});

test('expanding fetches the children with the table filter, from every experiment', async () => {
  const { tree, table, service } = await treeOverTable();
  await table.applyFilter('metrics.loss < 1');
  await tick();
  await tree.expand('sweep');
  const asked = service.searches[service.searches.length - 1];
  assert.equal(asked.filter, `tags.\`${PARENT_TAG}\` = 'sweep' and metrics.loss < 1`);
  assert.equal(asked.experimentIds, 'all');
  assert.deepEqual(asked.tags, [PARENT_TAG]);
  assert.deepEqual(
    tree.rows.map(r => `${r.depth}:${r.row.run_id}`),
    ['0:sweep', '1:t1', '1:t0', '0:solo']
  );
  tree.collapse('sweep');
  assert.deepEqual(
    tree.rows.map(r => r.row.run_id),
    ['sweep', 'solo']
  );
});

test('a new query forgets the children fetched for the old one and fetches them again', async () => {
  const { tree, table, service } = await treeOverTable();
  await tree.expand('sweep');
  service.children = [run('t9', 'sweep')];
  await table.applyFilter('params.lr = "0.1"');
  await until(() => tree.rows.some(r => r.row.run_id === 't9'));
  assert.deepEqual(
    tree.rows.map(r => r.row.run_id),
    ['sweep', 't9', 'solo']
  );
});

test('the row being renamed is remembered until the rename ends', async () => {
  const { tree } = await treeOverTable();
  tree.startRename('solo');
  assert.equal(tree.state.renaming, 'solo');
  tree.stopRename();
  assert.equal(tree.state.renaming, null);
});
