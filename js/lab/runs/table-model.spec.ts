// The Runs table's model (table-model.ts, with table-rows.ts): which experiment and runs it
// asks the server for, how pages join, errors, stale answers and the selection. The service
// is a fake that answers when told to; tests/browser/test_runs_panel.py proves the drawn table.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { LabtrackResponseError } from '../service';
import type {
  IExperimentPage,
  IExperimentView,
  ILabtrackService,
  IRunColumns,
  IRunPage,
  IRunRow,
  IRunSearch
} from '../tokens';
import { RunsTableModel } from './table-model';

function experiment(id: string, name: string, updated: number, stage = 'active'): IExperimentView {
  return {
    experiment_id: id,
    name,
    artifact_location: '',
    lifecycle_stage: stage,
    creation_time: 0,
    last_update_time: updated,
    tags: {}
  };
}

function row(id: string, status = 'FINISHED'): IRunRow {
  return {
    run_id: id,
    run_name: `run ${id}`,
    experiment_id: '1',
    status,
    start_time: 0,
    end_time: null,
    user_id: null,
    lifecycle_stage: 'active',
    params: {},
    metrics: {},
    tags: {}
  };
}

function page(ids: string[], next: string | null = null): IRunPage {
  return { runs: ids.map(id => row(id)), next_page_token: next };
}

interface ISearchCall {
  search: IRunSearch;
  answer: (page: IRunPage) => Promise<void>;
  fail: (error: Error) => Promise<void>;
}

/** The three routes the table asks; each run search waits until the test answers it. */
class FakeService {
  experiments: IExperimentView[] = [
    experiment('0', 'Default', 10),
    experiment('1', 'sweeps', 30),
    experiment('2', 'old', 40, 'deleted')
  ];
  searches: ISearchCall[] = [];

  async listExperiments(): Promise<IExperimentPage> {
    return { experiments: this.experiments, next_page_token: null };
  }

  async getRunColumns(): Promise<IRunColumns> {
    return { params: ['lr'], metrics: ['loss'], tags: [] };
  }

  searchRuns(search: IRunSearch): Promise<IRunPage> {
    return new Promise((resolve, reject) => {
      // Answering settles the search, then lets the model's own awaits run.
      const settle = (done: () => void) => () => {
        done();
        return new Promise<void>(next => setImmediate(next));
      };
      this.searches.push({
        search,
        answer: p => settle(() => resolve(p))(),
        fail: e => settle(() => reject(e))()
      });
    });
  }

  get last(): ISearchCall {
    return this.searches[this.searches.length - 1];
  }
}

/** A table over a fake service, with its experiments loaded and its first search pending. */
async function loadedTable(): Promise<{ table: RunsTableModel; service: FakeService }> {
  const service = new FakeService();
  const table = new RunsTableModel({ service: service as unknown as ILabtrackService });
  void table.loadExperiments();
  await new Promise(resolve => setImmediate(resolve));
  return { table, service };
}

test('the most recently updated active experiment is shown first, newest runs first', async () => {
  const { table, service } = await loadedTable();
  assert.deepEqual(
    table.state.experiments.map(e => e.name),
    ['Default', 'sweeps']
  );
  assert.equal(table.state.experimentId, '1');
  assert.equal(table.state.phase, 'loading');
  assert.deepEqual(service.last.search.experimentIds, ['1']);
  assert.deepEqual(service.last.search.orderBy, ['attributes.start_time DESC']);
  assert.equal(service.last.search.pageSize, table.pageSize);
  await service.last.answer(page(['a', 'b'], 'next'));
  assert.equal(table.state.phase, 'ready');
  assert.deepEqual(
    table.state.rows.map(r => r.run_id),
    ['a', 'b']
  );
  assert.deepEqual(table.state.available, { params: ['lr'], metrics: ['loss'], tags: [] });
});

test('the default experiment from the settings is shown until a person picks one', async () => {
  const { table, service } = await loadedTable();
  table.defaultExperiment = 'Default';
  await new Promise(resolve => setImmediate(resolve));
  assert.equal(table.state.experimentId, '0');
  void table.chooseExperiment('1');
  table.defaultExperiment = 'sweeps-2';
  table.defaultExperiment = 'Default';
  await new Promise(resolve => setImmediate(resolve));
  assert.equal(table.state.experimentId, '1');
  assert.deepEqual(service.last.search.experimentIds, ['1']);
});

