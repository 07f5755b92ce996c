"""The flood limits of participation rounds in SQL both backends run (GeoPackage and PostGIS).

Called inside the backend's writing transaction (GeoPackage: ``BEGIN IMMEDIATE``; PostGIS: the
round's row locked), so the counts the limits decide by cannot change before the insert. The
SQL is written once with ``?`` placeholders; `mark` turns them into PostgreSQL's ``%s``.
Address hashes are cleared once the rate window has passed: they serve the limits, nothing else.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from geo.errors import GeoError
from geo.participation.rounds import HELD, SUPPORTS_PER_ADDRESS, Counts, Round, iso

_CLEAR_ADDRESSES = (
    "UPDATE contributions SET address = '' WHERE round_id = ? AND address != '' AND created_at <= ?",
    "UPDATE supports SET address = '' WHERE round_id = ? AND address != '' AND at <= ?",
)
_COUNTS = """
SELECT COALESCE(SUM(CASE WHEN device = ? AND created_at > ? THEN 1 ELSE 0 END), 0) AS by_device,
       COALESCE(SUM(CASE WHEN address = ? AND address != '' AND created_at > ? THEN 1 ELSE 0 END), 0)
           AS by_address,
       COALESCE(SUM(CASE WHEN hidden = 0 AND deleted = 0 THEN 1 ELSE 0 END), 0) AS visible,
       COALESCE(SUM(CASE WHEN hidden = 1 AND deleted = 0 AND reason = ? THEN 1 ELSE 0 END), 0) AS held,
       COALESCE(SUM(CASE WHEN created_at > ? THEN 1 ELSE 0 END), 0) AS last_minute
FROM contributions WHERE round_id = ?
"""
_SUPPORTS_BY_ADDRESS = (
    "SELECT COUNT(*) AS n FROM supports WHERE contribution_id = ? AND address = ? AND address != '' "
    "AND at > ?"
)
_ADMITTED = "SELECT 1 AS found FROM round_admissions WHERE round_id = ? AND device = ?"
ADMIT = "INSERT INTO round_admissions (round_id, device, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"


def sql(text: str, mark: str) -> str:
    """`text` with its ``?`` placeholders as `mark` (``%s`` for PostgreSQL)."""
    return text if mark == "?" else text.replace("?", mark)


def is_admitted(conn, round_id: str, device: str, mark: str = "?") -> bool:
    """Whether the (hashed) device entered the round's join code."""
    return conn.execute(sql(_ADMITTED, mark), (round_id, device)).fetchone() is not None


def check_admitted(conn, rnd: Round, device: str, mark: str = "?") -> None:
    """Refuse a device (hashed) that has not entered the code of a round that requires one."""
    if rnd.join_code and not is_admitted(conn, rnd.id, device, mark):
        raise GeoError("err.part_code_required")


def quota_counts(conn, rnd: Round, device: str, address: str, at: datetime, mark: str = "?") -> Counts:
    """What `check_quota` decides by, for a device and an address (both hashed) at `at`."""
    since = iso(at - timedelta(minutes=rnd.rate_window_min))
    for statement in _CLEAR_ADDRESSES:
        conn.execute(sql(statement, mark), (rnd.id, since))
    minute = iso(at - timedelta(minutes=1))
    row = conn.execute(sql(_COUNTS, mark), (device, since, address, since, HELD, minute, rnd.id)).fetchone()
    return Counts(*(int(row[name]) for name in ("by_device", "by_address", "visible", "held", "last_minute")))


def check_support_address(
    conn, rnd: Round, contribution_id: int, address: str, at: datetime, mark: str = "?"
) -> None:
    """Refuse a "+1" when this address (hashed) gave the contribution its share already."""
    since = iso(at - timedelta(minutes=rnd.rate_window_min))
    row = conn.execute(sql(_SUPPORTS_BY_ADDRESS, mark), (contribution_id, address, since)).fetchone()
    if row["n"] >= SUPPORTS_PER_ADDRESS:
        raise GeoError("err.part_support_address_limit", minutes=rnd.rate_window_min)
