"""Device tokens of participation phones: issued and signed by the server, never chosen by them.

"+1 once per device" and the per-device rate limit count by device. The token lives in the
``sr_device`` cookie, which the app server sets on the first page a phone loads (HttpOnly,
SameSite=Lax, a year). A phone page, or an HTTP endpoint for phones, calls `device_id` with
the cookie's value: an invented, altered or expired value is no device (`None`), and the page
refuses to count its contributions until the browser has a token from the server.

An HTTP endpoint without the app server's middleware issues a token itself:
``token = new_device_token(now)``, then ``Set-Cookie: device_cookie(token, secure)``.
"""

from __future__ import annotations

from geo.security.tokens import new_token, set_cookie, token_id

COOKIE = "sr_device"
PURPOSE = "device"
MAX_AGE_S = 365 * 24 * 3600.0


def new_device_token(now: float) -> str:
    """A fresh signed device token."""
    return new_token(PURPOSE, now)


def device_id(token: object, now: float) -> str | None:
    """The device id in a cookie value when the server issued it and it has not expired."""
    return token_id(PURPOSE, token, now, MAX_AGE_S)


def device_cookie(token: str, secure: bool) -> str:
    """The ``Set-Cookie`` value that gives a phone its device token."""
    return set_cookie(COOKIE, token, MAX_AGE_S, same_site="Lax", secure=secure)
