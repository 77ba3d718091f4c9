"""``%track runs`` in a real JupyterLab: sort and filter the table, click rows, and
``table.selected`` in the kernel is the DataFrame of those rows; readable light and dark."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from test_compare_widget import LOAD, LOG_RUNS
from test_live_plot import run_cell, write_notebook

NOTEBOOK = "runs.ipynb"
TABLE = "t = %track runs --max 10\nt"
PRINT_SELECTED = "print('SELECTED', sorted(t.selected['tags.mlflow.runName']))"


def cell_output(page: Page, index: int):
    return page.locator(".jp-Notebook .jp-CodeCell").nth(index).locator(".jp-OutputArea")


def test_selecting_rows_in_the_table_gives_their_dataframe_in_the_kernel(
    page, extra_lab, open_lab, idle_kernel, artifacts_dir, switch_theme
):
    # Given six runs and their table
    lab = extra_lab("runs-widget")
    page.set_viewport_size({"width": 1280, "height": 1100})
    write_notebook(lab.root_dir / NOTEBOOK, LOAD, LOG_RUNS, TABLE, PRINT_SELECTED)
    open_lab(lab, f"lab/tree/{NOTEBOOK}")
    idle_kernel()
    run_cell(page, 0)
    run_cell(page, 1)
    expect(cell_output(page, 1)).to_contain_text("logged", timeout=60_000)
    run_cell(page, 2)
    table = page.get_by_test_id("labtrack-runs-table")
    expect(table).to_have_attribute("data-shown", "6", timeout=60_000)
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(6)

    # When sorted by accuracy, descending (a second click), the best run comes first
    header = table.locator("th[data-column='metrics.accuracy']")
    header.click()
    header.click()
    expect(header).to_have_attribute("aria-sort", "descending")
    expect(rows.first).to_contain_text("trial-5")

    # When filtered to the sgd runs, three remain
    table.get_by_test_id("labtrack-runs-filter").fill("sgd")
    expect(table).to_have_attribute("data-shown", "3")
    table.screenshot(path=artifacts_dir / "runs-widget-light.png")

    # When two rows are clicked
    rows.nth(0).click()
    rows.nth(1).click()
    expect(table).to_have_attribute("data-selected", "2")

    # Then table.selected in the kernel holds those two runs
    run_cell(page, 3)
    expect(cell_output(page, 3)).to_contain_text("SELECTED ['trial-2', 'trial-4']", timeout=30_000)

    # And the table reads in the dark theme
    light = table.evaluate("el => getComputedStyle(el).backgroundColor")
    switch_theme("JupyterLab Dark")
    # The shot is of the table in the dark theme's colours, not of the swap
    expect(table).not_to_have_css("background-color", light)
    table.screenshot(path=artifacts_dir / "runs-widget-dark.png")
