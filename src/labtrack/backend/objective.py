"""Which metric a set of runs is judged by, and which way is better.

Used where a comparison needs a default (the compare widget's colour and curves, the
live sweep panel's objective). The rules, the same in ``js/plots/objective.ts`` (both are
held to ``tests/fixtures/objective_cases.json``):

- only metrics most of the runs have count (a metric of one run out of twenty is no
  basis to compare them by), unless no metric is that common;
- timing metrics (``*_time``, ``*_seconds``…) are never the objective;
- autologging's search scores come first (``best_cv_score``, then ``mean_test_score``);
- then a loss or error, then a score-like name (accuracy, auc, f1, r2…), then any other,
  the spread of a score (``std_*``) last; ties go to the metric more runs have.

Lower is better for losses, errors and ranks (``rank_test_score``), higher otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

SEARCH_SCORES = ("best_cv_score", "mean_test_score")
_LOWER = re.compile(r"loss|error|mse|mae|rmse|(^|_)rank($|_)", re.IGNORECASE)
_TIMING = re.compile(r"(^|_)(time|seconds|duration)(_ms|_s)?$", re.IGNORECASE)
_SCORE_LIKE = re.compile(r"acc|auc|f1|r2|score|precision|recall|iou|bleu|map", re.IGNORECASE)


def lower_is_better(key: str) -> bool:
    return bool(_LOWER.search(key))


def is_timing(key: str) -> bool:
    return bool(_TIMING.search(key))


def _rank(key: str) -> int:
    if key in SEARCH_SCORES:
        return SEARCH_SCORES.index(key)
    if key.startswith("std_"):
        return 6
    if _LOWER.search(key) and not key.startswith("rank"):
        return 2
    if _SCORE_LIKE.search(key) and not key.startswith("rank"):
        return 3
    return 4 if not key.startswith("rank") else 5


def objective_metric(coverage: Mapping[str, int], run_count: int) -> str | None:
    """The objective among metric keys, given how many runs have each (``coverage``)."""
    candidates = [key for key in coverage if not is_timing(key)]
    common = [key for key in candidates if coverage[key] * 2 >= run_count] or candidates
    if not common:
        return None
    return min(common, key=lambda key: (_rank(key), -coverage[key], key))
