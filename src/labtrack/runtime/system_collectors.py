"""What a tracked cell's system metrics measure, beside MLflow's own collectors.

MLflow's system-metrics monitor (``mlflow.system_metrics``) measures CPU utilisation and
system memory (``CPUMonitor``), disk space (``DiskMonitor``), network traffic since it
started (``NetworkMonitor``) and every NVIDIA GPU NVML reports (``GPUMonitor``). A
notebook also wants the kernel's own memory, the disk traffic, and only the GPUs its
process can use. These collectors add them in MLflow's shape (``BaseMetricsMonitor``:
``collect_metrics`` appends samples, ``aggregate_metrics`` averages them) and with names
in MLflow's style, so MLflow's UI shows them beside its own under ``system/``:

- ``process_memory_usage_megabytes``: resident memory of the kernel and its children
  (data-loader workers);
- ``disk_read_megabytes``, ``disk_write_megabytes``: read and written since the cell
  started (as MLflow counts the network);
- ``gpu_{i}_…``: MLflow's GPU figures for the GPUs ``CUDA_VISIBLE_DEVICES`` lets the
  process see, numbered as CUDA numbers them (``gpu_0`` is ``cuda:0``).
"""

from __future__ import annotations

import os

import psutil
from mlflow.system_metrics.metrics.base_metrics_monitor import BaseMetricsMonitor
from mlflow.system_metrics.metrics.gpu_monitor import GPUMonitor

MEGABYTE = 1e6


class ProcessMemoryMonitor(BaseMetricsMonitor):
    """Resident memory of this process and its children."""

    def __init__(self) -> None:
        super().__init__()
        self._process = psutil.Process()

    def collect_metrics(self) -> None:
        total = self._process.memory_info().rss
        try:
            children = self._process.children(recursive=True)
        except psutil.Error:
            children = []
        for child in children:
            try:
                total += child.memory_info().rss
            except psutil.Error:  # a worker that just exited
                continue
        self._metrics["process_memory_usage_megabytes"].append(total / MEGABYTE)

    def aggregate_metrics(self) -> dict[str, float]:
        return {k: round(sum(v) / len(v), 1) for k, v in self._metrics.items() if v}


class DiskIOMonitor(BaseMetricsMonitor):
    """Bytes read from and written to the machine's disks since the monitor started."""

    def __init__(self) -> None:
        super().__init__()
        first = psutil.disk_io_counters()
        # None in some containers (no block devices to count): nothing to report then.
        self._initial = (first.read_bytes, first.write_bytes) if first is not None else None

    def collect_metrics(self) -> None:
        if self._initial is None:
            return
        now = psutil.disk_io_counters()
        if now is None:
            return
        self._metrics["disk_read_megabytes"] = (now.read_bytes - self._initial[0]) / MEGABYTE
        self._metrics["disk_write_megabytes"] = (now.write_bytes - self._initial[1]) / MEGABYTE

    def aggregate_metrics(self) -> dict[str, float]:
        # Counts since the start, like MLflow's network figures: nothing to average.
        return {k: round(v, 3) for k, v in self._metrics.items()}


class VisibleGPUMonitor(GPUMonitor):
    """MLflow's GPU collector restricted to the GPUs this process may use.

    NVML lists every GPU of the machine; ``CUDA_VISIBLE_DEVICES`` (indices or ``GPU-…``
    UUIDs) says which ones CUDA gives the process, in which order. Unset: all of them, as
    MLflow does. An entry NVML cannot resolve (a MIG id) makes it fall back to all.
    """

    def __init__(self) -> None:
        super().__init__()  # nvmlInit; raises without nvidia-ml-py or without a GPU
        from mlflow.system_metrics.metrics import gpu_monitor

        visible = _visible_devices(os.environ.get("CUDA_VISIBLE_DEVICES"))
        if visible is None:
            return
        nvml = gpu_monitor.pynvml
        handles = []
        try:
            for entry in visible:
                if entry.isdigit():
                    if int(entry) >= self.num_gpus:
                        break  # CUDA stops at the first invalid index
                    handles.append(nvml.nvmlDeviceGetHandleByIndex(int(entry)))
                else:
                    handles.append(nvml.nvmlDeviceGetHandleByUUID(entry))
        except nvml.NVMLError:
            return  # keep MLflow's list: every GPU
        self.gpu_handles = handles
        self.num_gpus = len(handles)


def _visible_devices(value: str | None) -> list[str] | None:
    """The entries of ``CUDA_VISIBLE_DEVICES``; None when unset (every GPU is visible)."""
    if value is None:
        return None
    entries = [entry.strip() for entry in value.split(",")]
    if entries == [""]:
        return []  # set but empty: CUDA sees no GPU
    return [entry for entry in entries if entry]


def gpu_collector() -> BaseMetricsMonitor | None:
    """The GPU collector for this machine: NVIDIA GPUs the process can see (needs the
    optional ``nvidia-ml-py``, ``pip install labtrack[gpu]``), else MLflow's ROCm one,
    else None."""
    try:
        return VisibleGPUMonitor()
    except Exception:
        pass
    try:
        from mlflow.system_metrics.metrics.rocm_monitor import ROCMMonitor

        return ROCMMonitor()
    except Exception:
        return None
