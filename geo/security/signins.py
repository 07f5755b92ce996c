"""Planner sign-ins of this server process, each bound to one session *and* one browser.

A Streamlit session is identified by an id the browser keeps; anyone who learns it can
connect to the session. So a sign-in is bound to the server-signed, HttpOnly browser cookie
as well (`geo.security.tokens`, purpose "browser"): every planner action checks that the
connection still presents that browser, and a session taken over without the cookie is
signed out. Sign-ins expire after `MAX_HOURS`, or after `IDLE_MINUTES` without any action.
The app server's middleware asks the same registry before it accepts an upload.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

MAX_HOURS = 8.0
IDLE_MINUTES = 60.0


@dataclass
class SignIn:
    user: str
    browser: str
    started: float
    seen: float
    uploads: dict[str, int] = field(default_factory=dict)  # file id -> bytes held for this session


class SignIns:
    """Session id -> sign-in, shared by the pages and the app server's middleware (thread-safe)."""

    def __init__(self, max_hours: float = MAX_HOURS, idle_minutes: float = IDLE_MINUTES) -> None:
        self._max_s, self._idle_s = max_hours * 3600, idle_minutes * 60
        self._by_session: dict[str, SignIn] = {}
        self._lock = threading.Lock()

    def start(self, session: str, user: str, browser: str, now: float) -> None:
        """Sign `session` in as `user`, bound to `browser` (a verified browser id)."""
        with self._lock:
            for key in [k for k, v in self._by_session.items() if not self._live(v, now)]:
                del self._by_session[key]
            self._by_session[session] = SignIn(user, browser, now, now)

    def user(self, session: str, browser: str | None, now: float) -> str | None:
        """The planner of `session` when the connection presents the bound browser and the
        sign-in has not expired; otherwise the sign-in ends and the answer is None."""
        with self._lock:
            sign_in = self._checked(session, browser, now)
            return sign_in.user if sign_in else None

    def end(self, session: str) -> None:
        with self._lock:
            self._by_session.pop(session, None)

    def admit_upload(
        self, session: str, browser: str | None, file_id: str, size: int, budget: int, now: float
    ) -> str | None:
        """None when `session`'s planner may upload `size` bytes more; else why not
        ("signed-out", "too-large"). `budget` bounds what one session holds at once."""
        with self._lock:
            sign_in = self._checked(session, browser, now)
            if sign_in is None:
                return "signed-out"
            uploads = sign_in.uploads
            held = sum(v for k, v in uploads.items() if k != file_id)
            if held + size > budget:
                return "too-large"
            uploads[file_id] = size
        return None

    def upload_removed(self, session: str, file_id: str) -> None:
        with self._lock:
            sign_in = self._by_session.get(session)
            if sign_in is not None:
                sign_in.uploads.pop(file_id, None)

    def _checked(self, session: str, browser: str | None, now: float) -> SignIn | None:
        """The live sign-in of `session` for `browser` (lock held); a mismatch ends it."""
        sign_in = self._by_session.get(session)
        if sign_in is None:
            return None
        if browser != sign_in.browser or not self._live(sign_in, now):
            del self._by_session[session]
            return None
        sign_in.seen = now
        return sign_in

    def _live(self, sign_in: SignIn, now: float) -> bool:
        return now - sign_in.started < self._max_s and now - sign_in.seen < self._idle_s
