"""`%track reproduce` in a real JupyterLab: the run's cell comes back as a new cell below."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from test_live_plot import write_notebook

TRACKED = "%%track --name repro-me\nanswer = 21 * 2\nanswer"
FIND_RUN = "import mlflow\nrid = mlflow.last_active_run().info.run_id"
REPRODUCE = "%track reproduce $rid"


def test_reproduce_inserts_the_runs_cell_below_and_overwrites_nothing(
    page, extra_lab, open_lab, idle_kernel, artifacts_dir
):
    # Given a notebook that tracks a cell, then asks to reproduce its run
    lab = extra_lab("reproduce")
    write_notebook(lab.root_dir / "repro.ipynb", "%load_ext labtrack", TRACKED, FIND_RUN, REPRODUCE)
    open_lab(lab, "lab/tree/repro.ipynb")
    cells = page.locator(".jp-Notebook .jp-Cell")
    expect(cells).to_have_count(4, timeout=60_000)
    idle_kernel()

    # When every cell is run
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-item", has_text="Run All Cells").first.click()

    # Then a fifth cell appears below the reproduce cell, holding the run's %%track cell
    expect(cells).to_have_count(5, timeout=120_000)
    inserted = cells.nth(4).locator(".jp-InputArea")
    expect(inserted).to_contain_text("%%track")
    expect(inserted).to_contain_text("answer = 21 * 2")
    # And the cells that were there keep their sources and order
    expect(cells.nth(1).locator(".jp-InputArea")).to_contain_text("%%track --name repro-me")
    expect(cells.nth(3).locator(".jp-InputArea")).to_contain_text("%track reproduce $rid")
    report = cells.nth(3).locator(".jp-OutputArea")
    expect(report).to_contain_text("the run's cell is inserted below")
    # MLflow's download progress bar is kept out of the report
    expect(report).not_to_contain_text("Downloading artifacts")
    page.screenshot(path=artifacts_dir / "reproduce-inserted-cell.png")
