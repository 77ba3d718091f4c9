"""What the façade is asked and what it answers, independent of how it reads the store."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .errors import InvalidQuery

MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 100
MAX_COLUMNS = 200
MAX_METRIC_POINTS = 10_000
MIN_METRIC_POINTS = 4  # the first, the last and one bucket's minimum and maximum
DEFAULT_METRIC_POINTS = 1_000
MAX_COMPARE_RUNS = 1_000
_RUN_ID = re.compile(r"^[0-9a-zA-Z][\w\-]{0,255}$")
_EXPERIMENT_ID = re.compile(r"^[0-9]{1,19}$")


@dataclass(frozen=True)
class RunQuery:
    experiment_ids: tuple[str, ...]
    filter_string: str = ""
    order_by: tuple[str, ...] = ()
    page_size: int = DEFAULT_PAGE_SIZE
    page_token: str | None = None
    params: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass
class RunRow:
    run_id: str
    run_name: str
    experiment_id: str
    status: str
    start_time: int | None
    end_time: int | None
    user_id: str | None
    lifecycle_stage: str
    params: dict[str, str] = field(default_factory=dict)
    metrics: dict[str, float | None] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class RunPage:
    runs: list[RunRow]
    next_page_token: str | None


@dataclass
class MetricSeries:
    """A metric's history, possibly reduced; parallel lists in step order."""

    key: str
    steps: list[int]
    timestamps: list[int]
    values: list[float | None]
    total_points: int
    reduced: bool
    last_step: int | None


def run_attributes(info) -> dict:
    """The attribute fields RunRow and RunInfoView share, read from MLflow's RunInfo."""
    return {
        "run_id": info.run_id,
        "run_name": info.run_name or "",
        "experiment_id": str(info.experiment_id),
        "status": info.status,
        "start_time": info.start_time,
        "end_time": info.end_time,
        "user_id": info.user_id,
        "lifecycle_stage": info.lifecycle_stage,
    }


# -- validation of what clients send -------------------------------------------------


def valid_run_id(run_id: str) -> str:
    if not _RUN_ID.match(run_id or ""):
        raise InvalidQuery(f"malformed run id {run_id!r}")
    return run_id


def valid_experiment_ids(ids: list[str]) -> tuple[str, ...]:
    bad = [value for value in ids if not _EXPERIMENT_ID.match(value)]
    if bad:
        raise InvalidQuery(f"malformed experiment id {bad[0]!r}")
    return tuple(dict.fromkeys(ids))


def valid_page_size(raw: str | int | None, default: int = DEFAULT_PAGE_SIZE) -> int:
    return bounded_int(raw, "page_size", default, 1, MAX_PAGE_SIZE)


def bounded_int(raw: str | int | None, name: str, default: int, low: int, high: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise InvalidQuery(f"{name} must be an integer, got {raw!r}") from None
    if not low <= value <= high:
        raise InvalidQuery(f"{name} must be between {low} and {high}, got {value}")
    return value


def valid_columns(raw: list[str], name: str) -> tuple[str, ...]:
    keys = tuple(dict.fromkeys(key.strip() for key in raw if key.strip()))
    if len(keys) > MAX_COLUMNS:
        raise InvalidQuery(f"at most {MAX_COLUMNS} {name} columns may be asked for")
    if any(len(key) > 250 for key in keys):
        raise InvalidQuery(f"a {name} key is longer than 250 characters")
    return keys


def finite_or_none(value: float) -> float | None:
    """JSON has no NaN or infinity; they travel as null."""
    return value if math.isfinite(value) else None


def token_text(token: str | bytes | None) -> str | None:
    """MLflow's SQL store hands out page tokens as bytes; JSON needs text."""
    if not token:
        return None
    return token.decode() if isinstance(token, bytes) else token
