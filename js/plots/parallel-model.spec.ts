// What the parallel coordinates show before anything draws them: axes, colour buckets, draw
// order and brushing (mouse and keyboard).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import type { ICompareData } from './compare-data';
import { data } from './compare.fixture';
import { paramAxis } from './parallel-axes';
import {
  axisPosition,
  axisValue,
  brushAfterKey,
  brushBetween,
  COLOUR_BUCKETS,
  DARK_SCALE,
  drawOrder,
  LIGHT_SCALE,
  lineColour,
  MISSING_BUCKET,
  parallelModel,
  runsInside,
  scaleColour
} from './parallel-model';

test('the model puts every run on every axis and buckets colours from worst to best', () => {
  const model = parallelModel(data, 'loss', false);
  assert.equal(model.runs, 3);
  assert.deepEqual(
    model.columns.map(c => c.label),
    ['optimizer', 'lr', 'accuracy', 'loss']
  );
  assert.ok(model.columns.every(c => c.axis.values.length === 3));
  // buckets by value; loss: lower is better, so its scale is reversed (best colour lowest)
  assert.deepEqual(Array.from(model.colour!.bucket), [0, 12, COLOUR_BUCKETS - 1]);
  assert.equal(model.colour!.lowerIsBetter, true);
  assert.equal(model.colour!.scale[0], '#c2271b');
  const accuracy = parallelModel(data, 'accuracy', false).colour!;
  assert.equal(accuracy.missing, 1);
  assert.equal(accuracy.bucket[1], MISSING_BUCKET);
  assert.equal(parallelModel(data, null, false).colour, null);
});

test('the colouring metric is the last axis, and a metric named like a param is told apart', () => {
  const clash: ICompareData = {
    ...data,
    metrics: [...data.metrics, { key: 'lr', values: [1, 2, 3] }]
  };
  const model = parallelModel(clash, 'accuracy', false);
  assert.deepEqual(
    model.columns.map(c => c.label),
    ['optimizer', 'lr', 'loss', 'metric lr', 'accuracy']
  );
});

test('the dark theme colours lines with its own scale', () => {
  assert.deepEqual(parallelModel(data, 'accuracy', true).colour!.scale, DARK_SCALE);
  assert.deepEqual(parallelModel(data, 'accuracy', false).colour!.scale, LIGHT_SCALE);
});

test('equal values get a padded range; no value at all a unit one, every run missing', () => {
  const equal = lineColour('accuracy', [0.5, 0.5], false);
  assert.ok(equal.low < 0.5 && equal.high > 0.5);
  assert.equal(equal.bucket[0], equal.bucket[1]);
  const none = lineColour('accuracy', [null, Number.NaN], false);
  assert.deepEqual([none.low, none.high, none.missing], [0, 1, 2]);
  assert.deepEqual(Array.from(none.bucket), [MISSING_BUCKET, MISSING_BUCKET]);
});

test('a colour scale runs from its first colour to its last', () => {
  assert.equal(scaleColour(LIGHT_SCALE, 0), LIGHT_SCALE[0]);
  assert.equal(scaleColour(LIGHT_SCALE, 1), LIGHT_SCALE[LIGHT_SCALE.length - 1]);
  assert.equal(scaleColour(['#000000', '#ffffff'], 0.5), '#808080');
  assert.equal(scaleColour(LIGHT_SCALE, 7), LIGHT_SCALE[LIGHT_SCALE.length - 1]);
});

test('a position on an axis and the value there are inverse', () => {
  const axis = paramAxis(['0', '10']);
  for (const t of [0, 0.25, 1]) {
    assert.ok(Math.abs(axisPosition(axis, axisValue(axis, t)) - t) < 1e-12);
  }
});

test('lines are drawn missing first, then worst to best, so the best lie on top', () => {
  // accuracy: higher is better; run 1 lacks it
  const accuracy = drawOrder(parallelModel(data, 'accuracy', false));
  assert.deepEqual(Array.from(accuracy.order), [1, 2, 0]);
  // loss: lower is better, so the lowest loss (run 0) is drawn last
  const loss = drawOrder(parallelModel(data, 'loss', false));
  assert.deepEqual(Array.from(loss.order), [2, 1, 0]);
  assert.equal(loss.starts[loss.starts.length - 1], 3);
});

