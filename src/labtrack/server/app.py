"""The jupyter_server extension application."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from jupyter_server.extension.application import ExtensionApp

from ..backend import BackendKind, BackendLocation, resolve_backend
from ..backend.facade import TrackingFacade
from ..config import LabtrackConfig
from ..registry.policy import ApprovalPolicy
from .routes import route_table


@dataclass
class ServerContext:
    """What every handler reaches through ``self.settings["labtrack"]``."""

    location: BackendLocation
    executor: ThreadPoolExecutor = field(repr=False)
    approval_policy: ApprovalPolicy = field(default_factory=ApprovalPolicy)
    _facade: TrackingFacade | None = field(default=None, repr=False)

    @property
    def facade(self) -> TrackingFacade:
        # Built on first use: constructing MLflow's client costs an import of mlflow.
        if self._facade is None:
            self._facade = TrackingFacade(self.location)
        return self._facade

    async def run_blocking(self, function, *args):
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, function, *args)


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
        executor = ThreadPoolExecutor(settings.worker_threads, thread_name_prefix="labtrack")
        policy = ApprovalPolicy.parse(settings.approvals_required, list(settings.protected_targets))
        self.settings["labtrack"] = ServerContext(
            location=location, executor=executor, approval_policy=policy
        )
        self.log.info(
            "labtrack: %s backend %s (%s)",
            location.kind.value,
            location.display_uri(),
            location.source.value,
        )

    def initialize_handlers(self) -> None:
        self.handlers.extend(route_table())

    async def stop_extension(self) -> None:
        context = self.settings.get("labtrack")
        if context is not None:
            context.executor.shutdown(wait=False, cancel_futures=True)
            if context._facade is not None:
                context._facade.close()
