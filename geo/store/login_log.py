"""The sign-in log in SQL both backends run (written once, placeholders as in
`geo.store.round_limits.sql`), inside the backend's own transaction."""

from __future__ import annotations

from geo.store import LoginEvent
from geo.store.round_limits import sql

_FIELDS = ("at", "account", "address", "outcome", "detail")
_INSERT = "INSERT INTO login_log (at, account, address, outcome, detail) VALUES (?, ?, ?, ?, ?)"
_PRUNE = "DELETE FROM login_log WHERE at < ?"


def add_event(conn, event: LoginEvent, keep_seconds: float, mark: str = "?") -> None:
    """Add `event` and drop entries older than `keep_seconds` before it."""
    conn.execute(sql(_INSERT, mark), (event.at, event.account, event.address, event.outcome, event.detail))
    conn.execute(sql(_PRUNE, mark), (event.at - keep_seconds,))


def read_events(conn, account: str | None, since: float, limit: int, mark: str = "?") -> list[LoginEvent]:
    """The newest attempts first (of one account, compared case-insensitively)."""
    query = f"SELECT {', '.join(_FIELDS)} FROM login_log WHERE at >= ?"  # noqa: S608 (fixed names)
    params: list[object] = [since]
    if account is not None:
        query += " AND lower(account) = lower(?)"
        params.append(account)
    rows = conn.execute(sql(query + " ORDER BY at DESC, id DESC LIMIT ?", mark), (*params, limit)).fetchall()
    return [LoginEvent(*(row[name] for name in _FIELDS)) for row in rows]
