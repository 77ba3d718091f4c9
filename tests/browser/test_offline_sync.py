"""The Runs panel when runs wait to be sent to the team's tracking server: the banner, the
pinned "not synced" rows, and "Sync now" once the server is back."""

from __future__ import annotations

import re

import mlflow
import pytest
from mlflow_server import MlflowServer
from offline_store import journaled_server_run, offline_run
from playwright.sync_api import expect

RUNS_TAB = ".jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id='labtrack-runs']"
EXPERIMENT = "offline-exp"


@pytest.fixture(scope="module")
def tracking_server(tmp_path_factory):
    server = MlflowServer(tmp_path_factory.mktemp("offline-browser-server"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def offline_lab(extra_lab, tracking_server):
    """JupyterLab on the tracking server, with in its labtrack home: a run kept offline
    (1,200 points) and a server run whose last 30 points and end wait in a journal; the
    experiment also has one run the server holds whole."""
    lab = extra_lab("offline-sync", {"MLFLOW_TRACKING_URI": tracking_server.url})
    client = mlflow.MlflowClient(tracking_uri=tracking_server.url)
    experiment_id = client.create_experiment(EXPERIMENT)
    whole = client.create_run(experiment_id, run_name="on-server", start_time=1_700_000_000_000)
    client.set_terminated(whole.info.run_id)
    journaled_server_run(lab.labtrack_home, tracking_server.url, experiment_id, 30)
    offline_run(lab.labtrack_home, tracking_server.url, EXPERIMENT, "offline-run", 1200)
    return lab


def test_waiting_runs_show_marked_and_sync_now_sends_them_once_the_server_is_back(
    page, offline_lab, tracking_server, open_lab, artifacts_dir, switch_theme, contrast
):
    # Given the tracking server is down
    tracking_server.stop()
    open_lab(offline_lab)
    page.locator(RUNS_TAB).click()
    panel = page.get_by_test_id("labtrack-runs-panel")

    # Then the banner says what waits for whom, beside the unreachable notice
    banner = panel.get_by_test_id("labtrack-offline")
    expect(banner).to_be_visible(timeout=30_000)
    expect(panel.get_by_test_id("labtrack-unreachable")).to_be_visible()
    expect(banner.get_by_test_id("labtrack-offline-summary")).to_have_text(
        f"1 run and 1,230 points wait to be sent to {tracking_server.url}."
    )

    # When "Sync now" is pressed while the server is still down
    sync_now = banner.get_by_test_id("labtrack-sync-now")
    sync_now.click()

    # Then it says, inline, that nothing was sent and why
    unreachable = banner.get_by_test_id("labtrack-sync-unreachable")
    expect(unreachable).to_contain_text("connection refused", timeout=30_000)
    expect(unreachable).to_contain_text("nothing was sent")
    expect(sync_now).to_be_enabled()
    page.screenshot(path=artifacts_dir / "offline-banner-unreachable.png")

    # When the server is back and the panel refreshed
    tracking_server.restart()
    panel.get_by_test_id("labtrack-refresh").click()
    panel.get_by_test_id("labtrack-experiment").select_option(label=EXPERIMENT)

    # Then the stale "unreachable" result is gone, the offline run is pinned first and
    # marked, and the journaled run is marked too
    expect(unreachable).to_have_count(0, timeout=30_000)
    pinned = panel.get_by_test_id("labtrack-pinned-row")
    expect(pinned).to_have_count(1, timeout=30_000)
    expect(pinned).to_contain_text("offline-run")
    mark = pinned.get_by_test_id("labtrack-unsynced-mark")
    expect(mark).to_contain_text("not synced")
    expect(mark).to_have_attribute(
        "title", re.compile(r"^Not synced: offline-run \(FINISHED, 1,200 metric points\).*Sync now")
    )
    expect(pinned.get_by_test_id("labtrack-row-status")).to_have_text("FINISHED")
    expect(pinned.locator("input[type=checkbox], button")).to_have_count(0)
    cut_short = panel.locator(".lt-RunsTable-row[data-unsynced=journal]")
    expect(cut_short).to_have_count(1)
    expect(cut_short).to_contain_text("cut-short")
    expect(cut_short.get_by_test_id("labtrack-unsynced-mark")).to_contain_text("not synced")
    whole = panel.locator(".lt-RunsTable-row", has_text="on-server")
    expect(whole.get_by_test_id("labtrack-unsynced-mark")).to_have_count(0)
    expect(panel.get_by_test_id("labtrack-runs-count")).to_contain_text("1 not synced")

    # And the pinned row opens nothing: it has no details on the server
    pinned.dblclick(force=True)  # aria-disabled: Playwright would wait for "enabled"
    pinned.locator(".lt-RunsTable-offlineName").click(force=True)
    expect(page.get_by_test_id("labtrack-run-details")).to_have_count(0)

    # And it reads well in the light and the dark theme
    assert contrast("[data-testid=labtrack-offline-summary]", ".lt-Offline") >= 4.5
    assert contrast(".lt-mod-pinned .lt-Unsynced-text", ".lt-mod-pinned") >= 4.5
    panel.screenshot(path=artifacts_dir / "offline-pinned-light.png")
    switch_theme("JupyterLab Dark")
    if not panel.is_visible():
        page.locator(RUNS_TAB).click()
    expect(pinned).to_be_visible()
    assert contrast("[data-testid=labtrack-offline-summary]", ".lt-Offline") >= 4.5
    assert contrast(".lt-mod-pinned .lt-Unsynced-text", ".lt-mod-pinned") >= 4.5
    assert contrast(".lt-mod-pinned .lt-RunsTable-offlineName", ".lt-mod-pinned") >= 4.5
    panel.screenshot(path=artifacts_dir / "offline-pinned-dark.png")

    # When "Sync now" is pressed from the keyboard
    sync_now.focus()
    page.keyboard.press("Enter")

    # Then the result names the server id the run got, and the rows are server rows
    sent = banner.get_by_test_id("labtrack-sync-sent")
    expect(sent).to_have_count(1, timeout=60_000)
    expect(sent).to_contain_text("Sent offline-run (FINISHED, 1,200 points)")
    expect(banner.get_by_test_id("labtrack-offline-summary")).to_have_text(
        f"Nothing waits to be sent to {tracking_server.url}."
    )
    expect(pinned).to_have_count(0)
    synced_row = panel.locator(".lt-RunsTable-row", has_text="offline-run")
    expect(synced_row).to_have_count(1, timeout=30_000)
    expect(synced_row.get_by_test_id("labtrack-unsynced-mark")).to_have_count(0)
    expect(panel.locator("[data-unsynced]")).to_have_count(0)
    expect(
        panel.locator(".lt-RunsTable-row", has_text="cut-short").get_by_test_id(
            "labtrack-row-status"
        )
    ).to_have_text("FINISHED")
    panel.screenshot(path=artifacts_dir / "offline-synced-dark.png")

    # And the server holds exactly one copy of the offline run, with every point
    client = mlflow.MlflowClient(tracking_uri=tracking_server.url)
    experiment = client.get_experiment_by_name(EXPERIMENT)
    copies = client.search_runs([experiment.experiment_id], "attributes.run_name = 'offline-run'")
    assert len(copies) == 1
    assert len(client.get_metric_history(copies[0].info.run_id, "loss")) == 1200

    # When the result is dismissed, the banner goes: nothing waits
    banner.get_by_test_id("labtrack-sync-dismiss").click()
    expect(banner).to_have_count(0)
