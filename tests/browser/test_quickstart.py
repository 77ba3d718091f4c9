"""examples/quickstart.ipynb run in JupyterLab the way a person runs it: Run → Run All Cells."""

from __future__ import annotations

import json
import re

import mlflow
from playwright.sync_api import Page, expect

NOTEBOOK = "quickstart.ipynb"
SUMMARY = re.compile(r"labtrack: run .* FINISHED")
RUN_ALL_TIMEOUT_MS = 240_000


def _choose_kernel_if_asked(page: Page) -> None:
    dialog = page.locator(".jp-Dialog")
    try:
        dialog.wait_for(state="visible", timeout=3_000)
    except Exception:  # no kernel dialog: the notebook's kernelspec was started directly
        return
    dialog.locator(".jp-Dialog-footer .jp-mod-accept").click()
    expect(dialog).to_be_hidden()


def _run_all_cells(page: Page) -> None:
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-item", has_text="Run All Cells").first.click()


def test_quickstart_run_all_records_a_finished_run(page, lab, open_lab, idle_kernel, artifacts_dir):
    # Given examples/quickstart.ipynb open in JupyterLab with an idle Python 3 kernel
    open_lab(lab, f"lab/tree/{NOTEBOOK}")
    expect(page.locator(".jp-NotebookPanel .jp-Notebook")).to_be_visible(timeout=60_000)
    _choose_kernel_if_asked(page)
    idle_kernel()
    tracked_cell = page.locator(".jp-CodeCell").filter(
        has=page.locator(".jp-InputArea", has_text="%%track")
    )
    expect(tracked_cell).to_have_count(1)

    # When all cells are run from the Run menu
    _run_all_cells(page)

    # Then the tracked cell reports its run FINISHED, every cell ran, and none raised
    expect(tracked_cell.locator(".jp-OutputArea")).to_contain_text(
        SUMMARY, timeout=RUN_ALL_TIMEOUT_MS
    )
    card = tracked_cell.get_by_test_id("labtrack-run-card")
    expect(card).to_have_count(1)
    expect(card.get_by_test_id("labtrack-run-status")).to_have_text("FINISHED")
    expect(card.get_by_test_id("labtrack-run-name")).to_have_text("churn-gbm")
    expect(card.get_by_test_id("labtrack-run-experiment")).to_have_text("quickstart")
    code_cells = page.locator(".jp-Notebook .jp-CodeCell")
    cell_count = code_cells.count()
    for i in range(cell_count):
        expect(code_cells.nth(i).locator(".jp-InputPrompt")).to_have_text(
            re.compile(r"^\[\d+\]:$"), timeout=RUN_ALL_TIMEOUT_MS
        )
    tracked_cell.scroll_into_view_if_needed()
    page.screenshot(path=artifacts_dir / "quickstart-tracked-cell.png")
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']")
    expect(errors).to_have_count(0)

    # And the run is in the store under LABTRACK_HOME, attributed to the notebook
    client = mlflow.MlflowClient(tracking_uri=lab.tracking_uri)
    experiment_ids = [e.experiment_id for e in client.search_experiments()]
    runs = client.search_runs(experiment_ids, filter_string="attributes.status = 'FINISHED'")
    from_notebook = [
        r for r in runs if r.data.tags.get("mlflow.source.name", "").endswith(NOTEBOOK)
    ]
    assert from_notebook, [r.data.tags.get("mlflow.source.name") for r in runs]

    # And the run knows the exact notebook cell it came from (JupyterLab sends the cell id)
    notebook = json.loads((lab.root_dir / NOTEBOOK).read_text())
    (tracked_id,) = [
        c["id"] for c in notebook["cells"] if "".join(c["source"]).startswith("%%track")
    ]
    assert [r.data.tags.get("labtrack.cell.id") for r in from_notebook] == [tracked_id]

    # And the card under the cell names that run
    short_ids = {r.info.run_id[:8] for r in from_notebook}
    assert card.get_by_test_id("labtrack-run-id").inner_text() in short_ids

    # And the Runs panel still shows a reachable backend next to the notebook
    page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id='labtrack-runs']").click()
    expect(page.get_by_test_id("labtrack-backend-reachability")).to_have_attribute(
        "data-reachable", "true", timeout=30_000
    )
    page.screenshot(path=artifacts_dir / "quickstart-with-runs-panel.png")
