"""Participation rounds in PostgreSQL: the same rules as the GeoPackage twin, for many replicas.

A contribution locks its round's row (``FOR UPDATE``) before it checks time, rate limit and
cap and inserts, so the limits hold when phones post to several app processes at once; the
lock is held for a few milliseconds. "+1" relies on the UNIQUE (contribution, device)
constraint with ``ON CONFLICT DO NOTHING``; a resent contribution (same request id) returns
the stored one. Nothing is physically deleted: moderation hides rows and writes the audit log.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import psycopg

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
from geo.store.geopackage.rounds import _to_contribution, _to_round, round_values
from geo.store.round_layer import RoundLayerMixin

_CONTRIBUTION_QUERY = """
SELECT c.*, (SELECT COUNT(*) FROM supports s WHERE s.contribution_id = c.id) AS support
FROM contributions c
"""


class ParticipationMixin(RoundLayerMixin):
    """Participation methods of the PostGIS store (needs ``self._db``, ``self._audit``, ``self.write``)."""

    def _round_audit(self, conn, author: str, action: str, round_id: str, detail: str = "") -> None:
        now = clock.now().isoformat(timespec="seconds")
        self._audit(conn, AuditEntry(now, author, action, f"beteiligung/{round_id}", None, "", detail))

    def create_round(self, rnd: Round, *, author: str = "system") -> Round:
        """Store a round made by `geo.participation.rounds.new_round`; returns it with its new id."""
        with self._db.transaction() as conn:
            round_id = secrets.token_hex(4)
            while conn.execute("SELECT 1 FROM rounds WHERE id = %s", (round_id,)).fetchone():
                round_id = secrets.token_hex(4)
            conn.execute(
                "INSERT INTO rounds (id, question, categories, bbox, starts_at, ends_at, "
                "max_text, rate_limit, rate_window_min, cap, salt, created_at, created_by) "
                "VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                round_values(rnd, round_id, author),
            )
            self._round_audit(conn, author, "round-create", round_id, rnd.question[:80])
            return _to_round(self._round_row(conn, round_id))

    def list_rounds(self) -> list[Round]:
        """All rounds, newest first."""
        with self._db.transaction() as conn:
            rows = conn.execute("SELECT * FROM rounds ORDER BY created_at DESC, id").fetchall()
        return [_to_round(row) for row in rows]

    def get_round(self, round_id: str) -> Round:
        with self._db.transaction() as conn:
            return _to_round(self._round_row(conn, round_id))

    def close_round(self, round_id: str, *, author: str = "system") -> Round:
        """End a round now; it stays readable for evaluation."""
        with self._db.transaction() as conn:
            self._round_row(conn, round_id, lock=True)
            conn.execute("UPDATE rounds SET closed = 1 WHERE id = %s", (round_id,))
            self._round_audit(conn, author, "round-close", round_id)
            return _to_round(self._round_row(conn, round_id))

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
        """Store one contribution after every check, under the round's row lock."""
        with self._db.transaction() as conn:
            row = self._round_row(conn, round_id, lock=True)
            rnd, at = _to_round(row), now or clock.now()
            lon, lat, category, text = check_contribution(rnd, lon, lat, category, text, at)
            device = device_hash(row["salt"], device)
            if request_id:
                found = conn.execute(
                    _CONTRIBUTION_QUERY + " WHERE round_id = %s AND device = %s AND request_id = %s",
                    (round_id, device, request_id),
                ).fetchone()
                if found:
                    return _to_contribution(found)
            counts = conn.execute(
                "SELECT COUNT(*) FILTER (WHERE device = %s AND created_at > %s) AS recent, COUNT(*) AS total "
                "FROM contributions WHERE round_id = %s",
                (device, iso(at - timedelta(minutes=rnd.rate_window_min)), round_id),
            ).fetchone()
            check_quota(rnd, counts["recent"], counts["total"])
            new_id = conn.execute(
                "INSERT INTO contributions (round_id, lon, lat, category, text, created_at, "
                "device, request_id) VALUES (%s,%s,%s,%s,%s,%s,%s,%s) RETURNING id",
                (round_id, lon, lat, category, text, iso(at), device, request_id or None),
            ).fetchone()["id"]
            return self._contribution(conn, new_id)

    def support(
        self, round_id: str, contribution_id: int, *, device: str, now: datetime | None = None
    ) -> int:
        """Add this device's "+1" (once per device and contribution); returns the new count."""
        with self._db.transaction() as conn:
            row = self._round_row(conn, round_id)
            check_open(_to_round(row), now or clock.now())
            item = self._contribution(conn, contribution_id)
            if item.round_id != round_id or not item.visible:
                raise GeoError("err.part_contribution_not_found", id=contribution_id)
            added = conn.execute(
                "INSERT INTO supports (round_id, contribution_id, device, at) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (round_id, item.id, device_hash(row["salt"], device), iso(now or clock.now())),
            )
            if added.rowcount == 0:
                raise GeoError("err.part_already_supported")
            return self._contribution(conn, item.id).support

    def supported_by(self, round_id: str, device: str) -> set[int]:
        """Ids of the contributions this device has supported (to grey out its "+1" buttons)."""
        with self._db.transaction() as conn:
            hashed = device_hash(self._round_row(conn, round_id)["salt"], device)
            rows = conn.execute(
                "SELECT contribution_id FROM supports WHERE round_id = %s AND device = %s",
                (round_id, hashed),
            ).fetchall()
        return {row["contribution_id"] for row in rows}

    def list_contributions(
        self, round_id: str, *, include_hidden: bool = False, after_id: int = 0
    ) -> list[Contribution]:
        """Contributions of a round in order of arrival; moderated ones only when asked."""
        where = " WHERE round_id = %s AND id > %s" + (
            "" if include_hidden else " AND hidden = 0 AND deleted = 0"
        )
        with self._db.transaction() as conn:
            self._round_row(conn, round_id)
            rows = conn.execute(
                _CONTRIBUTION_QUERY + where + " ORDER BY id", (round_id, int(after_id))
            ).fetchall()
        return [_to_contribution(row) for row in rows]

    def moderate(self, contribution_id: int, action: str, *, author: str, reason: str = "") -> Contribution:
        """Hide, show again, or delete (kept, marked deleted); each step in the audit log."""
        hidden, deleted = moderation_flags(action)
        with self._db.transaction() as conn:
            item = self._contribution(conn, contribution_id)
            conn.execute(
                "UPDATE contributions SET hidden = %s, deleted = %s, reason = %s WHERE id = %s",
                (hidden, deleted, reason.strip()[:200], item.id),
            )
            detail = f"Beitrag {item.id}" + (f": {reason.strip()[:200]}" if reason.strip() else "")
            self._round_audit(conn, author, f"contribution-{action}", item.round_id, detail)
            return self._contribution(conn, item.id)

    def _link_round_layer(self, round_id: str, layer_id: str) -> None:
        with self._db.transaction() as conn:
            conn.execute("UPDATE rounds SET layer_id = %s WHERE id = %s", (layer_id, round_id))

    # --- internals ---------------------------------------------------------------------------

    @staticmethod
    def _round_row(conn: psycopg.Connection, round_id: str, lock: bool = False) -> dict:
        row = None
        if valid_round_id(round_id):
            query = (
                "SELECT * FROM rounds WHERE id = %s FOR UPDATE"
                if lock
                else "SELECT * FROM rounds WHERE id = %s"
            )
            row = conn.execute(query, (round_id,)).fetchone()
        if row is None:
            raise GeoError("err.part_round_not_found", round_id=str(round_id)[:64])
        return row

    @staticmethod
    def _contribution(conn: psycopg.Connection, contribution_id: int) -> Contribution:
        try:
            number = int(contribution_id)
        except (TypeError, ValueError):
            number = -1
        number = number if 0 < number < 2**63 else -1  # ids come from forms and phones
        row = conn.execute(_CONTRIBUTION_QUERY + " WHERE c.id = %s", (number,)).fetchone()
        if row is None:
            raise GeoError("err.part_contribution_not_found", id=contribution_id)
        return _to_contribution(row)
