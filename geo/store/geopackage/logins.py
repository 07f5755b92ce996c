"""Sign-in counters, trusted browsers and the sign-in log of the GeoPackage store (catalogue).

One counter row per (account, source): the run of attempts not yet proven right (``count``,
last one at ``last_at``), the time before which the next attempt is refused
(``blocked_until``) and a ``serial`` that grows with every counted attempt and is never reset.
`count_login` reads, increments and decides in one ``BEGIN IMMEDIATE`` transaction *before*
any password is checked, so parallel sessions and server processes together get no more
password checks than the policy allows. A success resets a counter only when no attempt was
counted on it since (same serial), so it never shortens a wait another attempt set.
"""

from __future__ import annotations

from geo.store import LoginAttempt, LoginEvent, ThrottlePolicy
from geo.store.login_log import add_event, read_events

_IDLE_COUNTER_S = 86400.0  # counters without attempts for a day are dropped
LOGIN_SCHEMA = """
DROP TABLE IF EXISTS logins;
CREATE TABLE IF NOT EXISTS login_counters (
    account TEXT NOT NULL,
    source TEXT NOT NULL,
    count INTEGER NOT NULL,
    last_at REAL NOT NULL,
    blocked_until REAL NOT NULL DEFAULT 0,
    serial INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account, source)
);
CREATE TABLE IF NOT EXISTS login_devices (
    account TEXT NOT NULL,
    device TEXT NOT NULL,
    until REAL NOT NULL,
    PRIMARY KEY (account, device)
);
CREATE TABLE IF NOT EXISTS login_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    account TEXT NOT NULL,
    address TEXT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS login_log_by_time ON login_log (at);
"""


class LoginsMixin:
    """`LoginStore` methods of the GeoPackage store (needs ``self._catalog``)."""

    def _logins_schema(self) -> None:
        with self._catalog.write() as conn:
            for statement in LOGIN_SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)

    def count_login(self, account: str, policy: ThrottlePolicy, now: float, source: str = "") -> LoginAttempt:
        """Count one attempt on the (account, source) counter at `now` (epoch seconds) and say
        whether its password may be checked; each counted attempt sets the next one's wait."""
        with self._catalog.write() as conn:
            row = conn.execute(
                "SELECT count, last_at, blocked_until, serial FROM login_counters "
                "WHERE account = ? AND source = ?",
                (account, source),
            ).fetchone()
            if row is None:  # names typed at random must not grow the table without end
                conn.execute(
                    "DELETE FROM login_counters WHERE last_at < ? AND blocked_until < ?",
                    (now - _IDLE_COUNTER_S, now),
                )
            attempt = policy.attempt(account, source, now, *(row if row else (0, now, 0.0, 0)))
            if attempt.allowed:
                conn.execute(
                    "INSERT OR REPLACE INTO login_counters "
                    "(account, source, count, last_at, blocked_until, serial) VALUES (?, ?, ?, ?, ?, ?)",
                    (account, source, attempt.number, now, attempt.blocked_until, attempt.serial),
                )
        return attempt

    def login_succeeded(self, attempt: LoginAttempt) -> bool:
        """Forget the run after a right password, unless another attempt was counted on the
        same counter since (its failure, or the wait it set, must stand). True when reset."""
        with self._catalog.write() as conn:
            cursor = conn.execute(
                "UPDATE login_counters SET count = 0, blocked_until = 0 "
                "WHERE account = ? AND source = ? AND serial = ?",
                (attempt.account, attempt.source, attempt.serial),
            )
        return cursor.rowcount == 1

    def trust_device(self, account: str, device: str, until: float) -> None:
        """Remember that `device` (a server-signed browser id) signed in as `account`."""
        with self._catalog.write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO login_devices (account, device, until) VALUES (?, ?, ?)",
                (account, device, until),
            )

    def is_trusted_device(self, account: str, device: str, now: float) -> bool:
        with self._catalog.read() as conn:
            row = conn.execute(
                "SELECT until FROM login_devices WHERE account = ? AND device = ?", (account, device)
            ).fetchone()
        return bool(row) and row[0] > now

    def unlock(self, account: str) -> int:
        """Clear every counter of `account` (all sources); returns how many were cleared."""
        with self._catalog.write() as conn:
            return conn.execute("DELETE FROM login_counters WHERE account = ?", (account,)).rowcount

    def record_login(self, event: LoginEvent, keep_seconds: float) -> None:
        """Add `event` to the sign-in log and drop entries older than `keep_seconds` before it."""
        with self._catalog.write() as conn:
            add_event(conn, event, keep_seconds)

    def login_events(
        self, *, account: str | None = None, since: float = 0.0, limit: int = 200
    ) -> list[LoginEvent]:
        """The newest sign-in attempts first (of one account, compared case-insensitively)."""
        with self._catalog.read() as conn:
            return read_events(conn, account, since, limit)
