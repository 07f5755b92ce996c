"""The SQLite catalogue of the GeoPackage store: which layers exist, their versions, the audit log.

WAL mode lets readers run while one writer commits; every change is one short
``BEGIN IMMEDIATE`` transaction, so writers queue (busy timeout) instead of failing and
version numbers are allocated without races, across threads and processes alike.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from geo.errors import GeoError
from geo.i18n import Msg
from geo.store import AuditEntry, LayerInfo, VersionInfo

SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 60.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS layers (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    attribution TEXT NOT NULL DEFAULT '',
    roles TEXT NOT NULL DEFAULT '{}',
    style TEXT NOT NULL DEFAULT '{}',
    current_version INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS versions (
    layer_id TEXT NOT NULL REFERENCES layers(id),
    version INTEGER NOT NULL,
    file TEXT NOT NULL,
    created_at TEXT NOT NULL,
    author TEXT NOT NULL,
    action TEXT NOT NULL,
    source_file TEXT NOT NULL DEFAULT '',
    feature_count INTEGER NOT NULL,
    source_crs TEXT NOT NULL,
    bbox TEXT NOT NULL,
    geometry_type TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (layer_id, version)
);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    action TEXT NOT NULL,
    layer_id TEXT NOT NULL,
    version INTEGER,
    source_file TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
"""

_LAYER_QUERY = """
SELECT l.*, v.source_file, v.source_crs, v.feature_count, v.bbox, v.geometry_type
FROM layers l JOIN versions v ON v.layer_id = l.id AND v.version = l.current_version
"""


class Catalog:
    """Connections and transactions on ``catalog.sqlite``; one connection per call (thread-safe)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA synchronous = FULL")
        return conn

    def init_schema(self) -> None:
        """Create the tables on first use; refuse a catalogue written by a newer version."""
        with closing(self.connect()) as conn:
            conn.execute("PRAGMA journal_mode = WAL")
        with self.write() as conn:
            found = conn.execute("PRAGMA user_version").fetchone()[0]
            if found > SCHEMA_VERSION:
                raise GeoError(
                    "err.store_unavailable",
                    location=str(self.path.parent),
                    reason=Msg("reason.schema_newer", found=found, supported=SCHEMA_VERSION),
                )
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` transaction: committed on success, rolled back on any error."""
        with closing(self.connect()) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several queries; never blocks writers (WAL)."""
        with closing(self.connect()) as conn:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("COMMIT")


def layer_rows(conn: sqlite3.Connection, include_deleted: bool) -> list[sqlite3.Row]:
    where = "" if include_deleted else " WHERE l.deleted = 0"
    return conn.execute(_LAYER_QUERY + where + " ORDER BY l.title COLLATE NOCASE, l.id").fetchall()


def layer_row(conn: sqlite3.Connection, layer_id: str) -> sqlite3.Row | None:
    return conn.execute(_LAYER_QUERY + " WHERE l.id = ?", (layer_id,)).fetchone()


def version_row(conn: sqlite3.Connection, layer_id: str, version: int) -> sqlite3.Row | None:
    sql = "SELECT * FROM versions WHERE layer_id = ? AND version = ?"
    return conn.execute(sql, (layer_id, version)).fetchone()


def version_rows(conn: sqlite3.Connection, layer_id: str) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM versions WHERE layer_id = ? ORDER BY version", (layer_id,)).fetchall()


def next_version(conn: sqlite3.Connection, layer_id: str) -> int:
    sql = "SELECT COALESCE(MAX(version), 0) + 1 FROM versions WHERE layer_id = ?"
    return conn.execute(sql, (layer_id,)).fetchone()[0]


def insert_version(conn: sqlite3.Connection, row: dict) -> None:
    """`row` holds exactly the columns of `versions`, in table order."""
    conn.execute(
        "INSERT INTO versions (layer_id, version, file, created_at, author, action, source_file, "
        "feature_count, source_crs, bbox, geometry_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        tuple(row.values()),
    )


def add_audit(conn: sqlite3.Connection, entry: AuditEntry) -> None:
    conn.execute(
        "INSERT INTO audit (at, user, action, layer_id, version, source_file, detail) VALUES (?,?,?,?,?,?,?)",
        (entry.at, entry.user, entry.action, entry.layer_id, entry.version, entry.source_file, entry.detail),
    )


def audit_rows(conn: sqlite3.Connection, limit: int | None) -> list[AuditEntry]:
    sql = "SELECT * FROM audit ORDER BY id DESC LIMIT ?"
    rows = conn.execute(sql, (-1 if limit is None else limit,)).fetchall()
    return [
        AuditEntry(
            at=r["at"],
            user=r["user"],
            action=r["action"],
            layer_id=r["layer_id"],
            version=r["version"],
            source_file=r["source_file"],
            detail=r["detail"],
        )
        for r in rows
    ]


def to_layer_info(row: sqlite3.Row) -> LayerInfo:
    return LayerInfo(
        id=row["id"],
        title=row["title"],
        kind=row["kind"],
        source_file=row["source_file"],
        source_crs=row["source_crs"],
        feature_count=row["feature_count"],
        bbox=tuple(json.loads(row["bbox"])),
        attribution=row["attribution"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        version=row["current_version"],
        geometry_type=row["geometry_type"],
        roles=json.loads(row["roles"]),
        style=json.loads(row["style"]),
        updated_by=row["updated_by"],
        deleted=bool(row["deleted"]),
    )


def to_version_info(row: sqlite3.Row) -> VersionInfo:
    return VersionInfo(
        layer_id=row["layer_id"],
        version=row["version"],
        created_at=row["created_at"],
        author=row["author"],
        action=row["action"],
        source_file=row["source_file"],
        feature_count=row["feature_count"],
        source_crs=row["source_crs"],
    )
