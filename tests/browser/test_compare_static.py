"""Static export in a real JupyterLab: the widget draws, ``to_html`` writes what it drew
into a standalone file, and that file shows the same parallel coordinates with no kernel."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from test_compare_widget import LOAD, LOG_RUNS
from test_live_plot import run_cell, write_notebook
from widget_traffic import SentStates

NOTEBOOK = "static.ipynb"
COMPARE = "w = %track compare --experiment Default --max 5\nw"
EXPORT = "w.to_html('{name}'); print('EXPORTED', sorted(w.figures))"


def cell_output(page: Page, index: int):
    return page.locator(".jp-Notebook .jp-CodeCell").nth(index).locator(".jp-OutputArea")


def both_figures(state: dict) -> bool:
    """A state the compare view sent holds both figures it draws."""
    return set(state.get("figures", {})) == {"overlay", "parallel"}


def paper_colours(state: dict) -> dict[str, str]:
    """The paper colour of each figure in a state the compare view sent."""
    return {name: figure["layout"]["paper_bgcolor"] for name, figure in state["figures"].items()}


def static_parcoords(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const gd = document.querySelector('.js-plotly-plot');
            const trace = gd && gd.data && gd.data[0];
            return trace && {type: trace.type, lines: trace.dimensions[0].values.length,
                             drawn: document.querySelectorAll('.parcoords').length,
                             paper: gd._fullLayout.paper_bgcolor};
        }"""
    )


def test_to_html_writes_a_file_that_shows_the_widgets_parcoords_without_a_kernel(
    page, extra_lab, open_lab, idle_kernel, artifacts_dir, switch_theme, browser
):
    # Given five runs compared in a notebook, drawn by the widget
    lab = extra_lab("static")
    sent = SentStates(page)
    page.set_viewport_size({"width": 1280, "height": 1300})
    write_notebook(
        lab.root_dir / NOTEBOOK,
        LOAD,
        LOG_RUNS,
        COMPARE,
        EXPORT.format(name="light.html"),
        EXPORT.format(name="dark.html"),
    )
    open_lab(lab, f"lab/tree/{NOTEBOOK}")
    idle_kernel()
    run_cell(page, 0)
    run_cell(page, 1)
    expect(cell_output(page, 1)).to_contain_text("logged", timeout=60_000)
    run_cell(page, 2)
    widget = page.get_by_test_id("labtrack-compare-widget")
    expect(widget.get_by_test_id("labtrack-compare-parallel")).to_have_attribute(
        "data-lines", "5", timeout=60_000
    )
    expect(widget.get_by_test_id("labtrack-compare-overlay")).to_have_attribute(
        "data-lines", "5", timeout=60_000
    )
    # The kernel exports what the view sent (50 ms after drawing): both figures, once sent
    light = paper_colours(sent.wait_for(both_figures, "with both figures"))

    # When the kernel writes the HTML, in the light theme and then in the dark one
    run_cell(page, 3)
    expect(cell_output(page, 3)).to_contain_text("EXPORTED ['overlay', 'parallel']", timeout=30_000)
    switch_theme("JupyterLab Dark")
    sent.wait_for(
        lambda state: (
            both_figures(state)
            and all(paper_colours(state)[name] != paper for name, paper in light.items())
        ),
        "with both figures redrawn on another paper",
    )
    run_cell(page, 4)
    expect(cell_output(page, 4)).to_contain_text("EXPORTED", timeout=30_000)

    # Then each file, opened on its own (file://, no server, no kernel), shows five lines
    papers = {}
    for theme in ("light", "dark"):
        static = browser.new_page(viewport={"width": 1280, "height": 1000})
        static.goto((lab.root_dir / f"{theme}.html").as_uri())
        expect(static.locator(".parcoords").first).to_be_attached(timeout=30_000)
        shown = static_parcoords(static)
        assert shown["type"] == "parcoords" and shown["lines"] == 5, shown
        papers[theme] = shown["paper"]
        expect(static.locator("table.lt-params tr")).not_to_have_count(0)
        static.screenshot(path=artifacts_dir / f"compare-static-{theme}.png", full_page=True)
        static.close()
    # And the export keeps the theme it was drawn in
    assert papers["light"] != papers["dark"], papers
