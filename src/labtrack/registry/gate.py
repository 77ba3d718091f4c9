"""The gate in front of protected aliases and stages: approvals, duties and evidence.

Every write path (promote, set_alias, a stage transition, a rollback when the policy asks,
a champion–challenger promotion) passes through here; only verified approvals count.
"""

from __future__ import annotations

from .challenge_record import read_challenge
from .errors import ApprovalMissing, Conflict, InvalidQuery
from .policy import ApprovalPolicy


class DutiesSeparated(Conflict):
    """The policy forbids this user from approving this version (HTTP 409)."""


class EvidenceRefused(Conflict):
    """The evaluation run cited for a promotion does not justify it (HTTP 409)."""


def require_approvals(policy: ApprovalPolicy, model, target, name: str | None, registry) -> None:
    """Refuse moving ``name`` to ``target`` while it lacks the policy's approvals."""
    if not policy.needs_approval(name):
        return
    approvals = registry.approvals(target)
    have = approvals.users
    if len(have) < policy.required:
        who = f" ({', '.join(have)})" if have else ""
        ignored = ""
        if approvals.unverified:
            ignored = (
                f"; ignored {len(approvals.unverified)} unverified approval tag(s) "
                f"({', '.join(approvals.unverified)}) that labtrack did not sign"
            )
        raise ApprovalMissing(
            f"moving {name!r} of {model.name!r} to version {target.version} needs "
            f"{policy.required} approvals from distinct users; it has {len(have)}{who}{ignored}"
        )


def check_approver(policy: ApprovalPolicy, user: str, registrar: str | None) -> None:
    if policy.separate_duties and registrar is not None and registrar == user:
        raise DutiesSeparated(
            f"{user} registered this version, and the model's policy separates duties: "
            "its approvals must come from other people"
        )


def require_evidence(registry, model, target, alias: str, run_id: str) -> None:
    """A promotion citing an evaluation run: the run must be this version's verified,
    passed challenge against the version that holds ``alias`` now."""
    if not isinstance(run_id, str) or not run_id.strip():
        raise InvalidQuery("the cited evaluation run id is empty")
    challenge = read_challenge(registry.signer, target)
    number = str(target.version)
    if challenge is None or challenge.run_id != run_id:
        raise EvidenceRefused(
            f"run {run_id} is not the latest challenge of {model.name!r} version {number}"
        )
    if not challenge.verified:
        raise EvidenceRefused(f"the challenge record of version {number} is unverified")
    if challenge.role != "challenger" or not challenge.passed:
        raise EvidenceRefused(
            f"version {number} did not pass its challenge (run {run_id}); nothing to promote"
        )
    holder = (model.aliases or {}).get(alias)
    if holder is not None and str(holder) != challenge.opponent:
        raise EvidenceRefused(
            f"@{alias} now points at version {holder}, not version {challenge.opponent} that "
            f"version {number} was evaluated against; challenge it again"
        )
