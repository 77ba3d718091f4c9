"""System metrics of a tracked cell: MLflow's own monitor, sampled once for the cell.

While a tracked cell runs, one sampler (a ``SystemMetricsMonitor`` of MLflow's, with its
collectors and labtrack's, ``runtime/system_collectors.py``) measures the machine every
``interval`` seconds and logs the figures, under MLflow's ``system/…`` names, to every
*top-level* run of the cell that is open at that moment. Why these runs, and one sampler:

- The machine is one: two runs open at once (threads, or a run the code opened beside
  the cell's own) would get the same figures from two samplers, at twice the cost. One
  sampler measures once and writes the figures to each open run.
- Child runs (trials, folds) share their parent's machine and time: their parent holds
  the figures, as MLflow's UI shows them for the run a person opens first. A top-level
  run the code opens in a loop gets the samples taken while it is open.
- A run MLflow already monitors itself (``start_run(log_system_metrics=True)`` or
  ``mlflow.enable_system_metrics_logging()``) is left to MLflow, so no run gets two
  series of the same keys.

The points are logged with ``MlflowClient.log_batch``, which the cell's metric capture
buffers like any other point of its runs: they reach the store in the sink's batched
writes (or its journal while the server is away), never in a write of their own.

MLflow's loop publishes the sample taken at the *start* of each interval (a first CPU
figure of 0, and figures one interval late) and checks its run with a ``get_run`` per
sample. This one primes the collectors, publishes each interval's figures at its end,
knows which runs are open from the cell itself, and takes a last sample when the cell
ends (so a cell shorter than the interval still gets its figures).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

DEFAULT_INTERVAL_S = 5.0
MIN_INTERVAL_S = 0.5
# A last sample when the cell ends, unless the previous one is more recent than this.
FINAL_SAMPLE_AFTER_S = 1.0
PREFIX = "system/"


def _monitor_class():
    from mlflow.system_metrics.system_metrics_monitor import SystemMetricsMonitor

    from ..runtime.system_collectors import DiskIOMonitor, ProcessMemoryMonitor, gpu_collector

    class CellSystemMonitor(SystemMetricsMonitor):
        """MLflow's monitor with labtrack's collectors, publishing to the cell's runs."""

        def __init__(self, interval: float, publish: Callable[[dict], None], uri: str) -> None:
            super().__init__(run_id=None, sampling_interval=interval, tracking_uri=uri)
            # labtrack's option decides (MLflow's environment variable would override it).
            self.sampling_interval = interval
            self.samples_before_logging = 1
            self.monitors += [ProcessMemoryMonitor(), DiskIOMonitor()]
            self._publish = publish

        def _initialize_gpu_monitor(self):
            return gpu_collector()

        def sample(self) -> dict[str, float]:
            """Collect once and return the figures (``system/…`` names), cleared after."""
            self.collect_metrics()
            figures = self.aggregate_metrics()
            for monitor in self.monitors:
                monitor.clear_metrics()
            prefix = self._metrics_prefix + (self.node_id + "/" if self.node_id else "")
            return {prefix + key: float(value) for key, value in figures.items()}

        def monitor(self) -> None:
            """Sample every interval until told to stop, then once more unless the last
            sample is recent. Everything happens on this thread: psutil measures CPU %
            between two calls *of the same thread*, so the first call primes it."""
            self.sample()
            last = time.monotonic()
            while True:
                stopped = self._shutdown_event.wait(self.sampling_interval)
                if stopped and time.monotonic() - last < FINAL_SAMPLE_AFTER_S:
                    return
                self._publish(self.sample())
                last = time.monotonic()
                if stopped:
                    return

    return CellSystemMonitor


class CellSystemMetrics:
    """The sampler of one tracked cell; ``runs()`` names the runs open now."""

    def __init__(self, interval: float, runs: Callable[[], list[str]], tracking_uri: str):
        self.interval = max(MIN_INTERVAL_S, float(interval))
        self._runs = runs
        self._tracking_uri = tracking_uri
        self._client = None
        self._steps: dict[str, int] = {}
        self._lock = threading.Lock()
        self._monitor = None
        self.samples = 0
        self.errors: list[str] = []

    def start(self) -> CellSystemMetrics:
        """Start sampling on a thread of its own (not MLflow's ``start``, which logs a line
        at INFO level on every cell)."""
        try:
            monitor = _monitor_class()(self.interval, self._publish, self._tracking_uri)
        except Exception as error:  # no psutil reading here: the cell runs without them
            self._note(f"cannot sample system metrics: {type(error).__name__}: {error}")
            return self
        thread = threading.Thread(target=self._run, args=(monitor,), daemon=True)
        thread.name = "labtrack-system-metrics"
        monitor._process = thread
        self._monitor = monitor
        thread.start()
        return self

    def _run(self, monitor) -> None:
        try:
            monitor.monitor()
        except Exception as error:  # a collector that broke: no more samples, no crash
            self._note(f"system metrics stopped: {type(error).__name__}: {error}")

    def finish(self) -> None:
        """Stop sampling; the runs still open get a last sample (before they end)."""
        monitor, self._monitor = self._monitor, None
        if monitor is None:
            return
        monitor._shutdown_event.set()
        monitor._process.join(timeout=max(5.0, 2 * self.interval))

    def _publish(self, figures: dict[str, float]) -> None:
        """Log one sample to every open top-level run MLflow does not monitor itself."""
        from mlflow.entities import Metric
        from mlflow.tracking import fluent

        if not figures:
            return
        timestamp = int(time.time() * 1000)
        monitored_by_mlflow = getattr(fluent, "run_id_to_system_metrics_monitor", {})
        for run_id in self._runs():
            if run_id in monitored_by_mlflow:
                continue
            with self._lock:
                step = self._steps.get(run_id, 0)
                self._steps[run_id] = step + 1
            metrics = [Metric(key, value, timestamp, step) for key, value in figures.items()]
            try:
                self._mlflow_client().log_batch(run_id, metrics=metrics, synchronous=True)
            except Exception as error:  # a run deleted meanwhile: the others go on
                self._note(f"system metrics of run {run_id}: {type(error).__name__}: {error}")
        self.samples += 1

    def _mlflow_client(self):
        if self._client is None:
            import mlflow

            self._client = mlflow.MlflowClient(self._tracking_uri)
        return self._client

    def _note(self, error: str) -> None:
        if len(self.errors) < 10:
            self.errors.append(error)


def is_system_metric(key: str) -> bool:
    return key.startswith(PREFIX)
