"""Metric values at a chosen step: for each run and metric, the value logged at the step
nearest the one asked (the lower step on a tie; the latest value logged at that step).

On SQL stores three grouped queries over MLflow's ``metrics`` table find, per (run, key),
the highest step at or below and the lowest at or above the asked one, then read the
values at the nearer; nothing else of the histories is read. Other stores read each
history through MLflow's client.
"""

from __future__ import annotations

import math

from .queries import finite_or_none
from .shapes import CompareAtStep, CompareMetricColumn, CompareStepColumn
from .sql_rows import in_id_chunks, plain_rows

# (run_id, key) → (step, value or None)
Found = dict[tuple[str, str], tuple[int, float | None]]
# Tags a comparison never groups by: what MLflow and labtrack write on every run.
SYSTEM_TAG_PREFIXES = ("mlflow.", "labtrack.")


def nearer(step: int, below: int | None, above: int | None) -> int | None:
    if below is None:
        return above
    if above is None:
        return below
    return below if step - below <= above - step else above


def sql_values_near_step(store, run_ids: list[str], keys: list[str], step: int) -> Found:
    from mlflow.store.tracking.dbmodels.models import SqlMetric
    from sqlalchemy import func, select

    if not keys:
        return {}
    chosen: dict[tuple[str, str], int] = {}
    with store.ManagedSessionMaker() as session:
        for chunk in in_id_chunks(run_ids):
            bounds: dict[tuple[str, str], list] = {}
            for index, aggregate, condition in (
                (0, func.max(SqlMetric.step), SqlMetric.step <= step),
                (1, func.min(SqlMetric.step), SqlMetric.step >= step),
            ):
                statement = (
                    select(SqlMetric.run_uuid, SqlMetric.key, aggregate)
                    .where(SqlMetric.run_uuid.in_(chunk), SqlMetric.key.in_(keys), condition)
                    .group_by(SqlMetric.run_uuid, SqlMetric.key)
                )
                for run_id, key, found in plain_rows(session, statement):
                    bounds.setdefault((run_id, key), [None, None])[index] = found
            for trace, (below, above) in bounds.items():
                nearest = nearer(step, below, above)
                if nearest is not None:
                    chosen[trace] = int(nearest)
        found: Found = {}
        wanted = set(chosen.values())
        for chunk in in_id_chunks(run_ids):
            statement = (
                select(
                    SqlMetric.run_uuid,
                    SqlMetric.key,
                    SqlMetric.step,
                    SqlMetric.timestamp,
                    SqlMetric.value,
                    SqlMetric.is_nan,
                )
                .where(
                    SqlMetric.run_uuid.in_(chunk),
                    SqlMetric.key.in_(keys),
                    SqlMetric.step.in_(sorted(wanted)),
                )
                .order_by(SqlMetric.timestamp)
            )
            for run_id, key, at, _timestamp, value, is_nan in plain_rows(session, statement):
                if chosen.get((run_id, key)) == at:  # the latest at that step wins
                    found[(run_id, key)] = (at, None if is_nan else finite_or_none(value))
    return found


def client_values_near_step(client, run_ids: list[str], keys: list[str], step: int) -> Found:
    found: Found = {}
    for run_id in run_ids:
        for key in keys:
            history = client.get_metric_history(run_id, key)
            if not history:
                continue
            below = max((m.step for m in history if m.step <= step), default=None)
            above = min((m.step for m in history if m.step >= step), default=None)
            nearest = nearer(step, below, above)
            at = [m for m in history if m.step == nearest]
            value = max(at, key=lambda m: m.timestamp).value
            found[(run_id, key)] = (nearest, value if math.isfinite(value) else None)
    return found


def at_step_columns(run_ids: list[str], keys: list[str], step: int, found: Found) -> CompareAtStep:
    metrics, steps = [], []
    for key in keys:
        cells = [found.get((run_id, key)) for run_id in run_ids]
        metrics.append(CompareMetricColumn(key, [c[1] if c else None for c in cells]))
        steps.append(CompareStepColumn(key, [c[0] if c else None for c in cells]))
    return CompareAtStep(step=step, metrics=metrics, steps=steps)
