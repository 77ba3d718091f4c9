"""Managing runs as a person does: rename in place, the context menu, delete two ticked runs
and restore one from the Trash, a sweep's children under their parent, "All experiments";
in run details: rename, tags, a Markdown description that cannot inject HTML, table and
HTML previews, dataset inputs, and registering a logged model into the Models panel."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pandas as pd
import pytest
from mlflow import MlflowClient
from playwright.sync_api import Page, expect
from test_run_details import MODEL_CODE, open_run

RUNS_TAB = ".jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id='labtrack-runs']"
EXPERIMENT = "manage-runs"
HOSTILE = "<img src=x onerror=alert(1)>"
DESCRIPTION = f"# Notes\n\nTried a **lower lr**. {HOSTILE} See [the docs](https://mlflow.org)."
LONG_METRIC = "validation_loss/epoch_mean.smoothed_over_ten_batches"


@dataclass(frozen=True)
class ManagedStore:
    client: MlflowClient
    runs: dict[str, str]  # name → run id
    sweep: str
    trials: list[str]
    previews: str
    model_run: str


@pytest.fixture(scope="module")
def managed(lab_with_app, tmp_path_factory) -> ManagedStore:
    import mlflow

    lab = lab_with_app
    client = MlflowClient(tracking_uri=lab.tracking_uri, registry_uri=lab.tracking_uri)
    root = lab.labtrack_home / "artifacts"
    experiment = client.create_experiment(EXPERIMENT, str(root / "manage"))
    other = client.create_experiment("manage-other", str(root / "manage-other"))
    start = int(time.time() * 1000) - 3_600_000

    def run(name, experiment_id=experiment, status="FINISHED", **tags):
        created = client.create_run(experiment_id, run_name=name, start_time=start, tags=tags)
        client.set_terminated(created.info.run_id, status)
        return created.info.run_id

    runs = {name: run(name, team="vision") for name in ("alpha", "beta", "gamma", "delta")}
    run("other-1", other)
    sweep = run("grid-sweep")
    trials = [
        run(f"trial-{i}", status=status, **{"mlflow.parentRunId": sweep})
        for i, status in enumerate(("FINISHED", "FAILED", "FINISHED"))
    ]
    # A run with a table, an estimator page, a dataset input and a long metric name
    folder = tmp_path_factory.mktemp("previews")
    scores = 'fold,model,accuracy\n1,"forest, deep",0.91\n2,linear,0.875\n'
    (folder / "scores.csv").write_text(scores)
    (folder / "estimator.html").write_text(
        "<style>.box{border:2px solid teal;padding:8px}</style>"
        "<div class='box'>RandomForestClassifier(n_estimators=200)</div>"
        "<script>alert('estimator')</script>"
    )
    frame = pd.DataFrame({"sepal_length": [5.1, 4.9] * 75, "species": ["setosa", "virginica"] * 75})
    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(lab.tracking_uri)
    try:
        with mlflow.start_run(experiment_id=experiment, run_name="previews") as active:
            mlflow.log_artifacts(str(folder))
            mlflow.log_metric(LONG_METRIC, 0.25)
            dataset = mlflow.data.from_pandas(frame, source="/data/iris.csv", name="iris")
            mlflow.log_input(dataset, context="training")
        previews = active.info.run_id
        code = tmp_path_factory.mktemp("manage-model") / "doubler.py"
        code.write_text(MODEL_CODE)
        with mlflow.start_run(experiment_id=experiment, run_name="with-model") as active:
            mlflow.pyfunc.log_model(name="doubler", python_model=str(code), pip_requirements=[])
        model_run = active.info.run_id
    finally:
        mlflow.set_tracking_uri(previous)
    return ManagedStore(client, runs, sweep, trials, previews, model_run)


def open_runs(page: Page, open_lab, lab):
    open_lab(lab)
    page.locator(RUNS_TAB).click()
    panel = page.get_by_test_id("labtrack-runs-panel")
    expect(panel.get_by_test_id("labtrack-experiment")).to_be_visible(timeout=30_000)
    return panel


def row(panel, name: str):
    name_link = panel.page.locator(".lt-RunsTable-open", has_text=name)
    return panel.locator(".lt-RunsTable-row", has=name_link)


def wait_for(condition, timeout_s: float = 20.0) -> None:
    """Poll the store (not the page) until ``condition()`` holds: the page said it is done,
    the requests it sent may still be landing."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "the store never changed"
        time.sleep(0.1)


