"""Routes over runs: paged search, details, metric histories and comparison."""

from __future__ import annotations

import os

import tornado.web

from .. import tags as T
from ..backend.errors import InvalidQuery
from ..backend.queries import (
    DEFAULT_METRIC_POINTS,
    MAX_COMPARE_RUNS,
    MAX_METRIC_POINTS,
    MIN_METRIC_POINTS,
    RunQuery,
    bounded_int,
    valid_columns,
    valid_experiment_ids,
    valid_page_size,
)
from ..backend.query_limits import valid_experiment_id_range, valid_filter, valid_order_by
from ..backend.run_scopes import scoped_columns, search_scoped_runs, valid_lifecycle
from .bodies import read_json
from .handlers import LabtrackHandler


class RunsHandler(LabtrackHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        # experiment_ids=all: every active experiment; lifecycle=deleted: the Trash.
        every = all_experiments_asked(self)
        try:
            lifecycle = valid_lifecycle(self.get_query_argument("lifecycle", None))
        except InvalidQuery as error:
            raise tornado.web.HTTPError(400, str(error)) from None
        query = self._query(every)
        facade = self.labtrack.facade
        self.write_json(await self.call(search_scoped_runs, facade, query, every, lifecycle))

    def _query(self, every: bool = False) -> RunQuery:
        experiment_ids = (
            () if every else valid_experiment_ids_or_400(self.list_argument("experiment_ids"))
        )
        filter_string = self.get_query_argument("filter", "").strip()
        notebook = self._notebook_path(self.get_query_argument("notebook", "").strip())
        if notebook:
            if "'" in notebook:
                raise tornado.web.HTTPError(400, "notebook path may not contain a quote")
            clause = f"tags.`{T.SOURCE_NAME}` = '{notebook}'"
            # MLflow's filters are AND-ed clauses without parentheses.
            filter_string = f"{clause} and {filter_string}" if filter_string else clause
        try:
            return RunQuery(
                experiment_ids=experiment_ids,
                filter_string=valid_filter(filter_string),
                order_by=valid_order_by(tuple(self.get_query_arguments("order_by"))),
                page_size=valid_page_size(self.get_query_argument("page_size", None)),
                page_token=self.get_query_argument("page_token", None) or None,
                params=valid_columns(self.list_argument("params"), "params"),
                metrics=valid_columns(self.list_argument("metrics"), "metrics"),
                tags=valid_columns(self.list_argument("tags"), "tags"),
            )
        except InvalidQuery as error:
            raise tornado.web.HTTPError(400, str(error)) from None

    def _notebook_path(self, path: str) -> str:
        """Runs record the notebook's absolute path; the front end knows it relative to
        the server's root, as its contents API does."""
        if not path or os.path.isabs(path):
            return path
        root = os.path.expanduser(self.settings.get("server_root_dir") or os.getcwd())
        return os.path.normpath(os.path.join(root, path))


def all_experiments_asked(handler: LabtrackHandler) -> bool:
    return handler.list_argument("experiment_ids") == ["all"]


def valid_experiment_ids_or_400(ids: list[str]) -> tuple[str, ...]:
    if not ids:
        raise tornado.web.HTTPError(400, "experiment_ids is required")
    try:
        return valid_experiment_id_range(valid_experiment_ids(ids))
    except InvalidQuery as error:
        raise tornado.web.HTTPError(400, str(error)) from None


class RunColumnsHandler(LabtrackHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        every = all_experiments_asked(self)
        experiment_ids = (
            () if every else valid_experiment_ids_or_400(self.list_argument("experiment_ids"))
        )
        facade = self.labtrack.facade
        self.write_json(await self.call(scoped_columns, facade, experiment_ids, every))


class RunHandler(LabtrackHandler):
    @tornado.web.authenticated
    async def get(self, run_id: str) -> None:
        self.write_json(await self.call(self.labtrack.facade.run_detail, run_id))


class MetricHistoryHandler(LabtrackHandler):
    @tornado.web.authenticated
    async def get(self, run_id: str, key: str) -> None:
        try:
            max_points = bounded_int(
                self.get_query_argument("max_points", None),
                "max_points",
                DEFAULT_METRIC_POINTS,
                MIN_METRIC_POINTS,
                MAX_METRIC_POINTS,
            )
            raw_after = self.get_query_argument("after_step", None)
            after_step = None
            if raw_after not in (None, ""):
                after_step = bounded_int(raw_after, "after_step", 0, -(2**63), 2**63 - 1)
        except InvalidQuery as error:
            raise tornado.web.HTTPError(400, str(error)) from None
        series = await self.call(
            self.labtrack.facade.metric_history, run_id, key, max_points, after_step
        )
        self.write_json(series)


class CompareHandler(LabtrackHandler):
    @tornado.web.authenticated
    async def post(self) -> None:
        try:
            body = read_json(self.request.body)
        except InvalidQuery as error:
            raise tornado.web.HTTPError(400, str(error)) from None
        run_ids = body.get("run_ids") if isinstance(body, dict) else None
        if not isinstance(run_ids, list) or not all(isinstance(i, str) for i in run_ids):
            raise tornado.web.HTTPError(400, "run_ids must be a list of run id strings")
        run_ids = list(dict.fromkeys(run_ids))
        if not 1 <= len(run_ids) <= MAX_COMPARE_RUNS:
            raise tornado.web.HTTPError(400, f"compare 1 to {MAX_COMPARE_RUNS} runs")
        self.write_json(await self.call(self.labtrack.facade.compare, run_ids))
