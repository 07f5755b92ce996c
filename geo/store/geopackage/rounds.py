"""Participation rounds and contributions in the catalogue's SQLite database.

Many phones write at once: every write is one ``BEGIN IMMEDIATE`` transaction that checks the
round's time, the device's rate limit and the round's cap and then inserts, so limits hold
under concurrency. "+1" relies on a UNIQUE (contribution, device) constraint; a resent
contribution (same request id) returns the stored one instead of a duplicate. Nothing is
physically deleted: moderation hides rows and writes the audit log.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from datetime import datetime, timedelta

from geo import clock
from geo.errors import GeoError
from geo.participation.rounds import (
    Contribution,
    Round,
    check_contribution,
    check_open,
    check_quota,
    device_hash,
    iso,
    moderation_flags,
    valid_round_id,
)
from geo.store import AuditEntry
from geo.store.geopackage import catalog as cat
from geo.store.round_layer import RoundLayerMixin

PARTICIPATION_SCHEMA = """
CREATE TABLE IF NOT EXISTS rounds (
    id TEXT PRIMARY KEY,
    question TEXT NOT NULL,
    categories TEXT NOT NULL,
    bbox TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    max_text INTEGER NOT NULL,
    rate_limit INTEGER NOT NULL,
    rate_window_min INTEGER NOT NULL,
    cap INTEGER NOT NULL,
    salt TEXT NOT NULL,
    closed INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    layer_id TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS contributions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id TEXT NOT NULL REFERENCES rounds(id),
    lon REAL NOT NULL,
    lat REAL NOT NULL,
    category TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    device TEXT NOT NULL,
    request_id TEXT,
    hidden INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0,
    reason TEXT NOT NULL DEFAULT '',
    UNIQUE (round_id, device, request_id)
);
CREATE INDEX IF NOT EXISTS contributions_by_device ON contributions (round_id, device, created_at);
CREATE TABLE IF NOT EXISTS supports (
    round_id TEXT NOT NULL REFERENCES rounds(id),
    contribution_id INTEGER NOT NULL REFERENCES contributions(id),
    device TEXT NOT NULL,
    at TEXT NOT NULL,
    UNIQUE (contribution_id, device)
);
"""

_CONTRIBUTION_QUERY = """
SELECT c.*, (SELECT COUNT(*) FROM supports s WHERE s.contribution_id = c.id) AS support
FROM contributions c
"""


def _to_round(row: sqlite3.Row) -> Round:
    return Round(
        id=row["id"],
        question=row["question"],
        categories=tuple(json.loads(row["categories"])),
        bbox=tuple(json.loads(row["bbox"])),
        start=datetime.fromisoformat(row["starts_at"]),
        end=datetime.fromisoformat(row["ends_at"]),
        max_text=row["max_text"],
        rate_limit=row["rate_limit"],
        rate_window_min=row["rate_window_min"],
        cap=row["cap"],
        closed=bool(row["closed"]),
        created_at=row["created_at"],
        created_by=row["created_by"],
        layer_id=row["layer_id"],
    )


def round_values(rnd: Round, round_id: str, author: str) -> tuple:
    """A new round's stored columns, in the order both backends insert them (a fresh salt)."""
    return (
        round_id,
        rnd.question,
        json.dumps(list(rnd.categories), ensure_ascii=False),
        json.dumps(list(rnd.bbox)),
        iso(rnd.start),
        iso(rnd.end),
        rnd.max_text,
        rnd.rate_limit,
        rnd.rate_window_min,
        rnd.cap,
        secrets.token_hex(16),
        iso(clock.now()),
        author,
    )


def _to_contribution(row: sqlite3.Row) -> Contribution:
    return Contribution(
        id=row["id"],
        round_id=row["round_id"],
        lon=row["lon"],
        lat=row["lat"],
        category=row["category"],
        text=row["text"],
        created_at=row["created_at"],
        device=row["device"],
        support=row["support"],
        hidden=bool(row["hidden"]),
        deleted=bool(row["deleted"]),
        reason=row["reason"],
    )


