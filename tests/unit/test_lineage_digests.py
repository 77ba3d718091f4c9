"""Given data on disk, when labtrack digests it, then the MD5 is the one DVC records."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from labtrack.lineage import digests
from labtrack.lineage.datasets import DatasetError, count_rows, describe_path
from labtrack.lineage.dvc_pointer import read_pointer
from labtrack.lineage.hash_cache import HashCache

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lineage"


@pytest.fixture
def cache(tmp_path):
    cache = HashCache(tmp_path / "cache" / "hash-cache.sqlite")
    yield cache
    cache.close()


@pytest.fixture
def data(tmp_path):
    """A copy of the fixture data, free to change."""
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES, folder)
    return folder


def _md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def test_a_file_digest_is_the_md5_of_its_bytes_and_matches_its_dvc_pointer(data, cache):
    record = describe_path(data / "data.csv", cache=cache)
    assert record.md5 == _md5(data / "data.csv")
    assert record.sha256 == hashlib.sha256((data / "data.csv").read_bytes()).hexdigest()
    assert record.md5 == "480cd1679dbb1729865e6b8f617b62cc"  # written in data.csv.dvc
    assert (record.dvc_md5, record.dvc_remote, record.dvc_matches) == (record.md5, "team-s3", True)
    assert record.size == 27
    assert record.rows == 3  # header excluded, the quoted newline is one row


def test_a_folder_digest_is_dvcs_dir_digest_and_matches_its_pointer(data, cache):
    folder = data / "images"
    # Built by hand the way dvc-data's Tree does: sorted by relpath, sort_keys JSON.
    entries = sorted(
        (
            {"md5": _md5(path), "relpath": path.relative_to(folder).as_posix()}
            for path in folder.rglob("*")
            if path.is_file()
        ),
        key=lambda entry: entry["relpath"],
    )
    expected = hashlib.md5(json.dumps(entries, sort_keys=True).encode()).hexdigest() + ".dir"
    record = describe_path(folder, cache=cache)
    assert record.md5 == expected
    assert record.md5 == "1933c833dc05b2a3efce8d89ceab5c5c.dir"  # written in images.dvc
    assert record.dvc_matches is True and record.dvc_remote is None
    assert (record.files, record.size, record.rows) == (3, 15, None)


def test_a_changed_file_changes_the_file_and_folder_digests(data, cache):
    before_file = describe_path(data / "data.csv", cache=cache).md5
    before_folder = describe_path(data / "images", cache=cache).md5
    (data / "data.csv").write_text("x,y\n1,2\n")
    (data / "images" / "sub" / "b.txt").write_bytes(b"dog\n")  # only the line ending
    after = describe_path(data / "data.csv", cache=cache)
    assert after.md5 != before_file and after.rows == 1
    assert after.dvc_matches is False  # the pointer still names the old contents
    assert describe_path(data / "images", cache=cache).md5 != before_folder


def test_dvc_folders_inside_a_dataset_are_not_part_of_its_digest(data, cache):
    before = describe_path(data / "images", cache=cache).md5
    (data / "images" / ".git").mkdir()
    (data / "images" / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    assert describe_path(data / "images", cache=cache).md5 == before


def test_an_unchanged_1gb_file_is_hashed_once(tmp_path, cache, monkeypatch):
    big = tmp_path / "big.bin"
    with open(big, "wb") as handle:
        os.truncate(handle.fileno(), 2**30)  # sparse: no gigabyte written to disk
    calls = []
    real = digests.hash_file_contents

    def counting(path, deadline=None):
        calls.append(path)
        return real(path, deadline)

    monkeypatch.setattr("labtrack.lineage.hash_cache.hash_file_contents", counting)
    first = describe_path(big, cache=cache)
    second = describe_path(big, cache=cache)
    # A new connection to the same cache file: the cache outlives the kernel.
    reopened = HashCache(cache.database)
    third = describe_path(big, cache=reopened)
    reopened.close()
    assert len(calls) == 1
    assert first == second == third and first.size == 2**30


def test_a_touched_file_is_hashed_again(tmp_path, cache, monkeypatch):
    small = tmp_path / "small.csv"
    small.write_text("a\n1\n")
    calls = []
    real = digests.hash_file_contents
    monkeypatch.setattr(
        "labtrack.lineage.hash_cache.hash_file_contents",
        lambda path, deadline=None: calls.append(path) or real(path, deadline),
    )
    describe_path(small, cache=cache)
    os.utime(small, ns=(0, 0))  # same bytes, new mtime: the cache cannot know
    describe_path(small, cache=cache)
    assert len(calls) == 2


def test_a_missing_path_is_one_clear_error(tmp_path, cache):
    with pytest.raises(DatasetError, match="no such file or folder"):
        describe_path(tmp_path / "nope.csv", cache=cache)


def test_rows_are_counted_for_tsv_and_parquet(tmp_path):
    (tmp_path / "t.tsv").write_text("a\tb\n1\t2\n")
    assert count_rows(tmp_path / "t.tsv") == 1
    assert count_rows(tmp_path / "t.bin") is None
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"a": list(range(7))}), tmp_path / "t.parquet")
    assert count_rows(tmp_path / "t.parquet") == 7


def test_a_pointer_without_our_entry_is_ignored(tmp_path):
    (tmp_path / "x.csv").write_text("a\n")
    (tmp_path / "x.csv.dvc").write_text("outs:\n- md5: abc\n  path: y.csv\n- md5: d\n  path: z\n")
    assert read_pointer(tmp_path / "x.csv") is None
    (tmp_path / "x.csv.dvc").write_text(": not yaml [")
    assert read_pointer(tmp_path / "x.csv") is None
