"""Promote and roll back a model from the Models sidebar and from the `%track models` widget."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mlflow import MlflowClient
from mlflow.entities import Dataset, DatasetInput
from playwright.sync_api import Page, expect
from registry_store import log_model_run

from labtrack.backend import prepare_backend, resolve_backend
from labtrack.registry import ApprovalPolicy, ModelRegistry, load_signer

MODEL = "house-prices"
NOTEBOOK = "registry_widget.ipynb"
LOAD_NOTEBOOK = "registry_load.ipynb"
# A JupyterHub-style hex user id: long enough to wrap badly unless cut short.
HEX_USER = "9f2c4e1a7b3d5f60a8c2e4b6d8f0a1c3"
COMMIT = "3b18e8c0a5d94f2e7c61b0a9d8e7f6a5b4c3d2e1"
DIGEST = "5a1f0c9e"


@pytest.fixture(scope="module")
def registry_lab(extra_lab):
    """A lab whose store holds MODEL with versions 1 and 2 and @champion on version 1."""
    server = extra_lab("registry")
    location = resolve_backend(environ={"LABTRACK_HOME": str(server.labtrack_home)})
    prepare_backend(location)
    run_id = log_model_run(location.tracking_uri, Path(location.artifact_root))
    client = MlflowClient(tracking_uri=location.tracking_uri, registry_uri=location.registry_uri)
    # The lineage a %%track cell records: notebook, commit, a dataset with its digest
    client.set_tag(run_id, "labtrack.notebook.path", "/home/ana/projects/train_prices.ipynb")
    client.set_tag(run_id, "mlflow.source.git.commit", COMMIT)
    dataset = Dataset("prices.csv", DIGEST, "local", "/data/prices.csv")
    client.log_inputs(run_id, datasets=[DatasetInput(dataset)])
    # The lab's signing key (its LABTRACK_HOME's), so what is written here verifies there
    signer = load_signer(environ={"LABTRACK_HOME": str(server.labtrack_home)})
    registry = ModelRegistry(client, user="seed", signer=signer)
    for _ in range(2):
        registry.register(run_id, MODEL)
    registry.promote(MODEL, 1, alias="champion", stage="Production", reason="first release")
    # Staging needs 2 approvals (champion/Production stay free for the tests that move them)
    registry.set_policy(MODEL, ApprovalPolicy(2, frozenset({"Staging"})))
    ModelRegistry(client, user=HEX_USER, signer=signer).approve(MODEL, 2)
    return server, registry


def _champion(registry) -> str:
    return str(registry.model(MODEL).aliases["champion"])


def _open_models_panel(page: Page) -> None:
    panel = page.get_by_test_id("labtrack-models-panel")
    if not panel.is_visible():  # a click on the tab of the shown panel would close it
        page.locator('.lm-TabBar-tab[data-id="labtrack-models"]').click()
    expect(panel.get_by_test_id("labtrack-models-version-2")).to_be_visible(timeout=30_000)


def test_promote_and_roll_back_from_the_sidebar(
    page, registry_lab, open_lab, switch_theme, artifacts_dir
):
    server, registry = registry_lab
    open_lab(server)
    _open_models_panel(page)
    panel = page.get_by_test_id("labtrack-models-panel")
    champion = panel.get_by_test_id("labtrack-models-alias-champion")
    expect(champion).to_contain_text("@champion → v1")

    # When version 2 is promoted to Production + @champion through the confirmation form
    panel.get_by_test_id("labtrack-models-promote-2").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog.get_by_test_id("labtrack-promote-alias")).to_have_value("champion")
    dialog.get_by_test_id("labtrack-promote-stage").select_option("Production")
    dialog.get_by_test_id("labtrack-promote-archive").check()
    dialog.screenshot(path=artifacts_dir / "registry-sidebar-promote-dialog-light.png")
    dialog.get_by_role("button", name="Promote").click()

    # Then the alias and stages move, and the store agrees
    expect(champion).to_contain_text("@champion → v2", timeout=30_000)
    expect(panel.get_by_test_id("labtrack-models-version-1")).to_contain_text("Archived")
    assert _champion(registry) == "2"
    panel.screenshot(path=artifacts_dir / "registry-sidebar-promoted-light.png")

    # When @champion is rolled back, confirmed in a dialog
    panel.get_by_test_id("labtrack-models-rollback-champion").click()
    page.locator(".jp-Dialog").get_by_role("button", name="Roll back").click()

    # Then it returns to version 1 and the history says who did it
    expect(champion).to_contain_text("@champion → v1", timeout=30_000)
    expect(panel.get_by_test_id("labtrack-models-history")).to_contain_text("rolled back @champion")
    assert _champion(registry) == "1"
    # And the panel says @champion now points at an Archived version, with the fixes
    warning = panel.get_by_test_id("labtrack-models-warning-champion")
    expect(warning).to_contain_text("@champion points at v1, which is Archived")
    expect(warning.get_by_test_id("labtrack-models-fix-champion-0")).to_have_text(
        "Move @champion to v2 (Production)"
    )
    switch_theme("JupyterLab Dark")
    _open_models_panel(page)
    page.get_by_test_id("labtrack-models-panel").screenshot(
        path=artifacts_dir / "registry-sidebar-rolled-back-dark.png"
    )


def _write_notebook(path: Path) -> None:
    cell = {
        "cell_type": "code",
        "metadata": {},
        "outputs": [],
        "execution_count": None,
        "source": f"%load_ext labtrack\n%track models {MODEL}",
    }
    kernelspec = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    notebook = {
        "cells": [cell],
        "metadata": {"kernelspec": kernelspec},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(notebook))


def test_promote_and_roll_back_from_the_widget(
    page, registry_lab, open_lab, idle_kernel, switch_theme, artifacts_dir
):
    server, registry = registry_lab
    _write_notebook(server.root_dir / NOTEBOOK)
    open_lab(server, f"lab/tree/{NOTEBOOK}")
    idle_kernel()
    page.locator(".jp-Notebook .jp-CodeCell").first.locator(".jp-InputPrompt").click()
    page.keyboard.press("Shift+Enter")
    widget = page.get_by_test_id("labtrack-registry-widget")
    expect(widget.get_by_test_id("labtrack-registry-version-2")).to_be_visible(timeout=60_000)
    champion = widget.get_by_test_id("labtrack-registry-alias-champion")
    start = _champion(registry)
    expect(champion).to_have_text(f"@champion → v{start}")

    # When version 2 is promoted: the button only opens a confirmation bar
    widget.get_by_test_id("labtrack-registry-promote-2").click()
    confirm = widget.get_by_test_id("labtrack-registry-confirm")
    expect(confirm).to_be_visible()
    assert _champion(registry) == start  # nothing happened yet
    widget.get_by_test_id("labtrack-registry-stage").select_option("Production")
    widget.screenshot(path=artifacts_dir / "registry-widget-confirm-light.png")
    widget.get_by_test_id("labtrack-registry-confirm-yes").click()

    # Then the kernel moved the alias and the widget shows it
    expect(champion).to_have_text("@champion → v2", timeout=30_000)
    expect(widget.get_by_test_id("labtrack-registry-notice")).to_contain_text("version 2 is now")
    assert _champion(registry) == "2"

    # When rolled back (confirmed), @champion returns to the previous holder
    widget.get_by_test_id("labtrack-registry-rollback-champion").click()
    widget.get_by_test_id("labtrack-registry-confirm-yes").click()
    expect(champion).to_have_text(f"@champion → v{start}", timeout=30_000)
    assert _champion(registry) == start
    widget.screenshot(path=artifacts_dir / "registry-widget-rolled-back-light.png")
    switch_theme("JupyterLab Dark")
    widget.screenshot(path=artifacts_dir / "registry-widget-rolled-back-dark.png")


def test_the_sidebar_shows_lineage_approvals_and_links_the_source_run(
    page, registry_lab, open_lab, switch_theme, artifacts_dir
):
    server, registry = registry_lab
    run_id = registry.version(MODEL, 2).run_id
    open_lab(server)
    _open_models_panel(page)
    panel = page.get_by_test_id("labtrack-models-panel")
    # Then each version shows its source run's lineage and the approvals it has
    lineage = panel.get_by_test_id("labtrack-models-lineage-2")
    expect(lineage).to_contain_text("train_prices.ipynb", timeout=30_000)
    expect(lineage).to_contain_text(COMMIT[:10])
    expect(lineage).to_contain_text(f"prices.csv {DIGEST}")
    expect(panel.get_by_test_id("labtrack-models-approvals-2")).to_contain_text("1 of 2 approvals")
    # and a long user id is cut short in the history, whole in its tooltip
    user = panel.locator(f'.lt-ModelsPanel-user[title="{HEX_USER}"]').first
    box = user.bounding_box()
    assert box and box["height"] < 24, box
    # Load is disabled, with a reason, while no notebook is open
    load = panel.get_by_test_id("labtrack-models-load-2")
    expect(load).to_be_disabled()
    expect(load).to_have_attribute("title", "Open a notebook to insert code into")
    panel.screenshot(path=artifacts_dir / "registry-sidebar-lineage-light.png")
    switch_theme("JupyterLab Dark")
    _open_models_panel(page)
    page.get_by_test_id("labtrack-models-panel").screenshot(
        path=artifacts_dir / "registry-sidebar-lineage-dark.png"
    )

    # When the source run is clicked, its run details open
    page.get_by_test_id("labtrack-models-run-2").click()
    expect(page.locator(f"#labtrack-run-{run_id}")).to_be_visible(timeout=30_000)


def _write_load_notebook(path: Path) -> None:
    cell = {
        "cell_type": "code",
        "metadata": {},
        "outputs": [],
        "execution_count": None,
        "source": "first = 1",
    }
    kernelspec = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    path.write_text(
        json.dumps(
            {
                "cells": [cell],
                "metadata": {"kernelspec": kernelspec},
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        )
    )


def test_load_this_version_inserts_a_cell_below_that_loads_it(
    page, registry_lab, open_lab, idle_kernel, artifacts_dir
):
    # Given a notebook whose kernel never ran %load_ext labtrack, its first cell active
    server, registry = registry_lab
    run_id = registry.version(MODEL, 2).run_id
    _write_load_notebook(server.root_dir / LOAD_NOTEBOOK)
    open_lab(server, f"lab/tree/{LOAD_NOTEBOOK}")
    idle_kernel()
    cells = page.locator(".jp-Notebook .jp-Cell")
    cells.first.locator(".jp-InputPrompt").click()
    _open_models_panel(page)
    panel = page.get_by_test_id("labtrack-models-panel")

    # When "Load" of version 2 is clicked
    load = panel.get_by_test_id("labtrack-models-load-2")
    expect(load).to_be_enabled()
    load.click()

    # Then a new cell below the first (kept as it was) loads house-prices/2
    expect(cells).to_have_count(2)
    expect(cells.nth(0)).to_contain_text("first = 1")
    inserted = cells.nth(1)
    expect(inserted).to_contain_text(f'labtrack.load_model("{MODEL}/2")')

    # And run in the real kernel, it loads the model of the source run
    inserted.locator(".jp-InputPrompt").click()
    page.keyboard.press("Control+Enter")
    output = inserted.locator(".jp-OutputArea-output")
    expect(output).to_contain_text(f"run_id: {run_id}", timeout=90_000)
    expect(output).to_contain_text("mlflow.sklearn")
    page.locator(".jp-NotebookPanel").screenshot(
        path=artifacts_dir / "registry-load-cell-light.png"
    )

    # The alias's Load inserts NAME@ALIAS the same way
    panel.get_by_test_id("labtrack-models-load-alias-champion").click()
    expect(cells).to_have_count(3)
    expect(cells.nth(2)).to_contain_text(f'labtrack.load_model("{MODEL}@champion")')


def test_the_widget_shows_lineage_the_full_run_id_and_approvals(
    page, registry_lab, open_lab, idle_kernel, switch_theme, artifacts_dir
):
    server, registry = registry_lab
    run_id = registry.version(MODEL, 2).run_id
    _write_notebook(server.root_dir / NOTEBOOK)
    open_lab(server, f"lab/tree/{NOTEBOOK}")
    idle_kernel()
    page.locator(".jp-Notebook .jp-CodeCell").first.locator(".jp-InputPrompt").click()
    page.keyboard.press("Control+Enter")
    widget = page.get_by_test_id("labtrack-registry-widget")
    expect(widget.get_by_test_id("labtrack-registry-run-2")).to_have_text(run_id, timeout=60_000)
    lineage = widget.get_by_test_id("labtrack-registry-lineage-2")
    expect(lineage).to_contain_text("train_prices.ipynb")
    expect(lineage).to_contain_text(COMMIT[:10])
    expect(lineage).to_contain_text(f"prices.csv {DIGEST}")
    expect(widget.get_by_test_id("labtrack-registry-approvals-2")).to_contain_text(
        "1 of 2 approvals"
    )
    widget.screenshot(path=artifacts_dir / "registry-widget-lineage-light.png")
    switch_theme("JupyterLab Dark")
    widget.screenshot(path=artifacts_dir / "registry-widget-lineage-dark.png")
