// The Runs panel's offline wording and marks (offline.ts). tests/browser/test_offline_sync.py
// proves what a person sees.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import {
  backlogSentence,
  hasBacklog,
  owedByRun,
  owedTooltip,
  pinnedRuns
} from './offline';
import type { IOfflineBacklog, IOfflineRun } from '../tokens';

const SERVER = 'http://tracking.example:5000';

function run(name: string, experiment: string, points: number, start: number): IOfflineRun {
  return {
    run_id: `${name}-id`,
    run_name: name,
    experiment_name: experiment,
    status: 'FINISHED',
    start_time: start,
    end_time: start + 1,
    parent_id: null,
    points
  };
}

function backlog(patch: Partial<IOfflineBacklog>): IOfflineBacklog {
  return { server: SERVER, unsynced: [], journals: [], ...patch };
}

test('runs and points are counted with thousands separators', () => {
  const waiting = backlog({
    unsynced: [run('a', 'x', 700, 1), run('b', 'x', 300, 2), run('c', 'y', 0, 3)],
    journals: [{ run_ids: ['s'], points: 200, operations: 1 }]
  });
  assert.equal(backlogSentence(waiting), `3 runs and 1,200 points wait to be sent to ${SERVER}.`);
});

test('one run alone waits, in the singular', () => {
  assert.equal(
    backlogSentence(backlog({ unsynced: [run('a', 'x', 0, 1)] })),
    `1 run waits to be sent to ${SERVER}.`
  );
  assert.equal(
    backlogSentence(backlog({ journals: [{ run_ids: ['s'], points: 1, operations: 0 }] })),
    `1 point waits to be sent to ${SERVER}.`
  );
});

test('a journal holding only writes to runs (no point) says so', () => {
  const ended = backlog({ journals: [{ run_ids: ['s', 't'], points: 0, operations: 2 }] });
  assert.equal(backlogSentence(ended), `Writes to 2 runs wait to be sent to ${SERVER}.`);
  const one = backlog({ journals: [{ run_ids: ['s'], points: 0, operations: 3 }] });
  assert.equal(backlogSentence(one), `Writes to 1 run wait to be sent to ${SERVER}.`);
});

test("a run's mark counts the points and the other writes it owes", () => {
  const tooltip = owedTooltip({ points: 1200, operations: 2 }, SERVER);
  assert.match(tooltip, /1,200 metric points and 2 other writes \(params, tags, artifacts or its end\)/);
  assert.match(owedTooltip({ points: 0, operations: 1 }, SERVER), /; 1 other write \(/);
});

test('nothing waits for a backend that is not a tracking server', () => {
  assert.equal(hasBacklog(null), false);
  assert.equal(hasBacklog({ server: null, unsynced: [], journals: [] }), false);
  assert.equal(hasBacklog(backlog({})), false);
  assert.equal(hasBacklog(backlog({ unsynced: [run('a', 'x', 0, 1)] })), true);
});

test("only the selected experiment's offline runs are pinned, newest first", () => {
  const waiting = backlog({
    unsynced: [run('old', 'x', 0, 1), run('other', 'y', 0, 2), run('new', 'x', 0, 3)]
  });
  assert.deepEqual(pinnedRuns(waiting, 'x').map(r => r.run_name), ['new', 'old']);
  assert.deepEqual(pinnedRuns(waiting, null), []);
  assert.deepEqual(pinnedRuns(null, 'x'), []);
});

test('every run a journal names is marked; its counts only when the journal is its own', () => {
  const owed = owedByRun(
    backlog({
      journals: [
        { run_ids: ['s'], points: 30, operations: 1 },
        { run_ids: ['t', 'u'], points: 8, operations: 0 }
      ]
    })
  );
  assert.deepEqual([...owed.keys()].sort(), ['s', 't', 'u']);
  assert.deepEqual(owed.get('s'), { points: 30, operations: 1 });
  assert.deepEqual(owed.get('t'), { points: 0, operations: 0 });
});
