"""Checking the values given to ``%%track`` options (argparse checks their shape)."""

from __future__ import annotations

import re

from IPython.core.error import UsageError

from .. import tags as T

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# MLflow's rule for tag and param keys.
_KEY = re.compile(r"^[/\w.\- :]+$")
MAX_KEY_LENGTH = 250


def parse_tags(pairs: list[str]) -> dict[str, str]:
    """``["team=vision", "stage=dev"]`` → ``{"team": "vision", "stage": "dev"}``."""
    tags: dict[str, str] = {}
    for pair in pairs:
        key, separator, value = pair.partition("=")
        key = key.strip()
        if not separator or not key:
            raise UsageError(f"--tag expects KEY=VALUE, got {pair!r}")
        if len(key) > MAX_KEY_LENGTH or not _KEY.match(key):
            raise UsageError(
                f"--tag key {key!r} must be at most {MAX_KEY_LENGTH} letters, digits, "
                "'_', '-', '.', '/', ':' or spaces"
            )
        if len(value) > T.MAX_TAG_VALUE:
            raise UsageError(f"--tag value for {key!r} is longer than {T.MAX_TAG_VALUE}")
        tags[key] = value
    return tags


def parse_param_names(spec: str | None) -> list[str]:
    """``"lr,epochs"`` → ``["lr", "epochs"]``; every name must be a Python identifier."""
    if spec is None:
        return []
    names = [name.strip() for name in spec.split(",")]
    bad = [name for name in names if not _IDENTIFIER.match(name)]
    if bad or not names:
        raise UsageError(f"--params expects variable names separated by commas, got {spec!r}")
    return list(dict.fromkeys(names))
