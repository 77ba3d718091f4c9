"""What labtrack's widgets cost a JupyterLab page over the network, before and after the
small bundle sent once (issue 20), measured side by side in one run.

"before" is the widget bundle of commit BEFORE (all of plotly.js, sent inside every
widget's state as its anywidget ``_esm``), built here from that commit's sources; "after"
is this checkout's (a 2 kB loader in the state; the bundle, plotly's basic partial build,
loaded once per page from labtrack's lab extension). One real ``jupyter lab`` (the browser
tests' launcher) and headless Chromium; the "before" notebook's kernel sends the old
bundle as its widgets' ``_esm``, as labtrack did then.

Each variant runs a notebook of 30 tracked cells (10 steps each) and one
``%track compare``, then the notebook is reopened in a new page with the browser's cache
(a person coming back to the tab) and in a fresh browser profile (cold cache). Counted:
websocket frames received (each kernel message is one frame), bytes per widget state in
the messages that carried them (a reopened page gets all states in one message), and HTTP
bytes of labtrack's bundle (Chromium's ``encodedDataLength``: 0 when served from the cache).

Run: ``.venv/bin/python benchmarks/widget_transfer.py [--cells N]`` (≈15 min on a busy
2-core machine; needs Debian's chromium, and npm, which fetches the old plotly.js-dist-min
into a temporary folder).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests" / "browser")]

from conftest import CHROMIUM_FLAGS, LabServer, _start_lab, _stop  # noqa: E402
from playwright.sync_api import Page, sync_playwright  # noqa: E402
from test_live_plot import write_notebook  # noqa: E402
from widget_traffic import WidgetTraffic  # noqa: E402

# The last commit whose widgets carried the whole bundle (4.88 MB, all of plotly.js).
BEFORE = "53bf0c9"
CELLS = 30
LOG_RUNS = """\
import mlflow
for i in range(3):
    with mlflow.start_run(run_name=f"run-{i}"):
        mlflow.log_params({"lr": 10.0 ** -i})
        mlflow.log_metrics({"loss": 1 / (i + 1)})
"""
TRACKED = """\
%%track --name cell-{i}
import mlflow
for step in range(10):
    mlflow.log_metric("loss", 1 / (step + 1 + {i}), step=step)