def stage(store: ManagedStore, run_id: str) -> str:
    return store.client.get_run(run_id).info.lifecycle_stage


def test_runs_are_renamed_deleted_restored_and_nested_in_the_runs_panel(
    page, lab_with_app, managed, open_lab, switch_theme, contrast, page_alerts, artifacts_dir
):
    panel = open_runs(page, open_lab, lab_with_app)
    panel.get_by_test_id("labtrack-experiment").select_option(label=EXPERIMENT)
    count = panel.get_by_test_id("labtrack-runs-count")
    expect(count).to_have_text("10 runs")

    # The sweep shows its three children's count and statuses, collapsed; expanding shows them
    sweep = row(panel, "grid-sweep")
    expect(sweep.get_by_test_id("labtrack-run-children")).to_contain_text("3")
    expect(sweep.get_by_test_id("labtrack-run-children")).to_have_attribute(
        "title", "3 child runs: 1 FAILED, 2 FINISHED"
    )
    expect(row(panel, "trial-1")).to_have_count(0)
    sweep.get_by_test_id("labtrack-run-expand").click()
    for trial in ("trial-0", "trial-1", "trial-2"):
        expect(row(panel, trial)).to_have_attribute("data-depth", "1")
    expect(sweep).to_have_attribute("aria-expanded", "true")
    page.screenshot(path=artifacts_dir / "runs-manage-tree-light.png")

    # Rename in place: a double-click on the name, a new name, Enter
    row(panel, "alpha").locator(".lt-RunsTable-open").dblclick()
    name_input = panel.get_by_test_id("labtrack-rename-input")
    name_input.fill("alpha-renamed")
    name_input.press("Enter")
    expect(row(panel, "alpha-renamed")).to_have_count(1)
    assert managed.client.get_run(managed.runs["alpha"]).info.run_name == "alpha-renamed"

    # The context menu, by right-click and by the keyboard's menu key
    row(panel, "beta").locator("[data-column=status]").click(button="right")
    menu = page.locator(".lm-Menu.lm-ContextMenu, .lm-Menu").last
    for item in ("Open Details", "Rename", "Add Tag…", "Copy Run ID", "Delete"):
        expect(menu.locator(".lm-Menu-itemLabel", has_text=item)).to_be_visible()
    # And the rows stay under their header: nothing slid the body sideways
    body = panel.locator(".lt-RunsTable-body")
    named = row(panel, "beta").locator("[data-column=name]").bounding_box()
    assert body.evaluate("b => b.scrollLeft") == 0
    assert named["x"] >= body.bounding_box()["x"], (named, body.bounding_box())
    page.screenshot(path=artifacts_dir / "runs-manage-context-menu-light.png")
    # Escape in the menu closes it. It is pressed on the menu itself: which element holds
    # the focus once a menu opens is Lumino's business, and the last CI run once found the
    # focus elsewhere by then (never reproduced here, even with the CPU saturated)
    menu.press("Escape")
    expect(menu).to_be_hidden()
    body = panel.locator(".lt-RunsTable-body")
    body.focus()
    body.press("Home")
    body.press("ContextMenu")
    expect(page.locator(".lm-Menu .lm-Menu-itemLabel", has_text="Copy Run ID")).to_be_visible()
    menu.press("Escape")
    expect(menu).to_be_hidden()

    # Tag two ticked runs at once from the actions under the table
    for name in ("gamma", "delta"):
        row(panel, name).locator("input[type=checkbox]").check()
    expect(panel.get_by_test_id("labtrack-selected-count")).to_have_text("2 selected")
    panel.get_by_test_id("labtrack-tag").click()
    dialog = page.locator(".jp-Dialog")
    dialog.get_by_test_id("labtrack-tag-key").fill("stage")
    dialog.get_by_test_id("labtrack-tag-value").fill("discarded")
    dialog.get_by_role("button", name="Add tag").click()
    expect(dialog).to_have_count(0)
    for name in ("gamma", "delta"):
        run_id = managed.runs[name]
        wait_for(lambda run_id=run_id: managed.client.get_run(run_id).data.tags.get("stage"))
        assert managed.client.get_run(run_id).data.tags["stage"] == "discarded"

    # Delete the two ticked runs: both leave the list and go to MLflow's Trash
    panel.get_by_test_id("labtrack-delete").click()
    expect(row(panel, "gamma")).to_have_count(0)
    expect(row(panel, "delta")).to_have_count(0)
    assert [stage(managed, managed.runs[n]) for n in ("gamma", "delta")] == ["deleted"] * 2

    # The Trash lists them (with their experiment) and restores one
    panel.get_by_test_id("labtrack-experiment").select_option(label="Trash")
    expect(panel.get_by_test_id("labtrack-trash-note")).to_contain_text("mlflow gc")
    expect(row(panel, "gamma").locator("[data-column=experiment]")).to_have_text(EXPERIMENT)
    page.screenshot(path=artifacts_dir / "runs-manage-trash-light.png")
    row(panel, "gamma").locator("input[type=checkbox]").check()
    panel.get_by_test_id("labtrack-restore").click()
    expect(row(panel, "gamma")).to_have_count(0)
    expect(row(panel, "delta")).to_have_count(1)
    assert stage(managed, managed.runs["gamma"]) == "active"
    assert stage(managed, managed.runs["delta"]) == "deleted"

    # "All experiments": runs of every experiment, each with its experiment's name
    panel.get_by_test_id("labtrack-experiment").select_option(label="All experiments")
    expect(row(panel, "other-1").locator("[data-column=experiment]")).to_have_text("manage-other")
    expect(row(panel, "gamma")).to_have_count(1)

    # The same panel, tree expanded, in the dark theme
    panel.get_by_test_id("labtrack-experiment").select_option(label=EXPERIMENT)
    switch_theme("JupyterLab Dark")
    if not panel.is_visible():
        page.locator(RUNS_TAB).click()
    expect(row(panel, "trial-1")).to_have_attribute("data-depth", "1")
    assert contrast(".lt-RunTree-count", ".lt-RunTree-count") >= 4.5
    assert contrast(".lt-RunsTable-row[data-depth='1'] .lt-RunsTable-open", ".lt-RunsPanel") >= 4.5
    page.screenshot(path=artifacts_dir / "runs-manage-tree-dark.png")
    assert page_alerts == []


