"""Who carries labtrack's widget bundle: the loader in every widget, the bundle itself only
where no server page has it, and then with one widget only."""

from __future__ import annotations

import pytest

from labtrack.widgets import base
from labtrack.widgets.base import LabtrackWidget, _PushOnce
from labtrack.widgets.bundle import (
    PAGE_BUNDLE_ENV,
    bundle_bytes,
    bundle_hash,
    hashed_file_name,
    served_bundle_hash,
)


@pytest.fixture
def fresh_kernel(monkeypatch):
    """A kernel that has pushed nothing yet, started outside any Jupyter server."""
    monkeypatch.setattr(base, "PUSH", _PushOnce())
    monkeypatch.delenv(PAGE_BUNDLE_ENV, raising=False)
    return monkeypatch


def test_a_widget_sends_the_small_loader_and_the_hash_of_its_bundle(fresh_kernel):
    fresh_kernel.setenv(PAGE_BUNDLE_ENV, bundle_hash())
    widget = LabtrackWidget()
    assert widget._esm.startswith("// labtrack's widget loader")
    assert len(widget._esm) < 10_000
    assert widget._labtrack_bundle == bundle_hash()
    assert widget._labtrack_bundle_inline == b""


def test_without_a_page_that_serves_it_the_first_widget_carries_the_bundle(fresh_kernel):
    first, second = LabtrackWidget(), LabtrackWidget()
    assert first._labtrack_bundle_inline == bundle_bytes()
    assert second._labtrack_bundle_inline == b""


def test_a_server_serving_another_labtrack_version_does_not_count(fresh_kernel):
    fresh_kernel.setenv(PAGE_BUNDLE_ENV, "0" * 16)
    assert LabtrackWidget()._labtrack_bundle_inline == bundle_bytes()


def test_the_kernel_answers_a_request_for_the_bundle(fresh_kernel):
    fresh_kernel.setenv(PAGE_BUNDLE_ENV, bundle_hash())
    response, buffers = LabtrackWidget()._labtrack_bundle_request({}, [])
    assert response == {"hash": bundle_hash()}
    assert buffers == [bundle_bytes()]


def test_the_server_announces_only_a_bundle_its_lab_extension_has(tmp_path):
    assert served_bundle_hash([tmp_path]) is None
    static = tmp_path / "labtrack" / "static"
    static.mkdir(parents=True)
    (static / hashed_file_name("0" * 16)).write_text("another version")
    assert served_bundle_hash([tmp_path]) is None
    (static / hashed_file_name(bundle_hash())).write_bytes(bundle_bytes())
    assert served_bundle_hash([tmp_path / "nowhere", tmp_path]) == bundle_hash()
