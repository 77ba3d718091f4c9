// The module every labtrack widget sends as its anywidget `_esm` (a few kB): it finds the
// real bundle (index.ts, built into widgets.js, 1.3 MB) and hands the widget to it. Sending
// the bundle in each widget's state cost every display a 5 MB comm message.
//
// Where the bundle comes from, first that works:
// 1. the page already has it (another labtrack widget loaded it): one copy per page;
// 2. the Jupyter server's copy in labtrack's lab extension, `widgets.<hash>.js` under
//    `{fullLabextensionsUrl}/labtrack/static/`, which the browser caches (`?v=` makes
//    jupyter_server send a long max-age); the hash is the kernel's own bundle's, so a
//    server with another labtrack version answers 404 and the next source is used;
// 3. the kernel: the bytes it pushed with the widget's state (`_labtrack_bundle_inline`,
//    when it knows no server page has them: VS Code, nbclient, a server without labtrack),
//    else asked for over the widget's comm (anywidget's `invoke`; answered once the
//    kernel is idle).
//
// anywidget (0.11) delivers no comm message to a model, not even an `invoke` answer, until
// its `initialize` has returned, and gives up on a model whose `initialize` takes over 2 s.
// So `initialize` only starts the load; `render` waits for it, holding the custom messages
// (live points) that arrive meanwhile and handing them to the view once it listens.
import type { AnyModel, Experimental, Initialize, Render } from '@anywidget/types';

interface IWidgetModule {
  initialize?: Initialize;
  render: Render;
}

interface IBundleTraits {
  _labtrack_bundle: string;
  _labtrack_bundle_inline: DataView | null;
}

interface ILoadProps {
  model: AnyModel;
  signal: AbortSignal;
  experimental: Experimental;
}

/** The page's bundles by hash, shared by every labtrack widget (and kernel) of the page. */
const PAGE_KEY = '__labtrack_widget_bundles__';
/** The kernel's command that answers with the bundle (labtrack/widgets/base.py). */
const BUNDLE_COMMAND = '_labtrack_bundle_request';
const INLINE_TRAIT = '_labtrack_bundle_inline';

function pageBundles(): Map<string, Promise<IWidgetModule>> {
  const page = globalThis as unknown as Record<string, Map<string, Promise<IWidgetModule>>>;
  page[PAGE_KEY] ??= new Map();
  return page[PAGE_KEY];
}

/** The page's Jupyter configuration (JupyterLab, Notebook 7), or null elsewhere (VS Code). */
function pageConfig(): Record<string, unknown> | null {
  const script = document.getElementById('jupyter-config-data');
  if (!script?.textContent) {
    return null;
  }
  try {
    return JSON.parse(script.textContent) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** The lab extension's copy of bundle `hash`, as an absolute URL (this module runs from a
 *  blob: URL, against which a path cannot be resolved); null when the server lists no
 *  labtrack lab extension. The path comes from the page config, so it carries the server's
 *  base URL (a JupyterHub user prefix). */
function staticBundleUrl(config: Record<string, unknown> | null, hash: string, base: string): string | null {
  const extensions = config?.federated_extensions;
  // The hash names a file: never let widget state (a saved notebook's, say) name another.
  if (!/^[0-9a-f]{16}$/.test(hash) || !Array.isArray(extensions) || !extensions.some(e => e?.name === 'labtrack')) {
    return null;
  }
  const labextensions = String(config?.fullLabextensionsUrl ?? `${config?.baseUrl ?? '/'}lab/extensions`);
  const file = `${labextensions.replace(/\/$/, '')}/labtrack/static/widgets.${hash}.js?v=${hash}`;
  return new URL(file, base).href;
}

async function importModule(url: string): Promise<IWidgetModule> {
  const module = await import(/* webpackIgnore: true */ url);
  return module.default as IWidgetModule;
}

async function importBytes(bytes: DataView): Promise<IWidgetModule> {
  // A copy: a comm buffer may be a view into a larger (websocket frame) buffer.
  const source = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength).slice();
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  try {
    return await importModule(url);
  } finally {
    URL.revokeObjectURL(url);
  }
}

