// Checks of the pure figure builders in js/plots/ (no DOM, no plotly): bundled by esbuild
// and run by node with `npm run test:plots`. The browser tests prove the drawn result.
import { strict as assert } from 'node:assert';

import type { ICompareData } from '../../js/plots/compare-data';
import { runLabels, valuesDiffer } from '../../js/plots/compare-data';
import { overlayFigure } from '../../js/plots/overlay';
import { MISSING_LABEL, parallelFigure, unselectedLine } from '../../js/plots/parallel';
import { paramAxis, roundTicks } from '../../js/plots/parallel-axes';
import {
  brushAfterKey,
  brushBetween,
  COLOUR_BUCKETS,
  drawOrder,
  MISSING_BUCKET,
  parallelModel,
  runsInside
} from '../../js/plots/parallel-model';
import { plainFigure } from '../../js/widgets/compare-data';
import type { IPlotTheme } from '../../js/plots/theme';

const theme: IPlotTheme = {
  foreground: '#111', muted: '#666', background: '#fff', grid: '#ddd',
  fontFamily: 'sans-serif', fontSize: 13, dark: false, colorway: ['#1f77b4', '#ff7f0e']
};

const data: ICompareData = {
  runs: [
    { run_id: 'a'.repeat(32), run_name: 'same' },
    { run_id: 'b'.repeat(32), run_name: 'same' },
    { run_id: 'c'.repeat(32), run_name: '<b>bold</b>' }
  ],
  params: [
    { key: 'optimizer', values: ['sgd', 'adam', null] },
    { key: 'lr', values: ['0.1', '0.01', '0.001'] }
  ],
  metrics: [
    { key: 'accuracy', values: [0.9, null, 0.7] },
    { key: 'loss', values: [0.1, 0.2, 0.3] }
  ]
};

