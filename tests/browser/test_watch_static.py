"""`%track watch` leaves what a tracked cell leaves: once the watched run ends, the live
plot is replaced in place by its static form, so the saved notebook shows the run as it
ended (status, charts) with no kernel, and never a stale RUNNING."""

from __future__ import annotations

import json
import time

import mlflow
from playwright.sync_api import Page, expect

NOTEBOOK = "watch-static.ipynb"
LOAD = "%load_ext labtrack"
TIMEOUT_MS = 60_000
STATIC_MIME = "application/vnd.labtrack.static+json"


def _write_notebook(path, *sources: str) -> None:
    cells = [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": s}
        for s in sources
    ]
    kernelspec = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    notebook = {"cells": cells, "metadata": {"kernelspec": kernelspec}}
    path.write_text(json.dumps({**notebook, "nbformat": 4, "nbformat_minor": 5}))


def _run_cell(page: Page, index: int) -> None:
    page.locator(".jp-Notebook .jp-CodeCell").nth(index).locator(".jp-InputPrompt").click()
    page.keyboard.press("Shift+Enter")


def _saved_watch_output(path) -> dict:
    """The data of the watch cell's one output once a save put labtrack's form on disk."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        outputs = json.loads(path.read_text())["cells"][1]["outputs"]
        data = outputs[0].get("data", {}) if outputs else {}
        if STATIC_MIME in data:
            return data
        time.sleep(0.2)  # polling the file for the condition, not waiting a fixed time
    raise AssertionError(f"no static form saved within {TIMEOUT_MS} ms: {sorted(data)}")


def test_a_watched_run_that_ends_leaves_its_static_form_in_the_saved_notebook(
    page, lab, open_lab, idle_kernel, artifacts_dir
):
    # Given a run logged with plain MLflow (as a script or another kernel would)
    mlflow.set_tracking_uri(lab.tracking_uri)
    with mlflow.start_run(run_name="watched-job") as run:
        for step in range(40):
            mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
    run_id = run.info.run_id
    path = lab.root_dir / NOTEBOOK
    _write_notebook(path, LOAD, f"%track watch {run_id}")
    open_lab(lab, f"lab/tree/{NOTEBOOK}")
    idle_kernel()
    _run_cell(page, 0)

    # When the notebook watches it
    _run_cell(page, 1)
    cell = page.locator(".jp-Notebook .jp-CodeCell").nth(1)
    live = cell.get_by_test_id("labtrack-live-plot")
    expect(live.get_by_test_id("labtrack-run-status")).to_have_text("FINISHED", timeout=TIMEOUT_MS)
    expect(live.locator("[data-metric=loss]")).to_have_attribute("data-points", "40")

    # Then the output is replaced in place by one labtrack's renderer shows (the widget,
    # while its model lives), and saved it holds the static form of the ended run
    expect(cell.locator(".jp-LabtrackOutput")).to_have_count(1, timeout=TIMEOUT_MS)
    expect(cell.get_by_test_id("labtrack-run-status")).to_have_text("FINISHED")
    page.keyboard.press("Control+s")
    data = _saved_watch_output(path)
    html = data["text/html"]
    html = "".join(html) if isinstance(html, list) else html
    assert "watched-job" in html and "FINISHED" in html and "RUNNING" not in html
    assert "data:image/svg+xml" in html and "<script" not in html.lower()  # the loss chart
    cell.screenshot(path=artifacts_dir / "watch-static-finished.png")
