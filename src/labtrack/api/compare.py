"""``labtrack.compare``: the inline comparison widget of some runs."""

from __future__ import annotations

from collections.abc import Iterable

from ..backend.errors import InvalidQuery
from ..backend.frames import RunSelection, runs_frame, select_runs
from .runs import current_facade, default_experiment_ids, selection_from


def compare(
    runs=None,
    *,
    experiments: str | Iterable[str] | None = None,
    filter_string: str = "",
    order_by: str | Iterable[str] | None = None,
    max_results: int = 1000,
    notebook: bool = False,
    children_of: str | None = None,
):
    """Compare runs inline: parallel coordinates, overlaid curves, params that differ.

    ``runs``: run ids, or a DataFrame with a ``run_id`` column (from ``labtrack.runs``
    or ``mlflow.search_runs``). Without it the runs are selected like ``labtrack.runs``
    does (``experiments``, ``filter_string``, ``order_by``, ``max_results``,
    ``notebook``, ``children_of``). Brushed runs are in ``widget.selected`` (ids) and
    ``widget.selected_frame`` (rows).
    """
    facade = current_facade()
    if runs is None:
        selection = selection_from(
            experiments, filter_string, order_by, max_results, notebook, children_of
        )
        return compare_selection(facade, selection, default_experiment_ids())
    frame = None
    if isinstance(runs, str):
        run_ids = [runs]
    elif hasattr(runs, "columns"):
        if "run_id" not in runs.columns:
            raise InvalidQuery("a DataFrame of runs needs a run_id column")
        frame = runs
        run_ids = [str(run_id) for run_id in runs["run_id"]]
    else:
        run_ids = [str(run_id) for run_id in runs]
    return compare_ids(facade, run_ids, frame)


def compare_selection(facade, selection: RunSelection, default_experiments=()):
    table = select_runs(facade, selection, default_experiments)
    if not table.run_id:
        raise InvalidQuery("no runs match")
    return compare_ids(facade, table.run_id, runs_frame(table))


def compare_ids(facade, run_ids: list[str], frame=None):
    from ..widgets.compare import CompareWidget
    from ..widgets.compare_payload import pack_matrix

    run_ids = list(dict.fromkeys(run_ids))
    if not run_ids:
        raise InvalidQuery("no runs to compare")
    matrix = facade.compare(run_ids)  # malformed ids: InvalidQuery; unknown: NotFound
    if frame is None:
        experiments = tuple(dict.fromkeys(run.experiment_id for run in matrix.runs))

        def frame_source():
            quoted = ", ".join(f"'{run_id}'" for run_id in run_ids)
            selection = RunSelection(
                experiments=experiments,
                filter_string=f"attributes.run_id IN ({quoted})",
                max_results=len(run_ids),
            )
            return runs_frame(select_runs(facade, selection))
    else:
        snapshot = frame

        def frame_source():
            return snapshot

    return CompareWidget(pack_matrix(matrix), facade, frame_source)
