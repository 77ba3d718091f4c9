"""Which runs a retention policy would remove: older than an age, and nothing a registered
model version depends on.

A registered version depends on its source run (``run_id``, a ``runs:/<id>/…`` source, or
the source run of the MLflow 3 logged model it was made from) and, so that its lineage stays
readable, on that run's parent runs. Those are never in a plan, however old. When the model
registry cannot be read, no plan is made at all: unknown dependencies are not a licence to
delete.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from ..backend.errors import Conflict, InvalidQuery, NotFound
from ..backend.facade import domain_errors
from .sizes import artifact_bytes

PARENT_TAG = "mlflow.parentRunId"
PAGE = 1000
# Parents walked up from a protected run (a tree deeper than this is not a sweep).
MAX_ANCESTORS = 20
_AGE = re.compile(
    r"^(?:(?P<d>\d+(?:\.\d+)?)d)?(?:(?P<h>\d+(?:\.\d+)?)h)?(?:(?P<m>\d+(?:\.\d+)?)m)?$"
)
_RUNS_SOURCE = re.compile(r"^runs:/([0-9a-zA-Z][\w\-]*)/")
_LOGGED_MODEL_SOURCE = re.compile(r"^models:/(m-[0-9a-f]+)$")


@dataclass(frozen=True)
class ExpiredRun:
    """A run old enough to go. ``artifact_bytes`` is None when the store cannot say."""

    run_id: str
    run_name: str
    experiment_name: str
    start_time: int
    lifecycle_stage: str
    artifact_bytes: int | None


@dataclass(frozen=True)
class KeptRun:
    """An old run kept because registered versions depend on it (``name vN`` each)."""

    run_id: str
    run_name: str
    versions: tuple[str, ...]


@dataclass
class RetentionPlan:
    older_than: str
    cutoff: int  # ms since the epoch: runs started before it are old
    runs: list[ExpiredRun] = field(default_factory=list)
    kept: list[KeptRun] = field(default_factory=list)

    @property
    def artifact_bytes(self) -> int:
        return sum(run.artifact_bytes or 0 for run in self.runs)


def parse_age(text: str) -> float:
    """``90d``, ``12h``, ``1d12h``, ``30m``: the age in milliseconds (more than zero)."""
    match = _AGE.match(text.strip()) if text else None
    if not match or not any(match.groupdict().values()):
        raise InvalidQuery(f"cannot read the age {text!r}: write it like 90d, 36h or 1d12h")
    parts = {unit: float(value or 0) for unit, value in match.groupdict().items()}
    milliseconds = ((parts["d"] * 24 + parts["h"]) * 60 + parts["m"]) * 60_000
    if milliseconds <= 0:
        raise InvalidQuery("the age must be more than zero")
    return milliseconds


def plan_retention(
    client, older_than: str, experiment: str | None = None, now_ms: int | None = None
) -> RetentionPlan:
    """The runs (active or already in the Trash) started before ``now - older_than`` in
    ``experiment`` (a name) or every active experiment, less those a version depends on."""
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    plan = RetentionPlan(older_than=older_than, cutoff=int(now_ms - parse_age(older_than)))
    experiments = _experiments(client, experiment)
    if not experiments:
        return plan
    dependencies = registered_dependencies(client)
    for run in _old_runs(client, list(experiments), plan.cutoff):
        info = run.info
        if info.run_id in dependencies:
            plan.kept.append(
                KeptRun(info.run_id, info.run_name or "", tuple(dependencies[info.run_id]))
            )
            continue
        plan.runs.append(
            ExpiredRun(
                run_id=info.run_id,
                run_name=info.run_name or "",
                experiment_name=experiments[str(info.experiment_id)],
                start_time=info.start_time,
                lifecycle_stage=info.lifecycle_stage,
                artifact_bytes=artifact_bytes(info.artifact_uri),
            )
        )
    return plan


def registered_dependencies(client) -> dict[str, list[str]]:
    """Run id → the registered versions (``name vN``) that depend on it, parents included."""
    depends: dict[str, list[str]] = {}
    try:
        versions = _every_version(client)
    except Exception as error:
        raise Conflict(
            f"cannot read the model registry ({error}); nothing is planned for removal, "
            "since registered versions might depend on any run"
        ) from error
    for version in versions:
        label = f"{version.name} v{version.version}"
        for run_id in _ancestry(client, _source_run(client, version)):
            depends.setdefault(run_id, []).append(label)
    return depends


def _source_run(client, version) -> str | None:
    if version.run_id:
        return version.run_id
    source = version.source or ""
    if match := _RUNS_SOURCE.match(source):
        return match.group(1)
    if match := _LOGGED_MODEL_SOURCE.match(source):
        with domain_errors():
            return client.get_logged_model(match.group(1)).source_run_id
    return None


def _ancestry(client, run_id: str | None) -> list[str]:
    """The run and its parents, nearest first (a cycle or a missing parent ends it)."""
    chain: list[str] = []
    while run_id and run_id not in chain and len(chain) <= MAX_ANCESTORS:
        chain.append(run_id)
        try:
            run_id = client.get_run(run_id).data.tags.get(PARENT_TAG)
        except Exception:  # a purged parent: the chain ends here
            break
    return chain


def _every_version(client) -> list:
    versions, token = [], None
    while True:
        page = client.search_model_versions(max_results=PAGE, page_token=token)
        versions.extend(page)
        token = page.token
        if not token:
            return versions


def _experiments(client, name: str | None) -> dict[str, str]:
    """Experiment id → name: the one named, or every active experiment."""
    with domain_errors():
        if name is not None:
            found = client.get_experiment_by_name(name)
            if found is None:
                raise NotFound(f"no experiment named {name!r}")
            return {str(found.experiment_id): found.name}
        experiments, token = {}, None
        while True:
            page = client.search_experiments(max_results=PAGE, page_token=token)
            experiments.update({str(e.experiment_id): e.name for e in page})
            token = page.token
            if not token:
                return experiments


def _old_runs(client, experiment_ids: list[str], cutoff: int):
    from mlflow.entities import ViewType

    token = None
    with domain_errors():
        while True:
            page = client.search_runs(
                experiment_ids,
                filter_string=f"attributes.start_time < {cutoff}",
                run_view_type=ViewType.ALL,
                order_by=["attributes.start_time ASC"],
                max_results=PAGE,
                page_token=token,
            )
            yield from page
            token = page.token
            if not token:
                return
