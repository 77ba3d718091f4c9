"""How labtrack's widgets get their front end, in a real JupyterLab.

With labtrack's lab extension, each widget's comm message carries a few-kB loader and the
page loads the widget bundle once from the extension's static files (under the server's
base URL, here a JupyterHub-like user prefix). Without it (a server whose JupyterLab does
not have labtrack's lab extension, as in VS Code or a Notebook 7 without labtrack), the
kernel supplies the bundle: pushed with the first widget, and on request after a reload.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import _start_lab, _stop
from jupyter_core.paths import jupyter_path
from playwright.sync_api import Page, expect
from test_compare_widget import LOAD, LOG_RUNS
from test_live_plot import run_cell, write_notebook
from widget_traffic import WidgetTraffic

NOTEBOOK = "bundle.ipynb"
STEPS = 50
TRACKED = f"""\
%%track --name bundle-live --steps {STEPS}
import time
import mlflow
for step in range({STEPS}):
    mlflow.log_metrics({{"loss": 1 / (step + 1), "accuracy": step / {STEPS}}}, step=step)
    time.sleep(0.1)
"""
# The same, holding the kernel busy until the test releases it: what a page shows while a
# cell runs is then checked without racing the cell.
HELD = f"""\
%%track --name bundle-held
import pathlib, time
import mlflow
for step in range({STEPS}):
    mlflow.log_metrics({{"loss": 1 / (step + 1), "accuracy": step / {STEPS}}}, step=step)
deadline = time.monotonic() + 300
while not pathlib.Path("release").exists() and time.monotonic() < deadline:
    time.sleep(0.1)
"""
COMPARE = "%track compare --experiment Default --max 3"
# The budget of one widget's comm message (the target): the loader plus the state.
MAX_WIDGET_MESSAGE = 100_000
PREFIX = "/user/labtrack-tester/"


@pytest.fixture(scope="module")
def lab_behind_prefix(tmp_path_factory, artifacts_dir):
    """JupyterLab under a user prefix, as JupyterHub serves it."""
    proc, server = _start_lab(
        tmp_path_factory.mktemp("browser-prefix"),
        artifacts_dir / "jupyter-lab-prefix.log",
        base_path=PREFIX,
    )
    yield server
    _stop(proc)


def lab_extensions_without_labtrack(folder: Path) -> Path:
    """`folder` holding links to every installed lab extension but labtrack's."""
    folder.mkdir()
    for root in map(Path, jupyter_path("labextensions")):
        if not root.is_dir():
            continue
        for entry in root.iterdir():
            target = folder / entry.name
            if entry.name != "labtrack" and not target.exists():
                target.symlink_to(entry.resolve(), target_is_directory=True)
    return folder


@pytest.fixture(scope="module")
def lab_without_lab_extension(tmp_path_factory, artifacts_dir):
    """JupyterLab that does not have labtrack's lab extension; the kernel has labtrack."""
    base = tmp_path_factory.mktemp("browser-no-lab-extension")
    extensions = lab_extensions_without_labtrack(base / "labextensions")
    proc, server = _start_lab(
        base,
        artifacts_dir / "jupyter-lab-no-lab-extension.log",
        server_config={"LabApp": {"labextensions_path": [str(extensions)]}},
    )
    yield server
    _stop(proc)


def live_plot_has_points(page: Page) -> None:
    live = page.get_by_test_id("labtrack-live-plot")
    expect(live.locator("[data-testid=labtrack-chart][data-metric=loss]")).to_be_visible(
        timeout=60_000
    )
    page.wait_for_function(
        "() => document.querySelector('[data-metric=loss] .lt-w-chart-plot')"
        "?.data?.[0]?.x?.length > 0",
        timeout=30_000,
    )


def wait_until_saved_with_widgets(path: Path, timeout_s: float = 30) -> None:
    """The notebook on disk holds the widget outputs (JupyterLab saved it)."""
    deadline = time.monotonic() + timeout_s
    while "application/vnd.jupyter.widget-view+json" not in path.read_text():
        assert time.monotonic() < deadline, f"{path} was not saved with its widgets"
        time.sleep(0.2)


def screenshots(
    page: Page,
    switch_theme,
    artifacts_dir: Path,
    name: str,
    testids: tuple[str, ...] = ("labtrack-live-plot", "labtrack-compare-widget"),
) -> None:
    """The live plot and the comparison, in the light theme and then the dark one."""
    for theme in ("light", "dark"):
        if theme == "dark":
            switch_theme("JupyterLab Dark")
        for testid in testids:
            widget = page.get_by_test_id(testid)
            widget.scroll_into_view_if_needed()
            widget.screenshot(path=artifacts_dir / f"bundle-{name}-{testid[9:]}-{theme}.png")


