"""The live plot under a tracked cell, in a real JupyterLab: it grows while the cell runs,
ends matching the store, comes back whole after a page reload, and reads well in the dark."""

from __future__ import annotations

import json

import mlflow
from playwright.sync_api import Page, expect

NOTEBOOK = "live_plot.ipynb"
STEPS = 60

LOAD = "%load_ext labtrack"
TRAIN = f"""\
%%track --name live-demo --steps {STEPS}
import math, time
import mlflow
for step in range({STEPS}):
    mlflow.log_metrics({{"loss": math.exp(-step / 15) + 0.05 * math.sin(step),
                        "accuracy": 1 - math.exp(-step / 20)}}, step=step)
    time.sleep(0.1)
"""


def write_notebook(path, *sources: str) -> None:
    cells = [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": s}
        for s in sources
    ]
    kernelspec = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    path.write_text(
        json.dumps(
            {
                "cells": cells,
                "metadata": {"kernelspec": kernelspec},
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        )
    )


def run_cell(page: Page, index: int) -> None:
    cell = page.locator(".jp-Notebook .jp-CodeCell").nth(index)
    cell.locator(".jp-InputPrompt").click()
    page.keyboard.press("Shift+Enter")


def plotted(page: Page, metric: str) -> dict:
    """What plotly holds for a metric's chart: points per trace and the last y of the first."""
    return page.evaluate(
        """metric => {
            const panel = document.querySelector(
                `[data-testid=labtrack-chart][data-metric="${metric}"]`);
            const gd = panel && panel.querySelector('.lt-w-chart-plot');
            if (!gd || !gd.data) return {counts: [], last: null};
            const ys = gd.data[0].y;
            return {counts: gd.data.map(t => t.x.length), last: ys[ys.length - 1],
                    paper: gd._fullLayout.paper_bgcolor, font: gd._fullLayout.font.color};
        }""",
        metric,
    )


def test_live_plot_grows_while_the_cell_runs_and_ends_matching_the_store(
    page, lab, open_lab, idle_kernel, artifacts_dir, contrast, switch_theme
):
    # Given a notebook with a tracked cell that logs two metrics for about six seconds
    write_notebook(lab.root_dir / NOTEBOOK, LOAD, TRAIN)
    open_lab(lab, f"lab/tree/{NOTEBOOK}")
    idle_kernel()
    run_cell(page, 0)

    # When the tracked cell runs
    run_cell(page, 1)
    live = page.get_by_test_id("labtrack-live-plot")
    expect(live).to_be_visible(timeout=60_000)
    badge = live.get_by_test_id("labtrack-run-status")
    loss_chart = live.locator("[data-testid=labtrack-chart][data-metric=loss]")
    expect(loss_chart).to_be_visible(timeout=30_000)

    # Then the plot grows while the badge still says RUNNING
    expect(badge).to_have_text("RUNNING")
    first = sum(plotted(page, "loss")["counts"])
    page.wait_for_timeout(1_500)
    expect(badge).to_have_text("RUNNING")
    second = sum(plotted(page, "loss")["counts"])
    assert 0 < first < second < STEPS, (first, second)
    expect(live.get_by_test_id("labtrack-progress-text")).to_contain_text(f"/ {STEPS} steps")
    live.scroll_into_view_if_needed()
    live.screenshot(path=artifacts_dir / "live-plot-running.png")

    # And once the cell ends the badge reads FINISHED and the curves match the store
    expect(badge).to_have_text("FINISHED", timeout=60_000)
    run_id = live.get_by_test_id("labtrack-run-id").get_attribute("title")
    client = mlflow.MlflowClient(tracking_uri=lab.tracking_uri)
    for metric in ("loss", "accuracy"):
        history = sorted(client.get_metric_history(run_id, metric), key=lambda m: m.step)
        expect(live.locator(f"[data-metric={metric}]")).to_have_attribute(
            "data-points", str(len(history))
        )
        shown = plotted(page, metric)
        assert shown["counts"] == [len(history)] == [STEPS]
        assert shown["last"] == history[-1].value
    expect(live.get_by_test_id("labtrack-progress-text")).to_have_text(f"{STEPS} / {STEPS} steps")
    live.screenshot(path=artifacts_dir / "live-plot-finished.png")

    # When the notebook is saved and the page reloaded
    page.keyboard.press("Control+s")
    page.wait_for_timeout(1_000)
    open_lab(lab, f"lab/tree/{NOTEBOOK}")
    idle_kernel()

    # Then the widget comes back from the kernel with the whole curve
    live = page.get_by_test_id("labtrack-live-plot")
    expect(live).to_be_visible(timeout=60_000)
    expect(live.locator("[data-metric=loss]")).to_have_attribute(
        "data-points", str(STEPS), timeout=30_000
    )
    assert plotted(page, "loss")["counts"] == [STEPS]
    expect(live.get_by_test_id("labtrack-run-status")).to_have_text("FINISHED")
    live.scroll_into_view_if_needed()
    live.screenshot(path=artifacts_dir / "live-plot-after-reload.png")

    # And in the dark theme, text and plot colours follow JupyterLab's
    switch_theme("JupyterLab Dark")
    page.wait_for_timeout(500)
    assert contrast("[data-testid=labtrack-chart-name]", ".lt-w-live") >= 4.5
    assert contrast("[data-testid=labtrack-chart-best]", ".lt-w-live") >= 3.0
    theme = page.evaluate(
        """() => {
            const style = getComputedStyle(document.querySelector('.lt-w-live'));
            return {bg: style.backgroundColor, fg: style.color};
        }"""
    )
    shown = plotted(page, "loss")
    assert _rgb(shown["paper"]) == _rgb(theme["bg"]), (shown["paper"], theme)
    assert _rgb(shown["font"]) == _rgb(theme["fg"]), (shown["font"], theme)
    live.screenshot(path=artifacts_dir / "live-plot-dark.png")


def _rgb(css: str) -> tuple[int, int, int]:
    """'#1a2b3c', 'rgb(…)' or 'rgba(…)' as an (r, g, b) triple."""
    css = css.strip()
    if css.startswith("#"):
        hex_digits = css[1:]
        if len(hex_digits) == 3:
            hex_digits = "".join(c * 2 for c in hex_digits)
        return tuple(int(hex_digits[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]
    parts = css[css.index("(") + 1 : css.index(")")].split(",")
    return tuple(round(float(p)) for p in parts[:3])  # type: ignore[return-value]
