"""``%track compare`` in a real JupyterLab: one parcoords line per run, brushing an axis
with the mouse changes ``widget.selected`` in the kernel, readable in light and dark."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from test_live_plot import run_cell, write_notebook

NOTEBOOK = "compare.ipynb"
LOAD = "%load_ext labtrack"
LOG_RUNS = """\
import mlflow
for i in range(6):
    with mlflow.start_run(run_name=f"trial-{i}"):
        mlflow.log_params({"lr": 10.0 ** -i, "optimizer": "adam" if i % 2 else "sgd",
                           "batch_size": 32 * (1 + i % 3), "seed": 7})
        for step in range(25):
            mlflow.log_metrics({"loss": 1 / (i + 1) + 0.5 * 0.9 ** step}, step=step)
        mlflow.log_metrics({"accuracy": 0.6 + 0.06 * i, "f1": 0.5 + 0.03 * (i % 4)})
print("logged")
"""
COMPARE = "w = %track compare --last 5\nw"
PRINT_SELECTED = (
    "print('SELECTED', len(w.selected), "
    "'LR', sorted(map(float, w.selected_frame['params.lr']), reverse=True))"
)


def parcoords(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const gd = document.querySelector('[data-testid=labtrack-compare-parallel]');
            const trace = gd && gd.data && gd.data[0];
            if (!trace) return null;
            return {lines: trace.dimensions[0].values.length,
                    axes: trace.dimensions.map(d => d.label)};
        }"""
    )


def cell_output(page: Page, index: int) -> str:
    return (
        page.locator(".jp-Notebook .jp-CodeCell").nth(index).locator(".jp-OutputArea").inner_text()
    )


def test_compare_last_five_shows_five_lines_and_brushing_selects_runs_in_the_kernel(
    page, extra_lab, open_lab, idle_kernel, artifacts_dir, switch_theme
):
    # Given six runs logged in a notebook with labtrack loaded
    lab = extra_lab("compare")
    page.set_viewport_size({"width": 1280, "height": 1500})  # the whole widget in screenshots
    write_notebook(lab.root_dir / NOTEBOOK, LOAD, LOG_RUNS, COMPARE, PRINT_SELECTED)
    open_lab(lab, f"lab/tree/{NOTEBOOK}")
    idle_kernel()
    run_cell(page, 0)
    run_cell(page, 1)
    expect(
        page.locator(".jp-Notebook .jp-CodeCell").nth(1).locator(".jp-OutputArea")
    ).to_contain_text("logged", timeout=60_000)

    # When the last five runs are compared
    run_cell(page, 2)
    widget = page.get_by_test_id("labtrack-compare-widget")
    expect(widget).to_be_visible(timeout=60_000)
    expect(widget.locator(".parcoords").first).to_be_attached(timeout=30_000)

    # Then the parallel coordinates hold five lines, over the params and metrics
    shown = parcoords(page)
    assert shown["lines"] == 5, shown
    assert {"lr", "optimizer", "batch_size", "accuracy", "loss"} <= set(shown["axes"]), shown
    expect(widget).to_have_attribute("data-runs", "5")
    # And the loss curves of the five runs are overlaid (loss is the first stepped metric)
    widget.get_by_test_id("labtrack-compare-curve").select_option("loss")
    expect(widget.get_by_test_id("labtrack-compare-overlay")).to_have_attribute(
        "data-lines", "5", timeout=30_000
    )
    # And "only differences" hides the seed every run shares
    params = widget.get_by_test_id("labtrack-compare-params")
    expect(params.locator("tr[data-param=lr]")).to_have_count(1)
    expect(params.locator("tr[data-param=seed]")).to_have_count(0)
    widget.scroll_into_view_if_needed()
    widget.screenshot(path=artifacts_dir / "compare-widget-light.png")

    # And nothing is selected in the kernel yet
    run_cell(page, 3)
    expect(
        page.locator(".jp-Notebook .jp-CodeCell").nth(3).locator(".jp-OutputArea")
    ).to_contain_text("SELECTED 0", timeout=30_000)

    # When the upper part of the lr axis (the second) is brushed with the mouse
    brush = widget.locator(".parcoords .axis-brush").nth(shown["axes"].index("lr"))
    brush.scroll_into_view_if_needed()
    box = brush.bounding_box()
    assert box is not None
    x = box["x"] + box["width"] / 2
    page.mouse.move(x, box["y"] + box["height"] * 0.03)
    page.mouse.down()
    page.mouse.move(x, box["y"] + box["height"] * 0.2, steps=6)
    page.mouse.move(x, box["y"] + box["height"] * 0.4, steps=6)
    page.mouse.up()

    # Then the widget counts some but not all runs selected
    expect(widget).not_to_have_attribute("data-selected", "0", timeout=10_000)
    count = int(widget.get_attribute("data-selected"))
    assert 0 < count < 5
    # And the kernel's widget.selected holds them
    run_cell(page, 3)
    expect(
        page.locator(".jp-Notebook .jp-CodeCell").nth(3).locator(".jp-OutputArea")
    ).to_contain_text(f"SELECTED {count}", timeout=30_000)
    # And they are the runs plotly highlights: lr inside the brushed range of the lr axis
    # (plotly snaps a brush on a ticked axis to the ticks it covers)
    low, high = page.evaluate(
        "() => document.querySelector('[data-testid=labtrack-compare-parallel]')"
        ".data[0].dimensions.find(d => d.label === 'lr').constraintrange"
    )
    inside = sorted((10.0**-i for i in range(1, 6) if low <= -i <= high), reverse=True)
    assert len(inside) == count
    assert f"LR {inside}" in cell_output(page, 3), cell_output(page, 3)
    widget.screenshot(path=artifacts_dir / "compare-widget-brushed-light.png")

    # And in the dark theme the widget is drawn with the theme's colours
    switch_theme("JupyterLab Dark")
    widget.scroll_into_view_if_needed()
    page.wait_for_timeout(1_000)
    paper = page.evaluate(
        "() => document.querySelector('[data-testid=labtrack-compare-parallel]')"
        "._fullLayout.paper_bgcolor"
    )
    assert paper not in ("#fff", "#ffffff", "white", "rgb(255, 255, 255)"), paper
    widget.screenshot(path=artifacts_dir / "compare-widget-dark.png")
