"""Who acts on the registry: a named person, the same name from the kernel and the server.

In a kernel that is the JupyterHub user when there is one, else the OS user the kernel
runs as. The Jupyter server names the same person the same way (``server/identity.py``):
a named login (JupyterHub, a configured IdentityProvider) by its username, and Jupyter's
random per-request anonymous ids, on a single-user server, as the server's OS user, which
is the user its kernels run as. Approvals are counted per name, so one person is one
approval wherever they clicked.
"""

from __future__ import annotations

import getpass
import os
import re

from .errors import InvalidQuery

MAX_USER_CHARS = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def local_user() -> str:
    """Who acts in this process: the JupyterHub user when there is one, else the OS user."""
    return os.environ.get("JUPYTERHUB_USER") or getpass.getuser()


def valid_user(name: str | None) -> str:
    """A user name fit to sign for: non-empty, bounded, no control characters."""
    text = (name or "").strip()
    if not text:
        raise InvalidQuery("a registry action needs a named user")
    if len(text) > MAX_USER_CHARS or _CONTROL.search(text):
        raise InvalidQuery("the user name is too long or holds control characters")
    return text
