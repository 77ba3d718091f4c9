"""The fast read path for SQL stores (SQLite, PostgreSQL, MySQL).

``search_runs`` and ``get_metric_history`` build full MLflow objects — every param,
metric and tag of every run, dataset inputs, logged models — and are 20–170× slower
than the SQL a run table needs. This reader builds its WHERE and ORDER BY with
MLflow's own clause builders (so a filter or ordering means exactly what it means to
MLflow, paging tokens included) but selects only the runs table plus the columns the
caller asked for, and reads metric histories as three numeric columns.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .errors import NotFound
from .queries import MetricSeries, RunPage, RunQuery, RunRow, finite_or_none
from .reduction import minmax_indices
from .run_table import read_sql_run_table
from .shapes import RunColumns
from .sql_rows import in_id_chunks, plain_rows


class SqlReader:
    def __init__(self, tracking_uri: str) -> None:
        from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

        # The artifact root is only used when creating experiments, which readers never do.
        self._store = SqlAlchemyStore(tracking_uri, "unused-by-readers")

    def close(self) -> None:
        self._store.engine.dispose()

    # -- runs ------------------------------------------------------------------------

    def search_runs(self, query: RunQuery) -> RunPage:
        from mlflow.store.tracking.dbmodels.models import SqlRun
        from mlflow.utils.search_utils import SearchUtils

        with self._store.ManagedSessionMaker() as session:
            offset = SearchUtils.parse_start_offset_from_page_token(query.page_token)
            statement = self.filtered_runs(session, query, _RUN_COLUMNS(SqlRun))
            statement = statement.offset(offset).limit(query.page_size + 1)
            found = plain_rows(session, statement)
            rows = [_row_from_columns(run) for run in found[: query.page_size]]
            # Asked columns for just this page: joining them into the page query would
            # look them up for every run the OFFSET skips (measured 3× slower).
            self._fill_columns(session, rows, query)
        next_token = None
        if len(found) > query.page_size:
            next_token = SearchUtils.create_page_token(offset + query.page_size).decode()
        return RunPage(runs=rows, next_page_token=next_token)

    def filtered_runs(self, session, query: RunQuery, columns: tuple):
        """SELECT ``columns`` of the active runs of ``query``'s experiments that match its
        filter, in its order (MLflow's default order when none is given): MLflow's own
        clause builders, so a filter means exactly what it means to MLflow."""
        from mlflow.store.tracking import sqlalchemy_store as mlflow_sql
        from mlflow.store.tracking.dbmodels.models import SqlRun
        from mlflow.utils.search_utils import SearchUtils
        from sqlalchemy import select

        parsed_filters = SearchUtils.parse_search_filter(query.filter_string)
        order_columns, order_clauses, order_joins = mlflow_sql._get_orderby_clauses(
            list(query.order_by), session
        )
        attribute_filters, joined_filters, dataset_filters = (
            mlflow_sql._get_sqlalchemy_filter_clauses(
                parsed_filters, session, self._store._get_dialect()
            )
        )
        # Columns, not ORM objects: building 10k SqlRun instances costs more than the query.
        statement = select(*columns, *order_columns)
        for joined in joined_filters:
            statement = statement.join(joined)
        for dataset in dataset_filters:
            statement = statement.join(dataset, SqlRun.run_uuid == dataset.c.destination_id)
        for joined in order_joins:
            statement = statement.outerjoin(joined)
        if joined_filters or dataset_filters or order_joins:
            # Joins can repeat a run; without them run_uuid (the key) is unique already.
            statement = statement.distinct()
        return statement.filter(
            SqlRun.experiment_id.in_([int(i) for i in query.experiment_ids]),
            SqlRun.lifecycle_stage == "active",
            *attribute_filters,
        ).order_by(*order_clauses)

    def run_table(self, query: RunQuery, max_results: int):
        """Every param, latest metric and tag of up to ``max_results`` matching runs."""
        return read_sql_run_table(self, query, max_results)

    def _fill_columns(self, session, rows: list[RunRow], query: RunQuery) -> None:
        from mlflow.store.tracking.dbmodels.models import SqlLatestMetric, SqlParam, SqlTag

        by_id = {row.run_id: row for row in rows}
        for entity, keys, target in (
            (SqlParam, query.params, "params"),
            (SqlTag, query.tags, "tags"),
        ):
            if keys:
                for run_id, key, value in _keyed_rows(session, entity, by_id, keys):
                    getattr(by_id[run_id], target)[key] = value
        if query.metrics:
            columns = (
                SqlLatestMetric.run_uuid,
                SqlLatestMetric.key,
                SqlLatestMetric.value,
                SqlLatestMetric.is_nan,
            )
            for run_id, key, value, is_nan in _select_in(
                session, columns, SqlLatestMetric, by_id, query.metrics
            ):
                by_id[run_id].metrics[key] = None if is_nan else finite_or_none(value)

    def runs_by_id(self, run_ids: list[str], query: RunQuery) -> list[RunRow]:
        """The given runs (in the given order, unknown ids left out) with the asked columns."""
        from mlflow.store.tracking.dbmodels.models import SqlRun
        from sqlalchemy import select

        with self._store.ManagedSessionMaker() as session:
            found: dict[str, RunRow] = {}
            for chunk in in_id_chunks(run_ids):
                statement = select(SqlRun).where(SqlRun.run_uuid.in_(chunk))
                for run in session.execute(statement).scalars():
                    found[run.run_uuid] = _row(run)
            rows = [found[run_id] for run_id in run_ids if run_id in found]
            self._fill_columns(session, rows, query)
        return rows

    def column_keys(self, run_ids: list[str]) -> dict[str, list[str]]:
        """Every param, metric and tag key the given runs have, sorted."""
        from mlflow.store.tracking.dbmodels.models import SqlLatestMetric, SqlParam, SqlTag
        from sqlalchemy import select

        keys: dict[str, set[str]] = {"params": set(), "metrics": set(), "tags": set()}
        entities = ((SqlParam, "params"), (SqlLatestMetric, "metrics"), (SqlTag, "tags"))
        with self._store.ManagedSessionMaker() as session:
            for entity, target in entities:
                for chunk in in_id_chunks(run_ids):
                    statement = select(entity.key).where(entity.run_uuid.in_(chunk)).distinct()
                    keys[target].update(session.execute(statement).scalars())
        return {name: sorted(values) for name, values in keys.items()}

    def run_columns(self, experiment_ids: tuple[str, ...]) -> RunColumns:
        """Every param, latest-metric and tag key of the experiments' active runs, sorted."""
        from mlflow.store.tracking.dbmodels.models import (
            SqlLatestMetric,
            SqlParam,
            SqlRun,
            SqlTag,
        )
        from sqlalchemy import select

        runs = select(SqlRun.run_uuid).where(
            SqlRun.experiment_id.in_([int(i) for i in experiment_ids]),
            SqlRun.lifecycle_stage == "active",
        )
        keys = {}
        with self._store.ManagedSessionMaker() as session:
            for entity, target in (
                (SqlParam, "params"),
                (SqlLatestMetric, "metrics"),
                (SqlTag, "tags"),
            ):
                statement = select(entity.key).where(entity.run_uuid.in_(runs)).distinct()
                keys[target] = sorted(key for (key,) in plain_rows(session, statement))
        return RunColumns(**keys)

    # -- metric histories ------------------------------------------------------------

    def metric_history(
        self, run_id: str, key: str, max_points: int, after_step: int | None
    ) -> MetricSeries:
        from mlflow.store.tracking.dbmodels.models import SqlMetric
        from sqlalchemy import select

        statement = select(SqlMetric.step, SqlMetric.timestamp, SqlMetric.value, SqlMetric.is_nan)
        statement = statement.where(SqlMetric.run_uuid == run_id, SqlMetric.key == key)
        if after_step is not None:
            statement = statement.where(SqlMetric.step > after_step)
        statement = statement.order_by(SqlMetric.step, SqlMetric.timestamp)
        # MLflow's session wraps any exception raised inside it as an internal error,
        # so what is missing is found out inside and raised outside.
        with self._store.ManagedSessionMaker() as session:
            points = plain_rows(session, statement)
            run_exists = bool(points) or self._run_exists(session, run_id)
        if not run_exists:
            raise NotFound(f"no run with id {run_id}")
        if not points and after_step is None:
            raise NotFound(f"run {run_id} has no metric {key!r}")
        return reduce_points(key, points, max_points)

    def values_near_step(self, run_ids: list[str], keys: list[str], step: int):
        from .at_step import sql_values_near_step

        return sql_values_near_step(self._store, run_ids, keys, step)

    def _run_exists(self, session, run_id: str) -> bool:
        from mlflow.store.tracking.dbmodels.models import SqlRun
        from sqlalchemy import select

        found = session.execute(select(SqlRun.run_uuid).where(SqlRun.run_uuid == run_id))
        return found.first() is not None


def reduce_points(key: str, points, max_points: int) -> MetricSeries:
    """``points``: (step, timestamp, value, is_nan) tuples in step order."""
    if not points:
        return MetricSeries(key, [], [], [], total_points=0, reduced=False, last_step=None)
    # float64 holds steps and millisecond timestamps exactly up to 2**53.
    table = np.array(points, dtype=float)
    steps = table[:, 0].astype(np.int64)
    timestamps = table[:, 1].astype(np.int64)
    values = table[:, 2]
    values[table[:, 3] != 0] = np.nan
    keep = minmax_indices(values, max_points)
    kept_values = values[keep]
    return MetricSeries(
        key=key,
        steps=steps[keep].tolist(),
        timestamps=timestamps[keep].tolist(),
        values=[None if not np.isfinite(v) else float(v) for v in kept_values],
        total_points=len(points),
        reduced=len(keep) < len(points),
        last_step=int(steps[-1]),
    )


def _RUN_COLUMNS(SqlRun) -> tuple:  # noqa: N802 -- reads as the constant it stands for
    return (
        SqlRun.run_uuid,
        SqlRun.name,
        SqlRun.experiment_id,
        SqlRun.status,
        SqlRun.start_time,
        SqlRun.end_time,
        SqlRun.user_id,
        SqlRun.lifecycle_stage,
    )


def _row_from_columns(columns) -> RunRow:
    run_id, name, experiment_id, status, start, end, user, stage = columns[:8]
    return RunRow(
        run_id=run_id,
        run_name=name or "",
        experiment_id=str(experiment_id),
        status=status,
        start_time=start,
        end_time=end,
        user_id=user,
        lifecycle_stage=stage,
    )


def _row(run) -> RunRow:
    return RunRow(
        run_id=run.run_uuid,
        run_name=run.name or "",
        experiment_id=str(run.experiment_id),
        status=run.status,
        start_time=run.start_time,
        end_time=run.end_time,
        user_id=run.user_id,
        lifecycle_stage=run.lifecycle_stage,
    )


def _select_in(session, columns, entity, by_id: dict, keys: Iterable[str]):
    from sqlalchemy import select

    for chunk in in_id_chunks(list(by_id)):
        statement = select(*columns).where(entity.run_uuid.in_(chunk), entity.key.in_(keys))
        yield from plain_rows(session, statement)


def _keyed_rows(session, entity, by_id: dict, keys: Iterable[str]):
    columns = (entity.run_uuid, entity.key, entity.value)
    yield from _select_in(session, columns, entity, by_id, list(keys))
