"""The jupyter_server extension application."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from jupyter_server.extension.application import ExtensionApp
from traitlets import Int, Unicode

from ..backend import BackendLocation, resolve_backend
from .routes import route_table


@dataclass
class ServerContext:
    """What every handler reaches through ``self.settings["labtrack"]``."""

    location: BackendLocation
    executor: ThreadPoolExecutor = field(repr=False)

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

    def initialize_settings(self) -> None:
        location = resolve_backend(self.tracking_uri)
        executor = ThreadPoolExecutor(self.worker_threads, thread_name_prefix="labtrack")
        self.settings["labtrack"] = ServerContext(location=location, executor=executor)
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
