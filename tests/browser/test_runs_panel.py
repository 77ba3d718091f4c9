"""The Runs sidebar as a person sees it in a fresh JupyterLab."""

from __future__ import annotations

from playwright.sync_api import expect

RUNS_TAB = ".jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id='labtrack-runs']"


def test_runs_tab_opens_panel_showing_embedded_backend_reachable(
    page, fresh_lab, open_lab, artifacts_dir
):
    # Given a fresh JupyterLab with labtrack installed and no MLFLOW_TRACKING_URI
    lab = fresh_lab
    open_lab(lab)
    tab = page.locator(RUNS_TAB)
    expect(tab).to_be_visible()
    expect(tab).to_have_attribute("title", "Runs")

    # When the Runs tab in the left sidebar is clicked
    tab.click()

    # Then the panel shows the embedded store under LABTRACK_HOME, reachable, and the hint
    panel = page.get_by_test_id("labtrack-runs-panel")
    expect(panel).to_be_visible()
    expect(panel.locator(".lt-RunsPanel-title")).to_have_text("Runs")
    expect(page.get_by_test_id("labtrack-backend-kind")).to_have_text("embedded", timeout=30_000)
    expect(page.get_by_test_id("labtrack-backend-reachability")).to_have_attribute(
        "data-reachable", "true"
    )
    expect(page.get_by_test_id("labtrack-backend-uri")).to_contain_text(str(lab.labtrack_home))
    expect(page.get_by_test_id("labtrack-unreachable")).to_have_count(0)
    hint = page.get_by_test_id("labtrack-empty-hint")
    expect(hint).to_contain_text("%load_ext labtrack")
    expect(hint).to_contain_text("%%track")
    page.screenshot(path=artifacts_dir / "runs-panel.png")


def test_open_runs_command_in_palette_shows_panel(page, lab, open_lab, artifacts_dir):
    # Given a fresh JupyterLab whose left sidebar shows the file browser
    open_lab(lab)
    expect(page.locator(RUNS_TAB)).to_be_visible()
    expect(page.get_by_test_id("labtrack-runs-panel")).to_be_hidden()
    # JupyterLab focuses the Launcher once it has started, which would close a palette
    # opened earlier (it closes when it loses focus).
    expect(page.locator(".jp-Launcher")).to_be_focused(timeout=30_000)

    # When "Open Runs Panel" is run from the command palette
    page.keyboard.press("Control+Shift+C")
    palette_input = page.locator(".lm-CommandPalette-input")
    expect(palette_input).to_be_focused()
    palette_input.fill("Open Runs Panel")
    item = page.locator(".lm-CommandPalette-item", has_text="Open Runs Panel")
    expect(item).to_have_count(1)
    page.screenshot(path=artifacts_dir / "runs-command-palette.png")
    palette_input.press("Enter")

    # Then the Runs panel is shown and its tab is the current one
    expect(page.get_by_test_id("labtrack-runs-panel")).to_be_visible()
    expect(page.locator(RUNS_TAB)).to_have_attribute("aria-selected", "true")


def test_unreachable_backend_is_named_with_its_uri(
    page, lab_unreachable_backend, unreachable_tracking_uri, open_lab, artifacts_dir
):
    # Given JupyterLab whose MLFLOW_TRACKING_URI names a server that does not answer
    open_lab(lab_unreachable_backend)

    # When the Runs panel is opened
    page.locator(RUNS_TAB).click()

    # Then it says the backend is unreachable, names the URI, and still explains %%track
    alert = page.get_by_test_id("labtrack-unreachable")
    expect(alert).to_be_visible(timeout=30_000)
    expect(alert).to_contain_text("Backend unreachable")
    expect(alert).to_contain_text(unreachable_tracking_uri)
    expect(page.get_by_test_id("labtrack-backend-kind")).to_have_text("rest")
    expect(page.get_by_test_id("labtrack-backend-reachability")).to_have_attribute(
        "data-reachable", "false"
    )
    expect(page.get_by_test_id("labtrack-empty-hint")).to_contain_text("%%track")
    page.screenshot(path=artifacts_dir / "runs-panel-unreachable.png")


def test_runs_panel_without_server_extension_says_it_did_not_answer(
    page, lab_without_server_extension, open_lab, artifacts_dir
):
    # Given JupyterLab where labtrack's front end is installed but its server extension is off
    open_lab(lab_without_server_extension)

    # When the Runs panel is opened
    page.locator(RUNS_TAB).click()

    # Then it says the backend is unreachable because the server extension did not answer
    alert = page.get_by_test_id("labtrack-unreachable")
    expect(alert).to_be_visible(timeout=30_000)
    expect(alert).to_contain_text("Backend unreachable")
    expect(alert).to_contain_text("server extension did not answer")
    expect(alert).to_contain_text("jupyter server extension list")
    expect(alert).to_contain_text("GET labtrack/api/status: 404")
    expect(page.get_by_test_id("labtrack-backend-kind")).to_have_count(0)
    page.screenshot(path=artifacts_dir / "runs-panel-no-server-extension.png")


def test_runs_panel_is_readable_in_light_and_dark_themes(
    page, fresh_lab, open_lab, contrast, switch_theme, artifacts_dir
):
    # Given the Runs panel of a store without runs open in the default light theme
    open_lab(fresh_lab)
    expect(page.locator("body[data-jp-theme-light='true']")).to_have_count(1)
    page.locator(RUNS_TAB).click()
    expect(page.get_by_test_id("labtrack-backend-kind")).to_have_text("embedded", timeout=30_000)
    # The hint shows once the (empty) list of runs has loaded.
    expect(page.locator(".lt-TrackHint-code").first).to_be_visible(timeout=30_000)
    texts = [
        "[data-testid=labtrack-runs-panel] .lt-RunsPanel-title",
        "[data-testid=labtrack-backend-kind]",
        "[data-testid=labtrack-backend-uri]",
        ".lt-TrackHint-code",
    ]
    for selector in texts:
        assert contrast(selector, ".lt-RunsPanel, .lt-TrackHint-code") >= 4.5, selector

    # When the theme is switched to JupyterLab Dark
    switch_theme("JupyterLab Dark")

    # Then the same texts still stand out from their backgrounds
    for selector in texts:
        assert contrast(selector, ".lt-RunsPanel, .lt-TrackHint-code") >= 4.5, selector
    page.get_by_test_id("labtrack-runs-panel").screenshot(
        path=artifacts_dir / "runs-panel-dark.png"
    )
