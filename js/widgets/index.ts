// The anywidget ESM bundle of labtrack. Every labtrack widget loads this one module; the
// Python class names the view it wants in the `_labtrack_view` trait (default "run_card").
import type { AnyModel, Render, RenderProps } from '@anywidget/types';

import { renderRunCard } from './run-card';

/** Views in this bundle, by the name a Python widget puts in `_labtrack_view`. */
const VIEWS: Record<string, Render<any>> = {
  run_card: renderRunCard
};

const DEFAULT_VIEW = 'run_card';

function viewName(model: AnyModel): string {
  const name = model.get('_labtrack_view');
  return typeof name === 'string' && name !== '' ? name : DEFAULT_VIEW;
}

export function render(props: RenderProps): ReturnType<Render> {
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

export default { render };
