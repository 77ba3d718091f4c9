// Groups, their statistics, smoothing and values at a step, from reduced histories.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { commonGrid, curveOf, emaSmooth, groupRuns, groupStats, valueNearStep } from './curve-stats';
import { curvesFigure } from './curves-figure';
import { theme } from './compare.fixture';

const history = (steps: number[], values: number[], t0 = 1_700_000_000_000) => ({
  steps,
  timestamps: steps.map(s => t0 + s * 1000),
  values
});

test('runs group by value, numbers in numeric order, the runs without the key last', () => {
  const groups = groupRuns(['0.1', null, '0.01', '0.1', '1e-3']);
  assert.deepEqual(
    groups.map(g => [g.value, g.members]),
    [
      ['1e-3', [4]],
      ['0.01', [2]],
      ['0.1', [0, 3]],
      [null, [1]]
    ]
  );
  assert.deepEqual(groupRuns(['sgd', 'adam']).map(g => g.value), ['adam', 'sgd']);
});

test('group statistics interpolate each run on a common grid and skip runs outside their span', () => {
  const a = curveOf(history([0, 2, 4], [0, 2, 4]), 'step');
  const b = curveOf(history([0, 1, 2], [2, 2, 2]), 'step');
  const stats = groupStats([a, b]);
  assert.deepEqual(Array.from(stats.x), [0, 1, 2, 4]);
  assert.deepEqual(Array.from(stats.mean), [1, 1.5, 2, 4]); // a is 1 at step 1 (linear)
  assert.deepEqual(Array.from(stats.min), [0, 1, 2, 4]);
  assert.deepEqual(Array.from(stats.max), [2, 2, 2, 4]);
  assert.deepEqual(Array.from(stats.count), [2, 2, 2, 1]);
  assert.deepEqual(Array.from(stats.std), [1, 0.5, 0, 0]);
});

test('a grid is capped: many distinct steps become evenly spaced points over their span', () => {
  const steps = Array.from({ length: 3000 }, (_, i) => i);
  const grid = commonGrid([curveOf(history(steps, steps), 'step')], 500);
  assert.equal(grid.length, 500);
  assert.equal(grid[0], 0);
  assert.equal(grid[499], 2999);
});

test('smoothing is a debiased moving average that starts at the first value and skips gaps', () => {
  assert.deepEqual(Array.from(emaSmooth([1, 2, 3], 0)), [1, 2, 3]);
  const smoothed = emaSmooth([4, NaN, 0], 0.5);
  assert.equal(smoothed[0], 4);
  assert.ok(Number.isNaN(smoothed[1]));
  assert.ok(Math.abs(smoothed[2] - (4 * 0.25 + 0) / 0.75) < 1e-12); // (0.5·2 + 0.5·0) / (1 − 0.25)
});

test('relative time counts seconds from each run own start', () => {
  const curve = curveOf(history([10, 11], [1, 2], 5_000), 'relative');
  assert.deepEqual(Array.from(curve.x), [0, 1]);
});

test('the value at a step is the nearest logged one, the lower on a tie', () => {
  const h = history([0, 4, 8], [1, NaN, 3]);
  assert.deepEqual(valueNearStep(h, 5), { step: 8, value: 3 }); // 4 holds no value
  assert.deepEqual(valueNearStep(history([0, 4], [1, 2]), 2), { step: 0, value: 1 });
  assert.equal(valueNearStep(history([], []), 3), undefined);
});

test('grouped curves are a band pair and a mean per group, the size in the legend', () => {
  const runs = ['a', 'b', 'c'].map((name, i) => ({ name, ...history([0, 1, 2], [i, i + 1, i + 2]) }));
  const options = { metric: 'loss', theme, height: 300, xAxis: 'step' as const, smoothing: 0, logY: true, band: 'minmax' as const };
  const grouping = { key: 'params.lr', groups: groupRuns(['0.1', '0.1', null]) };
  const figure = curvesFigure(runs, grouping, options);
  const traces = figure.data as any[];
  assert.deepEqual(traces.map(t => t.meta), ['band', 'band', 'mean', 'band', 'band', 'mean']);
  assert.equal(traces[1].fill, 'tonexty');
  assert.equal(traces[2].name, 'params.lr = 0.1 (n=2)');
  assert.equal(traces[5].name, 'params.lr = (none) (n=1)');
  assert.deepEqual(traces[2].y, [0.5, 1.5, 2.5]);
  assert.equal((figure.layout as any).yaxis.type, 'log');
  const smoothed = curvesFigure(runs, null, { ...options, smoothing: 0.6 }).data as any[];
  assert.deepEqual(smoothed.map(t => t.meta), ['raw', 'smoothed', 'raw', 'smoothed', 'raw', 'smoothed']);
  assert.notDeepEqual(smoothed[1].y, smoothed[0].y);
});

test('a hundred runs of a thousand points in five groups are computed in a few milliseconds', () => {
  const runs = Array.from({ length: 100 }, (_, r) => {
    const steps = Array.from({ length: 1000 }, (_, s) => s * 10 + (r % 3));
    return { name: `run-${r}`, ...history(steps, steps.map(s => Math.exp(-s / 3000) + (r % 7) / 100)) };
  });
  const grouping = { key: 'params.lr', groups: groupRuns(runs.map((_, r) => String(r % 5))) };
  const options = { metric: 'loss', theme, height: 300, xAxis: 'step' as const, smoothing: 0.6, logY: false, band: 'std' as const };
  const started = performance.now();
  const figure = curvesFigure(runs, grouping, options);
  const took = performance.now() - started;
  assert.equal((figure.data as any[]).filter(t => t.meta === 'mean').length, 5);
  console.log(`# 100 runs × 1000 points into 5 groups: ${took.toFixed(1)} ms`);
});
