"""Rehashing a dataset a run recorded, treating the recorded path as untrusted input.

A run's dataset path may name anything (``/dev/zero``, a named pipe, a 2 TB folder). Only
regular files are read (a folder's files included), only when they add up to at most
``MAX_BYTES``, and the hashing stops at ``MAX_SECONDS``. What is not checked says why.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

from .datasets import DatasetError, describe_path
from .digests import IGNORED_NAMES, ReadLimitExceeded

MAX_BYTES = 8 << 30
MAX_SECONDS = 60.0
MAX_FILES = 100_000


class NotChecked(Exception):
    """The dataset was not rehashed; the message says why."""


def bounded_digest(
    path: str, max_bytes: int | None = None, max_seconds: float | None = None
) -> str:
    """The dataset's DVC-compatible md5 now, or NotChecked."""
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    max_seconds = MAX_SECONDS if max_seconds is None else max_seconds
    target = Path(path)
    total = _regular_size(target, max_bytes)
    if total > max_bytes:
        raise NotChecked(
            f"not checked: {_size(total)} or more is over the {_size(max_bytes)} bound"
        )
    try:
        record = describe_path(target, deadline=time.monotonic() + max_seconds, rows=False)
    except ReadLimitExceeded as stopped:
        why = f"not checked: hashing took longer than {max_seconds:g} s ({stopped})"
        raise NotChecked(why) from None
    except DatasetError as error:
        raise NotChecked(f"unreadable ({error})") from None
    return record.md5


def _regular_size(target: Path, max_bytes: int) -> int:
    """The bytes to hash; NotChecked for anything but regular files (and folders of them)."""
    info = _stat(target)
    if stat.S_ISREG(info.st_mode):
        return info.st_size
    if not stat.S_ISDIR(info.st_mode):
        raise NotChecked("not checked: not a regular file or folder (a device, pipe or socket)")
    total = files = 0
    for root, dirs, names in os.walk(target):
        dirs[:] = [name for name in dirs if name not in IGNORED_NAMES]
        for name in names:
            info = _stat(Path(root) / name)
            if not stat.S_ISREG(info.st_mode):
                raise NotChecked(f"not checked: {Path(root) / name} is not a regular file")
            total += info.st_size
            files += 1
            if total > max_bytes or files > MAX_FILES:
                return max(total, max_bytes + 1)
    return total


def _stat(path: Path) -> os.stat_result:
    try:
        return os.stat(path)
    except OSError as error:
        raise NotChecked(f"unreadable ({error.strerror})") from None


def _size(count: int) -> str:
    for unit, shift in (("GB", 30), ("MB", 20), ("KB", 10)):
        if count >= 1 << shift:
            return f"{count / (1 << shift):.1f} {unit}"
    return f"{count} bytes"
