"""Run details in the main area: what a person sees for one run, and what its buttons do."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag
from playwright.sync_api import Page, expect
from sample_store import HOSTILE_NAME, SampleStore, populate  # tests/support, on sys.path

HTML_RUN_NAME = "<img src=y onerror=alert(2)>"
CONFIG = {"model": {"depth": 6, "layers": [64, 32]}, "seed": 7}
# Exact in binary, so the DataFrame shows it as written.
LAST_ACCURACY = 0.8125
NOTEBOOK = "details-origin.ipynb"
TRACKED_CELL_ID = "tracked-cell"
SCRATCH = "scratch.ipynb"
FIRST_CELL_SOURCE = "first_cell_value = 41 + 1"
NO_NOTEBOOK_TIP = "Open a notebook first: the code goes below its active cell"


@dataclass(frozen=True)
class DetailsStore:
    sample: SampleStore
    rich_run_id: str
    notebook_run_id: str


def _notebook(cells: list[tuple[str, str]]) -> dict:
    return {
        "cells": [
            {
                "cell_type": "code",
                "id": cell_id,
                "metadata": {},
                "source": source,
                "outputs": [],
                "execution_count": None,
            }
            for cell_id, source in cells
        ],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _rich_run(client: MlflowClient, experiment_id: str, folder: Path) -> str:
    run_id = client.create_run(experiment_id, run_name=HTML_RUN_NAME).info.run_id
    client.log_batch(
        run_id,
        metrics=[
            Metric("accuracy", 0.5 + step * 0.0390625, 1_700_000_000_000 + step, step)
            for step in range(9)
        ],
        params=[Param("learning_rate", "0.01"), Param("optimizer", "adamw")],
        tags=[
            RunTag("team", "vision"),
            RunTag("mlflow.source.git.commit", "0123456789abcdef0123456789abcdef01234567"),
            RunTag("mlflow.source.git.branch", "feature/details"),
            RunTag("labtrack.git.dirty", "true"),
            RunTag("labtrack.python.version", "3.11.9"),
        ],
    )
    (folder / "labtrack").mkdir()
    (folder / "labtrack" / "requirements.txt").write_text("mlflow==3.17.0\npandas==3.1.0\n")
    (folder / "config.json").write_text(json.dumps(CONFIG, separators=(",", ":")))
    client.log_artifacts(run_id, str(folder))
    client.set_terminated(run_id)
    return run_id


@pytest.fixture(scope="module")
def store(lab_with_app, tmp_path_factory) -> DetailsStore:
    """The sample store plus a run with a hostile name and a run recorded from a notebook."""
    lab = lab_with_app
    sample = populate(lab.tracking_uri, lab.labtrack_home / "artifacts")
    client = MlflowClient(tracking_uri=lab.tracking_uri)
    rich = _rich_run(client, sample.experiment_id, tmp_path_factory.mktemp("rich-artifacts"))

    # A notebook with the tracked cell far down, so opening it must scroll.
    cells = [(f"filler-{i}", f"filler_{i} = {i}") for i in range(30)]
    cells.insert(20, (TRACKED_CELL_ID, "%%track\ntracked_marker = 'the tracked cell'"))
    notebook_path = lab.root_dir / NOTEBOOK
    notebook_path.write_text(json.dumps(_notebook(cells)))
    from_notebook = client.create_run(
        sample.experiment_id,
        run_name="from-notebook",
        tags={
            "mlflow.source.name": str(notebook_path),
            "labtrack.notebook.path": str(notebook_path),
            "labtrack.cell.id": TRACKED_CELL_ID,
        },
    ).info.run_id
    client.set_terminated(from_notebook)
    (lab.root_dir / SCRATCH).write_text(
        json.dumps(_notebook([("one", FIRST_CELL_SOURCE), ("two", "second_cell = 2")]))
    )
    return DetailsStore(sample=sample, rich_run_id=rich, notebook_run_id=from_notebook)


MODEL_CODE = """
import mlflow


class Doubler(mlflow.pyfunc.PythonModel):
    def predict(self, context, model_input):
        return [2 * x for x in model_input]


