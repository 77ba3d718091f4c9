"""Images, system metrics and grouped curves in JupyterLab (issue 21): a run's Media and
System sections, the Compare panel's groups, smoothing and image grid, and the live
plot's System row and newest images. One JupyterLab with a store of its own."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pytest
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag
from playwright.sync_api import Page, expect
from test_live_plot import run_cell, write_notebook
from test_run_details import run_command

IMAGE_STEPS = 30
LRS = ["0.1", "0.01", "0.001"]
NOTEBOOK = "media-live.ipynb"


@dataclass(frozen=True)
class MediaStore:
    image_run: str
    compared: list[str]


def _pattern(step: int, size: int = 32) -> np.ndarray:
    """A picture that changes with the step: a bar that grows and a hue that turns."""
    image = np.zeros((size, size, 3), dtype=np.uint8)
    image[..., 2] = 40
    filled = max(1, round(size * (step + 1) / IMAGE_STEPS))
    image[size - filled :, 4 : size - 4] = (255 - 7 * step, 60 + 6 * step, 120)
    return image


def _system_points(start: int) -> list[Metric]:
    figures = {
        "system/cpu_utilization_percentage": lambda i: 35 + 30 * math.sin(i / 2),
        "system/system_memory_usage_megabytes": lambda i: 5200 + 40 * i,
        "system/process_memory_usage_megabytes": lambda i: 800 + 25 * i,
        "system/gpu_0_utilization_percentage": lambda i: 80 + 10 * math.cos(i),
        "system/gpu_0_memory_usage_megabytes": lambda i: 10_000 + 50 * i,
        "system/network_receive_megabytes": lambda i: 1.5 * i,
    }
    return [
        Metric(key, float(value(i)), start + 5000 * i, i)
        for key, value in figures.items()
        for i in range(10)
    ]


@pytest.fixture(scope="module")
def media_lab(extra_lab):
    return extra_lab("media", extra_args=["--LabApp.expose_app_in_browser=True"])


@pytest.fixture(scope="module")
def store(media_lab) -> MediaStore:
    # The store is made as labtrack makes it (its artifact root, not ./mlruns of this process).
    from labtrack.backend import prepare_backend, resolve_backend

    prepare_backend(resolve_backend(environ={"LABTRACK_HOME": str(media_lab.labtrack_home)}))
    client = MlflowClient(tracking_uri=media_lab.tracking_uri)
    location = media_lab.labtrack_home / "artifacts" / "media-tests"
    experiment = client.create_experiment("media-tests", str(location))
    image_run = client.create_run(experiment, run_name="image-steps").info.run_id
    for step in range(IMAGE_STEPS):
        client.log_image(image_run, _pattern(step), key="samples/digits", step=step)
    client.log_batch(image_run, metrics=_system_points(1_700_000_000_000))
    client.log_metric(image_run, "loss", 0.25)
    client.set_terminated(image_run)
    rng = np.random.default_rng(3)
    compared = []
    for index in range(6):
        lr = LRS[index % 3]
        run = client.create_run(experiment, run_name=f"lr-{lr}-seed-{index // 3}").info.run_id
        rate = {"0.1": 0.08, "0.01": 0.03, "0.001": 0.01}[lr]
        noise = 0.08 * rng.standard_normal(80)
        losses = [
            Metric("loss", math.exp(-rate * s) + noise[s] + 0.2, 1_700_000_000_000 + 1000 * s, s)
            for s in range(80)
        ]
        client.log_batch(
            run, metrics=losses, params=[Param("lr", lr)], tags=[RunTag("seed", str(index // 3))]
        )
        for step in (0, 10, 12 if index == 5 else 20):
            client.log_image(run, _pattern(step * (index + 1) % IMAGE_STEPS), key="pred", step=step)
        client.set_terminated(run)
        compared.append(run)
    return MediaStore(image_run, compared)


def _open_run(page: Page, run_id: str):
    run_command(page, "labtrack:open-run", {"runId": run_id})
    details = page.locator(f"[data-testid=labtrack-run-details][data-run-id='{run_id}']")
    expect(details.get_by_test_id("labtrack-run-name")).to_be_visible(timeout=30_000)
    return details


def test_a_runs_images_move_by_slider_and_arrow_keys_and_its_system_metrics_are_charted(
    page, media_lab, store, open_lab, artifacts_dir, switch_theme
):
    # Given a run that logged 30 stepped images and MLflow's system metrics
    open_lab(media_lab)
    details = _open_run(page, store.image_run)
    media = details.get_by_test_id("labtrack-run-media")
    key = media.locator("[data-testid=labtrack-media-key][data-key='samples/digits']")
    step = key.get_by_test_id("labtrack-media-step")
    image = key.get_by_test_id("labtrack-media-image")
    # Then the section opens on the newest image, with a page of thumbnails, not all 30
    expect(step).to_have_attribute("data-step", "29", timeout=30_000)
    expect(image).to_have_attribute("data-step", "29")
    expect(key.get_by_test_id("labtrack-media-thumbnails").locator("button")).to_have_count(6)
    # When the slider is moved to step 3
    slider = key.get_by_test_id("labtrack-media-slider")
    slider.fill("3")
    # Then the step, its time and its image follow, fetched on demand
    expect(step).to_have_attribute("data-step", "3")
    expect(step).to_contain_text("step 3 · 4 of 30")
    expect(image).to_have_attribute("data-step", "3", timeout=30_000)
    # When the arrow keys are pressed on the slider
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    expect(step).to_have_attribute("data-step", "4")
    expect(image).to_have_attribute("data-step", "4", timeout=30_000)
    # And on the image itself (focus on the frame)
    key.locator(".lt-Media-frame").focus()
    page.keyboard.press("ArrowLeft")
    expect(step).to_have_attribute("data-step", "3")
    # And the System section draws the machine's charts, its headline the latest figures
    system = details.get_by_test_id("labtrack-run-system")
    expect(system.get_by_test_id("labtrack-run-system-headline")).to_contain_text("GPU 0")
    expect(system.locator(".lt-SystemChart")).to_have_count(5)
    expect(system.locator(".lt-SystemChart .js-plotly-plot")).to_have_count(5, timeout=30_000)
    assert "system/" not in details.get_by_test_id("labtrack-run-metrics").inner_text()
    media.scroll_into_view_if_needed()
    details.screenshot(path=artifacts_dir / "run-media-system-light.png")
    # When the image is clicked, it is shown full size, and Escape closes it
    key.locator(".lt-Media-frame").click()
    enlarged = page.get_by_test_id("labtrack-media-enlarged")
    expect(enlarged.locator("img")).to_be_visible(timeout=30_000)
    page.screenshot(path=artifacts_dir / "run-media-enlarged-light.png")
    expect(enlarged).to_be_focused()  # it takes the keyboard, so Escape reaches it
    page.keyboard.press("Escape")
    expect(enlarged).to_have_count(0)
    switch_theme("JupyterLab Dark")
    media.scroll_into_view_if_needed()
    details.screenshot(path=artifacts_dir / "run-media-system-dark.png")


PLOT = "document.querySelector('[data-testid=labtrack-compare-curves] .js-plotly-plot')"


def _wait_for_curves(page: Page, condition: str) -> None:
    """Until the curves' plotly div (``g``) satisfies ``condition``."""
    page.wait_for_function(
        f"() => {{ const g = {PLOT}; return !!(g && g.data && ({condition})); }}"
    )


