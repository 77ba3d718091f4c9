"""``labtrack.register/promote/rollback/approve/set_policy/history/load_model``: the
registry from code.

Each call acts on the backend this process's MLflow points at (the kernel's, once
``%load_ext labtrack`` ran) as the notebook user, and records an audit entry.
"""

from __future__ import annotations


def registry():
    """A :class:`~labtrack.registry.ModelRegistry` on MLflow's current tracking backend,
    with this process's policy floor and signing key (``c.LabtrackConfig``)."""
    import mlflow

    from ..config import current
    from ..registry import ModelRegistry, load_signer

    client = mlflow.MlflowClient(
        tracking_uri=mlflow.get_tracking_uri(), registry_uri=mlflow.get_registry_uri()
    )
    settings = current()
    return ModelRegistry(
        client,
        default_policy=configured_policy(),
        signer=load_signer(settings.signing_key_file),
        alias_stages=dict(settings.alias_stages),
    )


def configured_policy():
    """The approval policy floor of this process's settings (``c.LabtrackConfig``)."""
    from ..config import current
    from ..registry import ApprovalPolicy

    settings = current()
    return ApprovalPolicy.parse(
        settings.approvals_required,
        list(settings.protected_targets),
        settings.separate_duties,
        settings.rollback_needs_approvals,
    )


def register(
    run_id: str,
    name: str,
    path: str = "model",
    alias: str | None = None,
    tags: dict[str, str] | None = None,
    reason: str = "",
):
    """Register the model ``run_id`` logged at ``path`` as a new version of ``name``."""
    return registry().register(run_id, name, path=path, alias=alias, tags=tags, reason=reason)


def promote(
    name: str,
    version: str | int,
    alias: str | None = None,
    stage: str | None = None,
    archive_existing: bool = False,
    reason: str = "",
    evidence: str | None = None,
):
    """Move ``alias`` and/or the stage to ``version`` (approvals checked first). With
    ``evidence``, the evaluation run of a passed ``%track challenge``, cited in the audit."""
    return registry().promote(
        name,
        version,
        alias=alias,
        stage=stage,
        archive_existing=archive_existing,
        reason=reason,
        evidence=evidence,
    )


def set_policy(
    name: str,
    required: int = 0,
    protected: list[str] | str | None = None,
    separate_duties: bool = False,
    rollback_needs_approvals: bool = False,
    reason: str = "",
):
    """Sign an approval policy onto ``name`` (the configured floor still applies)."""
    from ..registry import ApprovalPolicy

    policy = ApprovalPolicy.parse(required, protected, separate_duties, rollback_needs_approvals)
    return registry().set_policy(name, policy, reason=reason)


def rollback(name: str, alias: str, reason: str = ""):
    """Return ``alias`` to its previous holder according to the audit trail."""
    return registry().rollback(name, alias, reason=reason)


def approve(name: str, version: str | int, reason: str = "") -> list[str]:
    """Approve ``version`` as the notebook user; the approvers so far."""
    return registry().approve(name, version, reason=reason)


def history(name: str):
    """The audit trail of ``name``, oldest first."""
    return registry().history(name)


def load_model(reference: str):
    """The pyfunc model of ``"NAME@ALIAS"``, ``"NAME/VERSION"`` or ``"NAME/Stage"``."""
    from ..registry import load_model as load

    return load(reference)