mlflow.models.set_model(Doubler())
"""


@pytest.fixture(scope="module")
def model_run_id(lab_with_app, store, tmp_path_factory) -> str:
    """A finished run that logged an MLflow 3 model (from code, so nothing is pickled)."""
    import mlflow

    code = tmp_path_factory.mktemp("model-code") / "doubler.py"
    code.write_text(MODEL_CODE)
    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(lab_with_app.tracking_uri)
    try:
        with mlflow.start_run(experiment_id=store.sample.experiment_id, run_name="with-model"):
            mlflow.pyfunc.log_model(name="doubler", python_model=str(code), pip_requirements=[])
            return mlflow.active_run().info.run_id
    finally:
        mlflow.set_tracking_uri(previous)


def run_command(page: Page, command: str, args: dict) -> None:
    page.evaluate(
        "([command, args]) => window.jupyterapp.commands.execute(command, args).then(() => null)",
        [command, args],
    )


def open_run(page: Page, run_id: str):
    run_command(page, "labtrack:open-run", {"runId": run_id})
    details = page.locator(f"[data-testid=labtrack-run-details][data-run-id='{run_id}']")
    expect(details).to_be_visible()
    expect(details.get_by_test_id("labtrack-run-name")).to_be_visible(timeout=30_000)
    return details


def test_details_show_params_metrics_with_sparklines_tags_git_and_environment(
    page, lab_with_app, store, open_lab, page_alerts, artifacts_dir
):
    # Given JupyterLab on a store holding a finished run with params, metrics and tags
    open_lab(lab_with_app)

    # When its details are opened by the command the Runs table uses
    details = open_run(page, store.rich_run_id)

    # Then the header, params, latest metrics with a sparkline, and tags are shown
    expect(details.get_by_test_id("labtrack-run-status")).to_have_text("FINISHED")
    params = details.get_by_test_id("labtrack-run-params")
    expect(params.locator("tr", has_text="learning_rate")).to_contain_text("0.01")
    expect(params.locator("tr", has_text="optimizer")).to_contain_text("adamw")
    accuracy = details.get_by_test_id("labtrack-run-metrics").locator("tr", has_text="accuracy")
    expect(accuracy).to_contain_text(str(LAST_ACCURACY))
    sparkline = accuracy.locator("svg[data-testid=labtrack-sparkline] path")
    expect(sparkline).to_have_count(1)
    assert sparkline.get_attribute("d").count("L") == 8  # nine points, one line
    tags = details.get_by_test_id("labtrack-run-tags")
    expect(tags.locator("tr", has_text="team")).to_contain_text("vision")
    system = tags.get_by_test_id("labtrack-run-system-tags")
    expect(system.locator("summary")).to_contain_text("System tags")
    expect(tags.locator("> table")).not_to_contain_text("mlflow.")  # user tags apart
    git = details.get_by_test_id("labtrack-run-git")
    expect(git).to_contain_text("0123456789abcdef")
    expect(git).to_contain_text("feature/details")
    expect(git).to_contain_text("uncommitted changes")
    expect(details.get_by_test_id("labtrack-run-environment")).to_contain_text("3.11.9")

    # And with no notebook open, inserting code is disabled and says why
    insert = details.get_by_test_id("labtrack-insert-metrics")
    expect(insert).to_be_disabled()
    expect(insert).to_have_attribute("title", NO_NOTEBOOK_TIP)
    expect(details.get_by_test_id("labtrack-insert-model")).to_have_count(0)
    opener = details.get_by_test_id("labtrack-open-notebook")
    expect(opener).to_be_disabled()
    expect(opener).to_have_attribute("title", "This run was not recorded from a notebook")
    page.screenshot(path=artifacts_dir / "run-details-light.png")
    assert page_alerts == []


def test_reopening_a_run_activates_its_panel_instead_of_adding_one(
    page, lab_with_app, store, open_lab
):
    # Given a run's details open, then another run's
    open_lab(lab_with_app)
    open_run(page, store.rich_run_id)
    open_run(page, store.sample.parent_id)

    # When the first run is opened again
    details = open_run(page, store.rich_run_id)

    # Then its one panel is shown again
    expect(page.locator("[data-testid=labtrack-run-details]")).to_have_count(2)
    expect(details).to_be_visible()


def test_child_link_opens_the_child_run(page, lab_with_app, store, open_lab):
    # Given the details of a sweep with three trials
    open_lab(lab_with_app)
    family = open_run(page, store.sample.parent_id).get_by_test_id("labtrack-run-family")
    expect(family.locator("button[data-run-id]")).to_have_count(3)

    # When a trial's link is clicked
    child = store.sample.child_ids[1]
    family.locator(f"button[data-run-id='{child}']").click()

    # Then that trial's details are shown
    trial = page.locator(f"[data-testid=labtrack-run-details][data-run-id='{child}']")
    expect(trial.get_by_test_id("labtrack-run-name")).to_have_text("trial-1")
    expect(trial.get_by_test_id("labtrack-run-params")).to_contain_text("trial")


def test_artifact_tree_opens_by_keyboard_and_previews_the_png(
    page, lab_with_app, store, open_lab, page_alerts, artifacts_dir
):
    # Given the details of a run whose artifacts hold plots/curve.png
    open_lab(lab_with_app)
    details = open_run(page, store.sample.parent_id)
    tree = details.get_by_role("tree", name="Artifacts")
    plots = tree.locator("[role=treeitem][data-path='plots']")
    expect(plots).to_have_attribute("aria-expanded", "false")
    expect(tree.locator("[data-path='plots/curve.png']")).to_have_count(0)  # listed lazily
    # (no labtrack/ folder, so no requirements to preview)
    expect(details.get_by_test_id("labtrack-show-requirements")).to_have_count(0)

    # When the tree is focused, "plots" reached with the arrow keys, opened, and the PNG chosen
    tree.locator("[role=treeitem][tabindex='0']").focus()
    for _ in range(5):
        if plots.evaluate("node => node === document.activeElement"):
            break
        page.keyboard.press("ArrowDown")
    expect(plots).to_be_focused()
    page.keyboard.press("ArrowRight")
    png = tree.locator("[role=treeitem][data-path='plots/curve.png']")
    expect(png).to_be_visible()
    expect(png).to_contain_text("B")  # its size
    page.keyboard.press("ArrowDown")
    expect(png).to_be_focused()
    page.keyboard.press("Enter")

    # Then the image is shown from a blob URL, decoded to real pixels
    image = details.get_by_test_id("labtrack-artifact-image")
    expect(image).to_be_visible()
    assert image.get_attribute("src").startswith("blob:")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert image.evaluate("img => img.naturalWidth") == 1
    expect(png).to_have_attribute("aria-selected", "true")
    page.screenshot(path=artifacts_dir / "run-details-artifact-png.png")
    assert page_alerts == []


def test_hostile_artifact_and_run_names_render_as_text(
    page, lab_with_app, store, open_lab, page_alerts
):
    # Given a run named with HTML, and a run with an artifact named with HTML
    open_lab(lab_with_app)
    named = open_run(page, store.rich_run_id)

    # Then the run's name is its literal text, not an element
    expect(named.get_by_test_id("labtrack-run-name")).to_have_text(HTML_RUN_NAME)
    expect(page.locator("img[src='y']")).to_have_count(0)

    # When the artifact with the hostile name is chosen
    details = open_run(page, store.sample.parent_id)
    item = details.locator(f"[role=treeitem][data-path='{HOSTILE_NAME}']")
    expect(item).to_have_text(HOSTILE_NAME + "20 B")  # name, then its size
    item.click()

    # Then it is previewed as text under its literal name, and no element was injected
    expect(details.get_by_test_id("labtrack-artifact-path")).to_have_text(HOSTILE_NAME)
    expect(details.get_by_test_id("labtrack-artifact-text")).to_have_text("a hostile file name\n")
    expect(page.locator("img[src='x']")).to_have_count(0)
    assert page_alerts == []


def test_html_artifact_is_shown_in_a_sandbox_where_its_script_never_runs(
    page, lab_with_app, store, open_lab, page_alerts
):
    # Given the details of a run with page.html (nothing but an alert() script) among its
    # artifacts
    open_lab(lab_with_app)
    details = open_run(page, store.sample.parent_id)

    # When it is chosen
    details.locator("[role=treeitem][data-path='page.html']").click()

    # Then it loads in a frame with no sandbox permissions, from the script-free preview
    # route, and the download is still offered
    frame = details.get_by_test_id("labtrack-artifact-frame")
    expect(frame).to_have_attribute("sandbox", "")
    assert "path=page.html&preview=html" in frame.get_attribute("src")
    page.frame_locator("[data-testid=labtrack-artifact-frame]").locator("body").wait_for(
        state="attached"
    )
    link = details.get_by_test_id("labtrack-artifact-download")
    expect(link).to_have_attribute("download", "page.html")
    assert "artifacts/file?path=page.html" in link.get_attribute("href")
    expect(details.get_by_test_id("labtrack-artifact-text")).to_have_count(0)
    assert page_alerts == []


def test_json_artifact_is_pretty_printed(page, lab_with_app, store, open_lab):
    # Given a run with a compact one-line config.json
    open_lab(lab_with_app)
    details = open_run(page, store.rich_run_id)

    # When it is chosen in the artifact tree
    details.locator("[role=treeitem][data-path='config.json']").click()

    # Then it is shown indented, as json.dumps(indent=2) would
    expect(details.get_by_test_id("labtrack-artifact-text")).to_have_text(
        json.dumps(CONFIG, indent=2)
    )


def test_requirements_are_previewed_from_the_environment_section(
    page, lab_with_app, store, open_lab
):
    # Given the details of a run that recorded labtrack/requirements.txt
    open_lab(lab_with_app)
    details = open_run(page, store.rich_run_id)

    # When "Preview labtrack/requirements.txt" is clicked
    details.get_by_test_id("labtrack-show-requirements").click()

    # Then its folder is expanded and the file shown
    expect(details.get_by_test_id("labtrack-artifact-text")).to_contain_text("mlflow==3.17.0")
    expect(details.locator("[data-path='labtrack']")).to_have_attribute("aria-expanded", "true")


def _open_notebook(page: Page, path: str) -> None:
    run_command(page, "docmanager:open", {"path": path})
    expect(page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first).to_be_visible(
        timeout=60_000
    )


def _cell_sources(page: Page) -> list[str]:
    return page.evaluate(
        """() => window.jupyterapp.shell.currentWidget.content.widgets.map(
            cell => cell.model.sharedModel.getSource())"""
    )


def test_insert_metrics_code_adds_a_cell_below_that_loads_the_metrics(
    page, lab_with_app, store, open_lab, idle_kernel, artifacts_dir
):
    # Given a notebook with two cells, the first active, and the run's details open beside it
    open_lab(lab_with_app)
    _open_notebook(page, SCRATCH)
    idle_kernel()
    page.locator(".jp-Notebook .jp-Cell").first.locator(".jp-InputPrompt").click()
    before = _cell_sources(page)
    assert before == [FIRST_CELL_SOURCE, "second_cell = 2"]
    details = open_run(page, store.rich_run_id)
    insert = details.get_by_test_id("labtrack-insert-metrics")
    expect(insert).to_be_enabled()

    # When "Insert metrics code" is clicked
    insert.click()

    # Then a new code cell follows the active one; no cell was changed
    page.locator(".jp-NotebookPanel").first.wait_for(state="visible")
    after = _cell_sources(page)
    assert len(after) == 3
    assert after[0] == FIRST_CELL_SOURCE and after[2] == "second_cell = 2"
    assert store.rich_run_id in after[1] and "get_metric_history" in after[1]

    # And running it in the kernel (which never ran %load_ext labtrack) loads the metrics
    run_command(page, "notebook:run-cell", {})
    output = page.locator(".jp-Notebook .jp-Cell").nth(1).locator(".jp-OutputArea-output")
    expect(output.first).to_contain_text("accuracy", timeout=120_000)
    expect(output.first).to_contain_text(str(LAST_ACCURACY))
    expect(output.first).to_contain_text("timestamp")
    errors = page.locator("[data-mime-type='application/vnd.jupyter.error']")
    expect(errors).to_have_count(0)
    page.screenshot(path=artifacts_dir / "run-details-inserted-metrics.png")


def test_open_notebook_at_cell_selects_the_run_cell(
    page, lab_with_app, store, open_lab, artifacts_dir
):
    # Given the details of a run recorded from cell "tracked-cell" of a notebook on the server
    open_lab(lab_with_app)
    details = open_run(page, store.notebook_run_id)
    button = details.get_by_test_id("labtrack-open-notebook")
    expect(button).to_be_enabled(timeout=30_000)
    expect(button).to_have_attribute("title", f"Open {NOTEBOOK} at this run's cell")

    # When "Open notebook at cell" is clicked
    button.click()

    # Then the notebook is open with that cell active and scrolled into view
    active = page.locator(".jp-NotebookPanel:visible .jp-Cell.jp-mod-active")
    expect(active).to_contain_text("the tracked cell", timeout=60_000)
    expect(active).to_be_in_viewport()
    active_id = page.evaluate(
        "() => window.jupyterapp.shell.currentWidget.content.activeCell.model.id"
    )
    assert active_id == TRACKED_CELL_ID
    page.screenshot(path=artifacts_dir / "run-details-opened-notebook.png")


def test_details_read_well_in_dark_theme(
    page, lab_with_app, store, open_lab, switch_theme, contrast, artifacts_dir
):
    # Given a run's details with a text artifact previewed
    open_lab(lab_with_app)
    details = open_run(page, store.rich_run_id)
    details.locator("[role=treeitem][data-path='config.json']").click()
    expect(details.get_by_test_id("labtrack-artifact-text")).to_be_visible()

    # When the theme is switched to JupyterLab Dark
    switch_theme("JupyterLab Dark")

    # Then names, values and previews stand out from their backgrounds
    for selector in (
        ".lt-RunDetails-name",
        ".lt-KeyValues th",
        ".lt-DetailsSection-title",
    ):
        assert contrast(selector, ".lt-RunDetails") >= 4.5, selector
    assert contrast(".lt-ArtifactPreview-text", ".lt-ArtifactPreview-text") >= 4.5
    page.screenshot(path=artifacts_dir / "run-details-dark.png")


# Record the phase of each turn of the open details panel's poll (its model's `_poll`, a
# lumino Poll), from now on, in window.ltPollTurns.
RECORD_POLL_TURNS = """runId => {
    const panel = [...window.jupyterapp.shell.widgets('main')]
        .find(widget => widget.content?.model?.runId === runId);
    window.ltPollTurns = [];
    panel.content.model._poll.ticked.connect((_, state) => window.ltPollTurns.push(state.phase));
}"""


def test_running_run_refreshes_itself_until_it_ends(
    page, lab_with_app, store, open_lab, artifacts_dir
):
    # Given the details of a run that is still RUNNING
    open_lab(lab_with_app)
    client = MlflowClient(tracking_uri=lab_with_app.tracking_uri)
    run_id = client.create_run(store.sample.experiment_id, run_name="live").info.run_id
    details = open_run(page, run_id)
    status = details.get_by_test_id("labtrack-run-status")
    expect(status).to_have_attribute("data-status", "RUNNING")
    expect(status.locator(".lt-LiveDot")).to_have_count(1)
    page.screenshot(path=artifacts_dir / "run-details-running.png")

    # When the run logs a metric and ends, with nobody touching the page
    client.log_metric(run_id, "late_metric", 3.5, step=0)
    client.set_terminated(run_id)

    # Then the panel shows it within a few seconds, and stops asking once the run is over
    expect(status).to_have_attribute("data-status", "FINISHED", timeout=15_000)
    expect(status.locator(".lt-LiveDot")).to_have_count(0)
    expect(details.get_by_test_id("labtrack-run-metrics")).to_contain_text("late_metric")
    reads: list[str] = []
    page.on("request", lambda r: reads.append(r.url) if f"runs/{run_id}" in r.url else None)
    # That no read comes cannot be awaited, the poll's next turns (every 3 s) can: two that
    # stood by show it stopped asking (a turn that reads ends 'resolved' or 'rejected';
    # after four of those the wait ends too, and the assertion says so)
    page.evaluate(RECORD_POLL_TURNS, run_id)
    turns = page.wait_for_function(
        "() => window.ltPollTurns.filter(phase => phase === 'standby').length >= 2"
        " || window.ltPollTurns.length >= 4 ? window.ltPollTurns : false",
        timeout=20_000,
    ).json_value()
    assert turns.count("standby") >= 2, turns
    assert reads == []


def test_insert_model_code_loads_the_logged_model(
    page, lab_with_app, model_run_id, open_lab, idle_kernel
):
    # Given a notebook open and the details of a run that logged a model
    open_lab(lab_with_app)
    _open_notebook(page, SCRATCH)
    idle_kernel()
    page.locator(".jp-Notebook .jp-Cell").first.locator(".jp-InputPrompt").click()
    count = len(_cell_sources(page))
    details = open_run(page, model_run_id)
    models = details.get_by_test_id("labtrack-run-models")
    expect(models).to_contain_text("doubler")
    expect(models).to_contain_text("models:/m-")

    # When "Insert model code" is clicked and the new cell is run
    details.get_by_test_id("labtrack-insert-model").click()
    sources = _cell_sources(page)
    assert len(sources) == count + 1
    assert sources[0] == FIRST_CELL_SOURCE and "mlflow.pyfunc.load_model" in sources[1]
    run_command(page, "notebook:run-cell", {})

    # Then the kernel loaded the run's model
    output = page.locator(".jp-Notebook .jp-Cell").nth(1).locator(".jp-OutputArea-output")
    expect(output.last).to_contain_text("mlflow.pyfunc.loaded_model", timeout=120_000)
    expect(output.last).to_contain_text(model_run_id)


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lineage"


@pytest.fixture(scope="module")
def lineage_run_id(lab_with_app, store, tmp_path_factory) -> str:
    """A run trained on data.csv (with its .dvc pointer), whose model is registered with
    the alias champion: the whole chain from data to registry."""
    import mlflow

    from labtrack.lineage.datasets import describe_path
    from labtrack.lineage.hash_cache import HashCache
    from labtrack.lineage.recording import record_dataset

    folder = tmp_path_factory.mktemp("lineage-code")
    code = folder / "doubler.py"
    code.write_text(MODEL_CODE)
    cache = HashCache(folder / "hash-cache.sqlite")
    record = describe_path(FIXTURES / "data.csv", cache=cache)
    cache.close()
    client = MlflowClient(tracking_uri=lab_with_app.tracking_uri)
    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(lab_with_app.tracking_uri)
    try:
        with mlflow.start_run(
            experiment_id=store.sample.experiment_id,
            run_name="lineage-run",
            tags={
                "labtrack.notebook.path": str(lab_with_app.root_dir / NOTEBOOK),
                "labtrack.cell.id": TRACKED_CELL_ID,
                "labtrack.cell.execution_count": "12",
                "mlflow.source.git.commit": "0123456789abcdef0123456789abcdef01234567",
                "labtrack.seed": "42",
            },
        ) as run:
            record_dataset(client, run.info.run_id, record, context="training")
            info = mlflow.pyfunc.log_model(
                name="doubler", python_model=str(code), pip_requirements=[]
            )
        version = mlflow.register_model(info.model_uri, "lineage-demo")
        client.set_registered_model_alias("lineage-demo", "champion", version.version)
        return run.info.run_id
    finally:
        mlflow.set_tracking_uri(previous)


def test_lineage_section_chains_data_run_model_and_registered_version(
    page, lab_with_app, lineage_run_id, open_lab, artifacts_dir
):
    # Given a run trained on a DVC-tracked CSV whose model is registered as champion
    open_lab(lab_with_app)

    # When its details are opened
    details = open_run(page, lineage_run_id)
    lineage = details.get_by_test_id("labtrack-run-lineage")
    lineage.scroll_into_view_if_needed()

    # Then the Lineage section reads from the data to the registry, in that order
    stages = lineage.locator(".lt-Lineage-stage")
    expect(stages).to_have_count(4)
    expect(stages.nth(0)).to_contain_text("data.csv 480cd1679dbb1729865e6b8f617b62cc")
    expect(stages.nth(0)).to_contain_text("3 rows")
    expect(stages.nth(0)).to_contain_text("matches its .dvc pointer, remote team-s3")
    expect(stages.nth(1)).to_contain_text(f"lineage-run · {NOTEBOOK} · cell {TRACKED_CELL_ID}")
    expect(stages.nth(1)).to_contain_text("git 0123456789")
    expect(stages.nth(1)).to_contain_text("seed 42")
    expect(stages.nth(2)).to_contain_text("doubler")
    expect(stages.nth(3)).to_contain_text("lineage-demo v1@champion")
    lineage.screenshot(path=artifacts_dir / "run-details-lineage.png")

    # And the notebook cell that produced the run is one click away
    details.get_by_test_id("labtrack-open-notebook").click()
    active = page.locator(".jp-NotebookPanel:visible .jp-Cell.jp-mod-active")
    expect(active).to_contain_text("the tracked cell", timeout=60_000)
