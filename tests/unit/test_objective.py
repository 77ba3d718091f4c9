"""The objective rules of backend/objective.py, on the cases the TypeScript twin shares."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from labtrack.backend.objective import is_timing, lower_is_better, objective_metric

CASES = json.loads(
    (Path(__file__).resolve().parents[1] / "fixtures" / "objective_cases.json").read_text()
)


@pytest.mark.parametrize(("key", "expected"), sorted(CASES["lower_is_better"].items()))
def test_which_way_is_better(key, expected):
    assert lower_is_better(key) is expected


@pytest.mark.parametrize(("key", "expected"), sorted(CASES["timing"].items()))
def test_timing_metrics_are_recognised(key, expected):
    assert is_timing(key) is expected


@pytest.mark.parametrize("case", CASES["objective"], ids=lambda case: case["why"])
def test_the_objective_is_what_a_user_would_pick(case):
    assert objective_metric(case["coverage"], case["runs"]) == case["expect"]
