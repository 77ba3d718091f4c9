"""``%track register|promote|rollback|approve|history|policy|models``: the registry from
a cell.

Each parses its words with argparse (errors become one ``UsageError`` line), calls the
registry domain as the notebook user and prints one line per outcome.
"""

from __future__ import annotations

import argparse
import shlex
from datetime import datetime

from IPython.core.error import UsageError

from ..api.registry import registry
from ..backend.errors import TrackingQueryError
from .options import parse_tags


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        raise UsageError(f"{self.prog}: {message} ({self.prog} -h shows the options)")

    def exit(self, status: int = 0, message: str | None = None):
        # ``-h``: the help was printed; stop without running the command.
        raise UsageError(message or f"{self.prog}: nothing done")


def _parser(command: str) -> _Parser:
    return _Parser(prog=f"%track {command}", add_help=True, allow_abbrev=False)


def _acting(what: str):
    """Turn a domain error into one UsageError line that says what was attempted."""

    class _Guard:
        def __enter__(self):
            return self

        def __exit__(self, kind, error, traceback):
            if isinstance(error, TrackingQueryError):
                raise UsageError(f"labtrack: cannot {what}: {error}") from None
            return False

    return _Guard()


def register(magics, words: list[str]):
    parser = _parser("register")
    parser.add_argument("run_id", nargs="?", metavar="RUN_ID")
    parser.add_argument("--name", "-n", required=True)
    parser.add_argument("--path", default="model")
    parser.add_argument("--alias", "-a")
    parser.add_argument("--tag", "-t", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--reason", "-r", default="")
    args = parser.parse_args(words)
    run_id = args.run_id or magics.last_run_id
    if not run_id:
        raise UsageError("labtrack: no run to register: give RUN_ID or track a cell first")
    with _acting(f"register run {run_id} as {args.name!r}"):
        version = registry().register(
            run_id, args.name, args.path, args.alias, parse_tags(args.tag), args.reason
        )
    alias = f" as @{args.alias}" if args.alias else ""
    print(f"labtrack: registered {version.name} version {version.version}{alias} (run {run_id})")
    return None


def promote(magics, words: list[str]):
    parser = _parser("promote")
    parser.add_argument("name", metavar="NAME")
    parser.add_argument("version", metavar="VERSION")
    parser.add_argument("--alias", "-a")
    parser.add_argument("--stage", "-s")
    parser.add_argument("--archive-existing", action="store_true")
    parser.add_argument("--reason", "-r", default="")
    args = parser.parse_args(words)
    if not args.alias and not args.stage:
        raise UsageError("%track promote needs --alias A, --stage S or both")
    if args.archive_existing and not args.stage:
        raise UsageError("--archive-existing only goes with --stage")
    with _acting(f"promote {args.name} version {args.version}"):
        version = registry().promote(
            args.name, args.version, args.alias, args.stage, args.archive_existing, args.reason
        )
    moved = [f"@{args.alias}" if args.alias else "", version.current_stage if args.stage else ""]
    print(
        f"labtrack: {version.name} version {version.version} is now {' '.join(filter(None, moved))}"
    )


def rollback(magics, words: list[str]):
    parser = _parser("rollback")
    parser.add_argument("name", metavar="NAME")
    parser.add_argument("--alias", "-a", required=True)
    parser.add_argument("--reason", "-r", default="")
    args = parser.parse_args(words)
    with _acting(f"roll back @{args.alias} of {args.name}"):
        version = registry().rollback(args.name, args.alias, args.reason)
    print(f"labtrack: {version.name} @{args.alias} rolled back to version {version.version}")


def approve(magics, words: list[str]):
    parser = _parser("approve")
    parser.add_argument("name", metavar="NAME")
    parser.add_argument("version", metavar="VERSION")
    parser.add_argument("--reason", "-r", default="")
    args = parser.parse_args(words)
    models_registry = registry()
    with _acting(f"approve {args.name} version {args.version}"):
        users = models_registry.approve(args.name, args.version, args.reason)
        policy = models_registry.policy(args.name)
    needed = f" of {policy.required} needed" if policy.required else ""
    print(
        f"labtrack: {models_registry.user} approved {args.name} version {args.version} "
        f"({len(users)}{needed}: {', '.join(users)})"
    )


def policy(magics, words: list[str]):
    """``%track policy NAME [--required N] [--protect A,B] [--separate-duties]
    [--rollback-needs-approvals]``: sign an approval policy onto a model (no options:
    show the policy in force)."""
    parser = _parser("policy")
    parser.add_argument("name", metavar="NAME")
    parser.add_argument("--required", type=int, metavar="N")
    parser.add_argument("--protect", metavar="ALIAS_OR_STAGE[,…]", default="")
    parser.add_argument("--separate-duties", action="store_true")
    parser.add_argument("--rollback-needs-approvals", action="store_true")
    parser.add_argument("--reason", "-r", default="")
    args = parser.parse_args(words)
    from ..registry import ApprovalPolicy

    models_registry = registry()
    with _acting(f"set the policy of {args.name}"):
        if args.required is None and not args.protect:
            found = models_registry.model_policy(models_registry.model(args.name))
        else:
            wanted = ApprovalPolicy.parse(
                args.required or 0,
                args.protect,
                args.separate_duties,
                args.rollback_needs_approvals,
            )
            found = models_registry.set_policy(args.name, wanted, args.reason)
    print(f"labtrack: {args.name}: {describe_policy(found.effective)}")
    if found.unverified:
        print(f"labtrack: ignored unverified policy tags: {', '.join(found.unverified)}")


def describe_policy(policy) -> str:
    if policy.required <= 0 or not policy.protected:
        text = "no approvals required"
    else:
        text = (
            f"{policy.required} approval(s) from distinct users to move "
            f"{', '.join(sorted(policy.protected))}"
        )
    if policy.separate_duties:
        text += "; registrars may not approve their own versions"
    if policy.rollback_needs_approvals:
        text += "; rollbacks need approvals too"
    return text


def history(magics, words: list[str]):
    parser = _parser("history")
    parser.add_argument("name", metavar="NAME")
    args = parser.parse_args(words)
    with _acting(f"read the history of {args.name}"):
        entries = registry().history(args.name)
    if not entries:
        print(f"labtrack: no registry actions recorded for {args.name}")
    for entry in entries:
        print(describe(entry))


def models(magics, words: list[str]):
    """``%track models [NAME]``: the registry widget (returned, so the cell shows it)."""
    parser = _parser("models")
    parser.add_argument("name", nargs="?", metavar="NAME")
    args = parser.parse_args(words)
    from ..backend.facade import TrackingFacade
    from ..widgets.registry_view import RegistryWidget

    models_registry = registry()
    if args.name:
        with _acting(f"show model {args.name}"):
            models_registry.model(args.name)
    facade = TrackingFacade(magics.location)
    widget = RegistryWidget(models_registry, facade, args.name)
    magics.last_registry_widget = widget
    for warning in (widget.detail or {}).get("warnings", []):
        print(f"labtrack: {widget.selected}: {warning['message']}")
        for fix in warning["fixes"]:
            print(f"  fix: {fix_command(widget.selected, fix)}   ({fix['label']})")
    return widget


def fix_command(name: str, fix: dict) -> str:
    """The ``%track promote`` line that applies a fix the registry offers."""
    quoted = shlex.quote(name)
    parts = [f"%track promote {quoted} {fix['version']}"]
    if fix.get("alias"):
        parts.append(f"--alias {fix['alias']}")
    if fix.get("stage"):
        parts.append(f"--stage {fix['stage']}")
    if fix.get("archive_existing"):
        parts.append("--archive-existing")
    return " ".join(parts)


def describe(entry) -> str:
    """One line of the audit trail, as a person reads it."""
    when = datetime.fromtimestamp(entry.timestamp / 1000).strftime("%Y-%m-%d %H:%M:%S")
    if entry.action == "register":
        what = f"registered version {entry.version}"
    elif entry.action == "approve":
        what = f"approved version {entry.version}"
    elif entry.action == "stage":
        what = f"version {entry.version} stage {entry.before} → {entry.after}"
    elif entry.action == "policy":
        what = f"set the policy {entry.after}"
    elif entry.action == "challenge":
        what = f"challenged with version {entry.version}: {entry.after}"
    else:
        verb = {"alias": "moved", "alias-delete": "deleted", "rollback": "rolled back"}
        what = (
            f"{verb.get(entry.action, entry.action)} @{entry.alias} {entry.before} → {entry.after}"
        )
    reason = f"  ({entry.reason})" if entry.reason else ""
    evidence = f"  [evaluation run {entry.evidence}]" if entry.evidence else ""
    mark = "" if entry.verified else "UNVERIFIED (not signed by labtrack; ignored)  "
    return f"{when}  {mark}{entry.user:<12} {what}{reason}{evidence}"
