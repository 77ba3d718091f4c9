"""A throwaway PostgreSQL cluster on a free loopback port, for the scale tests.

Debian's ``postgresql`` package provides the binaries; nothing else is needed. The
cluster lives in a temporary folder (data, unix socket and log), trusts local
connections, and is stopped and removed by :meth:`PostgresCluster.stop`.

PostgreSQL refuses to run as root, so when the tests run as root the cluster is
created and run as the ``postgres`` user the Debian package adds.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from mlflow_server import free_port

START_TIMEOUT_SECONDS = 60
DATABASE = "mlflow"
SUPERUSER = "labtrack"


class PostgresUnavailable(RuntimeError):
    """PostgreSQL's server binaries are not installed here."""


def postgres_bindir() -> Path:
    """Where ``initdb``, ``pg_ctl`` and ``postgres`` are; fails with how to get them."""
    candidates = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        if found.returncode == 0:
            candidates.append(Path(found.stdout.strip()))
    # Debian puts the server binaries in a versioned folder, newest first.
    versioned = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    candidates += [Path(folder) for folder in versioned]
    for folder in candidates:
        if all((folder / name).exists() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    raise PostgresUnavailable(
        "PostgreSQL's server binaries (initdb, pg_ctl, postgres) were not found via "
        "pg_config --bindir or /usr/lib/postgresql/*/bin; install Debian's package: "
        "apt-get install postgresql"
    )


def _version_key(folder: str) -> float:
    try:
        return float(Path(folder).parent.name)
    except ValueError:
        return 0.0


class PostgresCluster:
    def __init__(self) -> None:
        self.bindir = postgres_bindir()
        self.port = free_port()
        # Not under pytest's tmp_path: its parents are private to the test user, and
        # the server may run as the ``postgres`` user.
        self.folder = Path(tempfile.mkdtemp(prefix="labtrack-pg-"))
        self.data = self.folder / "data"
        self.socket_dir = self.folder / "socket"
        self.log_path = self.folder / "postgres.log"
        self._run_as = _unprivileged_user()
        self.socket_dir.mkdir()
        if self._run_as is not None:
            os.chmod(self.folder, 0o755)
            for path in (self.folder, self.socket_dir):
                os.chown(path, self._run_as.pw_uid, self._run_as.pw_gid)
        try:
            self._pg(
                "initdb",
                "-D",
                self.data,
                "-U",
                SUPERUSER,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
                timeout=START_TIMEOUT_SECONDS,
            )
            self.start()
            self.psql(f"CREATE DATABASE {DATABASE}")
        except BaseException:
            self.stop()
            raise

    def start(self) -> None:
        """Start the server on this cluster's port and data folder; returns once it
        accepts connections (pg_ctl's own readiness probe, ``-w``)."""
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c max_connections=200"
        )
        self._pg(
            "pg_ctl",
            "-D",
            self.data,
            "-l",
            self.log_path,
            "-o",
            options,
            "-w",
            "-t",
            str(START_TIMEOUT_SECONDS),
            "start",
            timeout=START_TIMEOUT_SECONDS + 10,
        )

    def shut_down(self) -> None:
        """Stop the server and keep its data (``start`` brings it back): every client
        connection is cut, as when a database is restarted under its clients."""
        # -m fast: open sessions are terminated, not waited for; -w: returns once down.
        self._pg("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop", timeout=90)

    @property
    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def restart(self) -> None:
        """Stop and start again on the same port and data folder."""
        self.shut_down()
        self.start()

    @property
    def sqlalchemy_uri(self) -> str:
        """The URI MLflow's SQL store takes (psycopg 3 driver, TCP on loopback)."""
        return self.sqlalchemy_uri_of(DATABASE)

    def sqlalchemy_uri_of(self, database: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, template: str | None = None) -> None:
        """``CREATE DATABASE name`` (a copy of ``template``, which must have no open
        connections, when given)."""
        copy = f" TEMPLATE {template}" if template else ""
        self.psql(f"CREATE DATABASE {name}{copy}")

    def psql(self, sql: str, database: str = "postgres") -> str:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname=database, autocommit=True
        ) as connection:
            cursor = connection.execute(sql)
            return "" if cursor.description is None else repr(cursor.fetchall())

    def query(self, sql: str, *params, database: str = DATABASE) -> list[tuple]:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname=database
        ) as connection:
            return connection.execute(sql, params).fetchall()

    def _pg(self, program: str, *args, timeout: float) -> None:
        command = [str(self.bindir / program), *map(str, args)]
        kwargs = {}
        if self._run_as is not None:
            kwargs = {"user": self._run_as.pw_uid, "group": self._run_as.pw_gid}
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, cwd=self.folder, **kwargs
        )
        if done.returncode != 0:
            log = self.log_path.read_text() if self.log_path.exists() else ""
            output = f"{done.stdout}\n{done.stderr}\n{log[-3000:]}"
            raise RuntimeError(f"{program} failed ({done.returncode}):\n{output}")

    def stop(self) -> None:
        try:
            if self.running:
                # -w: returns once the server has exited.
                self._pg("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop", timeout=90)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def _unprivileged_user() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresUnavailable(
            "running as root, and PostgreSQL will not run as root: there is no 'postgres' "
            "user to run it as (Debian's postgresql package creates it)"
        ) from None