function pushedBytes(model: AnyModel): DataView | null {
  const bytes = (model as AnyModel<IBundleTraits>).get(INLINE_TRAIT);
  return bytes && bytes.byteLength > 0 ? bytes : null;
}

/** The bundle's bytes from the kernel: pushed with the state (now or by a later update), or
 *  the answer to a request. */
function kernelBytes({ model, signal, experimental }: ILoadProps): Promise<DataView> {
  const pushed = pushedBytes(model);
  if (pushed) {
    return Promise.resolve(pushed);
  }
  return new Promise<DataView>((resolve, reject) => {
    const onPush = (): void => {
      const bytes = pushedBytes(model);
      if (bytes) {
        model.off(`change:${INLINE_TRAIT}`, onPush);
        resolve(bytes);
      }
    };
    model.on(`change:${INLINE_TRAIT}`, onPush);
    // No timeout: a kernel busy running the cell answers when the cell ends.
    experimental
      .invoke<unknown>(BUNDLE_COMMAND, {}, { signal })
      .then(([, buffers]) => {
        if (!buffers[0]?.byteLength) {
          throw new Error('the kernel sent no widget bundle');
        }
        resolve(buffers[0]);
      })
      .catch(reject)
      .finally(() => model.off(`change:${INLINE_TRAIT}`, onPush));
  });
}

async function loadBundle(props: ILoadProps, hash: string): Promise<IWidgetModule> {
  const url = staticBundleUrl(pageConfig(), hash, document.baseURI);
  if (url) {
    try {
      return await importModule(url);
    } catch (error) {
      console.debug(`labtrack: no widget bundle at ${url}; asking the kernel`, error);
    }
  }
  return importBytes(await kernelBytes(props));
}

/** The bundle for this widget's kernel, loaded once per page. A load that failed (say, its
 *  widget closed while waiting for the kernel) is forgotten, so the next widget tries again. */
async function bundleFor(props: ILoadProps): Promise<IWidgetModule> {
  const hash = (props.model as AnyModel<IBundleTraits>).get('_labtrack_bundle');
  const bundles = pageBundles();
  for (;;) {
    let loading = bundles.get(hash);
    const ours = loading === undefined;
    if (!loading) {
      loading = loadBundle(props, hash);
      bundles.set(hash, loading);
    }
    try {
      return await loading;
    } catch (error) {
      if (bundles.get(hash) === loading) {
        bundles.delete(hash);
      }
      if (ours || props.signal.aborted) {
        throw error;
      }
    }
  }
}

/** `model` for a view that starts listening late: custom messages that arrived since this
 *  call are replayed to each `msg:custom` listener it adds (a live plot's store ignores a
 *  message it already has). */
function holdingMessages(model: AnyModel): { model: AnyModel; release: () => void } {
  const held: [unknown, DataView[]][] = [];
  const hold = (message: unknown, buffers: DataView[]): void => {
    held.push([message, buffers]);
  };
  model.on('msg:custom', hold);
  const replaying: AnyModel = {
    ...model,
    on(name: string, callback: (...args: any[]) => void): void {
      model.on(name, callback);
      if (name === 'msg:custom') {
        held.forEach(([message, buffers]) => callback(message, buffers));
      }
    }
  };
  return { model: replaying, release: () => model.off('msg:custom', hold) };
}

const initialize: Initialize = props => {
  // Not awaited (see above); the bundle's own initialize runs once it is here.
  void bundleFor(props)
    .then(bundle => (props.signal.aborted ? undefined : bundle.initialize?.(props)))
    .catch(error => console.error('labtrack: could not load the widget bundle', error));
};

const render: Render = async props => {
  const holding = holdingMessages(props.model);
  try {
    const bundle = await bundleFor(props);
    return await bundle.render({ ...props, model: holding.model });
  } finally {
    holding.release();
  }
};

export default { initialize, render };
