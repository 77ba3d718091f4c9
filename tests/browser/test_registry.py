"""Promote and roll back a model from the Models sidebar and from the `%track models` widget."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mlflow import MlflowClient
from playwright.sync_api import Page, expect
from registry_store import log_model_run

from labtrack.backend import prepare_backend, resolve_backend
from labtrack.registry import ModelRegistry

MODEL = "house-prices"
NOTEBOOK = "registry_widget.ipynb"


@pytest.fixture(scope="module")
def registry_lab(extra_lab):
    """A lab whose store holds MODEL with versions 1 and 2 and @champion on version 1."""
    server = extra_lab("registry")
    location = resolve_backend(environ={"LABTRACK_HOME": str(server.labtrack_home)})
    prepare_backend(location)
    run_id = log_model_run(location.tracking_uri, Path(location.artifact_root))
    client = MlflowClient(tracking_uri=location.tracking_uri, registry_uri=location.registry_uri)
    registry = ModelRegistry(client, user="seed")
    for _ in range(2):
        registry.register(run_id, MODEL)
    registry.promote(MODEL, 1, alias="champion", stage="Production", reason="first release")
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
