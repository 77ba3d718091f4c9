"""Signatures on what labtrack writes into the registry, so no other MLflow client can
forge an approval, an audit entry or a policy.

MLflow lets any client with write access set any tag. labtrack's own entries therefore
carry an HMAC-SHA256 over a canonical form of the entry (sorted-key JSON, no spaces,
UTF-8) that also names what the entry is about (kind, model, version, tag key), so a
signed value copied onto another model, version or key no longer verifies.

The key, in this order:

1. ``c.LabtrackConfig.signing_key_file``: a file holding the team's secret (owner-only);
2. ``LABTRACK_SIGNING_KEY``: the secret itself, for a spawner's environment;
3. ``$LABTRACK_HOME/signing.key``: generated on first use (32 random bytes, mode 0600),
   shared by every kernel and the Jupyter server of one OS user.

A key file that others may read, or that another user owns, is refused: a key others
can read signs nothing. ``docs/teams.md`` says which to use when.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import stat
import threading
from dataclasses import dataclass
from pathlib import Path

from ..backend.errors import Conflict
from ..backend.location import labtrack_home

KEY_ENV = "LABTRACK_SIGNING_KEY"
KEY_FILENAME = "signing.key"
MIN_SECRET_CHARS = 32
SIGNATURE_FIELD = "sig"
_VERSION = "v1"


class SigningKeyError(Conflict):
    """labtrack's signing key cannot be used (HTTP 409); the message says how to fix it."""


@dataclass(frozen=True)
class Signer:
    """Signs and verifies labtrack's registry entries with one secret."""

    key: bytes
    source: str  # where the key came from, for messages (never the key)

    @property
    def key_id(self) -> str:
        return hashlib.sha256(self.key).hexdigest()[:8]

    def sign(self, kind: str, payload: dict) -> str:
        digest = hmac.new(self.key, canonical(kind, payload), hashlib.sha256).hexdigest()
        return f"{_VERSION}:{self.key_id}:{digest}"

    def verify(self, kind: str, payload: dict, signature: object) -> bool:
        if not isinstance(signature, str):
            return False
        try:
            expected = self.sign(kind, payload)
        except (TypeError, ValueError):  # a payload JSON cannot hold: not ours
            return False
        return hmac.compare_digest(expected.encode(), signature.encode())

    def seal(self, kind: str, context: dict, fields: dict) -> str:
        """The tag value: ``fields`` plus their signature (``context`` is signed, not stored)."""
        signed = {**fields, SIGNATURE_FIELD: self.sign(kind, {**context, **fields})}
        return json.dumps(signed, separators=(",", ":"), sort_keys=True, allow_nan=False)

    def open(self, kind: str, context: dict, value: str) -> tuple[dict | None, bool]:
        """A tag value's fields and whether their signature holds (``None``: not JSON)."""
        try:
            fields = json.loads(value)
        except (ValueError, TypeError, RecursionError):
            return None, False
        if not isinstance(fields, dict):
            return None, False
        signature = fields.pop(SIGNATURE_FIELD, None)
        return fields, self.verify(kind, {**context, **fields}, signature)


def canonical(kind: str, payload: dict) -> bytes:
    """The bytes an entry's signature covers: one JSON text, keys sorted, no spaces."""
    document = {"kind": kind, "payload": payload}
    text = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return text.encode("utf-8")


# -- where the key comes from -----------------------------------------------------------

_cache: dict[tuple, Signer] = {}
_lock = threading.Lock()


def load_signer(key_file: str | None = None, environ=None) -> Signer:
    """This process's signer (see the module's note for the order)."""
    environ = os.environ if environ is None else environ
    home = labtrack_home(environ)
    secret = environ.get(KEY_ENV, "")
    cache_key = (key_file or "", hashlib.sha256(secret.encode()).hexdigest(), str(home))
    with _lock:
        found = _cache.get(cache_key)
        if found is None:
            found = _cache[cache_key] = _resolve(key_file, secret, home)
        return found


def _resolve(key_file: str | None, secret: str, home: Path) -> Signer:
    if key_file:
        path = Path(key_file).expanduser()
        text = _read_private(path).strip()
        return Signer(_secret_bytes(text, f"signing_key_file {path}"), f"file {path}")
    if secret:
        return Signer(_secret_bytes(secret.strip(), KEY_ENV), f"${KEY_ENV}")
    path = home / KEY_FILENAME
    if not path.exists():
        _create_key(path)
    return Signer(_secret_bytes(_read_private(path).strip(), str(path)), f"file {path}")


def _secret_bytes(text: str, where: str) -> bytes:
    if len(text) < MIN_SECRET_CHARS:
        raise SigningKeyError(
            f"the signing key in {where} is too short: use at least {MIN_SECRET_CHARS} "
            "random characters (e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)"
        )
    return text.encode("utf-8")


def _read_private(path: Path) -> str:
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        raise SigningKeyError(f"cannot read the signing key {path}: {error.strerror}") from None
    with os.fdopen(descriptor, "r", encoding="utf-8") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise SigningKeyError(f"the signing key {path} is not a regular file")
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            raise SigningKeyError(f"the signing key {path} belongs to another user")
        if info.st_mode & 0o077:
            raise SigningKeyError(
                f"the signing key {path} may be read by others (mode "
                f"{stat.S_IMODE(info.st_mode):o}); make it owner-only: chmod 600 {path}"
            )
        return handle.read(4096)


def _create_key(path: Path) -> None:
    """A new random key, written whole before it appears (two processes may race here)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(32) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        # Fails if another process made one first: keep theirs.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
