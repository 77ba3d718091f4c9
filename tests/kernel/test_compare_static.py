"""Static export of the comparison widget: HTML composed in the kernel, shown without one."""

from __future__ import annotations

import json
import re

import pytest
from mlflow.entities import Metric, Param

import labtrack
from labtrack.widgets.static_export import PNG_HINT

HOSTILE = "<script>alert('run')</script>"


@pytest.fixture(scope="module")
def runs(shell):
    import mlflow

    client = mlflow.MlflowClient()
    experiment = client.create_experiment("static-tests")
    ids = []
    for index in range(4):
        name = HOSTILE if index == 0 else f"trial-{index}"
        run_id = client.create_run(experiment, run_name=name).info.run_id
        client.log_batch(
            run_id,
            metrics=[Metric("loss", 1 / (index + 1) + s / 10, 0, s) for s in range(5)],
            params=[Param("opt", "<b>adam</b>" if index % 2 else "sgd"), Param("seed", "7")],
        )
        client.set_terminated(run_id)
        ids.append(run_id)
    return ids


def figure_specs(document: str) -> list[dict]:
    """The figures plotly.io.to_html put in the page (Plotly.newPlot(id, data, layout…))."""
    specs = []
    for match in re.finditer(r'Plotly\.newPlot\(\s*"[^"]+",\s*(\[.*?\]),\s*(\{.*?\}),', document):
        specs.append({"data": json.loads(match.group(1))})
    return specs


def test_to_html_writes_a_standalone_document_with_the_parallel_coordinates(runs, tmp_path):
    widget = labtrack.compare(runs)
    target = tmp_path / "compare.html"
    document = widget.to_html(target)
    assert target.read_text(encoding="utf-8") == document
    assert document.startswith("<!DOCTYPE html>")
    specs = figure_specs(document)
    parcoords = specs[0]["data"][0]
    assert parcoords["type"] == "parcoords"
    assert all(len(d["values"]) == 4 for d in parcoords["dimensions"])
    assert specs[1]["data"][0]["type"] == "scattergl"  # the curves of loss


def test_hostile_run_names_and_params_are_escaped(runs):
    widget = labtrack.compare(runs)
    widget.only_differences = False
    document = widget.to_html(include_plotlyjs=False)
    assert HOSTILE not in document
    assert "<b>adam</b>" not in document
    assert "&lt;script&gt;alert(&#x27;run&#x27;)&lt;/script&gt;" in document
    assert "&lt;b&gt;adam&lt;/b&gt;" in document


def test_only_differences_hides_equal_params_in_the_export(runs):
    widget = labtrack.compare(runs)
    assert ">seed<" not in widget.to_html(include_plotlyjs=False)
    widget.only_differences = False
    assert ">seed<" in widget.to_html(include_plotlyjs=False)


def test_figures_drawn_by_the_view_are_exported_as_drawn(runs):
    widget = labtrack.compare(runs)
    drawn = {
        "data": [{"type": "parcoords", "dimensions": [{"label": "x", "values": [1, 2]}]}],
        "layout": {"paper_bgcolor": "#111111", "font": {"color": "#eeeeee"}},
    }
    widget.figures = {"parallel": drawn}  # as the browser view sends it
    document = widget.to_html(include_plotlyjs=False)
    assert figure_specs(document)[0]["data"][0]["dimensions"][0]["label"] == "x"
    assert "background:#111111" in document


def test_track_compare_static_is_an_html_output(shell, runs):
    output = shell.run_line_magic("track", f"compare {' '.join(runs)} --static")
    bundle = output._repr_html_()
    assert "data-labtrack-static" in bundle and "parcoords" in bundle
    assert "cdn.plot.ly" in bundle  # small: plotly.js from the CDN


def test_to_png_without_kaleido_says_how_to_get_it(runs, tmp_path):
    pytest.importorskip("plotly")
    try:
        import kaleido  # noqa: F401

        pytest.skip("kaleido is installed")
    except ImportError:
        pass
    with pytest.raises(RuntimeError, match="pip install kaleido") as raised:
        labtrack.compare(runs).to_png(tmp_path / "x.png")
    assert str(raised.value) == PNG_HINT
