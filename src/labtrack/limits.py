"""MLflow's limits, in one place, and the one way labtrack cuts work to fit them.

A ``log_batch`` takes at most 1,000 metrics, 100 params and 100 tags; a tag value holds
at most 5,000 characters, a param value 6,000, a key 250 (MLflow 3's validation).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

MAX_METRICS_PER_BATCH = 1000
MAX_PARAMS_PER_BATCH = 100
MAX_TAGS_PER_BATCH = 100
MAX_TAG_VALUE = 5000
MAX_PARAM_VALUE = 6000
MAX_KEY = 250
# MLflow's search_runs takes at most this many experiment ids per call.
MAX_EXPERIMENTS_PER_SEARCH = 100

Item = TypeVar("Item")


def batched(items: Sequence[Item], size: int | None) -> Iterator[Sequence[Item]]:
    """``items`` in consecutive slices of at most ``size`` (all at once when None); nothing
    for no items."""
    if size is None:
        if items:
            yield items
        return
    for start in range(0, len(items), size):
        yield items[start : start + size]
