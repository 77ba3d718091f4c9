"""``labtrack.register/promote/rollback/approve/history/load_model``: the registry from code.

Each call acts on the backend this process's MLflow points at (the kernel's, once
``%load_ext labtrack`` ran) as the notebook user, and records an audit entry.
"""

from __future__ import annotations


def registry():
    """A :class:`~labtrack.registry.ModelRegistry` on MLflow's current tracking backend."""
    import mlflow

    from ..registry import ModelRegistry

    client = mlflow.MlflowClient(
        tracking_uri=mlflow.get_tracking_uri(), registry_uri=mlflow.get_registry_uri()
    )
    return ModelRegistry(client, default_policy=configured_policy())


def configured_policy():
    """The approval policy of this process's settings (``c.LabtrackConfig``)."""
    from ..config import current
    from ..registry import ApprovalPolicy

    settings = current()
    return ApprovalPolicy.parse(settings.approvals_required, list(settings.protected_targets))


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
):
    """Move ``alias`` and/or the stage to ``version`` (approvals checked first)."""
    return registry().promote(
        name, version, alias=alias, stage=stage, archive_existing=archive_existing, reason=reason
    )


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