def _curves(page: Page) -> dict:
    """What the curves' plotly figure holds: trace kinds, group names, fills, first line."""
    script = """() => {
        const gd = PLOT;
        return {
            metas: gd.data.map(t => t.meta || ''),
            names: gd.data.filter(t => t.meta === 'mean').map(t => t.name),
            fills: gd.data.filter(t => t.fill === 'tonexty').length,
            first: Array.from(gd.data.find(t => t.meta !== 'raw' && t.meta !== 'band').y),
        };
    }"""
    return page.evaluate(script.replace("PLOT", PLOT))


def test_the_compare_panel_groups_by_lr_smooths_and_shows_one_image_per_run(
    page, media_lab, store, open_lab, artifacts_dir, switch_theme
):
    # Given six runs over three learning rates, compared in the panel
    page.set_viewport_size({"width": 1300, "height": 1600})
    open_lab(media_lab)
    run_command(page, "labtrack:compare-runs", {"runIds": store.compared})
    panel = page.get_by_test_id("labtrack-compare-panel")
    curves = panel.get_by_test_id("labtrack-compare-curves")
    expect(curves).to_have_attribute("data-lines", "6", timeout=60_000)
    expect(curves.locator(".js-plotly-plot")).to_have_count(1, timeout=30_000)
    _wait_for_curves(page, "g.data.length === 6")
    ungrouped = _curves(page)
    # When the runs are grouped by params.lr
    panel.get_by_test_id("labtrack-compare-group-by").select_option("params.lr")
    expect(curves).to_have_attribute("data-groups", "3")
    _wait_for_curves(page, "g.data.filter(t => t.meta === 'mean').length === 3")
    # Then three mean lines are drawn, each with its band, the group size in the legend
    grouped = _curves(page)
    assert grouped["names"] == [f"params.lr = {lr} (n=2)" for lr in ("0.001", "0.01", "0.1")]
    assert grouped["fills"] == 3 and grouped["metas"].count("band") == 6
    # When smoothing is turned up
    before = grouped["first"]
    panel.get_by_test_id("labtrack-compare-smoothing").fill("0.8")
    _wait_for_curves(page, "g.data.some(t => t.meta === 'raw')")
    smoothed = _curves(page)
    # Then the drawn mean line changes, and the raw one stays, faint, under it
    assert smoothed["first"] != before and len(smoothed["first"]) == len(before)
    assert smoothed["metas"].count("raw") == 3
    panel.get_by_test_id("labtrack-compare-log-y").check()
    _wait_for_curves(page, "g._fullLayout.yaxis.type === 'log'")
    assert ungrouped["metas"].count("band") == 0
    # When each metric is read at step 40
    at_step = panel.get_by_test_id("labtrack-compare-at-step")
    at_step.fill("40")
    at_step.press("Enter")
    row = panel.locator("tr[data-metric-at-step=loss]")
    expect(row).to_contain_text("loss @ 40", timeout=30_000)
    expect(row.locator("td")).to_have_count(6)
    # And the image grid shows one image of `pred` per run at the chosen step
    grid = panel.get_by_test_id("labtrack-compare-media-grid")
    cells = grid.get_by_test_id("labtrack-compare-media-cell")
    expect(cells).to_have_count(6, timeout=30_000)
    expect(grid.locator("img")).to_have_count(6, timeout=30_000)
    expect(panel.get_by_test_id("labtrack-compare-media-step-value")).to_have_text("20")
    step_slider = panel.get_by_test_id("labtrack-compare-media-step")
    step_slider.focus()
    page.keyboard.press("ArrowLeft")  # 20 → 12 (the steps any run logged)
    expect(panel.get_by_test_id("labtrack-compare-media-step-value")).to_have_text("12")
    # Then each run shows its image at its nearest logged step (10 for those without 12)
    at = "[data-testid=labtrack-compare-media-cell][data-step='{}']"
    expect(grid.locator(at.format(12))).to_have_count(1, timeout=30_000)
    expect(grid.locator(at.format(10))).to_have_count(5)
    expect(grid.locator("img")).to_have_count(6, timeout=30_000)
    panel.screenshot(path=artifacts_dir / "compare-groups-media-light.png")
    switch_theme("JupyterLab Dark")
    expect(grid.locator("img")).to_have_count(6, timeout=30_000)
    panel.screenshot(path=artifacts_dir / "compare-groups-media-dark.png")


