"""Registry errors: the façade's domain errors, so the server maps them to HTTP codes."""

from __future__ import annotations

from ..backend.errors import Conflict, InvalidQuery, NotFound


class ApprovalMissing(Conflict):
    """A protected alias or stage needs more approvals of this version (HTTP 409)."""


class AlreadyApproved(Conflict):
    """This user approved this version already (HTTP 409)."""


class NothingToRollBack(Conflict):
    """The audit trail holds no earlier holder of the alias (HTTP 409)."""


__all__ = [
    "AlreadyApproved",
    "ApprovalMissing",
    "Conflict",
    "InvalidQuery",
    "NotFound",
    "NothingToRollBack",
]
