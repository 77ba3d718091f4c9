"""Min/max bucket reduction: long curves drawn with <= 2000 points, extremes kept."""

import math

import numpy as np
import pytest

from labtrack.backend.reduction import MAX_POINTS, minmax_indices, reduce_points


def test_a_short_curve_is_kept_whole():
    assert minmax_indices([3.0, 1.0, 2.0]).tolist() == [0, 1, 2]
    assert len(minmax_indices(np.arange(MAX_POINTS))) == MAX_POINTS


def test_a_long_curve_keeps_at_most_max_points_in_order_with_first_and_last():
    values = np.sin(np.arange(100_000) / 500.0)
    keep = minmax_indices(values)
    assert len(keep) <= MAX_POINTS
    assert keep[0] == 0 and keep[-1] == len(values) - 1
    assert np.all(np.diff(keep) > 0)


def test_a_single_spike_survives_the_reduction():
    values = np.ones(100_000)
    values[54_321] = 50.0
    values[77_777] = -3.0
    keep = minmax_indices(values)
    assert 54_321 in keep and 77_777 in keep


def test_the_reduced_curve_has_the_same_extremes_in_every_bucket_as_the_original():
    rng = np.random.default_rng(7)
    values = rng.normal(size=10_000)
    kept = values[minmax_indices(values, max_points=202)]
    assert kept.min() == values.min() and kept.max() == values.max()


def test_nan_is_neither_low_nor_high_and_an_all_nan_stretch_still_shows():
    values = np.linspace(0, 1, 10_000)
    values[100:200] = math.nan
    keep = minmax_indices(values, max_points=102)  # 50 buckets of ~200 points
    kept = values[keep]
    assert np.nanmin(kept) == 0 and np.nanmax(kept) == 1
    all_nan = np.full(10_000, math.nan)
    assert 0 < len(minmax_indices(all_nan, max_points=102)) <= 102


def test_columns_are_reduced_together():
    steps = np.arange(5_000, dtype=float)
    times = steps * 10 + 1e12
    values = np.cos(steps / 100)
    r_steps, r_times, r_values = reduce_points(steps, times, values, max_points=500)
    assert len(r_steps) == len(r_times) == len(r_values) <= 500
    assert np.array_equal(r_times, r_steps * 10 + 1e12)
    assert np.array_equal(r_values, np.cos(r_steps / 100))


def test_fewer_than_four_points_cannot_hold_first_last_and_a_bucket():
    with pytest.raises(ValueError):
        minmax_indices(np.arange(10.0), max_points=3)