def test_with_the_lab_extension_each_widget_message_is_small_and_the_bundle_loads_once(
    page, lab_behind_prefix, open_lab, idle_kernel, artifacts_dir, switch_theme
):
    # Given JupyterLab with labtrack's lab extension, behind a user prefix
    lab = lab_behind_prefix
    page.set_viewport_size({"width": 1280, "height": 1400})
    write_notebook(lab.root_dir / NOTEBOOK, LOAD, TRACKED, LOG_RUNS, COMPARE)
    traffic = WidgetTraffic(page)
    open_lab(lab, f"lab/tree/{NOTEBOOK}")
    idle_kernel()
    run_cell(page, 0)

    # When a tracked cell runs and then three runs are compared
    run_cell(page, 1)
    live_plot_has_points(page)
    live = page.get_by_test_id("labtrack-live-plot")
    expect(live.get_by_test_id("labtrack-run-status")).to_have_text("FINISHED", timeout=60_000)
    run_cell(page, 2)
    expect(page.locator(".jp-CodeCell").nth(2)).to_contain_text("logged", timeout=60_000)
    run_cell(page, 3)
    compare = page.get_by_test_id("labtrack-compare-widget")
    expect(compare.get_by_test_id("labtrack-compare-parallel")).to_have_attribute(
        "data-lines", "3", timeout=60_000
    )
    expect(compare.get_by_test_id("labtrack-compare-overlay")).to_have_attribute(
        "data-lines", "3", timeout=60_000
    )

    # Then both widgets arrived in messages of a few kB, not with the bundle inside
    assert traffic.states_received() >= 2, traffic.frames
    assert traffic.largest_per_widget() <= MAX_WIDGET_MESSAGE, traffic.widget_states()
    # And the page fetched the bundle once, from the lab extension under the prefix
    assert len(traffic.bundle_responses) == 1, traffic.bundle_responses
    url, status = traffic.bundle_responses[0]
    assert status == 200 and url.startswith(f"{lab.base_url}lab/extensions/labtrack/static/"), url
    # And anywidget found the module contract it expects: no deprecation warning
    assert traffic.anywidget_deprecations() == []
    screenshots(page, switch_theme, artifacts_dir, "lab-extension")


def test_without_the_lab_extension_the_kernel_supplies_the_bundle(
    page, lab_without_lab_extension, open_lab, idle_kernel, artifacts_dir, switch_theme
):
    # Given JupyterLab without labtrack's lab extension (the kernel has labtrack)
    lab = lab_without_lab_extension
    page.set_viewport_size({"width": 1280, "height": 1400})
    write_notebook(lab.root_dir / NOTEBOOK, LOAD, HELD, LOG_RUNS, COMPARE)
    traffic = WidgetTraffic(page)
    open_lab(lab, f"lab/tree/{NOTEBOOK}")
    idle_kernel()
    assert "labtrack" not in page.evaluate(
        "() => JSON.parse(document.getElementById('jupyter-config-data').textContent)"
        ".federated_extensions.map(e => e.name)"
    )
    run_cell(page, 0)

    # When a tracked cell runs (and keeps the kernel busy)
    run_cell(page, 1)

    # Then its live plot draws while the cell still runs: the bundle came with the widget
    live_plot_has_points(page)
    live = page.get_by_test_id("labtrack-live-plot")
    expect(live.get_by_test_id("labtrack-run-status")).to_have_text("RUNNING")
    assert traffic.bundle_responses == []
    pushed = [state.size for state in traffic.widget_states()]
    assert pushed and pushed[0] > 1_000_000, pushed
    (lab.root_dir / "release").touch()
    # Without labtrack's renderer the final output is the static form: the run FINISHED
    held = page.locator(".jp-CodeCell").nth(1)
    expect(held.locator(".jp-OutputArea-output").first).to_contain_text(
        "bundle-held FINISHED", timeout=60_000
    )
    expect(held.get_by_test_id("labtrack-live-plot")).to_have_count(0)
    # And a later widget comes without it (the page keeps the first copy)
    run_cell(page, 2)
    expect(page.locator(".jp-CodeCell").nth(2)).to_contain_text("logged", timeout=60_000)
    traffic.reset()
    run_cell(page, 3)
    compare = page.get_by_test_id("labtrack-compare-widget")
    expect(compare.get_by_test_id("labtrack-compare-parallel")).to_have_attribute(
        "data-lines", "3", timeout=60_000
    )
    assert traffic.largest_per_widget() <= MAX_WIDGET_MESSAGE, traffic.widget_states()
    assert traffic.anywidget_deprecations() == []

    # When the page is reloaded (the saved notebook, the same kernel)
    page.keyboard.press("Control+s")
    wait_until_saved_with_widgets(lab.root_dir / NOTEBOOK)
    traffic.reset()
    open_lab(lab, f"lab/tree/{NOTEBOOK}")
    idle_kernel()

    # Then the finished cell keeps its static form (charts drawn in the kernel), and the
    # comparison widget comes back: the new page asked the kernel for the bundle
    held = page.locator(".jp-CodeCell").nth(1).locator(".jp-OutputArea-output").first
    expect(held).to_contain_text("bundle-held FINISHED", timeout=60_000)
    expect(held.locator("img[alt='loss chart']")).to_have_count(1)
    expect(
        page.get_by_test_id("labtrack-compare-widget").get_by_test_id("labtrack-compare-parallel")
    ).to_have_attribute("data-lines", "3", timeout=60_000)
    assert traffic.largest_per_widget() <= MAX_WIDGET_MESSAGE, traffic.widget_states()
    assert traffic.bundle_responses == []
    screenshots(page, switch_theme, artifacts_dir, "kernel", ("labtrack-compare-widget",))
    held.screenshot(path=artifacts_dir / "bundle-kernel-static-live-plot-dark.png")
