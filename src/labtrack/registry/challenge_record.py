"""A version's latest champion–challenger evaluation, kept as one signed version tag.

``labtrack.challenge`` on both versions of a challenge names the evaluation run, the
version's role, its opponent, whether the challenger passed the gate, and the headline
metric of both. The Models panel shows it; a promotion citing the run checks it.
"""

from __future__ import annotations

import math
import time

from ..backend.shapes import ChallengeView
from .signing import Signer

CHALLENGE_TAG = "labtrack.challenge"
CHALLENGE_KIND = "challenge"


def seal_challenge(
    signer: Signer,
    model: str,
    version: str,
    *,
    run_id: str,
    role: str,
    opponent: str,
    passed: bool,
    metric: str,
    value: float | None,
    opponent_value: float | None,
    now_ms: int | None = None,
) -> str:
    fields = {
        "run_id": run_id,
        "role": role,
        "opponent": str(opponent),
        "passed": bool(passed),
        "metric": metric,
        "value": _finite(value),
        "opponent_value": _finite(opponent_value),
        "timestamp": int(time.time() * 1000) if now_ms is None else now_ms,
    }
    return signer.seal(CHALLENGE_KIND, {"model": model, "version": str(version)}, fields)


def read_challenge(signer: Signer, version) -> ChallengeView | None:
    """The version's challenge record (``verified`` False when labtrack did not sign it)."""
    value = dict(version.tags or {}).get(CHALLENGE_TAG)
    if value is None:
        return None
    context = {"model": version.name, "version": str(version.version)}
    fields, verified = signer.open(CHALLENGE_KIND, context, value)
    if fields is None:
        return None
    try:
        return ChallengeView(
            run_id=str(fields["run_id"]),
            role=str(fields["role"]),
            opponent=str(fields["opponent"]),
            passed=fields["passed"] is True,
            metric=str(fields["metric"]),
            value=_finite(fields.get("value")),
            opponent_value=_finite(fields.get("opponent_value")),
            timestamp=int(fields["timestamp"]),
            verified=verified,
        )
    except (KeyError, TypeError, ValueError, OverflowError):
        return None


def _finite(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None
