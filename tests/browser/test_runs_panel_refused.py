"""The Runs panel when the tracking server answers but refuses labtrack's credentials:
"Not authorized", with what to set, rather than "Backend unreachable"."""

from __future__ import annotations

from playwright.sync_api import expect

RUNS_TAB = ".jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id='labtrack-runs']"


def test_a_refusing_server_is_named_not_authorized_with_the_variables_to_set(
    page, lab_refused_backend, refusing_tracking_uri, open_lab, artifacts_dir
):
    # Given JupyterLab whose MLFLOW_TRACKING_URI names a server that demands credentials,
    # and no MLFLOW_TRACKING_USERNAME/PASSWORD in its environment
    open_lab(lab_refused_backend)

    # When the Runs panel is opened
    page.locator(RUNS_TAB).click()

    # Then it says the server refuses labtrack, names it, and says what to set
    alert = page.get_by_test_id("labtrack-unreachable")
    expect(alert).to_be_visible(timeout=30_000)
    expect(alert).to_contain_text("Not authorized")
    expect(alert).not_to_contain_text("Backend unreachable")
    expect(alert).to_contain_text(refusing_tracking_uri)
    expect(alert).to_contain_text("MLFLOW_TRACKING_USERNAME")
    expect(page.get_by_test_id("labtrack-backend-reachability")).to_have_text("not authorized")
    page.screenshot(path=artifacts_dir / "runs-panel-not-authorized.png")
