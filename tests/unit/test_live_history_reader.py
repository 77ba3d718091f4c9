"""Incremental reads of a run family's metrics from a real embedded (SQLite) store."""

from __future__ import annotations

import math
import time

import mlflow
import pytest
from mlflow.entities import Metric

from labtrack.backend import prepare_backend, resolve_backend
from labtrack.live.feed import LiveFeed
from labtrack.live.history import (
    ClientHistoryReader,
    SqliteHistoryReader,
    open_reader,
    sqlite_path,
)
from labtrack.widgets.live_plot import LivePlot


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    location = resolve_backend(environ={"LABTRACK_HOME": str(tmp_path_factory.mktemp("home"))})
    prepare_backend(location)
    return location


@pytest.fixture
def client(store):
    return mlflow.MlflowClient(store.tracking_uri)


def new_run(client, parent: str | None = None, name: str = "run") -> str:
    tags = {"mlflow.parentRunId": parent} if parent else {}
    return client.create_run("0", run_name=name, tags=tags).info.run_id


def log(client, run_id: str, key: str, steps, value=lambda s: 1.0 / (s + 1)) -> None:
    now = int(time.time() * 1000)
    metrics = [Metric(key, value(s), now + s, s) for s in steps]
    for start in range(0, len(metrics), 1000):
        client.log_batch(run_id, metrics=metrics[start : start + 1000])


READERS = {
    "sqlite": lambda store, run_id: SqliteHistoryReader(sqlite_path(store.tracking_uri), run_id),
    "client": lambda store, run_id: ClientHistoryReader(store.tracking_uri, run_id),
}


@pytest.fixture(params=sorted(READERS))
def make_reader(request, store):
    readers = []

    def make(run_id: str):
        reader = READERS[request.param](store, run_id)
        readers.append(reader)
        return reader

    yield make
    for reader in readers:
        reader.close()


def steps_of(delta, run_id, key):
    return [int(p[0]) for p in delta.points.get((run_id, key), [])]


def test_the_first_read_returns_the_whole_history_and_later_reads_only_what_is_new(
    client, make_reader
):
    run_id = new_run(client)
    log(client, run_id, "loss", range(0, 500))
    reader = make_reader(run_id)
    first = reader.read_new()
    assert steps_of(first, run_id, "loss") == list(range(500))
    assert first.runs[run_id].status == "RUNNING" and first.runs[run_id].name == "run"
    assert reader.read_new().point_count == 0
    log(client, run_id, "loss", range(500, 510))
    log(client, run_id, "acc", range(0, 3))
    later = reader.read_new()
    assert steps_of(later, run_id, "loss") == list(range(500, 510))
    assert steps_of(later, run_id, "acc") == [0, 1, 2]


def test_child_runs_are_read_with_the_parent_and_other_runs_are_not(client, make_reader):
    parent = new_run(client, name="sweep")
    stranger = new_run(client, name="other")
    reader = make_reader(parent)
    reader.read_new()
    child = new_run(client, parent=parent, name="trial-1")
    grandchild = new_run(client, parent=child, name="fold-1")
    log(client, child, "loss", range(3))
    log(client, grandchild, "loss", range(2))
    log(client, stranger, "loss", range(4))
    delta = reader.read_new()
    assert set(delta.runs) == {parent, child, grandchild}
    assert delta.runs[child].parent_id == parent and delta.runs[child].name == "trial-1"
    assert steps_of(delta, child, "loss") == [0, 1, 2]
    assert steps_of(delta, grandchild, "loss") == [0, 1]
    assert (stranger, "loss") not in delta.points


def test_nan_and_infinities_come_back_as_logged(client, make_reader):
    run_id = new_run(client)
    specials = [math.nan, math.inf, -math.inf, 2.5]
    log(client, run_id, "odd", range(4), value=lambda s: specials[s])
    values = [p[2] for p in make_reader(run_id).read_new().points[(run_id, "odd")]]
    assert math.isnan(values[0]) and values[1:] == [math.inf, -math.inf, 2.5]


def test_an_ended_run_reports_its_status_and_end_time(client, make_reader):
    run_id = new_run(client)
    client.set_terminated(run_id, "FAILED")
    state = make_reader(run_id).read_new().runs[run_id]
    assert state.ended and state.status == "FAILED" and state.end_time_ms


def test_the_sqlite_store_is_read_without_mlflow_and_other_stores_through_it(store):
    assert isinstance(open_reader(store.tracking_uri, "x"), SqliteHistoryReader)
    assert sqlite_path("sqlite:////tmp/a/mlflow.db?timeout=5") == "/tmp/a/mlflow.db"
    assert sqlite_path("http://127.0.0.1:5000") is None
    assert sqlite_path("postgresql://u@h/db") is None


def test_a_feed_sends_each_point_once_and_shows_the_family(client, store):
    # Given a live plot fed from a run that keeps logging
    parent = new_run(client, name="sweep")
    widget = LivePlot(run_id=parent, steps_total=20)
    feed = LiveFeed(widget, open_reader(store.tracking_uri, parent), interval_s=0.02).start()
    child = new_run(client, parent=parent, name="trial-1")
    for step in range(20):
        log(client, parent, "loss", [step])
        log(client, child, "loss", [step])
        time.sleep(0.005)
    # When the run ends
    client.set_terminated(parent)
    feed.finish("FINISHED")
    # Then every point reached the widget exactly once, over several numbered updates
    assert not feed.running and feed.errors == []
    assert widget.channel.point_count(parent, "loss") == 20
    assert widget.channel.point_count(child, "loss") == 20
    messages = list(widget.recent_messages)
    assert [m.content["seq"] for m in messages] == list(range(1, len(messages) + 1))
    assert len(messages) > 1
    sent = sum(t["n"] for m in messages for t in m.content["traces"])
    assert sent == 40
    assert widget.runs[child] == {"name": "trial-1", "status": "RUNNING", "parent": parent}
    assert (widget.status, widget.steps_done, widget.steps_total) == ("FINISHED", 20, 20)


def test_a_resync_request_is_answered_with_the_whole_reduced_history(client, store):
    run_id = new_run(client)
    log(client, run_id, "loss", range(5_000))
    widget = LivePlot(run_id=run_id)
    feed = LiveFeed(widget, open_reader(store.tracking_uri, run_id))
    feed.poll_once()
    widget._on_front_end_message(widget, {"type": "resync"}, [])
    reset = widget.recent_messages[-1]
    assert reset.content["type"] == "reset" and reset.content["seq"] == 2
    assert reset.content["traces"] == [{"run": run_id, "key": "loss", "n": 2000}]
    feed.reader.close()


def test_a_closed_widget_stops_its_feed(client, store):
    run_id = new_run(client)
    widget = LivePlot(run_id=run_id)
    feed = LiveFeed(widget, open_reader(store.tracking_uri, run_id), interval_s=0.01).start()
    widget.close()
    deadline = time.monotonic() + 5
    while feed.running and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not feed.running
