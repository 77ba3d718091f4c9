// Checks of the pure figure builders in js/plots/ (no DOM, no plotly): bundled by esbuild
// and run by node with `npm run test:plots`. The browser tests prove the drawn result.
import { strict as assert } from 'node:assert';

import type { ICompareData } from '../../js/plots/compare-data';
import { runLabels, valuesDiffer } from '../../js/plots/compare-data';
import { overlayFigure } from '../../js/plots/overlay';
import { MISSING_LABEL, parallelFigure, unselectedLine } from '../../js/plots/parallel';
import { paramAxis, roundTicks } from '../../js/plots/parallel-axes';
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
