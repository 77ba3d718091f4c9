"""Read a DVC pointer file (``data.csv.dvc`` beside ``data.csv``) without DVC.

A pointer is YAML: ``outs: [{md5: …, size: …, hash: md5, path: data.csv, remote: …}]``;
a folder's md5 ends in ``.dir``. Only what labtrack records is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DvcPointer:
    file: Path
    md5: str | None
    remote: str | None
    hash_name: str | None  # "md5" for DVC 3, absent for DVC 2 (md5-dos2unix)


def pointer_path(data: Path) -> Path:
    """Where DVC keeps the pointer of ``data``: ``<name>.dvc`` in the same folder."""
    return data.parent / f"{data.name}.dvc"


def read_pointer(data: Path) -> DvcPointer | None:
    """The pointer's entry for ``data``, or None without a readable pointer."""
    file = pointer_path(data)
    if not file.is_file():
        return None
    import yaml

    try:
        document = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    outs = document.get("outs") if isinstance(document, dict) else None
    if not isinstance(outs, list):
        return None
    entries = [entry for entry in outs if isinstance(entry, dict)]
    # A pointer names its output relative to itself; take the one naming our data.
    chosen = next(
        (e for e in entries if str(e.get("path", "")).rstrip("/") == data.name),
        entries[0] if len(entries) == 1 else None,
    )
    if chosen is None:
        return None
    return DvcPointer(
        file=file,
        md5=_text(chosen.get("md5")),
        remote=_text(chosen.get("remote")),
        hash_name=_text(chosen.get("hash")),
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)
