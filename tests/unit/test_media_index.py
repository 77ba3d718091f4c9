"""A run's image index from artifact names (``backend/media.py``)."""

from __future__ import annotations

import pytest

from labtrack.backend.media import nearest_index, parse_stepped_name, read_run_media


def test_mlflow_3_17_names_and_the_earlier_percent_names_are_read():
    new = parse_stepped_name("val~samples+step+12+timestamp+1700000000123+a1-b2+compressed.webp")
    assert (new.key, new.step, new.timestamp, new.compressed) == (
        "val/samples",
        12,
        1700000000123,
        True,
    )
    old = parse_stepped_name("val#samples%step%3%timestamp%1700000000000%g1e2f.png")
    assert (old.key, old.step, old.compressed) == ("val/samples", 3, False)
    assert parse_stepped_name("confusion_matrix.png") is None


@pytest.mark.parametrize(
    ("step", "index"), [(-5, 0), (0, 0), (4, 1), (5, 1), (6, 2), (7, 2), (99, 3)]
)
def test_the_nearest_logged_step_wins_the_lower_on_a_tie(step, index):
    assert nearest_index([0, 4, 6, 10], step) == index


def test_a_run_of_a_thousand_images_is_indexed_from_names_and_read_a_page_at_a_time(tmp_path):
    images = tmp_path / "images"
    images.mkdir()
    for step in range(1000):
        stem = f"pred+step+{step}+timestamp+{1_700_000_000_000 + step}+u{step}"
        (images / f"{stem}.png").write_bytes(b"png")
        (images / f"{stem}+compressed.webp").write_bytes(b"webp")
    (tmp_path / "plots").mkdir()
    (tmp_path / "plots" / "roc.png").write_bytes(b"png")
    media = read_run_media(tmp_path.as_uri())
    index = media.index("r")
    stepped = index.keys[0]
    assert (stepped.key, stepped.count, stepped.steps[:3]) == ("pred", 1000, [0, 1, 2])
    assert [(k.kind, k.count) for k in index.keys[1:]] == [("files", 1)]
    page = media.page("r", "stepped", "pred", 990, 24, None)
    assert (page.total, len(page.items), page.items[0].step) == (1000, 10, 990)
    assert (
        page.items[0].thumbnail_path
        == "images/pred+step+990+timestamp+1700000000990+u990+compressed.webp"
    )
    assert media.page("r", "stepped", "pred", 0, 1, 500).items[0].step == 500
