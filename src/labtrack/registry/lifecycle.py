"""Model lifecycle over MLflow's registry: register, aliases, stages, approvals, rollback.

Every action writes a signed audit entry (see ``audit``) as the user the caller names:
the kernel passes the notebook user, the server the Jupyter identity (``identity``).
Approvals, the policy and the trail are read back verified: what another MLflow client
wrote is shown as unverified and never counted or followed. No IPython, no Tornado.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

from ..backend.facade import domain_errors
from ..backend.queries import valid_run_id
from . import audit
from .consistency import DEFAULT_ALIAS_STAGES
from .errors import AlreadyApproved, InvalidQuery, NotFound, NothingToRollBack
from .gate import check_approver, require_approvals, require_evidence
from .identity import local_user, valid_user
from .names import valid_alias, valid_model_name, valid_stage, valid_version
from .policy import (
    POLICY_TAG,
    ApprovalPolicy,
    Approvals,
    ModelPolicy,
    approval_key,
    approval_value,
    approvals_of,
    policy_for,
    seal_policy,
)
from .signing import Signer, load_signer

RESERVED_TAG_PREFIX = "labtrack."


@dataclass
class ModelRegistry:
    client: object  # mlflow.MlflowClient with an explicit registry URI
    user: str = field(default_factory=local_user)
    # The configured policy: a floor every model's own signed policy can only raise.
    default_policy: ApprovalPolicy = field(default_factory=ApprovalPolicy)
    signer: Signer = field(default_factory=load_signer)
    # Aliases that should hold the version in a stage (the Models panel's warnings).
    alias_stages: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_ALIAS_STAGES))

    # -- reading ---------------------------------------------------------------------

    def model(self, name: str):
        with domain_errors():
            return self.client.get_registered_model(valid_model_name(name))

    def version(self, name: str, version: str | int):
        number = valid_version(version)
        with domain_errors():
            return self.client.get_model_version(valid_model_name(name), number)

    def history(self, name: str) -> list[audit.AuditEntry]:
        model = self.model(name)
        return audit.entries_from_tags(model.name, dict(model.tags or {}), self.signer)

    def model_policy(self, model) -> ModelPolicy:
        return policy_for(model.name, dict(model.tags or {}), self.default_policy, self.signer)

    def policy(self, name: str) -> ApprovalPolicy:
        return self.model_policy(self.model(name)).effective

    def approvals(self, version) -> Approvals:
        return approvals_of(
            version.name, str(version.version), dict(version.tags or {}), self.signer
        )

    # -- policy ----------------------------------------------------------------------

    def set_policy(self, name: str, policy: ApprovalPolicy, reason: str = "") -> ModelPolicy:
        """Sign ``policy`` onto the model (the configured floor still applies on top)."""
        model = self.model(name)
        for target in policy.protected:
            if target not in ("None", "Staging", "Production", "Archived"):
                valid_alias(target)
        value = seal_policy(self.signer, model.name, policy, valid_user(self.user))
        with domain_errors():
            self.client.set_registered_model_tag(model.name, POLICY_TAG, value)
        described = ", ".join(f"{k}={v}" for k, v in policy.fields().items())
        self._record(action="policy", model=model.name, after=described[:200], reason=reason)
        return self.model_policy(self.model(name))

    # -- register --------------------------------------------------------------------

    def register(
        self,
        run_id: str,
        name: str,
        path: str = "model",
        alias: str | None = None,
        tags: dict[str, str] | None = None,
        reason: str = "",
    ):
        """A new version of ``name`` from the model the run logged at ``path``."""
        valid_run_id(run_id)
        name = valid_model_name(name)
        path = (path or "model").strip().strip("/")
        if alias is not None:
            alias = valid_alias(alias)
        reserved = sorted(k for k in tags or {} if k.lower().startswith(RESERVED_TAG_PREFIX))
        if reserved:
            raise InvalidQuery(
                f"tags under '{RESERVED_TAG_PREFIX}' are labtrack's own (approvals, audit, "
                f"policy) and are written only by its commands: {', '.join(reserved)}"
            )
        valid_user(self.user)
        with domain_errors():
            run = self.client.get_run(run_id)
        source, model_id = self._model_source(run, path)
        with domain_errors():
            try:
                self.client.create_registered_model(name)
            except Exception as error:
                if getattr(error, "error_code", "") != "RESOURCE_ALREADY_EXISTS":
                    raise
            created = self.client.create_model_version(
                name, source, run_id=run_id, tags=tags or None, model_id=model_id
            )
        number = str(created.version)
        self._record(action="register", model=name, version=number, after=number, reason=reason)
        if alias:
            self.set_alias(name, alias, number, reason=reason)
        return self.version(name, number)

    def _model_source(self, run, path: str) -> tuple[str, str | None]:
        """MLflow 3's logged model of the run named ``path``, else ``<run artifacts>/path``."""
        run_id = run.info.run_id
        with domain_errors():
            logged = self.client.search_logged_models(
                experiment_ids=[run.info.experiment_id],
                filter_string=f"source_run_id = '{run_id}'",
            )
            named = [m for m in logged if m.name == path]
            if named:
                newest = max(named, key=lambda m: m.creation_timestamp or 0)
                # Its storage location, not ``models:/<id>``: MLflow would resolve that id
                # through the process-wide tracking URI rather than this client's.
                return newest.artifact_location, newest.model_id
            files = self.client.list_artifacts(run_id, path)
        if any(f.path.rsplit("/", 1)[-1] == "MLmodel" for f in files):
            return f"{run.info.artifact_uri.rstrip('/')}/{path}", None
        known = sorted({m.name for m in logged})
        hint = f" (it logged: {', '.join(known)})" if known else ""
        raise NotFound(f"run {run_id} logged no model at {path!r}{hint}")

    # -- aliases ---------------------------------------------------------------------

    def set_alias(
        self,
        name: str,
        alias: str,
        version: str | int,
        reason: str = "",
        evidence: str | None = None,
    ):
        alias = valid_alias(alias)
        target = self.version(name, version)
        model = self.model(name)
        self._require(model, target, alias)
        if evidence is not None:
            require_evidence(self, model, target, alias, evidence)
        before = _holder(model, alias)
        with domain_errors():
            self.client.set_registered_model_alias(model.name, alias, str(target.version))
        self._record(
            action="alias",
            model=model.name,
            version=str(target.version),
            alias=alias,
            before=before,
            after=str(target.version),
            reason=reason,
            evidence=evidence,
        )
        return self.version(name, target.version)

    def delete_alias(self, name: str, alias: str, reason: str = "") -> None:
        alias = valid_alias(alias)
        model = self.model(name)
        before = _holder(model, alias)
        if before is None:
            raise NotFound(f"model {model.name!r} has no alias {alias!r}")
        valid_user(self.user)
        with domain_errors():
            self.client.delete_registered_model_alias(model.name, alias)
        self._record(
            action="alias-delete",
            model=model.name,
            version=before,
            alias=alias,
            before=before,
            after=None,
            reason=reason,
        )

    def rollback(self, name: str, alias: str, reason: str = ""):
        """Return ``alias`` to its holder before the newest verified move not yet rolled
        back, and only to a version a verified entry once moved it to."""
        alias = valid_alias(alias)
        model = self.model(name)
        entries = audit.entries_from_tags(model.name, dict(model.tags or {}), self.signer)
        target, found = audit.previous_holder(entries, alias)
        if not found:
            raise NothingToRollBack(
                f"the verified audit trail of {model.name!r} records no move of alias "
                f"{alias!r} to undo"
            )
        if target is None:
            raise NothingToRollBack(
                f"alias {alias!r} of {model.name!r} had no holder before its first move; "
                "delete the alias instead"
            )
        if not audit.held_through_verified_move(entries, alias, target):
            raise NothingToRollBack(
                f"version {target} never held {alias!r} of {model.name!r} through a verified "
                "labtrack move (it was set by another client), so a rollback will not return "
                "it there; promote a version instead"
            )
        version = self.version(name, target)  # the earlier holder may have been deleted since
        if self.model_policy(model).effective.rollback_needs_approvals:
            self._require(model, version, alias)
        before = _holder(model, alias)
        with domain_errors():
            self.client.set_registered_model_alias(model.name, alias, target)
        self._record(
            action="rollback",
            model=model.name,
            version=target,
            alias=alias,
            before=before,
            after=target,
            reason=reason,
        )
        return self.version(name, target)

    # -- stages ----------------------------------------------------------------------

    def transition(
        self,
        name: str,
        version: str | int,
        stage: str,
        archive_existing: bool = False,
        reason: str = "",
    ):
        stage = valid_stage(stage)
        target = self.version(name, version)
        model = self.model(name)
        self._require(model, target, stage)
        return self._transition(model, target, stage, archive_existing, reason)

    def _transition(self, model, target, stage: str, archive_existing: bool, reason: str):
        number = str(target.version)
        valid_user(self.user)
        archived = []
        if archive_existing and stage in ("Staging", "Production"):
            with domain_errors():
                others = self.client.search_model_versions(f"name = '{_quoted(model.name)}'")
            archived = [v for v in others if v.current_stage == stage and str(v.version) != number]
        # labtrack archives the previous holders itself, after the move: MLflow's own
        # archive_existing_versions makes its SQL store compare the integer version column
        # with the version string a REST request carries, which PostgreSQL refuses
        # ("operator does not exist: integer <> character varying", MLflow 3.17).
        with domain_errors(), warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # stages are deprecated, still used
            self.client.transition_model_version_stage(
                model.name, number, stage, archive_existing_versions=False
            )
            for other in archived:
                self.client.transition_model_version_stage(
                    model.name, str(other.version), "Archived", archive_existing_versions=False
                )
        self._record(
            action="stage",
            model=model.name,
            version=number,
            stage=stage,
            before=target.current_stage,
            after=stage,
            reason=reason,
        )
        for other in archived:
            self._record(
                action="stage",
                model=model.name,
                version=str(other.version),
                stage="Archived",
                before=stage,
                after="Archived",
                reason=f"archived by the promotion of version {number} to {stage}",
            )
        return self.version(model.name, number)

    def promote(
        self,
        name: str,
        version: str | int,
        alias: str | None = None,
        stage: str | None = None,
        archive_existing: bool = False,
        reason: str = "",
        evidence: str | None = None,
    ):
        """Move ``alias`` and/or the stage to ``version`` in one action; approvals (and the
        cited evaluation run, if any) are checked before anything changes."""
        if not alias and not stage:
            raise InvalidQuery("promote needs an alias, a stage or both")
        alias = valid_alias(alias) if alias else None
        stage = valid_stage(stage) if stage else None
        target = self.version(name, version)
        model = self.model(name)
        self._require(model, target, alias)
        self._require(model, target, stage)
        if evidence is not None:
            if not alias:
                raise InvalidQuery("an evaluation run is cited for moving an alias")
            require_evidence(self, model, target, alias, evidence)
        if stage:
            target = self._transition(model, target, stage, archive_existing, reason)
        if alias:
            target = self.set_alias(name, alias, target.version, reason=reason, evidence=evidence)
        return target

    # -- approvals -------------------------------------------------------------------

    def approve(self, name: str, version: str | int, reason: str = "") -> list[str]:
        """Approve a version as this registry's user; the verified approvers so far."""
        user = valid_user(self.user)
        target = self.version(name, version)
        model = self.model(name)
        number = str(target.version)
        already = self.approvals(target).users
        if user in already:
            raise AlreadyApproved(
                f"{user} already approved {target.name!r} version {number}; "
                "approvals must come from distinct users"
            )
        entries = audit.entries_from_tags(model.name, dict(model.tags or {}), self.signer)
        check_approver(self.model_policy(model).effective, user, audit.registrar(entries, number))
        with domain_errors():
            self.client.set_model_version_tag(
                target.name,
                number,
                approval_key(user),
                approval_value(self.signer, target.name, number, user),
            )
        self._record(action="approve", model=target.name, version=number, reason=reason)
        return [*already, user]

    def _require(self, model, target, name: str | None) -> None:
        require_approvals(self.model_policy(model).effective, model, target, name, self)

    # -- audit -----------------------------------------------------------------------

    def _record(self, **fields) -> audit.AuditEntry:
        entry = audit.new_entry(user=valid_user(self.user), **fields)
        value = audit.encode(entry, self.signer)
        with domain_errors():
            self.client.set_registered_model_tag(entry.model, entry.key, value)
            if entry.version is not None:
                self.client.set_model_version_tag(entry.model, entry.version, entry.key, value)
        return entry


def _holder(model, alias: str) -> str | None:
    holder = (model.aliases or {}).get(alias)
    return None if holder is None else str(holder)


def _quoted(name: str) -> str:
    return name.replace("'", "\\'")
