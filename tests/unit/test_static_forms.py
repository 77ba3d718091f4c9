"""The static forms of labtrack's widgets: script-free, escaped, and small however long the
runs (the README's budget: 200 KB of static output per tracked cell)."""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import unquote

import numpy as np

from labtrack.live.channel import LiveChannel
from labtrack.widgets.static_form import (
    BUDGET_BYTES,
    MIME,
    WIDGET_VIEW,
    StaticForm,
    live_plot_form,
    output_bundle,
)
from labtrack.widgets.static_tables import compare_form, registry_form, runs_table_form
from labtrack.widgets.svg_chart import Series, data_uri, line_chart

ROOT = "a" * 32
EVIL = "<img src=x onerror=alert(1)>&'\""
SVG_URI = re.compile(r'src="(data:image/svg\+xml,[^"]*)"')


def plot(channel: LiveChannel, **traits) -> SimpleNamespace:
    base = dict(
        run_id=ROOT,
        run_name="churn-gbm",
        experiment_name="quickstart",
        status="FINISHED",
        start_time_ms=1_700_000_000_000,
        end_time_ms=1_700_000_005_500,
        runs={ROOT: {"name": "churn-gbm", "status": "FINISHED", "parent": None}},
        steps_total=None,
        steps_done=None,
        x_axis="step",
        sweep={},
        channel=channel,
    )
    return SimpleNamespace(**{**base, **traits})


def curve(steps: int, scale: float = 1.0):
    return [(float(s), 1.7e12 + s, scale * math.exp(-s / (steps / 5))) for s in range(steps)]


class Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_script_free(html: str) -> None:
    """No script, no event handler, no javascript: URL, in the HTML or in its SVG images."""
    documents = [html, *(unquote(uri) for uri in SVG_URI.findall(html))]
    for document in documents:
        markup = Markup()
        markup.feed(document)
        for tag, attrs in markup.tags:
            assert tag not in ("script", "iframe", "object", "embed"), tag
            assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
            assert not any("javascript:" in (v or "").lower() for v in attrs.values())


def test_a_finished_live_plot_shows_its_card_charts_and_final_values():
    channel = LiveChannel()
    channel.add(ROOT, "train_loss", curve(120))
    channel.add(ROOT, "valid_loss", curve(120, 2.0))
    channel.add(ROOT, "roc_auc", [(0.0, 1.7e12, 0.91)])
    form = live_plot_form(plot(channel))
    assert form.view == "live_plot"
    assert "churn-gbm" in form.html and "FINISHED" in form.html and "quickstart" in form.html
    assert "5.5 s" in form.html  # the run's duration, as the card shows it
    charts = SVG_URI.findall(form.html)
    assert len(charts) == 2  # a chart per curve, each an SVG image
    assert "train_loss chart" in form.html and "roc_auc chart" not in form.html
    assert ">roc_auc</td>" in form.html
    assert "0.91" in form.html
    assert "RUNNING" not in form.html + form.text
    assert form.text.startswith(f"labtrack run churn-gbm ({ROOT}) in experiment 'quickstart'")
    assert "FINISHED after 5.5 s" in form.text
    assert_script_free(form.html)


def test_a_100k_step_run_with_many_metrics_and_child_runs_stays_within_the_budget():
    channel = LiveChannel()
    runs = {ROOT: {"name": "sweep", "status": "FINISHED", "parent": None}}
    for key in [f"metric_{i}" for i in range(20)]:
        channel.add(ROOT, key, curve(100_000))
    for child in range(30):
        run_id = f"{child:032x}"
        runs[run_id] = {"name": f"trial-{child}", "status": "FINISHED", "parent": ROOT}
        for key in ("metric_0", "metric_1"):
            channel.add(run_id, key, curve(5_000, 1 + child / 10))
    form = live_plot_form(plot(channel, runs=runs))
    size = len(form.html.encode()) + len(form.text.encode())
    assert size <= BUDGET_BYTES, size
    assert "100000" in form.html  # the points logged, not the points drawn
    assert "8 more curves are not drawn" in form.html
    assert_script_free(form.html)


def test_non_finite_values_leave_gaps_and_labels_are_escaped():
    xs = np.arange(6, dtype=float)
    ys = np.array([1.0, 2.0, math.nan, 3.0, math.inf, 4.0])
    svg = line_chart([Series(EVIL, xs, ys), Series("b", xs, ys * 2)])
    paths = re.findall(r"class='lt-s0' d='([^']*)'", svg)
    assert paths[0].count("M") == 1  # (0,1)-(1,2); 3 and 5 are lone points
    assert svg.count("<circle class='lt-s0'") == 2
    assert "<img" not in svg and "&lt;img" in svg
    assert unquote(data_uri(svg).removeprefix("data:image/svg+xml,")) == svg


