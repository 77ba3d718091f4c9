"""Min/max bucket reduction: a long curve drawn with at most ``MAX_POINTS`` points.

A live plot of a 100k-step run must cost what a 1k-step one does, yet a spike in
the loss must not vanish. Each bucket of consecutive points keeps its lowest and
highest point (in their original order), and the first and last points of the
curve are always kept, so the extremes and the current value survive any
reduction. NaN points count as neither low nor high; an all-NaN bucket keeps
its first point so the gap still shows.

Pure functions over sequences of floats, shared by the server's metric history
route and the live plot's channel; the same algorithm is mirrored in
``js/plots/reduce.ts`` for what the browser draws.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

MAX_POINTS = 2000


def minmax_indices(values: Sequence[float], max_points: int = MAX_POINTS) -> np.ndarray:
    """Indices (ascending) of the points to keep so that at most ``max_points`` remain."""
    if max_points < 4:
        raise ValueError("max_points must be at least 4 (first, last and one bucket)")
    array = np.asarray(values, dtype=np.float64)
    count = len(array)
    if count <= max_points:
        return np.arange(count)
    edges = bucket_edges(count, max_points)
    nan = np.isnan(array)
    low = np.where(nan, np.inf, array)
    high = np.where(nan, -np.inf, array)
    starts, ends = edges[:-1], edges[1:]
    keep = [np.array([0, count - 1])]
    # A bucket is never empty: count - 2 > buckets when count > max_points.
    lows = np.minimum.reduceat(low[: count - 1], starts)
    highs = np.maximum.reduceat(high[: count - 1], starts)
    keep.append(_first_match(low, lows, starts, ends))
    keep.append(_first_match(high, highs, starts, ends))
    return np.unique(np.concatenate(keep))


def bucket_edges(count: int, max_points: int) -> np.ndarray:
    """Where the buckets of a curve of ``count > max_points`` points start: bucket ``b``
    holds the points ``edges[b] .. edges[b + 1] - 1``. The interior points 1 .. count-2
    split into ``(max_points - 2) // 2`` nearly equal runs (shared with the SQL path)."""
    buckets = (max_points - 2) // 2
    return np.linspace(1, count - 1, buckets + 1).astype(np.int64)


def _first_match(array: np.ndarray, targets: np.ndarray, starts, ends) -> np.ndarray:
    """For each bucket [start, end), the first index whose value equals the bucket's target."""
    bucket_of = np.repeat(np.arange(len(starts)), ends - starts)
    interior = array[starts[0] : ends[-1]]
    hits = np.flatnonzero(interior == targets[bucket_of])
    # The first hit per bucket; every bucket has one (its target came from it).
    first = hits[np.unique(bucket_of[hits], return_index=True)[1]]
    return first + starts[0]


def reduce_points(
    steps: Sequence[float],
    timestamps: Sequence[float],
    values: Sequence[float],
    max_points: int = MAX_POINTS,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The three columns of a trace, reduced together by ``minmax_indices`` of the values."""
    keep = minmax_indices(values, max_points)
    return (
        np.asarray(steps, dtype=np.float64)[keep],
        np.asarray(timestamps, dtype=np.float64)[keep],
        np.asarray(values, dtype=np.float64)[keep],
    )
