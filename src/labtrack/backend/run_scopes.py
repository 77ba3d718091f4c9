"""Which runs a list shows: one set of experiments or all of them, active runs or the Trash.

"All experiments" is every active experiment, read page by page (MLflow hands out at most
a page at a time). The Trash — MLflow's soft-deleted runs, kept until ``mlflow gc`` purges
them — is read through MLflow's own search with its ``DELETED_ONLY`` view: it is small,
and the fast SQL reader serves active runs only.
"""

from __future__ import annotations

from dataclasses import replace

from .errors import InvalidQuery
from .facade import TrackingFacade, domain_errors
from .queries import RunPage, RunQuery, RunRow, finite_or_none, run_attributes, token_text
from .shapes import RunColumns

LIFECYCLES = ("active", "deleted")
# Experiments asked for per page while listing them all.
EXPERIMENT_PAGE = 1000


def valid_lifecycle(raw: str | None) -> str:
    value = (raw or "active").strip().lower()
    if value not in LIFECYCLES:
        raise InvalidQuery(f"lifecycle must be one of {', '.join(LIFECYCLES)}, got {raw!r}")
    return value


def all_experiment_ids(facade: TrackingFacade) -> tuple[str, ...]:
    """Every active experiment's id, oldest first (all pages)."""
    ids: list[str] = []
    token = None
    with domain_errors():
        while True:
            page = facade.client.search_experiments(
                max_results=EXPERIMENT_PAGE, page_token=token, order_by=["creation_time ASC"]
            )
            ids.extend(str(experiment.experiment_id) for experiment in page)
            token = page.token
            if not token:
                return tuple(ids)


def search_scoped_runs(
    facade: TrackingFacade, query: RunQuery, all_experiments: bool, lifecycle: str
) -> RunPage:
    """A page of runs of ``query``'s experiments (or every experiment), active or trashed."""
    if all_experiments:
        facade.require_reachable()
        ids = all_experiment_ids(facade)
        if not ids:
            return RunPage(runs=[], next_page_token=None)
        query = replace(query, experiment_ids=ids)
    if lifecycle == "deleted":
        if not all_experiments:
            facade.require_reachable()
            facade.require_experiments(query.experiment_ids)
        return search_trash(facade, query)
    if all_experiments:
        # The ids came from the store itself: no need to ask for each one again.
        return facade._read("search_runs", query)
    return facade.search_runs(query)


def scoped_columns(facade: TrackingFacade, experiment_ids: tuple[str, ...], all_: bool):
    """The param, metric and tag keys of the chosen experiments' runs (or of all)."""
    if not all_:
        return facade.run_columns(experiment_ids)
    facade.require_reachable()
    ids = all_experiment_ids(facade)
    return facade._read("run_columns", ids) if ids else RunColumns([], [], [])


def search_trash(facade: TrackingFacade, query: RunQuery) -> RunPage:
    """A page of the experiments' deleted runs, through MLflow's client."""
    from mlflow.entities import ViewType

    facade.require_reachable()
    with domain_errors():
        page = facade.client.search_runs(
            experiment_ids=list(query.experiment_ids),
            filter_string=query.filter_string,
            run_view_type=ViewType.DELETED_ONLY,
            order_by=list(query.order_by) or None,
            max_results=query.page_size,
            page_token=query.page_token,
        )
    return RunPage(runs=[_row(run, query) for run in page], next_page_token=token_text(page.token))


def _row(run, query: RunQuery) -> RunRow:
    data = run.data
    return RunRow(
        **run_attributes(run.info),
        params={k: data.params[k] for k in query.params if k in data.params},
        metrics={k: finite_or_none(data.metrics[k]) for k in query.metrics if k in data.metrics},
        tags={k: data.tags[k] for k in query.tags if k in data.tags},
    )
