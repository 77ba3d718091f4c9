"""One logged metric point, checked the way MLflow checks it.

A point is accepted or rejected at the call that logs it, with MLflow's own
exception and message, so an invalid point never reaches a buffered batch where
it would fail the points logged around it.
"""

from __future__ import annotations

import math
import numbers
from typing import NamedTuple

# MLflow's SQL store cannot hold ±inf; it stores the largest finite double instead
# (``SqlAlchemyStore.sanitize_metric_value``) and NaN as 0 with ``is_nan`` set.
LARGEST_DOUBLE = 1.7976931348623157e308

# Keys already found valid: checking a key costs a few microseconds (a regex and a
# path normalisation), and a training loop logs the same few keys again and again.
KNOWN_VALID_KEYS: set[str] = set()
_MAX_REMEMBERED_KEYS = 10_000


class MetricPoint(NamedTuple):
    """A metric point as MLflow's ``Metric`` holds it, plus the run it belongs to."""

    run_id: str
    key: str
    value: float
    timestamp: int  # milliseconds since the epoch, as MLflow stamps them
    step: int
    model_id: str | None = None
    dataset_name: str | None = None
    dataset_digest: str | None = None

    @property
    def is_plain(self) -> bool:
        """True when the point goes to the ``metrics`` table only (no logged-model link)."""
        return self.model_id is None and self.dataset_name is None and self.dataset_digest is None


_new_tuple = tuple.__new__


def plain_point(run_id: str, key: str, value: float, timestamp: int, step: int) -> MetricPoint:
    """A point with no model or dataset link, built without ``MetricPoint.__new__``'s
    Python-level call (twice as fast; this runs once per logged point)."""
    return _new_tuple(MetricPoint, (run_id, key, value, timestamp, step, None, None, None))


def checked_numbers(
    key: object, value: object, timestamp: object, step: object, path: str = ""
) -> tuple[float, int, int | float]:
    """``(value, timestamp, step)`` as plain Python numbers, or MLflow's ``MlflowException``.

    The common case (a known key, a float value, int timestamp and step) is
    decided without calling MLflow; anything else goes through MLflow's own
    ``_validate_metric`` so the error is exactly MLflow's. Numbers MLflow accepts
    but a database driver may not bind (``numpy.int64`` steps, ``Decimal`` values)
    become ``int`` or ``float`` here, so they cannot fail a whole batch later.
    """
    if (
        type(value) is float
        and type(timestamp) is int
        and type(step) is int
        and timestamp >= 0
        and key in KNOWN_VALID_KEYS
    ):
        return value, timestamp, step
    from mlflow.utils.validation import _validate_metric

    _validate_metric(key, value, timestamp, step, path=path)
    if len(KNOWN_VALID_KEYS) < _MAX_REMEMBERED_KEYS:
        KNOWN_VALID_KEYS.add(key)  # type: ignore[arg-type]
    return float(value), _plain_number(timestamp), _plain_number(step)  # type: ignore[arg-type]


def _plain_number(number: numbers.Number) -> int | float:
    return int(number) if isinstance(number, numbers.Integral) else float(number)  # type: ignore[arg-type]


def point_from_metric(run_id: str, metric, path: str = "") -> MetricPoint:
    """Check an ``mlflow.entities.Metric`` and turn it into a point of ``run_id``."""
    value, timestamp, step = checked_numbers(
        metric.key, metric.value, metric.timestamp, metric.step, path
    )
    return MetricPoint(
        run_id,
        metric.key,
        value,
        timestamp,
        step,
        metric.model_id,
        metric.dataset_name,
        metric.dataset_digest,
    )


def stored_value(value: float) -> tuple[float, bool]:
    """``(value, is_nan)`` as MLflow's SQL store writes them."""
    if math.isnan(value):
        return 0.0, True
    if math.isinf(value):
        return (LARGEST_DOUBLE if value > 0 else -LARGEST_DOUBLE), False
    return value, False
