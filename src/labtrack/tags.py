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
# A run tracked in a `labtrack run` job: the job's -p parameters (JSON) and its id.
RUN_PARAMETERS = "labtrack.run.parameters"
RUN_JOB = "labtrack.run.job"

# Artifacts, relative to the run's artifact root
ARTIFACT_DIR = "labtrack"
CELL_SOURCE_ARTIFACT = "labtrack/cell.py"
REQUIREMENTS_ARTIFACT = "labtrack/requirements.txt"
GIT_PATCH_ARTIFACT = "labtrack/git.patch"
TRACEBACK_ARTIFACT = "labtrack/traceback.txt"
NOTEBOOK_ARTIFACT = "labtrack/notebook.ipynb"
# The notebook as `labtrack run` executed it, outputs included.
EXECUTED_NOTEBOOK_ARTIFACT = "labtrack/executed.ipynb"

# Longest tag value MLflow accepts.
MAX_TAG_VALUE = 5000
MAX_PARAM_VALUE = 6000
