"""The jupyter_server extension application."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from jupyter_server.extension.application import ExtensionApp
from traitlets import Int, List, Unicode

from ..backend import BackendKind, BackendLocation, resolve_backend
from ..backend.facade import TrackingFacade
from ..registry.policy import ApprovalPolicy
from .routes import route_table
from .widget_bundle import announce_widget_bundle


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

    tracking_uri = Unicode(
        None,
        allow_none=True,
        config=True,
        help=(
            "Tracking URI the server reads runs from. Unset: MLFLOW_TRACKING_URI, else "
            "labtrack's embedded SQLite store under LABTRACK_HOME (the same resolution "
            "as the kernel's, so both see the same runs)."
        ),
    )

    worker_threads = Int(
        4,
        config=True,
        help="Threads that run blocking MLflow and database calls off the event loop.",
    )

    approvals_required = Int(
        0,
        config=True,
        help=(
            "Approvals from distinct users a model version needs before the registry routes "
            "move a protected alias or stage to it. A model's own labtrack.approvals.required "
            "and labtrack.approvals.protected tags take precedence."
        ),
    )

    protected_targets = List(
        Unicode(),
        default_value=[],
        config=True,
        help="Aliases and stages (e.g. champion, Production) that need approvals_required.",
    )

    def initialize_settings(self) -> None:
        location = resolve_backend(self.tracking_uri)
        if location.kind is BackendKind.REST:
            # MLflow's REST client retries for minutes; a UI must hear "unreachable" now.
            os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "1")
            os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "10")
        executor = ThreadPoolExecutor(self.worker_threads, thread_name_prefix="labtrack")
        policy = ApprovalPolicy.parse(self.approvals_required, list(self.protected_targets))
        self.settings["labtrack"] = ServerContext(
            location=location, executor=executor, approval_policy=policy
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
            context.executor.shutdown(wait=False, cancel_futures=True)
            if context._facade is not None:
                context._facade.close()
