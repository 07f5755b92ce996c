"""Small JSON documents in PostgreSQL, versioned like layers (see the GeoPackage twin).

Versions of one document are numbered under a transaction-scoped advisory lock on its
(kind, name), so parallel saves from several replicas get distinct numbers and a "claim"
happens exactly once.
"""

from __future__ import annotations

import json

import psycopg

from geo import clock
from geo.store import AuditEntry
from geo.store.rules import check_document_name as _check


def _lock(conn: psycopg.Connection, kind: str, name: str) -> None:
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 1))", (f"document:{kind}/{name}",))


class DocumentsMixin:
    """Document methods of the PostGIS store (needs ``self._db`` and ``self._audit``)."""

    def list_documents(self, kind: str) -> list[str]:
        _check(kind, "x")
        with self._db.transaction() as conn:
            rows = conn.execute(
                "SELECT DISTINCT ON (name) name, data FROM documents WHERE kind = %s "
                "ORDER BY name, version DESC",
                (kind,),
            ).fetchall()
        return [row["name"] for row in rows if row["data"] is not None]

    def get_document(self, kind: str, name: str) -> dict | None:
        _check(kind, name)
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT data FROM documents WHERE kind = %s AND name = %s ORDER BY version DESC LIMIT 1",
                (kind, name),
            ).fetchone()
        return json.loads(row["data"]) if row and row["data"] is not None else None

    def put_document(self, kind: str, name: str, data: dict | None, *, author: str = "system") -> int:
        """Save a new version (``None`` deletes: a tombstone, earlier versions stay)."""
        _check(kind, name)
        text = None if data is None else json.dumps(data, ensure_ascii=False)
        now = clock.now().isoformat(timespec="seconds")
        with self._db.transaction() as conn:
            _lock(conn, kind, name)
            version = conn.execute(
                "SELECT COALESCE(MAX(version), 0) + 1 AS n FROM documents WHERE kind = %s AND name = %s",
                (kind, name),
            ).fetchone()["n"]
            self._insert_document(conn, kind, name, version, text, now, author)
            action = "document-delete" if data is None else "document"
            self._audit(conn, AuditEntry(now, author, action, f"{kind}/{name}", version, "", ""))
        return version

    def claim_document(self, kind: str, name: str, data: dict, *, author: str = "system") -> bool:
        """Create a document only if it has never existed; True for the one caller that did."""
        _check(kind, name)
        now = clock.now().isoformat(timespec="seconds")
        with self._db.transaction() as conn:
            _lock(conn, kind, name)
            found = conn.execute(
                "SELECT 1 FROM documents WHERE kind = %s AND name = %s", (kind, name)
            ).fetchone()
            if found:
                return False
            self._insert_document(conn, kind, name, 1, json.dumps(data, ensure_ascii=False), now, author)
            self._audit(conn, AuditEntry(now, author, "document", f"{kind}/{name}", 1, "", ""))
        return True

    def document_history(self, kind: str, name: str) -> list[tuple[int, str, str, dict | None]]:
        """(version, time, author, data) of every save, oldest first."""
        _check(kind, name)
        with self._db.transaction() as conn:
            rows = conn.execute(
                "SELECT version, at, author, data FROM documents "
                "WHERE kind = %s AND name = %s ORDER BY version",
                (kind, name),
            ).fetchall()
        return [
            (r["version"], r["at"], r["author"], json.loads(r["data"]) if r["data"] else None) for r in rows
        ]

    @staticmethod
    def _insert_document(conn, kind, name, version, text, now, author) -> None:
        conn.execute(
            "INSERT INTO documents (kind, name, version, data, at, author) VALUES (%s, %s, %s, %s, %s, %s)",
            (kind, name, version, text, now, author),
        )
