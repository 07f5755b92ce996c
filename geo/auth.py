"""Planner accounts: argon2id hashes from the operator's configuration, and a lockout policy.

Accounts come from the environment (``SMART_REGION_PLANNERS`` holding JSON
``{"username": "<argon2 hash>"}``) and/or the ``[planners]`` table of Streamlit's
``secrets.toml``, which the page layer passes in. Only hashes are ever configured; a value
that is not an argon2 hash is refused, so a plain password cannot slip in by mistake.

Attempts are counted per account by the store's `LoginStore` (so the count follows the
backend and holds across sessions, processes and restarts), *before* the password is
checked: parallel attempts cannot slip past the lock. Each failure waits a growing delay,
and after `LockoutPolicy.max_failures` failures the account is locked for a while.
"""

from __future__ import annotations

import getpass
import json
import math
import os
import re
import sys
import time
from collections.abc import Callable, Mapping
from typing import TextIO

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from geo import clock
from geo.errors import GeoError
from geo.store import LockoutPolicy, LoginStore

ENV_VAR = "SMART_REGION_PLANNERS"
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
_HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified against unknown user names, so they take as long as known ones.
_DUMMY_HASH = _HASHER.hash("not a real password")
MAX_PASSWORD_CHARS = 1024


class AuthError(GeoError):
    """Sign-in refused: wrong name or password, locked account, broken configuration."""


MIN_PASSWORD_CHARS = 12


def hash_password(password: str) -> str:
    """The argon2id hash of `password`, for the operator's configuration."""
    if not password:
        raise AuthError("err.auth_empty_password")
    if len(password) < MIN_PASSWORD_CHARS:  # long passphrases, not complexity rules (NIST SP 800-63B)
        raise AuthError("err.auth_short_password", minimum=MIN_PASSWORD_CHARS, length=len(password))
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
                "err.auth_config", detail=str(exc), source=ENV_VAR, reason="kein gültiges JSON"
            ) from None
        if not isinstance(parsed, dict):
            raise AuthError("err.auth_config", source=ENV_VAR, reason="erwartet ein JSON-Objekt")
        accounts.update({str(k): _checked_hash(str(k), v, ENV_VAR) for k, v in parsed.items()})
    return accounts


def _checked_hash(name: str, value: object, source: str) -> str:
    if not _USERNAME.fullmatch(name):
        raise AuthError("err.auth_config", source=source, reason=f"ungültiger Kontoname „{name[:64]}“")
    if not isinstance(value, str) or not value.startswith("$argon2"):
        raise AuthError(
            "err.auth_config", source=source, reason=f"für „{name}“ ist kein argon2-Hash eingetragen"
        )
    return value


def _key(account: str) -> str:
    """Account names compare case-insensitively, so "Planer" and "planer" share one counter."""
    return account.strip().casefold()[:128]


def _minutes(seconds: float) -> int:
    return max(1, math.ceil(seconds / 60))


def authenticate(
    username: str,
    password: str,
    accounts: Mapping[str, str],
    logins: LoginStore,
    *,
    policy: LockoutPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> str:
    """The account name when `password` is right; otherwise an `AuthError` after a delay.

    The attempt is counted before the password is checked, so a refused (locked) attempt
    costs no check at all. Unknown names are treated like wrong passwords (same message,
    same cost), so the form does not reveal which accounts exist.
    """
    policy = policy or LockoutPolicy()
    name, now = username.strip(), clock.timestamp()
    attempt = logins.count_login(_key(name), policy, now)
    if not attempt.allowed:
        raise AuthError("err.auth_locked", minutes=_minutes(attempt.locked_for(now)))
    stored = accounts.get(name)
    if stored is not None and _verify(stored, password):
        logins.login_succeeded(attempt)
        return name
    if stored is None:
        _verify(_DUMMY_HASH, password)
    sleep(policy.delay(attempt.number))
    if attempt.locked_until:
        raise AuthError("err.auth_locked", minutes=_minutes(policy.lock_seconds))
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
