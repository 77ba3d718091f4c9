"""The read path through MlflowClient: for REST stores, and the fallback for SQL ones.

A REST tracking server already pages runs for us; the client asks for exactly one
page of the size the caller wants and keeps only the asked columns.
"""

from __future__ import annotations

import math

from .errors import NotFound
from .page_tokens import PREFIX, decode_page_token, mlflow_offset_token, search_fingerprint
from .queries import (
    MetricSeries,
    RunPage,
    RunQuery,
    RunRow,
    finite_or_none,
    run_attributes,
    token_text,
)
from .shapes import RunColumns
from .sql_reader import reduce_points

# Newest runs whose keys a REST store's column list is drawn from.
COLUMN_SAMPLE_RUNS = 1000


class ClientReader:
    def __init__(self, tracking_uri: str) -> None:
        from mlflow import MlflowClient

        self._client = MlflowClient(tracking_uri=tracking_uri)

    def close(self) -> None:
        pass

    def search_runs(self, query: RunQuery) -> RunPage:
        page = self._client.search_runs(
            experiment_ids=list(query.experiment_ids),
            filter_string=query.filter_string,
            order_by=list(query.order_by) or None,
            max_results=query.page_size,
            page_token=_offset_token(query),
        )
        return RunPage(
            runs=[_row(run, query) for run in page], next_page_token=token_text(page.token)
        )

    def run_table(self, query: RunQuery, max_results: int):
        from .run_table import read_client_run_table

        return read_client_run_table(self._client, query, max_results)

    def runs_by_id(self, run_ids: list[str], query: RunQuery) -> list[RunRow]:
        from mlflow.exceptions import MlflowException

        rows = []
        for run_id in run_ids:
            try:
                rows.append(_row(self._client.get_run(run_id), query))
            except MlflowException as error:
                if getattr(error, "error_code", "") != "RESOURCE_DOES_NOT_EXIST":
                    raise
        return rows

    def column_keys(self, run_ids: list[str]) -> dict[str, list[str]]:
        params: set[str] = set()
        metrics: set[str] = set()
        tags: set[str] = set()
        for run_id in run_ids:
            run = self._client.get_run(run_id)
            params.update(run.data.params)
            metrics.update(run.data.metrics)
            tags.update(run.data.tags)
        return {"params": sorted(params), "metrics": sorted(metrics), "tags": sorted(tags)}

    def run_columns(self, experiment_ids: tuple[str, ...]) -> RunColumns:
        """The keys of the newest runs: a REST store has no cheap way to list them all."""
        params: set[str] = set()
        metrics: set[str] = set()
        tags: set[str] = set()
        runs = self._client.search_runs(
            list(experiment_ids), max_results=COLUMN_SAMPLE_RUNS, order_by=["start_time DESC"]
        )
        for run in runs:
            params.update(run.data.params)
            metrics.update(run.data.metrics)
            tags.update(run.data.tags)
        return RunColumns(sorted(params), sorted(metrics), sorted(tags))

    def values_near_step(self, run_ids: list[str], keys: list[str], step: int):
        from .at_step import client_values_near_step

        return client_values_near_step(self._client, run_ids, keys, step)

    def metric_history(
        self, run_id: str, key: str, max_points: int, after_step: int | None
    ) -> MetricSeries:
        history = self._client.get_metric_history(run_id, key)
        if not history and after_step is None:
            self._client.get_run(run_id)  # raises RESOURCE_DOES_NOT_EXIST for unknown runs
            raise NotFound(f"run {run_id} has no metric {key!r}")
        points = sorted(
            (m.step, m.timestamp, 0.0 if math.isnan(m.value) else m.value, math.isnan(m.value))
            for m in history
            if after_step is None or m.step > after_step
        )
        return reduce_points(key, points, max_points)


def _offset_token(query: RunQuery) -> str | None:
    """The token MLflow understands: labtrack's keyset tokens (handed out by the SQL fast
    path) carry the offset their page ended at; anything else is passed on as it is."""
    token = query.page_token
    if not token or not token.startswith(PREFIX):
        return token
    fingerprint = search_fingerprint(query.experiment_ids, query.filter_string, query.order_by)
    decoded = decode_page_token(token, fingerprint)
    return mlflow_offset_token(decoded.offset) if decoded is not None else None


def _row(run, query: RunQuery) -> RunRow:
    info, data = run.info, run.data
    return RunRow(
        **run_attributes(info),
        params={k: data.params[k] for k in query.params if k in data.params},
        metrics={k: finite_or_none(data.metrics[k]) for k in query.metrics if k in data.metrics},
        tags={k: data.tags[k] for k in query.tags if k in data.tags},
    )
