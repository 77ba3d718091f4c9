"""``%track compare``'s grouped curves, values at a step and image grid, in a real shell."""

from __future__ import annotations

import numpy as np
import pytest
from mlflow.entities import Metric, Param, RunTag


@pytest.fixture(scope="module")
def runs(shell):
    import mlflow

    client = mlflow.MlflowClient()
    experiment = client.create_experiment("compare-groups")
    ids = []
    for index in range(4):
        run_id = client.create_run(experiment, run_name=f"g-{index}").info.run_id
        points = [
            Metric("loss", 1.0 - s / 10 + index, 1_700_000_000_000 + 500 * s, s) for s in (0, 4, 8)
        ]
        client.log_batch(
            run_id, metrics=points, params=[Param("lr", ("0.1", "0.01")[index % 2])],
            tags=[RunTag("seed", str(index))],
        )  # fmt: skip
        if index < 3:
            for step in (0, 6 if index == 2 else 5):
                client.log_image(
                    run_id, np.full((4, 4), 40 * step, np.uint8), key="pred", step=step
                )
        client.set_terminated(run_id)
        ids.append(run_id)
    return ids


def test_the_widget_carries_tags_times_values_at_a_step_and_one_image_per_run(shell, runs):
    widget = shell.run_line_magic("track", f"compare {' '.join(runs)}")
    # Tags travel like params (grouping by a tag), each curve with its times
    assert widget.tag_keys == ["seed"] and widget.tag_categories == [["0", "1", "2", "3"]]
    times = np.frombuffer(widget.curve_times, dtype="<f4")
    assert list(times[:3]) == [0.0, 2.0, 4.0] and widget.curve_runs[0]["t0"] == 1_700_000_000_000
    # Values at step 5 are the nearest logged ones (4), per run
    widget.at_step = 5
    assert widget.at_step_values["steps"] == [{"key": "loss", "values": [4, 4, 4, 4]}]
    assert widget.at_step_values["metrics"][0]["values"] == pytest.approx([0.6, 1.6, 2.6, 3.6])
    # The image grid: the key, the steps any run logged, each run's nearest image
    assert widget.media_keys == ["pred"] and widget.media_steps == [0, 5, 6]
    assert [cell["step"] for cell in widget.media_cells] == [5, 5, 6, None]
    widget.media_step = 0
    assert [cell["step"] for cell in widget.media_cells] == [0, 0, 0, None]
    assert widget.media_cells[0]["data"][:4] == b"RIFF" and widget.media_cells[3]["data"] == b""
    # Grouping reads the curves of more runs (still all four here)
    widget.curve_group_by = "params.lr"
    assert len(widget.curve_runs) == 4
