"""The ``labtrack`` command: one sub-command per job (``run``)."""

from __future__ import annotations

import argparse
import sys

from .._version import __version__
from . import run_command


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="labtrack",
        description="MLflow experiment tracking for notebooks, from the command line.",
    )
    top.add_argument("--version", action="version", version=f"labtrack {__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND")
    run_command.add_parser(commands)
    return top


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``labtrack`` console script; returns the exit status."""
    arguments = parser().parse_args(argv)
    if arguments.command is None:
        parser().print_help(sys.stderr)
        return 2
    return arguments.handler(arguments)


if __name__ == "__main__":
    sys.exit(main())
