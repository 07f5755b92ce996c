"""Sign-in counters, trusted browsers and the sign-in log in PostgreSQL: the GeoPackage twin's rules.

`count_login` makes sure the counter's row exists, locks it (``FOR UPDATE``), then reads,
increments and decides in the same transaction, so parallel attempts on any replica queue on
the row and together get no more password checks than the policy allows. A success resets a
counter only when no attempt was counted on it since (same serial).
"""

from __future__ import annotations

from geo.store import LoginAttempt, LoginEvent, ThrottlePolicy
from geo.store.login_log import add_event, read_events

_IDLE_COUNTER_S = 86400.0  # counters without attempts for a day are dropped


class LoginsMixin:
    """`LoginStore` methods of the PostGIS store (needs ``self._db``)."""

    def count_login(self, account: str, policy: ThrottlePolicy, now: float, source: str = "") -> LoginAttempt:
        """Count one attempt on the (account, source) counter at `now` (epoch seconds) and say
        whether its password may be checked; each counted attempt sets the next one's wait."""
        with self._db.transaction() as conn:
            created = conn.execute(
                "INSERT INTO login_counters (account, source, count, last_at) VALUES (%s, %s, 0, %s) "
                "ON CONFLICT (account, source) DO NOTHING",
                (account, source, now),
            )
            if created.rowcount:  # names typed at random must not grow the table without end
                conn.execute(
                    "DELETE FROM login_counters WHERE last_at < %s AND blocked_until < %s",
                    (now - _IDLE_COUNTER_S, now),
                )
            row = conn.execute(
                "SELECT count, last_at, blocked_until, serial FROM login_counters "
                "WHERE account = %s AND source = %s FOR UPDATE",
                (account, source),
            ).fetchone()
            attempt = policy.attempt(
                account, source, now, row["count"], row["last_at"], row["blocked_until"], row["serial"]
            )
            if attempt.allowed:
                conn.execute(
                    "UPDATE login_counters SET count = %s, last_at = %s, blocked_until = %s, serial = %s "
                    "WHERE account = %s AND source = %s",
                    (attempt.number, now, attempt.blocked_until, attempt.serial, account, source),
                )
        return attempt

    def login_succeeded(self, attempt: LoginAttempt) -> bool:
        """Forget the run after a right password, unless another attempt was counted since."""
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "UPDATE login_counters SET count = 0, blocked_until = 0 "
                "WHERE account = %s AND source = %s AND serial = %s",
                (attempt.account, attempt.source, attempt.serial),
            )
            return cursor.rowcount == 1

    def trust_device(self, account: str, device: str, until: float) -> None:
        """Remember that `device` (a server-signed browser id) signed in as `account`."""
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO login_devices (account, device, until) VALUES (%s, %s, %s) "
                "ON CONFLICT (account, device) DO UPDATE SET until = EXCLUDED.until",
                (account, device, until),
            )

    def is_trusted_device(self, account: str, device: str, now: float) -> bool:
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT until FROM login_devices WHERE account = %s AND device = %s", (account, device)
            ).fetchone()
        return bool(row) and row["until"] > now

    def unlock(self, account: str) -> int:
        """Clear every counter of `account` (all sources); returns how many were cleared."""
        with self._db.transaction() as conn:
            return conn.execute("DELETE FROM login_counters WHERE account = %s", (account,)).rowcount

    def record_login(self, event: LoginEvent, keep_seconds: float) -> None:
        """Add `event` to the sign-in log and drop entries older than `keep_seconds` before it."""
        with self._db.transaction() as conn:
            add_event(conn, event, keep_seconds, "%s")

    def login_events(
        self, *, account: str | None = None, since: float = 0.0, limit: int = 200
    ) -> list[LoginEvent]:
        """The newest sign-in attempts first (of one account, compared case-insensitively)."""
        with self._db.transaction() as conn:
            return read_events(conn, account, since, limit, "%s")
