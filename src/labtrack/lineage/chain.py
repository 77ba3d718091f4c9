"""A run's lineage: dataset digests -> run (notebook, cell, commit, environment) ->
logged models -> registered model versions and their aliases."""

from __future__ import annotations

import json

from .. import tags as T
from .recording import recorded_datasets


def lineage_lines(client, run) -> list[str]:
    """The chain as text lines, most upstream first."""
    tags = run.data.tags
    run_id = run.info.run_id
    lines = ["datasets"]
    datasets = recorded_datasets(run)
    profiles = {e.dataset.name: e.dataset.profile for e in run.inputs.dataset_inputs or []}
    for name, digest, path in datasets:
        lines.append(f"  {name}  md5 {digest}{_profile_note(profiles.get(name))}")
        if path:
            lines.append(f"      {path}")
    if not datasets:
        lines.append("  (none recorded)")
    lines.append(f"  -> run {run.info.run_name} ({run_id}) {run.info.status}")
    notebook = tags.get(T.NOTEBOOK_PATH)
    cell = tags.get(T.CELL_ID)
    count = tags.get(T.EXECUTION_COUNT)
    where = notebook or "(no notebook recorded)"
    if cell:
        where += f"  cell {cell}"
    if count:
        where += f"  [{count}]"
    lines.append(f"      notebook {where}")
    if T.GIT_COMMIT in tags:
        dirty = " (uncommitted changes)" if tags.get(T.GIT_DIRTY) == "true" else ""
        branch = f" on {tags[T.GIT_BRANCH]}" if T.GIT_BRANCH in tags else ""
        lines.append(f"      git {tags[T.GIT_COMMIT][:10]}{branch}{dirty}")
    else:
        lines.append("      git (not in a repository)")
    environment = f"python {tags.get(T.PYTHON_VERSION, '?')}"
    if T.SEED in tags:
        environment += f", seed {tags[T.SEED]}"
    lines.append(f"      environment {environment}, packages in {T.REQUIREMENTS_ARTIFACT}")
    models = _logged_models(client, run)
    for model in models:
        lines.append(f"  -> logged model {model.name} ({model.model_id})")
    if not models:
        lines.append("  -> (no logged model)")
    for version in _versions(client, run_id):
        aliases = ", ".join(f"@{alias}" for alias in sorted(version.aliases or []))
        stage = version.current_stage
        extra = [part for part in (aliases, stage if stage and stage != "None" else "") if part]
        suffix = f"  {' '.join(extra)}" if extra else ""
        lines.append(f"      -> registered {version.name} v{version.version}{suffix}")
    return lines


def _profile_note(profile: str | None) -> str:
    try:
        fields = json.loads(profile) if profile else {}
    except ValueError:
        return ""
    notes = []
    if "rows" in fields:
        notes.append(f"{fields['rows']} rows")
    if "size" in fields:
        notes.append(f"{fields['size']} bytes")
    if "dvc_md5" in fields:
        state = "matches" if fields.get("dvc_matches") else "differs from"
        remote = f", remote {fields['dvc_remote']}" if fields.get("dvc_remote") else ""
        notes.append(f"{state} its .dvc pointer{remote}")
    return f"  ({', '.join(notes)})" if notes else ""


def _logged_models(client, run) -> list:
    try:
        return list(
            client.search_logged_models(
                experiment_ids=[run.info.experiment_id],
                filter_string=f"source_run_id = '{run.info.run_id}'",
            )
        )
    except Exception:  # a backend without logged models (MLflow < 3 server)
        return []


def _versions(client, run_id: str) -> list:
    try:
        versions = client.search_model_versions(f"run_id='{run_id}'")
    except Exception:  # no registry at this backend
        return []
    from mlflow.exceptions import MlflowException

    # Search results leave aliases out; one read per version brings them.
    complete = []
    for version in versions:
        try:
            complete.append(client.get_model_version(version.name, version.version))
        except MlflowException:  # deleted meanwhile: what the search said stands
            complete.append(version)
    return sorted(complete, key=lambda v: (v.name, int(v.version)))
