"""``%track gc --older-than 90d [--experiment NAME] [--dry-run] [--yes]``: remove old runs
for good, never one a registered model version depends on.

It lists what would go (each run and its artifact bytes, then the old runs kept for the
registry), and without ``--dry-run`` asks before deleting (``--yes`` skips the question, for
scripts). The work is ``labtrack.retention``'s; this module only reads the words, asks and
prints.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from IPython.core.error import UsageError

USAGE = "usage: %track gc --older-than AGE [--experiment NAME] [--dry-run] [--yes]"
# Runs listed one per line before "… and N more".
MAX_LISTED = 50


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        raise UsageError(f"labtrack: {message}; {USAGE}")

    def exit(self, status: int = 0, message: str | None = None):
        raise UsageError(message or USAGE)


def _parser() -> _Parser:
    parser = _Parser(prog="%track gc", allow_abbrev=False, usage=USAGE)
    parser.add_argument("--older-than", required=True, metavar="AGE", help="e.g. 90d, 36h")
    parser.add_argument("--experiment", "-e", metavar="NAME", help="only this experiment")
    parser.add_argument("--dry-run", action="store_true", help="list, delete nothing")
    parser.add_argument("--yes", "-y", action="store_true", help="do not ask before deleting")
    return parser


def gc(magics, words: list[str]) -> None:
    from ..backend.current import current_facade
    from ..backend.errors import TrackingQueryError
    from ..retention import plan_retention, purge

    args = _parser().parse_args(words)
    client = current_facade().client
    try:
        plan = plan_retention(client, args.older_than, args.experiment)
    except TrackingQueryError as error:
        raise UsageError(f"labtrack: cannot plan the clean-up: {error}") from None
    _print_plan(plan, args.experiment)
    if not plan.runs:
        return
    if args.dry_run:
        print("labtrack: dry run: nothing was deleted")
        return
    if not args.yes and not _confirmed(len(plan.runs)):
        print("labtrack: nothing was deleted")
        return
    try:
        outcome = purge(client, plan)
    except TrackingQueryError as error:
        raise UsageError(f"labtrack: cannot delete the runs: {error}") from None
    for kept in outcome.kept:
        print(f"labtrack: kept {kept.run_id}: registered meanwhile as {', '.join(kept.versions)}")
    count = len(outcome.purged)
    print(
        f"labtrack: deleted {count} run{'' if count == 1 else 's'} for good "
        f"({format_bytes(outcome.artifact_bytes)} of artifacts freed)"
    )


def _print_plan(plan, experiment: str | None) -> None:
    where = f"experiment {experiment!r}" if experiment else "every experiment"
    count = len(plan.runs)
    print(
        f"labtrack: {count} run{'' if count == 1 else 's'} of {where} started more than "
        f"{plan.older_than} ago ({format_bytes(plan.artifact_bytes)} of artifacts) would be "
        "deleted for good"
    )
    for run in plan.runs[:MAX_LISTED]:
        started = datetime.fromtimestamp(run.start_time / 1000, UTC).strftime("%Y-%m-%d")
        trash = ", in the Trash" if run.lifecycle_stage == "deleted" else ""
        size = "size unknown" if run.artifact_bytes is None else format_bytes(run.artifact_bytes)
        print(
            f"  {run.run_id}  {run.run_name or '(no name)'}  "
            f"[{run.experiment_name}, started {started}, {size}{trash}]"
        )
    if count > MAX_LISTED:
        print(f"  … and {count - MAX_LISTED} more")
    for kept in plan.kept:
        print(
            f"labtrack: kept {kept.run_id} ({kept.run_name or 'no name'}): "
            f"registered as {', '.join(kept.versions)}"
        )


def _confirmed(count: int) -> bool:
    answer = input(f"Delete these {count} runs and their artifacts for good? [y/N] ")
    return answer.strip().lower() in ("y", "yes")


def format_bytes(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"  # pragma: no cover - the loop returns at GB
