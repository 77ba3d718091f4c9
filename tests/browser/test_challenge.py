"""`%track challenge` on examples/registry.ipynb's two versions, in JupyterLab: the notebook's
own challenge fails its gate and offers nothing; a challenge that passes is promoted from
the widget, and the Models panel shows each version's latest challenge."""

from __future__ import annotations

import re

from mlflow import MlflowClient
from playwright.sync_api import Page, expect
from test_quickstart import _choose_kernel_if_asked, _run_all_cells

from labtrack.registry import ModelRegistry, load_signer

NOTEBOOK = "registry.ipynb"
MODEL = "house-prices"
RUN_ALL_TIMEOUT_MS = 300_000
# v2 back on @champion, then v1 challenges it: v1's R² is ~0.010 higher on eval_df.
PASSING = (
    f"%track promote {MODEL} 2 --alias champion --reason trial\n"
    f"%track challenge {MODEL} --champion @champion --challenger 1 --data eval_df "
    "--target price --threshold r2_score:+0.005"
)


def _add_cell_at_end_and_run(page: Page, source: str) -> None:
    page.locator(".jp-Notebook .jp-Cell").last.locator(".jp-InputPrompt").click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")  # a new cell below, in edit mode after Enter
    page.keyboard.press("Enter")
    page.keyboard.type(source)
    page.keyboard.press("Shift+Enter")


def test_a_challenge_is_shown_side_by_side_and_promoted_only_when_it_passes(
    page, extra_lab, open_lab, idle_kernel, switch_theme, artifacts_dir
):
    # Given examples/registry.ipynb run top to bottom in JupyterLab
    server = extra_lab("challenge")
    open_lab(server, f"lab/tree/{NOTEBOOK}")
    expect(page.locator(".jp-NotebookPanel .jp-Notebook")).to_be_visible(timeout=60_000)
    _choose_kernel_if_asked(page)
    idle_kernel()
    _run_all_cells(page)
    cells = page.locator(".jp-Notebook .jp-CodeCell")
    for i in range(cells.count()):
        expect(cells.nth(i).locator(".jp-InputPrompt")).to_have_text(
            re.compile(r"^\[\d+\]:$"), timeout=RUN_ALL_TIMEOUT_MS
        )
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']")
    expect(errors).to_have_count(0)

    # Then its challenge of v2 against @champion is shown, failed, with MLflow's numbers
    challenge_cell = cells.filter(
        has=page.locator(".jp-InputArea", has_text="%track challenge")
    ).first
    challenge_cell.scroll_into_view_if_needed()  # JupyterLab renders cells as they show
    failed = challenge_cell.get_by_test_id("labtrack-challenge-widget")
    expect(failed.get_by_test_id("labtrack-challenge-verdict")).to_have_text(
        "gate failed", timeout=60_000
    )
    expect(failed.get_by_test_id("labtrack-challenge-failures")).to_contain_text(
        "r2_score minimum absolute change check failed"
    )
    expect(failed.get_by_test_id("labtrack-challenge-metric-r2_score")).to_contain_text("champion")
    expect(failed.get_by_test_id("labtrack-challenge-promote")).to_have_count(0)
    expect(failed.locator(".lt-w-chal-plot.js-plotly-plot").first).to_be_visible(timeout=60_000)
    failed.scroll_into_view_if_needed()
    failed.screenshot(path=artifacts_dir / "challenge-failed-light.png")

    # When v1 challenges v2 on @champion with a gate it passes, and Promote is confirmed
    _add_cell_at_end_and_run(page, PASSING)
    # (Shift+Enter leaves a new empty cell below the one it ran)
    passing_cell = cells.filter(has=page.locator(".jp-InputArea", has_text="--challenger 1"))
    passed = passing_cell.last.get_by_test_id("labtrack-challenge-widget")
    expect(passed.get_by_test_id("labtrack-challenge-verdict")).to_have_text(
        "gate passed", timeout=120_000
    )
    expect(passed.locator(".lt-w-chal-plot.js-plotly-plot")).to_have_count(2, timeout=60_000)
    passed.scroll_into_view_if_needed()
    passed.screenshot(path=artifacts_dir / "challenge-passed-light.png")
    client = MlflowClient(tracking_uri=server.tracking_uri, registry_uri=server.tracking_uri)
    assert client.get_registered_model(MODEL).aliases == {"champion": 2}
    passed.get_by_test_id("labtrack-challenge-promote").click()
    passed.get_by_test_id("labtrack-challenge-promote-yes").click()

    # Then @champion moves to v1, and the audit entry cites the evaluation run
    expect(passed.get_by_test_id("labtrack-challenge-notice")).to_contain_text(
        "version 1 is now @champion", timeout=60_000
    )
    assert client.get_registered_model(MODEL).aliases == {"champion": 1}
    signer = load_signer(environ={"LABTRACK_HOME": str(server.labtrack_home)})
    move = ModelRegistry(client, signer=signer).history(MODEL)[-1]
    run_id = passed.get_by_test_id("labtrack-challenge-run").inner_text().split()[-1]
    assert (move.action, move.after, move.evidence, move.verified) == ("alias", "1", run_id, True)
    switch_theme("JupyterLab Dark")
    passed.scroll_into_view_if_needed()
    expect(passed.locator(".lt-w-chal-plot.js-plotly-plot")).to_have_count(2)
    passed.screenshot(path=artifacts_dir / "challenge-passed-dark.png")

    # And the Models panel shows each version's latest challenge
    page.locator('.lm-TabBar-tab[data-id="labtrack-models"]').click()
    panel = page.get_by_test_id("labtrack-models-panel")
    expect(panel.get_by_test_id("labtrack-models-challenge-1")).to_contain_text(
        "passed its challenge of v2", timeout=30_000
    )
    expect(panel.get_by_test_id("labtrack-models-challenge-2")).to_contain_text("lost to")
    panel.screenshot(path=artifacts_dir / "challenge-models-panel-dark.png")
