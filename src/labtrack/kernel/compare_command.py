"""``%track compare``: the inline comparison of runs named on the line."""

from __future__ import annotations

from IPython.core.error import UsageError
from IPython.core.magic_arguments import MagicArgumentParser

USAGE = (
    "usage: %track compare RUN_ID … | --last N [--include-children] | --children RUN_ID | "
    '--filter "…" [--experiment NAME] [--max N] [--static]'
)


def _parser() -> MagicArgumentParser:
    parser = MagicArgumentParser(prog="%track compare", add_help=False, usage=USAGE)
    parser.add_argument("run_ids", nargs="*")
    parser.add_argument("--last", type=int, metavar="N")
    parser.add_argument("--filter", default="", metavar="FILTER")
    parser.add_argument("--experiment", "-e", action="append", default=[], metavar="NAME")
    parser.add_argument("--children", metavar="RUN_ID")
    parser.add_argument("--include-children", action="store_true")
    parser.add_argument("--max", type=int, default=1000, metavar="N")
    parser.add_argument("--static", action="store_true")
    return parser


def compare(magics, words: list[str]):
    """``%track compare …``: returns the widget, so it shows as the cell's result and
    ``_.selected`` reads the brushed runs; with ``--static``, its HTML snapshot."""
    from ..api.compare import compare_ids, compare_selection
    from ..api.runs import current_facade, default_experiment_ids
    from ..backend.errors import TrackingQueryError
    from ..backend.frames import RunSelection
    from .last_tracked import last_tracked

    try:
        args = _parser().parse_args(words)
    except UsageError as error:
        raise UsageError(f"labtrack: {error}; {USAGE}") from None
    for value, option in ((args.last, "--last"), (args.max, "--max")):
        if value is not None and value < 1:
            raise UsageError(f"labtrack: {option} needs a positive number")
    selects = args.last is not None or args.filter or args.children or args.experiment
    if args.run_ids and selects:
        raise UsageError(f"labtrack: give run ids or a selection, not both; {USAGE}")
    if not args.run_ids and not selects:
        raise UsageError(USAGE)
    if args.include_children and args.last is None:
        raise UsageError("labtrack: --include-children goes with --last N")
    try:
        facade = current_facade()
        if args.run_ids:
            widget = compare_ids(facade, args.run_ids)
        elif args.last is not None:
            run_ids = last_tracked(magics, facade, args)
            widget = compare_ids(facade, run_ids)
        else:
            selection = RunSelection(
                experiments=tuple(args.experiment),
                filter_string=args.filter,
                order_by=("attributes.start_time DESC",),
                max_results=args.max,
                children_of=args.children,
            )
            widget = compare_selection(facade, selection, default_experiment_ids())
    except TrackingQueryError as error:
        message = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        raise UsageError(f"labtrack: cannot compare: {message}") from None
    magics.last_compare = widget
    if args.static:  # plain text/html, saved with the notebook, shown without a kernel
        return widget.snapshot()
    return widget
