"""The lineage of registered versions, as the ``%track models`` widget shows it.

For each source run: its name, the notebook it ran in, the git commit, and the digests of
the datasets it logged (read from the run's tags and dataset inputs, as in run details).
"""

from __future__ import annotations

from .. import tags as T
from ..backend.errors import TrackingQueryError


def run_lineage(facade, run_id: str) -> dict:
    """One run's lineage: run_id, run_name, notebook, commit, dirty, datasets (name, digest)."""
    try:
        detail = facade.run_detail(run_id)
    except TrackingQueryError as error:
        return {"run_id": run_id, "error": str(error)}
    tags = detail.tags
    return {
        "run_id": run_id,
        "run_name": detail.info.run_name,
        "notebook": tags.get(T.NOTEBOOK_PATH),
        "commit": tags.get(T.GIT_COMMIT),
        "dirty": tags.get(T.GIT_DIRTY) == "true",
        "datasets": [{"name": d.name, "digest": d.digest} for d in detail.datasets],
    }


def versions_lineage(facade, versions) -> dict[str, dict]:
    """The lineage of each distinct source run of ``versions`` (ModelVersionView), by run id."""
    found: dict[str, dict] = {}
    for version in versions:
        if version.run_id and version.run_id not in found:
            found[version.run_id] = run_lineage(facade, version.run_id)
    return found
