"""``labtrack`` on the command line: ``labtrack run NOTEBOOK`` executes a notebook as a job,
every ``%%track`` cell tracked as in JupyterLab (see ``run_command``)."""

from .main import main

__all__ = ["main"]