/** WCAG contrast of `hex` at `opacity` over `background` against that background. */
function contrastOver(hex: string, opacity: number, background: string): number {
  const rgb = (h: string) => [1, 3, 5].map(i => parseInt(h.slice(i, i + 2), 16));
  const bg = rgb(background);
  const mixed = rgb(hex).map((c, i) => opacity * c + (1 - opacity) * bg[i]);
  const lum = (c: number[]) =>
    c
      .map(v => v / 255)
      .map(v => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
      .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const [a, b] = [lum(mixed), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}

const tests: Record<string, () => void> = {
  'unselected lines stay visible on the dark theme'() {
    const dark: IPlotTheme = {
      ...theme, dark: true, foreground: '#e0e0e0', muted: '#a0a0a0', background: '#111111', grid: '#424242'
    };
    const line = unselectedLine(dark);
    const trace = parallelFigure(data, { theme: dark, colorMetric: 'loss', height: 300 }).data[0] as any;
    assert.deepEqual(trace.unselected.line, line);
    assert.ok(contrastOver(line.color, line.opacity, dark.background) >= 2, JSON.stringify(line));
  },
  'one value per run on every axis, colour metric last'() {
    const trace = parallelFigure(data, { theme, colorMetric: 'loss', height: 300 }).data[0] as any;
    assert.equal(trace.type, 'parcoords');
    assert.deepEqual(trace.dimensions.map((d: any) => d.label), ['optimizer', 'lr', 'accuracy', 'loss']);
    for (const d of trace.dimensions) {
      assert.equal(d.values.length, 3);
    }
    assert.equal(trace.line.color.length, 3);
  },
  'categories are coded in order and missing sits below them'() {
    const axis = paramAxis(['sgd', 'adam', null]);
    assert.deepEqual(axis.values, [1, 0, -1]);
    assert.deepEqual(axis.ticktext, [MISSING_LABEL, 'adam', 'sgd']);
    assert.equal(axis.range[0], -1);
  },
  'a missing metric is drawn below the lowest tick, labelled missing'() {
    const trace = parallelFigure(data, { theme, colorMetric: null, height: 300 }).data[0] as any;
    const accuracy = trace.dimensions.find((d: any) => d.label === 'accuracy');
    assert.equal(accuracy.ticktext[0], MISSING_LABEL);
    assert.equal(accuracy.values[1], accuracy.tickvals[0]);
    assert.ok(accuracy.values[1] < Math.min(accuracy.values[0], accuracy.values[2]));
  },
  'learning rates over decades get a log axis with real values as ticks'() {
    const axis = paramAxis(['0.1', '0.01', '0.001']);
    assert.equal(axis.kind, 'log');
    assert.deepEqual(axis.values, [-1, -2, -3]);
    assert.deepEqual(axis.ticktext, ['0.001', '0.01', '0.1']);
  },
  'ticks span the values with round numbers'() {
    assert.deepEqual(roundTicks(0.69, 0.89), [0.65, 0.7, 0.75, 0.8, 0.85, 0.9]);
    assert.deepEqual(roundTicks(42, 42), [32, 42, 52]);
  },
  'server text is escaped for plotly and shared names told apart'() {
    const labels = runLabels(data.runs);
    assert.deepEqual(labels, ['same (aaaaaa)', 'same (bbbbbb)', '<b>bold</b>']);
    const figure = overlayFigure(
      [{ name: labels[2], steps: [0, 1], values: [1, null] }],
      { metric: 'loss', theme, height: 200 }
    );
    const trace = figure.data[0] as any;
    assert.equal(trace.name, '&lt;b&gt;bold&lt;/b&gt;');
    assert.ok(Number.isNaN(trace.y[1]));
  },
  'the canvas model puts every run on every axis and buckets colours from worst to best'() {
    const model = parallelModel(data, 'loss', false);
    assert.equal(model.runs, 3);
    assert.deepEqual(model.columns.map(c => c.label), ['optimizer', 'lr', 'accuracy', 'loss']);
    assert.ok(model.columns.every(c => c.axis.values.length === 3));
    // buckets by value; loss: lower is better, so its scale is reversed (best colour lowest)
    assert.deepEqual(Array.from(model.colour!.bucket), [0, 12, COLOUR_BUCKETS - 1]);
    assert.equal(model.colour!.lowerIsBetter, true);
    assert.equal(model.colour!.scale[0], '#c2271b');
    const accuracy = parallelModel(data, 'accuracy', false).colour!;
    assert.equal(accuracy.missing, 1);
    assert.equal(accuracy.bucket[1], MISSING_BUCKET);
    assert.equal(parallelModel(data, null, false).colour, null);
  },
  'lines are drawn missing first, then worst to best, so the best lie on top'() {
    // accuracy: higher is better; run 1 lacks it
    const accuracy = drawOrder(parallelModel(data, 'accuracy', false));
    assert.deepEqual(Array.from(accuracy.order), [1, 2, 0]);
    // loss: lower is better, so the lowest loss (run 0) is drawn last
    const loss = drawOrder(parallelModel(data, 'loss', false));
    assert.deepEqual(Array.from(loss.order), [2, 1, 0]);
    assert.equal(loss.starts[loss.starts.length - 1], 3);
  },
  'brushing selects among every run, not a sample'() {
    const n = 10_000;
    const many: ICompareData = {
      runs: Array.from({ length: n }, (_, i) => ({ run_id: String(i), run_name: `r${i}` })),
      params: [{ key: 'optimizer', values: Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : ['adam', 'sgd'][i % 2])) }],
      metrics: [{ key: 'acc', values: Array.from({ length: n }, (_, i) => i / n) }]
    };
    const model = parallelModel(many, 'acc', false);
    const acc = model.columns[1].axis;
    const inside = runsInside(model.columns, [null, brushBetween(acc, 0.9, 0.95)], n)!;
    assert.equal(inside.length, Array.from({ length: n }, (_, i) => i / n).filter(v => v >= 0.9 && v <= 0.95).length);
    // and with a second brush, on the categorical axis: "sgd" only (code 1)
    const optimizer = model.columns[0].axis;
    const both = runsInside(model.columns, [brushBetween(optimizer, 0.8, 1.1), brushBetween(acc, 0.9, 0.95)], n)!;
    assert.ok(both.length > 0 && both.every(i => i % 2 === 1 && i % 7 !== 0 && i / n >= 0.9 && i / n <= 0.95));
    assert.equal(runsInside(model.columns, [null, null], n), null);
  },
  'a brush on a categorical axis covers whole categories, missing included'() {
    const axis = paramAxis(['sgd', 'adam', null, 'rmsprop']);
    assert.deepEqual(brushBetween(axis, -0.8, 0.2), [-1.5, 0.5]); // missing and adam
    const model = parallelModel({ ...data, metrics: [] }, null, false);
    const inside = runsInside(model.columns, [brushBetween(model.columns[0].axis, -1, -1), null], 3);
    assert.deepEqual(Array.from(inside!), [2]); // the run without an optimizer
  },
  'keyboard brushing: arrows brush and move, shift moves the lower end, escape clears'() {
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
  },
  'the export figure packs per-run arrays as float32 typed-array specs'() {
    const values = Array.from({ length: 100 }, (_, i) => i / 4);
    const plain = plainFigure({ data: [{ values, y: [...values.slice(0, 40), null], tickvals: [0, 1] }], layout: {} });
    const trace = plain.data[0] as any;
    assert.equal(trace.values.dtype, 'f4');
    const decoded = new Float32Array(new Uint8Array(Buffer.from(trace.values.bdata, 'base64')).buffer);
    assert.deepEqual(Array.from(decoded), values);
    const y = new Float32Array(new Uint8Array(Buffer.from(trace.y.bdata, 'base64')).buffer);
    assert.ok(Number.isNaN(y[40]));
    assert.deepEqual(trace.tickvals, [0, 1]); // short arrays stay as they are
  },
  'values differ when any run differs or lacks the value'() {
    assert.equal(valuesDiffer(['1', '1', '1']), false);
    assert.equal(valuesDiffer(['1', null, '1']), true);
  }
};

let failed = 0;
for (const [name, test] of Object.entries(tests)) {
  try {
    test();
    console.log(`ok    ${name}`);
  } catch (error) {
    failed++;
    console.log(`FAIL  ${name}\n${(error as Error).message}`);
  }
}
process.exitCode = failed ? 1 : 0;
