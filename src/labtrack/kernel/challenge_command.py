"""``%track challenge NAME --champion @champion --challenger 3 --data D --target COL
[--threshold METRIC:+0.01 …] [--promote]``: champion against challenger, inline.

``--data`` names a pandas DataFrame in the notebook or a CSV/Parquet file. The domain
work (MLflow's evaluation, the gate, the records) is ``labtrack.registry.challenge``; this
module parses words, prints the verdict with the numbers and returns the widget.
``--promote`` promotes at once when the gate passes and refuses, with the numbers, when
it does not.
"""

from __future__ import annotations

import argparse

from IPython.core.error import UsageError

from ..api.registry import registry
from ..backend.errors import TrackingQueryError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        raise UsageError(f"%track challenge: {message} (%track challenge -h shows the options)")

    def exit(self, status: int = 0, message: str | None = None):
        raise UsageError(message or "%track challenge: nothing done")


def _parser() -> _Parser:
    parser = _Parser(prog="%track challenge", add_help=True, allow_abbrev=False)
    parser.add_argument("name", metavar="NAME")
    parser.add_argument("--champion", required=True, metavar="@ALIAS|VERSION")
    parser.add_argument("--challenger", required=True, metavar="@ALIAS|VERSION")
    parser.add_argument("--data", required=True, metavar="DATAFRAME|PATH")
    parser.add_argument("--target", required=True, metavar="COLUMN")
    parser.add_argument(
        "--threshold", action="append", default=[], metavar="METRIC:+MARGIN|>=BOUND"
    )
    parser.add_argument("--model-type", choices=("regressor", "classifier"))
    parser.add_argument("--experiment", metavar="NAME")
    parser.add_argument("--promote", action="store_true")
    return parser


def challenge(magics, words: list[str]):
    import mlflow

    from ..registry.challenge import (
        DEFAULT_EXPERIMENT,
        ChallengeSpec,
        promote_challenger,
        run_challenge,
    )
    from ..registry.challenge_gate import parse_threshold
    from ..widgets.challenge_view import ChallengeWidget, summary_line

    args = _parser().parse_args(words)
    data = magics.shell.user_ns.get(args.data, args.data)
    try:
        spec = ChallengeSpec(
            model=args.name,
            champion=args.champion,
            challenger=args.challenger,
            target=args.target,
            thresholds=[parse_threshold(text) for text in args.threshold],
            model_type=args.model_type,
            experiment=args.experiment or DEFAULT_EXPERIMENT,
        )
        models_registry = registry()
        result = run_challenge(
            models_registry, spec, data, mlflow.get_tracking_uri(), mlflow.get_registry_uri()
        )
    except TrackingQueryError as error:
        raise UsageError(f"labtrack: cannot challenge {args.name}: {error}") from None
    print(summary_line(result.to_json()))
    for failure in result.failures:
        print(f"  {failure}")
    widget = ChallengeWidget(models_registry, result)
    if args.promote:
        if not result.passed:
            raise UsageError(
                f"labtrack: refused to promote {result.model} v{result.challenger_version}: "
                + " ".join(result.failures)
            )
        try:
            version = promote_challenger(models_registry, result)
        except TrackingQueryError as error:
            raise UsageError(f"labtrack: cannot promote: {error}") from None
        widget.promotable = False
        widget.notice = (
            f"promoted: {result.model} version {version.version} is now @{result.champion_alias}"
        )
        print(f"labtrack: {widget.notice} (evaluation run {result.run_id})")
    return widget
