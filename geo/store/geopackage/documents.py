"""Small JSON documents beside the layers (guided tours, …), versioned like layers.

Each save appends a version; deleting appends a tombstone. So an earlier tour is never lost
and every change is in the audit log. Stored in the catalogue's own SQLite transactions.
"""

from __future__ import annotations

import json

from geo import clock
from geo.store import AuditEntry
from geo.store.geopackage import catalog as cat
from geo.store.rules import check_document_name as _check

DOCUMENT_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    data TEXT,
    at TEXT NOT NULL,
    author TEXT NOT NULL,
    PRIMARY KEY (kind, name, version)
)
"""


class DocumentsMixin:
    """Document methods of the GeoPackage store (needs ``self._catalog``)."""

    def _documents_schema(self) -> None:
        with self._catalog.write() as conn:
            conn.execute(DOCUMENT_SCHEMA)

    def list_documents(self, kind: str) -> list[str]:
        _check(kind, "x")
        with self._catalog.read() as conn:
            rows = conn.execute(
                "SELECT name, data FROM documents d WHERE kind = ? AND version = "
                "(SELECT MAX(version) FROM documents WHERE kind = d.kind AND name = d.name) ORDER BY name",
                (kind,),
            ).fetchall()
        return [row["name"] for row in rows if row["data"] is not None]

    def get_document(self, kind: str, name: str) -> dict | None:
        _check(kind, name)
        with self._catalog.read() as conn:
            row = conn.execute(
                "SELECT data FROM documents WHERE kind = ? AND name = ? ORDER BY version DESC LIMIT 1",
                (kind, name),
            ).fetchone()
        return json.loads(row["data"]) if row and row["data"] is not None else None

    def put_document(self, kind: str, name: str, data: dict | None, *, author: str = "system") -> int:
        """Save a new version (``None`` deletes: a tombstone, earlier versions stay)."""
        _check(kind, name)
        text = None if data is None else json.dumps(data, ensure_ascii=False)
        now = clock.now().isoformat(timespec="seconds")
        with self._catalog.write() as conn:
            version = conn.execute(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM documents WHERE kind = ? AND name = ?",
                (kind, name),
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO documents (kind, name, version, data, at, author) VALUES (?, ?, ?, ?, ?, ?)",
                (kind, name, version, text, now, author),
            )
            action = "document-delete" if data is None else "document"
            cat.add_audit(conn, AuditEntry(now, author, action, f"{kind}/{name}", version, "", ""))
        return version

    def claim_document(self, kind: str, name: str, data: dict, *, author: str = "system") -> bool:
        """Create a document only if it has never existed; True for the one caller that did.

        Atomic across threads and processes (one write transaction): used so that work meant
        to happen once, like building the demo store on first start, happens once.
        """
        _check(kind, name)
        now = clock.now().isoformat(timespec="seconds")
        with self._catalog.write() as conn:
            if conn.execute("SELECT 1 FROM documents WHERE kind = ? AND name = ?", (kind, name)).fetchone():
                return False
            conn.execute(
                "INSERT INTO documents (kind, name, version, data, at, author) VALUES (?, ?, 1, ?, ?, ?)",
                (kind, name, json.dumps(data, ensure_ascii=False), now, author),
            )
            cat.add_audit(conn, AuditEntry(now, author, "document", f"{kind}/{name}", 1, "", ""))
        return True

    def document_history(self, kind: str, name: str) -> list[tuple[int, str, str, dict | None]]:
        """(version, time, author, data) of every save, oldest first."""
        _check(kind, name)
        with self._catalog.read() as conn:
            rows = conn.execute(
                "SELECT version, at, author, data FROM documents "
                "WHERE kind = ? AND name = ? ORDER BY version",
                (kind, name),
            ).fetchall()
        return [
            (r["version"], r["at"], r["author"], json.loads(r["data"]) if r["data"] else None) for r in rows
        ]
