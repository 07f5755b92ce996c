"""Join codes, admissions and the counts the flood limits decide by (GeoPackage backend).

A round that requires its join code admits a device once it presented the code on screen
(`round_admissions`, device hashed with the round's salt). `quota_counts` counts, inside the
writing transaction, what `geo.participation.rounds.check_quota` needs, and first clears the
address hashes that are older than the rate window: they serve the limits, nothing else.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from geo import clock
from geo.errors import GeoError
from geo.participation.joincode import JoinCode, code_valid, join_code
from geo.participation.rounds import HELD, Counts, Round, check_open, device_hash, iso

ADMISSIONS_SCHEMA = """
CREATE TABLE IF NOT EXISTS round_admissions (
    round_id TEXT NOT NULL REFERENCES rounds(id),
    device TEXT NOT NULL,
    at TEXT NOT NULL,
    UNIQUE (round_id, device)
)
"""
_CLEAR_ADDRESSES = (
    "UPDATE contributions SET address = '' WHERE round_id = ? AND address != '' AND created_at <= ?",
    "UPDATE supports SET address = '' WHERE round_id = ? AND address != '' AND at <= ?",
)
_COUNTS = """
SELECT COALESCE(SUM(device = ? AND created_at > ?), 0),
       COALESCE(SUM(address = ? AND address != '' AND created_at > ?), 0),
       COALESCE(SUM(hidden = 0 AND deleted = 0), 0),
       COALESCE(SUM(hidden = 1 AND deleted = 0 AND reason = ?), 0),
       COALESCE(SUM(created_at > ?), 0)
FROM contributions WHERE round_id = ?
"""


def is_admitted(conn: sqlite3.Connection, round_id: str, device: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM round_admissions WHERE round_id = ? AND device = ?", (round_id, device)
    ).fetchone()
    return row is not None


def check_admitted(conn: sqlite3.Connection, rnd: Round, device: str) -> None:
    """Refuse a device (hashed) that has not entered the code of a round that requires one."""
    if rnd.join_code and not is_admitted(conn, rnd.id, device):
        raise GeoError("err.part_code_required")


def quota_counts(conn: sqlite3.Connection, rnd: Round, device: str, address: str, at: datetime) -> Counts:
    """What `check_quota` decides by, for a device and an address (both hashed) at `at`."""
    since = iso(at - timedelta(minutes=rnd.rate_window_min))
    for statement in _CLEAR_ADDRESSES:
        conn.execute(statement, (rnd.id, since))
    minute = iso(at - timedelta(minutes=1))
    row = conn.execute(_COUNTS, (device, since, address, since, HELD, minute, rnd.id)).fetchone()
    return Counts(*row)


class AdmissionsMixin:
    """Join-code methods of `RoundStore` (needs ``self._catalog``, ``self._round``, ``self._salt``)."""

    def _admissions_schema(self) -> None:
        with self._catalog.write() as conn:
            conn.execute(ADMISSIONS_SCHEMA)

    def join_round(self, round_id: str, *, device: str, code: str, now: datetime | None = None) -> None:
        """Admit `device` to a round that requires its join code, if `code` is the one on screen."""
        with self._catalog.write() as conn:
            rnd, salt = self._round(conn, round_id), self._salt(conn, round_id)
            at = now or clock.now()
            check_open(rnd, at)
            if not code_valid(salt, code, at):
                raise GeoError("err.part_wrong_code")
            conn.execute(
                "INSERT OR IGNORE INTO round_admissions (round_id, device, at) VALUES (?, ?, ?)",
                (round_id, device_hash(salt, device), iso(at)),
            )

    def admitted(self, round_id: str, device: str) -> bool:
        """Whether `device` may take part (always, in a round without join code)."""
        with self._catalog.read() as conn:
            rnd, salt = self._round(conn, round_id), self._salt(conn, round_id)
            return not rnd.join_code or is_admitted(conn, round_id, device_hash(salt, device))

    def join_code(self, round_id: str, now: datetime | None = None) -> JoinCode:
        """The code the round's projector shows now, and the key its projector link carries."""
        with self._catalog.read() as conn:
            return join_code(self._salt(conn, round_id), now or clock.now())
