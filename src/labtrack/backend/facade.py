"""The tracking façade: everything the UI reads, answered fast and with domain errors.

SQL stores are read by :class:`SqlReader` (only the asked columns); REST stores, and
anything the fast path cannot serve, by :class:`ClientReader`. Both give the same
answers; a test compares them on the same store.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator

from .. import tags as T
from .artifact_paths import clean_artifact_path
from .artifacts import DEFAULT_ARTIFACT_PAGE, ArtifactFile, list_artifacts, open_artifact
from .at_step import SYSTEM_TAG_PREFIXES, at_step_columns
from .client_reader import ClientReader
from .errors import (
    AccessDenied,
    BackendUnavailable,
    Conflict,
    InvalidQuery,
    NotFound,
    translate_mlflow_error,
)
from .health import probe
from .location import BackendKind, BackendLocation
from .media import RunMedia, read_run_media
from .queries import (
    MetricSeries,
    RunPage,
    RunQuery,
    RunRow,
    finite_or_none,
    run_attributes,
    token_text,
    valid_run_id,
)
from .shapes import (
    ArtifactListing,
    CompareAtStep,
    CompareMatrix,
    CompareMetricColumn,
    CompareParamColumn,
    CompareRun,
    DatasetView,
    ExperimentPage,
    ExperimentView,
    LoggedModelView,
    MediaIndex,
    MediaPage,
    RegisteredVersionLink,
    RunColumns,
    RunDetail,
    RunInfoView,
    RunLink,
)
from .store import prepare_backend

log = logging.getLogger(__name__)

SQL_KINDS = (BackendKind.EMBEDDED, BackendKind.SQLITE, BackendKind.POSTGRESQL, BackendKind.MYSQL)
# How long a "the backend answers" verdict is trusted before asking again.
PROBE_TTL_SECONDS = 5.0


class TrackingFacade:
    def __init__(self, location: BackendLocation) -> None:
        from mlflow import MlflowClient

        # MLflow's client migrates a new SQLite store as it opens it; a kernel may be
        # creating the same store right now, and two migrations at once corrupt it. The
        # cross-process lock of prepare_backend makes one process create it, first.
        prepare_backend(location)
        self.location = location
        self.client = MlflowClient(
            tracking_uri=location.tracking_uri, registry_uri=location.registry_uri
        )
        self._fallback = ClientReader(location.tracking_uri)
        self._fast = None
        self._fast_lock = threading.Lock()
        self._probe_at = 0.0
        self._probe_ok = True
        self._probe_error: str | None = None
        self._probe_unauthorized = False

    def close(self) -> None:
        if self._fast is not None:
            self._fast.close()

    # -- the two read paths ----------------------------------------------------------

    def _fast_reader(self):
        if self.location.kind not in SQL_KINDS:
            return None
        with self._fast_lock:
            if self._fast is None:
                from .sql_reader import SqlReader

                self._fast = SqlReader(self.location.tracking_uri)
            return self._fast

    def _read(self, operation: str, *args):
        """Run ``operation`` on the fast reader, falling back to MLflow's client."""
        self.require_reachable()
        with domain_errors():
            fast = self._fast_reader()  # connects to the database: errors map to 503
            if fast is not None:
                try:
                    return getattr(fast, operation)(*args)
                except (AttributeError, ImportError, TypeError, NotImplementedError) as error:
                    # MLflow's internals moved under us: stay correct, only slower.
                    log.warning("labtrack fast path %s unavailable: %s", operation, error)
            return getattr(self._fallback, operation)(*args)

    def require_reachable(self) -> None:
        if self.location.kind is not BackendKind.REST:
            return
        now = time.monotonic()
        if now - self._probe_at > PROBE_TTL_SECONDS:
            result = probe(self.location)
            self._probe_ok, self._probe_at = result.reachable, now
            self._probe_error = result.error
            self._probe_unauthorized = result.unauthorized
        if not self._probe_ok and self._probe_unauthorized:
            raise AccessDenied(self._probe_error or "the tracking server refused labtrack")
        if not self._probe_ok:
            raise BackendUnavailable(
                f"tracking server {self.location.display_uri()} is unreachable: {self._probe_error}"
            )

    # -- experiments -----------------------------------------------------------------

    def experiments(self, name: str, page_size: int, page_token: str | None) -> ExperimentPage:
        self.require_reachable()
        if "'" in name or '"' in name:
            raise InvalidQuery("experiment name search may not contain quotes")
        filter_string = f"name ILIKE '%{name}%'" if name else None
        with domain_errors():
            page = self.client.search_experiments(
                filter_string=filter_string,
                max_results=page_size,
                page_token=page_token,
                order_by=["name ASC"],
            )
        return ExperimentPage(
            experiments=[
                ExperimentView(
                    experiment_id=e.experiment_id,
                    name=e.name,
                    artifact_location=e.artifact_location,
                    lifecycle_stage=e.lifecycle_stage,
                    creation_time=e.creation_time,
                    last_update_time=e.last_update_time,
                    tags=dict(e.tags),
                )
                for e in page
            ],
            next_page_token=token_text(page.token),
        )

    def require_experiments(self, experiment_ids: tuple[str, ...]) -> None:
        with domain_errors():
            for experiment_id in experiment_ids:
                self.client.get_experiment(experiment_id)

    # -- runs ------------------------------------------------------------------------

    def search_runs(self, query: RunQuery) -> RunPage:
        self.require_reachable()
        self.require_experiments(query.experiment_ids)
        return self._read("search_runs", query)

    def run_columns(self, experiment_ids: tuple[str, ...]) -> RunColumns:
        self.require_reachable()
        self.require_experiments(experiment_ids)
        return self._read("run_columns", experiment_ids)

    def run_table(self, query: RunQuery, max_results: int):
        """Every param, latest metric and tag of up to ``max_results`` runs (a DataFrame's
        worth; see ``run_table.py``)."""
        self.require_reachable()
        self.require_experiments(query.experiment_ids)
        return self._read("run_table", query, max_results)

    def runs_by_id(self, run_ids: list[str], query: RunQuery) -> list[RunRow]:
        return self._read("runs_by_id", run_ids, query)

    def run_detail(self, run_id: str) -> RunDetail:
        valid_run_id(run_id)
        self.require_reachable()
        with domain_errors():
            run = self.client.get_run(run_id)
        info, data = run.info, run.data
        children = self._read(
            "search_runs",
            RunQuery(
                experiment_ids=(info.experiment_id,),
                filter_string=f"tags.`{T.PARENT_RUN_ID}` = '{run_id}'",
                page_size=1000,
            ),
        ).runs
        return RunDetail(
            info=RunInfoView(**run_attributes(info), artifact_uri=info.artifact_uri),
            params=dict(data.params),
            metrics={key: finite_or_none(value) for key, value in data.metrics.items()},
            tags=dict(data.tags),
            datasets=[_dataset(entry) for entry in (run.inputs.dataset_inputs or [])],
            parent_run_id=data.tags.get(T.PARENT_RUN_ID),
            children=[RunLink(c.run_id, c.run_name, c.status) for c in children],
            logged_models=self._logged_models(info.experiment_id, run_id),
            registered_versions=self._registered_versions(run_id),
        )

    def _registered_versions(self, run_id: str) -> list[RegisteredVersionLink]:
        try:
            found = self.client.search_model_versions(f"run_id = '{run_id}'")
            # Search results leave aliases out; one read per version brings them.
            versions = [self.client.get_model_version(v.name, v.version) for v in found]
        except Exception:  # no model registry at this backend: the chain ends at the model
            return []
        return sorted(
            (
                RegisteredVersionLink(
                    v.name, str(v.version), v.current_stage or "None", sorted(v.aliases or [])
                )
                for v in versions
            ),
            key=lambda link: (link.name, int(link.version)),
        )

    def _logged_models(self, experiment_id: str, run_id: str) -> list[LoggedModelView]:
        with domain_errors():
            models = self.client.search_logged_models(
                experiment_ids=[experiment_id], filter_string=f"source_run_id = '{run_id}'"
            )
        return [
            LoggedModelView(m.model_id, m.name, m.artifact_location, m.creation_timestamp)
            for m in models
        ]

    def _artifact_uri(self, run_id: str) -> str:
        valid_run_id(run_id)
        self.require_reachable()
        with domain_errors():
            return self.client.get_run(run_id).info.artifact_uri

    def artifact_listing(
        self,
        run_id: str,
        raw_path: str | None,
        page_size: int = DEFAULT_ARTIFACT_PAGE,
        page_token: str | None = None,
    ) -> ArtifactListing:
        path = clean_artifact_path(raw_path)
        uri = self.location.tracking_uri
        entries, token = list_artifacts(
            self._artifact_uri(run_id), path, uri, page_size, page_token
        )
        return ArtifactListing(run_id=run_id, path=path, entries=entries, next_page_token=token)

    def artifact_file(self, run_id: str, raw_path: str | None) -> ArtifactFile:
        path = clean_artifact_path(raw_path)
        return open_artifact(self._artifact_uri(run_id), path, self.location.tracking_uri)

    def metric_history(
        self, run_id: str, key: str, max_points: int, after_step: int | None
    ) -> MetricSeries:
        valid_run_id(run_id)
        return self._read("metric_history", run_id, key, max_points, after_step)

    def compare(self, run_ids: list[str]) -> CompareMatrix:
        for run_id in run_ids:
            valid_run_id(run_id)
        keys = self._read("column_keys", run_ids)
        tags = [key for key in keys.get("tags", []) if not key.startswith(SYSTEM_TAG_PREFIXES)]
        query = RunQuery(
            experiment_ids=(),
            params=tuple(keys["params"]),
            metrics=tuple(keys["metrics"]),
            tags=tuple(tags),
        )
        rows = self.runs_by_id(run_ids, query)
        missing = sorted(set(run_ids) - {row.run_id for row in rows})
        if missing:
            raise NotFound(f"no run with id {missing[0]}")
        return CompareMatrix(
            runs=[CompareRun(r.run_id, r.run_name, r.experiment_id, r.status) for r in rows],
            params=[
                CompareParamColumn(key, [r.params.get(key) for r in rows]) for key in keys["params"]
            ],
            metrics=[
                CompareMetricColumn(key, [r.metrics.get(key) for r in rows])
                for key in keys["metrics"]
            ],
            tags=[CompareParamColumn(key, [r.tags.get(key) for r in rows]) for key in tags],
        )

    def values_at_step(self, run_ids: list[str], step: int, keys: list[str]) -> CompareAtStep:
        """Each metric's value at the logged step nearest ``step``, per run (``keys``: the
        metrics; all of theirs when empty)."""
        for run_id in run_ids:
            valid_run_id(run_id)
        if not keys:
            keys = self._read("column_keys", run_ids)["metrics"]
        found = self._read("values_near_step", run_ids, keys, step)
        return at_step_columns(run_ids, keys, step, found)

    def media_index(self, run_id: str) -> MediaIndex:
        return self._run_media(run_id).index(run_id)

    def media_page(
        self, run_id: str, kind: str, key: str, offset: int, limit: int, step: int | None
    ) -> MediaPage:
        return self._run_media(run_id).page(run_id, kind, key, offset, limit, step)

    def _run_media(self, run_id: str) -> RunMedia:
        uri = self._artifact_uri(run_id)
        with domain_errors():
            return read_run_media(uri, self.location.tracking_uri)


def _dataset(entry) -> DatasetView:
    dataset = entry.dataset
    return DatasetView(
        name=dataset.name,
        digest=dataset.digest,
        source_type=dataset.source_type,
        source=dataset.source,
        schema=dataset.schema,
        profile=dataset.profile,
        tags={tag.key: tag.value for tag in (entry.tags or [])},
    )


@contextlib.contextmanager
def domain_errors() -> Iterator[None]:
    """Turn MLflow and connection failures into the façade's domain errors."""
    try:
        yield
    except (InvalidQuery, NotFound, Conflict, BackendUnavailable, AccessDenied):
        raise
    except Exception as error:
        translated = translate_mlflow_error(error)
        if translated is None and _is_connection_failure(error):
            translated = BackendUnavailable(f"tracking backend unreachable: {error}")
        if translated is None:
            raise
        raise translated from error


def _is_connection_failure(error: BaseException) -> bool:
    names = {cls.__name__ for cls in type(error).__mro__}
    return bool(names & {"ConnectionError", "OperationalError", "Timeout", "MaxRetryError"})
