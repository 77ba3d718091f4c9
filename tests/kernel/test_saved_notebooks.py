"""A notebook executed without a front end (nbclient, as papermill and `nbconvert
--execute` run it) and saved: a tracked cell's output keeps a static form of its plot
whose size does not grow with the run's length."""

from __future__ import annotations

import json

import nbformat
from nbclient import NotebookClient
from real_kernels import kernel_env

from labtrack.widgets.static_form import BUDGET_BYTES
from labtrack.widgets.static_form import MIME as STATIC_MIME

LONG_RUN = """\
%%track --name long-run
import math, labtrack
for step in range(100_000):
    labtrack.log_metrics({"loss": math.exp(-step / 20_000) + 0.01 * math.sin(step / 50),
                          "accuracy": 1 - math.exp(-step / 30_000)}, step=step)
"""


def test_a_100k_step_run_saves_a_static_form_within_the_budget(tmp_path):
    # Given a notebook whose tracked cell logs 100,000 steps of two metrics
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    notebook.cells = [
        nbformat.v4.new_code_cell("%load_ext labtrack"),
        nbformat.v4.new_code_cell(LONG_RUN),
    ]
    # When nbclient executes it (storing widget state, as it does by default) and it is saved
    NotebookClient(notebook, timeout=600, kernel_name="python3").execute(
        env=kernel_env(tmp_path / "home")
    )
    path = tmp_path / "long.ipynb"
    nbformat.write(notebook, path)
    # Then the tracked cell's static output shows both charts and all 100,000 points counted
    (output,) = [o for o in notebook.cells[1].outputs if STATIC_MIME in o.get("data", {})]
    html = output["data"]["text/html"]
    assert "alt='loss chart'" in html and "alt='accuracy chart'" in html
    assert "100000" in html and "FINISHED" in html
    # And it is within the budget stated in the README, as is the notebook apart from the
    # widget state (the widgets' script bundle; not this output's concern)
    static = len(json.dumps(output))
    whole = path.stat().st_size
    widget_state = len(json.dumps(notebook.metadata.get("widgets", {})))
    print(f"static output {static} B; notebook {whole} B, widget state {widget_state} B")
    assert static <= BUDGET_BYTES
    assert whole - widget_state <= BUDGET_BYTES + 30_000
