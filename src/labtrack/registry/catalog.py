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
from .audit import entries_from_tags, registrar
from .challenge_record import read_challenge
from .consistency import alias_warnings

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


def model_detail(facade: TrackingFacade, name: str, registry) -> ModelDetail:
    """The model with its versions, read and verified with ``registry``'s key and policy
    (a :class:`~labtrack.registry.ModelRegistry`; its user plays no part in a read)."""
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
    entries = entries_from_tags(model.name, summary.tags, registry.signer)
    policy = registry.model_policy(model)
    views = sorted(
        (_version(v, aliases_by_version, registry, entries) for v in versions),
        key=lambda v: int(v.version),
        reverse=True,
    )
    effective = policy.effective
    return ModelDetail(
        **vars(summary),
        versions=views,
        approvals=ApprovalsView(
            required=effective.required,
            protected=sorted(effective.protected),
            separate_duties=effective.separate_duties,
            rollback_needs_approvals=effective.rollback_needs_approvals,
            unverified_tags=policy.unverified,
        ),
        warnings=alias_warnings(summary.aliases, views, entries, registry.alias_stages),
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


def _version(
    version, aliases_by_version: dict[str, list[str]], registry, entries
) -> ModelVersionView:
    number = str(version.version)
    approvals = registry.approvals(version)
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
        approvers=approvals.users,
        unverified_approvals=approvals.unverified,
        registrar=registrar(entries, number),
        challenge=read_challenge(registry.signer, version),
    )
