"""Approval policy and approvals, both signed (``signing``) so no other client forges them.

The configured policy (``c.LabtrackConfig.approvals_required``, ``protected_targets``,
``separate_duties``, ``rollback_needs_approvals``) is a floor: a model's own policy, the
signed tag ``labtrack.policy`` that ``%track policy`` writes, may ask for more, never for
less. A policy tag that does not verify is ignored (and reported).

Approvals are per version: one signed tag ``labtrack.approval.<user>.<hash>`` per user,
so two users approving at once never overwrite each other. The signature covers the model,
the version and the user, so an approval copied onto another version counts for nothing.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field

from .signing import Signer

POLICY_TAG = "labtrack.policy"
APPROVAL_PREFIX = "labtrack.approval."
POLICY_KIND = "policy"
APPROVAL_KIND = "approval"
# Tags of older labtrack releases: unsigned, so never obeyed.
LEGACY_POLICY_TAGS = ("labtrack.approvals.required", "labtrack.approvals.protected")


@dataclass(frozen=True)
class ApprovalPolicy:
    required: int = 0
    protected: frozenset[str] = frozenset()
    # The version's registrar may not approve it.
    separate_duties: bool = False
    # A rollback onto a protected alias needs the target's approvals too.
    rollback_needs_approvals: bool = False

    def needs_approval(self, target: str | None) -> bool:
        if not target or self.required <= 0:
            return False
        return target.lower() in {name.lower() for name in self.protected}

    @classmethod
    def parse(
        cls,
        required: str | int | None,
        protected: str | list[str] | None,
        separate_duties: bool = False,
        rollback_needs_approvals: bool = False,
    ):
        if isinstance(protected, str):
            protected = protected.split(",")
        names = frozenset(p.strip() for p in (protected or []) if p and p.strip())
        try:
            count = int(required or 0)
        except (TypeError, ValueError):
            count = 0
        return cls(
            required=min(max(count, 0), 100),
            protected=names,
            separate_duties=bool(separate_duties),
            rollback_needs_approvals=bool(rollback_needs_approvals),
        )

    def stricter(self, other: ApprovalPolicy) -> ApprovalPolicy:
        """Both policies at once: the larger count, every protected name, every switch."""
        return ApprovalPolicy(
            required=max(self.required, other.required),
            protected=self.protected | other.protected,
            separate_duties=self.separate_duties or other.separate_duties,
            rollback_needs_approvals=self.rollback_needs_approvals
            or other.rollback_needs_approvals,
        )

    def fields(self) -> dict:
        return {
            "required": self.required,
            "protected": sorted(self.protected),
            "separate_duties": self.separate_duties,
            "rollback_needs_approvals": self.rollback_needs_approvals,
        }


@dataclass(frozen=True)
class ModelPolicy:
    """The policy in force on a model, and what its tags held that did not verify."""

    effective: ApprovalPolicy
    own: ApprovalPolicy | None = None  # the model's verified policy tag, if any
    unverified: list[str] = field(default_factory=list)  # tag keys ignored


def seal_policy(signer: Signer, model: str, policy: ApprovalPolicy, user: str) -> str:
    fields = {**policy.fields(), "set_by": user, "timestamp": int(time.time() * 1000)}
    return signer.seal(POLICY_KIND, {"model": model}, fields)


def policy_for(
    model: str, model_tags: dict[str, str], floor: ApprovalPolicy, signer: Signer
) -> ModelPolicy:
    unverified = [key for key in LEGACY_POLICY_TAGS if key in model_tags]
    own = None
    if POLICY_TAG in model_tags:
        fields, verified = signer.open(POLICY_KIND, {"model": model}, model_tags[POLICY_TAG])
        if fields is not None and verified:
            own = ApprovalPolicy.parse(
                fields.get("required"),
                fields.get("protected") if isinstance(fields.get("protected"), list) else [],
                fields.get("separate_duties") is True,
                fields.get("rollback_needs_approvals") is True,
            )
        else:
            unverified.append(POLICY_TAG)
    effective = floor.stricter(own) if own is not None else floor
    return ModelPolicy(effective=effective, own=own, unverified=unverified)


# -- approvals --------------------------------------------------------------------------


def approval_key(user: str) -> str:
    # Tag keys allow letters, digits, _ - . / and space; the hash keeps two names that
    # read the same there ("a@b", "a_b") apart. The value holds the exact name.
    readable = re.sub(r"[^\w.\- /]", "_", user)[:120]
    return f"{APPROVAL_PREFIX}{readable}.{hashlib.sha256(user.encode()).hexdigest()[:12]}"


def approval_value(
    signer: Signer, model: str, version: str, user: str, now_ms: int | None = None
) -> str:
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    context = {"model": model, "version": str(version)}
    return signer.seal(APPROVAL_KIND, context, {"user": user, "timestamp": now_ms})


@dataclass(frozen=True)
class Approvals:
    """A version's approvals: the distinct users whose approval verifies, and the names
    claimed by approval tags that do not (never counted)."""

    users: list[str]
    unverified: list[str]


def approvals_of(
    model: str, version: str, version_tags: dict[str, str], signer: Signer
) -> Approvals:
    users: list[str] = []
    unverified: list[str] = []
    context = {"model": model, "version": str(version)}
    for key in sorted(k for k in version_tags if k.startswith(APPROVAL_PREFIX)):
        fields, verified = signer.open(APPROVAL_KIND, context, version_tags[key])
        claimed = str(fields.get("user")) if fields and fields.get("user") else key
        if verified and isinstance(fields.get("user"), str) and key == approval_key(claimed):
            if claimed not in users:
                users.append(claimed)
        elif claimed not in unverified:
            unverified.append(claimed)
    return Approvals(users=users, unverified=unverified)
