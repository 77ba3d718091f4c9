"""The fast read path for SQL stores (SQLite, PostgreSQL, MySQL).

``search_runs`` and ``get_metric_history`` build full MLflow objects — every param,
metric and tag of every run, dataset inputs, logged models — and are 20–170× slower
than the SQL a run table needs. This reader builds its WHERE and ORDER BY with
MLflow's own clause builders (so a filter or ordering means exactly what it means to
MLflow) but selects only the runs table plus the columns the caller asked for, pages
by keyset (``run_pages.py``; MLflow's offset tokens are still accepted), and reduces
long metric histories in the database (``sql_reduction.py``).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .errors import NotFound
from .keyset import direct_joins, sort_keys, without_redundant_null_keys
from .page_tokens import decode_page_token, search_fingerprint
from .queries import MetricSeries, RunPage, RunQuery, RunRow, finite_or_none
from .reduction import minmax_indices
from .run_keys import experiment_keys
from .run_pages import PageStatements, read_page
from .run_table import read_sql_run_table
from .shapes import RunColumns
from .sql_reduction import reduce_in_database
from .sql_rows import in_id_chunks, plain_rows


class SqlReader:
    def __init__(self, tracking_uri: str) -> None:
        from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

        # The artifact root is only used when creating experiments, which readers never do.
        self._store = SqlAlchemyStore(tracking_uri, "unused-by-readers")
        self.page_statements = PageStatements()

    def close(self) -> None:
        self._store.engine.dispose()

    # -- runs ------------------------------------------------------------------------

    def search_runs(self, query: RunQuery) -> RunPage:
        fingerprint = search_fingerprint(query.experiment_ids, query.filter_string, query.order_by)
        # Checked before the session: MLflow's session turns any error raised inside it
        # into an internal error (a 500), and a bad token is the client's (a 400).
        token = decode_page_token(query.page_token, fingerprint)
        with self._store.ManagedSessionMaker() as session:
            page = _captured(read_page, self, session, query, token, fingerprint)
            if not isinstance(page, Exception) and not page.columns_filled:
                self._fill_columns(session, page.rows, query)
        if isinstance(page, Exception):
            raise page
        return RunPage(runs=page.rows, next_page_token=page.next_page_token)

    def search_statement(self, session, query: RunQuery, columns) -> tuple:
        """SELECT ``columns`` and one column per sort key (labelled ``lt_key_<i>``) of the
        active runs of ``query``'s experiments that match its filter, ordered by those
        keys: MLflow's own filter and order builders (its default order when none is
        given), so a filter or an order means exactly what it means to MLflow.
        Returns the statement and its sort keys."""
        from mlflow.store.tracking import sqlalchemy_store as mlflow_sql
        from mlflow.store.tracking.dbmodels.models import SqlRun
        from mlflow.utils.search_utils import SearchUtils
        from sqlalchemy import select

        parsed_filters = SearchUtils.parse_search_filter(query.filter_string)
        order_columns, order_clauses, order_joins = mlflow_sql._get_orderby_clauses(
            list(query.order_by), session
        )
        order_joins, keys = direct_joins(
            order_joins, sort_keys(order_columns, order_clauses), SqlRun.run_uuid
        )
        keys = without_redundant_null_keys(keys, session.get_bind().dialect.name)
        attribute_filters, joined_filters, dataset_filters = (
            mlflow_sql._get_sqlalchemy_filter_clauses(
                parsed_filters, session, self._store._get_dialect()
            )
        )
        labels = [key.expression.label(f"lt_key_{i}") for i, key in enumerate(keys)]
        # Columns, not ORM objects: building 10k SqlRun instances costs more than the query.
        statement = select(*columns, *labels)
        # A param/metric/tag filter is a subquery of the matching run ids: asked as a
        # semi-join (IN) it cannot repeat a run, so no DISTINCT has to sort 100k rows.
        repeating = False
        for joined in joined_filters:
            if "run_uuid" in joined.c:
                statement = statement.where(SqlRun.run_uuid.in_(select(joined.c.run_uuid)))
            else:
                statement, repeating = statement.join(joined), True
        for dataset in dataset_filters:
            statement = statement.join(dataset, SqlRun.run_uuid == dataset.c.destination_id)
        for alias, on_clause in order_joins:
            statement = statement.outerjoin(alias, on_clause)
        if repeating or dataset_filters:
            # A run with several dataset inputs comes once per input; ordering joins
            # cannot repeat one (one row per run and key: their primary key).
            statement = statement.distinct()
        statement = statement.filter(
            SqlRun.experiment_id.in_([int(i) for i in query.experiment_ids]),
            SqlRun.lifecycle_stage == "active",
            *attribute_filters,
        )
        ordering = [
            label.desc() if key.descending else label.asc()
            for key, label in zip(keys, labels, strict=True)
        ]
        return statement.order_by(*ordering), keys

    def filtered_runs(self, session, query: RunQuery, columns: tuple):
        """``search_statement`` without its keys: the matching runs in the query's order."""
        return self.search_statement(session, query, columns)[0]

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
        """Every param, latest-metric and tag key of the experiments' active runs, sorted
        (found by skipping through the key indexes: ``run_keys.py``)."""
        with self._store.ManagedSessionMaker() as session:
            return RunColumns(**experiment_keys(session, experiment_ids))

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
        statement = statement.order_by(SqlMetric.step, SqlMetric.timestamp, SqlMetric.value)
        # MLflow's session wraps any exception raised inside it as an internal error,
        # so what is missing is found out inside and raised outside.
        with self._store.ManagedSessionMaker() as session:
            # A short history is read whole; a long one is reduced in the database when
            # its steps allow (sql_reduction.py), else read whole and reduced here.
            points = plain_rows(session, statement.limit(max_points + 1))
            if len(points) > max_points:
                series = reduce_in_database(session, run_id, key, max_points, after_step)
                if series is not None:
                    return series
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


def _captured(function, *args):
    """``function(*args)``, or the InvalidQuery / NotImplementedError it raised: raised
    inside MLflow's session they would reach the caller as MLflow internal errors."""
    from .errors import InvalidQuery

    try:
        return function(*args)
    except (InvalidQuery, NotImplementedError) as error:
        return error


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
