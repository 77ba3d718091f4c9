"""Facts about the Python environment and the hardware a run executed on."""

from __future__ import annotations

import functools
import os
import platform
import shutil
import subprocess
import sys
from importlib import metadata


def python_version() -> str:
    return platform.python_version()


def requirements_text() -> str:
    """The installed distributions as ``requirements.txt`` lines, sorted by name.

    Read from package metadata rather than by running ``pip freeze`` (ten times
    faster, works without pip), and reused until a folder on ``sys.path``
    changes: installing a package adds a folder to site-packages.
    """
    fingerprint = _path_fingerprint()
    if _requirements_cache.get("fingerprint") != fingerprint:
        _requirements_cache["text"] = _read_requirements()
        _requirements_cache["fingerprint"] = fingerprint
    return _requirements_cache["text"]


_requirements_cache: dict[str, object] = {}


def _path_fingerprint() -> tuple:
    stamps = []
    for entry in sys.path:
        try:
            stamps.append((entry, os.stat(entry or ".").st_mtime_ns))
        except OSError:
            continue
    return tuple(stamps)


def _read_requirements() -> str:
    pins: dict[str, str] = {}
    for distribution in metadata.distributions():
        name = distribution.metadata.get("Name")
        if name:
            pins.setdefault(name.lower(), f"{name}=={distribution.version}")
    header = f"# python {python_version()} ({sys.executable})\n"
    return header + "".join(f"{pins[key]}\n" for key in sorted(pins))


def hardware_tags() -> dict[str, str]:
    tags = {
        "labtrack.hardware.cpu_count": str(os.cpu_count() or 0),
        "labtrack.hardware.machine": platform.machine(),
        "labtrack.platform": platform.platform(terse=True),
    }
    memory = _memory_bytes()
    if memory:
        tags["labtrack.hardware.memory_gb"] = f"{memory / 2**30:.1f}"
    gpus = gpu_names()
    if gpus:
        tags["labtrack.hardware.gpu"] = ", ".join(gpus)
        tags["labtrack.hardware.gpu_count"] = str(len(gpus))
    return tags


def _memory_bytes() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


@functools.cache
def gpu_names() -> tuple[str, ...]:
    """NVIDIA GPU models (asked once per process: the answer does not change)."""
    if shutil.which("nvidia-smi") is None:
        return ()
    try:
        completed = subprocess.run(
            ["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ()
    if completed.returncode != 0:
        return ()
    return tuple(line.strip() for line in completed.stdout.splitlines() if line.strip())