def test_a_run_is_renamed_tagged_and_described_in_its_details(
    page, lab_with_app, managed, open_lab, switch_theme, page_alerts, artifacts_dir
):
    open_lab(lab_with_app)
    run_id = managed.runs["beta"]
    details = open_run(page, run_id)

    # Rename from the header
    details.get_by_test_id("labtrack-run-rename").click()
    details.get_by_test_id("labtrack-run-name-input").fill("beta-v2")
    details.get_by_test_id("labtrack-run-name-input").press("Enter")
    expect(details.get_by_test_id("labtrack-run-name")).to_have_text("beta-v2")
    assert managed.client.get_run(run_id).info.run_name == "beta-v2"

    # Add a tag, change its value, remove it; a reserved key is refused with the reason
    tags = details.get_by_test_id("labtrack-run-tags")
    tags.get_by_test_id("labtrack-new-tag-key").fill("owner")
    tags.get_by_test_id("labtrack-new-tag-value").fill("ana")
    tags.get_by_test_id("labtrack-new-tag-add").click()
    owner = tags.locator("tr[data-tag=owner]")
    expect(owner).to_contain_text("ana")
    owner.get_by_test_id("labtrack-tag-edit").click()
    tags.get_by_test_id("labtrack-tag-edit-value").fill("bo")
    tags.get_by_test_id("labtrack-tag-edit-value").press("Enter")
    expect(owner).to_contain_text("bo")
    assert managed.client.get_run(run_id).data.tags["owner"] == "bo"
    owner.get_by_test_id("labtrack-tag-remove").click()
    expect(owner).to_have_count(0)
    assert "owner" not in managed.client.get_run(run_id).data.tags
    tags.get_by_test_id("labtrack-new-tag-key").fill("mlflow.user")
    tags.get_by_test_id("labtrack-new-tag-add").click()
    expect(details.get_by_test_id("labtrack-edit-error")).to_contain_text("reserved")

    # A Markdown description with HTML in it: formatted, the HTML shown as text, no dialog
    section = details.get_by_test_id("labtrack-run-description")
    section.get_by_test_id("labtrack-description-edit").click()
    section.get_by_test_id("labtrack-description-input").fill(DESCRIPTION)
    section.get_by_test_id("labtrack-description-save").click()
    text = section.get_by_test_id("labtrack-description-text")
    expect(text.locator("h1")).to_have_text("Notes")
    expect(text.locator("strong")).to_have_text("lower lr")
    expect(text).to_contain_text(HOSTILE)
    expect(text.locator("img")).to_have_count(0)
    link = text.locator("a", has_text="the docs")
    expect(link).to_have_attribute("href", "https://mlflow.org")
    assert "noopener" in link.get_attribute("rel")
    assert managed.client.get_run(run_id).data.tags["mlflow.note.content"] == DESCRIPTION
    page.screenshot(path=artifacts_dir / "run-details-edit-light.png")

    switch_theme("JupyterLab Dark")
    expect(text.locator("strong")).to_have_text("lower lr")
    page.screenshot(path=artifacts_dir / "run-details-edit-dark.png")
    assert page_alerts == []


