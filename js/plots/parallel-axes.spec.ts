// How a param or metric column becomes an axis: categories, log scale, round ticks.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { MISSING_LABEL, paramAxis, roundTicks } from './parallel-axes';

test('categories are coded in order and missing sits below them', () => {
  const axis = paramAxis(['sgd', 'adam', null]);
  assert.deepEqual(axis.values, [1, 0, -1]);
  assert.deepEqual(axis.ticktext, [MISSING_LABEL, 'adam', 'sgd']);
  assert.equal(axis.range[0], -1);
});

test('learning rates over decades get a log axis with real values as ticks', () => {
  const axis = paramAxis(['0.1', '0.01', '0.001']);
  assert.equal(axis.kind, 'log');
  assert.deepEqual(axis.values, [-1, -2, -3]);
  assert.deepEqual(axis.ticktext, ['0.001', '0.01', '0.1']);
});

test('ticks span the values with round numbers', () => {
  assert.deepEqual(roundTicks(0.69, 0.89), [0.65, 0.7, 0.75, 0.8, 0.85, 0.9]);
  assert.deepEqual(roundTicks(42, 42), [32, 42, 52]);
});
