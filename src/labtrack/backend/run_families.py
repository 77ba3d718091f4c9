"""How many child runs each run has, and their statuses: what a run tree shows on a parent
before it is expanded, whichever page its children are on.

A child run names its parent in MLflow's ``mlflow.parentRunId`` tag and may live in another
experiment than its parent. SQL stores count them with one grouped SELECT per thousand
parents; REST stores are sampled from the newest children of every experiment.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass

from .errors import InvalidQuery
from .facade import TrackingFacade, domain_errors
from .queries import valid_run_id
from .sql_rows import in_id_chunks, plain_rows
from .store_access import sql_store_of

log = logging.getLogger(__name__)

PARENT_TAG = "mlflow.parentRunId"
MAX_FAMILY_RUNS = 1000
# Children a REST store is sampled from (newest first).
CLIENT_SAMPLE_CHILDREN = 5000


@dataclass
class RunFamily:
    """A run's active child runs: how many, and how many have each status."""

    run_id: str
    children: int
    statuses: dict[str, int]


@dataclass
class RunFamilies:
    """``POST runs/families``: the asked runs that have children (runs without are left
    out). ``sampled``: counted from the newest children only (REST stores)."""

    families: list[RunFamily]
    sampled: bool


def valid_family_ids(raw: object) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise InvalidQuery("run_ids must be a list of run id strings")
    ids = list(dict.fromkeys(raw))
    if len(ids) > MAX_FAMILY_RUNS:
        raise InvalidQuery(f"ask for at most {MAX_FAMILY_RUNS} runs, got {len(ids)}")
    for run_id in ids:
        valid_run_id(run_id)
    return ids


def run_families(facade: TrackingFacade, run_ids: list[str]) -> RunFamilies:
    if not run_ids:
        return RunFamilies(families=[], sampled=False)
    facade.require_reachable()
    store = sql_store_of(facade.client)
    with domain_errors():
        if store is not None:
            try:
                return _families(_sql_counts(store, run_ids), run_ids, sampled=False)
            except (AttributeError, ImportError, TypeError) as error:
                log.warning("labtrack: counting child runs the slow way: %s", error)
        return _families(_client_counts(facade, set(run_ids)), run_ids, sampled=True)


def _families(counts: dict[str, Counter], run_ids: list[str], sampled: bool) -> RunFamilies:
    return RunFamilies(
        families=[
            RunFamily(run_id, sum(counts[run_id].values()), dict(sorted(counts[run_id].items())))
            for run_id in run_ids
            if counts.get(run_id)
        ],
        sampled=sampled,
    )


def _sql_counts(store, run_ids: list[str]) -> dict[str, Counter]:
    from mlflow.store.tracking.dbmodels.models import SqlRun, SqlTag
    from sqlalchemy import func, select

    counts: dict[str, Counter] = defaultdict(Counter)
    with store.ManagedSessionMaker() as session:
        for chunk in in_id_chunks(run_ids):
            statement = (
                select(SqlTag.value, SqlRun.status, func.count())
                .join(SqlRun, SqlRun.run_uuid == SqlTag.run_uuid)
                .where(
                    SqlTag.key == PARENT_TAG,
                    SqlTag.value.in_(chunk),
                    SqlRun.lifecycle_stage == "active",
                )
                .group_by(SqlTag.value, SqlRun.status)
            )
            for parent, status, count in plain_rows(session, statement):
                counts[parent][status] += count
    return counts


def _client_counts(facade: TrackingFacade, wanted: set[str]) -> dict[str, Counter]:
    from .run_scopes import all_experiment_ids

    counts: dict[str, Counter] = defaultdict(Counter)
    experiment_ids = list(all_experiment_ids(facade))
    token, seen = None, 0
    while experiment_ids and seen < CLIENT_SAMPLE_CHILDREN:
        page = facade.client.search_runs(
            experiment_ids,
            filter_string=f"tags.`{PARENT_TAG}` IS NOT NULL",
            order_by=["attributes.start_time DESC"],
            max_results=min(1000, CLIENT_SAMPLE_CHILDREN - seen),
            page_token=token,
        )
        for run in page:
            parent = run.data.tags.get(PARENT_TAG)
            if parent in wanted:
                counts[parent][run.info.status] += 1
        seen += len(page)
        token = page.token
        if not token:
            break
    return counts
