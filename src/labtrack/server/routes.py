"""Every labtrack route, in one table, under ``{base_url}labtrack/api/``."""

from __future__ import annotations

from .browse import (
    ArtifactFileHandler,
    ArtifactsHandler,
    ExperimentsHandler,
    ModelHandler,
    ModelsHandler,
)
from .handlers import StatusHandler
from .runs import (
    CompareHandler,
    MetricHistoryHandler,
    RunColumnsHandler,
    RunHandler,
    RunsHandler,
)

API_PREFIX = "labtrack/api"
_RUN = r"(?P<run_id>[^/]+)"

ROUTES = [
    ("status", StatusHandler),
    ("experiments", ExperimentsHandler),
    ("runs", RunsHandler),
    ("runs/columns", RunColumnsHandler),
    (rf"runs/{_RUN}", RunHandler),
    (rf"runs/{_RUN}/metrics/(?P<key>.+)", MetricHistoryHandler),
    (rf"runs/{_RUN}/artifacts", ArtifactsHandler),
    (rf"runs/{_RUN}/artifacts/file", ArtifactFileHandler),
    ("compare", CompareHandler),
    ("models", ModelsHandler),
    (r"models/(?P<name>[^/]+)", ModelHandler),
]


def route_table() -> list[tuple[str, type]]:
    return [(f"/{API_PREFIX}/{path}", handler) for path, handler in ROUTES]
