"""Runs as a pandas DataFrame shaped like ``mlflow.search_runs``, read the fast way.

Same columns (``run_id, experiment_id, status, artifact_uri, start_time, end_time``,
then ``metrics.*``, ``params.*``, ``tags.*``, keys sorted within each group), same
values and dtypes: times are UTC datetimes, a missing metric is NaN, a missing param
or tag is missing. The rows come from :meth:`TrackingFacade.run_table`: plain SQL for
SQL stores, MLflow's paged search for REST stores.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from .. import tags as T
from .errors import InvalidQuery, NotFound
from .facade import TrackingFacade, domain_errors
from .queries import RunQuery, valid_run_id
from .run_table import RunTable

# mlflow.search_runs' own default.
DEFAULT_MAX_RESULTS = 100_000


@dataclass(frozen=True)
class RunSelection:
    """Which runs: what ``labtrack.runs`` and ``%track compare`` are asked for."""

    experiments: tuple[str, ...] = ()  # names or ids; empty: see ``default_experiments``
    filter_string: str = ""
    order_by: tuple[str, ...] = ()
    max_results: int = DEFAULT_MAX_RESULTS
    notebook_path: str | None = None  # only the runs recorded from this notebook
    children_of: str | None = None  # only the child runs of this run
    all_experiments: bool = False  # every active experiment (``experiments="all"``)


def select_runs(
    facade: TrackingFacade, selection: RunSelection, default_experiments: Iterable[str] = ()
) -> RunTable:
    """The runs ``selection`` names. Experiments default to every active experiment
    with ``children_of`` or ``notebook_path``, else ``default_experiments`` (the
    kernel's current experiment)."""
    if selection.max_results < 1:
        raise InvalidQuery(f"max_results must be positive, got {selection.max_results}")
    clauses = [selection.filter_string.strip()] if selection.filter_string.strip() else []
    if selection.all_experiments:
        from .run_scopes import all_experiment_ids

        experiment_ids = all_experiment_ids(facade)
        if not experiment_ids:
            raise NotFound("there are no experiments yet")
    else:
        experiment_ids = resolve_experiments(facade, selection.experiments)
    if selection.children_of is not None:
        parent = valid_run_id(selection.children_of)
        with domain_errors():
            facade.client.get_run(parent)  # an unknown parent is NotFound, not "no runs"
        # A child may live in another experiment than its parent (start_run(nested=True)
        # uses the active experiment): search them all unless told where.
        experiment_ids = experiment_ids or all_experiments(facade)
        clauses.append(f"tags.`{T.PARENT_RUN_ID}` = '{parent}'")
    if selection.notebook_path is not None:
        if "'" in selection.notebook_path:
            raise InvalidQuery("a notebook path with a quote cannot be searched")
        clauses.append(f"tags.`{T.SOURCE_NAME}` = '{selection.notebook_path}'")
        experiment_ids = experiment_ids or all_experiments(facade)
    experiment_ids = experiment_ids or tuple(default_experiments)
    query = RunQuery(
        experiment_ids=experiment_ids,
        filter_string=" and ".join(clauses),
        order_by=tuple(selection.order_by),
    )
    return facade.run_table(query, selection.max_results)


def resolve_experiments(facade: TrackingFacade, names_or_ids: Iterable[str]) -> tuple[str, ...]:
    """Experiment ids from names or ids (a name wins over an id that reads the same)."""
    ids = []
    for value in names_or_ids:
        value = str(value)
        with domain_errors():
            experiment = facade.client.get_experiment_by_name(value)
        if experiment is None and value.isdigit():
            with domain_errors():
                experiment = facade.client.get_experiment(value)
        if experiment is None:
            raise NotFound(f"no experiment named {value!r}")
        ids.append(str(experiment.experiment_id))
    return tuple(dict.fromkeys(ids))


def all_experiments(facade: TrackingFacade) -> tuple[str, ...]:
    with domain_errors():
        return tuple(e.experiment_id for e in facade.client.search_experiments())


def runs_frame(table: RunTable):
    """The DataFrame ``mlflow.search_runs`` would give for the same runs."""
    import numpy as np
    import pandas as pd

    count = len(table.run_id)
    row_of = {run_id: index for index, run_id in enumerate(table.run_id)}
    data: dict[str, object] = {
        "run_id": table.run_id,
        "experiment_id": table.experiment_id,
        "status": table.status,
        "artifact_uri": table.artifact_uri,
        "start_time": _times(table.start_time),
        "end_time": _times(table.end_time),
    }
    for prefix, entries, empty in (
        ("metrics", table.metrics, np.nan),
        ("params", table.params, None),
        ("tags", table.tags, None),
    ):
        columns: dict[str, list] = {}
        for run_id, key, value in entries:
            column = columns.get(key)
            if column is None:
                column = columns[key] = [empty] * count
            column[row_of[run_id]] = value
        for key in sorted(columns):
            values = columns[key]
            if prefix == "metrics":
                values = np.array(values, dtype=float)
            data[f"{prefix}.{key}"] = values
    return pd.DataFrame(data)


def _times(milliseconds: list[int | None]):
    import pandas as pd

    # One conversion for the column; pd.to_datetime per value is what makes MLflow slow.
    times = pd.to_datetime(pd.array(milliseconds, dtype="Int64"), unit="ms", utc=True)
    return times.as_unit(_mlflow_time_unit())


@functools.cache
def _mlflow_time_unit() -> str:
    """The resolution pandas gives the column MLflow builds from per-value Timestamps."""
    import pandas as pd

    return pd.Series([pd.to_datetime(0, unit="ms", utc=True)]).dt.unit
