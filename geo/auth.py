"""Planner accounts: argon2id hashes from the operator's configuration, and a lockout policy.

Accounts come from the environment (``SMART_REGION_PLANNERS`` holding JSON
``{"username": "<argon2 hash>"}``) and/or the ``[planners]`` table of Streamlit's
``secrets.toml``, which the page layer passes in. Only hashes are ever configured; a value
that is not an argon2 hash is refused, so a plain password cannot slip in by mistake.

Wrong passwords are counted per account in a small SQLite file beside the layer store, so
the count holds across sessions, processes and restarts: each failure waits a growing delay,
and after `LockoutPolicy.max_failures` failures the account is locked for a while.
"""

from __future__ import annotations

import getpass
import json
import math
import os
import re
import sqlite3
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from geo import clock
from geo.config import REPO_ROOT, Settings
from geo.errors import GeoError, system_reason
from geo.i18n import Msg
from geo.store.geopackage.catalog import Catalog

ENV_VAR = "SMART_REGION_PLANNERS"
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
_HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified against unknown user names, so they take as long as known ones.
_DUMMY_HASH = _HASHER.hash("not a real password")
MAX_PASSWORD_CHARS = 1024


class AuthError(GeoError):
    """Sign-in refused: wrong name or password, locked account, broken configuration."""


@dataclass(frozen=True)
class LockoutPolicy:
    """How hard repeated wrong passwords are slowed down and locked out."""

    max_failures: int = 5  # failures in a row before the account is locked
    lock_seconds: float = 300.0
    base_delay: float = 0.5  # seconds after the first failure, doubled for each further one
    max_delay: float = 4.0
    window_seconds: float = 900.0  # failures older than this are forgotten

    def delay(self, failures: int) -> float:
        return min(self.max_delay, self.base_delay * 2 ** max(0, failures - 1))


def hash_password(password: str) -> str:
    """The argon2id hash of `password`, for the operator's configuration."""
    if not password:
        raise AuthError("err.auth_empty_password")
    return _HASHER.hash(password)


def load_accounts(secrets: Mapping[str, object] | None = None, env: Mapping[str, str] | None = None) -> dict:
    """{username: hash} from ``SMART_REGION_PLANNERS`` and the secrets' ``[planners]`` table.

    Where both name the same user, the environment wins (the operator's latest word).
    """
    env = os.environ if env is None else env
    accounts: dict[str, str] = {}
    for name, value in dict(secrets or {}).items():
        accounts[str(name)] = _checked_hash(str(name), value, "secrets.toml [planners]")
    raw = env.get(ENV_VAR, "").strip()
    if raw:
        try:
            parsed = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise AuthError(
                "err.auth_config", detail=str(exc), source=ENV_VAR, reason=Msg("reason.auth_not_json")
            ) from None
        if not isinstance(parsed, dict):
            raise AuthError("err.auth_config", source=ENV_VAR, reason=Msg("reason.auth_not_object"))
        accounts.update({str(k): _checked_hash(str(k), v, ENV_VAR) for k, v in parsed.items()})
    return accounts


def _checked_hash(name: str, value: object, source: str) -> str:
    if not _USERNAME.fullmatch(name):
        raise AuthError("err.auth_config", source=source, reason=Msg("reason.auth_bad_name", name=name[:64]))
    if not isinstance(value, str) or not value.startswith("$argon2"):
        raise AuthError("err.auth_config", source=source, reason=Msg("reason.auth_no_hash", name=name))
    return value


class LoginGuard:
    """Failure counts and locks per account in SQLite (safe across threads and processes)."""

    def __init__(
        self,
        path: str | Path,
        policy: LockoutPolicy | None = None,
        clock: Callable[[], float] = clock.timestamp,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.path = Path(path)
        self.policy = policy or LockoutPolicy()
        self._clock, self._sleep = clock, sleep
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._write() as conn:
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS failures (account TEXT PRIMARY KEY, count INTEGER NOT NULL, "
                    "last_at REAL NOT NULL, locked_until REAL NOT NULL DEFAULT 0)"
                )
        except (OSError, sqlite3.Error) as exc:
            raise GeoError(
                "err.store_unavailable", detail=repr(exc), location=str(self.path), reason=system_reason(exc)
            ) from exc

    def _write(self):
        """One ``BEGIN IMMEDIATE`` transaction, the same way the store's catalogue does it."""
        return Catalog(self.path).write()

    def locked_for(self, account: str) -> float:
        """Seconds until `account` may try again (0 when not locked)."""
        with self._write() as conn:
            row = conn.execute(
                "SELECT locked_until FROM failures WHERE account = ?", (_key(account),)
            ).fetchone()
        return max(0.0, row[0] - self._clock()) if row else 0.0

    def failed(self, account: str) -> int:
        """Count a failure; lock the account when the limit is reached. Returns the count."""
        now, policy = self._clock(), self.policy
        with self._write() as conn:
            row = conn.execute(
                "SELECT count, last_at FROM failures WHERE account = ?", (_key(account),)
            ).fetchone()
            count = 1 if row is None or now - row[1] > policy.window_seconds else row[0] + 1
            locked_until = now + policy.lock_seconds if count >= policy.max_failures else 0.0
            conn.execute(
                "INSERT OR REPLACE INTO failures (account, count, last_at, locked_until) VALUES (?, ?, ?, ?)",
                (_key(account), 0 if locked_until else count, now, locked_until),
            )
        return count

    def succeeded(self, account: str) -> None:
        with self._write() as conn:
            conn.execute("DELETE FROM failures WHERE account = ?", (_key(account),))

    def wait(self, failures: int) -> None:
        self._sleep(self.policy.delay(failures))


def guard_for(settings: Settings) -> LoginGuard:
    """The guard at ``SMART_REGION_AUTH_DB``, else ``auth.sqlite`` in the store's data directory."""
    if settings.auth_db:
        return LoginGuard(settings.auth_db)
    folder = Path(settings.data) if "://" not in settings.data else REPO_ROOT / "data"
    return LoginGuard(folder / "auth.sqlite")


def _key(account: str) -> str:
    return account.strip().casefold()[:128]


def authenticate(username: str, password: str, accounts: Mapping[str, str], guard: LoginGuard) -> str:
    """The account name when `password` is right; otherwise an `AuthError` after a delay.

    Unknown names are treated like wrong passwords (same message, same cost), so the form
    does not reveal which accounts exist.
    """
    name = username.strip()
    remaining = guard.locked_for(name)
    if remaining > 0:
        raise AuthError("err.auth_locked", n=max(1, math.ceil(remaining / 60)))
    stored = accounts.get(name)
    if stored is not None and _verify(stored, password):
        guard.succeeded(name)
        return name
    if stored is None:
        _verify(_DUMMY_HASH, password)
    failures = guard.failed(name)
    guard.wait(failures)
    if failures >= guard.policy.max_failures:
        raise AuthError("err.auth_locked", n=max(1, math.ceil(guard.policy.lock_seconds / 60)))
    raise AuthError("err.auth_failed")


def _verify(stored: str, password: str) -> bool:
    if not password or len(password) > MAX_PASSWORD_CHARS:
        return False
    try:
        return _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def read_new_password(stdin: TextIO | None = None) -> str:
    """A new password from piped stdin (first line), else typed twice at a hidden prompt."""
    stdin = stdin or sys.stdin
    if not stdin.isatty():
        return stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Neues Passwort: ")
    if first != getpass.getpass("Passwort wiederholen: "):
        raise AuthError("err.auth_password_mismatch")
    return first
