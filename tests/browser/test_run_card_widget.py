"""labtrack's run card (Python `RunCard` + the ESM bundle built from js/widgets/) in JupyterLab.

The notebook is written by the test into the server's temporary root, so the card can be put
in states a real run passes through (RUNNING for a minute, then FINISHED) without waiting.
"""

from __future__ import annotations

import json
import re

from playwright.sync_api import Page, expect

NOTEBOOK = "run_card_widget.ipynb"
RUN_ID = "0123456789abcdef0123456789abcdef"
RUN_NAME = "<b>churn</b> & co"  # rendered as text, never as markup

DEFINE_AND_SHOW = f"""\
import time
from labtrack.widgets.run_card import RunCard

card = RunCard(
    run_id={RUN_ID!r}, run_name={RUN_NAME!r}, experiment_name="quickstart",
    status="RUNNING", start_time_ms=int(time.time() * 1000) - 65_000,
)
card"""

FINISH = """\
card.end_time_ms = card.start_time_ms + 754_000
card.status = "FINISHED\""""


def _write_notebook(path) -> None:
    cells = [
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": source,
        }
        for source in (DEFINE_AND_SHOW, FINISH)
    ]
    path.write_text(
        json.dumps(
            {
                "cells": cells,
                "metadata": {
                    "kernelspec": {
                        "name": "python3",
                        "display_name": "Python 3 (ipykernel)",
                        "language": "python",
                    }
                },
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        )
    )


def _run_cell(page: Page, index: int) -> None:
    cell = page.locator(".jp-Notebook .jp-CodeCell").nth(index)
    cell.locator(".jp-InputPrompt").click()
    page.keyboard.press("Shift+Enter")
    expect(cell.locator(".jp-InputPrompt")).not_to_have_text("[ ]:")


def test_run_card_shows_run_and_follows_trait_changes(
    page, lab, open_lab, idle_kernel, contrast, switch_theme, artifacts_dir
):
    # Given a notebook that shows a RUNNING run card started 65 s ago
    _write_notebook(lab.root_dir / NOTEBOOK)
    # Before the page loads, so the card's timer runs on a clock the test can move on
    page.clock.install()
    open_lab(lab, f"lab/tree/{NOTEBOOK}")
    idle_kernel()
    _run_cell(page, 0)
    card = page.get_by_test_id("labtrack-run-card")
    expect(card).to_be_visible(timeout=60_000)

    # Then it shows the name as text, the short id, the experiment and a ticking clock
    expect(page.get_by_test_id("labtrack-run-name")).to_have_text(RUN_NAME)
    expect(card.locator("b")).to_have_count(0)
    expect(page.get_by_test_id("labtrack-run-id")).to_have_text(RUN_ID[:8])
    expect(page.get_by_test_id("labtrack-run-experiment")).to_have_text("quickstart")
    badge = page.get_by_test_id("labtrack-run-status")
    expect(badge).to_have_text("RUNNING")
    elapsed = page.get_by_test_id("labtrack-run-elapsed")
    expect(elapsed).to_have_text(re.compile(r"^1 min 0\d s$"))
    first = elapsed.inner_text()
    expect(elapsed).not_to_have_text(first, timeout=5_000)
    assert contrast("[data-testid=labtrack-run-name]", ".lt-w-card") >= 4.5
    card.scroll_into_view_if_needed()
    card.screenshot(path=artifacts_dir / "run-card-running-light.png")

    # When the kernel sets the end time and status
    _run_cell(page, 1)

    # Then the card shows FINISHED with the run's duration, and the clock stops
    expect(badge).to_have_text("FINISHED", timeout=30_000)
    expect(card).to_have_attribute("data-status", "FINISHED")
    expect(elapsed).to_have_text("12 min 34 s")
    # A clock still ticking would have shown another time on a tick in this 1.5 s
    page.clock.run_for(1_500)
    expect(elapsed).to_have_text("12 min 34 s")

    # And it stays readable in the dark theme
    switch_theme("JupyterLab Dark")
    assert contrast("[data-testid=labtrack-run-name]", ".lt-w-card") >= 4.5
    assert contrast("[data-testid=labtrack-run-elapsed]", ".lt-w-card") >= 3.0
    card.screenshot(path=artifacts_dir / "run-card-finished-dark.png")
    page.screenshot(path=artifacts_dir / "run-card-notebook-dark.png")
