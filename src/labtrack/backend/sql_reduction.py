"""A long metric history reduced inside the database: only the kept points leave it.

The result equals ``reduction.minmax_indices`` over the whole history (the first and
last point, each bucket's first lowest and first highest point, NaN neither low nor
high, an all-NaN bucket keeping its first point); tests compare the two on SQLite and
PostgreSQL.

How. A training loop logs a metric at distinct, evenly spaced steps (every step, or
every k-th), and one aggregate over MLflow's (run_uuid, key, step) index tells whether
this history is such a curve. If it is, point ``i`` of the curve is the one at step
``first + i·k``, so each bucket of point indices is a range of steps; one index range
scan per bucket finds its first lowest and first highest point (``ORDER BY value,
step LIMIT 1``), and a last query reads the kept rows by step. Nothing sorts the whole
history and no 100k rows travel to Python. A history with repeated or irregular steps
gets None here: the caller reads its rows and reduces them in Python, as before.
"""

from __future__ import annotations

import json

from .queries import MetricSeries, finite_or_none
from .reduction import bucket_edges
from .sql_rows import plain_rows

DIALECTS = ("sqlite", "postgresql")

_SCOPE = "run_uuid = :run AND key = :key{after}"
# How many points, the first and last step, and how many distinct steps. SQLite counts
# the distinct steps fastest streaming them from the index; PostgreSQL by sorting them
# (its hash aggregate of 100k steps spills to disk at the default work_mem).
_STATS = {
    "sqlite": "SELECT COUNT(*), MIN(step), MAX(step), (SELECT COUNT(*) FROM"
    " (SELECT DISTINCT step FROM metrics WHERE {scope}) AS distinct_steps)"
    " FROM metrics WHERE {scope}",
    "postgresql": "SELECT COUNT(*), MIN(step), MAX(step), COUNT(DISTINCT step)"
    " FROM metrics WHERE {scope}",
}
_OFF_GRID = "SELECT 1 FROM metrics WHERE {scope} AND (step - :low) % :spacing <> 0 LIMIT 1"
# Each bucket's first lowest and first highest non-NaN point, by an index range scan.
_PICKS = (
    "SELECT buckets.s0,"
    " (SELECT m.step FROM metrics m WHERE m.{scope} AND m.step BETWEEN buckets.s0"
    " AND buckets.s1 AND NOT m.is_nan ORDER BY m.value, m.step LIMIT 1),"
    " (SELECT m.step FROM metrics m WHERE m.{scope} AND m.step BETWEEN buckets.s0"
    " AND buckets.s1 AND NOT m.is_nan ORDER BY m.value DESC, m.step LIMIT 1)"
    " FROM {buckets}"
)
_BUCKETS = {
    "sqlite": "(SELECT json_extract(j.value, '$[0]') AS s0, json_extract(j.value, '$[1]')"
    " AS s1 FROM json_each(:ranges) AS j) AS buckets",
    "postgresql": "unnest(CAST(:starts AS BIGINT[]), CAST(:ends AS BIGINT[])) AS buckets(s0, s1)",
}
_ROWS = "SELECT step, timestamp, value, is_nan FROM metrics WHERE {scope} AND {steps} ORDER BY step"
_STEPS = {
    "sqlite": "step IN (SELECT value FROM json_each(:steps))",
    "postgresql": "step = ANY(CAST(:steps AS BIGINT[]))",
}


def reduce_in_database(
    session, run_id: str, key: str, max_points: int, after_step: int | None
) -> MetricSeries | None:
    """The reduced history, or None when this store or this history needs the rows read
    (another engine; repeated or irregular steps)."""
    dialect = session.get_bind().dialect.name
    if dialect not in DIALECTS:
        return None
    if dialect == "postgresql":
        # The planner prices these scans as if read from disk and would spend longer
        # compiling them (JIT, ~0.2 s each here) than running them; only for this
        # transaction.
        _rows(session, "SET LOCAL jit = off", {}, fetch=False)
    scope = _SCOPE.format(after="" if after_step is None else " AND step > :after")
    bound = {"run": run_id, "key": key}
    if after_step is not None:
        bound["after"] = after_step
    count, low, high, distinct = _rows(session, _STATS[dialect].format(scope=scope), bound)[0]
    if count <= max_points or distinct != count:
        return None
    spacing, remainder = divmod(high - low, count - 1)
    if remainder or spacing < 1:
        return None
    if spacing > 1:
        off_grid = _OFF_GRID.format(scope=scope)
        if _rows(session, off_grid, {**bound, "low": low, "spacing": spacing}):
            return None
    edges = bucket_edges(count, max_points)
    starts = [low + spacing * int(edge) for edge in edges[:-1]]
    ends = [low + spacing * int(edge) - 1 for edge in edges[1:]]
    picks_sql = _PICKS.format(scope=scope, buckets=_BUCKETS[dialect])
    kept = {low, high}
    picks = _rows(session, picks_sql, {**bound, **_ranges(dialect, starts, ends)})
    for start, lowest, highest in picks:
        if lowest is None:  # every point of the bucket is NaN: its first one shows the gap
            kept.add(start)
        else:
            kept.update((lowest, highest))
    steps = sorted(kept)
    rows_sql = _ROWS.format(scope=scope, steps=_STEPS[dialect])
    parameter = json.dumps(steps) if dialect == "sqlite" else steps
    rows = _rows(session, rows_sql, {**bound, "steps": parameter})
    return MetricSeries(
        key=key,
        steps=[row[0] for row in rows],
        timestamps=[row[1] for row in rows],
        values=[None if row[3] else finite_or_none(row[2]) for row in rows],
        total_points=count,
        reduced=len(rows) < count,
        last_step=high,
    )


def _ranges(dialect: str, starts: list[int], ends: list[int]) -> dict:
    if dialect == "sqlite":
        return {"ranges": json.dumps([list(pair) for pair in zip(starts, ends, strict=True)])}
    return {"starts": starts, "ends": ends}


def _rows(session, sql: str, bound: dict, fetch: bool = True) -> list[tuple]:
    from sqlalchemy import text

    statement = text(sql).bindparams(**bound)
    if not fetch:
        session.execute(statement)
        return []
    return plain_rows(session, statement)
