"""Comparison widget at 10k runs × 15 axes: payload size and first render in headless Chromium.

The payload is the widget's synced state as anywidget sends it (JSON plus binary buffers),
for 10,000 runs with 5 params (categorical strings, 3 to 10k distinct values) and 10
metrics, plus 50 curves of 1,000 points. The first render is timed in a bare page with
the built bundle (src/labtrack/static/widgets.js) and a stand-in anywidget model: from
``render()`` until every run's line is painted (the canvas says how many polylines it
stroked, a pixel read forces the canvas to rasterise them, and the time is taken after the
next frame was produced), once cold (first widget of the page, plotly.js not yet evaluated)
and once warm (plotly.js already loaded). Also printed: when the curves (plotly) are drawn,
and the size of the figure specs the view sends back for the static export.
Run: ``.venv/bin/python benchmarks/compare_widget.py``.
"""

from __future__ import annotations

import base64
import json
import os
import platform
import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

from ipywidgets.widgets.widget import _remove_buffers
from playwright.sync_api import sync_playwright
from widget_browser import BUNDLE, CHROMIUM_FLAGS, serve

from labtrack.backend.shapes import (
    CompareMatrix,
    CompareMetricColumn,
    CompareParamColumn,
    CompareRun,
)
from labtrack.widgets.compare import CompareWidget
from labtrack.widgets.compare_payload import pack_matrix

RUNS = 10_000
METRICS = 10
MB = 1_000_000


def matrix() -> CompareMatrix:
    runs = [CompareRun(f"{i:032x}", f"trial-{i}", "1", "FINISHED") for i in range(RUNS)]
    params = [
        CompareParamColumn("optimizer", [("adam", "sgd", "rmsprop")[i % 3] for i in range(RUNS)]),
        CompareParamColumn("lr", [str(10 ** -(1 + i % 50 / 10)) for i in range(RUNS)]),
        CompareParamColumn("batch_size", [str(16 * (1 + i % 8)) for i in range(RUNS)]),
        CompareParamColumn("seed", [str(i) for i in range(RUNS)]),
        CompareParamColumn("layers", [None if i % 7 == 0 else str(i % 5) for i in range(RUNS)]),
    ]
    metrics = [
        CompareMetricColumn(f"metric_{k}", [((i * (k + 3)) % 997) / 997 for i in range(RUNS)])
        for k in range(METRICS)
    ]
    return CompareMatrix(runs, params, metrics)


class Histories:
    """A stand-in façade: every run's history is 1,000 points."""

    def metric_history(self, run_id, key, points, _window):
        steps = list(range(points))
        return SimpleNamespace(steps=steps, values=[1 / (s + 1) for s in steps])


PAGE = """<!doctype html>
<html><body style="width: 1200px"><div id="widget"></div>
<script type="module">
import bundle from './widgets.js';  // anywidget's contract: {initialize, render}
class StandInModel {
  constructor(state) { this.state = state; this.handlers = new Map(); }
  get(name) { return this.state[name]; }
  set(name, value) { this.state[name] = value; this.emit(`change:${name}`); }
  on(event, handler) {
    for (const e of event.split(' ')) {
      if (!this.handlers.has(e)) this.handlers.set(e, []);
      this.handlers.get(e).push(handler);
    }
  }
  off(event, handler) {
    for (const e of event.split(' ')) {
      this.handlers.set(e, (this.handlers.get(e) || []).filter(h => h !== handler));
    }
  }
  emit(event, ...args) { for (const h of this.handlers.get(event) || []) h(...args); }
  send() {}
  save_changes() {}
}
const view = b64 => {
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  return new DataView(bytes.buffer);
};
window.renderOnce = async (state, buffers) => {
  for (const [name, b64] of Object.entries(buffers)) state[name] = view(b64);
  const el = document.getElementById('widget');
  const model = new StandInModel(state);
  const runs = String(state.run_table.ids.length);
  const frame = () => new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const start = performance.now();
  const cleanup = bundle.render({ model, el });
  const renderMs = performance.now() - start;
  const host = el.querySelector('[data-testid=labtrack-compare-parallel]');
  while (host.dataset.lines !== runs) await frame();
  const stroked = performance.now();
  host.querySelector('canvas').getContext('2d').getImageData(0, 0, 1, 1); // rasterise now
  const rasterMs = performance.now() - stroked;
  await frame(); // the frame showing them was produced
  const ms = performance.now() - start;
  const overlay = el.querySelector('[data-testid=labtrack-compare-overlay]');
  while (!(overlay.data && overlay.querySelector('.scatterlayer, .gl-container'))) await frame();
  const curvesMs = performance.now() - start;
  await new Promise(resolve => setTimeout(resolve, 800)); // figures sent back after 50 ms
  const lines = Number(host.dataset.lines);
  const echo = JSON.stringify(model.get('figures') || {}).length;
  cleanup();
  return { ms, renderMs, rasterMs, curvesMs, lines, echo };
};
window.benchReady = true;
</script></body></html>
"""


