// plotly.js is evaluated once per page, not once per widget: evaluating plotly costs ~100 ms
// and tens of MB, and both the widget bundle and the lab extension's Compare panel draw with
// it. The dynamic import keeps plotly out of the bundle's top-level evaluation; the first
// copy loaded is shared through a page global keyed by the bundle's name and major version.
//
// The basic partial bundle (scatter, bar, pie: 1.2 MB instead of plotly's full 4.8 MB) has
// every trace type labtrack draws: the live charts and the compare overlays are `scatter`;
// the parallel coordinates are a canvas of our own (js/plots/parallel-canvas.ts).
import type { IPlotly } from 'plotly.js-basic-dist-min';

// A different key from the full bundle's (`__labtrack_plotly_v4`) that older labtrack
// versions share: their widgets still draw parcoords, which this bundle lacks.
const KEY = '__labtrack_plotly_basic_v4';

export function loadPlotly(): Promise<IPlotly> {
  const page = globalThis as unknown as Record<string, Promise<IPlotly> | undefined>;
  let loading = page[KEY];
  if (!loading) {
    loading = import('plotly.js-basic-dist-min').then(module => module.default);
    page[KEY] = loading;
  }
  return loading;
}
