"""``%track compare --last N``: the runs this notebook tracked most recently.

"The last three runs" means the last three runs the user tracked from this notebook,
wherever their code put them (``--experiment`` narrows that), not the newest runs of
whatever experiment happens to be active, and not the dozens of child runs an autolog
search just made (``--include-children`` counts those too). In a notebook the runs are
found by the notebook's path, across kernel restarts; without one (a console, a plain
IPython shell), they are the runs this kernel tracked.

When nothing matches, the error says what was searched and which option would match.
"""

from __future__ import annotations

from ..api.runs import current_notebook_path
from ..backend.errors import NotFound
from ..backend.frames import RunSelection, resolve_experiments, select_runs
from ..tags import KERNEL_ID

NEWEST_FIRST = ("attributes.start_time DESC",)
# Top-level runs of tracked cells carry the owning kernel's tags; their children do not.
TOP_LEVEL = f"tags.`{KERNEL_ID}` LIKE '%'"


def last_tracked(magics, facade, args) -> list[str]:
    """The ids of the ``args.last`` newest runs this notebook tracked, newest first."""
    notebook = current_notebook_path()
    experiments = tuple(args.experiment)
    if notebook is not None:
        found = _from_notebook(facade, notebook, experiments, args)
        where = f"the runs tracked from {notebook}"
    else:
        found = _from_this_kernel(magics, facade, experiments, args)
        where = "the runs this kernel tracked"
    if found:
        return found
    raise NotFound(_nothing_matched(magics, facade, notebook, experiments, args, where))


def _from_notebook(facade, notebook: str, experiments, args) -> list[str]:
    selection = RunSelection(
        experiments=experiments,
        filter_string="" if args.include_children else TOP_LEVEL,
        order_by=NEWEST_FIRST,
        max_results=args.last,
        notebook_path=notebook,
    )
    return list(select_runs(facade, selection).run_id)


def _from_this_kernel(magics, facade, experiments, args) -> list[str]:
    run_ids = list(reversed(magics.tracked_runs))
    if args.include_children:
        with_children: list[str] = []
        for run_id in run_ids:
            with_children.append(run_id)
            children = select_runs(facade, RunSelection(children_of=run_id, order_by=NEWEST_FIRST))
            with_children.extend(children.run_id)
        run_ids = with_children
    if experiments:
        wanted = set(resolve_experiments(facade, experiments))
        run_ids = [r for r in run_ids if facade.client.get_run(r).info.experiment_id in wanted]
    newest = sorted(run_ids, key=lambda r: facade.client.get_run(r).info.start_time, reverse=True)
    return newest[: args.last]


def _nothing_matched(magics, facade, notebook, experiments, args, where: str) -> str:
    if experiments:
        widened = type(args)(**{**vars(args), "experiment": []})
        try:
            elsewhere = last_tracked(magics, facade, widened)
        except NotFound:
            elsewhere = []
        if elsewhere:
            names = sorted(
                {
                    facade.client.get_experiment(facade.client.get_run(r).info.experiment_id).name
                    for r in elsewhere
                }
            )
            shown = ", ".join(repr(name) for name in names)
            return (
                f"no runs match: searched {where} in experiment {', '.join(experiments)}; "
                f"this notebook tracked runs in {shown}: leave out --experiment "
                f"(or use --experiment {names[0]})"
            )
    if not args.include_children:
        return (
            f"no runs match: searched {where} (top-level runs only); "
            "--include-children also counts their child runs, and "
            "%track compare RUN_ID … or --filter/--experiment compares any runs"
        )
    return (
        f"no runs match: searched {where}; track a cell first, or compare any runs with "
        "%track compare RUN_ID … or --filter/--experiment"
    )
