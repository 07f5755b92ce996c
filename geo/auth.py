"""Planner accounts: argon2id hashes from the operator's configuration, and sign-in throttling.

Accounts come from the environment (``SMART_REGION_PLANNERS`` holding JSON
``{"username": "<argon2 hash>"}``) and/or the ``[planners]`` table of Streamlit's
``secrets.toml``, which the page layer passes in. Only hashes are ever configured; a value
that is not an argon2 hash is refused, so a plain password cannot slip in by mistake.

Attempts are counted by the store's `LoginStore` (so the counts follow the backend and hold
across sessions, processes and restarts), *before* the password is checked: parallel attempts
cannot slip past them. Counters per account and address, per address, and per account make
repeated failures wait longer and longer (`SignInPolicy`); nobody can lock an account for
everybody, because a browser that signed in as the account before counts only on its own
counter. Every attempt is logged for planners; operators clear counters with `unlock`.
"""

from __future__ import annotations

import getpass
import json
import logging
import math
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TextIO

from argon2 import Parameters, PasswordHasher, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from geo import clock
from geo.errors import GeoError
from geo.i18n import Msg
from geo.store import LoginEvent, LoginStore, ThrottlePolicy

ENV_VAR = "SMART_REGION_PLANNERS"
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
_HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
MAX_PASSWORD_CHARS = 1024
log = logging.getLogger("smart_region.auth")


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


def _key(account: str) -> str:
    """Account names compare case-insensitively, so "Planer" and "planer" share one counter."""
    return account.strip().casefold()[:128]


@dataclass(frozen=True)
class Client:
    """Who is signing in, as far as the server knows: the counting key of the client address
    (`geo.security.addresses.client_key`) and the server-signed id of the browser, if any."""

    address: str
    device: str | None = None


@dataclass(frozen=True)
class SignInPolicy:
    """The counters every attempt passes (OWASP: throttle per account and per address, prefer
    growing delays to lock-outs). A browser that signed in as the account before ("trusted")
    counts only on its own counter, so strangers' failures never keep its planner out."""

    pair: ThrottlePolicy = ThrottlePolicy(free_attempts=5, base_delay=2.0, max_delay=900.0)
    address: ThrottlePolicy = ThrottlePolicy(free_attempts=20, base_delay=2.0, max_delay=900.0)
    account: ThrottlePolicy = ThrottlePolicy(free_attempts=20, base_delay=2.0, max_delay=300.0)
    trust_seconds: float = 30 * 24 * 3600.0
    log_seconds: float = 90 * 24 * 3600.0

    def counters(self, key: str, client: Client, trusted: bool) -> list[tuple[str, str, ThrottlePolicy]]:
        """(account, source, policy) of each counter an attempt passes, most specific first."""
        if trusted:
            return [(key, f"dev:{client.device}", self.pair)]
        source = f"addr:{client.address}"
        return [(key, source, self.pair), ("", source, self.address), (key, "", self.account)]


def authenticate(
    username: str,
    password: str,
    accounts: Mapping[str, str],
    logins: LoginStore,
    client: Client,
    *,
    policy: SignInPolicy | None = None,
) -> str:
    """The account name when `password` is right; otherwise an `AuthError`.

    Every counter is passed before the password is checked, so an attempt that comes too early
    costs no check at all, and parallel attempts cannot get more checks than the counters allow.
    Unknown names are treated like wrong passwords (same message, same cost), so the form does
    not reveal which accounts exist. Every attempt goes into the sign-in log.
    """
    policy = policy or SignInPolicy()
    name, now = _clean_name(username), clock.timestamp()
    key = _key(name)
    if not key:
        raise AuthError("err.auth_failed")
    trusted = bool(client.device) and logins.is_trusted_device(key, str(client.device), now)
    passed = []
    for account, source, rule in policy.counters(key, client, trusted):
        attempt = logins.count_login(account, rule, now, source)
        if not attempt.allowed:
            wait = math.ceil(attempt.retry_in(now))
            _log(
                logins,
                policy,
                LoginEvent(now, name, client.address, "throttled", f"{source or 'account'}: {wait} s"),
            )
            raise AuthError("err.auth_throttled", seconds=wait)
        passed.append(attempt)
    stored = accounts.get(name)
    if stored is None or not _verify(stored, password):
        if stored is None:
            _verify(_dummy_hash(accounts), password)
        _log(logins, policy, LoginEvent(now, name, client.address, "wrong"))
        raise AuthError("err.auth_failed")
    for attempt in passed:
        if attempt.account and attempt.source:  # this browser's or address's run ends; the others decay
            logins.login_succeeded(attempt)
    if client.device:
        logins.trust_device(key, client.device, now + policy.trust_seconds)
    _log(logins, policy, LoginEvent(now, name, client.address, "ok", "trusted" if trusted else ""))
    return name


def unlock(logins: LoginStore, username: str) -> int:
    """Clear every sign-in counter of an account (the operator's ``python -m geo unlock NAME``)."""
    key = _key(username)
    if not key:
        raise AuthError("err.auth_unlock_name")
    cleared = logins.unlock(key)
    log.warning("sign-in counters of %r cleared by the operator (%d)", username, cleared)
    return cleared


def _clean_name(username: str) -> str:
    """The typed name for counting and the log: control characters out, at most 64 characters."""
    return "".join(c for c in str(username) if c.isprintable()).strip()[:64]


def _log(logins: LoginStore, policy: SignInPolicy, event: LoginEvent) -> None:
    """One line in the server log and one entry in the store's sign-in log."""
    level = logging.INFO if event.outcome == "ok" else logging.WARNING
    log.log(
        level,
        "sign-in %s: account=%r address=%s %s",
        event.outcome,
        event.account,
        event.address,
        event.detail,
    )
    logins.record_login(event, policy.log_seconds)


def _dummy_hash(accounts: Mapping[str, str]) -> str:
    """What an unknown name's password is checked against, so it takes as long as a known one's:
    a hash with the parameters of the configured accounts (operators may bring hashes made with
    other parameters than today's defaults)."""
    for stored in accounts.values():
        try:
            return _hash_with(extract_parameters(stored))
        except (InvalidHashError, ValueError):
            continue
    return _hash_with(None)


_DUMMIES: dict[str, str] = {}


def _hash_with(parameters: Parameters | None) -> str:
    """A hash made with `parameters` (None: today's defaults), once per process."""
    key = repr(parameters)
    if key not in _DUMMIES:
        hasher = _HASHER if parameters is None else PasswordHasher.from_parameters(parameters)
        _DUMMIES[key] = hasher.hash("not a real password")
    return _DUMMIES[key]


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
