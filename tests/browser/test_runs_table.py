"""The Runs table in the sidebar, as a person uses it: pick an experiment, sort, filter,
choose columns, list this notebook's runs, select with the keyboard, watch a run go live."""

from __future__ import annotations

import re
import uuid

import pytest
from mlflow import MlflowClient
from playwright.sync_api import Page, expect
from run_rows import RunRow, insert_runs
from sample_store import populate
from test_live_plot import write_notebook

RUNS_TAB = ".jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id='labtrack-runs']"
HTML_NAME = "<img src=x onerror=alert(1)>"
# Written straight into MLflow's tables (MLflow's client takes ~10 ms a run); every
# four runs share a start time, so pages end inside ties.
BULK_RUNS = 3000


@pytest.fixture(scope="module")
def table_lab(extra_lab):
    """A JupyterLab whose store holds the sample runs, a run named with HTML, a notebook's
    runs, and an experiment of BULK_RUNS runs to page through."""
    lab = extra_lab("runs-table")
    sample = populate(lab.tracking_uri, lab.labtrack_home / "artifacts")
    client = MlflowClient(tracking_uri=lab.tracking_uri, registry_uri=lab.tracking_uri)
    client.set_terminated(client.create_run(sample.experiment_id, run_name=HTML_NAME).info.run_id)

    notebook = lab.root_dir / "studies" / "mine.ipynb"
    notebook.parent.mkdir()
    write_notebook(notebook, "print('a notebook with runs')")
    mine = client.create_experiment("notebook-runs", str(lab.labtrack_home / "artifacts" / "nb"))
    for name in ("mine-1", "mine-2"):
        run = client.create_run(mine, run_name=name, tags={"mlflow.source.name": str(notebook)})
        client.set_terminated(run.info.run_id)
    other = client.create_run(
        mine, run_name="elsewhere", tags={"mlflow.source.name": "/elsewhere/other.ipynb"}
    )
    client.set_terminated(other.info.run_id)

    bulk = client.create_experiment("bulk", str(lab.labtrack_home / "artifacts" / "bulk"))
    insert_runs(
        lab.tracking_uri,
        bulk,
        [
            RunRow(uuid.uuid4().hex, f"bulk-{index:04d}", 1_700_000_000_000 + index // 4)
            for index in range(BULK_RUNS)
        ],
    )
    return lab


def open_runs_panel(page: Page, open_lab, lab, path: str = "lab"):
    open_lab(lab, path)
    page.locator(RUNS_TAB).click()
    panel = page.get_by_test_id("labtrack-runs-panel")
    expect(panel.get_by_test_id("labtrack-experiment")).to_be_visible(timeout=30_000)
    return panel


def choose_experiment(panel, name: str) -> None:
    panel.get_by_test_id("labtrack-experiment").select_option(label=name)


def row_names(panel) -> list[str]:
    return panel.locator(".lt-RunsTable-row [data-column=name]").all_inner_texts()


def test_rows_sort_by_any_column_and_show_chosen_metric_columns(
    page, table_lab, open_lab, artifacts_dir
):
    # Given the Runs panel on the sample experiment (16 runs, newest first)
    panel = open_runs_panel(page, open_lab, table_lab)
    choose_experiment(panel, "api-tests")
    expect(panel.get_by_test_id("labtrack-runs-count")).to_have_text("17 runs")
    assert row_names(panel)[0] == HTML_NAME  # created last

    # When the Started header is clicked, the oldest run comes first
    panel.locator(".lt-RunsTable-sort[data-column=start]").click()
    expect(panel.locator(".lt-RunsTable-row [data-column=name]").first).to_have_text("run-00")
    expect(panel.locator("[role=columnheader][aria-sort=ascending]")).to_have_count(1)

    # When the accuracy metric is chosen as a column and sorted by (a new column sorts
    # descending first: best metric on top)
    panel.get_by_test_id("labtrack-columns").locator("summary").click()
    panel.locator("input[data-column='metrics.accuracy']").check()
    panel.get_by_test_id("labtrack-columns").locator("summary").click()
    header = panel.locator(".lt-RunsTable-sort[data-column='metrics.accuracy']")
    expect(header).to_be_visible()
    header.click()

    # Then the best run is first and its accuracy is shown in the new column
    first = panel.locator(".lt-RunsTable-row").first
    expect(first.locator("[data-column=name]")).to_have_text("run-11")
    expect(first.locator("[data-column='metrics.accuracy']")).to_have_text("0.6100")
    page.screenshot(path=artifacts_dir / "runs-table-sorted.png")


def test_filter_narrows_rows_and_a_malformed_one_shows_the_servers_error(
    page, table_lab, open_lab, artifacts_dir
):
    panel = open_runs_panel(page, open_lab, table_lab)
    choose_experiment(panel, "api-tests")
    expect(panel.get_by_test_id("labtrack-runs-count")).to_have_text("17 runs")
    box = panel.get_by_test_id("labtrack-filter")

    # When an MLflow filter is typed and Enter pressed
    box.fill("metrics.accuracy > 0.55 and tags.team = 'vision'")
    box.press("Enter")

    # Then only the matching runs are listed, newest first
    expect(panel.get_by_test_id("labtrack-runs-count")).to_have_text("3 runs")
    assert row_names(panel) == ["run-11", "run-09", "run-07"]

    # When the filter is malformed, the server's message is shown under the box
    box.fill("metrics.accuracy >>> 1")
    box.press("Enter")
    error = panel.get_by_test_id("labtrack-filter-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("Invalid comparator")
    expect(box).to_have_attribute("aria-invalid", "true")
    page.screenshot(path=artifacts_dir / "runs-table-filter-error.png")

    # When Escape is pressed in the box, the filter is cleared and every run is back
    box.press("Escape")
    expect(panel.get_by_test_id("labtrack-filter-error")).to_have_count(0)
    expect(panel.get_by_test_id("labtrack-runs-count")).to_have_text("17 runs")


def test_this_notebook_lists_only_the_active_notebooks_runs(page, table_lab, open_lab):
    # Given studies/mine.ipynb open, which has two runs in "notebook-runs" (a third is elsewhere)
    panel = open_runs_panel(page, open_lab, table_lab, "lab/tree/studies/mine.ipynb")
    expect(page.locator(".jp-NotebookPanel")).to_be_visible(timeout=60_000)
    choose_experiment(panel, "notebook-runs")
    expect(panel.get_by_test_id("labtrack-runs-count")).to_have_text("3 runs")

    # When "This notebook" is ticked
    panel.get_by_test_id("labtrack-this-notebook").check()

    # Then only that notebook's runs are listed
    expect(panel.get_by_test_id("labtrack-runs-count")).to_have_text("2 runs")
    assert sorted(row_names(panel)) == ["mine-1", "mine-2"]


def test_a_run_named_with_html_renders_as_text(page, table_lab, open_lab):
    panel = open_runs_panel(page, open_lab, table_lab)
    choose_experiment(panel, "api-tests")
    row = panel.locator(".lt-RunsTable-row").first
    expect(row.locator("[data-column=name]")).to_have_text(HTML_NAME)
    expect(panel.locator(".lt-RunsTable img")).to_have_count(0)


def test_a_run_opens_in_details_by_its_name_or_by_enter(page, table_lab, open_lab):
    panel = open_runs_panel(page, open_lab, table_lab)
    choose_experiment(panel, "api-tests")
    details = page.get_by_test_id("labtrack-run-details")

    # When a run's name is clicked, its details open in the main area
    panel.locator(".lt-RunsTable-row", has_text="run-11").locator(".lt-RunsTable-open").click()
    expect(details.get_by_test_id("labtrack-run-name")).to_have_text("run-11", timeout=20_000)

    # When another row is focused with the keyboard and Enter pressed, that run opens too
    body = panel.locator(".lt-RunsTable-body")
    body.focus()
    body.press("Home")
    body.press("Enter")
    expect(details.filter(has_text=HTML_NAME).get_by_test_id("labtrack-run-name")).to_have_text(
        HTML_NAME, timeout=20_000
    )


def test_keyboard_moves_through_rows_and_space_selects(page, table_lab, open_lab):
    panel = open_runs_panel(page, open_lab, table_lab)
    choose_experiment(panel, "api-tests")
    expect(panel.get_by_test_id("labtrack-runs-count")).to_have_text("17 runs")
    body = panel.locator(".lt-RunsTable-body")

    # When the table is focused and rows are chosen with arrows and Space
    body.focus()
    body.press("Space")
    body.press("ArrowDown")
    body.press("ArrowDown")
    body.press("Space")
    body.press("ArrowDown")
    body.press("Space")

    # Then three runs are selected: the first, the third and the fourth
    expect(panel.get_by_test_id("labtrack-selected-count")).to_have_text("3 selected")
    selected = panel.locator(".lt-RunsTable-row[aria-selected=true] [data-column=name]")
    names = row_names(panel)
    assert selected.all_inner_texts() == [names[0], names[2], names[3]]
    expect(panel.locator(".lt-RunsTable-row.lt-mod-focused [data-column=name]")).to_have_text(
        names[3]
    )

    # When Space is pressed again on the focused row, it is unselected
    body.press("Space")
    expect(panel.get_by_test_id("labtrack-selected-count")).to_have_text("2 selected")


def test_scrolling_loads_every_page_of_many_runs_once(page, table_lab, open_lab):
    # Given an experiment of 3,000 runs (ties in start time) and a page size of 200
    panel = open_runs_panel(page, open_lab, table_lab)
    choose_experiment(panel, "bulk")
    count = panel.get_by_test_id("labtrack-runs-count")
    expect(count).to_have_text("200+ runs")

    # When the table is scrolled to its end again and again, a page arriving each time
    body = panel.locator(".lt-RunsTable-body")
    body.focus()
    for loaded in range(400, BULK_RUNS, 200):
        body.press("End")
        expect(count).to_have_text(f"{loaded}+ runs")
    body.press("End")

    # Then every run is listed exactly once, only the rows in view exist in the page, and
    # the last row is one of the four oldest runs
    expect(count).to_have_text(f"{BULK_RUNS} runs")
    assert panel.locator(".lt-RunsTable-row").count() < 80
    body.press("End")
    last = panel.locator(".lt-RunsTable-row.lt-mod-focused [data-column=name]")
    expect(last).to_have_text(re.compile(r"^bulk-000[0-3]$"))


TRACKED = """\
%%track --experiment live-table --name slow-run
import time
import mlflow
for step in range(12):
    mlflow.log_metric("loss", 1 / (step + 1), step=step)
    time.sleep(0.5)
"""


def test_a_running_run_shows_live_and_flips_to_finished_by_itself(
    page, table_lab, open_lab, idle_kernel, artifacts_dir, switch_theme, contrast
):
    # Given a notebook with a slow tracked cell, and the Runs panel open beside it
    write_notebook(table_lab.root_dir / "slow.ipynb", "%load_ext labtrack", TRACKED)
    panel = open_runs_panel(page, open_lab, table_lab, "lab/tree/slow.ipynb")
    expect(page.locator(".jp-NotebookPanel")).to_be_visible(timeout=60_000)
    idle_kernel()

    # When both cells are run (the panel is never refreshed by hand)
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator(".lm-Menu-item", has_text="Run All Cells").first.click()

    # Then the panel switches to the cell's experiment and shows the run RUNNING, live
    row = panel.locator(".lt-RunsTable-row", has_text="slow-run")
    experiment = panel.get_by_test_id("labtrack-experiment")
    expect(experiment.locator("option:checked")).to_have_text("live-table", timeout=20_000)
    expect(row.get_by_test_id("labtrack-row-status")).to_have_text("RUNNING", timeout=20_000)
    expect(row.locator(".lt-Status-live")).to_have_count(1)
    page.screenshot(path=artifacts_dir / "runs-table-running.png")

    # And it becomes FINISHED without a manual refresh
    expect(row.get_by_test_id("labtrack-row-status")).to_have_text("FINISHED", timeout=30_000)
    expect(row.locator(".lt-Status-live")).to_have_count(0)

    # The same panel reads well in the dark theme
    switch_theme("JupyterLab Dark")
    if not panel.is_visible():
        page.locator(RUNS_TAB).click()
    expect(row).to_be_visible()
    for selector in (".lt-RunsTable-open", ".lt-Status.lt-mod-finished", ".lt-RunsTable-sort"):
        assert contrast(selector, ".lt-RunsPanel") >= 4.5, selector
    page.screenshot(path=artifacts_dir / "runs-table-dark.png")


def test_settings_choose_the_default_experiment_and_columns(page, table_lab, open_lab):
    # Given the panel's settings, as the settings editor saves them
    settings = table_lab.settings_dir / "labtrack" / "runs-panel.jupyterlab-settings"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(
        '{"defaultExperiment": "api-tests", "defaultColumns": ["metrics.accuracy", "params.lr"]}'
    )
    try:
        # When JupyterLab opens and the Runs panel is shown
        open_lab(table_lab)
        page.locator(RUNS_TAB).click()
        panel = page.get_by_test_id("labtrack-runs-panel")

        # Then it shows that experiment with those columns, without being asked
        experiment = panel.get_by_test_id("labtrack-experiment")
        expect(experiment.locator("option:checked")).to_have_text("api-tests", timeout=30_000)
        expect(panel.get_by_test_id("labtrack-runs-count")).to_have_text("17 runs")
        row = panel.locator(".lt-RunsTable-row", has_text="run-11")
        expect(row.locator("[data-column='metrics.accuracy']")).to_have_text("0.6100")
        expect(row.locator("[data-column='params.lr']")).to_have_text("0.008333333333333333")
    finally:
        settings.unlink()
