"""The kernel side of the live plot's channel: new points only, numbered, binary."""

import math

import numpy as np

from labtrack.backend.reduction import MAX_POINTS
from labtrack.live.channel import LiveChannel, decode

RUN = "a" * 32


def points(start: int, stop: int):
    return [(float(s), 1e12 + s, 1.0 / (s + 1)) for s in range(start, stop)]


def test_an_update_carries_only_the_points_not_sent_yet():
    channel = LiveChannel()
    channel.add(RUN, "loss", points(0, 10))
    first = channel.take_update()
    channel.add(RUN, "loss", points(10, 15))
    second = channel.take_update()
    assert first.content["seq"] == 1 and second.content["seq"] == 2
    assert decode(first)[(RUN, "loss")][0].tolist() == list(range(10))
    assert decode(second)[(RUN, "loss")][0].tolist() == list(range(10, 15))
    assert channel.take_update() is None  # nothing new: nothing sent


def test_only_traces_with_new_points_are_in_an_update():
    channel = LiveChannel()
    channel.add(RUN, "loss", points(0, 3))
    channel.add(RUN, "acc", points(0, 3))
    channel.take_update()
    channel.add(RUN, "acc", points(3, 4))
    update = channel.take_update()
    assert [(t["key"], t["n"]) for t in update.content["traces"]] == [("acc", 1)]


def test_a_reset_carries_the_whole_history_reduced_and_numbering_goes_on():
    channel = LiveChannel()
    channel.add(RUN, "loss", points(0, 100_000))
    channel.add("b" * 32, "loss", points(0, 50))
    channel.take_update()
    reset = channel.take_reset()
    decoded = decode(reset)
    assert reset.content["type"] == "reset" and reset.content["seq"] == 2
    assert decoded[(RUN, "loss")].shape[1] <= MAX_POINTS
    assert decoded[(RUN, "loss")][0][-1] == 99_999  # the last point is kept
    assert decoded[("b" * 32, "loss")].shape[1] == 50
    channel.add(RUN, "loss", points(100_000, 100_001))
    assert channel.take_update().content["seq"] == 3


def test_a_backlog_longer_than_the_limit_is_sent_reduced():
    channel = LiveChannel()
    channel.add(RUN, "loss", points(0, 30_000))
    update = channel.take_update()
    assert update.content["traces"][0]["n"] <= MAX_POINTS
    assert update.size <= MAX_POINTS * 24


def test_an_update_costs_the_same_after_100k_steps_as_after_1k():
    sizes = []
    for history in (1_000, 100_000):
        channel = LiveChannel()
        channel.add(RUN, "loss", points(0, history))
        channel.take_update()
        channel.add(RUN, "loss", points(history, history + 100))
        sizes.append(channel.take_update().size)
    assert sizes[0] == sizes[1] == 100 * 24


def test_nan_and_infinities_travel_unchanged():
    channel = LiveChannel()
    channel.add(RUN, "loss", [(0, 1.0, math.nan), (1, 2.0, math.inf), (2, 3.0, -math.inf)])
    values = decode(channel.take_update())[(RUN, "loss")][2]
    assert math.isnan(values[0]) and values[1] == math.inf and values[2] == -math.inf


def test_progress_reads_the_highest_step_of_the_run():
    channel = LiveChannel()
    assert channel.max_step(RUN) is None
    channel.add(RUN, "loss", points(0, 7))
    channel.add(RUN, "acc", points(0, 12))
    assert channel.max_step(RUN) == 11
    assert channel.last_point(RUN, "acc")[0] == 11
    assert np.isclose(channel.last_point(RUN, "acc")[2], 1 / 12)


def test_compacting_an_ended_history_keeps_what_a_resync_would_send():
    channel = LiveChannel()
    channel.add(RUN, "loss", points(0, 100_000))
    channel.take_update()
    before = decode(channel.take_reset())[(RUN, "loss")]
    channel.compact()
    after = decode(channel.take_reset())[(RUN, "loss")]
    assert np.array_equal(before, after)
    assert channel.point_count(RUN, "loss") == 100_000  # received, not held
    assert channel.max_step(RUN) == 99_999


def test_points_not_sent_yet_are_not_compacted_away():
    channel = LiveChannel()
    channel.add(RUN, "loss", points(0, 5_000))
    channel.compact()
    assert decode(channel.take_update())[(RUN, "loss")].shape[1] == MAX_POINTS
    assert channel.take_update() is None
