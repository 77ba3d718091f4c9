"""The main-area Compare panel: parallel coordinates, overlaid curves and the params diff."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from mlflow import MlflowClient
from mlflow.entities import Metric, Param
from playwright.sync_api import Page, expect

HOSTILE_RUN_NAME = "<img src=x onerror=alert(1)>"
STEPS = 20
COMPARE = ".lt-Compare"
PARALLEL = f"{COMPARE} .lt-Compare-parallel[data-lines]"
OVERLAY = f"{COMPARE} .lt-Compare-overlay.js-plotly-plot"
PLOT_TIMEOUT_MS = 60_000


@dataclass(frozen=True)
class ComparedRuns:
    run_ids: list[str]
    names: list[str]


@pytest.fixture(scope="module")
def compared_runs(lab_with_app) -> ComparedRuns:
    """Three finished runs in the lab's own store: numeric and text params, `dropout` missing
    on one run, `seed` equal everywhere, and `loss`/`accuracy` logged over 20 steps."""
    client = MlflowClient(tracking_uri=lab_with_app.tracking_uri)
    experiment_id = client.create_experiment(
        "compare-panel", str(lab_with_app.labtrack_home / "artifacts" / "compare-panel")
    )
    runs = [
        ("baseline", {"lr": "0.1", "optimizer": "adam", "seed": "42", "dropout": "0.2"}),
        ("wide", {"lr": "0.01", "optimizer": "sgd", "seed": "42"}),
        (HOSTILE_RUN_NAME, {"lr": "0.001", "optimizer": "adam", "seed": "42", "dropout": "0.5"}),
    ]
    run_ids = []
    for index, (name, params) in enumerate(runs):
        run_id = client.create_run(experiment_id, run_name=name).info.run_id
        metrics = [
            metric
            for step in range(STEPS)
            for metric in (
                Metric("loss", 1.0 / (step + 1 + index), 1_700_000_000_000 + step, step),
                Metric("accuracy", 0.5 + index * 0.1 + step / 100, 1_700_000_000_000 + step, step),
            )
        ]
        client.log_batch(run_id, metrics=metrics, params=[Param(k, v) for k, v in params.items()])
        client.set_terminated(run_id)
        run_ids.append(run_id)
    return ComparedRuns(run_ids=run_ids, names=[name for name, _ in runs])


def run_command(page: Page, run_ids: list[str]) -> None:
    page.evaluate(
        """async runIds => {
            await window.jupyterapp.commands.execute('labtrack:compare-runs', { runIds });
        }""",
        run_ids,
    )


def plot_data(page: Page, selector: str) -> list[dict]:
    return page.evaluate(
        "s => JSON.parse(JSON.stringify(document.querySelector(s).data))", selector
    )


def parallel(page: Page) -> dict:
    """What the canvas parallel coordinates painted: lines, axes and their tick labels."""
    return page.evaluate(
        """s => {
            const host = document.querySelector(s);
            const axes = [...host.querySelectorAll('.lt-pc-axis')];
            const bar = host.querySelector('.lt-pc-colourbar');
            const label = host.querySelector('.lt-pc-label');
            return {lines: Number(host.dataset.lines), selected: Number(host.dataset.selected),
                    axes: axes.map(a => a.dataset.axis),
                    ticks: Object.fromEntries(axes.map(a => [a.dataset.axis,
                        [...a.querySelectorAll('.lt-pc-tick')].map(t => t.textContent)])),
                    tilted: (label.getAttribute('transform') || '').includes('rotate'),
                    colour: bar && bar.dataset.metric,
                    labelFill: getComputedStyle(label).fill,
                    width: host.getBoundingClientRect().width};
        }""",
        PARALLEL,
    )


def plot_layout(page: Page, selector: str) -> dict:
    return page.evaluate(
        "s => JSON.parse(JSON.stringify(document.querySelector(s).layout))", selector
    )


@pytest.fixture
def compare_panel(page, lab_with_app, open_lab, compared_runs):
    """Open JupyterLab and compare the three runs; return once both plots are drawn."""
    open_lab(lab_with_app)
    run_command(page, compared_runs.run_ids)
    page.locator(PARALLEL).wait_for(state="attached", timeout=PLOT_TIMEOUT_MS)
    page.locator(OVERLAY).wait_for(state="attached", timeout=PLOT_TIMEOUT_MS)
    return page.locator(COMPARE)


def test_parallel_coordinates_draw_one_line_per_run(page, compare_panel):
    # Given three compared runs (see compared_runs)
    # Then the panel's tab says how many runs it compares
    expect(
        page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text="Compare (3 runs)")
    ).to_be_visible()

    # And one line per run is painted across the params' and metrics' axes
    shown = parallel(page)
    assert shown["lines"] == 3, shown
    assert {"lr", "optimizer", "seed", "dropout", "loss", "accuracy"} <= set(shown["axes"])

    # And the text param is a categorical axis ticked with its category names
    assert shown["ticks"]["optimizer"] == ["adam", "sgd"]

    # And the lines are coloured by the first metric by default, with its colour bar
    assert shown["colour"] == shown["axes"][-1], shown

    # And the run without `dropout` crosses that axis at "missing", its lowest tick: brushing
    # the bottom of the axis highlights that run alone
    assert shown["ticks"]["dropout"][0] == "missing"
    hit = page.locator(f"{PARALLEL} .lt-pc-axis[data-axis=dropout] .lt-pc-hit")
    hit.scroll_into_view_if_needed()
    box = hit.bounding_box()
    x = box["x"] + box["width"] / 2
    page.mouse.move(x, box["y"] + box["height"] * 0.92)
    page.mouse.down()
    page.mouse.move(x, box["y"] + box["height"] - 1, steps=5)
    page.mouse.up()
    expect(page.locator(PARALLEL)).to_have_attribute("data-selected", "1")
    assert parallel(page)["lines"] == 3


def test_colour_select_recolours_lines_by_the_chosen_metric(page, compare_panel):
    # Given the panel coloured by its default metric
    select = page.get_by_test_id("labtrack-compare-color-metric")
    default = select.input_value()

    # When another metric is chosen with the keyboard-focusable select
    other = "accuracy" if default != "accuracy" else "loss"
    select.select_option(other)

    # Then the colour bar and the last axis name that metric, over all three lines
    page.wait_for_function(
        "([s, key]) => document.querySelector(s + ' .lt-pc-colourbar')?.dataset.metric === key",
        arg=[PARALLEL, other],
    )
    shown = parallel(page)
    assert shown["axes"][-1] == other
    assert shown["lines"] == 3


def test_overlay_draws_each_runs_history_with_run_names(page, compare_panel, compared_runs):
    # Given the panel's metric curves for the default metric
    traces = plot_data(page, OVERLAY)

    # Then there is one full-length line per run, named after the run
    assert len(traces) == 3
    assert all(len(t["x"]) == STEPS for t in traces)
    legend = page.locator(f"{OVERLAY} .legendtext").all_text_contents()
    assert legend == compared_runs.names

    # When another metric is chosen
    page.get_by_test_id("labtrack-compare-overlay-metric").select_option("accuracy")

    # Then its curves replace the others
    page.wait_for_function(
        # (the plot may be re-mounted meanwhile: a missing one is "not yet", not an error)
        "s => document.querySelector(s)?.layout?.yaxis?.title?.text === 'accuracy'",
        arg=OVERLAY,
    )
    traces = plot_data(page, OVERLAY)
    assert len(traces) == 3
    assert traces[2]["y"][0] == pytest.approx(0.7)


def test_params_diff_shows_only_differences_until_unticked(page, compare_panel):
    # Given the params table with "Only differences" ticked (the default)
    table = page.get_by_test_id("labtrack-compare-params")
    only = page.get_by_test_id("labtrack-compare-only-differences")
    expect(only).to_be_checked()

    # Then a param that differs is shown and one equal in every run is hidden
    expect(table.locator("tr[data-param='lr']")).to_be_visible()
    expect(table.locator("tr[data-param='seed']")).to_have_count(0)
    expect(table.locator("tr[data-param='dropout'] td").nth(1)).to_have_text("—")

    # When the box is unticked from the keyboard
    only.focus()
    page.keyboard.press("Space")

    # Then the equal param is shown too
    expect(only).not_to_be_checked()
    expect(table.locator("tr[data-param='seed']")).to_be_visible()
    expect(table.locator("tr[data-param='seed'] td")).to_have_text(["42", "42", "42"])


def test_hostile_run_name_is_shown_as_text(page, page_alerts, compare_panel):
    # Given a run named like an HTML image tag with an onerror handler (alerts are recorded
    # from before the panel opens)

    # Then its name is shown literally in the table header and the legend
    header = page.locator(f"{COMPARE} .lt-Compare-table thead th")
    expect(header.nth(3)).to_have_text(HOSTILE_RUN_NAME)
    expect(page.locator(f"{OVERLAY} .legendtext").nth(2)).to_have_text(HOSTILE_RUN_NAME)

    # And no element was made of it, and nothing ran
    assert page.locator(f"{COMPARE} img").count() == 0
    assert page.evaluate("document.querySelectorAll('img[src=x]').length") == 0
    assert page_alerts == []


def test_compare_needs_at_least_two_runs(page, lab_with_app, open_lab, compared_runs):
    # Given a fresh JupyterLab where no run is ticked in the Runs table
    open_lab(lab_with_app)
    enabled = """args => window.jupyterapp.commands.isEnabled('labtrack:compare-runs', args)"""

    # Then the command is disabled for no runs or one, enabled for two
    assert page.evaluate(enabled, {}) is False
    assert page.evaluate(enabled, {"runIds": compared_runs.run_ids[:1]}) is False
    assert page.evaluate(enabled, {"runIds": compared_runs.run_ids[:2]}) is True

    # And the palette lists it under labtrack, disabled without a selection
    page.keyboard.press("Control+Shift+C")
    page.locator(".lm-CommandPalette-input").fill("Compare Selected Runs")
    item = page.locator(".lm-CommandPalette-item", has_text="Compare Selected Runs")
    expect(item).to_have_count(1)
    expect(item).to_have_class(re.compile(r"\blm-mod-disabled\b"))


def test_server_error_is_shown_with_the_servers_message(
    page, lab_with_app, open_lab, compared_runs, artifacts_dir
):
    # Given a comparison that names a run the store does not have
    open_lab(lab_with_app)
    unknown = "0" * 32

    # When the runs are compared
    run_command(page, [compared_runs.run_ids[0], unknown])

    # Then the panel says so with the server's own message
    error = page.get_by_test_id("labtrack-compare-error")
    expect(error).to_be_visible(timeout=30_000)
    expect(error).to_contain_text("Could not compare the runs.")
    expect(error).to_contain_text(unknown)
    page.locator(COMPARE).screenshot(path=artifacts_dir / "compare-panel-error.png")


def test_compare_panel_is_readable_in_light_and_dark_themes(
    page, compare_panel, contrast, switch_theme, artifacts_dir
):
    # Given the panel in the default light theme, in a window tall enough to show all of it
    page.set_viewport_size({"width": 1440, "height": 1500})
    expect(page.locator("body[data-jp-theme-light='true']")).to_have_count(1)
    light_background = plot_layout(page, OVERLAY)["paper_bgcolor"]
    light_label = parallel(page)["labelFill"]
    texts = [".lt-Compare-sectionTitle", ".lt-Compare-table tbody td", ".lt-Compare-note"]
    for selector in texts:
        assert contrast(f"{COMPARE} {selector}", ".lt-Compare") >= 4.5, selector
    compare_panel.screenshot(path=artifacts_dir / "compare-panel-light.png")

    # When the theme is switched to JupyterLab Dark
    switch_theme("JupyterLab Dark")

    # Then the plots are drawn again in the dark theme's colours and the text still stands out
    page.wait_for_function(
        "([s, fill]) => getComputedStyle(document.querySelector(s + ' .lt-pc-label')).fill"
        " !== fill",
        arg=[PARALLEL, light_label],
    )
    page.wait_for_function(
        "([s, bg]) => (document.querySelector(s)?.layout?.paper_bgcolor ?? bg) !== bg",
        arg=[OVERLAY, light_background],
    )
    for selector in texts:
        assert contrast(f"{COMPARE} {selector}", ".lt-Compare") >= 4.5, selector
    compare_panel.screenshot(path=artifacts_dir / "compare-panel-dark.png")


@pytest.fixture(scope="module")
def sweep_runs(lab_with_app) -> list[str]:
    """Three runs of a sweep over 16 params with long names (one text-valued), one metric."""
    client = MlflowClient(tracking_uri=lab_with_app.tracking_uri)
    experiment_id = client.create_experiment(
        "compare-panel-sweep", str(lab_with_app.labtrack_home / "artifacts" / "compare-panel-sweep")
    )
    run_ids = []
    for index in range(3):
        run_id = client.create_run(experiment_id, run_name=f"sweep-{index}").info.run_id
        params = [
            Param(f"encoder.layer_{n:02d}.hidden_size", str(64 * (n + index))) for n in range(15)
        ]
        params.append(Param("scheduler", ["cosine", "linear", "constant"][index]))
        client.log_batch(
            run_id, metrics=[Metric("val_loss", 0.3 - index * 0.05, 0, 0)], params=params
        )
        client.set_terminated(run_id)
        run_ids.append(run_id)
    return run_ids


def test_many_axes_stay_readable(page, lab_with_app, open_lab, sweep_runs, artifacts_dir):
    # Given three runs with 16 params of long names
    open_lab(lab_with_app)

    # When they are compared
    run_command(page, sweep_runs)
    page.locator(PARALLEL).wait_for(state="attached", timeout=PLOT_TIMEOUT_MS)

    # Then all 17 axes are drawn with tilted labels, each telling its param apart
    shown = parallel(page)
    labels = page.locator(f"{PARALLEL} .lt-pc-label").all_text_contents()
    assert len(shown["axes"]) == 17
    assert labels[0] == "encoder.layer_00.hidden_size"
    assert len(set(labels)) == 17
    assert shown["tilted"]

    # And the plot keeps a readable width, scrolling sideways rather than squeezing the axes
    assert shown["width"] >= 17 * 100
    page.locator(COMPARE).screenshot(path=artifacts_dir / "compare-panel-many-axes.png")


def test_plotly_loads_only_when_a_compare_panel_opens(page, lab_with_app, open_lab, compared_runs):
    # Given a fresh JupyterLab with labtrack's extension loaded
    open_lab(lab_with_app)
    plotly_requests = """() => performance.getEntriesByType('resource')
        .map(entry => entry.name).filter(name => name.includes('plotly'))
        .filter(name => !name.includes('/extensions/jupyterlab-plotly/')).length"""
    labtrack_loaded = """() => performance.getEntriesByType('resource')
        .some(entry => entry.name.includes('/extensions/labtrack/'))"""
    assert page.evaluate(labtrack_loaded)

    # Then plotly (4.6 MB) has not been fetched by labtrack (the test extra installs the
    # Python plotly package, whose own JupyterLab extension is not labtrack's doing)
    assert page.evaluate(plotly_requests) == 0

    # When runs are compared
    run_command(page, compared_runs.run_ids)
    page.locator(OVERLAY).wait_for(state="attached", timeout=PLOT_TIMEOUT_MS)

    # Then plotly is fetched (for the curves), once
    assert page.evaluate(plotly_requests) == 1


def test_runs_ticked_in_the_runs_table_are_compared(page, lab_with_app, open_lab, compared_runs):
    # Given the Runs table on the compared runs' experiment
    open_lab(lab_with_app)
    page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id='labtrack-runs']").click()
    panel = page.get_by_test_id("labtrack-runs-panel")
    panel.get_by_test_id("labtrack-experiment").select_option(label="compare-panel", timeout=30_000)
    compare = panel.get_by_test_id("labtrack-compare")
    enabled = "() => window.jupyterapp.commands.isEnabled('labtrack:compare-runs')"

    # When three runs are ticked
    assert len(compared_runs.run_ids) >= 3
    for run_id in compared_runs.run_ids[:3]:
        panel.locator(f".lt-RunsTable-row[data-run-id='{run_id}'] input[type=checkbox]").check()

    # Then the palette command follows the selection, and Compare opens a panel of those three
    # whose parallel coordinates paint exactly three lines
    assert page.evaluate(enabled) is True
    compare.click()
    expect(
        page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text="Compare (3 runs)")
    ).to_be_visible()
    page.locator(PARALLEL).wait_for(state="attached", timeout=PLOT_TIMEOUT_MS)
    assert parallel(page)["lines"] == 3