"""
# The "before" kernel sends the old bundle as every labtrack widget's _esm.
OLD_ESM = """\
from pathlib import Path
from labtrack.widgets.base import LabtrackWidget
LabtrackWidget._esm = Path({path!r}).read_text()
"""
# How long to wait for a page (ms); shorter while trying the script out.
WAIT_MS = int(os.environ.get("LABTRACK_TRANSFER_WAIT_MS", 600_000))


def build_old_bundle(commit: str, work: Path) -> Path:
    """The widget bundle of `commit`, built with that commit's plotly.js (from npm)."""
    sources = work / "before"
    sources.mkdir()
    archive = subprocess.run(
        ["git", "archive", commit, "js", "package.json", "tsconfig.json"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(sources)], input=archive, check=True)
    version = json.loads((sources / "package.json").read_text())["devDependencies"][
        "plotly.js-dist-min"
    ]
    subprocess.run(
        ["npm", "install", "--prefix", str(sources), "--no-save", "--no-package-lock",
         "--ignore-scripts", "--no-audit", "--no-fund", f"plotly.js-dist-min@{version}"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    bundle = work / "widgets-before.js"
    subprocess.run(
        [str(REPO / "node_modules" / ".bin" / "esbuild"), "js/widgets/index.ts", "--bundle",
         "--format=esm", "--target=es2020", "--minify", f"--outfile={bundle}",
         "--log-level=warning"],
        cwd=sources,
        check=True,
    )  # fmt: skip
    return bundle


def lab_plotly_chunk(folder: Path) -> int:
    """Size of the lab extension's chunk holding plotly (named by webpack: a dev build says
    so in its name, a production build numbers it)."""
    chunks = [p for p in folder.glob("*.js") if not p.name.startswith(("widgets.", "remoteEntry"))]
    return max((p.stat().st_size for p in chunks if b"plotly" in p.read_bytes()), default=0)


@dataclass
class Visit:
    """What one page received for labtrack's widgets."""

    websocket: int = 0
    # The largest message that carried labtrack widget states, and its bytes per state
    # (a reopened page gets every widget's state in one message).
    largest_message: int = 0
    per_widget: int = 0
    widget_states: int = 0
    bundle_http: int = 0
    rendered: int = 0

    @property
    def total(self) -> int:
        return self.websocket + self.bundle_http


@dataclass
class HttpBytes:
    """Bytes Chromium received over the network per URL (0 for a cache hit)."""

    urls: dict[str, str] = field(default_factory=dict)
    received: dict[str, int] = field(default_factory=dict)

    def attach(self, page: Page) -> None:
        session = page.context.new_cdp_session(page)
        session.send("Network.enable")
        session.on("Network.requestWillBeSent", self._request)
        session.on("Network.loadingFinished", self._finished)

    def _request(self, event: dict) -> None:
        self.urls[event["requestId"]] = event["request"]["url"]

    def _finished(self, event: dict) -> None:
        url = self.urls.get(event["requestId"], "")
        self.received[url] = self.received.get(url, 0) + int(event["encodedDataLength"])

    def bundle_bytes(self) -> int:
        return sum(n for url, n in self.received.items() if "/labtrack/static/widgets." in url)


def open_notebook(page: Page, lab: LabServer, name: str) -> None:
    page.goto(lab.url(f"lab/tree/{name}?reset"))
    page.locator(".jp-StatusBar-Widget", has_text="| Idle").wait_for(timeout=WAIT_MS)


# Widgets drawn: live plots with a chart, comparisons with their three lines. The first
# labtrack widget not drawn yet is scrolled into view, as a person scrolling through the
# notebook would (the live plot draws only the charts on screen).
RENDERED = """() => {
    const live = [...document.querySelectorAll('[data-testid=labtrack-live-plot]')];
    const compare = [...document.querySelectorAll('[data-testid=labtrack-compare-parallel]')];
    const drawn = el => el.matches('[data-testid=labtrack-live-plot]')
        ? el.dataset.status === 'FINISHED' && el.querySelector('.lt-w-chart-plot .main-svg')
        : el.dataset.lines === '3';
    const waiting = [...live, ...compare].find(el => !drawn(el));
    waiting?.scrollIntoView({block: 'center'});
    return [...live, ...compare].filter(drawn).length;
}"""


def rendered(page: Page) -> int:
    return page.evaluate(RENDERED)


def run_cells_one_by_one(page: Page, count: int) -> None:
    """Run the notebook's cells in order, each once the one before has finished (as a person
    does; with JupyterLab's Run All, messages of 5 MB arriving back to back left the old
    widgets "model not found" here)."""
    for index in range(count):
        page.evaluate(
            "() => window.jupyterapp.commands.execute('notebook:run-cell-and-select-next')"
        )
        page.wait_for_function(
            """index => /^\\[\\d+\\]:$/.test(
                document.querySelectorAll('.jp-Notebook .jp-Cell')[index]
                  ?.querySelector('.jp-InputPrompt')?.textContent?.trim() ?? '')""",
            arg=index,
            timeout=WAIT_MS,
            polling=100,
        )


def wait_for_states(traffic: WidgetTraffic, count: int) -> None:
    """Until `count` labtrack widget states arrived (a reopened page asks for each)."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while traffic.states_received() < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{traffic.states_received()} of {count} widget states came")
        traffic.page.wait_for_timeout(250)


def wait_for_rendering(page: Page, widgets: int, timeout_s: float = 120) -> int:
    """Widgets drawn once all are, or after `timeout_s` (the old bundle fails some)."""
    deadline = time.monotonic() + timeout_s
    while (count := rendered(page)) < widgets and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    return count


def settle(traffic: WidgetTraffic, quiet_s: float = 2.0) -> None:
    """Until no kernel message arrived for `quiet_s` (late resync answers are counted)."""
    seen, since = len(traffic.frames), time.monotonic()
    while time.monotonic() - since < quiet_s:
        traffic.page.wait_for_timeout(250)
        if len(traffic.frames) != seen:
            seen, since = len(traffic.frames), time.monotonic()


def visit(page: Page, lab: LabServer, name: str, cells: int, run: bool) -> Visit:
    traffic = WidgetTraffic(page)
    http = HttpBytes()
    http.attach(page)
    open_notebook(page, lab, name)
    widgets = cells + 1
    if run:
        traffic.reset()
        run_cells_one_by_one(page, len(notebook_sources("", cells)))
    wait_for_states(traffic, widgets)
    drawn = wait_for_rendering(page, widgets)
    settle(traffic)
    return Visit(
        websocket=traffic.received_bytes,
        largest_message=max((s.size for s in traffic.widget_states()), default=0),
        per_widget=round(traffic.largest_per_widget()),
        widget_states=traffic.states_received(),
        bundle_http=http.bundle_bytes(),
        rendered=drawn,
    )


def save(page: Page, path: Path, cells: int) -> None:
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    deadline = time.monotonic() + 60
    while path.read_text().count("application/vnd.jupyter.widget-view+json") < cells + 1:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{path} was not saved with its widgets")
        time.sleep(0.2)


def measure(browser, lab: LabServer, name: str, cells: int) -> dict[str, Visit]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    first = context.new_page()
    results = {"run": visit(first, lab, name, cells, run=True)}
    save(first, lab.root_dir / name, cells)
    first.close()
    warm = context.new_page()  # a new page with the browser's cache, the kernel running
    results["reopen (warm cache)"] = visit(warm, lab, name, cells, run=False)
    context.close()
    cold = browser.new_context(viewport={"width": 1280, "height": 900})
    results["reopen (cold cache)"] = visit(cold.new_page(), lab, name, cells, run=False)
    cold.close()
    return results


def notebook_sources(setup: str, cells: int) -> list[str]:
    tracked = [TRACKED.format(i=i) for i in range(cells)]
    return ["%load_ext labtrack\n" + setup, *tracked, LOG_RUNS, "%track compare --last 3"]


def row(label: str, before: float, after: float) -> str:
    ratio = f"{after / before:8.3f}x" if before else "       -"
    return f"{label:<52}{before:>14,.0f}{after:>14,.0f}  {ratio}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default=BEFORE, help="commit of the 'before' bundle")
    parser.add_argument("--cells", type=int, default=CELLS, help="tracked cells per notebook")
    args = parser.parse_args()
    cells = args.cells
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    work = Path(tempfile.mkdtemp(prefix="labtrack-transfer-"))
    try:
        old_bundle = build_old_bundle(args.before, work)
        new_bundle = REPO / "src" / "labtrack" / "static" / "widgets.js"
        old_plotly = work / "before" / "node_modules" / "plotly.js-dist-min" / "plotly.min.js"
        lab_static = REPO / "src" / "labtrack" / "labextension" / "static"
        sizes = {
            "bundle": (old_bundle.stat().st_size, new_bundle.stat().st_size),
            "plotly": (
                old_plotly.stat().st_size,
                lab_plotly_chunk(lab_static),
            ),
        }
        proc, lab = _start_lab(
            work / "lab",
            work / "jupyter-lab.log",
            extra_args=["--LabApp.expose_app_in_browser=True"],
        )
        try:
            write_notebook(
                lab.root_dir / "before.ipynb",
                *notebook_sources(OLD_ESM.format(path=str(old_bundle)), cells),
            )
            write_notebook(lab.root_dir / "after.ipynb", *notebook_sources("", cells))
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
                before = measure(browser, lab, "before.ipynb", cells)
                after = measure(browser, lab, "after.ipynb", cells)
                version = browser.version
                browser.close()
        finally:
            _stop(proc)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs; headless Chromium {version}")
    print(f"before: commit {args.before}; after: this checkout")
    print(f"{cells} tracked cells (10 steps each) and one %track compare of 3 runs\n")
    print(f"{'bytes':<52}{'before':>14}{'after':>14}  after/before")
    print("-" * 94)
    print(row("widget bundle (minified)", *sizes["bundle"]))
    print(row("plotly in the lab extension's chunk", *sizes["plotly"]))
    for name in ("run", "reopen (warm cache)", "reopen (cold cache)"):
        b, a = before[name], after[name]
        print(row(f"{name}: bytes per widget state", b.per_widget, a.per_widget))
        print(row(f"{name}: largest message with states", b.largest_message, a.largest_message))
        print(row(f"{name}: websocket", b.websocket, a.websocket))
        print(row(f"{name}: bundle over HTTP", b.bundle_http, a.bundle_http))
        print(row(f"{name}: total", b.total, a.total))
        print(row(f"{name}: widgets drawn (of {cells + 1})", b.rendered, a.rendered))
    print()
    reopen = after["reopen (cold cache)"].total
    largest = max(v.per_widget for v in after.values())
    bundle = sizes["bundle"][1]
    print(f"target: widget bundle <= 1.5 MB: {bundle:,} B -> "
          f"{'met' if bundle <= 1_500_000 else 'missed'}")  # fmt: skip
    print(f"target: one widget's message <= 100 kB: {largest:,} B -> "
          f"{'met' if largest <= 100_000 else 'missed'}")  # fmt: skip
    print(f"target: reopen {cells} widgets <= 6 MB (cold cache): {reopen:,} B -> "
          f"{'met' if reopen <= 6_000_000 else 'missed'}")  # fmt: skip


if __name__ == "__main__":
    main()