test('without a colour metric every run is drawn in one bucket, in order', () => {
  const plain = drawOrder(parallelModel(data, null, false));
  assert.deepEqual(Array.from(plain.order), [0, 1, 2]);
  assert.deepEqual(plain.starts, [0, 3]);
});

test('brushing selects among every run, not a sample', () => {
  const n = 10_000;
  const many: ICompareData = {
    runs: Array.from({ length: n }, (_, i) => ({ run_id: String(i), run_name: `r${i}` })),
    params: [
      {
        key: 'optimizer',
        values: Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : ['adam', 'sgd'][i % 2]))
      }
    ],
    metrics: [{ key: 'acc', values: Array.from({ length: n }, (_, i) => i / n) }]
  };
  const model = parallelModel(many, 'acc', false);
  const acc = model.columns[1].axis;
  const inside = runsInside(model.columns, [null, brushBetween(acc, 0.9, 0.95)], n)!;
  const expected = Array.from({ length: n }, (_, i) => i / n).filter(v => v >= 0.9 && v <= 0.95);
  assert.equal(inside.length, expected.length);
  // and with a second brush, on the categorical axis: "sgd" only (code 1)
  const optimizer = model.columns[0].axis;
  const brushes = [brushBetween(optimizer, 0.8, 1.1), brushBetween(acc, 0.9, 0.95)];
  const both = runsInside(model.columns, brushes, n)!;
  assert.ok(both.length > 0);
  assert.ok(both.every(i => i % 2 === 1 && i % 7 !== 0 && i / n >= 0.9 && i / n <= 0.95));
  assert.equal(runsInside(model.columns, [null, null], n), null);
});

test('a brush on a categorical axis covers whole categories, missing included', () => {
  const axis = paramAxis(['sgd', 'adam', null, 'rmsprop']);
  assert.deepEqual(brushBetween(axis, -0.8, 0.2), [-1.5, 0.5]); // missing and adam
  const model = parallelModel({ ...data, metrics: [] }, null, false);
  const inside = runsInside(model.columns, [brushBetween(model.columns[0].axis, -1, -1), null], 3);
  assert.deepEqual(Array.from(inside!), [2]); // the run without an optimizer
});

test('a brush dragged past the ends of a numeric axis stays inside it', () => {
  const axis = paramAxis(['0', '10']);
  const [low, high] = axis.range;
  assert.deepEqual(brushBetween(axis, high + 5, low - 5), [low, high]);
});

test('keyboard brushing: arrows brush and move, shift moves the lower end, escape clears', () => {
  const axis = paramAxis(['a', 'b', 'c', 'd']); // codes 0..3
  let brush = brushAfterKey(axis, null, 'ArrowDown', false)!;
  assert.deepEqual(brush, [2.5, 3.5]); // the top category
  brush = brushAfterKey(axis, brush, 'ArrowDown', false)!;
  assert.deepEqual(brush, [1.5, 2.5]);
  brush = brushAfterKey(axis, brush, 'ArrowDown', true)!;
  assert.deepEqual(brush, [0.5, 2.5]); // grown downwards by one category
  brush = brushAfterKey(axis, brush, 'ArrowDown', false)!;
  brush = brushAfterKey(axis, brush, 'ArrowDown', false)!;
  assert.deepEqual(brush, [-0.5, 1.5]); // stops at the bottom
  assert.equal(brushAfterKey(axis, brush, 'Escape', false), null);
  assert.equal(brushAfterKey(axis, brush, 'a', false), undefined);
  const numeric = paramAxis(['0', '10']); // ticks 0..10
  const first = brushAfterKey(numeric, null, 'ArrowUp', false)!;
  assert.ok(first[1] === numeric.range[1] && first[0] < first[1]);
});
