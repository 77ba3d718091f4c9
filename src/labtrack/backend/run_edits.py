"""Changing a run as a person does in the UI: its name, description and tags, and moving it
to the Trash and back — every input validated before anything changes.

The description is MLflow's own ``mlflow.note.content`` tag, so MLflow's UI shows it too.
Tags whose keys start with ``mlflow.`` or ``labtrack.`` are written by MLflow and labtrack
(a run's origin, its end, its lineage): people change them only through the name and
description, never directly.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Conflict, InvalidQuery, NotFound
from .facade import domain_errors
from .queries import valid_run_id
from .run_lifecycle import ACTIVE, DELETED, change_lifecycle

NOTE_TAG = "mlflow.note.content"
RESERVED_TAG_PREFIXES = ("mlflow.", "labtrack.")
# The width of MLflow's runs.name column.
MAX_RUN_NAME = 250


@dataclass
class EditedRun:
    """A run as it is after a change: its name, lifecycle stage (``active`` or ``deleted``),
    description (``mlflow.note.content``, empty when none) and every tag."""

    run_id: str
    run_name: str
    status: str
    lifecycle_stage: str
    description: str
    tags: dict[str, str]


# -- validation of what people send ---------------------------------------------------


def _mlflow_limits() -> tuple[int, int]:
    """MLflow's own key and tag-value length limits (they change between releases)."""
    from mlflow.utils import validation

    return validation.MAX_ENTITY_KEY_LENGTH, validation.MAX_TAG_VAL_LENGTH


def valid_run_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InvalidQuery("a run name must be a non-empty string")
    if len(name) > MAX_RUN_NAME:
        raise InvalidQuery(f"a run name has at most {MAX_RUN_NAME} characters, got {len(name)}")
    if any(ord(character) < 32 for character in name):
        raise InvalidQuery("a run name is one line without control characters")
    return name


def valid_description(text: object) -> str:
    if not isinstance(text, str):
        raise InvalidQuery("a description must be a string")
    limit = _mlflow_limits()[1]
    if len(text) > limit:
        raise InvalidQuery(f"a description has at most {limit} characters, got {len(text)}")
    return text


def valid_user_tag_key(key: object) -> str:
    """A tag key a person may set: MLflow's rules, minus the reserved prefixes."""
    from mlflow.exceptions import MlflowException
    from mlflow.utils.validation import _validate_tag_name

    if not isinstance(key, str) or not key.strip():
        raise InvalidQuery("a tag key must be a non-empty string")
    if key != key.strip():
        raise InvalidQuery(f"tag key {key!r} begins or ends with a space")
    if key.lower().startswith(RESERVED_TAG_PREFIXES):
        raise InvalidQuery(
            f"tag key {key!r} is reserved: keys starting with 'mlflow.' or 'labtrack.' are "
            "written by MLflow and labtrack (change the name or description instead)"
        )
    limit = _mlflow_limits()[0]
    if len(key) > limit:
        raise InvalidQuery(f"a tag key has at most {limit} characters, got {len(key)}")
    try:
        _validate_tag_name(key)
    except MlflowException as error:
        raise InvalidQuery(error.message) from None
    return key


def valid_tag_value(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidQuery("a tag value must be a string")
    limit = _mlflow_limits()[1]
    if len(value) > limit:
        raise InvalidQuery(f"a tag value has at most {limit} characters, got {len(value)}")
    return value


# -- the changes ------------------------------------------------------------------------


class RunEditor:
    """Changes one run through MLflow's client; reads it back for the answer."""

    def __init__(self, client) -> None:
        self.client = client

    def read(self, run_id: str) -> EditedRun:
        with domain_errors():
            run = self.client.get_run(run_id)
        tags = dict(run.data.tags)
        return EditedRun(
            run_id=run.info.run_id,
            run_name=run.info.run_name or "",
            status=run.info.status,
            lifecycle_stage=run.info.lifecycle_stage,
            description=tags.get(NOTE_TAG, ""),
            tags=tags,
        )

    def edit(self, run_id: str, name: str | None, description: str | None) -> EditedRun:
        """Rename and/or describe; both are checked first, and a failed description puts
        the old name back, so nothing is half-applied."""
        valid_run_id(run_id)
        if name is None and description is None:
            raise InvalidQuery("give a name, a description or both")
        if name is not None:
            name = valid_run_name(name)
        if description is not None:
            description = valid_description(description)
        run = self._active_run(run_id)
        old_name = run.info.run_name or ""
        renamed = name is not None and name != old_name
        with domain_errors():
            if renamed:
                self.client.update_run(run_id, name=name)
            try:
                if description is not None:
                    self._describe(run, description)
            except Exception:
                if renamed:
                    self.client.update_run(run_id, name=old_name)
                raise
        return self.read(run_id)

    def set_tag(self, run_id: str, key: str, value: str) -> EditedRun:
        valid_run_id(run_id)
        key, value = valid_user_tag_key(key), valid_tag_value(value)
        self._active_run(run_id)
        with domain_errors():
            self.client.set_tag(run_id, key, value)
        return self.read(run_id)

    def delete_tag(self, run_id: str, key: str) -> EditedRun:
        valid_run_id(run_id)
        key = valid_user_tag_key(key)
        run = self._active_run(run_id)
        if key not in run.data.tags:
            raise NotFound(f"run {run_id} has no tag {key!r}")
        with domain_errors():
            self.client.delete_tag(run_id, key)
        return self.read(run_id)

    def delete(self, run_id: str) -> EditedRun:
        """MLflow's soft delete: the run goes to the Trash (lifecycle stage ``deleted``)."""
        return self._move(run_id, DELETED)

    def restore(self, run_id: str) -> EditedRun:
        return self._move(run_id, ACTIVE)

    def _move(self, run_id: str, stage: str) -> EditedRun:
        outcome = change_lifecycle(self.client, [run_id], stage)
        if outcome.failed:
            failure = outcome.failed[0]
            raise (NotFound if failure.problem == "not-found" else Conflict)(failure.reason)
        return self.read(run_id)

    def _active_run(self, run_id: str):
        with domain_errors():
            run = self.client.get_run(run_id)
        if run.info.lifecycle_stage != ACTIVE:
            raise Conflict(f"run {run_id} is in the Trash: restore it before changing it")
        return run

    def _describe(self, run, description: str) -> None:
        run_id = run.info.run_id
        if description:
            self.client.set_tag(run_id, NOTE_TAG, description)
        elif NOTE_TAG in run.data.tags:
            self.client.delete_tag(run_id, NOTE_TAG)
