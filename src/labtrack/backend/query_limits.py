"""Limits on what a run search may ask, checked before any store sees it.

Each refuses, with a reason, a request that a store would otherwise turn into a server
error: a number no 64-bit column holds, the same ordering key twice, more joined
clauses than a database joins (SQLite: 64 tables), an experiment id beyond 2^63 - 1.
"""

from __future__ import annotations

from .errors import InvalidQuery

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
# Each params/metrics/tags/datasets clause joins one more table; SQLite joins at most 64
# (and the run table is one of them). Fifty keeps well clear of it on every store.
MAX_JOINED_CLAUSES = 50
MAX_ORDER_BY = 10
MAX_FILTER_CHARS = 20_000


def valid_filter(filter_string: str) -> str:
    """The filter, parsed as MLflow parses it, with numbers and clause count in range."""
    if not filter_string:
        return filter_string
    if len(filter_string) > MAX_FILTER_CHARS:
        raise InvalidQuery(f"the filter is longer than {MAX_FILTER_CHARS} characters")
    from mlflow.utils.search_utils import SearchUtils

    try:
        clauses = SearchUtils.parse_search_filter(filter_string)
    except RecursionError:
        raise InvalidQuery("the filter is nested too deeply") from None
    except Exception as error:
        message = getattr(error, "message", None) or str(error)
        raise InvalidQuery(f"cannot read the filter: {message}") from None
    joined = 0
    for clause in clauses:
        kind, key, value = clause.get("type"), clause.get("key"), clause.get("value")
        if kind != "attribute":
            joined += 1
        if kind == "attribute" and key in SearchUtils.NUMERIC_ATTRIBUTES:
            _in_int64(value, f"attributes.{key}")
        if kind == "metric":
            _finite_number(value, f"metrics.{key}")
    if joined > MAX_JOINED_CLAUSES:
        raise InvalidQuery(
            f"the filter has {joined} params/metrics/tags/datasets clauses; at most "
            f"{MAX_JOINED_CLAUSES} are allowed (each joins a table)"
        )
    return filter_string


def valid_order_by(order_by: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Each ordering key at most once (the same key twice is a store error, not an order)."""
    if len(order_by) > MAX_ORDER_BY:
        raise InvalidQuery(f"at most {MAX_ORDER_BY} order_by keys are allowed")
    from mlflow.utils.search_utils import SearchUtils

    seen: dict[tuple[str, str], str] = {}
    for clause in order_by:
        try:
            kind, key, _ascending = SearchUtils.parse_order_by_for_search_runs(clause)
        except Exception as error:
            message = getattr(error, "message", None) or str(error)
            raise InvalidQuery(f"cannot read order_by {clause!r}: {message}") from None
        if (kind, key) in seen:
            raise InvalidQuery(
                f"order_by names {kind} {key!r} twice ({seen[(kind, key)]!r} and {clause!r})"
            )
        seen[(kind, key)] = clause
    return tuple(order_by)


def valid_experiment_id_range(ids) -> tuple[str, ...]:
    """Experiment ids (already digits only) that a 64-bit id column holds."""
    for value in ids:
        if int(value) > INT64_MAX:
            raise InvalidQuery(f"experiment id {value} is larger than any experiment id can be")
    return tuple(ids)


def _in_int64(value, where: str) -> None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidQuery(f"{where} must be compared with a whole number") from None
    if not INT64_MIN <= number <= INT64_MAX:
        raise InvalidQuery(f"{where} is compared with {number}, outside the 64-bit range")


def _finite_number(value, where: str) -> None:
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise InvalidQuery(f"{where} must be compared with a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise InvalidQuery(f"{where} must be compared with a finite number")
