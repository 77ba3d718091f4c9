"""The ``%track SUBCOMMAND …`` line commands, one function each, looked up by name.

Each command takes the ``TrackMagics`` instance and the words after its name, and
returns what the magic returns (shown as the cell's result) or ``None``. Bad input is a
``UsageError`` with one clear line. A new command is a function in its own module plus
one entry in ``COMMANDS``.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable

from IPython.core.error import UsageError

from . import lineage_commands

LineCommand = Callable[[object, list[str]], object]


def status(magics, words: list[str]) -> None:
    """``%track status``: the tracking backend in use."""
    if words:
        raise UsageError("usage: %track status")
    import mlflow

    location = magics.location
    print(f"labtrack: backend {location.kind.value} ({location.source.value})")
    print(f"labtrack: tracking URI {mlflow.get_tracking_uri()}")
    if location.artifact_root:
        print(f"labtrack: artifacts in {location.artifact_root}")
    if magics.last_run_id:
        print(f"labtrack: last tracked run {magics.last_run_id}")


def watch(magics, words: list[str]) -> None:
    """``%track watch RUN_ID [--steps N]``: a live plot of a run another process writes."""
    usage = "usage: %track watch RUN_ID [--steps N]"
    steps = None
    if len(words) == 3 and words[1] == "--steps" and words[2].isdigit():
        steps = int(words[2])
    elif len(words) != 1:
        raise UsageError(usage)
    from ..api.watch import watch as watch_run

    try:
        widget = watch_run(words[0], steps=steps)
    except Exception as error:  # an unknown run id: MLflow's message, no traceback
        raise UsageError(f"labtrack: cannot watch {words[0]}: {error}") from None
    magics.last_watch = widget
    widget.show()  # with a display id: the run's end replaces it by its final form


def compare(magics, words: list[str]):
    """``%track compare RUN_ID … | --last N | --filter F | --children RUN_ID``."""
    from .compare_command import compare as compare_runs

    return compare_runs(magics, words)


def runs(magics, words: list[str]):
    """``%track runs [--experiment NAME] [--filter F] [--order-by O] [--max N] …``."""
    from .runs_command import runs as runs_table

    return runs_table(magics, words)


def gc(magics, words: list[str]) -> None:
    """``%track gc --older-than AGE [--experiment NAME] [--dry-run] [--yes]``."""
    from .gc_command import gc as collect

    return collect(magics, words)


def sync(magics, words: list[str]) -> None:
    """``%track sync``: send runs kept offline and unsent points to the tracking server now."""
    if words:
        raise UsageError("usage: %track sync")
    work = magics.offline_work
    if not work.has_work():
        print(f"labtrack: nothing to send to {magics.location.display_uri()}: every run is there")
        return
    report = work.sync()
    for line in report.lines():
        print(f"labtrack: {line}")
    if not report.reachable:
        magics.auto_sync.kick()  # keep trying in the background


def challenge(magics, words: list[str]):
    """``%track challenge NAME --champion @ALIAS --challenger V --data D --target COL``."""
    from .challenge_command import challenge as run_challenge

    return run_challenge(magics, words)


def _registry_command(name: str) -> LineCommand:
    def command(magics, words: list[str]):
        from . import registry_commands

        return getattr(registry_commands, name)(magics, words)

    command.__name__ = name
    return command


COMMANDS: dict[str, LineCommand] = {
    "compare": compare,
    "gc": gc,
    "runs": runs,
    "status": status,
    "sync": sync,
    "watch": watch,
    # The model registry (``registry_commands``), imported on first use.
    **{
        name: _registry_command(name)
        for name in ("register", "promote", "rollback", "approve", "history", "policy", "models")
    },
    "challenge": challenge,
    "reproduce": lineage_commands.reproduce,
    "diff": lineage_commands.diff,
    "show": lineage_commands.show,
}


def split_words(line: str) -> list[str]:
    """Shell-like words, so quoted names and filters stay one word."""
    try:
        return shlex.split(line)
    except ValueError as error:  # an unclosed quote
        raise UsageError(f"labtrack: cannot read {line!r}: {error}") from None


def run_line_command(magics, line: str):
    words = split_words(line)
    if not words or words[0] not in COMMANDS:
        raise UsageError(
            f"%track expects one of: {', '.join(COMMANDS)} "
            "(use %%track at the top of a cell to track it)"
        )
    return COMMANDS[words[0]](magics, words[1:])
