"""MLflow code as people write it, under %%track, in a real JupyterLab: a cell that picks
its experiment with set_experiment and opens its own named run shows its live plot, and
the Runs panel follows it there; an autolog grid search's sweep panel names the score a
user would pick as its objective."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from test_live_plot import plotted, run_cell, write_notebook

NOTEBOOK = "your_code.ipynb"
RUNS_TAB = ".jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id='labtrack-runs']"
OWN_RUN = """\
%%track
import time
import mlflow

mlflow.set_experiment("churn-in-browser")
with mlflow.start_run(run_name="xgboost_v5"):
    mlflow.log_params({"max_depth": 4, "eta": 0.1})
    for step in range(40):
        mlflow.log_metric("train_loss", 1.0 / (step + 1), step=step)
        time.sleep(0.1)
"""
GRID_SEARCH = """\
%%track
import mlflow
from sklearn.datasets import make_classification
from sklearn.model_selection import GridSearchCV
from sklearn.svm import SVC

X, y = make_classification(n_samples=300, n_features=8, random_state=0)
mlflow.sklearn.autolog(log_models=False, max_tuning_runs=6)
with mlflow.start_run(run_name="svc-grid"):
    search = GridSearchCV(SVC(), {"C": [0.1, 1, 10], "kernel": ["linear", "rbf"]}, cv=3)
    search.fit(X, y)
mlflow.sklearn.autolog(disable=True)
"""


def axes(page) -> list[str]:
    """The labels of the sweep panel's parallel-coordinates axes, in order."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
            '[data-testid=labtrack-sweep-parallel] [data-axis]')].map(g => g.dataset.axis)"""
    )


@pytest.fixture(scope="module")
def your_code_lab(extra_lab):
    lab = extra_lab("your-code")
    write_notebook(lab.root_dir / NOTEBOOK, "%load_ext labtrack", OWN_RUN, GRID_SEARCH)
    return lab


def test_a_cell_choosing_its_experiment_and_run_name_is_followed_by_the_runs_panel(
    page, your_code_lab, open_lab, idle_kernel, artifacts_dir, switch_theme
):
    page.set_viewport_size({"width": 1400, "height": 1000})
    open_lab(your_code_lab, f"lab/tree/{NOTEBOOK}")
    idle_kernel()
    page.locator(RUNS_TAB).click()
    panel = page.get_by_test_id("labtrack-runs-panel")
    expect(page.get_by_test_id("labtrack-backend-kind")).to_have_text("embedded", timeout=30_000)
    run_cell(page, 0)

    # When a cell picks its experiment and opens a named run of its own
    run_cell(page, 1)

    # Then its live plot names that run and draws its points while it runs
    live = page.get_by_test_id("labtrack-live-plot").first
    expect(live.get_by_test_id("labtrack-run-name")).to_have_text("xgboost_v5", timeout=60_000)
    page.wait_for_function(
        "() => (document.querySelector('[data-testid=labtrack-chart][data-metric=train_loss]')"
        "?.dataset.points | 0) > 5",
        timeout=30_000,
    )
    # And the Runs panel switches to the experiment the code chose, showing the run
    picker = panel.get_by_test_id("labtrack-experiment")
    expect(picker.locator("option:checked")).to_have_text("churn-in-browser", timeout=30_000)
    expect(panel.get_by_text("xgboost_v5")).to_be_visible(timeout=30_000)
    expect(live.get_by_test_id("labtrack-run-status")).to_have_text("FINISHED", timeout=60_000)
    assert plotted(page, "train_loss")["counts"] == [40]
    expect(panel.get_by_test_id("labtrack-row-status").first).to_have_text("FINISHED")
    page.screenshot(path=artifacts_dir / "your-code-followed-light.png")
    switch_theme("JupyterLab Dark")
    expect(page.locator("body")).to_have_attribute("data-jp-theme-light", "false")
    page.screenshot(path=artifacts_dir / "your-code-followed-dark.png")
    switch_theme("JupyterLab Light")


def test_an_autolog_grid_search_sweep_panel_names_the_search_score(
    page, your_code_lab, open_lab, idle_kernel, artifacts_dir, switch_theme
):
    page.set_viewport_size({"width": 1400, "height": 1200})
    open_lab(your_code_lab, f"lab/tree/{NOTEBOOK}")
    idle_kernel()
    run_cell(page, 0)

    # When a grid search runs with autolog inside the user's run
    run_cell(page, 2)

    # Then the sweep panel shows its six candidates and names mean_test_score the objective
    live = page.get_by_test_id("labtrack-live-plot").last
    panel = live.get_by_test_id("labtrack-sweep")
    expect(live.get_by_test_id("labtrack-run-status")).to_have_text("FINISHED", timeout=120_000)
    expect(panel).to_have_attribute("data-trials", "6", timeout=30_000)
    summary = panel.get_by_test_id("labtrack-sweep-summary")
    expect(summary).to_contain_text("best mean_test_score")
    # And only the params that vary are axes until the constant ones are asked for
    toggle = panel.get_by_test_id("labtrack-sweep-constant")
    expect(toggle).to_contain_text("Show 17 more axes")
    # (the objective, colouring the lines, is the last axis)
    expect(panel).to_have_attribute("data-axes", "5")
    page.wait_for_function(
        "() => document.querySelectorAll("
        "'[data-testid=labtrack-sweep-parallel] [data-axis]').length === 5"
    )
    assert axes(page) == ["C", "kernel", "rank_test_score", "std_test_score", "mean_test_score"]
    # And a score each trial logged once reads as values, not as charts of one dot
    tile = live.locator("[data-testid=labtrack-chart][data-metric=rank_test_score]")
    expect(tile).to_have_attribute("data-kind", "value")
    expect(tile.get_by_test_id("labtrack-chart-tile")).to_contain_text("1")
    live.scroll_into_view_if_needed()
    live.screenshot(path=artifacts_dir / "your-code-grid-search-light.png")
    switch_theme("JupyterLab Dark")
    expect(page.locator("body")).to_have_attribute("data-jp-theme-light", "false")
    live.screenshot(path=artifacts_dir / "your-code-grid-search-dark.png")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_text("Hide constant params and timings")
    expect(panel).to_have_attribute("data-axes", "22")
    page.wait_for_function(
        "() => document.querySelectorAll("
        "'[data-testid=labtrack-sweep-parallel] [data-axis]').length === 22"
    )
    switch_theme("JupyterLab Light")
