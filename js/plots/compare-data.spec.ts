// Run labels and value differences of compared runs, and server text in plotly figures.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { paramsSummary, runLabels, valuesDiffer } from './compare-data';
import { data, theme } from './compare.fixture';
import { overlayFigure } from './overlay';

test('server text is escaped for plotly and shared names told apart', () => {
  const labels = runLabels(data.runs);
  assert.deepEqual(labels, ['same (aaaaaa)', 'same (bbbbbb)', '<b>bold</b>']);
  const figure = overlayFigure([{ name: labels[2], steps: [0, 1], values: [1, null] }], {
    metric: 'loss',
    theme,
    height: 200
  });
  const trace = figure.data[0] as any;
  assert.equal(trace.name, '&lt;b&gt;bold&lt;/b&gt;');
  assert.ok(Number.isNaN(trace.y[1]));
});

test('values differ when any run differs or lacks the value', () => {
  assert.equal(valuesDiffer(['1', '1', '1']), false);
  assert.equal(valuesDiffer(['1', null, '1']), true);
});

test('the params summary says how many params differ and how many are hidden', () => {
  assert.equal(paramsSummary(0, 0), 'None of these runs logged params.');
  assert.equal(paramsSummary(1, 1), '1 param.');
  assert.equal(paramsSummary(3, 0), 'All 3 params are the same in every run.');
  assert.equal(paramsSummary(3, 2), '2 of 3 params differ; 1 equal in every run is hidden.');
  assert.equal(paramsSummary(5, 2), '2 of 5 params differ; 3 equal in every run are hidden.');
});