def _audit(conn: sqlite3.Connection, author: str, action: str, round_id: str, detail: str = "") -> None:
    now = clock.now().isoformat(timespec="seconds")
    cat.add_audit(conn, AuditEntry(now, author, action, f"beteiligung/{round_id}", None, "", detail))


class ParticipationMixin(RoundLayerMixin):
    """Participation methods of the GeoPackage store (needs ``self._catalog`` and ``self.write``)."""

    def _participation_schema(self) -> None:
        with self._catalog.write() as conn:
            for statement in PARTICIPATION_SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)

    # --- rounds ------------------------------------------------------------------------------

    def create_round(self, rnd: Round, *, author: str = "system") -> Round:
        """Store a round made by `geo.participation.rounds.new_round`; returns it with its new id."""
        with self._catalog.write() as conn:
            round_id = secrets.token_hex(4)
            while conn.execute("SELECT 1 FROM rounds WHERE id = ?", (round_id,)).fetchone():
                round_id = secrets.token_hex(4)
            conn.execute(
                "INSERT INTO rounds (id, question, categories, bbox, starts_at, ends_at, max_text, "
                "rate_limit, rate_window_min, cap, salt, created_at, created_by) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                round_values(rnd, round_id, author),
            )
            _audit(conn, author, "round-create", round_id, rnd.question[:80])
            return self._round(conn, round_id)

    def list_rounds(self) -> list[Round]:
        """All rounds, newest first."""
        with self._catalog.read() as conn:
            rows = conn.execute("SELECT * FROM rounds ORDER BY created_at DESC, id").fetchall()
        return [_to_round(row) for row in rows]

    def get_round(self, round_id: str) -> Round:
        with self._catalog.read() as conn:
            return self._round(conn, round_id)

    def close_round(self, round_id: str, *, author: str = "system") -> Round:
        """End a round now; it stays readable for evaluation."""
        with self._catalog.write() as conn:
            self._round(conn, round_id)
            conn.execute("UPDATE rounds SET closed = 1 WHERE id = ?", (round_id,))
            _audit(conn, author, "round-close", round_id)
            return self._round(conn, round_id)

    # --- contributions -----------------------------------------------------------------------

    def contribute(
        self,
        round_id: str,
        *,
        lon: float,
        lat: float,
        category: str,
        text: str,
        device: str,
        request_id: str | None = None,
        now: datetime | None = None,
    ) -> Contribution:
        """Store one contribution after every check, in one transaction (limits hold under load).

        `device` is the browser's random token (hashed here with the round's salt);
        a repeated `request_id` from the same device returns the stored contribution.
        """
        with self._catalog.write() as conn:
            rnd, salt = self._round(conn, round_id), self._salt(conn, round_id)
            at = now or clock.now()
            lon, lat, category, text = check_contribution(rnd, lon, lat, category, text, at)
            device = device_hash(salt, device)
            if request_id:
                row = conn.execute(
                    _CONTRIBUTION_QUERY + " WHERE round_id = ? AND device = ? AND request_id = ?",
                    (round_id, device, request_id),
                ).fetchone()
                if row:
                    return _to_contribution(row)
            since = iso(at - timedelta(minutes=rnd.rate_window_min))
            recent = conn.execute(
                "SELECT COUNT(*) FROM contributions WHERE round_id = ? AND device = ? AND created_at > ?",
                (round_id, device, since),
            ).fetchone()[0]
            total = conn.execute(
                "SELECT COUNT(*) FROM contributions WHERE round_id = ?", (round_id,)
            ).fetchone()
            check_quota(rnd, recent, total[0])
            cursor = conn.execute(
                "INSERT INTO contributions (round_id, lon, lat, category, text, created_at, device, "
                "request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (round_id, lon, lat, category, text, iso(at), device, request_id or None),
            )
            return self._contribution(conn, cursor.lastrowid)

    def support(
        self, round_id: str, contribution_id: int, *, device: str, now: datetime | None = None
    ) -> int:
        """Add this device's "+1" (once per device and contribution); returns the new count."""
        with self._catalog.write() as conn:
            rnd, salt = self._round(conn, round_id), self._salt(conn, round_id)
            at = now or clock.now()
            check_open(rnd, at)
            item = self._contribution(conn, contribution_id)
            if item.round_id != round_id or not item.visible:
                raise GeoError("err.part_contribution_not_found", id=contribution_id)
            try:
                conn.execute(
                    "INSERT INTO supports (round_id, contribution_id, device, at) VALUES (?, ?, ?, ?)",
                    (round_id, item.id, device_hash(salt, device), iso(at)),
                )
            except sqlite3.IntegrityError:
                raise GeoError("err.part_already_supported") from None
            return item.support + 1

    def supported_by(self, round_id: str, device: str) -> set[int]:
        """Ids of the contributions this device has supported (to grey out its "+1" buttons)."""
        with self._catalog.read() as conn:
            hashed = device_hash(self._salt(conn, round_id), device)
            rows = conn.execute(
                "SELECT contribution_id FROM supports WHERE round_id = ? AND device = ?", (round_id, hashed)
            ).fetchall()
        return {row[0] for row in rows}

    def list_contributions(
        self, round_id: str, *, include_hidden: bool = False, after_id: int = 0
    ) -> list[Contribution]:
        """Contributions of a round in order of arrival; moderated ones only when asked."""
        where = " WHERE round_id = ? AND id > ?" + (
            "" if include_hidden else " AND hidden = 0 AND deleted = 0"
        )
        with self._catalog.read() as conn:
            self._round(conn, round_id)
            rows = conn.execute(_CONTRIBUTION_QUERY + where + " ORDER BY id", (round_id, after_id)).fetchall()
        return [_to_contribution(row) for row in rows]

    def moderate(self, contribution_id: int, action: str, *, author: str, reason: str = "") -> Contribution:
        """Hide, show again, or delete (kept, marked deleted); each step in the audit log."""
        hidden, deleted = moderation_flags(action)
        with self._catalog.write() as conn:
            item = self._contribution(conn, contribution_id)
            conn.execute(
                "UPDATE contributions SET hidden = ?, deleted = ?, reason = ? WHERE id = ?",
                (hidden, deleted, reason.strip()[:200], item.id),
            )
            detail = f"Beitrag {item.id}" + (f": {reason.strip()[:200]}" if reason.strip() else "")
            _audit(conn, author, f"contribution-{action}", item.round_id, detail)
            return self._contribution(conn, item.id)

    def _link_round_layer(self, round_id: str, layer_id: str) -> None:
        with self._catalog.write() as conn:
            conn.execute("UPDATE rounds SET layer_id = ? WHERE id = ?", (layer_id, round_id))

    # --- internals ---------------------------------------------------------------------------

    @staticmethod
    def _round(conn: sqlite3.Connection, round_id: str) -> Round:
        row = conn.execute("SELECT * FROM rounds WHERE id = ?", (round_id,)).fetchone()
        if not valid_round_id(round_id) or row is None:
            raise GeoError("err.part_round_not_found", round_id=str(round_id)[:64])
        return _to_round(row)

    @staticmethod
    def _salt(conn: sqlite3.Connection, round_id: str) -> str:
        row = conn.execute("SELECT salt FROM rounds WHERE id = ?", (round_id,)).fetchone()
        if row is None:
            raise GeoError("err.part_round_not_found", round_id=str(round_id)[:64])
        return row[0]

    @staticmethod
    def _contribution(conn: sqlite3.Connection, contribution_id: int) -> Contribution:
        try:
            number = int(contribution_id)
        except (TypeError, ValueError):
            number = -1
        row = conn.execute(_CONTRIBUTION_QUERY + " WHERE c.id = ?", (number,)).fetchone()
        if row is None:
            raise GeoError("err.part_contribution_not_found", id=contribution_id)
        return _to_contribution(row)
