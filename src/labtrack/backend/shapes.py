"""The shapes of what the façade answers, declared once.

The REST API sends exactly these (``dataclasses.asdict``); ``server/contract.py`` lists
them, and the JSON Schema and TypeScript types of ``js/lab/generated/`` are generated from
them, so a docstring here is also the TypeScript interface's comment.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ExperimentView:
    experiment_id: str
    name: str
    artifact_location: str
    lifecycle_stage: str
    creation_time: int | None
    last_update_time: int | None
    tags: dict[str, str]


@dataclass
class ExperimentPage:
    experiments: list[ExperimentView]
    next_page_token: str | None


@dataclass
class RunColumns:
    """The param, metric and tag keys runs of some experiments have: the columns a run
    table can offer."""

    params: list[str]
    metrics: list[str]
    tags: list[str]


@dataclass
class RunInfoView:
    run_id: str
    run_name: str
    experiment_id: str
    status: str
    start_time: int | None
    end_time: int | None
    user_id: str | None
    lifecycle_stage: str
    artifact_uri: str


@dataclass
class RunLink:
    run_id: str
    run_name: str
    status: str


@dataclass
class DatasetView:
    name: str
    digest: str
    source_type: str
    source: str
    schema: str | None
    profile: str | None
    tags: dict[str, str]


@dataclass
class LoggedModelView:
    model_id: str
    name: str
    artifact_location: str
    creation_timestamp: int | None


@dataclass
class RegisteredVersionLink:
    """A registered model version made from a run's model: the end of its lineage."""

    name: str
    version: str
    stage: str
    aliases: list[str]


@dataclass
class RunDetail:
    info: RunInfoView
    params: dict[str, str]
    metrics: dict[str, float | None]
    tags: dict[str, str]
    datasets: list[DatasetView]
    parent_run_id: str | None
    children: list[RunLink]
    logged_models: list[LoggedModelView]
    registered_versions: list[RegisteredVersionLink]


@dataclass
class ArtifactEntry:
    path: str
    name: str
    is_dir: bool
    size: int | None


@dataclass
class ArtifactListing:
    """One page of one directory level (directories first, then by name)."""

    run_id: str
    path: str
    entries: list[ArtifactEntry]
    # Pass as ``page_token`` for the next page; None on the last.
    next_page_token: str | None = None


@dataclass
class CompareRun:
    run_id: str
    run_name: str
    experiment_id: str
    status: str


@dataclass
class CompareParamColumn:
    key: str
    values: list[str | None]


@dataclass
class CompareMetricColumn:
    key: str
    values: list[float | None]


@dataclass
class CompareMatrix:
    """One row per run, one column per param and metric: ready for parallel coordinates."""

    runs: list[CompareRun]
    params: list[CompareParamColumn]
    metrics: list[CompareMetricColumn]
    # The runs' own tags (not MLflow's or labtrack's ``mlflow.*``/``labtrack.*``): with
    # the params, what runs can be grouped by.
    tags: list[CompareParamColumn] = field(default_factory=list)


@dataclass
class CompareStepColumn:
    key: str
    # The step each run's value was logged at (the nearest to the one asked); None: no value.
    values: list[int | None]


@dataclass
class CompareAtStep:
    """Each metric's value at the logged step nearest ``step``, one per run (in the order
    asked): what the runs showed at that point of training."""

    step: int
    metrics: list[CompareMetricColumn]
    steps: list[CompareStepColumn]


@dataclass
class MediaKey:
    """One group of a run's images: a ``log_image`` key (``kind`` "stepped": ``steps`` and
    ``timestamps`` of its images in order) or the run's image artifacts (``kind`` "files":
    no steps)."""

    key: str
    kind: str
    count: int
    steps: list[int]
    timestamps: list[int]


@dataclass
class MediaIndex:
    """``GET runs/{id}/media``: the run's image groups, read from names only.
    ``truncated``: the walk for image artifacts stopped before the end of a large tree."""

    run_id: str
    keys: list[MediaKey]
    truncated: bool


@dataclass
class MediaItem:
    """One image: ``path`` (as logged) and ``thumbnail_path`` (MLflow's compressed copy of
    at most 256 px, when there is one) for the artifact file route."""

    index: int
    step: int | None
    timestamp: int | None
    path: str
    thumbnail_path: str | None


@dataclass
class MediaPage:
    """``GET runs/{id}/media/items``: the images ``offset`` … ``offset + limit`` of a group."""

    run_id: str
    kind: str
    key: str
    offset: int
    total: int
    items: list[MediaItem]


@dataclass
class VersionStage:
    version: str
    stage: str


@dataclass
class ModelSummary:
    name: str
    description: str
    creation_timestamp: int | None
    last_updated_timestamp: int | None
    aliases: dict[str, str]
    tags: dict[str, str]
    latest_versions: list[VersionStage]


@dataclass
class ModelPage:
    models: list[ModelSummary]
    next_page_token: str | None


@dataclass
class ModelVersionView:
    """One version of a registered model. ``approvers``: the users who approved it under
    labtrack's approval policy, in order."""

    version: str
    stage: str
    status: str
    run_id: str | None
    source: str
    description: str
    creation_timestamp: int | None
    aliases: list[str]
    tags: dict[str, str]
    approvers: list[str]
    # Names claimed by approval tags that do not verify: shown, never counted.
    unverified_approvals: list[str] = field(default_factory=list)
    # Who registered it, by labtrack's verified audit entry (None: registered elsewhere).
    registrar: str | None = None
    # The newest ``%track challenge`` this version took part in.
    challenge: ChallengeView | None = None


@dataclass
class ChallengeView:
    """A version's latest champion–challenger evaluation, from its signed tag."""

    run_id: str
    role: str  # challenger | champion
    opponent: str  # the other version
    passed: bool  # did the challenger pass the gate
    metric: str  # the headline metric
    value: float | None  # this version's value
    opponent_value: float | None
    timestamp: int
    verified: bool


@dataclass
class ApprovalsView:
    """The model's approval policy: promotions to a ``protected`` alias or stage wait for
    ``required`` approvals of the version from distinct users (0: none needed)."""

    required: int
    protected: list[str]
    # The registrar of a version may not approve it.
    separate_duties: bool = False
    # A rollback onto a protected alias needs the target's approvals too.
    rollback_needs_approvals: bool = False
    # Policy tags that did not verify and were ignored.
    unverified_tags: list[str] = field(default_factory=list)


@dataclass
class RegistryFix:
    """One action that resolves a warning: a promotion the UI can offer as a button."""

    label: str
    version: str
    alias: str | None
    stage: str | None
    archive_existing: bool


@dataclass
class RegistryWarning:
    """Something about the model's aliases and stages a person should fix."""

    kind: str  # archived-alias | stage-mismatch | unaudited-alias
    alias: str
    version: str
    message: str
    fixes: list[RegistryFix]


@dataclass
class ModelDetail:
    name: str
    description: str
    creation_timestamp: int | None
    last_updated_timestamp: int | None
    aliases: dict[str, str]
    tags: dict[str, str]
    latest_versions: list[VersionStage]
    versions: list[ModelVersionView]
    approvals: ApprovalsView
    warnings: list[RegistryWarning] = field(default_factory=list)
