"""The join code of a round: six digits on the projector, changing every `CODE_MINUTES`.

A round that requires it admits a phone only with the code that is on the screen now (or
was a moment ago), so only people who see the projector take part; the QR code carries it.
Codes are derived from the round's secret salt and the time window, so every server process
and both store backends agree without storing them. The projector view itself needs the
round's screen key in its link (shown to planners only), so nobody reads the code remotely.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime

CODE_MINUTES = 10
DIGITS = 6


@dataclass(frozen=True)
class JoinCode:
    code: str
    valid_until: datetime  # when the projector shows the next one (the old one works a window more)
    screen_key: str  # what the projector link must carry to show the code


def _window(at: datetime) -> int:
    return int(at.timestamp() // (CODE_MINUTES * 60))


def _code(secret: str, window: int) -> str:
    mac = hmac.new(secret.encode(), f"join|{window}".encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(mac[:8], 'big') % 10**DIGITS:0{DIGITS}d}"


def screen_key(secret: str) -> str:
    return hmac.new(secret.encode(), b"screen", hashlib.sha256).hexdigest()[:24]


def join_code(secret: str, at: datetime) -> JoinCode:
    """The code the projector shows at `at`."""
    window = _window(at)
    until = datetime.fromtimestamp((window + 1) * CODE_MINUTES * 60, UTC)
    return JoinCode(_code(secret, window), until, screen_key(secret))


def code_valid(secret: str, code: object, at: datetime) -> bool:
    """Whether `code` (as typed: spaces are ignored) is the current or the previous one."""
    typed = "".join(str(code or "").split())
    window = _window(at)
    return any(hmac.compare_digest(typed, _code(secret, w)) for w in (window, window - 1))


def screen_key_valid(secret: str, key: object) -> bool:
    return isinstance(key, str) and hmac.compare_digest(key, screen_key(secret))
