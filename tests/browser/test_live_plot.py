"""The live plot under a tracked cell, in a real JupyterLab: it grows while the cell runs,
ends matching the store, comes back whole after a page reload, and reads well in the dark."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

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
                        "accuracy": 1 - math.exp(-step / 20),
                        "val_loss": math.exp(-step / 12) + 0.1,
                        "learning_rate": 0.1 * 0.97 ** step}}, step=step)
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


# The metric's chart has the widget's background and text colours (compared as computed
# colours, so "#111" and "rgb(17, 17, 17)" are the same).
PLOT_FOLLOWS_THEME = """metric => {
    const computed = colour => {
        const probe = document.createElement('span');
        probe.style.color = colour;
        document.body.append(probe);
        const value = getComputedStyle(probe).color;
        probe.remove();
        return value;
    };
    const gd = document.querySelector(
        `[data-testid=labtrack-chart][data-metric="${metric}"] .lt-w-chart-plot`);
    const style = getComputedStyle(document.querySelector('.lt-w-live'));
    return !!gd && !!gd._fullLayout
        && computed(gd._fullLayout.paper_bgcolor) === computed(style.backgroundColor)
        && computed(gd._fullLayout.font.color) === computed(style.color);
}"""


def points_drawn_beyond(page: Page, metric: str, count: int) -> int:
    """Wait until the metric's chart holds more than ``count`` points; how many it holds."""
    return page.wait_for_function(
        """([metric, count]) => {
            const panel = document.querySelector(
                `[data-testid=labtrack-chart][data-metric="${metric}"]`);
            const gd = panel && panel.querySelector('.lt-w-chart-plot');
            const drawn = gd && gd.data ? gd.data.reduce((n, t) => n + t.x.length, 0) : 0;
            return drawn > count ? drawn : false;
        }""",
        arg=[metric, count],
        timeout=30_000,
    ).json_value()


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
    first = points_drawn_beyond(page, "loss", 0)
    second = points_drawn_beyond(page, "loss", first)
    expect(badge).to_have_text("RUNNING")
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
    # And every chart gets drawn once on screen (drawing is paced and skips charts out of view)
    live.scroll_into_view_if_needed()
    charts = live.get_by_test_id("labtrack-chart")
    expect(charts).to_have_count(4)
    for index in range(4):
        expect(charts.nth(index).locator(".main-svg").first).to_be_visible()
    live.screenshot(path=artifacts_dir / "live-plot-finished.png")

    # When the notebook is saved and the page reloaded
    tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=NOTEBOOK)
    expect(tab).to_have_class(re.compile(r"\bjp-mod-dirty\b"))
    page.keyboard.press("Control+s")
    # The reload reads the file: the tab is clean once the server has written it
    expect(tab).not_to_have_class(re.compile(r"\bjp-mod-dirty\b"), timeout=30_000)
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
    # The charts take the new colours on their next draw, not when the theme is swapped
    page.wait_for_function(PLOT_FOLLOWS_THEME, arg="loss")
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


SWEEP = """\
%%track --name sweep
import mlflow
for lr in (0.1, 0.01, 0.001):
    with mlflow.start_run(run_name=f"lr={lr}", nested=True):
        for step in range(20):
            mlflow.log_metric("val_loss", 1 / (1 + lr * 100 * step), step=step)
"""


def test_child_runs_of_a_sweep_are_traces_of_their_own_and_x_can_be_wall_time(
    page, lab, open_lab, idle_kernel, artifacts_dir
):
    # Given a tracked cell that runs three nested trials
    write_notebook(lab.root_dir / "sweep.ipynb", LOAD, SWEEP)
    open_lab(lab, "lab/tree/sweep.ipynb")
    idle_kernel()
    run_cell(page, 0)
    run_cell(page, 1)
    live = page.get_by_test_id("labtrack-live-plot")
    expect(live.get_by_test_id("labtrack-run-status")).to_have_text("FINISHED", timeout=60_000)

    # Then the metric's chart holds one named trace per trial
    chart = live.locator("[data-testid=labtrack-chart][data-metric=val_loss]")
    expect(chart).to_have_attribute("data-points", "60", timeout=30_000)
    expect(chart).to_have_attribute("data-traces", "3")
    names = page.evaluate(
        "() => document.querySelector('[data-metric=val_loss] .lt-w-chart-plot')"
        ".data.map(t => t.name)"
    )
    assert sorted(names) == ["lr=0.001", "lr=0.01", "lr=0.1"]
    expect(chart.locator(".legend")).to_contain_text("lr=0.1")

    # When the x axis is switched to wall time
    live.get_by_test_id("labtrack-x-time").click()

    # Then the chart draws against dates, and the toggle says so
    expect(live.get_by_test_id("labtrack-x-time")).to_have_attribute("aria-pressed", "true")
    page.wait_for_function(
        "() => document.querySelector('[data-metric=val_loss] .lt-w-chart-plot')"
        "._fullLayout.xaxis.type === 'date'"
    )
    live.scroll_into_view_if_needed()
    live.screenshot(path=artifacts_dir / "live-plot-sweep-wall-time.png")


WRITER = """\
import sys, time, mlflow
mlflow.set_tracking_uri(sys.argv[1])
with mlflow.start_run(run_name="remote-job") as run:
    print(run.info.run_id, flush=True)
    sys.stdin.readline()  # start logging once the notebook watches
    for step in range(50):
        mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
        time.sleep(0.1)
"""


def test_track_watch_follows_a_script_run_until_it_finishes(
    page, lab, open_lab, idle_kernel, artifacts_dir
):
    # Given a script writing a run with plain MLflow into the server's store
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, lab.tracking_uri],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "MLFLOW_DISABLE_TELEMETRY": "true"},
    )
    try:
        run_id = writer.stdout.readline().strip()
        write_notebook(lab.root_dir / "watch.ipynb", LOAD, f"%track watch {run_id}")
        open_lab(lab, "lab/tree/watch.ipynb")
        idle_kernel()
        run_cell(page, 0)

        # When the notebook watches it while it logs
        run_cell(page, 1)
        live = page.get_by_test_id("labtrack-live-plot")
        expect(live.get_by_test_id("labtrack-run-name")).to_have_text("remote-job", timeout=60_000)
        writer.stdin.write("go\n")
        writer.stdin.flush()

        # Then the curve grows while the run is RUNNING
        chart = live.locator("[data-testid=labtrack-chart][data-metric=loss]")
        expect(chart).to_be_visible(timeout=30_000)
        first = int(chart.get_attribute("data-points"))
        # The script logs for about five seconds: points arrive well before it ends
        page.wait_for_function(
            """first => Number(document.querySelector(
                '[data-testid=labtrack-chart][data-metric=loss]').dataset.points) > first""",
            arg=first,
            timeout=30_000,
        )
        expect(live.get_by_test_id("labtrack-run-status")).to_have_text("RUNNING")
        assert int(chart.get_attribute("data-points")) > first
        live.screenshot(path=artifacts_dir / "live-plot-watch-running.png")
        assert writer.wait(timeout=60) == 0
    finally:
        writer.kill()

    # And once the script ends the plot shows FINISHED with every point
    expect(live.get_by_test_id("labtrack-run-status")).to_have_text("FINISHED", timeout=30_000)
    expect(chart).to_have_attribute("data-points", "50", timeout=10_000)
    live.screenshot(path=artifacts_dir / "live-plot-watch-finished.png")
