"""What differs between two ``RunState``s, as lines a person reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from .run_state import RunState

MAX_PACKAGE_LINES = 40


@dataclass
class Differences:
    before: str
    after: str
    changed: list[str] = field(default_factory=list)  # one line per difference
    same: list[str] = field(default_factory=list)  # what was checked and agrees
    unknown: list[str] = field(default_factory=list)  # what could not be compared

    def report(self) -> str:
        head = f"labtrack: {self.before} vs {self.after}"
        if not self.changed:
            head += ": no differences found"
        lines = [head]
        lines += [f"  CHANGED  {line}" for line in self.changed]
        lines += [f"  same     {line}" for line in self.same]
        lines += [f"  unknown  {line}" for line in self.unknown]
        return "\n".join(lines)


def compare(before: RunState, after: RunState) -> Differences:
    result = Differences(before.label, after.label)
    _compare_git(before, after, result)
    _compare_datasets(before, after, result)
    _compare_packages(before, after, result)
    return result


def _short(commit: str | None) -> str:
    return commit[:10] if commit else "none"


def _compare_git(before: RunState, after: RunState, result: Differences) -> None:
    if before.git_commit is None and after.git_commit is None:
        result.unknown.append("git: neither side is in a git repository")
    elif before.git_commit != after.git_commit:
        result.changed.append(
            f"git commit: {_short(before.git_commit)} -> {_short(after.git_commit)}"
        )
    else:
        result.same.append(f"git commit {_short(before.git_commit)}")
    if before.dirty is None or after.dirty is None:
        if before.git_commit and after.git_commit:
            result.unknown.append("uncommitted files: not recorded on one side")
        return
    if before.dirty != after.dirty:
        result.changed.append(f"uncommitted files: {_files(before.dirty)} -> {_files(after.dirty)}")
    else:
        result.same.append(f"uncommitted files: {_files(before.dirty)}")


def _files(files: list[str]) -> str:
    if not files:
        return "none"
    shown = ", ".join(files[:10])
    return shown + (f" (+{len(files) - 10} more)" if len(files) > 10 else "")


def _compare_datasets(before: RunState, after: RunState, result: Differences) -> None:
    for name in sorted(set(before.datasets) | set(after.datasets)):
        old, new = before.datasets.get(name), after.datasets.get(name)
        if old is None or new is None:
            side = after.label if old is None else before.label
            result.changed.append(f"dataset {name}: only in {side}")
        elif old.digest != new.digest:
            where = f" ({new.path})" if new.path else ""
            result.changed.append(f"dataset {name}{where}: md5 {old.digest} -> {new.digest}")
        else:
            result.same.append(f"dataset {name}: md5 {old.digest}")


def _compare_packages(before: RunState, after: RunState, result: Differences) -> None:
    if before.packages is None or after.packages is None:
        result.unknown.append("packages: labtrack/requirements.txt not recorded")
        return
    lines = []
    for name in sorted(set(before.packages) | set(after.packages)):
        old, new = before.packages.get(name), after.packages.get(name)
        if old != new:
            lines.append(f"package {name}: {old or 'not installed'} -> {new or 'not installed'}")
    if not lines:
        result.same.append(f"packages: {len(after.packages)} installed, same versions")
        return
    if len(lines) > MAX_PACKAGE_LINES:
        extra = len(lines) - MAX_PACKAGE_LINES
        lines = lines[:MAX_PACKAGE_LINES] + [f"... and {extra} more package changes"]
    result.changed.extend(lines)
