"""Aliases and stages that contradict each other, or the verified trail, with their fixes.

Three findings, each with the promotions that would resolve it (the UI offers them as
buttons; each still passes the approval gate):

- an alias points at an Archived version;
- an alias paired with a stage (``c.LabtrackConfig.alias_stages``, by default
  ``champion`` ↔ ``Production``) points at a version outside that stage while another
  version holds it (``@champion → v1`` while v2 is in Production);
- an alias holds a version no verified labtrack move put there (another client moved it).
"""

from __future__ import annotations

from ..backend.shapes import ModelVersionView, RegistryFix, RegistryWarning
from .audit import MOVES, AuditEntry

DEFAULT_ALIAS_STAGES = {"champion": "Production"}


def alias_warnings(
    aliases: dict[str, str],
    versions: list[ModelVersionView],
    entries: list[AuditEntry],
    alias_stages: dict[str, str] | None = None,
) -> list[RegistryWarning]:
    pairs = {k.lower(): v for k, v in (alias_stages or {}).items()}
    by_number = {v.version: v for v in versions}
    found: list[RegistryWarning] = []
    for alias, number in sorted(aliases.items()):
        version = by_number.get(str(number))
        if version is None:
            continue
        stage = pairs.get(alias.lower())
        warning = _stage_warning(alias, version, versions, stage)
        if warning is not None:
            found.append(warning)
        unaudited = _trail_warning(alias, version, entries)
        if unaudited is not None:
            found.append(unaudited)
    return found


def _stage_warning(alias, version, versions, stage: str | None) -> RegistryWarning | None:
    number = version.version
    holders = [
        v for v in versions if stage and v.stage == stage and v.version != number
    ]  # newest first, as the detail lists them
    archived = version.stage == "Archived"
    mismatch = bool(stage) and version.stage != stage and bool(holders)
    if not archived and not mismatch:
        return None
    fixes = [
        RegistryFix(f"Move @{alias} to v{h.version} ({stage})", h.version, alias, None, False)
        for h in holders[:1]
    ]
    if stage:
        fixes.append(
            RegistryFix(
                f"Promote v{number} to {stage}, archiving the others", number, None, stage, True
            )
        )
    message = f"@{alias} points at v{number}"
    if archived:
        message += ", which is Archived,"
    if holders:
        message += f" while v{holders[0].version} is in {stage}"
    message = message.rstrip(",")
    kind = "archived-alias" if archived else "stage-mismatch"
    return RegistryWarning(kind, alias, number, message, fixes)


def _trail_warning(alias: str, version, entries: list[AuditEntry]) -> RegistryWarning | None:
    moves = [e for e in entries if e.verified and e.alias == alias and e.action in MOVES]
    number = version.version
    recorded = moves[-1].after if moves else None
    if recorded == number:
        return None
    if recorded is None:
        message = (
            f"@{alias} → v{number} was set outside labtrack: no verified move records it, "
            "so it passed no approval gate and a rollback cannot return to it"
        )
        fixes = [
            RegistryFix(f"Record it: promote v{number} to @{alias}", number, alias, None, False)
        ]
    else:
        message = (
            f"@{alias} → v{number} was moved outside labtrack; its verified trail says v{recorded}"
        )
        fixes = [RegistryFix(f"Move @{alias} back to v{recorded}", recorded, alias, None, False)]
    return RegistryWarning("unaudited-alias", alias, number, message, fixes)
