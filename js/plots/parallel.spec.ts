// The plotly parcoords figure of compared runs (the static export, the sweep panel).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { darkTheme, data, theme } from './compare.fixture';
import { MISSING_LABEL, parallelFigure, unselectedLine } from './parallel';

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

test('unselected lines stay visible on the dark theme', () => {
  const line = unselectedLine(darkTheme);
  const figure = parallelFigure(data, { theme: darkTheme, colorMetric: 'loss', height: 300 });
  const trace = figure.data[0] as any;
  assert.deepEqual(trace.unselected.line, line);
  assert.ok(contrastOver(line.color, line.opacity, darkTheme.background) >= 2, JSON.stringify(line));
});

test('one value per run on every axis, colour metric last', () => {
  const trace = parallelFigure(data, { theme, colorMetric: 'loss', height: 300 }).data[0] as any;
  assert.equal(trace.type, 'parcoords');
  assert.deepEqual(
    trace.dimensions.map((d: any) => d.label),
    ['optimizer', 'lr', 'accuracy', 'loss']
  );
  for (const d of trace.dimensions) {
    assert.equal(d.values.length, 3);
  }
  assert.equal(trace.line.color.length, 3);
});

test('a missing metric is drawn below the lowest tick, labelled missing', () => {
  const trace = parallelFigure(data, { theme, colorMetric: null, height: 300 }).data[0] as any;
  const accuracy = trace.dimensions.find((d: any) => d.label === 'accuracy');
  assert.equal(accuracy.ticktext[0], MISSING_LABEL);
  assert.equal(accuracy.values[1], accuracy.tickvals[0]);
  assert.ok(accuracy.values[1] < Math.min(accuracy.values[0], accuracy.values[2]));
});
