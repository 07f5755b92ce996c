"""The one clock that every decision by "now" reads.

Rounds open and closed, upcoming and past events, sign-in delays, rate limits and the demo's
event dates all take their time from here, so tests (and a rehearsal before a forum) can set
it: `use_clock(FixedClock(...))` in code, or ``SMART_REGION_NOW=2026-11-22T18:00:00+01:00``
for a whole server, which then starts at that instant and runs on in real time. Processes
that must agree on the time (tests and the servers they start) add the machine time that
instant stands for: ``SMART_REGION_NOW=2026-11-22T18:00:00+01:00@1795000000.0``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Berlin")
ENV = "SMART_REGION_NOW"


class Clock:
    """The machine's time, optionally shifted: `start` is the time at machine time `anchor`
    (default: now), and the clock runs on from there."""

    def __init__(self, start: datetime | None = None, anchor: float | None = None) -> None:
        real = time.time() if anchor is None else anchor
        self._offset = 0.0 if start is None else _aware(start).timestamp() - real

    def timestamp(self) -> float:
        """Seconds since the epoch (UTC)."""
        return time.time() + self._offset

    def now(self) -> datetime:
        """The current time, timezone-aware in UTC."""
        return datetime.fromtimestamp(self.timestamp(), UTC)


class FixedClock(Clock):
    """A clock that stands still until a test moves it."""

    def __init__(self, at: datetime) -> None:
        super().__init__()
        self._at = _aware(at).timestamp()

    def timestamp(self) -> float:
        return self._at

    def advance(self, seconds: float = 0, **delta: float) -> None:
        """Move the clock on by `seconds` (and/or `timedelta` keywords, e.g. ``hours=2``)."""
        self._at += seconds + timedelta(**delta).total_seconds()


def _aware(at: datetime) -> datetime:
    """Naive times are taken as Berlin local time, the district's time."""
    return at if at.tzinfo is not None else at.replace(tzinfo=LOCAL_TZ)


def from_environment() -> Clock:
    """A clock from ``SMART_REGION_NOW`` (ISO 8601, optionally ``@`` machine time), else the
    machine's own."""
    value = os.environ.get(ENV, "").strip()
    if not value:
        return Clock()
    start, _, anchor = value.partition("@")
    return Clock(datetime.fromisoformat(start), float(anchor) if anchor else None)


_current: Clock = from_environment()


def current() -> Clock:
    return _current


def set_clock(clock: Clock) -> Clock:
    """Make `clock` the one everybody reads; returns the previous one."""
    global _current
    previous, _current = _current, clock
    return previous


@contextmanager
def use_clock(clock: Clock) -> Iterator[Clock]:
    """`clock` for the duration of a ``with`` block."""
    previous = set_clock(clock)
    try:
        yield clock
    finally:
        set_clock(previous)


def now() -> datetime:
    """Aware UTC time of the current clock."""
    return _current.now()


def local_now() -> datetime:
    """Current time in Europe/Berlin."""
    return _current.now().astimezone(LOCAL_TZ)


def today() -> date:
    """Today's date in Europe/Berlin."""
    return local_now().date()


def timestamp() -> float:
    """Seconds since the epoch of the current clock (for delays and lock-outs)."""
    return _current.timestamp()
