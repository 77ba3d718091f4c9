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
from .media import CompareAtStepHandler, MediaHandler, MediaItemsHandler
from .offline import OfflineHandler, OfflineSyncHandler
from .registry import (
    AliasHandler,
    ApprovalsHandler,
    AuditHandler,
    RollbackHandler,
    StageHandler,
    VersionsHandler,
)
from .run_writes import (
    DeleteRunsHandler,
    EditableRunHandler,
    RestoreRunHandler,
    RestoreRunsHandler,
    RunFamiliesHandler,
    RunTagHandler,
)
from .runs import (
    CompareHandler,
    MetricHistoryHandler,
    RunColumnsHandler,
    RunsHandler,
)

API_PREFIX = "labtrack/api"
_RUN = r"(?P<run_id>[^/]+)"
_MODEL = r"models/(?P<name>[^/]+)"
_VERSION = r"(?P<version>[^/]+)"

ROUTES = [
    ("status", StatusHandler),
    ("experiments", ExperimentsHandler),
    ("runs", RunsHandler),
    ("runs/columns", RunColumnsHandler),
    ("runs/families", RunFamiliesHandler),
    ("runs/delete", DeleteRunsHandler),
    ("runs/restore", RestoreRunsHandler),
    (rf"runs/{_RUN}", EditableRunHandler),
    (rf"runs/{_RUN}/restore", RestoreRunHandler),
    (rf"runs/{_RUN}/tags/(?P<key>.+)", RunTagHandler),
    (rf"runs/{_RUN}/metrics/(?P<key>.+)", MetricHistoryHandler),
    (rf"runs/{_RUN}/artifacts", ArtifactsHandler),
    (rf"runs/{_RUN}/artifacts/file", ArtifactFileHandler),
    (rf"runs/{_RUN}/media", MediaHandler),
    (rf"runs/{_RUN}/media/items", MediaItemsHandler),
    ("compare", CompareHandler),
    ("compare/at-step", CompareAtStepHandler),
    ("models", ModelsHandler),
    (_MODEL, ModelHandler),
    (rf"{_MODEL}/versions", VersionsHandler),
    (rf"{_MODEL}/versions/{_VERSION}/stage", StageHandler),
    (rf"{_MODEL}/versions/{_VERSION}/approvals", ApprovalsHandler),
    (rf"{_MODEL}/aliases/(?P<alias>[^/]+)", AliasHandler),
    (rf"{_MODEL}/rollback", RollbackHandler),
    (rf"{_MODEL}/audit", AuditHandler),
    ("offline", OfflineHandler),
    ("offline/sync", OfflineSyncHandler),
]


def route_table() -> list[tuple[str, type]]:
    return [(f"/{API_PREFIX}/{path}", handler) for path, handler in ROUTES]
