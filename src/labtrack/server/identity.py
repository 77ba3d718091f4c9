"""The name a Jupyter request acts under in the registry (see ``registry/identity.py``).

A named login, JupyterHub's or a configured ``IdentityProvider``'s, acts as its username.
Jupyter's own token login names every request that carries no user cookie with a fresh
random id ("Anonymous Io", ``uuid4().hex``): as an approver that would be a new person on
each click. On a single-user server whoever holds the token is the server's OS user (the
token runs code as that user), so such requests act as that user, the name the kernels
use too; ``c.LabtrackConfig.anonymous_as_server_user = False`` refuses them instead.
"""

from __future__ import annotations

import re

from jupyter_server.auth.identity import IdentityProvider

from ..backend.errors import TrackingQueryError
from ..registry.identity import local_user, valid_user

_RANDOM_ID = re.compile(r"[0-9a-f]{32}")


class NamedIdentityRequired(TrackingQueryError):
    """The request has no named identity to act under (HTTP 403)."""


def is_jupyter_anonymous(provider, user) -> bool:
    """Whether ``user`` is one of Jupyter's random per-login ids, not a named person."""
    generator = getattr(type(provider), "generate_anonymous_user", None)
    if generator is not IdentityProvider.generate_anonymous_user:
        return False  # the provider names anonymous users itself
    username = str(getattr(user, "username", "") or "")
    name = str(getattr(user, "name", "") or "")
    return bool(_RANDOM_ID.fullmatch(username)) and name.startswith("Anonymous ")


def acting_user(handler, anonymous_as_server_user: bool) -> str:
    """The registry user of this request, or NamedIdentityRequired."""
    user = handler.current_user
    provider = handler.settings.get("identity_provider")
    if user is None:
        raise NamedIdentityRequired("sign in to act on the model registry")
    if is_jupyter_anonymous(provider, user):
        if not anonymous_as_server_user:
            raise NamedIdentityRequired(
                "this server names its users with random anonymous ids, and labtrack is set "
                "to act only for named users (c.LabtrackConfig.anonymous_as_server_user = "
                "False): sign in through JupyterHub or a named IdentityProvider"
            )
        return valid_user(local_user())
    name = getattr(user, "username", None) or getattr(user, "name", None) or str(user)
    return valid_user(str(name))
