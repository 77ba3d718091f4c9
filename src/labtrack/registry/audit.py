"""The audit trail MLflow does not keep, stored in MLflow itself as tags.

Each entry is one tag on the registered model (and a copy on the version it concerns)
named ``labtrack.audit.<ms>-<random>``: a key nobody else writes, so concurrent writers
never overwrite each other, and keys sort in time order. The value is one JSON object,
well under MLflow's 5000-character tag limit (the reason is cut to fit).
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import asdict, dataclass

AUDIT_PREFIX = "labtrack.audit."
MAX_REASON = 1000


@dataclass(frozen=True)
class AuditEntry:
    """One registry action: who did what to which version, from what to what, and why.
    ``action`` is one of register, alias, alias-delete, stage, rollback, approve;
    ``before``/``after`` are versions (alias moves) or stages (stage transitions)."""

    key: str
    timestamp: int
    user: str
    action: str
    model: str
    version: str | None
    alias: str | None
    stage: str | None
    before: str | None
    after: str | None
    reason: str


def new_entry(
    *,
    user: str,
    action: str,
    model: str,
    version: str | None = None,
    alias: str | None = None,
    stage: str | None = None,
    before: str | None = None,
    after: str | None = None,
    reason: str = "",
    now_ms: int | None = None,
) -> AuditEntry:
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    # 13 digits of milliseconds sort lexically until the year 2286.
    key = f"{AUDIT_PREFIX}{now_ms:013d}-{secrets.token_hex(6)}"
    return AuditEntry(
        key=key,
        timestamp=now_ms,
        user=user,
        action=action,
        model=model,
        version=version,
        alias=alias,
        stage=stage,
        before=before,
        after=after,
        reason=(reason or "")[:MAX_REASON],
    )


def encode(entry: AuditEntry) -> str:
    fields = asdict(entry)
    del fields["key"], fields["model"]  # the tag's own key and object say these
    return json.dumps(fields, separators=(",", ":"), sort_keys=True)


def decode(model: str, key: str, value: str) -> AuditEntry | None:
    """An entry from one tag; ``None`` for a value another tool wrote in a shape we do not
    know (history must still show the rest)."""
    try:
        fields = json.loads(value)
        return AuditEntry(
            key=key,
            model=model,
            timestamp=int(fields["timestamp"]),
            user=str(fields["user"]),
            action=str(fields["action"]),
            version=fields.get("version"),
            alias=fields.get("alias"),
            stage=fields.get("stage"),
            before=fields.get("before"),
            after=fields.get("after"),
            reason=str(fields.get("reason") or ""),
        )
    except (ValueError, KeyError, TypeError):
        return None


def entries_from_tags(model: str, tags: dict[str, str]) -> list[AuditEntry]:
    """The model's audit trail, oldest first."""
    found = []
    for key in sorted(k for k in tags if k.startswith(AUDIT_PREFIX)):
        entry = decode(model, key, tags[key])
        if entry is not None:
            found.append(entry)
    return found


def previous_holder(entries: list[AuditEntry], alias: str) -> tuple[str | None, bool]:
    """Where rolling ``alias`` back leads: ``(version, found)``.

    Rollbacks stack: each undoes the newest move not yet undone, so three moves and two
    rollbacks land on the holder before the second move. ``found`` is False when no move
    is left to undo; the version is ``None`` when the move to undo created the alias.
    """
    undo = 0
    for entry in reversed(entries):
        if entry.alias != alias or entry.action not in ("alias", "alias-delete", "rollback"):
            continue
        if entry.action == "rollback":
            undo += 1
        elif undo:
            undo -= 1
        else:
            return entry.before, True
    return None, False
