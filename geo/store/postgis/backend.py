"""PostGIS backend: the catalogue and every version's data in one PostgreSQL database.

Each change is one transaction: a new version's table, its catalogue row, the layer pointer,
the view and the audit entry commit together or not at all. The layer's catalogue row is
locked (``FOR UPDATE``) while a version is added, so version numbers never race; new ids
are allocated under an advisory lock. Readers see committed versions only and never wait.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import psycopg

from geo import clock
from geo.errors import GeoError, LayerNotFoundError
from geo.store import AuditEntry, LayerInfo, VersionInfo
from geo.store.geopackage.catalog import to_layer_info, to_version_info
from geo.store.geopackage.columns import with_nullable_types
from geo.store.geopackage.files import FileMeta, describe
from geo.store.postgis import tables
from geo.store.postgis.connection import Database, redacted
from geo.store.postgis.documents import DocumentsMixin
from geo.store.postgis.logins import LoginsMixin
from geo.store.postgis.rounds import ParticipationMixin
from geo.store.postgis.schema import SEARCH_PATH, init_schema
from geo.store.postgis.transfer import TransferMixin
from geo.store.rules import (
    METADATA_FIELDS,
    check_kind,
    check_metadata,
    check_roles,
    merged_metadata,
    slugify,
    unique_id,
    valid_layer_id,
)

_ID_LOCK = 7_346_102  # advisory lock key: allocating a new layer id
_LAYER_QUERY = """
SELECT l.*, v.source_file, v.source_crs, v.feature_count, v.bbox, v.geometry_type
FROM layers l JOIN versions v ON v.layer_id = l.id AND v.version = l.current_version
"""


def _now() -> str:
    return clock.now().isoformat(timespec="seconds")


class PostGISStore(DocumentsMixin, ParticipationMixin, LoginsMixin, TransferMixin):
    """Every store interface (`geo.store.Store`) on PostgreSQL/PostGIS; safe for many
    threads, processes and app replicas at once."""

    def __init__(self, url: str) -> None:
        self.location = url
        self._db = Database(url, search_path=SEARCH_PATH)
        try:
            with self._db.transaction() as conn:
                init_schema(conn, redacted(url))
        except psycopg.Error as exc:
            raise self._db.unavailable(exc) from exc

    # --- reading -------------------------------------------------------------------------

    def list_layers(self, include_deleted: bool = False) -> list[LayerInfo]:
        where = "" if include_deleted else " WHERE l.deleted = 0"
        with self._db.transaction() as conn:
            rows = conn.execute(_LAYER_QUERY + where + " ORDER BY lower(l.title), l.id").fetchall()
        return [to_layer_info(row) for row in rows]

    def get(self, layer_id: str) -> LayerInfo:
        with self._db.transaction() as conn:
            return to_layer_info(self._layer(conn, layer_id))

    def read(self, layer_id: str, version: int | None = None) -> gpd.GeoDataFrame:
        with self._db.transaction() as conn:
            row = self._live_layer(conn, layer_id)
            number = row["current_version"] if version is None else version
            stored = self._version(conn, layer_id, number)
            return tables.read_table(conn, stored["data_table"], stored["columns"], stored["crs_wkt"])

    def history(self, layer_id: str) -> list[VersionInfo]:
        with self._db.transaction() as conn:
            self._layer(conn, layer_id)
            rows = conn.execute(
                "SELECT * FROM versions WHERE layer_id = %s ORDER BY version", (layer_id,)
            ).fetchall()
        return [to_version_info(row) for row in rows]

    def audit_log(self, limit: int | None = None) -> list[AuditEntry]:
        with self._db.transaction() as conn:
            rows = conn.execute(
                'SELECT at, "user", action, layer_id, version, source_file, detail '
                "FROM audit ORDER BY id DESC LIMIT %s",
                (limit,),
            ).fetchall()
        return [AuditEntry(**row) for row in rows]

    # --- writing new data ----------------------------------------------------------------

    def write(
        self,
        gdf: gpd.GeoDataFrame,
        *,
        title: str,
        kind: str,
        source_file: str = "",
        attribution: str = "",
        roles: dict[str, str] | None = None,
        style: dict[str, str] | None = None,
        author: str = "system",
    ) -> LayerInfo:
        """A new layer at version 1, its id allocated and its data stored in one transaction."""
        check_kind(kind)
        roles = check_roles(roles)
        meta = describe(gdf, source_file or title)
        with self._db.transaction() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_ID_LOCK,))
            slug = slugify(title)
            taken = conn.execute(
                "SELECT id FROM layers WHERE id = %s OR id LIKE %s", (slug, slug + "-%")
            ).fetchall()
            layer_id = unique_id(slug, {row["id"] for row in taken})
            now = _now()
            conn.execute(
                "INSERT INTO layers (id, title, kind, attribution, roles, style, "
                "current_version, created_at, updated_at, updated_by) VALUES (%s,%s,%s,%s,%s,%s,1,%s,%s,%s)",
                (
                    layer_id,
                    title,
                    kind,
                    attribution,
                    json.dumps(roles),
                    json.dumps(dict(style or {})),
                    now,
                    now,
                    author,
                ),
            )
            stored = self._store_frame(conn, layer_id, gdf)
            return self._add_version(conn, layer_id, stored, meta, "create", source_file, author, now=now)

    def replace(
        self, layer_id: str, gdf: gpd.GeoDataFrame, *, source_file: str = "", author: str = "system"
    ) -> LayerInfo:
        meta = describe(gdf, source_file or layer_id)
        with self._db.transaction() as conn:
            self._live_layer(conn, layer_id, lock=True)
            stored = self._store_frame(conn, layer_id, gdf)
            return self._add_version(conn, layer_id, stored, meta, "replace", source_file, author)

    def append(
        self, layer_id: str, gdf: gpd.GeoDataFrame, *, source_file: str = "", author: str = "system"
    ) -> LayerInfo:
        """Current rows + `gdf` (in the layer's CRS, columns unioned) as a new version; the
        layer stays locked from reading its rows to committing, so no parallel change is lost."""
        describe(gdf, source_file or layer_id)
        with self._db.transaction() as conn:
            row = self._live_layer(conn, layer_id, lock=True)
            old = self._version(conn, layer_id, row["current_version"])
            current = tables.read_table(conn, old["data_table"], old["columns"], old["crs_wkt"])
            added = with_nullable_types(gdf.to_crs(current.crs))
            if added.geometry.name != current.geometry.name:
                added = added.rename_geometry(current.geometry.name)
            combined = gpd.GeoDataFrame(
                pd.concat([with_nullable_types(current), added], ignore_index=True), crs=current.crs
            )
            meta = describe(combined, source_file or layer_id)
            stored = self._store_frame(conn, layer_id, combined)
            return self._add_version(
                conn, layer_id, stored, meta, "append", source_file, author, detail=f"+{len(gdf)} Objekte"
            )

    def restore(self, layer_id: str, version: int, *, author: str = "system") -> LayerInfo:
        """A new version sharing the immutable table of `version`; history is never rewritten."""
        with self._db.transaction() as conn:
            self._live_layer(conn, layer_id, lock=True)
            old = self._version(conn, layer_id, version)
            meta = FileMeta(
                old["feature_count"], old["source_crs"], tuple(json.loads(old["bbox"])), old["geometry_type"]
            )
            stored = {k: old[k] for k in ("data_table", "columns", "crs_wkt")}
            return self._add_version(
                conn,
                layer_id,
                stored,
                meta,
                "restore",
                old["source_file"],
                author,
                detail=f"Version {version}",
            )

    # --- metadata and trash --------------------------------------------------------------

    def update_metadata(self, layer_id: str, *, author: str = "system", **changes: object) -> LayerInfo:
        check_metadata(changes)
        with self._db.transaction() as conn:
            row = self._live_layer(conn, layer_id, lock=True)
            merged = merged_metadata(row, changes)
            now = _now()
            conn.execute(
                "UPDATE layers SET title = %s, kind = %s, attribution = %s, roles = %s, "
                "style = %s, updated_at = %s, updated_by = %s WHERE id = %s",
                (*(merged[key] for key in METADATA_FIELDS), now, author, layer_id),
            )
            detail = ", ".join(sorted(changes))
            self._audit(
                conn, AuditEntry(now, author, "metadata", layer_id, row["current_version"], "", detail)
            )
            return to_layer_info(self._layer(conn, layer_id))

    def delete(self, layer_id: str, *, author: str = "system") -> None:
        """Move to the trash: hidden from lists (and its view dropped), data and history kept."""
        self._set_deleted(layer_id, author, deleted=True)

    def undelete(self, layer_id: str, *, author: str = "system") -> LayerInfo:
        return self._set_deleted(layer_id, author, deleted=False)

    def backup(self, target_dir: str | Path) -> Path:
        """A consistent copy as a GeoPackage store folder (see `geo.store.transfer`): portable,
        opened with ``open_store(dir)``, and the same code as ``migrate --to DIR``."""
        from geo.store.transfer import backup_to_folder

        return backup_to_folder(self, target_dir)

    def close(self) -> None:
        """Close this process's connections (the store opens them again when used)."""
        self._db.close()

    # --- internals -----------------------------------------------------------------------

    def _set_deleted(self, layer_id: str, author: str, *, deleted: bool) -> LayerInfo:
        with self._db.transaction() as conn:
            row = self._layer(conn, layer_id, lock=True)
            if bool(row["deleted"]) == deleted:
                raise GeoError("err.layer_deleted" if deleted else "err.layer_not_deleted", layer_id=layer_id)
            now = _now()
            conn.execute(
                "UPDATE layers SET deleted = %s, updated_at = %s, updated_by = %s WHERE id = %s",
                (int(deleted), now, author, layer_id),
            )
            if deleted:
                tables.drop_view(conn, layer_id)
            else:
                current = self._version(conn, layer_id, row["current_version"])
                tables.publish_view(conn, layer_id, current["data_table"], current["columns"])
            action = "delete" if deleted else "undelete"
            entry = AuditEntry(now, author, action, layer_id, row["current_version"], row["source_file"], "")
            self._audit(conn, entry)
            return to_layer_info(self._layer(conn, layer_id))

    @staticmethod
    def _store_frame(conn: psycopg.Connection, layer_id: str, gdf: gpd.GeoDataFrame) -> dict:
        name = tables.table_name(layer_id)
        try:
            columns = tables.create_table(conn, name, gdf)
        except (psycopg.DataError, psycopg.ProgrammingError) as exc:
            raise GeoError(
                "err.store_write_failed", detail=repr(exc), name=layer_id, reason=str(exc)
            ) from exc
        return {"data_table": name, "columns": columns, "crs_wkt": gdf.crs.to_wkt()}

    def _add_version(
        self,
        conn: psycopg.Connection,
        layer_id: str,
        stored: dict,
        meta: FileMeta,
        action: str,
        source_file: str,
        author: str,
        now: str | None = None,
        detail: str = "",
    ) -> LayerInfo:
        """Version row, layer pointer, view and audit entry, inside the caller's transaction
        (which holds the layer's row lock)."""
        now = now or _now()
        version = conn.execute(
            "SELECT COALESCE(MAX(version), 0) + 1 AS n FROM versions WHERE layer_id = %s",
            (layer_id,),
        ).fetchone()["n"]
        conn.execute(
            "INSERT INTO versions (layer_id, version, data_table, columns, crs_wkt, created_at, "
            "author, action, source_file, feature_count, source_crs, bbox, geometry_type) "
            "VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            (
                layer_id,
                version,
                stored["data_table"],
                stored["columns"],
                stored["crs_wkt"],
                now,
                author,
                action,
                source_file,
                meta.feature_count,
                meta.source_crs,
                json.dumps(list(meta.bbox)),
                meta.geometry_type,
            ),
        )
        conn.execute(
            "UPDATE layers SET current_version = %s, updated_at = %s, updated_by = %s WHERE id = %s",
            (version, now, author, layer_id),
        )
        tables.publish_view(conn, layer_id, stored["data_table"], stored["columns"])
        self._audit(conn, AuditEntry(now, author, action, layer_id, version, source_file, detail))
        return to_layer_info(self._layer(conn, layer_id))

    @staticmethod
    def _audit(conn: psycopg.Connection, entry: AuditEntry) -> None:
        conn.execute(
            'INSERT INTO audit (at, "user", action, layer_id, version, source_file, detail) '
            "VALUES (%s,%s,%s,%s,%s,%s,%s)",
            (
                entry.at,
                entry.user,
                entry.action,
                entry.layer_id,
                entry.version,
                entry.source_file,
                entry.detail,
            ),
        )

    @staticmethod
    def _layer(conn: psycopg.Connection, layer_id: str, lock: bool = False) -> dict:
        """The layer's catalogue row (deleted or not), locked for the transaction if asked."""
        row = None
        if valid_layer_id(layer_id):
            if lock:
                conn.execute("SELECT 1 FROM layers WHERE id = %s FOR UPDATE", (layer_id,))
            row = conn.execute(_LAYER_QUERY + " WHERE l.id = %s", (layer_id,)).fetchone()
        if row is None:
            raise LayerNotFoundError("err.layer_not_found", layer_id=layer_id)
        return row

    def _live_layer(self, conn: psycopg.Connection, layer_id: str, lock: bool = False) -> dict:
        row = self._layer(conn, layer_id, lock)
        if row["deleted"]:
            raise GeoError("err.layer_deleted", layer_id=layer_id)
        return row

    @staticmethod
    def _version(conn: psycopg.Connection, layer_id: str, version: int) -> dict:
        row = conn.execute(
            "SELECT * FROM versions WHERE layer_id = %s AND version = %s", (layer_id, version)
        ).fetchone()
        if row is None:
            numbers = conn.execute(
                "SELECT version FROM versions WHERE layer_id = %s ORDER BY version", (layer_id,)
            ).fetchall()
            available = ", ".join(str(r["version"]) for r in numbers)
            raise LayerNotFoundError(
                "err.version_not_found", layer_id=layer_id, version=version, available=available
            )
        return row
