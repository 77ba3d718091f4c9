// A metric every run logged once (a final score) reads as values, not as a chart holding
// one dot: one row per run, the run's name (when there are several) and its value, all
// at one precision.
import { node } from './dom';
import { formatValues } from './format';
import type { ITrace } from './live-store';

export function showValueTile(tile: HTMLElement, traces: ITrace[], runLabel: (runId: string) => string): void {
  const doc = tile.ownerDocument;
  const values = formatValues(traces.map(trace => trace.values[0]));
  tile.replaceChildren(
    ...traces.map((trace, i) => {
      const row = node(doc, 'div', 'lt-w-tile-row');
      const value = node(doc, 'span', 'lt-w-tile-value');
      value.textContent = values[i];
      if (traces.length > 1) {
        const label = node(doc, 'span', 'lt-w-tile-label');
        label.textContent = runLabel(trace.run); // textContent: run names are user input
        row.append(label);
      }
      row.append(value);
      return row;
    })
  );
}
