"""Names of the tags and artifacts labtrack records on a run.

MLflow's own system tags are used where one exists, so the MLflow UI and other
clients understand them; everything else lives under ``labtrack.``.
"""

# MLflow's own
SOURCE_NAME = "mlflow.source.name"
SOURCE_TYPE = "mlflow.source.type"
SOURCE_TYPE_NOTEBOOK = "NOTEBOOK"
GIT_COMMIT = "mlflow.source.git.commit"
GIT_BRANCH = "mlflow.source.git.branch"
GIT_REPO_URL = "mlflow.source.git.repoURL"
PARENT_RUN_ID = "mlflow.parentRunId"
RUN_NAME = "mlflow.runName"

# labtrack's
NOTEBOOK_PATH = "labtrack.notebook.path"
CELL_ID = "labtrack.cell.id"
EXECUTION_COUNT = "labtrack.cell.execution_count"
MAGIC_LINE = "labtrack.magic"
GIT_DIRTY = "labtrack.git.dirty"
PYTHON_VERSION = "labtrack.python.version"
ERROR = "labtrack.error"
END_REASON = "labtrack.end_reason"
KERNEL_ID = "labtrack.kernel.id"
KERNEL_HOST = "labtrack.kernel.host"
KERNEL_PID = "labtrack.kernel.pid"
KERNEL_STARTED = "labtrack.kernel.started"
HEARTBEAT = "labtrack.heartbeat"
# labtrack.dataset.<name>.md5 / .path / .rows / .digest (DataFrames)
DATASET_PREFIX = "labtrack.dataset."
SEED = "labtrack.seed"
# "true" when the saved notebook stored with the run does not hold the tracked cell as it
# ran (unsaved edits): the kernel's input history is then the truthful record.
NOTEBOOK_OLDER_THAN_CELL = "labtrack.notebook.older_than_cell"
# A run tracked in a `labtrack run` job: the job's -p parameters (JSON) and its id.
RUN_PARAMETERS = "labtrack.run.parameters"
RUN_JOB = "labtrack.run.job"

# Artifacts, relative to the run's artifact root
CELL_SOURCE_ARTIFACT = "labtrack/cell.py"
REQUIREMENTS_ARTIFACT = "labtrack/requirements.txt"
GIT_PATCH_ARTIFACT = "labtrack/git.patch"
TRACEBACK_ARTIFACT = "labtrack/traceback.txt"
NOTEBOOK_ARTIFACT = "labtrack/notebook.ipynb"
# Every cell the kernel ran before (and including) the tracked one, in order.
HISTORY_ARTIFACT = "labtrack/history.py"
# The notebook as `labtrack run` executed it, outputs included.
EXECUTED_NOTEBOOK_ARTIFACT = "labtrack/executed.ipynb"

# MLflow's longest values, kept here for the code that reads them beside tag names.
from .limits import MAX_PARAM_VALUE, MAX_TAG_VALUE  # noqa: E402,F401
