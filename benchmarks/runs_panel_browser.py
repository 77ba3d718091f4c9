"""The Runs sidebar over 10k runs in headless Chromium (issue 5): time to first rows, and
frame gaps while scrolling through pages.

A real ``jupyter lab`` (the browser tests' launcher) serves an embedded store filled with
RUNS runs × 10 params × 5 metrics (raw SQL into MLflow's tables, as in
``server_reads.py``: generation is not what is measured). Then, in one page:

- **first rows**: from the click on the Runs tab to the first table row in the DOM, with
  the table asking for its first page (200 runs) and for the experiment's column keys;
  measured REPEATS times on fresh page loads, alongside the bare ``GET runs`` request for
  the same page from the same page (the server's share of it);
- **scrolling**: the table body is scrolled by 2 rows per animation frame for SCROLL_S
  seconds (about 7,000 rows/minute, faster than anyone reads), loading pages as it goes;
  measured are the gaps between animation frames (a stall is a gap a person sees,
  > 50 ms) and the long tasks Chromium reports.

Run: ``.venv/bin/python benchmarks/runs_panel_browser.py [--runs 10000]``.
"""

from __future__ import annotations

import argparse
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

BARE_REQUEST = """async (token) => {
  const t0 = performance.now();
  const response = await fetch(
    `/labtrack/api/runs?experiment_ids=0&page_size=200&order_by=attributes.start_time%20DESC`,
    { headers: { Authorization: `token ${token}` } });
  await response.json();
  return performance.now() - t0;
}"""

SCROLL = """async ([seconds, stallMs]) => {
  const body = document.querySelector('.lt-RunsTable-body');
  const longTasks = [];
  const observer = new PerformanceObserver(list => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ entryTypes: ['longtask'] });
  const gaps = [];
  let last = performance.now();
  const end = last + seconds * 1000;
  await new Promise(resolve => {
    const frame = now => {
      gaps.push(now - last);
      last = now;
      body.scrollTop += 56;
      if (now < end) requestAnimationFrame(frame); else resolve();
    };
    requestAnimationFrame(frame);
  });
  observer.disconnect();
  gaps.sort((a, b) => a - b);
  const rowsText = document.querySelector('[data-testid=labtrack-runs-count]').textContent;
  return {
    frames: gaps.length,
    p50: gaps[Math.floor(gaps.length * 0.5)],
    p95: gaps[Math.floor(gaps.length * 0.95)],
    max: gaps[gaps.length - 1],
    stalls: gaps.filter(g => g > stallMs).length,
    longTasks: longTasks.length,
    longestTask: longTasks.length ? Math.max(...longTasks) : 0,
    rowsInDom: document.querySelectorAll('.lt-RunsTable-row').length,
    loaded: rowsText,
    scrolledRows: Math.round(body.scrollTop / 28),
  };
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    args = parser.parse_args()
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="labtrack-panel-bench-") as folder:
        base = Path(folder)
        proc, lab = _start_lab(base, base / "jupyter-lab.log")
        try:
            started = time.perf_counter()
            location = resolve_backend(environ={"LABTRACK_HOME": str(lab.labtrack_home)})
            prepare_backend(location)  # MLflow's schema, as the first request would create it
            generate(lab.labtrack_home / "mlflow.db", args.runs, 10)
            print(f"store: {args.runs} runs generated in {time.perf_counter() - started:.1f} s")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                first_rows, bare = [], []
                for _ in range(REPEATS):
                    page.goto(lab.url("lab?reset"))
                    page.locator("#jupyterlab-splash").wait_for(state="detached", timeout=60_000)
                    page.locator(RUNS_TAB).wait_for()
                    bare.append(page.evaluate(BARE_REQUEST, lab.token))
                    clicked_at = page.evaluate("performance.now()")
                    page.locator(RUNS_TAB).click()
                    first_rows.append(page.evaluate(FIRST_ROW_AT) - clicked_at)
                page.locator(".lt-RunsTable-row").first.wait_for()
                scroll = page.evaluate(SCROLL, [SCROLL_S, STALL_MS])
                browser.close()
        finally:
            _stop(proc)

    print()
    print(f"{'':52}{'median':>10}{'max':>10}")
    print(
        f"{'click on Runs tab -> first row shown, ms':52}"
        f"{statistics.median(first_rows):>10.0f}{max(first_rows):>10.0f}"
    )
    print(
        f"{'  of which: bare GET runs (200 rows) from the page, ms':52}"
        f"{statistics.median(bare):>10.0f}{max(bare):>10.0f}"
    )
    print()
    print(
        f"scrolling {SCROLL_S} s at 2 rows per frame: {scroll['frames']} frames, "
        f"{scroll['scrolledRows']} rows scrolled, {scroll['loaded']} loaded, "
        f"{scroll['rowsInDom']} rows in the DOM at the end"
    )
    print(
        f"frame gaps, ms: p50 {scroll['p50']:.1f}  p95 {scroll['p95']:.1f}  "
        f"max {scroll['max']:.1f}  gaps > {STALL_MS} ms: {scroll['stalls']}"
    )
    print(f"long tasks (> 50 ms): {scroll['longTasks']}, longest {scroll['longestTask']:.0f} ms")
    verdict = "met" if statistics.median(first_rows) <= 1000 else "missed"
    print(f"\ntarget: first rows <= 1 s after opening: {verdict}")


if __name__ == "__main__":
    main()
