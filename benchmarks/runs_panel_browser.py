"""The Runs sidebar over 10k or 100k runs in headless Chromium (issues 5, 20): time to
first rows, frame gaps while scrolling through pages, and sorting and filtering by a
metric.

A real ``jupyter lab`` (the browser tests' launcher) serves an embedded store filled with
RUNS runs × 10 params × 5 metrics (raw SQL into MLflow's tables, as in
``server_reads.py``: generation is not what is measured), the panel set to show the
columns m0, m1 and p0. Then, in one page:

- **first rows**: from the click on the Runs tab to the first table row in the DOM, with
  the table asking for its first page (200 runs) and for the experiment's column keys;
  measured REPEATS times on fresh page loads, alongside the bare ``GET runs`` request for
  the same page from the same page (the server's share of it);
- **sort and filter by a metric**: the bare ``GET runs`` of the first page sorted by m0
  and filtered on m1 (server time, REPEATS times), and in the panel, from the click on
  the m0 header (or Enter in the filter box) to the new rows drawn;
- **scrolling**: the table body is scrolled by 2 rows per animation frame for SCROLL_S
  seconds (about 7,000 rows/minute, faster than anyone reads), loading pages as it goes;
  measured are the gaps between animation frames (a stall is a gap a person sees,
  > 50 ms), split by whether a page of runs arrived during the gap, and the long tasks
  Chromium reports.

Run: ``.venv/bin/python benchmarks/runs_panel_browser.py [--runs 100000]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from labtrack.backend import prepare_backend, resolve_backend

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))
sys.path.insert(0, str(REPO / "tests" / "support"))

from conftest import CHROMIUM_FLAGS, _start_lab, _stop  # noqa: E402
from server_reads import generate  # noqa: E402

REPEATS = 5
SCROLL_S = 6
STALL_MS = 50
RUNS_TAB = ".jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id='labtrack-runs']"

# Lumino's tab bar reacts to pointer events, not to element.click(): the click is a real
# mouse click by Playwright, between two page clock readings (its own overhead counts too).
FIRST_ROW_AT = """async () => {
  const limit = performance.now() + 30000;
  while (!document.querySelector('.lt-RunsTable-row')) {
    if (performance.now() > limit) throw new Error('no row after 30 s');
    await new Promise(r => setTimeout(r, 5));
  }
  return performance.now();
}"""

COLUMNS = ["metrics.m0", "metrics.m1", "params.p0"]
PANEL_QUERY = "experiment_ids=0&page_size=200&metrics=m0,m1&params=p0"
DEFAULT_ORDER = "order_by=attributes.start_time%20DESC"
METRIC_ORDER = "order_by=metrics.%60m0%60%20DESC&order_by=attributes.start_time%20DESC"
METRIC_FILTER = "filter=metrics.m1%20%3E%200.5"

BARE_REQUEST = """async ([token, query]) => {
  const t0 = performance.now();
  const response = await fetch(`/labtrack/api/runs?${query}`,
    { headers: { Authorization: `token ${token}` } });
  await response.json();
  return performance.now() - t0;
}"""

# From a person's action (already done by Playwright at `since`) until the rows of the
# runs request it caused are drawn: that request's response end, then two frames.
ROWS_REDRAWN = """async (since) => {
  const limit = performance.now() + 30000;
  const done = () => performance.getEntriesByType('resource').find(
    e => e.name.includes('/labtrack/api/runs?') && e.startTime >= since && e.responseEnd > 0);
  let entry;
  while (!(entry = done())) {
    if (performance.now() > limit) throw new Error('no runs request after 30 s');
    await new Promise(r => setTimeout(r, 5));
  }
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return { request: entry.responseEnd - entry.startTime, total: performance.now() - since };
}"""

SCROLL = """async ([seconds, stallMs]) => {
  const body = document.querySelector('.lt-RunsTable-body');
  const longTasks = [];
  const observer = new PerformanceObserver(list => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ entryTypes: ['longtask'] });
  const frames = [];
  const started = performance.now();
  let last = started;
  const end = last + seconds * 1000;
  await new Promise(resolve => {
    const frame = now => {
      frames.push([last, now]);
      last = now;
      body.scrollTop += 56;
      if (now < end) requestAnimationFrame(frame); else resolve();
    };
    requestAnimationFrame(frame);
  });
  observer.disconnect();
  // A gap "at a page arrival": a runs page's response ended during it (its rows are
  // added and drawn in that frame).
  const requests = performance.getEntriesByType('resource')
    .filter(e => e.name.includes('/labtrack/api/runs?') && e.responseEnd >= started);
  const arrivals = requests.map(e => e.responseEnd);
  const atArrival = ([from, to]) => arrivals.some(t => t > from - 1 && t <= to);
  const gaps = frames.map(([from, to]) => to - from).sort((a, b) => a - b);
  const stalls = frames.filter(([from, to]) => to - from > stallMs);
  const rowsText = document.querySelector('[data-testid=labtrack-runs-count]').textContent;
  return {
    frames: gaps.length,
    p50: gaps[Math.floor(gaps.length * 0.5)],
    p95: gaps[Math.floor(gaps.length * 0.95)],
    max: gaps[gaps.length - 1],
    stalls: stalls.length,
    stallsAtArrival: stalls.filter(atArrival).length,
    maxNotAtArrival: Math.max(0, ...frames.filter(f => !atArrival(f)).map(([a, b]) => b - a)),
    pagesArrived: arrivals.length,
    stallsAt: stalls.map(([a, b]) => `${Math.round(a - started)}+${Math.round(b - a)}`),
    pagesAt: requests.map(e =>
      `${Math.round(e.startTime - started)}-${Math.round(e.responseEnd - started)}`),
    longTasks: longTasks.length,
    longestTask: longTasks.length ? Math.max(...longTasks) : 0,
    rowsInDom: document.querySelectorAll('.lt-RunsTable-row').length,
    loaded: rowsText,
    scrolledRows: Math.round(body.scrollTop / 28),
  };
}"""


def show_columns(lab) -> None:
    """The panel's default columns (its settings, as a person would set them)."""
    target = lab.settings_dir / "labtrack" / "runs-panel.jupyterlab-settings"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"defaultColumns": COLUMNS}))