def test_the_output_names_the_widget_for_labtraks_renderer_and_keeps_the_view_when_asked():
    form = StaticForm("compare", "<div>x</div>", "labtrack comparison of 2 runs")
    view = {"version_major": 2, "version_minor": 1, "model_id": "m1"}
    kept = output_bundle(form, view, with_view=True)
    assert kept[WIDGET_VIEW] == view and kept[MIME] == {"view": "compare", "widget": view}
    assert kept["text/html"] == "<div>x</div>"
    dropped = output_bundle(form, view, with_view=False)
    assert WIDGET_VIEW not in dropped and dropped[MIME]["widget"] == view


def test_a_comparison_of_10k_runs_is_drawn_and_listed_in_part_within_the_budget():
    n = 10_000
    rng = np.random.default_rng(1)
    runs = [{"run_id": f"{i:032x}", "run_name": f"run-{i}", "status": "FINISHED"} for i in range(n)]
    params = [
        {"key": "optimizer", "values": [("adam", "sgd", None)[i % 3] for i in range(n)]},
        {"key": "lr", "values": [str(10 ** -(i % 4)) for i in range(n)]},
        {"key": "same", "values": ["1"] * n},
    ]
    metrics = {f"m{k}": rng.random(n) for k in range(15)}
    curves = {runs[i]["run_id"]: (np.arange(1000.0), rng.random(1000)) for i in range(50)}
    form = compare_form(
        runs=runs,
        params=params,
        metrics=metrics,
        selected=[runs[9_999]["run_id"]],
        color_metric="m0",
        curves=curves,
        curve_metric="m0",
    )
    assert len(form.html.encode()) <= BUDGET_BYTES, len(form.html)
    assert len(SVG_URI.findall(form.html)) == 2  # parallel coordinates and curves
    assert form.html.index("run-9999") < form.html.index("run-0<")  # the selected run first
    assert "200 of 10000 runs are drawn" in form.html
    assert "1 param with the same value in every run not shown" in form.html
    assert_script_free(form.html)


def test_the_runs_table_and_the_registry_escape_what_the_store_says():
    columns = ["run_id", "tags.mlflow.runName", "status", "metrics.auc", "params.note"]
    rows = [[f"{i:032x}", EVIL, "FAILED", 0.5, EVIL] for i in range(120)]
    table = runs_table_form(columns, rows)
    assert "&lt;img" in table.html and "<img src=x" not in table.html
    assert "50 of 120 runs" in table.html
    detail = {
        "name": EVIL,
        "versions": [{"version": "1", "stage": "Production", "aliases": ["champion"],
                      "status": "READY", "run_id": ROOT, "approvers": ["ann"]}],
        "approvals": {"required": 2, "protected": ["champion"]},
    }  # fmt: skip
    audit = [{"timestamp": 1_700_000_000_000, "user": "ann", "action": "alias",
              "version": "1", "alias": "champion", "stage": None, "reason": EVIL}]  # fmt: skip
    registry = registry_form([EVIL, "churn"], EVIL, detail, audit, "")
    assert "@champion" in registry.html and "1 of 2" in registry.html
    for form in (table, registry):
        assert "<img src=x" not in form.html
        assert_script_free(form.html)


def test_system_metrics_are_a_collapsed_section_of_their_own_not_metric_charts():
    channel = LiveChannel()
    channel.add(ROOT, "loss", curve(50))
    samples = [(float(s), 1.7e12 + 5000 * s, 40.0 + s) for s in range(6)]
    channel.add(ROOT, "system/cpu_utilization_percentage", samples)
    channel.add(ROOT, "system/system_memory_usage_megabytes", [(0.0, 1.7e12, 5234.0)] * 2)
    channel.add(ROOT, "system/gpu_0_utilization_percentage", [(0.0, 1.7e12, 87.0)] * 2)
    form = live_plot_form(plot(channel))
    before, system = form.html.split("<details class='lt-static-system'", 1)
    assert "system/" not in before  # neither a chart nor a row of the final values
    assert len(SVG_URI.findall(before)) == 1
    assert "CPU 45% · memory 5.2 GB · GPU 0 87%" in system
    assert len(SVG_URI.findall(system)) == 3  # CPU, memory, GPU utilisation
    assert "open" not in system.split(">", 1)[0]  # collapsed, as the widget's row
    assert_script_free(form.html)


def test_the_newest_images_are_kept_as_data_images_with_their_key_and_step():
    channel = LiveChannel()
    channel.add(ROOT, "loss", curve(10))
    webp = b"RIFF\x10\x00\x00\x00WEBPVP8 " + bytes(8)
    images = {EVIL: {"run": ROOT, "step": 7, "timestamp": 1, "mime": "text/html", "data": webp}}
    form = live_plot_form(plot(channel, images=images))
    assert 'src="data:image/webp;base64,' in form.html  # never another type than an image's
    assert "step 7" in form.html and "&lt;img src=x" in form.html
    assert_script_free(form.html)
