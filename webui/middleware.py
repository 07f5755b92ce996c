"""The app server's guard around Streamlit: headers, server-issued cookies, uploads, metrics.

Pure ASGI (so uploads stream through and websockets pass untouched), installed by
`webui.server`:

- every HTTP response gets the security headers of `geo.security.headers` (CSP and others)
  that it does not set itself (the phone page sends its own, stricter policy);
- every HTML page response gives the browser what it lacks of the two server-signed,
  HttpOnly cookies: ``sr_browser`` (binds a planner sign-in to this browser) and
  ``sr_device`` (a participation phone's device token). The websocket that follows the page
  carries them, and the pages verify them (`st.context.cookies`);
- Streamlit's upload endpoint accepts files only for a session with a live planner sign-in
  made in this very browser (`SIGN_INS`), and only up to a per-session total;
- ``/_stcore/metrics`` (cache names and sizes) is not served.

Map caches (tiles, payload files) are served by `webui.map_cache`, for live layer versions only.
"""

from __future__ import annotations

import logging
import re

from starlette.requests import cookie_parser

from geo import clock
from geo.config import load_settings
from geo.participation.devices import COOKIE as DEVICE_COOKIE
from geo.participation.devices import device_cookie, device_id, new_device_token
from geo.security.headers import security_headers
from geo.security.signins import SignIns
from geo.security.tokens import (
    BROWSER_COOKIE,
    BROWSER_MAX_AGE_S,
    BROWSER_PURPOSE,
    browser_id,
    new_token,
    set_cookie,
)

SIGN_INS = SignIns()  # this process's planner sign-ins: written by the pages, read here
_UPLOAD = re.compile(r"/_stcore/upload_file/([^/]+)/([^/]+)$")  # below any server.baseUrlPath
_HIDDEN = re.compile(r"/_stcore/metrics/?$")
_HEADERS = [(k.lower().encode(), v.encode()) for k, v in security_headers()]
log = logging.getLogger("smart_region.security")


def upload_budget() -> int:
    """Bytes one planner session may hold in uploads at once: two files of the largest size."""
    return 2 * load_settings().max_upload_mb * 1024 * 1024


def _cookies(scope) -> dict[str, str]:
    raw = b"; ".join(v for k, v in scope.get("headers", []) if k == b"cookie")
    return cookie_parser(raw.decode("latin-1")) if raw else {}


def _header(scope, name: bytes) -> str | None:
    return next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == name), None)


async def _refuse(send, status: int, text: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), *_HEADERS],
        }
    )
    await send({"type": "http.response.body", "body": text.encode()})


def new_cookies(cookies: dict[str, str], now: float, secure: bool) -> list[str]:
    """``Set-Cookie`` values for the server tokens this browser lacks (or holds invalid)."""
    out = []
    if browser_id(cookies.get(BROWSER_COOKIE), now) is None:
        token = new_token(BROWSER_PURPOSE, now)
        out.append(set_cookie(BROWSER_COOKIE, token, BROWSER_MAX_AGE_S, same_site="Strict", secure=secure))
    if device_id(cookies.get(DEVICE_COOKIE), now) is None:
        out.append(device_cookie(new_device_token(now), secure))
    return out


class SecurityMiddleware:
    """See the module docstring."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, method = scope["path"], scope["method"]
        if _HIDDEN.search(path):
            await _refuse(send, 404, "Not Found")
            return
        upload = _UPLOAD.search(path)
        if upload and method == "PUT":
            refusal = self._admit_upload(scope, upload[1], upload[2])
            if refusal:
                log.warning("upload refused (%s) for session %s", refusal, upload[1][:12])
                await _refuse(send, 411 if refusal == "no-length" else 403, f"Upload refused: {refusal}")
                return
        elif upload and method == "DELETE":
            SIGN_INS.upload_removed(upload[1], upload[2])
        await self.app(scope, receive, self._with_headers(scope, send))

    def _admit_upload(self, scope, session: str, file_id: str) -> str | None:
        length = _header(scope, b"content-length")
        if not length or not length.isdigit():
            return "no-length"  # a chunked body could not be held to the budget up front
        now = clock.timestamp()
        browser = browser_id(_cookies(scope).get(BROWSER_COOKIE), now)
        return SIGN_INS.admit_upload(session, browser, file_id, int(length), upload_budget(), now)

    def _with_headers(self, scope, send):
        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                own = {name for name, _ in headers}  # a route's stricter policy (the phone page) stays
                headers += [h for h in _HEADERS if h[0] not in own]
                content_type = dict(message.get("headers", [])).get(b"content-type", b"")
                if content_type.startswith(b"text/html"):
                    secure = scope.get("scheme") == "https"
                    cookies = new_cookies(_cookies(scope), clock.timestamp(), secure)
                    given = {v.split(b"=", 1)[0] for k, v in headers if k == b"set-cookie"}
                    headers += [
                        (b"set-cookie", c.encode())
                        for c in cookies
                        if c.split("=", 1)[0].encode() not in given
                    ]
                message = {**message, "headers": headers}
            await send(message)

        return send_with_headers
