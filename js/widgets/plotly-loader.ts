// plotly.js is evaluated once per page, not once per widget: anywidget imports the bundle
// anew for every widget model (a blob URL each), and evaluating plotly costs ~100 ms and
// tens of MB. The dynamic import keeps plotly out of the bundle's top-level evaluation; the
// first widget's copy is shared through a page global keyed by plotly's major version.
import type { IPlotly } from 'plotly.js-dist-min';

const KEY = '__labtrack_plotly_v4';

export function loadPlotly(): Promise<IPlotly> {
  const page = globalThis as unknown as Record<string, Promise<IPlotly> | undefined>;
  let loading = page[KEY];
  if (!loading) {
    loading = import('plotly.js-dist-min').then(module => module.default);
    page[KEY] = loading;
  }
  return loading;
}
