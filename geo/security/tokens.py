"""Server-signed tokens: random ids the server hands out in cookies and recognises again.

A token is ``<id>.<issued>.<signature>``: a random id, the issue time (epoch seconds) and an
HMAC-SHA256 over both and the token's purpose, keyed with the server's secret. Clients can
keep a token but cannot invent one, change its id, or move it to another purpose.

The secret comes from ``SMART_REGION_SECRET_KEY`` (at least 32 characters). Without it each
process makes its own random key: tokens then die with the process and are not shared
between several server processes, so production sets it (docs/SECURITY.md).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import re
import secrets
from functools import lru_cache

from geo.errors import GeoError

SECRET_ENV = "SMART_REGION_SECRET_KEY"
MIN_SECRET_CHARS = 32
_TOKEN = re.compile(r"^([A-Za-z0-9_-]{16,64})\.([0-9]{1,12})\.([A-Za-z0-9_-]{43})$")
log = logging.getLogger("smart_region.security")


@lru_cache(maxsize=1)
def secret_key() -> bytes:
    """The process's signing key: ``SMART_REGION_SECRET_KEY``, else a random one (logged)."""
    value = os.environ.get(SECRET_ENV, "")
    if not value:
        log.warning("%s is not set: signed cookies last only as long as this process", SECRET_ENV)
        return secrets.token_bytes(32)
    if len(value) < MIN_SECRET_CHARS:
        raise GeoError("err.secret_too_short", variable=SECRET_ENV, minimum=MIN_SECRET_CHARS)
    return value.encode()


def _signature(purpose: str, ident: str, issued: int, key: bytes) -> str:
    mac = hmac.new(key, f"{purpose}|{ident}|{issued}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def new_token(purpose: str, issued: float, key: bytes | None = None) -> str:
    """A fresh signed token for `purpose` (e.g. "device", "browser") issued at `issued`."""
    ident, at = secrets.token_urlsafe(18), int(issued)
    return f"{ident}.{at}.{_signature(purpose, ident, at, key or secret_key())}"


def token_id(purpose: str, token: object, now: float, max_age: float, key: bytes | None = None) -> str | None:
    """The id inside `token` when it is ours, for `purpose`, and not older than `max_age`."""
    match = _TOKEN.fullmatch(token) if isinstance(token, str) else None
    if match is None:
        return None
    ident, issued = match[1], int(match[2])
    expected = _signature(purpose, ident, issued, key or secret_key())
    if not hmac.compare_digest(expected, match[3]):
        return None
    return ident if 0 <= now - issued <= max_age else None


def set_cookie(name: str, token: str, max_age: float, *, same_site: str, secure: bool) -> str:
    """A ``Set-Cookie`` value for a server token: HttpOnly (no script reads it), whole site."""
    flags = f"; Max-Age={int(max_age)}; Path=/; HttpOnly; SameSite={same_site}"
    return f"{name}={token}{flags}" + ("; Secure" if secure else "")


# The browser cookie binds planner sign-ins to the browser that made them (`signins`) and
# marks browsers that signed in before (`geo.auth`): strict, so no other site's link sends it.
BROWSER_COOKIE = "sr_browser"
BROWSER_PURPOSE = "browser"
BROWSER_MAX_AGE_S = 30 * 24 * 3600.0


def browser_id(token: object, now: float) -> str | None:
    """The browser id in a ``sr_browser`` cookie value, when the server issued it."""
    return token_id(BROWSER_PURPOSE, token, now, BROWSER_MAX_AGE_S)
