"""The wrong-password counter in PostgreSQL: the same rules as the GeoPackage twin.

`count_login` makes sure the account's row exists, locks it (``FOR UPDATE``), then reads,
increments and decides in the same transaction, so parallel attempts on any replica queue on
the row and together get no more password checks than the policy allows.
"""

from __future__ import annotations

from geo.store import LockoutPolicy, LoginAttempt


class LoginsMixin:
    """`LoginStore` methods of the PostGIS store (needs ``self._db``)."""

    def count_login(self, account: str, policy: LockoutPolicy, now: float) -> LoginAttempt:
        """Count one attempt for `account` at `now` (epoch seconds) and say whether its password
        may be checked; the attempt that reaches `policy.max_failures` sets the lock."""
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO logins (account, count, last_at) VALUES (%s, 0, %s) "
                "ON CONFLICT (account) DO NOTHING",
                (account, now),
            )
            row = conn.execute(
                "SELECT count, last_at, locked_until, serial FROM logins WHERE account = %s FOR UPDATE",
                (account,),
            ).fetchone()
            attempt = policy.attempt(
                account, now, row["count"], row["last_at"], row["locked_until"], row["serial"]
            )
            if attempt.allowed:
                conn.execute(
                    "UPDATE logins SET count = %s, last_at = %s, locked_until = %s, serial = %s "
                    "WHERE account = %s",
                    (attempt.number, now, attempt.locked_until, attempt.serial, account),
                )
        return attempt

    def login_succeeded(self, attempt: LoginAttempt) -> bool:
        """Forget the count after a right password, unless another attempt was counted since."""
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "UPDATE logins SET count = 0, locked_until = 0 WHERE account = %s AND serial = %s",
                (attempt.account, attempt.serial),
            )
            return cursor.rowcount == 1
