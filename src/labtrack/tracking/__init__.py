"""The life of a tracked cell's runs: starting them (or adopting the runs the user's own
MLflow code opens), capturing where they came from (cell source, notebook, git,
environment, hardware), and ending each one truthfully (FINISHED, FAILED with the
traceback, KILLED on interrupt).

No IPython here: the magic in ``labtrack.kernel`` hands over the cell's origin and its
outcome. Metric points go through ``labtrack.metrics``; a server that is away sends the
run to ``labtrack.offline``.
"""