LIVE_CELL = (
    "%%track --name live-media --system-metrics-interval 0.5\n"
    "import time, mlflow, numpy as np\n"
    "for step in range(12):\n"
    "    mlflow.log_metric('loss', 1 / (step + 1), step=step)\n"
    "    img = np.zeros((24, 24, 3), np.uint8); img[:, : 2 * step + 1] = (40, 160, 230)\n"
    "    mlflow.log_image(img, key='pred', step=step)\n"
    "    time.sleep(0.4)\n"
)


def test_the_live_plot_and_track_compare_show_system_figures_images_and_groups(
    page, media_lab, store, open_lab, idle_kernel, artifacts_dir, switch_theme
):
    # Given a tracked cell that logs a metric and an image each step, sampled twice a second
    page.set_viewport_size({"width": 1280, "height": 1400})
    compare = f"%track compare {' '.join(store.compared)}"
    write_notebook(media_lab.root_dir / NOTEBOOK, "%load_ext labtrack", LIVE_CELL, compare)
    open_lab(media_lab, f"lab/tree/{NOTEBOOK}")
    idle_kernel()
    run_cell(page, 0)
    run_cell(page, 1)
    plot = page.get_by_test_id("labtrack-live-plot")
    expect(plot).to_be_visible(timeout=60_000)
    # Then the System row appears collapsed, its header showing CPU and memory figures
    row = plot.get_by_test_id("labtrack-system-row")
    expect(row).to_be_visible(timeout=60_000)
    expect(row).not_to_have_attribute("open", "")
    expect(row.get_by_test_id("labtrack-system-headline")).to_contain_text("CPU", timeout=30_000)
    expect(row.get_by_test_id("labtrack-system-headline")).to_contain_text("memory")
    # And the newest image of `pred` shows as it arrives, ending at the last step
    newest = plot.locator("[data-testid=labtrack-newest-image][data-key=pred]")
    expect(newest).to_be_visible(timeout=60_000)
    expect(plot).to_have_attribute("data-status", "FINISHED", timeout=90_000)
    expect(newest).to_have_attribute("data-step", "11", timeout=30_000)
    # And the metric grid has the run's own metric only
    expect(plot.get_by_test_id("labtrack-chart")).to_have_count(1)
    # When the System row is opened, its charts are drawn
    row.locator("summary").click()
    expect(row.get_by_test_id("labtrack-system-chart").first).to_be_visible()
    expect(row.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    plot.scroll_into_view_if_needed()
    plot.screenshot(path=artifacts_dir / "live-plot-system-images-light.png")

    # When the six runs are compared inline and grouped by lr, smoothed
    run_cell(page, 2)
    widget = page.get_by_test_id("labtrack-compare-widget")
    expect(widget).to_be_visible(timeout=60_000)
    overlay = widget.get_by_test_id("labtrack-compare-overlay")
    expect(overlay).to_have_attribute("data-lines", "6", timeout=60_000)
    widget.get_by_test_id("labtrack-compare-group-by").select_option("params.lr")
    # Then three mean lines with their bands are drawn
    expect(overlay).to_have_attribute("data-groups", "3", timeout=30_000)
    fills = "el => el.data.filter(t => t.fill === 'tonexty').length"
    assert overlay.evaluate(fills) == 3
    # And the image grid shows each run's `pred` image at the newest step, 20 (12 for one)
    grid = widget.get_by_test_id("labtrack-compare-media-grid")
    expect(grid.locator("img")).to_have_count(6, timeout=30_000)
    expect(widget.get_by_test_id("labtrack-compare-media-step-value")).to_have_text("20")
    # And each metric's value at step 40 joins the params table
    at_step = widget.get_by_test_id("labtrack-compare-at-step")
    at_step.fill("40")
    at_step.press("Enter")
    expect(widget.locator("tr[data-metric-at-step=loss]")).to_contain_text("loss @ 40")
    widget.scroll_into_view_if_needed()
    widget.screenshot(path=artifacts_dir / "compare-widget-groups-media-light.png")
    switch_theme("JupyterLab Dark")
    expect(row.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    plot.scroll_into_view_if_needed()
    plot.screenshot(path=artifacts_dir / "live-plot-system-images-dark.png")
    widget.scroll_into_view_if_needed()
    widget.screenshot(path=artifacts_dir / "compare-widget-groups-media-dark.png")
