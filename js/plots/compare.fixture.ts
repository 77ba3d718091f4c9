// Shared inputs of the js/plots specs (test-only: excluded from the builds, like *.spec.ts).
import type { ICompareData } from './compare-data';
import type { IPlotTheme } from './theme';

export const theme: IPlotTheme = {
  foreground: '#111',
  muted: '#666',
  background: '#fff',
  grid: '#ddd',
  fontFamily: 'sans-serif',
  fontSize: 13,
  dark: false,
  colorway: ['#1f77b4', '#ff7f0e']
};

export const darkTheme: IPlotTheme = {
  ...theme,
  dark: true,
  foreground: '#e0e0e0',
  muted: '#a0a0a0',
  background: '#111111',
  grid: '#424242'
};

/** Three runs, two sharing a name, one whose name is markup; params and metrics with gaps. */
export const data: ICompareData = {
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
