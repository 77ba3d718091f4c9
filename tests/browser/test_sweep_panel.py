"""A running sweep in a real JupyterLab: trials appear in the live plot's sweep panel as
they finish, drawn as parallel coordinates, with the best trial so far."""

from __future__ import annotations

from playwright.sync_api import expect
from test_live_plot import run_cell, write_notebook

NOTEBOOK = "sweep_panel.ipynb"
SWEEP = """\
%%track --name live-sweep
import time
import mlflow
for trial in range(8):
    with mlflow.start_run(run_name=f"trial-{trial}", nested=True):
        mlflow.log_params({"lr": 10.0 ** -(trial % 4), "optimizer": ["adam", "sgd"][trial % 2]})
        for step in range(10):
            mlflow.log_metric("valid_loss", 1 / (trial + 2) + 0.3 * 0.8 ** step, step=step)
            time.sleep(0.15)
        mlflow.log_metric("accuracy", 0.6 + 0.04 * trial)
"""


# Colours the live plot drew with the theme of the time (null where not drawn): the sweep's
# axis labels (painted with its lines) and the paper of the valid_loss chart.
DRAWN_COLOURS = """() => [
    document.querySelector('[data-testid=labtrack-sweep-parallel] .lt-pc-label')
        ?.getAttribute('fill') ?? null,
    document.querySelector('[data-metric=valid_loss] .lt-w-chart-plot')
        ?._fullLayout?.paper_bgcolor ?? null,
]"""


def trial_lines(page) -> int:
    """Polylines the canvas parallel coordinates stroked in their last paint."""
    return page.evaluate(
        "() => Number(document.querySelector('[data-testid=labtrack-sweep-parallel]')"
        "?.dataset.lines ?? 0)"
    )


def test_trials_appear_in_the_sweep_panel_while_the_cell_runs(
    page, extra_lab, open_lab, idle_kernel, artifacts_dir, switch_theme
):
    lab = extra_lab("sweep")
    page.set_viewport_size({"width": 1280, "height": 1300})
    write_notebook(lab.root_dir / NOTEBOOK, "%load_ext labtrack", SWEEP)
    open_lab(lab, f"lab/tree/{NOTEBOOK}")
    idle_kernel()
    run_cell(page, 0)

    # When the sweep runs
    run_cell(page, 1)
    live = page.get_by_test_id("labtrack-live-plot")
    panel = live.get_by_test_id("labtrack-sweep")
    # Then finished trials show up while the run is still RUNNING
    expect(panel).to_be_visible(timeout=60_000)
    expect(live.get_by_test_id("labtrack-run-status")).to_have_text("RUNNING")
    page.wait_for_function(
        "() => (document.querySelector('[data-testid=labtrack-sweep]')?.dataset.trials | 0) >= 3",
        timeout=30_000,
    )
    expect(panel.get_by_test_id("labtrack-sweep-summary")).to_contain_text("best valid_loss")
    live.screenshot(path=artifacts_dir / "sweep-running-light.png")

    # And at the end all eight are drawn, one line each, the best named
    expect(live.get_by_test_id("labtrack-run-status")).to_have_text("FINISHED", timeout=60_000)
    expect(panel).to_have_attribute("data-trials", "8", timeout=10_000)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=labtrack-sweep-parallel]')"
        "?.dataset.lines === '8'",
        timeout=10_000,
    )
    assert trial_lines(page) == 8
    expect(panel.get_by_test_id("labtrack-sweep-summary")).to_contain_text("(trial-7)")
    light = page.evaluate(DRAWN_COLOURS)
    switch_theme("JupyterLab Dark")
    live.scroll_into_view_if_needed()
    # The shot shows the sweep and the chart once redrawn in the dark theme, not before
    page.wait_for_function(
        f"light => ({DRAWN_COLOURS})().every((colour, i) => colour && colour !== light[i])",
        arg=light,
    )
    live.screenshot(path=artifacts_dir / "sweep-finished-dark.png")
