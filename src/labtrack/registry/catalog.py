"""Read-only views of the model registry for the UI (writes: ``labtrack.registry``)."""

from __future__ import annotations

from ..backend.errors import InvalidQuery
from ..backend.facade import TrackingFacade, domain_errors
from ..backend.queries import token_text
from ..backend.shapes import (
    ApprovalsView,
    ModelDetail,
    ModelPage,
    ModelSummary,
    ModelVersionView,
    VersionStage,
)
from .policy import ApprovalPolicy, approvers, policy_for

MAX_VERSIONS = 1000


def _quoted(name: str) -> str:
    if "'" in name:
        raise InvalidQuery("model names with a single quote cannot be searched")
    return name


def list_models(
    facade: TrackingFacade, name: str, page_size: int, page_token: str | None
) -> ModelPage:
    facade.require_reachable()
    filter_string = f"name ILIKE '%{_quoted(name)}%'" if name else None
    with domain_errors():
        page = facade.client.search_registered_models(
            filter_string=filter_string,
            max_results=page_size,
            page_token=page_token,
            order_by=["name ASC"],
        )
    return ModelPage(
        models=[_model_summary(model) for model in page], next_page_token=token_text(page.token)
    )


def model_detail(
    facade: TrackingFacade, name: str, default_policy: ApprovalPolicy | None = None
) -> ModelDetail:
    """The model with its versions; ``default_policy`` applies when the model's tags set none."""
    facade.require_reachable()
    with domain_errors():
        model = facade.client.get_registered_model(name)
        versions = facade.client.search_model_versions(
            f"name = '{_quoted(name)}'", max_results=MAX_VERSIONS
        )
    aliases_by_version: dict[str, list[str]] = {}
    for alias, version in (model.aliases or {}).items():
        aliases_by_version.setdefault(str(version), []).append(alias)
    summary = _model_summary(model)
    policy = policy_for(summary.tags, default_policy or ApprovalPolicy())
    return ModelDetail(
        **vars(summary),
        versions=sorted(
            (_version(v, aliases_by_version) for v in versions),
            key=lambda v: int(v.version),
            reverse=True,
        ),
        approvals=ApprovalsView(required=policy.required, protected=sorted(policy.protected)),
    )


def _model_summary(model) -> ModelSummary:
    return ModelSummary(
        name=model.name,
        description=model.description or "",
        creation_timestamp=model.creation_timestamp,
        last_updated_timestamp=model.last_updated_timestamp,
        aliases={alias: str(v) for alias, v in (model.aliases or {}).items()},
        tags=dict(model.tags or {}),
        latest_versions=[
            VersionStage(str(v.version), v.current_stage) for v in (model.latest_versions or [])
        ],
    )


def _version(version, aliases_by_version: dict[str, list[str]]) -> ModelVersionView:
    number = str(version.version)
    return ModelVersionView(
        version=number,
        stage=version.current_stage,
        status=version.status,
        run_id=version.run_id,
        source=version.source,
        description=version.description or "",
        creation_timestamp=version.creation_timestamp,
        aliases=sorted(aliases_by_version.get(number, [])),
        tags=dict(version.tags or {}),
        approvers=approvers(dict(version.tags or {})),
    )
