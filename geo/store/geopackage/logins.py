"""The wrong-password counter of the GeoPackage store, in the catalogue's SQLite database.

One row per account: the run of attempts not yet proven right (``count``, last one at
``last_at``), the lock (``locked_until``) and a ``serial`` that grows with every counted
attempt and is never reset. `count_login` reads, increments and decides in one
``BEGIN IMMEDIATE`` transaction *before* any password is checked, so parallel sessions and
server processes together get no more password checks than the policy allows. A success
resets the count only when no attempt was counted after it (same serial), so it never lowers
a lock that another attempt set. Failures write nothing: they were counted up front.
"""

from __future__ import annotations

from geo.store import LockoutPolicy, LoginAttempt

LOGIN_SCHEMA = """
CREATE TABLE IF NOT EXISTS logins (
    account TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    last_at REAL NOT NULL,
    locked_until REAL NOT NULL DEFAULT 0,
    serial INTEGER NOT NULL DEFAULT 0
)
"""


class LoginsMixin:
    """`LoginStore` methods of the GeoPackage store (needs ``self._catalog``)."""

    def _logins_schema(self) -> None:
        with self._catalog.write() as conn:
            conn.execute(LOGIN_SCHEMA)

    def count_login(self, account: str, policy: LockoutPolicy, now: float) -> LoginAttempt:
        """Count one attempt for `account` at `now` (epoch seconds) and say whether its password
        may be checked; the attempt that reaches `policy.max_failures` sets the lock."""
        with self._catalog.write() as conn:
            row = conn.execute(
                "SELECT count, last_at, locked_until, serial FROM logins WHERE account = ?",
                (account,),
            ).fetchone()
            attempt = policy.attempt(account, now, *(row if row else (0, now, 0.0, 0)))
            if attempt.allowed:
                conn.execute(
                    "INSERT OR REPLACE INTO logins (account, count, last_at, locked_until, serial) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (account, attempt.number, now, attempt.locked_until, attempt.serial),
                )
        return attempt

    def login_succeeded(self, attempt: LoginAttempt) -> bool:
        """Forget the count after a right password, unless another attempt was counted since
        (its failure, or the lock it set, must stand). True when the count was reset."""
        with self._catalog.write() as conn:
            cursor = conn.execute(
                "UPDATE logins SET count = 0, locked_until = 0 WHERE account = ? AND serial = ?",
                (attempt.account, attempt.serial),
            )
        return cursor.rowcount == 1