def row(label: str, values: list[float]) -> str:
    return f"{label:60}{statistics.median(values):>10.0f}{max(values):>10.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    args = parser.parse_args()
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    with tempfile.TemporaryDirectory(prefix="labtrack-panel-bench-") as folder:
        base = Path(folder)
        proc, lab = _start_lab(base, base / "jupyter-lab.log")
        try:
            started = time.perf_counter()
            location = resolve_backend(environ={"LABTRACK_HOME": str(lab.labtrack_home)})
            prepare_backend(location)  # MLflow's schema, as the first request would create it
            generate(lab.labtrack_home / "mlflow.db", args.runs, 10)
            show_columns(lab)
            print(f"store: {args.runs} runs generated in {time.perf_counter() - started:.1f} s")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                first_rows, bare, bare_metric = [], [], []
                for _ in range(REPEATS):
                    page.goto(lab.url("lab?reset"))
                    page.locator("#jupyterlab-splash").wait_for(state="detached", timeout=60_000)
                    page.locator(RUNS_TAB).wait_for()
                    query = f"{PANEL_QUERY}&{DEFAULT_ORDER}"
                    bare.append(page.evaluate(BARE_REQUEST, [lab.token, query]))
                    query = f"{PANEL_QUERY}&{METRIC_ORDER}&{METRIC_FILTER}"
                    bare_metric.append(page.evaluate(BARE_REQUEST, [lab.token, query]))
                    clicked_at = page.evaluate("performance.now()")
                    page.locator(RUNS_TAB).click()
                    first_rows.append(page.evaluate(FIRST_ROW_AT) - clicked_at)
                page.locator(".lt-RunsTable-row").first.wait_for()
                scroll = page.evaluate(SCROLL, [SCROLL_S, STALL_MS])
                sort_ui, filter_ui = [], []
                header = page.locator(".lt-RunsTable-sort[data-column='metrics.m0']")
                box = page.get_by_test_id("labtrack-filter")
                for index in range(REPEATS):
                    since = page.evaluate("performance.now()")
                    header.click()  # descending, then ascending, ...
                    sort_ui.append(page.evaluate(ROWS_REDRAWN, since))
                    box.fill(f"metrics.m1 > 0.{index + 3}")
                    since = page.evaluate("performance.now()")
                    box.press("Enter")
                    filter_ui.append(page.evaluate(ROWS_REDRAWN, since))
                browser.close()
        finally:
            _stop(proc)

    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load average {load}")
    print(f"{args.runs} runs x 10 params x 5 metrics; columns {', '.join(COLUMNS)}")
    print()
    print(f"{'':60}{'median':>10}{'max':>10}")
    print(row("click on Runs tab -> first row shown, ms", first_rows))
    print(row("  bare GET runs, first 200 (server), ms", bare))
    print(row("bare GET runs sorted by m0, filtered on m1 (server), ms", bare_metric))
    print(row("click on m0 header -> rows sorted by it drawn, ms", [s["total"] for s in sort_ui]))
    print(row("  of which: its GET runs, ms", [s["request"] for s in sort_ui]))
    print(row("Enter in filter box (m1 > x) -> rows drawn, ms", [f["total"] for f in filter_ui]))
    print(row("  of which: its GET runs, ms", [f["request"] for f in filter_ui]))
    print()
    print(
        f"scrolling {SCROLL_S} s at 2 rows per frame: {scroll['frames']} frames, "
        f"{scroll['scrolledRows']} rows scrolled, {scroll['pagesArrived']} pages arrived, "
        f"{scroll['loaded']} loaded, {scroll['rowsInDom']} rows in the DOM at the end"
    )
    print(
        f"frame gaps, ms: p50 {scroll['p50']:.1f}  p95 {scroll['p95']:.1f}  "
        f"max {scroll['max']:.1f}  gaps > {STALL_MS} ms: {scroll['stalls']} "
        f"({scroll['stallsAtArrival']} at a page arrival)"
    )
    print(f"longest gap without a page arriving: {scroll['maxNotAtArrival']:.1f} ms")
    print(f"long tasks (> 50 ms): {scroll['longTasks']}, longest {scroll['longestTask']:.0f} ms")
    if scroll["stalls"]:
        print(f"  stalls at (ms into the scroll + gap): {' '.join(scroll['stallsAt'])}")
        print(f"  pages requested-arrived (ms): {' '.join(scroll['pagesAt'])}")
    print()
    first = statistics.median(first_rows)
    server = max(
        statistics.median(bare_metric),
        statistics.median([s["request"] for s in sort_ui] + [f["request"] for f in filter_ui]),
    )
    stalls = scroll["stalls"] - scroll["stallsAtArrival"]
    for label, ok in (
        (f"first rows <= 500 ms after opening: {first:.0f} ms", first <= 500),
        (f"no frame > {STALL_MS} ms apart from page arrivals: {stalls}", stalls == 0),
        (f"sort and filter by a metric <= 1 s server time: {server:.0f} ms", server <= 1000),
    ):
        print(f"target: {label} -> {'met' if ok else 'missed'}")


if __name__ == "__main__":
    main()
