"""Given packages installed while a kernel runs, the recorded environment keeps up."""

import sys

from labtrack.runtime.machine import hardware_tags, requirements_text


def _install_fake(folder, name, version):
    info = folder / f"{name}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")


def test_requirements_follow_packages_installed_later(tmp_path, monkeypatch):
    assert "labtrack-fake-one==" not in requirements_text()
    _install_fake(tmp_path, "labtrack-fake-one", "1.0")
    monkeypatch.setattr(sys, "path", [*sys.path, str(tmp_path)])
    assert "labtrack-fake-one==1.0\n" in requirements_text()
    _install_fake(tmp_path, "labtrack-fake-two", "2.5")
    assert "labtrack-fake-two==2.5\n" in requirements_text()


def test_requirements_are_sorted_pins_with_a_python_header():
    lines = requirements_text().splitlines()
    assert lines[0].startswith("# python 3.")
    pins = lines[1:]
    assert pins == sorted(pins, key=lambda pin: pin.split("==")[0].lower())
    assert all("==" in pin for pin in pins)


def test_hardware_tags_name_cpu_and_memory():
    tags = hardware_tags()
    assert int(tags["labtrack.hardware.cpu_count"]) >= 1
    assert float(tags["labtrack.hardware.memory_gb"]) > 0
    assert tags["labtrack.hardware.machine"]
