"""examples/quickstart.ipynb executed headless (nbclient, as papermill and CI run it), saved,
then opened in JupyterLab with no kernel running: the tracked cell shows its static plot
and final status instead of "Error displaying widget: model not found", in the light and
the dark theme, untrusted (as saved) and trusted."""

from __future__ import annotations

import nbformat
from conftest import EXAMPLES, wait_for_idle_kernel
from nbclient import NotebookClient
from playwright.sync_api import Page, expect
from real_kernels import kernel_env

NOTEBOOK = "saved-quickstart.ipynb"
STATIC = ".jp-LabtrackOutput[data-labtrack-showing='static'] .lt-static-live_plot"
TIMEOUT_MS = 60_000


def _open_without_a_kernel(page: Page, open_lab, lab) -> None:
    """Open the notebook, then shut its kernel down (JupyterLab starts one on opening)."""
    open_lab(lab, f"lab/tree/{NOTEBOOK}")
    wait_for_idle_kernel(page)
    page.locator(".lm-MenuBar-item", has_text="Kernel").click()
    page.locator(".lm-Menu-item", has_text="Shut Down Kernel").first.click()
    expect(page.locator(".jp-StatusBar-Widget", has_text="No Kernel")).to_be_visible(
        timeout=TIMEOUT_MS
    )


def _trust_notebook(page: Page) -> None:
    page.keyboard.press("Control+Shift+c")
    palette = page.locator(".lm-CommandPalette-input")
    palette.fill("Trust Notebook")
    page.locator(".lm-CommandPalette-item", has_text="Trust Notebook").first.click()
    page.locator(".jp-Dialog").get_by_role("button", name="Trust").click()


def test_a_headless_executed_notebook_shows_its_static_plot_with_no_kernel(
    page, extra_lab, open_lab, artifacts_dir, switch_theme
):
    # Given the quickstart executed by nbclient (widget state saved, as by default) and saved
    lab = extra_lab("saved")
    notebook = nbformat.read(EXAMPLES / "quickstart.ipynb", as_version=4)
    NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(lab.root_dir)}},
    ).execute(env=kernel_env(lab.labtrack_home))
    nbformat.write(notebook, lab.root_dir / NOTEBOOK)

    # When it is opened in JupyterLab and no kernel is running
    _open_without_a_kernel(page, open_lab, lab)

    # Then the tracked cell shows its run card, final status and charts, inline and themed
    static = page.locator(STATIC)
    expect(static).to_be_visible(timeout=TIMEOUT_MS)
    expect(static.locator(".lt-static-card")).to_contain_text("churn-gbm")
    expect(static.locator(".lt-static-status")).to_have_text("FINISHED")
    charts = static.locator("svg.lt-static-inline:not(.lt-static-system svg)")
    expect(charts).to_have_count(2)  # train_loss and valid_loss; the scores are in a table
    # And the machine's charts wait in a collapsed System section, as in the live plot
    system = static.locator("details.lt-static-system")
    expect(system).to_have_count(1)
    expect(system).not_to_have_attribute("open", "")
    expect(static.locator("table")).to_contain_text("roc_auc")
    expect(charts.first.locator("path.lt-s0")).to_have_count(1)
    expect(page.get_by_text("model not found")).to_have_count(0)
    expect(page.get_by_text("RUNNING")).to_have_count(0)
    static.scroll_into_view_if_needed()
    page.screenshot(path=artifacts_dir / "saved-notebook-static-light.png")
    light = _chart_colours(page)

    # And in the dark theme the charts take the theme's text colour and lighter traces
    switch_theme("JupyterLab Dark")
    expect(static).to_be_visible(timeout=TIMEOUT_MS)
    static.scroll_into_view_if_needed()
    page.screenshot(path=artifacts_dir / "saved-notebook-static-dark.png")
    dark = _chart_colours(page)
    assert dark["text"] == dark["theme"] != light["text"] == light["theme"], (light, dark)
    assert dark["trace"] != light["trace"] and dark["card"] == "rgba(0, 0, 0, 0)"  # no card

    # And once trusted (outputs re-rendered as trusted, so the widget is tried first, and
    # JupyterLab draws it from the widget state nbclient saved, disconnected: no kernel
    # feeds it) the static form is still what shows
    _trust_notebook(page)
    expect(page.locator(".jp-LabtrackOutput-widget .jupyter-widgets-disconnected")).to_have_count(
        1, timeout=TIMEOUT_MS
    )
    expect(static).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("model not found")).to_have_count(0)
    page.screenshot(path=artifacts_dir / "saved-notebook-static-trusted-dark.png")


def _chart_colours(page: Page) -> dict:
    return page.evaluate(
        """selector => {
            const svg = document.querySelector(`${selector} svg.lt-static-inline`);
            const text = svg.querySelector('text');
            const theme = getComputedStyle(document.body)
                .getPropertyValue('--jp-ui-font-color1').trim();
            const probe = document.createElement('span');
            probe.style.color = theme;
            document.body.append(probe);
            const resolved = getComputedStyle(probe).color;
            probe.remove();
            return {
                text: getComputedStyle(text).fill,
                theme: resolved,
                trace: getComputedStyle(svg.querySelector('path.lt-s0')).stroke,
                card: getComputedStyle(svg.querySelector('.lt-bg')).fill,
            };
        }""",
        STATIC,
    )
