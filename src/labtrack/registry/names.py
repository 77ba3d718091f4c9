"""Checks on the names the registry is given, with messages that say what to do."""

from __future__ import annotations

import re

from .errors import InvalidQuery

STAGES = ("None", "Staging", "Production", "Archived")
_VERSION = re.compile(r"^[1-9][0-9]{0,9}$")
# ASCII only: a Cyrillic "с" in "сhampion" would read as the protected alias.
_ALIAS = re.compile(r"^[A-Za-z0-9_\-]{1,255}$")
_VERSION_ALIAS = re.compile(r"^v\d+$", re.I)


def valid_model_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidQuery("a model name is required")
    if not re.match(r"^[/\w.\- ]{1,250}$", name):
        raise InvalidQuery(f"model name {name!r} may hold only letters, digits, _ - . / and space")
    return name


def valid_version(version: str | int) -> str:
    text = str(version).strip()
    if not _VERSION.match(text):
        raise InvalidQuery(f"model version must be a positive whole number, not {text!r}")
    return text


def valid_alias(alias: str) -> str:
    alias = (alias or "").strip()
    if not alias:
        raise InvalidQuery("an alias name is required")
    if alias.lower() == "latest":
        raise InvalidQuery("alias 'latest' is reserved by MLflow (it means the newest version)")
    if _VERSION_ALIAS.match(alias):
        raise InvalidQuery(f"alias {alias!r} is reserved by MLflow (it means version {alias[1:]})")
    if not _ALIAS.fullmatch(alias):
        raise InvalidQuery(
            f"alias {alias!r} may hold only ASCII letters, digits, _ and - "
            "(no look-alike letters from other scripts)"
        )
    return alias


def valid_stage(stage: str) -> str:
    """MLflow's stage name, whatever the case it was typed in."""
    for known in STAGES:
        if (stage or "").strip().lower() == known.lower():
            return known
    raise InvalidQuery(f"unknown stage {stage!r}: use one of {', '.join(STAGES)}")
