// The run tree (tree.ts): children nested under their parent in the server's order, the
// counts of a collapsed parent, children whose parent is not shown, and untrusted cycles.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import type { IRunFamily, IRunRow } from '../tokens';
import { familySummary, ITreeInput, PARENT_TAG, treeRows } from './tree';

function run(id: string, parent?: string, status = 'FINISHED'): IRunRow {
  return {
    run_id: id,
    run_name: id,
    experiment_id: '1',
    status,
    start_time: 0,
    end_time: null,
    user_id: null,
    lifecycle_stage: 'active',
    params: {},
    metrics: {},
    tags: parent ? { [PARENT_TAG]: parent } : {}
  };
}

function input(rows: IRunRow[], patch: Partial<ITreeInput> = {}): ITreeInput {
  return {
    rows,
    families: new Map(),
    expanded: new Set(),
    children: new Map(),
    loading: new Set(),
    ...patch
  };
}

const shape = (rows: ReturnType<typeof treeRows>): string[] =>
  rows.map(r => `${'  '.repeat(r.depth)}${r.row.run_id}${r.children ? `(${r.children})` : ''}`);

test('children are hidden under a collapsed parent, which counts them', () => {
  // Newest first: the trials were started after the sweep, so they come before it
  const rows = [run('t2', 'sweep'), run('t1', 'sweep', 'FAILED'), run('sweep'), run('solo')];
  const shown = treeRows(input(rows));
  assert.deepEqual(shape(shown), ['sweep(2)', 'solo']);
  assert.deepEqual(shown[0].statuses, { FINISHED: 1, FAILED: 1 });
  assert.equal(familySummary(shown[0].children, shown[0].statuses), '2 child runs: 1 FAILED, 1 FINISHED');
});

test('an expanded parent shows its children in the server order, at the next depth', () => {
  const rows = [run('t2', 'sweep'), run('t1', 'sweep'), run('sweep'), run('solo')];
  const shown = treeRows(input(rows, { expanded: new Set(['sweep']) }));
  assert.deepEqual(shape(shown), ['sweep(2)', '  t2', '  t1', 'solo']);
  assert.equal(shown[0].expanded, true);
});

test('the server count wins over the children loaded so far, and fetched children show', () => {
  const family: IRunFamily = { run_id: 'sweep', children: 40, statuses: { RUNNING: 1, FINISHED: 39 } };
  const fetched = [run('t9', 'sweep', 'RUNNING'), run('t8', 'sweep')];
  const shown = treeRows(
    input([run('t1', 'sweep'), run('sweep')], {
      families: new Map([['sweep', family]]),
      expanded: new Set(['sweep']),
      children: new Map([['sweep', fetched]])
    })
  );
  assert.deepEqual(shape(shown), ['sweep(40)', '  t9', '  t8', '  t1']);
  assert.deepEqual(shown[0].statuses, { RUNNING: 1, FINISHED: 39 });
});

test('a child whose parent is filtered out stays at the top level, marked', () => {
  const shown = treeRows(input([run('t1', 'elsewhere'), run('solo')]));
  assert.deepEqual(shape(shown), ['t1', 'solo']);
  assert.deepEqual(
    shown.map(r => r.orphan),
    [true, false]
  );
});

test('grandchildren nest two levels deep', () => {
  const rows = [run('g', 'c'), run('c', 'p'), run('p')];
  const shown = treeRows(input(rows, { expanded: new Set(['p', 'c']) }));
  assert.deepEqual(shape(shown), ['p(1)', '  c(1)', '    g']);
});

test('a cycle of parents in the store shows its runs instead of hiding them', () => {
  const shown = treeRows(input([run('a', 'b'), run('b', 'a'), run('self', 'self')]));
  assert.deepEqual(
    shown.map(r => r.row.run_id),
    ['a', 'b', 'self']
  );
});