def main() -> None:
    if not BUNDLE.exists():
        raise SystemExit(f"{BUNDLE} is missing: run `npm run build` first")
    widget = CompareWidget(pack_matrix(matrix()), Histories())
    full = widget.get_state()
    esm = len(full.pop("_esm"))  # the widget bundle, the same for every labtrack widget
    state, _paths, buffers = _remove_buffers(full)
    json_bytes = len(json.dumps(state, separators=(",", ":")).encode())
    binary = sum(len(b) for b in buffers)
    payload = json_bytes + binary

    page_state = {k: v for k, v in full.items() if not isinstance(v, bytes)}
    page_buffers = {
        name: base64.b64encode(getattr(widget, name)).decode()
        for name in ("metric_values", "curve_values", "param_codes")
    }
    site = tempfile.mkdtemp(prefix="labtrack-compare-bench-")
    shutil.copy(BUNDLE, Path(site) / "widgets.js")
    (Path(site) / "index.html").write_text(PAGE)
    server = serve(site)
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
        page.wait_for_function("window.benchReady === true")
        run = "([s, b]) => window.renderOnce(s, b)"
        cold = page.evaluate(run, [page_state, page_buffers])
        warm = page.evaluate(run, [page_state, page_buffers])
        version = browser.version
        browser.close()
    server.shutdown()

    axes = len(widget.params) + len(widget.metric_keys)
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs; "
        f"headless Chromium {version}"
    )
    print(f"{RUNS} runs x {axes} axes ({len(widget.params)} params, {METRICS} metrics)\n")
    print(f"payload: {payload / MB:.2f} MB (JSON {json_bytes / MB:.2f} + binary {binary / MB:.2f})")
    print(f"  plus the widget bundle (_esm, same for every labtrack widget): {esm / MB:.2f} MB")
    for name, run in (("cold", cold), ("warm", warm)):
        print(
            f"first render (all lines painted), {name}: {run['ms']:.0f} ms "
            f"(render() {run['renderMs']:.0f} ms: decode, model, table, paths, axes; "
            f"rasterising the lines {run['rasterMs']:.0f} ms)"
        )
    print(
        f"curves overlay drawn (plotly), cold: {cold['curvesMs']:.0f} ms, "
        f"warm: {warm['curvesMs']:.0f} ms"
    )
    print(f"parallel-coordinates lines painted: {cold['lines']}")
    print(f"figures sent back for the static export: {cold['echo'] / MB:.2f} MB of JSON")
    print(
        f"\ntargets: payload <= 2 MB: {'met' if payload <= 2 * MB else 'MISSED'}; "
        f"first render <= 1 s: {'met' if cold['ms'] <= 1000 else 'MISSED'} (cold), "
        f"{'met' if warm['ms'] <= 1000 else 'MISSED'} (warm)"
    )


if __name__ == "__main__":
    main()
