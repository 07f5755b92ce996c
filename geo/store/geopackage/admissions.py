"""Join codes and admissions of the GeoPackage backend.

A round that requires its join code admits a device once it presented the code on screen
(`round_admissions`, device hashed with the round's salt); the checks and counts the flood
limits decide by are shared with PostGIS in `geo.store.round_limits`.
"""

from __future__ import annotations

from datetime import datetime

from geo import clock
from geo.errors import GeoError
from geo.participation.joincode import JoinCode, code_valid, join_code
from geo.participation.rounds import check_open, device_hash, iso
from geo.store.round_limits import ADMIT, is_admitted

ADMISSIONS_SCHEMA = """
CREATE TABLE IF NOT EXISTS round_admissions (
    round_id TEXT NOT NULL REFERENCES rounds(id),
    device TEXT NOT NULL,
    at TEXT NOT NULL,
    UNIQUE (round_id, device)
)
"""


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
            conn.execute(ADMIT, (round_id, device_hash(salt, device), iso(at)))

    def admitted(self, round_id: str, device: str) -> bool:
        """Whether `device` may take part (always, in a round without join code)."""
        with self._catalog.read() as conn:
            rnd, salt = self._round(conn, round_id), self._salt(conn, round_id)
            return not rnd.join_code or is_admitted(conn, round_id, device_hash(salt, device))

    def join_code(self, round_id: str, now: datetime | None = None) -> JoinCode:
        """The code the round's projector shows now, and the key its projector link carries."""
        with self._catalog.read() as conn:
            return join_code(self._salt(conn, round_id), now or clock.now())
