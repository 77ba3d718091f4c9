"""First chart of a tracked cell (issue 20, item 4): from a point being logged to the live
plot drawing it, in a real JupyterLab with headless Chromium.

A notebook of tracked cells, each logging its first point at a random moment 0.5-1.5 s
into the cell (so it falls anywhere in the metric sink's one-second flush interval),
then 30 more points. The cell prints the wall-clock time of its first log call; the page
notes when the loss chart of that cell first holds a point (a requestAnimationFrame
loop reading plotly's data, same machine clock). Measured side by side in one run:

- **now**: a run's first points are written at once (``MetricSink._first_points``);
- **before**: the same cells after ``_first_points`` is made a no-op in the kernel, as
  the sink was before issue 20: first points wait for the end of the flush interval.

Run: ``.venv/bin/python benchmarks/first_chart.py [--repeats 5]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))
sys.path.insert(0, str(REPO / "tests" / "support"))

from conftest import CHROMIUM_FLAGS, _start_lab, _stop, wait_for_idle_kernel  # noqa: E402
from test_live_plot import run_cell, write_notebook  # noqa: E402

NOTEBOOK = "first_chart.ipynb"
LOAD = "%load_ext labtrack"
TRACKED = """\
%%track --name first-chart
import random, time
import mlflow
time.sleep(random.uniform(0.5, 1.5))
logged = time.time()
mlflow.log_metric("loss", 1.0, step=0)
print(f"LOGGED {logged:.3f}")
for step in range(1, 31):
    time.sleep(0.05)
    mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
"""
BEFORE = """\
import labtrack.metrics.sink as sink_module
early_first_points = sink_module.MetricSink._first_points
sink_module.MetricSink._first_points = lambda self, run_ids: None
"""
AFTER = "sink_module.MetricSink._first_points = early_first_points"

# Started just before the cell runs: the epoch ms at which the cell's loss chart first
# holds a point, drawn (the frame after plotly has it).
FIRST_POINT_DRAWN = """async (cell) => {
  const limit = performance.now() + 60000;
  for (;;) {
    const plot = cell.querySelector(
      '[data-testid=labtrack-chart][data-metric=loss] .lt-w-chart-plot');
    if (plot && plot.data && plot.data.length && plot.data[0].x.length > 0) {
      await new Promise(r => requestAnimationFrame(r));
      return Date.now();
    }
    if (performance.now() > limit) throw new Error('no chart after 60 s');
    await new Promise(r => requestAnimationFrame(r));
  }
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    n = args.repeats
    # warm-up cell, n cells now, the switch, n cells before, the switch back
    cells = [LOAD, TRACKED, *[TRACKED] * n, BEFORE, *[TRACKED] * n, AFTER]
    now_cells = range(2, 2 + n)
    before_cells = range(3 + n, 3 + 2 * n)
    latencies: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="labtrack-first-chart-") as folder:
        base = Path(folder)
        proc, lab = _start_lab(base, base / "jupyter-lab.log")
        try:
            # Every cell stays in the DOM (no notebook windowing), so each is watched.
            tracker = lab.settings_dir / "@jupyterlab" / "notebook-extension"
            tracker.mkdir(parents=True, exist_ok=True)
            (tracker / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
            write_notebook(lab.root_dir / NOTEBOOK, *cells)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                page.goto(lab.url(f"lab/tree/{NOTEBOOK}?reset"))
                page.locator("#jupyterlab-splash").wait_for(state="detached", timeout=60_000)
                wait_for_idle_kernel(page)
                for index in range(len(cells)):
                    measured = index in now_cells or index in before_cells
                    cell = page.locator(".jp-Notebook .jp-CodeCell").nth(index)
                    if measured:  # the watcher runs in the page while the cell runs
                        cell.scroll_into_view_if_needed()
                        cell.evaluate(f"c => {{ window.firstChart = ({FIRST_POINT_DRAWN})(c); }}")
                    run_cell(page, index)
                    expect(cell.locator(".jp-InputPrompt")).to_have_text(
                        re.compile(r"\[\d+\]"), timeout=120_000
                    )
                    if measured:
                        drawn = page.evaluate("window.firstChart")
                        logged = float(re.search(r"LOGGED ([\d.]+)", cell.inner_text()).group(1))
                        latencies[index] = drawn - logged * 1000
                browser.close()
        finally:
            _stop(proc)

    now = [latencies[i] for i in now_cells]
    before = [latencies[i] for i in before_cells]
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load average {load}")
    print(f"{n} tracked cells each; first point logged 0.5-1.5 s into the cell")
    print()
    print(f"{'first point logged -> drawn in the chart, ms':48}{'median':>10}{'max':>10}")
    for label, values in (
        ("now (first points written at once)", now),
        ("before (first points wait for the flush)", before),
    ):
        print(f"  {label:46}{statistics.median(values):>10.0f}{max(values):>10.0f}")
    print("  each, now:   " + ", ".join(f"{v:.0f}" for v in now))
    print("  each, before: " + ", ".join(f"{v:.0f}" for v in before))
    verdict = "met" if statistics.median(now) <= 500 and max(now) <= 500 else "missed"
    print(f"\ntarget: first points in the chart <= 0.5 s after being logged: {verdict}")


if __name__ == "__main__":
    main()
