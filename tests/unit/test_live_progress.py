"""Progress for the live plot: --steps counts logged steps; without it a tqdm bar's total.

tqdm is not a labtrack dependency (nor installed in the test environment), so its live-bar
registry (``tqdm.std.tqdm._instances``, bars with ``n``, ``total``, ``start_t``) is stood in
for here; that registry is all labtrack reads.
"""

from __future__ import annotations

import sys
import time
import types
import weakref

from labtrack.live.feed import LiveFeed, _tqdm_progress
from labtrack.live.history import HistoryDelta
from labtrack.widgets.live_plot import LivePlot

RUN = "c" * 32


class Bar:
    def __init__(self, n: int, total: int | None, start_t: float) -> None:
        self.n, self.total, self.start_t = n, total, start_t


class StaticReader:
    @staticmethod
    def roots():
        return [RUN]

    def __init__(self, steps: int) -> None:
        self.steps = steps

    def read_new(self) -> HistoryDelta:
        delta = HistoryDelta()
        delta.points[(RUN, "loss")] = [(float(s), 0.0, 1.0) for s in range(self.steps)]
        self.steps = 0
        return delta

    def close(self) -> None:
        pass


def stand_in_tqdm(monkeypatch, *bars: Bar) -> None:
    registry = weakref.WeakSet(bars)
    module = types.SimpleNamespace(tqdm=types.SimpleNamespace(_instances=registry))
    monkeypatch.setitem(sys.modules, "tqdm.std", module)


def test_without_tqdm_there_is_no_bar_progress(monkeypatch):
    monkeypatch.delitem(sys.modules, "tqdm.std", raising=False)
    assert _tqdm_progress(0.0) is None


def test_the_largest_bar_opened_during_the_cell_gives_the_progress(monkeypatch):
    now = time.time()
    old, inner, outer = Bar(5, 10, now - 60), Bar(3, 20, now), Bar(7, 100, now)
    stand_in_tqdm(monkeypatch, old, inner, outer, Bar(1, None, now))
    assert _tqdm_progress(now - 1) == (7, 100)


def test_steps_option_counts_the_highest_logged_step(monkeypatch):
    monkeypatch.delitem(sys.modules, "tqdm.std", raising=False)
    widget = LivePlot(run_id=RUN, steps_total=50)
    LiveFeed(widget, StaticReader(12), follow_tqdm_since=0.0).poll_once()
    assert (widget.steps_done, widget.steps_total) == (12, 50)


def test_a_tqdm_bar_drives_the_progress_when_no_steps_were_given(monkeypatch):
    bar = Bar(30, 200, time.time())
    stand_in_tqdm(monkeypatch, bar)
    widget = LivePlot(run_id=RUN)
    LiveFeed(widget, StaticReader(3), follow_tqdm_since=time.time() - 5).poll_once()
    assert (widget.steps_done, widget.steps_total) == (30, 200)


def test_without_steps_or_a_bar_no_progress_is_shown(monkeypatch):
    monkeypatch.delitem(sys.modules, "tqdm.std", raising=False)
    widget = LivePlot(run_id=RUN)
    LiveFeed(widget, StaticReader(3), follow_tqdm_since=0.0).poll_once()
    assert widget.steps_total is None and widget.steps_done is None
