"""Reducing a long metric history to a bounded number of points without losing its shape.

Each bucket of consecutive points keeps its minimum and its maximum (in step order), and
the very first and last points are always kept, so spikes and the current value survive
while a 100k-step curve costs what a 2k-step one does.
"""

from __future__ import annotations

import numpy as np


def min_max_indices(values: np.ndarray, max_points: int) -> np.ndarray:
    """Indices (sorted) of at most ``max_points`` points that keep each bucket's extremes."""
    count = len(values)
    if max_points < 2:
        raise ValueError("max_points must be at least 2")
    if count <= max_points:
        return np.arange(count)
    buckets = max(1, (max_points - 2) // 2)
    inner = np.arange(1, count - 1)
    edges = np.linspace(0, len(inner), buckets + 1).astype(int)
    # NaN must neither win nor poison a bucket: compare with it pushed out of the way.
    low_keys = np.where(np.isnan(values), np.inf, values)
    high_keys = np.where(np.isnan(values), -np.inf, values)
    chosen = [0, count - 1]
    for start, stop in zip(edges[:-1], edges[1:], strict=True):
        if start == stop:
            continue
        segment = inner[start:stop]
        chosen.append(segment[np.argmin(low_keys[segment])])
        chosen.append(segment[np.argmax(high_keys[segment])])
    return np.unique(np.asarray(chosen))
