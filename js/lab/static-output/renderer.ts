// A labtrack output carries, beside (or instead of) the standard widget view, a static form
// of what the widget showed (`text/html`) and a marker, `application/vnd.labtrack.static+json`,
// naming the widget. This renderer is chosen for the marker: it shows the live widget while
// its model exists in the kernel, and the static form when it does not (the kernel was
// restarted, the notebook reopened, or sent from elsewhere) instead of "Error displaying
// widget: model not found". Untrusted outputs only ever get the static form: widgets are
// not safe to render from an untrusted notebook, and the HTML goes through JupyterLab's
// sanitizer as any untrusted HTML does.
import type { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { MimeModel } from '@jupyterlab/rendermime';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import type { Message } from '@lumino/messaging';
import { Panel, Widget } from '@lumino/widgets';

import { inlineCharts } from './inline-svg';

export const STATIC_MIME = 'application/vnd.labtrack.static+json';
export const WIDGET_VIEW_MIME = 'application/vnd.jupyter.widget-view+json';
/** Ahead of the widget view (-10), so outputs holding both come here. */
export const STATIC_RANK = -20;
/** How long a widget may take to appear before the static form is shown in its place. */
export const WIDGET_GRACE_MS = 1500;
/** How often, and how long, to look for the notebook's widget manager to arrive. */
const MANAGER_POLL_MS = 250;
const MANAGER_WAIT_MS = 120_000;

interface IMarker {
  view?: string;
  widget?: (ReadonlyPartialJSONObject & { model_id?: string }) | null;
}

type Registry = Pick<IRenderMimeRegistry, 'createRenderer' | 'getFactory'>;

function isRegistry(value: unknown): value is Registry {
  const candidate = value as Registry | null;
  return (
    !!candidate &&
    typeof candidate.createRenderer === 'function' &&
    typeof candidate.getFactory === 'function'
  );
}

export class LabtrackOutput extends Panel implements IRenderMime.IRenderer {
  constructor(private readonly fallbackRegistry: Registry) {
    super();
    this.addClass('jp-LabtrackOutput');
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    this.reset();
    this.model = model;
    const marker = (model.data[STATIC_MIME] ?? {}) as IMarker;
    this.node.dataset.labtrackView = marker.view ?? '';
    const view = marker.widget;
    if (model.trusted && view && typeof view.model_id === 'string' && view.model_id) {
      this.pendingView = view;
      if (this.isAttached) {
        this.mountWidget();
      }
      return;
    }
    await this.showStatic();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.pendingView && !this.widgetRenderer) {
      this.mountWidget();
    }
  }

  dispose(): void {
    this.reset();
    super.dispose();
  }

  /** The registry of the output area this sits in (it has the notebook's or console's
   *  widget manager); the application's otherwise. */
  private registry(): Registry {
    for (let widget: Widget | null = this.parent; widget; widget = widget.parent) {
      const registry = (widget as unknown as { rendermime?: unknown }).rendermime;
      if (isRegistry(registry)) {
        return registry;
      }
    }
    return this.fallbackRegistry;
  }

  /** Whether `registry` draws widgets with a widget manager. A notebook's registry starts
   *  as a copy of the application's, whose widget factory has none; ipywidgets swaps in
   *  its own once the notebook's session is ready, and widget renderers made before then
   *  never get one (ipywidgets only hands it to the renderers that are direct outputs). */
  private managed(registry: Registry): boolean {
    const factory = registry.getFactory(WIDGET_VIEW_MIME);
    return !!factory && factory !== this.fallbackRegistry.getFactory(WIDGET_VIEW_MIME);
  }

  private mountWidget(): void {
    if (this.timer === null) {
      this.timer = setTimeout(() => {
        this.graceOver = true;
        this.settle?.();
        if (!this.widgetRenderer) {
          void this.showStatic();
        }
      }, WIDGET_GRACE_MS);
    }
    const registry = this.registry();
    if (!registry.getFactory(WIDGET_VIEW_MIME) || !this.pendingView || !this.model) {
      void this.showStatic(); // no widgets here at all
      return;
    }
    if (!this.managed(registry) && registry !== this.fallbackRegistry) {
      if (this.waited < MANAGER_WAIT_MS) {
        this.waited += MANAGER_POLL_MS;
        this.retry = setTimeout(() => this.mountWidget(), MANAGER_POLL_MS);
      }
      return;
    }
    const view = this.pendingView;
    const model = this.model;
    const renderer = registry.createRenderer(WIDGET_VIEW_MIME) as unknown as Widget &
      IRenderMime.IRenderer;
    renderer.addClass('jp-LabtrackOutput-widget');
    this.widgetRenderer = renderer;
    this.addWidget(renderer);
    // A view is there once the widget renderer holds an element (before: "Loading
    // widget...", or an error, as text). A view drawn from widget state saved in the
    // notebook, or left by a kernel that went away, is marked disconnected: it has no
    // kernel to feed it, so the static form stands in for it.
    const viewElement = (): Element | null => renderer.node.firstElementChild;
    const live = (): boolean =>
      !!viewElement() && !viewElement()!.classList.contains('jupyter-widgets-disconnected');
    const settle = (this.settle = (): void => {
      if (this.widgetRenderer !== renderer) {
        return;
      }
      if (live()) {
        this.graceOver = true; // from now on, a view that goes away leaves the static form
        this.node.dataset.labtrackShowing = 'widget';
        renderer.show();
        this.staticRenderer?.hide();
      } else if (this.graceOver || viewElement() || renderer.hasClass('jupyter-widgets')) {
        renderer.hide();
        void this.showStatic();
      }
    });
    this.observer = new MutationObserver(records => {
      // Only the renderer's own children and classes, and its view's class, matter.
      if (records.some(r => r.target === renderer.node || r.target === viewElement())) {
        settle();
      }
    });
    this.observer.observe(renderer.node, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['class']
    });
    const data = { [WIDGET_VIEW_MIME]: view, 'text/plain': model.data['text/plain'] ?? '' };
    renderer.renderModel(new MimeModel({ data, trusted: true })).then(settle, () => {
      this.graceOver = true;
      settle();
    });
  }

  private async showStatic(): Promise<void> {
    this.node.dataset.labtrackShowing = 'static';
    if (this.staticRenderer) {
      this.staticRenderer.show();
      return;
    }
    const model = this.model;
    if (!model) {
      return;
    }
    const html = model.data['text/html'];
    const registry = this.registry();
    const mime = typeof html === 'string' && registry.getFactory('text/html') ? 'text/html' : '';
    const renderer = mime
      ? (registry.createRenderer(mime) as unknown as Widget & IRenderMime.IRenderer)
      : new Widget();
    renderer.addClass('jp-LabtrackOutput-static');
    this.staticRenderer = renderer;
    this.addWidget(renderer);
    if (!mime) {
      const text = model.data['text/plain'];
      renderer.node.textContent = typeof text === 'string' ? text : '';
      return;
    }
    // JupyterLab's HTML renderer: sanitized when the output is untrusted.
    await (renderer as unknown as IRenderMime.IRenderer).renderModel(
      new MimeModel({ data: { 'text/html': html }, trusted: model.trusted })
    );
    inlineCharts(renderer.node);
    if (this.node.dataset.labtrackShowing === 'widget') {
      renderer.hide(); // the widget came while the static form was being drawn
    }
  }

  private reset(): void {
    this.observer?.disconnect();
    this.observer = null;
    for (const timer of [this.timer, this.retry]) {
      if (timer !== null) {
        clearTimeout(timer);
      }
    }
    this.timer = this.retry = null;
    this.waited = 0;
    this.settle = null;
    this.widgetRenderer?.dispose();
    this.staticRenderer?.dispose();
    this.widgetRenderer = null;
    this.staticRenderer = null;
    this.pendingView = null;
    this.graceOver = false;
  }

  private model: IRenderMime.IMimeModel | null = null;
  private pendingView: ReadonlyPartialJSONObject | null = null;
  private widgetRenderer: (Widget & IRenderMime.IRenderer) | null = null;
  private staticRenderer: Widget | null = null;
  private observer: MutationObserver | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private waited = 0;
  private settle: (() => void) | null = null;
  private graceOver = false;
}

/** The factory registered with JupyterLab's rendermime (cloned into every notebook's). */
export function staticOutputFactory(registry: Registry): IRenderMime.IRendererFactory {
  return {
    // Safe: untrusted outputs get only the sanitized static form (see renderModel).
    safe: true,
    mimeTypes: [STATIC_MIME],
    defaultRank: STATIC_RANK,
    createRenderer: () => new LabtrackOutput(registry)
  };
}
