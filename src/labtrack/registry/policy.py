"""Approval policy: which aliases and stages are protected, and how many approvals they need.

A policy comes from the registered model's tags (``labtrack.approvals.required`` = N,
``labtrack.approvals.protected`` = comma-separated aliases and stages) or, where the
model has none, from the global default the kernel or server was configured with.
Approvals are per version: tags ``labtrack.approval.<user>`` on the model version, one
per user, so two users approving at once never overwrite each other.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass

REQUIRED_TAG = "labtrack.approvals.required"
PROTECTED_TAG = "labtrack.approvals.protected"
APPROVAL_PREFIX = "labtrack.approval."


@dataclass(frozen=True)
class ApprovalPolicy:
    required: int = 0
    protected: frozenset[str] = frozenset()

    def needs_approval(self, target: str | None) -> bool:
        if not target or self.required <= 0:
            return False
        return target.lower() in {name.lower() for name in self.protected}

    @classmethod
    def parse(cls, required: str | int | None, protected: str | list[str] | None):
        if isinstance(protected, str):
            protected = protected.split(",")
        names = frozenset(p.strip() for p in (protected or []) if p.strip())
        try:
            count = int(required or 0)
        except ValueError:
            count = 0
        return cls(required=max(count, 0), protected=names)


def policy_for(model_tags: dict[str, str], default: ApprovalPolicy) -> ApprovalPolicy:
    if REQUIRED_TAG not in model_tags and PROTECTED_TAG not in model_tags:
        return default
    return ApprovalPolicy.parse(
        model_tags.get(REQUIRED_TAG, default.required),
        model_tags.get(PROTECTED_TAG, ",".join(sorted(default.protected))),
    )


def approval_key(user: str) -> str:
    # Tag keys allow letters, digits, _ - . / and space; anything else becomes "_" (the
    # value keeps the exact user name, which is what counts).
    return APPROVAL_PREFIX + re.sub(r"[^\w.\- /]", "_", user)[:200]


def approval_value(user: str, now_ms: int | None = None) -> str:
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    return json.dumps({"user": user, "timestamp": now_ms}, separators=(",", ":"))


def approvers(version_tags: dict[str, str]) -> list[str]:
    """The distinct users who approved a version, in the order of their key."""
    users: list[str] = []
    for key in sorted(k for k in version_tags if k.startswith(APPROVAL_PREFIX)):
        try:
            user = str(json.loads(version_tags[key])["user"])
        except (ValueError, KeyError, TypeError):
            continue
        if user not in users:
            users.append(user)
    return users
