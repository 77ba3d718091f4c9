"""(d) Browser time per live-plot update at 1k vs 100k points, in headless Chromium.

The widget bundle (src/labtrack/static/widgets.js, built by ``npm run build``) is loaded
in a bare page with a stand-in anywidget model. Each of 3 metric traces first receives
HISTORY points through ordinary ``points`` messages (the worst case: a live run the page
followed from step 0, so the browser holds every raw point and reduces on each draw),
then UPDATES messages of 100 new points per trace arrive 100 ms apart (the kernel's cap
of 10 updates/s). Measured per update: applying the message (decode + append) and every
animation frame until the next update (min/max reduction to what the chart's pixels can
show, plotly figure spec, ``Plotly.react`` of the SVG charts; the widget paces its redraws,
so some updates cost a redraw and others none: the mean is the cost per update).
Run: ``.venv/bin/python benchmarks/widget_browser.py``.
"""

from __future__ import annotations

import functools
import http.server
import os
import platform
import shutil
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
BUNDLE = REPO / "src" / "labtrack" / "static" / "widgets.js"
HISTORIES = (1_000, 100_000)
UPDATES = 60
NEW_POINTS = 100
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

PAGE = """<!doctype html>
<html><body style="width: 1100px">
<div id="widget"></div>
<script type="module">
import bundle from './widgets.js';  // anywidget's contract: {initialize, render}

class StandInModel {
  constructor(state) { this.state = state; this.handlers = new Map(); }
  get(name) { return this.state[name]; }
  set(name, value) { this.state[name] = value; this.emit(`change:${name}`); }
  on(event, handler) {
    if (!this.handlers.has(event)) this.handlers.set(event, []);
    this.handlers.get(event).push(handler);
  }
  off(event, handler) {
    const list = this.handlers.get(event) || [];
    this.handlers.set(event, list.filter(h => h !== handler));
  }
  emit(event, ...args) { for (const h of this.handlers.get(event) || []) h(...args); }
  send() {}
  save_changes() {}
}

const METRICS = ['loss', 'accuracy', 'learning_rate'];
const RUN = 'r'.repeat(32);

function message(seq, first, count) {
  const buffers = METRICS.map((key, k) => {
    const columns = new Float64Array(3 * count);
    for (let i = 0; i < count; i++) {
      const step = first + i;
      columns[i] = step;
      columns[count + i] = 1.7e12 + step * 10;
      columns[2 * count + i] = Math.exp(-step / 20000) + 0.05 * Math.sin(step / 7 + k);
    }
    return new DataView(columns.buffer);
  });
  const traces = METRICS.map(key => ({ run: RUN, key, n: count }));
  return [{ type: 'points', seq, traces }, buffers];
}

const frame = () => new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));

// Time every animation-frame callback: the live plot draws in one.
const drawTimes = [];
const nativeRaf = window.requestAnimationFrame.bind(window);
window.requestAnimationFrame = callback => nativeRaf(time => {
  const start = performance.now();
  callback(time);
  drawTimes.push(performance.now() - start);
});

window.runBenchmark = async (history, updates, newPoints) => {
  const el = document.getElementById('widget');
  const model = new StandInModel({
    _labtrack_view: 'live_plot', run_id: RUN, run_name: 'bench', experiment_name: 'bench',
    status: 'RUNNING', start_time_ms: Date.now(), end_time_ms: null, runs: {},
    steps_total: null, steps_done: null, x_axis: 'step', mode: 'track'
  });
  bundle.initialize({ model });
  const cleanup = bundle.render({ model, el });
  let seq = 0;
  for (let first = 0; first < history; first += 1000) {
    model.emit('msg:custom', ...message(++seq, first, Math.min(1000, history - first)));
  }
  await new Promise(resolve => setTimeout(resolve, 500)); // plotly loaded and first draw done
  await frame();
  // Updates arrive as the kernel sends them: one every 100 ms. Every animation-frame
  // callback in between is the widget's drawing work for that update.
  const apply = [];
  const draw = [];
  const longestFrame = [];
  for (let u = 0; u < updates; u++) {
    const [content, buffers] = message(++seq, history + u * newPoints, newPoints);
    drawTimes.length = 0;
    const start = performance.now();
    model.emit('msg:custom', content, buffers);
    apply.push(performance.now() - start);
    await new Promise(resolve => setTimeout(resolve, 100));
    draw.push(drawTimes.reduce((a, b) => a + b, 0));
    longestFrame.push(Math.max(0, ...drawTimes));
  }
  const drawn = [...el.querySelectorAll('.lt-w-chart')].map(c => Number(c.dataset.drawnPoints));
  const held = [...el.querySelectorAll('.lt-w-chart')].map(c => Number(c.dataset.points));
  cleanup();
  return { apply, draw, longestFrame, drawn, held };
};
window.benchReady = true;
</script></body></html>
"""


def mean(values: list[float]) -> float:
    return sum(values) / len(values)


def median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(0.95 * len(ordered)) - 1)]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(directory: str) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(QuietHandler, directory=directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def rounds(result: dict) -> list[float]:
    """Drawing time of the updates that triggered a redraw (the others cost none)."""
    return [d for d in result["draw"] if d > 0] or [0.0]


def totals(result: dict) -> list[float]:
    return [a + d for a, d in zip(result["apply"], result["draw"], strict=True)]


def main() -> None:
    if not BUNDLE.exists():
        raise SystemExit(f"{BUNDLE} is missing: run `npm run build` first")
    site = tempfile.mkdtemp(prefix="labtrack-browser-bench-")
    shutil.copy(BUNDLE, Path(site) / "widgets.js")
    (Path(site) / "index.html").write_text(PAGE)
    server = serve(site)
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
        page.wait_for_function("window.benchReady === true")
        version = browser.version
        # Warm-up (JIT, plotly's first draw), not reported.
        page.evaluate("([h, u, n]) => window.runBenchmark(h, u, n)", [1_000, 10, NEW_POINTS])
        for history in HISTORIES:
            results[history] = page.evaluate(
                "([h, u, n]) => window.runBenchmark(h, u, n)", [history, UPDATES, NEW_POINTS]
            )
        browser.close()
    server.shutdown()

    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs; "
        f"headless Chromium {version}"
    )
    print(f"3 metric charts, {NEW_POINTS} new points per trace per update, {UPDATES} updates\n")
    small, large = results[HISTORIES[0]], results[HISTORIES[1]]
    header = f"{'':44} {'1k points':>11} {'100k points':>12} {'100k / 1k':>10}"
    print(header)
    print("-" * len(header))
    rows = [
        ("apply a message, ms (median)", lambda r: median(r["apply"])),
        ("one redraw round, all charts, ms (mean)", lambda r: mean(rounds(r))),
        ("redraw rounds per second", lambda r: len(rounds(r)) / (len(r["draw"]) * 0.1)),
        ("browser work per update, ms (mean)", lambda r: mean(totals(r))),
        ("longest frame, ms (p95)", lambda r: p95(r["longestFrame"])),
        ("points held per trace", lambda r: r["held"][0]),
        ("points drawn per trace", lambda r: r["drawn"][0]),
    ]
    for label, value in rows:
        a, b = value(small), value(large)
        print(f"{label:44} {a:>11.2f} {b:>12.2f} {b / a if a else float('nan'):>9.2f}x")
    per_update = mean(totals(large))
    print(
        f"\ntarget: browser work <= 16 ms per update at 100k points: {per_update:.1f} ms -> "
        f"{'met' if per_update <= 16 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
