"""The images of a run: MLflow 3's stepped images (``mlflow.log_image(image, key=…,
step=…)``) and image artifacts, indexed so a viewer can move through them without
loading them.

How MLflow 3.17 stores a stepped image (``MlflowClient.log_image``): two artifacts under
``images/``, ``{key}+step+{step}+timestamp+{ms}+{uuid}.png`` (the image as logged) and
``…+{uuid}+compressed.webp`` (a copy fitting in 256 × 256 px), with ``/`` in the key
written as ``~``, and the run tagged ``mlflow.loggedImages``. Earlier 3.x releases wrote
``%`` between the fields and ``#`` for ``/``; both are read.

The index is built from the names alone (one listing of ``images/``, however many images),
so a run with 1,000 images answers with their keys, steps and timestamps, and its images
are fetched a page at a time through the artifact route. Image artifacts elsewhere in the
run (``log_image(image, "plots/roc.png")``, ``log_figure``) are found by a bounded walk of
the artifact tree and listed as one group, ``FILES``.
"""

from __future__ import annotations

import bisect
import os
import posixpath
import re
from dataclasses import dataclass

from .artifact_paths import resolve_inside
from .artifacts import local_root
from .errors import InvalidQuery, NotFound
from .shapes import MediaIndex, MediaItem, MediaKey, MediaPage

IMAGES_DIR = "images"
FILES = "files"  # the kind of the group of image artifacts
STEPPED = "stepped"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp")
# The walk for image artifacts stops after this many directory entries (a model's folder
# of thousands of files must not make the Media section slow).
WALK_ENTRIES = 2_000
MAX_PAGE = 200
_STEPPED_NAME = re.compile(
    r"^(?P<key>.+?)[+%]step[+%](?P<step>-?\d+)[+%]timestamp[+%](?P<timestamp>\d+)"
    r"[+%](?P<uuid>[^+%/]+?)(?P<compressed>[+%]compressed)?\.(?P<ext>png|webp|jpe?g|gif)$"
)


@dataclass(frozen=True)
class SteppedName:
    key: str
    step: int
    timestamp: int
    uuid: str
    compressed: bool


def parse_stepped_name(name: str) -> SteppedName | None:
    """What an ``images/`` file name says; None for any other name."""
    match = _STEPPED_NAME.match(name)
    if match is None:
        return None
    key = match["key"].replace("~", "/").replace("#", "/")
    return SteppedName(
        key, int(match["step"]), int(match["timestamp"]), match["uuid"], bool(match["compressed"])
    )


@dataclass
class _Entry:
    step: int | None
    timestamp: int | None
    path: str | None = None
    thumbnail: str | None = None


@dataclass
class RunMedia:
    """Every image group of a run: key → entries in step order."""

    groups: dict[tuple[str, str], list[_Entry]]
    truncated: bool

    def index(self, run_id: str) -> MediaIndex:
        keys = [
            MediaKey(
                key=key,
                kind=kind,
                count=len(entries),
                steps=[e.step for e in entries] if kind == STEPPED else [],
                timestamps=[e.timestamp for e in entries] if kind == STEPPED else [],
            )
            for (kind, key), entries in self.groups.items()
        ]
        return MediaIndex(run_id=run_id, keys=keys, truncated=self.truncated)

    def page(
        self, run_id: str, kind: str, key: str, offset: int, limit: int, step: int | None
    ) -> MediaPage:
        entries = self.groups.get((kind, key))
        if entries is None:
            raise NotFound(f"run {run_id} has no images under {key!r}")
        if step is not None and kind == STEPPED:
            offset = nearest_index([e.step for e in entries], step)
        offset = max(0, min(offset, max(0, len(entries) - 1)))
        items = [
            MediaItem(
                index=offset + i,
                step=e.step,
                timestamp=e.timestamp,
                path=e.path or e.thumbnail or "",
                thumbnail_path=e.thumbnail,
            )
            for i, e in enumerate(entries[offset : offset + limit])
        ]
        return MediaPage(
            run_id=run_id, kind=kind, key=key, offset=offset, total=len(entries), items=items
        )


