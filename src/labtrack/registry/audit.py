"""The audit trail MLflow does not keep, stored in MLflow itself as signed tags.

Each entry is one tag on the registered model (and a copy on the version it concerns)
named ``labtrack.audit.<ms>-<random>``: a key nobody else writes, so concurrent writers
never overwrite each other, and keys sort in time order. The value is one JSON object,
well under MLflow's 5000-character tag limit (the reason is cut to fit), signed with
labtrack's key over the entry, the model's name and the tag's key (``signing``).

Any MLflow client may write a tag of this name; such an entry is read back with
``verified=False``: shown, marked "unverified", and never followed (rollback) or counted.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import asdict, dataclass

from .signing import Signer

AUDIT_PREFIX = "labtrack.audit."
AUDIT_KIND = "audit"
MAX_REASON = 1000
MOVES = ("alias", "alias-delete", "rollback")


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
    # The evaluation run that justified a promotion (``%track challenge``), if any.
    evidence: str | None = None
    # Signed by labtrack's key; False for an entry any other client may have written.
    verified: bool = False


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
    evidence: str | None = None,
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
        evidence=evidence,
        verified=True,
    )


def _stored_fields(entry: AuditEntry) -> dict:
    fields = asdict(entry)
    del fields["key"], fields["model"], fields["verified"]  # the tag's key and object say these
    return fields


def encode(entry: AuditEntry, signer: Signer) -> str:
    context = {"model": entry.model, "key": entry.key}
    return signer.seal(AUDIT_KIND, context, _stored_fields(entry))


def decode(model: str, key: str, value: str, signer: Signer) -> AuditEntry | None:
    """An entry from one tag; ``None`` for a value in a shape we do not know (history
    must still show the rest)."""
    fields, verified = signer.open(AUDIT_KIND, {"model": model, "key": key}, value)
    if fields is None:
        return None
    try:
        return AuditEntry(
            key=key,
            model=model,
            timestamp=int(fields["timestamp"]),
            user=str(fields["user"]),
            action=str(fields["action"]),
            version=_text_or_none(fields.get("version")),
            alias=_text_or_none(fields.get("alias")),
            stage=_text_or_none(fields.get("stage")),
            before=_text_or_none(fields.get("before")),
            after=_text_or_none(fields.get("after")),
            reason=str(fields.get("reason") or "")[:MAX_REASON],
            evidence=_text_or_none(fields.get("evidence")),
            verified=verified,
        )
    except (ValueError, KeyError, TypeError, OverflowError):
        return None


def _text_or_none(value) -> str | None:
    return None if value is None else str(value)


def entries_from_tags(model: str, tags: dict[str, str], signer: Signer) -> list[AuditEntry]:
    """The model's audit trail, oldest first, each entry marked verified or not."""
    found = []
    for key in sorted(k for k in tags if k.startswith(AUDIT_PREFIX)):
        entry = decode(model, key, tags[key], signer)
        if entry is not None:
            found.append(entry)
    return found


def previous_holder(entries: list[AuditEntry], alias: str) -> tuple[str | None, bool]:
    """Where rolling ``alias`` back leads, by the verified entries only: ``(version, found)``.

    Rollbacks stack: each undoes the newest move not yet undone, so three moves and two
    rollbacks land on the holder before the second move. ``found`` is False when no move
    is left to undo; the version is ``None`` when the move to undo created the alias.
    """
    undo = 0
    for entry in reversed(entries):
        if not entry.verified or entry.alias != alias or entry.action not in MOVES:
            continue
        if entry.action == "rollback":
            undo += 1
        elif undo:
            undo -= 1
        else:
            return entry.before, True
    return None, False


def held_through_verified_move(entries: list[AuditEntry], alias: str, version: str) -> bool:
    """Whether a verified entry ever moved ``alias`` to ``version`` (by labtrack, so
    through the approval gate), not merely saw it there."""
    return any(
        e.verified and e.alias == alias and e.action in ("alias", "rollback") and e.after == version
        for e in entries
    )


def registrar(entries: list[AuditEntry], version: str) -> str | None:
    """Who registered ``version``, by its verified entry (None: not registered by labtrack)."""
    for entry in entries:
        if entry.verified and entry.action == "register" and entry.version == version:
            return entry.user
    return None
