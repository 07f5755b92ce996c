"""GeoPackage backend: a folder with a SQLite catalogue and one immutable ``.gpkg`` per version.

Layout: ``catalog.sqlite`` (layers, versions, audit) and ``layers/<layer_id>/<uuid>.gpkg``.
A version file is complete on disk (fsynced, renamed) before the catalogue transaction that
references it commits, so a crash at any moment leaves at most an unreferenced file, never
a broken layer. Readers only look up the catalogue and open immutable files: never blocked.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo import clock
from geo.errors import GeoError, LayerNotFoundError
from geo.store import AuditEntry, LayerInfo, VersionInfo
from geo.store.geopackage import catalog as cat
from geo.store.geopackage.columns import with_nullable_types
from geo.store.geopackage.documents import DocumentsMixin
from geo.store.geopackage.files import (
    FileMeta,
    describe,
    discard,
    publish,
    read_layer_file,
    remove_stale_temp_files,
    write_temp,
)
from geo.store.geopackage.logins import LoginsMixin
from geo.store.geopackage.rounds import ParticipationMixin
from geo.store.geopackage.transfer import TransferMixin
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

_APPEND_ATTEMPTS = 10  # optimistic retries when other writers change the layer meanwhile


def _now() -> str:
    return clock.now().isoformat(timespec="seconds")


class GeoPackageStore(DocumentsMixin, ParticipationMixin, LoginsMixin, TransferMixin):
    """Every store interface (`geo.store.Store`) on a local folder; safe for many threads and
    processes at once."""

    def __init__(self, location: str) -> None:
        self.location = str(location)
        self._root = Path(location)
        self._layers_dir = self._root / "layers"
        self._catalog = cat.Catalog(self._root / "catalog.sqlite")
        try:
            self._layers_dir.mkdir(parents=True, exist_ok=True)
            self._catalog.init_schema()
            self._documents_schema()
            self._participation_schema()
            self._logins_schema()
            remove_stale_temp_files(self._layers_dir)
        except (OSError, sqlite3.Error) as exc:
            raise GeoError(
                "err.store_unavailable", detail=repr(exc), location=self.location, reason=str(exc)
            ) from exc

    # --- reading -------------------------------------------------------------------------

    def list_layers(self, include_deleted: bool = False) -> list[LayerInfo]:
        with self._catalog.read() as conn:
            return [cat.to_layer_info(row) for row in cat.layer_rows(conn, include_deleted)]

    def get(self, layer_id: str) -> LayerInfo:
        with self._catalog.read() as conn:
            return cat.to_layer_info(self._layer(conn, layer_id))

    def read(self, layer_id: str, version: int | None = None) -> gpd.GeoDataFrame:
        with self._catalog.read() as conn:
            row = self._live_layer(conn, layer_id)
            number = row["current_version"] if version is None else version
            file = self._version(conn, layer_id, number)["file"]
        try:
            return read_layer_file(self._root / file)
        except FileNotFoundError as exc:
            raise GeoError("err.layer_file_missing", detail=file, layer_id=layer_id, version=number) from exc

    def history(self, layer_id: str) -> list[VersionInfo]:
        with self._catalog.read() as conn:
            self._layer(conn, layer_id)
            return [cat.to_version_info(row) for row in cat.version_rows(conn, layer_id)]

    def audit_log(self, limit: int | None = None) -> list[AuditEntry]:
        with self._catalog.read() as conn:
            return cat.audit_rows(conn, limit)

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
        """A new layer at version 1. The id is allocated inside the transaction, so the file
        is written under ``layers/`` first and moved into the layer's folder just before commit."""
        check_kind(kind)
        roles = check_roles(roles)
        meta = describe(gdf, source_file or title)
        tmp = write_temp(self._layers_dir, gdf, source_file or title)
        try:
            with self._catalog.write() as conn:
                layer_id = self._unique_id(conn, slugify(title))
                file = self._relative(publish(tmp, self._layers_dir / layer_id))
                now = _now()
                conn.execute(
                    "INSERT INTO layers (id, title, kind, attribution, roles, style, current_version, "
                    "created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
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
                return self._add_version(conn, layer_id, file, meta, "create", source_file, author, now)
        finally:
            discard(tmp)  # no-op once published

    def replace(
        self, layer_id: str, gdf: gpd.GeoDataFrame, *, source_file: str = "", author: str = "system"
    ) -> LayerInfo:
        self._check_live(layer_id)
        meta = describe(gdf, source_file or layer_id)
        final = self._publish_new(layer_id, gdf, source_file)
        with self._catalog.write() as conn:
            self._live_layer(conn, layer_id)
            return self._add_version(
                conn, layer_id, self._relative(final), meta, "replace", source_file, author
            )

    def append(
        self, layer_id: str, gdf: gpd.GeoDataFrame, *, source_file: str = "", author: str = "system"
    ) -> LayerInfo:
        """Current rows + `gdf` (in the layer's CRS, columns unioned) as a new version.

        The combined file is written outside the transaction; if another writer changed
        the layer meanwhile, the work is redone on the new data instead of losing its rows.
        """
        describe(gdf, source_file or layer_id)
        for _ in range(_APPEND_ATTEMPTS):
            base = self.get(layer_id).version
            current = self.read(layer_id, base)
            added = with_nullable_types(gdf.to_crs(current.crs))
            if added.geometry.name != current.geometry.name:
                added = added.rename_geometry(current.geometry.name)
            combined = gpd.GeoDataFrame(
                pd.concat([with_nullable_types(current), added], ignore_index=True), crs=current.crs
            )
            meta = describe(combined, source_file or layer_id)
            final = self._publish_new(layer_id, combined, source_file)
            with self._catalog.write() as conn:
                if self._live_layer(conn, layer_id)["current_version"] == base:
                    detail = f"+{len(gdf)} Objekte"
                    return self._add_version(
                        conn,
                        layer_id,
                        self._relative(final),
                        meta,
                        "append",
                        source_file,
                        author,
                        detail=detail,
                    )
            discard(final)  # never referenced: another writer came first
        raise GeoError("err.store_busy", layer_id=layer_id)

    def restore(self, layer_id: str, version: int, *, author: str = "system") -> LayerInfo:
        """A new version sharing the immutable file of `version`; history is never rewritten."""
        with self._catalog.write() as conn:
            self._live_layer(conn, layer_id)
            old = self._version(conn, layer_id, version)
            meta = FileMeta(
                old["feature_count"], old["source_crs"], tuple(json.loads(old["bbox"])), old["geometry_type"]
            )
            detail = f"Version {version}"
            return self._add_version(
                conn, layer_id, old["file"], meta, "restore", old["source_file"], author, detail=detail
            )

    # --- metadata and trash --------------------------------------------------------------

    def update_metadata(self, layer_id: str, *, author: str = "system", **changes: object) -> LayerInfo:
        check_metadata(changes)
        with self._catalog.write() as conn:
            row = self._live_layer(conn, layer_id)
            merged = merged_metadata(row, changes)
            now = _now()
            conn.execute(
                "UPDATE layers SET title = ?, kind = ?, attribution = ?, roles = ?, style = ?, "
                "updated_at = ?, updated_by = ? WHERE id = ?",
                (*(merged[key] for key in METADATA_FIELDS), now, author, layer_id),
            )
            detail = ", ".join(sorted(changes))
            self._audit(conn, now, author, "metadata", layer_id, row["current_version"], "", detail)
            return cat.to_layer_info(self._layer(conn, layer_id))

    def delete(self, layer_id: str, *, author: str = "system") -> None:
        """Move to the trash: hidden from lists, files and history kept."""
        self._set_deleted(layer_id, author, deleted=True)

    def undelete(self, layer_id: str, *, author: str = "system") -> LayerInfo:
        return self._set_deleted(layer_id, author, deleted=False)

    def backup(self, target_dir: str | Path) -> Path:
        """A consistent copy: catalogue snapshot via SQLite's backup API, then every file it
        references. Wrong-password counters are left out: a restored store starts unlocked."""
        target = Path(target_dir)
        target.mkdir(parents=True, exist_ok=True)
        if any(target.iterdir()):
            raise GeoError("err.backup_target_not_empty", target=str(target))
        copy = target / "catalog.sqlite"
        with closing(self._catalog.connect()) as src, closing(sqlite3.connect(copy)) as dst:
            src.backup(dst)
            with dst:
                dst.execute("DELETE FROM logins")
            files = {row[0] for row in dst.execute("SELECT file FROM versions")}
        for file in sorted(files):  # files are immutable and exist before their rows commit
            (target / file).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(self._root / file, target / file)
        return target

    # --- internals -----------------------------------------------------------------------

    def _set_deleted(self, layer_id: str, author: str, *, deleted: bool) -> LayerInfo:
        with self._catalog.write() as conn:
            row = self._layer(conn, layer_id)
            if bool(row["deleted"]) == deleted:
                raise GeoError("err.layer_deleted" if deleted else "err.layer_not_deleted", layer_id=layer_id)
            now = _now()
            conn.execute(
                "UPDATE layers SET deleted = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                (int(deleted), now, author, layer_id),
            )
            action = "delete" if deleted else "undelete"
            self._audit(conn, now, author, action, layer_id, row["current_version"], row["source_file"], "")
            return cat.to_layer_info(self._layer(conn, layer_id))

    def _publish_new(self, layer_id: str, gdf: gpd.GeoDataFrame, source_file: str) -> Path:
        folder = self._layers_dir / layer_id  # layer_id was validated by _check_live/get
        tmp = write_temp(folder, gdf, source_file or layer_id)
        try:
            return publish(tmp, folder)
        finally:
            discard(tmp)  # no-op once published

    def _add_version(
        self,
        conn: sqlite3.Connection,
        layer_id: str,
        file: str,
        meta: FileMeta,
        action: str,
        source_file: str,
        author: str,
        now: str | None = None,
        detail: str = "",
    ) -> LayerInfo:
        """Version row, layer pointer and audit entry, all inside the caller's transaction."""
        now = now or _now()
        version = cat.next_version(conn, layer_id)
        cat.insert_version(
            conn,
            {
                "layer_id": layer_id,
                "version": version,
                "file": file,
                "created_at": now,
                "author": author,
                "action": action,
                "source_file": source_file,
                "feature_count": meta.feature_count,
                "source_crs": meta.source_crs,
                "bbox": json.dumps(list(meta.bbox)),
                "geometry_type": meta.geometry_type,
            },
        )
        conn.execute(
            "UPDATE layers SET current_version = ?, updated_at = ?, updated_by = ? WHERE id = ?",
            (version, now, author, layer_id),
        )
        self._audit(conn, now, author, action, layer_id, version, source_file, detail)
        return cat.to_layer_info(self._layer(conn, layer_id))

    @staticmethod
    def _audit(conn, at, user, action, layer_id, version, source_file, detail) -> None:
        cat.add_audit(conn, AuditEntry(at, user, action, layer_id, version, source_file, detail))

    @staticmethod
    def _unique_id(conn: sqlite3.Connection, slug: str) -> str:
        sql = "SELECT id FROM layers WHERE id = ? OR id LIKE ?"
        return unique_id(slug, {row[0] for row in conn.execute(sql, (slug, slug + "-%"))})

    @staticmethod
    def _layer(conn: sqlite3.Connection, layer_id: str) -> sqlite3.Row:
        """The layer's catalogue row (deleted or not); unknown or malformed ids are not found."""
        row = cat.layer_row(conn, layer_id) if valid_layer_id(layer_id) else None
        if row is None:
            raise LayerNotFoundError("err.layer_not_found", layer_id=layer_id)
        return row

    def _live_layer(self, conn: sqlite3.Connection, layer_id: str) -> sqlite3.Row:
        row = self._layer(conn, layer_id)
        if row["deleted"]:
            raise GeoError("err.layer_deleted", layer_id=layer_id)
        return row

    def _check_live(self, layer_id: str) -> None:
        with self._catalog.read() as conn:
            self._live_layer(conn, layer_id)

    @staticmethod
    def _version(conn: sqlite3.Connection, layer_id: str, version: int) -> sqlite3.Row:
        row = cat.version_row(conn, layer_id, version)
        if row is None:
            available = ", ".join(str(r["version"]) for r in cat.version_rows(conn, layer_id))
            raise LayerNotFoundError(
                "err.version_not_found", layer_id=layer_id, version=version, available=available
            )
        return row

    def _relative(self, path: Path) -> str:
        return path.relative_to(self._root).as_posix()