def test_previews_datasets_and_registering_a_logged_model(
    page, lab_with_app, managed, open_lab, switch_theme, page_alerts, artifacts_dir
):
    open_lab(lab_with_app)
    details = open_run(page, managed.previews)

    # A CSV as a table: its header, its quoted field whole, numbers right-aligned
    details.locator("[role=treeitem][data-path='scores.csv']").click()
    table = details.get_by_test_id("labtrack-artifact-table")
    expect(table.locator("thead th")).to_have_text(["fold", "model", "accuracy"])
    expect(table.locator("tbody tr").first.locator("td").nth(1)).to_have_text("forest, deep")
    accuracy = table.locator("tbody tr").first.locator("td").nth(2)
    assert accuracy.evaluate("td => getComputedStyle(td).textAlign") == "right"
    expect(details.get_by_test_id("labtrack-artifact-table-note")).to_have_text("2 rows")

    # The dataset input as a readable row; a long metric name wraps at its separators
    datasets = details.get_by_test_id("labtrack-run-datasets")
    iris = datasets.locator("tbody tr", has_text="iris")
    expect(iris).to_contain_text("training")
    expect(iris).to_contain_text("150")
    expect(iris).to_contain_text("sepal_length (double)")
    expect(iris).to_contain_text("/data/iris.csv")
    metric = details.get_by_test_id("labtrack-run-metrics").locator("th", has_text="smoothed")
    assert metric.locator("wbr").count() >= 4
    page.screenshot(path=artifacts_dir / "run-details-metrics-datasets-light.png")
    artifacts = details.get_by_test_id("labtrack-run-artifacts")
    artifacts.scroll_into_view_if_needed()
    artifacts.screenshot(path=artifacts_dir / "run-details-csv-table-light.png")

    # The estimator page in a sandboxed frame: styled, its script never runs
    details.locator("[role=treeitem][data-path='estimator.html']").click()
    frame_element = details.get_by_test_id("labtrack-artifact-frame")
    expect(frame_element).to_have_attribute("sandbox", "")
    frame = page.frame_locator("[data-testid=labtrack-artifact-frame]")
    expect(frame.locator(".box")).to_have_text("RandomForestClassifier(n_estimators=200)")
    switch_theme("JupyterLab Dark")
    expect(frame.locator(".box")).to_be_visible()
    artifacts.scroll_into_view_if_needed()
    artifacts.screenshot(path=artifacts_dir / "run-details-html-preview-dark.png")
    assert page_alerts == []

    # Register the logged model under a new name with an alias: the Models panel shows it
    details = open_run(page, managed.model_run)
    details.get_by_test_id("labtrack-register-model").click()
    dialog = page.locator(".jp-Dialog")
    dialog.get_by_test_id("labtrack-register-name").fill("manage-doubler")
    expect(dialog.get_by_test_id("labtrack-register-note")).to_contain_text("A new model")
    dialog.get_by_test_id("labtrack-register-alias").fill("candidate")
    dialog.screenshot(path=artifacts_dir / "run-details-register-dialog-dark.png")
    dialog.get_by_role("button", name="Register").click()
    models = page.get_by_test_id("labtrack-models-panel")
    expect(models).to_be_visible(timeout=30_000)
    expect(models.get_by_test_id("labtrack-models-picker")).to_have_value("manage-doubler")
    version = models.get_by_test_id("labtrack-models-version-1")
    expect(version).to_have_attribute("data-focused", "true")
    expect(version).to_contain_text("@candidate")
    page.screenshot(path=artifacts_dir / "models-panel-registered-dark.png")
    registered = managed.client.get_model_version("manage-doubler", "1")
    assert registered.run_id == managed.model_run
    assert (
        str(managed.client.get_model_version_by_alias("manage-doubler", "candidate").version) == "1"
    )
