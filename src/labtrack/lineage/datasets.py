"""What labtrack records about a dataset: digests, size, rows, and its DVC pointer."""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from .digests import dir_md5, dir_sha256, folder_files
from .dvc_pointer import read_pointer
from .hash_cache import HashCache, shared_cache

TABULAR_TEXT = {".csv": ",", ".tsv": "\t"}


@dataclass(frozen=True)
class DatasetRecord:
    name: str
    path: str  # absolute
    md5: str  # DVC-compatible; a folder's ends in ".dir"
    sha256: str
    size: int
    rows: int | None = None
    files: int | None = None  # folders only
    dvc_md5: str | None = None
    dvc_remote: str | None = None
    dvc_pointer: str | None = None

    @property
    def dvc_matches(self) -> bool | None:
        """Whether the data is what its DVC pointer says (None without a pointer)."""
        return None if self.dvc_md5 is None else self.dvc_md5 == self.md5

    def profile(self) -> dict[str, object]:
        """What the data is, not where: MLflow shares one dataset (and profile) among
        the runs that log the same name and digest, whatever their paths."""
        fields = {key: value for key, value in asdict(self).items() if value is not None}
        for where in ("name", "path", "dvc_pointer"):
            fields.pop(where, None)
        if self.dvc_matches is not None:
            fields["dvc_matches"] = self.dvc_matches
        return fields

    def profile_json(self) -> str:
        return json.dumps(self.profile(), sort_keys=True)


class DatasetError(Exception):
    """The dataset cannot be read; the message is meant for the user."""


def describe_path(
    path: str | Path,
    name: str | None = None,
    cache: HashCache | None = None,
    deadline: float | None = None,
    rows: bool = True,
) -> DatasetRecord:
    """Digest a file or folder (through the hash cache) and read its DVC pointer.
    ``deadline`` (``time.monotonic()``) bounds the hashing; ``rows=False`` skips counting."""
    cache = cache or shared_cache()
    data = Path(path).expanduser().absolute()
    if not data.exists():
        raise DatasetError(f"no such file or folder: {path}")
    try:
        if data.is_dir():
            record = _describe_folder(data, cache, deadline)
        else:
            digest = cache.digest(data, deadline)
            record = dict(
                md5=digest.md5,
                sha256=digest.sha256,
                size=digest.size,
                rows=cache.rows(data, count_rows) if rows else None,
            )
    except OSError as error:
        raise DatasetError(f"cannot read {path}: {error.strerror or error}") from None
    pointer = read_pointer(data)
    return DatasetRecord(
        name=name or data.name,
        path=str(data),
        **record,
        dvc_md5=pointer.md5 if pointer else None,
        dvc_remote=pointer.remote if pointer else None,
        dvc_pointer=str(pointer.file) if pointer else None,
    )


def _describe_folder(folder: Path, cache: HashCache, deadline: float | None) -> dict[str, object]:
    md5s, sha256s, size = [], [], 0
    files = folder_files(folder)
    for relpath, file in files:
        digest = cache.digest(file, deadline)
        md5s.append((relpath, digest.md5))
        sha256s.append((relpath, digest.sha256))
        size += digest.size
    return dict(md5=dir_md5(md5s), sha256=dir_sha256(sha256s), size=size, files=len(files))


def count_rows(path: Path) -> int | None:
    """Data rows of a CSV/TSV (header excluded, quoted newlines honoured) or a
    Parquet file (when pyarrow is installed); None for anything else."""
    suffix = path.suffix.lower()
    if suffix in TABULAR_TEXT:
        with open(path, newline="", encoding="utf-8", errors="replace") as handle:
            reader = csv.reader(handle, delimiter=TABULAR_TEXT[suffix])
            rows = sum(1 for _ in reader)
        return max(rows - 1, 0)
    if suffix in (".parquet", ".pq"):
        try:
            import pyarrow.parquet as pq
        except ImportError:
            return None
        return int(pq.ParquetFile(path).metadata.num_rows)
    return None
