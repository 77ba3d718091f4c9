"""The jupyter_server extension application."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from jupyter_server.extension.application import ExtensionApp

from ..backend import BackendKind, BackendLocation, resolve_backend
from ..backend.facade import TrackingFacade
from ..config import LabtrackConfig
from ..registry import ModelRegistry, load_signer
from ..registry.policy import ApprovalPolicy
from .limits import WorkerPool
from .routes import route_table
from .widget_bundle import announce_widget_bundle


@dataclass
class ServerContext:
    """What every handler reaches through ``self.settings["labtrack"]``."""

    location: BackendLocation
    workers: WorkerPool = field(repr=False)
    # Artifact listings and downloads: threads of their own (remote stores may hang).
    artifact_workers: WorkerPool = field(repr=False)
    approval_policy: ApprovalPolicy = field(default_factory=ApprovalPolicy)
    settings: LabtrackConfig | None = field(default=None, repr=False)
    _facade: TrackingFacade | None = field(default=None, repr=False)

    @property
    def facade(self) -> TrackingFacade:
        # Built on first use: constructing MLflow's client costs an import of mlflow.
        if self._facade is None:
            self._facade = TrackingFacade(self.location)
        return self._facade

    def registry(self, user: str) -> ModelRegistry:
        """The registry acting as ``user``, with the server's policy floor and key."""
        settings = self.settings
        return ModelRegistry(
            self.facade.client,
            user=user,
            default_policy=self.approval_policy,
            signer=load_signer(settings.signing_key_file if settings else None),
            alias_stages=dict(settings.alias_stages) if settings else {},
        )

    async def run_blocking(self, function, *args):
        return await self.workers.run(function, *args)

    async def run_artifact_call(self, function, *args):
        return await self.artifact_workers.run(function, *args)


class LabtrackExtension(ExtensionApp):
    name = "labtrack"

    # Every setting is LabtrackConfig's (c.LabtrackConfig.*), shared with the kernel.
    classes = [LabtrackConfig]

    def initialize_settings(self) -> None:
        settings = LabtrackConfig(parent=self)
        location = resolve_backend(settings.tracking_uri)
        if location.kind is BackendKind.REST:
            # MLflow's REST client retries for minutes; a UI must hear "unreachable" now.
            os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "1")
            os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "10")
        policy = ApprovalPolicy.parse(
            settings.approvals_required,
            list(settings.protected_targets),
            settings.separate_duties,
            settings.rollback_needs_approvals,
        )
        self.settings["labtrack"] = ServerContext(
            location=location,
            workers=WorkerPool(
                settings.worker_threads, "labtrack", settings.request_timeout, "tracking backend"
            ),
            artifact_workers=WorkerPool(
                settings.worker_threads,
                "labtrack-artifacts",
                settings.artifact_timeout,
                "artifact store",
            ),
            approval_policy=policy,
            settings=settings,
        )
        self.log.info(
            "labtrack: %s backend %s (%s)",
            location.kind.value,
            location.display_uri(),
            location.source.value,
        )
        announce_widget_bundle(self.serverapp, self.log)

    def initialize_handlers(self) -> None:
        self.handlers.extend(route_table())

    async def stop_extension(self) -> None:
        context = self.settings.get("labtrack")
        if context is not None:
            context.workers.shutdown()
            context.artifact_workers.shutdown()
            if context._facade is not None:
                context._facade.close()
