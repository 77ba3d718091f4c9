"""A kernel that pushed its widget bundle with a widget takes it back when the cell ends,
so a saved notebook's widget state never holds the bundle."""

from __future__ import annotations

from labtrack.widgets import base
from labtrack.widgets.bundle import PAGE_BUNDLE_ENV, bundle_bytes


def test_a_pushed_bundle_is_taken_back_from_the_state_when_the_cell_ends(
    shell, run_cell, monkeypatch
):
    # Given a kernel that has pushed nothing and knows of no page serving the bundle
    monkeypatch.setattr(base, "PUSH", base._PushOnce())
    monkeypatch.delenv(PAGE_BUNDLE_ENV, raising=False)

    # When a cell shows a widget
    run_cell(
        "from labtrack.widgets.live_plot import LivePlot\n"
        "w = LivePlot()\n"
        "pushed = len(w._labtrack_bundle_inline)"
    )

    # Then the widget carried the bundle while the cell ran, and no longer does
    assert shell.user_ns["pushed"] == len(bundle_bytes())
    assert shell.user_ns["w"]._labtrack_bundle_inline == b""
    # And the next cell's widgets carry nothing
    run_cell("w2 = LivePlot()")
    assert shell.user_ns["w2"]._labtrack_bundle_inline == b""
