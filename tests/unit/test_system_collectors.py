"""The GPU path of the system metrics, with NVML faked (no GPU here), and the collectors
labtrack adds to MLflow's."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass

import pytest
from mlflow.system_metrics.metrics import gpu_monitor

from labtrack.runtime.system_collectors import (
    DiskIOMonitor,
    ProcessMemoryMonitor,
    VisibleGPUMonitor,
    gpu_collector,
)
from labtrack.tracking import system_metrics


@dataclass
class _Device:
    uuid: str
    used: int
    total: int
    utilization: int
    milliwatts: int
    limit_milliwatts: int


class _Memory:
    def __init__(self, used: int, total: int) -> None:
        self.used, self.total = used, total


class _Rates:
    def __init__(self, gpu: int) -> None:
        self.gpu = gpu


def fake_nvml(devices: list[_Device]) -> types.ModuleType:
    """What nvidia-ml-py's ``pynvml`` answers for these devices (NVML's calls only)."""
    nvml = types.ModuleType("pynvml")

    class NVMLError(Exception):
        pass

    nvml.NVMLError = NVMLError
    nvml.nvmlInit = lambda: None
    nvml.nvmlDeviceGetCount = lambda: len(devices)
    nvml.nvmlDeviceGetHandleByIndex = lambda index: devices[index]

    def by_uuid(uuid):
        for device in devices:
            if device.uuid == uuid:
                return device
        raise NVMLError(f"no device {uuid}")

    nvml.nvmlDeviceGetHandleByUUID = by_uuid
    nvml.nvmlDeviceGetMemoryInfo = lambda d: _Memory(d.used, d.total)
    nvml.nvmlDeviceGetUtilizationRates = lambda d: _Rates(d.utilization)
    nvml.nvmlDeviceGetPowerUsage = lambda d: d.milliwatts
    nvml.nvmlDeviceGetEnforcedPowerLimit = lambda d: d.limit_milliwatts
    return nvml


DEVICES = [
    _Device("GPU-aaaa", 2_000_000_000, 8_000_000_000, 10, 50_000, 200_000),
    _Device("GPU-bbbb", 6_000_000_000, 8_000_000_000, 90, 150_000, 200_000),
]


@pytest.fixture
def nvml(monkeypatch):
    fake = fake_nvml(DEVICES)
    monkeypatch.setitem(sys.modules, "pynvml", fake)
    monkeypatch.setattr(gpu_monitor, "pynvml", fake, raising=False)
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    return fake


def _sampled(monkeypatch, tmp_path) -> dict[str, float]:
    """One sample of the cell's monitor, as it would log it."""
    monkeypatch.delenv("MLFLOW_SYSTEM_METRICS_NODE_ID", raising=False)
    uri = f"sqlite:///{tmp_path}/mlflow.db"  # MLflow's monitor makes a client of its own
    monitor = system_metrics._monitor_class()(1.0, lambda figures: None, uri)
    monitor.sample()
    return monitor.sample()


def test_every_gpu_is_sampled_under_mlflows_names_when_all_are_visible(nvml, monkeypatch, tmp_path):
    figures = _sampled(monkeypatch, tmp_path)
    assert figures["system/gpu_0_utilization_percentage"] == 10
    assert figures["system/gpu_1_utilization_percentage"] == 90
    assert figures["system/gpu_1_memory_usage_megabytes"] == 6000
    assert figures["system/gpu_1_memory_usage_percentage"] == 75
    assert figures["system/gpu_0_power_usage_watts"] == 50
    assert figures["system/gpu_1_power_usage_percentage"] == 75
    assert "system/cpu_utilization_percentage" in figures  # MLflow's collectors too


@pytest.mark.parametrize("visible", ["1", "GPU-bbbb"])
def test_only_the_gpus_cuda_lets_the_process_see_are_sampled(nvml, monkeypatch, tmp_path, visible):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", visible)
    figures = _sampled(monkeypatch, tmp_path)
    # Numbered as CUDA numbers them: the one visible GPU is cuda:0.
    assert figures["system/gpu_0_utilization_percentage"] == 90
    assert not any(key.startswith("system/gpu_1_") for key in figures)


def test_an_empty_cuda_visible_devices_hides_every_gpu(nvml, monkeypatch, tmp_path):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    assert not any("gpu_" in key for key in _sampled(monkeypatch, tmp_path))


def test_without_nvidia_ml_py_there_is_no_gpu_collector(monkeypatch):
    monkeypatch.delitem(sys.modules, "pynvml", raising=False)
    monkeypatch.setattr(gpu_monitor, "pynvml", None, raising=False)
    assert not isinstance(gpu_collector(), VisibleGPUMonitor)


def test_process_memory_and_disk_traffic_are_sampled():
    memory, disk = ProcessMemoryMonitor(), DiskIOMonitor()
    memory.collect_metrics()
    disk.collect_metrics()
    assert memory.aggregate_metrics()["process_memory_usage_megabytes"] > 1
    traffic = disk.aggregate_metrics()
    assert all(value >= 0 for value in traffic.values())
