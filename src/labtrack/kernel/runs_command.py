"""``%track runs``: the runs ``labtrack.runs`` selects, as an interactive table."""

from __future__ import annotations

from IPython.core.error import UsageError
from IPython.core.magic_arguments import MagicArgumentParser

USAGE = (
    'usage: %track runs [--experiment NAME …] [--filter "…"] [--order-by "…"] [--max N] '
    "[--notebook] [--children RUN_ID]"
)


def _parser() -> MagicArgumentParser:
    parser = MagicArgumentParser(prog="%track runs", add_help=False, usage=USAGE)
    parser.add_argument("--experiment", "-e", action="append", default=[], metavar="NAME")
    parser.add_argument("--filter", default="", metavar="FILTER")
    parser.add_argument("--order-by", action="append", default=[], metavar="ORDER")
    parser.add_argument("--max", type=int, default=1000, metavar="N")
    parser.add_argument("--notebook", action="store_true")
    parser.add_argument("--children", metavar="RUN_ID")
    return parser


def runs(magics, words: list[str]):
    """``%track runs …``: returns the table, so it shows as the cell's result and
    ``_.selected`` is the DataFrame of the selected rows."""
    from ..api.runs import runs as runs_frame
    from ..backend.errors import TrackingQueryError
    from ..widgets.runs_table import RunsTable

    try:
        args = _parser().parse_args(words)
    except UsageError as error:
        raise UsageError(f"labtrack: {error}; {USAGE}") from None
    if args.max < 1:
        raise UsageError("labtrack: --max needs a positive number")
    try:
        frame = runs_frame(
            args.experiment or None,
            args.filter,
            order_by=args.order_by or None,
            max_results=args.max,
            notebook=args.notebook,
            children_of=args.children,
        )
    except TrackingQueryError as error:
        message = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        raise UsageError(f"labtrack: cannot list runs: {message}") from None
    table = RunsTable(frame)
    magics.last_runs = table
    return table