def nearest_index(steps: list, step: int) -> int:
    """Index of the logged step nearest ``step`` in ascending ``steps`` (the lower one on a
    tie, the first image of that step)."""
    if not steps:
        return 0
    at = bisect.bisect_left(steps, step)
    if at == len(steps):
        return len(steps) - 1
    if steps[at] == step or at == 0:
        return at
    before = steps[at - 1]
    if step - before <= steps[at] - step:
        return bisect.bisect_left(steps, before)
    return at


def valid_page(
    offset: str | None, limit: str | None, step: str | None
) -> tuple[int, int, int | None]:
    def integer(raw: str | None, name: str, default: int | None, low: int, high: int):
        if raw in (None, ""):
            return default
        try:
            value = int(raw)
        except ValueError:
            raise InvalidQuery(f"{name} must be an integer, got {raw!r}") from None
        if not low <= value <= high:
            raise InvalidQuery(f"{name} must be between {low} and {high}, got {value}")
        return value

    return (
        integer(offset, "offset", 0, 0, 2**31),
        integer(limit, "limit", 24, 1, MAX_PAGE),
        integer(step, "step", None, -(2**63), 2**63 - 1),
    )


def read_run_media(artifact_uri: str, tracking_uri: str | None = None) -> RunMedia:
    """The run's image groups, from artifact names only."""
    lister = _Lister(artifact_uri, tracking_uri)
    stepped: dict[str, dict[str, _Entry]] = {}
    for name, _is_dir in lister.list(IMAGES_DIR):
        parsed = parse_stepped_name(name)
        if parsed is None:
            continue
        entry = stepped.setdefault(parsed.key, {}).setdefault(
            parsed.uuid, _Entry(parsed.step, parsed.timestamp)
        )
        path = f"{IMAGES_DIR}/{name}"
        if parsed.compressed:
            entry.thumbnail = path
        else:
            entry.path = path
    groups: dict[tuple[str, str], list[_Entry]] = {}
    for key in sorted(stepped):
        entries = sorted(stepped[key].values(), key=lambda e: (e.step, e.timestamp))
        groups[(STEPPED, key)] = entries
    files, truncated = _image_artifacts(lister)
    if files:
        groups[(FILES, "image artifacts")] = [_Entry(None, None, path) for path in files]
    return RunMedia(groups, truncated)


def _image_artifacts(lister: _Lister) -> tuple[list[str], bool]:
    """Image files outside ``images/``, breadth first, at most WALK_ENTRIES entries seen."""
    found: list[str] = []
    pending = [""]
    seen = 0
    while pending:
        folder = pending.pop(0)
        for name, is_dir in lister.list(folder):
            seen += 1
            if seen > WALK_ENTRIES:
                return sorted(found), True
            path = f"{folder}/{name}" if folder else name
            if is_dir:
                if path not in (IMAGES_DIR, "labtrack"):
                    pending.append(path)
            elif name.lower().endswith(IMAGE_SUFFIXES):
                found.append(path)
    return sorted(found), False


class _Lister:
    """Names in one artifact folder: read from disk for local stores (resolved inside the
    run's root, so no symlink leads out), else through MLflow's artifact repository."""

    def __init__(self, artifact_uri: str, tracking_uri: str | None) -> None:
        self._root = local_root(artifact_uri)
        self._uri = artifact_uri
        self._tracking_uri = tracking_uri
        self._repository = None

    def list(self, folder: str) -> list[tuple[str, bool]]:
        if self._root is not None:
            return self._list_local(folder)
        if self._repository is None:
            from mlflow.store.artifact.artifact_repository_registry import (
                get_artifact_repository,
            )

            self._repository = get_artifact_repository(self._uri, tracking_uri=self._tracking_uri)
        entries = self._repository.list_artifacts(folder or None)
        return [(posixpath.basename(e.path.rstrip("/")), e.is_dir) for e in entries]

    def _list_local(self, folder: str) -> list[tuple[str, bool]]:
        assert self._root is not None
        if not self._root.exists():
            return []
        try:
            target = resolve_inside(self._root, folder) if folder else self._root.resolve()
            with os.scandir(target) as children:
                listed = []
                for child in children:
                    try:
                        is_dir = child.is_dir(follow_symlinks=False)
                        regular = child.is_file(follow_symlinks=False)
                    except OSError:
                        continue
                    if is_dir or regular:  # symlinks, pipes and devices are not media
                        listed.append((child.name, is_dir))
                return listed
        except (FileNotFoundError, NotADirectoryError, InvalidQuery):
            return []
