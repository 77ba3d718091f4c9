"""``%track compare`` in a real JupyterLab: the canvas parallel coordinates paint one line
per run, show categorical and missing values, recolour by the chosen metric, and brushing
an axis (mouse or keyboard) changes ``widget.selected`` in the kernel; readable in light and
dark."""

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
        if i % 2 == 0:
            mlflow.log_param("dropout", 0.1 * i)  # missing in the odd runs
        for step in range(25):
            mlflow.log_metrics({"loss": 1 / (i + 1) + 0.5 * 0.9 ** step}, step=step)
        mlflow.log_metrics({"accuracy": 0.6 + 0.06 * i, "f1": 0.5 + 0.03 * (i % 4)})
print("logged")
"""
COMPARE = "w = %track compare --experiment Default --max 5\nw"
PRINT_SELECTED = (
    "print('SELECTED', len(w.selected), "
    "'LR', sorted(map(float, w.selected_frame['params.lr']), reverse=True))"
)


PARALLEL = "[data-testid=labtrack-compare-parallel]"
OVERLAY_PAPER = (
    "() => document.querySelector('[data-testid=labtrack-compare-overlay]')"
    "._fullLayout.paper_bgcolor"
)


def parallel(page: Page) -> dict:
    """What the canvas renderer painted: lines stroked, axes with their tick labels, brushes."""
    return page.evaluate(
        """s => {
            const host = document.querySelector(s);
            const axes = [...host.querySelectorAll('.lt-pc-axis')];
            const bar = host.querySelector('.lt-pc-colourbar');
            return {lines: Number(host.dataset.lines),
                    axes: axes.map(a => a.dataset.axis),
                    ticks: Object.fromEntries(axes.map(a => [a.dataset.axis,
                        [...a.querySelectorAll('.lt-pc-tick')].map(t => t.textContent)])),
                    brushes: Object.fromEntries(axes.map(a => [a.dataset.axis, a.dataset.brush])),
                    colour: bar && bar.dataset.metric,
                    labelFill: getComputedStyle(host.querySelector('.lt-pc-label')).fill};
        }""",
        PARALLEL,
    )


def kernel_says(page: Page, text: str) -> None:
    run_cell(page, 3)
    expect(
        page.locator(".jp-Notebook .jp-CodeCell").nth(3).locator(".jp-OutputArea")
    ).to_contain_text(text, timeout=30_000)


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
    expect(widget.get_by_test_id("labtrack-compare-parallel")).to_have_attribute(
        "data-lines", "5", timeout=30_000
    )

    # Then the parallel coordinates paint five lines, over the params and metrics
    shown = parallel(page)
    assert shown["lines"] == 5, shown
    assert {"lr", "optimizer", "batch_size", "dropout", "accuracy", "loss"} <= set(shown["axes"])
    expect(widget).to_have_attribute("data-runs", "5")
    # And the text param is a categorical axis ticked with its values
    assert shown["ticks"]["optimizer"] == ["adam", "sgd"], shown["ticks"]
    # And the runs without dropout cross its axis at "missing", below the logged values
    assert shown["ticks"]["dropout"][0] == "missing", shown["ticks"]
    # And the lines are coloured by the first metric, named by the colour bar and last axis
    assert shown["colour"] == shown["axes"][-1], shown
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
    kernel_says(page, "SELECTED 0")

    # When the upper part of the lr axis is brushed with the mouse
    brush = widget.locator(".lt-pc-axis[data-axis=lr] .lt-pc-hit")
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
    kernel_says(page, f"SELECTED {count}")
    # And they are the runs whose lr lies inside the drawn brush (lr is on a log10 axis)
    low, high = map(float, parallel(page)["brushes"]["lr"].split(","))
    inside = sorted((10.0**-i for i in range(1, 6) if low <= -i <= high), reverse=True)
    assert len(inside) == count
    assert f"LR {inside}" in cell_output(page, 3), cell_output(page, 3)
    assert widget.get_by_test_id("labtrack-compare-parallel").get_attribute("data-lines") == "5"
    widget.screenshot(path=artifacts_dir / "compare-widget-brushed-light.png")

    # When the lr brush is cleared by a click, and the optimizer axis brushed from the keyboard
    brush.click(position={"x": box["width"] / 2, "y": box["height"] * 0.9})
    optimizer = widget.locator(".lt-pc-axis[data-axis=optimizer] .lt-pc-hit")
    optimizer.focus()
    page.keyboard.press("ArrowDown")  # the top category: sgd

    # Then the kernel holds the runs logged with sgd (trial-2 and trial-4 of the last five)
    # (the view sends a selection once the keys settle: wait for it before asking the kernel)
    expect(widget).to_have_attribute("data-selected", "2", timeout=10_000)
    kernel_says(page, "SELECTED 2")
    assert parallel(page)["brushes"]["lr"] == ""

    # When Escape clears it and the lines are coloured by another metric
    optimizer.focus()  # running the cell took the focus
    page.keyboard.press("Escape")
    expect(widget).to_have_attribute("data-selected", "0", timeout=10_000)
    kernel_says(page, "SELECTED 0")
    widget.get_by_test_id("labtrack-compare-color").select_option("f1")

    # Then the colour bar and the last axis name f1, and every line is painted again
    page.wait_for_function(
        "s => document.querySelector(s + ' .lt-pc-colourbar')?.dataset.metric === 'f1'",
        arg=PARALLEL,
    )
    recoloured = parallel(page)
    assert recoloured["axes"][-1] == "f1" and recoloured["lines"] == 5, recoloured

    # And in the dark theme the widget is drawn with the theme's colours
    light_overlay = page.evaluate(OVERLAY_PAPER)
    switch_theme("JupyterLab Dark")
    widget.scroll_into_view_if_needed()
    light_label = shown["labelFill"]
    page.wait_for_function(
        "([s, light]) => getComputedStyle(document.querySelector(s + ' .lt-pc-label')).fill"
        " !== light",
        arg=[PARALLEL, light_label],
    )
    # The curves are redrawn by plotly on their own (after the lines): both go in the shot
    page.wait_for_function(f"light => ({OVERLAY_PAPER})() !== light", arg=light_overlay)
    dark = parallel(page)
    assert dark["labelFill"] != light_label, (dark["labelFill"], light_label)
    assert dark["lines"] == 5
    widget.screenshot(path=artifacts_dir / "compare-widget-dark.png")


MANY_RUNS = """\
from labtrack.backend.queries import MetricSeries
from labtrack.backend.shapes import (
    CompareMatrix, CompareMetricColumn, CompareParamColumn, CompareRun)