test('the next page is appended without the runs already shown, once at a time', async () => {
  const { table, service } = await loadedTable();
  await service.last.answer(page(['a', 'b'], 'p2'));
  void table.loadMore();
  void table.loadMore(); // while one is on its way: no second request
  assert.equal(service.searches.length, 2);
  assert.equal(service.last.search.pageToken, 'p2');
  await service.last.answer(page(['b', 'c'], null));
  assert.deepEqual(
    table.state.rows.map(r => r.run_id),
    ['a', 'b', 'c']
  );
  await table.loadMore(); // no next page: nothing asked
  assert.equal(service.searches.length, 2);
});

test('a refresh renews the rows it asked for and keeps those scrolled beyond them', async () => {
  const { table, service } = await loadedTable();
  table.pageSize = 2;
  await service.last.answer(page(['a', 'b'], 'p2'));
  void table.loadMore();
  await service.last.answer(page(['c', 'd'], 'p3'));
  const refreshing = table.refresh();
  await new Promise(resolve => setImmediate(resolve));
  assert.equal(service.last.search.pageSize, 4);
  assert.equal(service.last.search.pageToken, null);
  await service.last.answer(page(['new', 'a'], 'x'));
  await refreshing;
  assert.deepEqual(
    table.state.rows.map(r => r.run_id),
    ['new', 'a', 'c', 'd']
  );
  assert.equal(table.state.nextPageToken, 'p3');
});

test('a malformed filter is reported under the filter box and keeps the rows', async () => {
  const { table, service } = await loadedTable();
  await service.last.answer(page(['a']));
  void table.applyFilter("params.lr = '0.1' and");
  assert.equal(service.last.search.filter, "params.lr = '0.1' and");
  await service.last.fail(new LabtrackResponseError('bad filter: and', 400));
  assert.equal(table.state.phase, 'ready');
  assert.equal(table.state.filterError, 'bad filter: and');
  void table.applyFilter('');
  await service.last.fail(new LabtrackResponseError('backend unavailable', 503));
  assert.equal(table.state.phase, 'error');
  assert.equal(table.state.error, 'backend unavailable');
});

test('an answer to an older query is dropped when a newer one was asked', async () => {
  const { table, service } = await loadedTable();
  const older = service.last;
  void table.sortBy('name');
  const newer = service.last;
  assert.deepEqual(newer.search.orderBy, [
    'attributes.run_name ASC',
    'attributes.start_time DESC'
  ]);
  await newer.answer(page(['by-name']));
  await older.answer(page(['by-start']));
  assert.deepEqual(
    table.state.rows.map(r => r.run_id),
    ['by-name']
  );
});

test('chosen columns are asked for; dropping the sorted one sorts newest first again', async () => {
  const { table, service } = await loadedTable();
  void table.toggleColumn('metrics.loss');
  assert.deepEqual(service.last.search.metrics, ['loss']);
  void table.sortBy('metrics.loss'); // a first click sorts a metric highest first
  assert.equal(service.last.search.orderBy?.[0], 'metrics.`loss` DESC');
  void table.toggleColumn('metrics.loss');
  assert.deepEqual(service.last.search.metrics, []);
  assert.deepEqual(service.last.search.orderBy, ['attributes.start_time DESC']);
  table.setDefaultColumns(['params.lr']); // a person's choice wins over the settings
  assert.deepEqual(table.state.params, []);
});

test('"this notebook" with no notebook open asks nothing and lists nothing', async () => {
  const { table, service } = await loadedTable();
  await service.last.answer(page(['a']));
  await table.setNotebookOnly(true);
  assert.equal(service.searches.length, 1);
  assert.deepEqual(table.state.rows, []);
  table.setNotebookPath('work/train.ipynb');
  assert.equal(service.last.search.notebook, 'work/train.ipynb');
});

test('the selection is announced, and cleared when the experiment changes', async () => {
  const { table } = await loadedTable();
  const announced: (readonly string[])[] = [];
  table.changed.connect((_, ids) => announced.push(ids));
  table.toggleSelected('a');
  table.toggleSelected('b');
  table.toggleSelected('a');
  assert.deepEqual(table.runIds, ['b']);
  void table.chooseExperiment('0');
  assert.deepEqual(announced, [['a'], ['a', 'b'], ['b'], []]);
});

test('a hidden table does not follow a tracked cell', async () => {
  const { table, service } = await loadedTable();
  await table.followTrackedCell('sweeps');
  await table.trackedCellEnded();
  assert.equal(service.searches.length, 1);
});
