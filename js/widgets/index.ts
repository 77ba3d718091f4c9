// The anywidget ESM bundle of labtrack. Every labtrack widget loads this one module; the
// Python class names the view it wants in the `_labtrack_view` trait (default "run_card").
// anywidget's module contract: one default export `{ initialize, render }` (a bare named
// `render` export is deprecated and makes anywidget warn in the console on every widget).
import type { AnyModel, InitializeProps, Render, RenderProps } from '@anywidget/types';

import { renderChallenge } from './challenge';
import { renderCompare } from './compare';
import { renderLivePlot } from './live-plot';
import { storeOf } from './live-store';
import { renderRegistry } from './registry';
import { renderRunCard } from './run-card';
import { renderRunsTable } from './runs-table';

/** Views in this bundle, by the name a Python widget puts in `_labtrack_view`. */
const VIEWS: Record<string, Render<any>> = {
  run_card: renderRunCard,
  live_plot: renderLivePlot,
  compare: renderCompare,
  challenge: renderChallenge,
  registry: renderRegistry,
  runs_table: renderRunsTable
};

const DEFAULT_VIEW = 'run_card';

function viewName(model: AnyModel): string {
  const name = model.get('_labtrack_view');
  return typeof name === 'string' && name !== '' ? name : DEFAULT_VIEW;
}

function render(props: RenderProps): ReturnType<Render> {
  const name = viewName(props.model);
  const view = VIEWS[name];
  if (!view) {
    const message = document.createElement('div');
    message.className = 'lt-w-error';
    message.textContent = `labtrack: this bundle has no view named "${name}".`;
    props.el.replaceChildren(message);
    return () => message.remove();
  }
  return view(props);
}

/** Once per model: a live plot starts listening for points before any view exists, so no
 *  message is lost while the first view is being created. */
function initialize({ model }: InitializeProps): void {
  if (viewName(model) === 'live_plot') {
    storeOf(model);
  }
}

export default { initialize, render };