from labtrack.widgets.compare import CompareWidget
from labtrack.widgets.compare_payload import pack_matrix

N = 10_000
runs = [CompareRun(f"{i:032x}", f"trial-{i}", "1", "FINISHED") for i in range(N)]
params = [
    CompareParamColumn("optimizer", [("adam", "sgd", "rmsprop")[i % 3] for i in range(N)]),
    CompareParamColumn("layers", [None if i % 7 == 0 else str(i % 5) for i in range(N)]),
]
metrics = [
    CompareMetricColumn(f"metric_{k}", [((i * (k + 3)) % 997) / 997 for i in range(N)])
    for k in range(4)
]

class OnePointHistories:
    def metric_history(self, run_id, key, points, _window):
        return MetricSeries(key, [0], [1_700_000_000_000], [0.5], 1, False, 0)

big = CompareWidget(pack_matrix(CompareMatrix(runs, params, metrics)), OnePointHistories())
big
"""
PRINT_BIG_SELECTED = (
    "print('BIG', len(big.selected), all(int(r, 16) % 3 == 1 for r in big.selected))"
)


def test_ten_thousand_runs_paint_every_line_and_brushing_selects_among_all_of_them(
    page, extra_lab, open_lab, idle_kernel, artifacts_dir, switch_theme
):
    # Given a comparison of 10,000 runs (categorical and missing params, four metrics)
    lab = extra_lab("compare-10k")
    page.set_viewport_size({"width": 1280, "height": 1100})
    write_notebook(lab.root_dir / "many.ipynb", MANY_RUNS, PRINT_BIG_SELECTED)
    open_lab(lab, "lab/tree/many.ipynb")
    idle_kernel()

    # When its widget is shown
    run_cell(page, 0)
    widget = page.get_by_test_id("labtrack-compare-widget")

    # Then every run's line is painted
    expect(widget.get_by_test_id("labtrack-compare-parallel")).to_have_attribute(
        "data-lines", "10000", timeout=60_000
    )
    shown = parallel(page)
    assert shown["ticks"]["optimizer"] == ["adam", "rmsprop", "sgd"], shown["ticks"]
    assert shown["ticks"]["layers"][0] == "missing", shown["ticks"]
    widget.scroll_into_view_if_needed()
    widget.locator(".lt-w-cmp-scroll").screenshot(path=artifacts_dir / "compare-10k-light.png")

    # When the top category of the optimizer axis (sgd) is brushed from the keyboard
    widget.locator(".lt-pc-axis[data-axis=optimizer] .lt-pc-hit").focus()
    page.keyboard.press("ArrowDown")

    # Then the kernel holds every sgd run of the 10,000 (i % 3 == 1), not a sample
    expect(widget).to_have_attribute("data-selected", "3333", timeout=30_000)
    run_cell(page, 1)
    expect(
        page.locator(".jp-Notebook .jp-CodeCell").nth(1).locator(".jp-OutputArea")
    ).to_contain_text("BIG 3333 True", timeout=30_000)
    widget.locator(".lt-w-cmp-scroll").screenshot(
        path=artifacts_dir / "compare-10k-brushed-light.png"
    )

    # And in the dark theme every line is painted again, the brush kept
    switch_theme("JupyterLab Dark")
    page.wait_for_function(
        "([s, light]) => getComputedStyle(document.querySelector(s + ' .lt-pc-label')).fill"
        " !== light",
        arg=[PARALLEL, shown["labelFill"]],
    )
    dark = parallel(page)
    assert dark["lines"] == 10_000 and dark["brushes"]["optimizer"], dark
    widget.scroll_into_view_if_needed()
    widget.locator(".lt-w-cmp-scroll").screenshot(path=artifacts_dir / "compare-10k-dark.png")
