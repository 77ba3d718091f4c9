"""The shapes the REST API sends and accepts, declared once.

Responses are the façade's dataclasses (``labtrack.backend.shapes`` and
``labtrack.backend.queries``) sent with ``dataclasses.asdict``; the status route's
shapes and the registry's request bodies live here. ``CONTRACT`` names each with its
TypeScript name: ``contract_schema`` emits JSON Schema from them
(``js/lab/generated/contract.schema.json``) and the TypeScript types are generated from
that schema (``js/lab/generated/contract.ts``); tests check both files are current.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..backend import shapes
from ..backend.location import BackendKind, LocationSource
from ..backend.queries import MetricSeries, RunPage, RunRow
from ..backend.run_edits import EditedRun
from ..backend.run_families import RunFamilies, RunFamily
from ..backend.run_lifecycle import LifecycleOutcome, RunFailure
from ..offline.backlog import JournalView, OfflineBacklog, SyncOutcome
from ..offline.sync import OfflineRun, SyncedRun
from ..registry.audit import AuditEntry


@dataclass(frozen=True)
class BackendInfo:
    """The tracking backend as the server resolved it; ``tracking_uri`` has its
    credentials redacted."""

    kind: BackendKind
    tracking_uri: str
    artifact_root: str | None
    source: LocationSource


@dataclass(frozen=True)
class StatusResponse:
    """``GET status``. ``unauthorized``: the tracking server answered but refused
    labtrack's credentials or their permissions (its 401/403): not reachable for labtrack,
    yet the fix is credentials, not the network."""

    labtrack_version: str
    mlflow_version: str
    backend: BackendInfo
    reachable: bool
    error: str | None
    unauthorized: bool = False

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class ErrorResponse:
    """Every error answer: the HTTP reason and what went wrong, never a traceback."""

    error: str
    message: str


# -- the model registry's write routes: request bodies and answers ------------------


@dataclass(frozen=True)
class RegisterRequest:
    """``POST models/{name}/versions`` (answer: the new ``ModelVersionView``, 201)."""

    run_id: str
    path: str = "model"
    alias: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    reason: str = ""


@dataclass(frozen=True)
class AliasRequest:
    """``PUT models/{name}/aliases/{alias}`` (answer: the ``ModelDetail``)."""

    version: str
    reason: str = ""


@dataclass(frozen=True)
class StageRequest:
    """``POST models/{name}/versions/{v}/stage``: a stage and/or an alias in one promotion."""

    stage: str | None = None
    alias: str | None = None
    archive_existing: bool = False
    reason: str = ""


@dataclass(frozen=True)
class RollbackRequest:
    """``POST models/{name}/rollback`` (answer: the ``ModelDetail``)."""

    alias: str
    reason: str = ""


@dataclass(frozen=True)
class ApprovalRequest:
    """``POST models/{name}/versions/{v}/approvals``."""

    reason: str = ""


@dataclass(frozen=True)
class CompareAtStepRequest:
    """``POST compare/at-step`` (answer: ``CompareAtStep``): ``keys`` empty: every metric of
    the runs."""

    run_ids: list[str]
    step: int
    keys: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ApprovalState:
    """The answer to an approval: who approved the version so far, out of how many needed
    for the ``protected`` aliases and stages."""

    model: str
    version: str
    approvers: list[str]
    required: int
    protected: list[str]


@dataclass(frozen=True)
class AuditTrail:
    """``GET models/{name}/audit``: every labtrack registry action, oldest first."""

    model: str
    entries: list[AuditEntry]


# -- the run write routes: request bodies ----------------------------------------------


@dataclass(frozen=True)
class RunEditRequest:
    """``PATCH runs/{id}`` (answer: the ``EditedRun``): a new name and/or description. The
    description is MLflow's ``mlflow.note.content`` tag; an empty one removes it."""

    name: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class TagRequest:
    """``PUT runs/{id}/tags/{key}`` (answer: the ``EditedRun``)."""

    value: str


@dataclass(frozen=True)
class RunIdsRequest:
    """``POST runs/delete`` and ``POST runs/restore`` (1–1000 ids, answer a
    ``LifecycleOutcome``); ``POST runs/families`` (0–1000 ids, answer ``RunFamilies``)."""

    run_ids: list[str]


# Every shape of the contract with its TypeScript name (interfaces start with I). A
# dataclass a listed one holds must be listed too: the schema emitter refuses otherwise.
CONTRACT: list[tuple[type, str]] = [
    (BackendKind, "BackendKind"),
    (LocationSource, "BackendSource"),
    (StatusResponse, "IStatus"),
    (BackendInfo, "IBackendInfo"),
    (ErrorResponse, "IErrorResponse"),
    (RunRow, "IRunRow"),
    (RunPage, "IRunPage"),
    (MetricSeries, "IMetricSeries"),
    (RegisterRequest, "IRegisterRequest"),
    (AliasRequest, "IAliasRequest"),
    (StageRequest, "IStageRequest"),
    (RollbackRequest, "IRollbackRequest"),
    (ApprovalRequest, "IApprovalRequest"),
    (CompareAtStepRequest, "ICompareAtStepRequest"),
    (ApprovalState, "IApprovalState"),
    (AuditEntry, "IAuditEntry"),
    (AuditTrail, "IAuditTrail"),
    (RunEditRequest, "IRunEditRequest"),
    (TagRequest, "ITagRequest"),
    (RunIdsRequest, "IRunIdsRequest"),
    (EditedRun, "IEditedRun"),
    (RunFailure, "IRunFailure"),
    (LifecycleOutcome, "ILifecycleOutcome"),
    (RunFamily, "IRunFamily"),
    (RunFamilies, "IRunFamilies"),
    (OfflineRun, "IOfflineRun"),
    (JournalView, "IJournalView"),
    (OfflineBacklog, "IOfflineBacklog"),
    (SyncedRun, "ISyncedRun"),
    (SyncOutcome, "ISyncOutcome"),
    *[
        (getattr(shapes, name), f"I{name}")
        for name in (
            "ExperimentView",
            "ExperimentPage",
            "RunColumns",
            "RunInfoView",
            "RunLink",
            "DatasetView",
            "LoggedModelView",
            "RegisteredVersionLink",
            "RunDetail",
            "ArtifactEntry",
            "ArtifactListing",
            "CompareRun",
            "CompareParamColumn",
            "CompareMetricColumn",
            "CompareMatrix",
            "CompareStepColumn",
            "CompareAtStep",
            "MediaKey",
            "MediaIndex",
            "MediaItem",
            "MediaPage",
            "VersionStage",
            "ModelSummary",
            "ModelPage",
            "ModelVersionView",
            "ModelDetail",
            "ApprovalsView",
            "ChallengeView",
            "RegistryFix",
            "RegistryWarning",
        )
    ],
]

# The request bodies the server parses (``registry.parse_body``): a field with a default
# may be left out, so it is optional in the schema. Every response field is always sent.
REQUESTS: frozenset[type] = frozenset(
    {
        RegisterRequest,
        AliasRequest,
        StageRequest,
        RollbackRequest,
        ApprovalRequest,
        RunEditRequest,
        TagRequest,
        RunIdsRequest,
        CompareAtStepRequest,
    }
)
