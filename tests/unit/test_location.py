"""Given an environment, when labtrack resolves the backend, then kernel and server agree."""

from pathlib import Path

import pytest

from labtrack.backend import BackendKind, LocationSource, resolve_backend
from labtrack.backend.location import redact_credentials


def test_embedded_default_lives_under_labtrack_home(tmp_path):
    location = resolve_backend(environ={"LABTRACK_HOME": str(tmp_path)})
    assert location.kind is BackendKind.EMBEDDED
    assert location.source is LocationSource.EMBEDDED
    assert location.tracking_uri == f"sqlite:///{tmp_path}/mlflow.db"
    assert location.registry_uri == location.tracking_uri
    assert location.artifact_root == str(tmp_path / "artifacts")


def test_embedded_default_does_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    environ = {"LABTRACK_HOME": "~/lt-home", "HOME": str(tmp_path)}
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    monkeypatch.chdir(tmp_path / "a")
    first = resolve_backend(environ=environ)
    monkeypatch.chdir(tmp_path / "b")
    second = resolve_backend(environ=environ)
    assert first == second
    assert first.database_path == tmp_path / "lt-home" / "mlflow.db"


def test_without_labtrack_home_the_store_is_per_user(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    location = resolve_backend(environ={})
    assert location.database_path == Path(tmp_path, ".local/share/labtrack/mlflow.db")


def test_environment_variable_overrides_the_embedded_default(tmp_path):
    location = resolve_backend(
        environ={"LABTRACK_HOME": str(tmp_path), "MLFLOW_TRACKING_URI": "http://127.0.0.1:5000"}
    )
    assert location.kind is BackendKind.REST
    assert location.source is LocationSource.ENV
    assert location.tracking_uri == "http://127.0.0.1:5000"
    assert location.artifact_root is None


def test_explicit_setting_wins_over_the_environment():
    location = resolve_backend(
        "postgresql://lab:secret@db:5432/mlflow",
        environ={"MLFLOW_TRACKING_URI": "http://127.0.0.1:5000"},
    )
    assert location.kind is BackendKind.POSTGRESQL
    assert location.source is LocationSource.EXPLICIT


def test_registry_uri_follows_its_own_variable():
    location = resolve_backend(
        environ={
            "MLFLOW_TRACKING_URI": "http://tracking:5000",
            "MLFLOW_REGISTRY_URI": "http://registry:5000",
        }
    )
    assert location.registry_uri == "http://registry:5000"


def test_blank_settings_fall_through(tmp_path):
    location = resolve_backend(
        "  ", environ={"MLFLOW_TRACKING_URI": " ", "LABTRACK_HOME": str(tmp_path)}
    )
    assert location.kind is BackendKind.EMBEDDED


@pytest.mark.parametrize(
    ("uri", "kind"),
    [
        ("sqlite:////tmp/x.db", BackendKind.SQLITE),
        ("postgresql+psycopg2://u@h/db", BackendKind.POSTGRESQL),
        ("mysql://u@h/db", BackendKind.MYSQL),
        ("https://mlflow.example.org", BackendKind.REST),
        ("file:///tmp/mlruns", BackendKind.FILE),
        ("databricks", BackendKind.OTHER),
    ],
)
def test_kind_is_read_from_the_uri_scheme(uri, kind):
    assert resolve_backend(uri, environ={}).kind is kind


def test_credentials_never_show_in_the_display_uri():
    location = resolve_backend("postgresql://lab:hunter2@db:5432/mlflow", environ={})
    assert "hunter2" not in location.display_uri()
    assert location.display_uri() == "postgresql://lab:***@db:5432/mlflow"
    assert redact_credentials("http://h:5000") == "http://h:5000"
