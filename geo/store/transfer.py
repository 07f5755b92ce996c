"""Moving a whole store between backends: ``python -m geo migrate --to URL`` and PostGIS backups.

Every backend can `dump` itself as a `Snapshot` (its catalogue rows in one neutral shape and
a reader for each stored version's data) and `load` one into an empty store in a single
transaction (GeoPackage: version files first, then one catalogue transaction). Everything is
copied (layers, all versions with restores still sharing their data, trash, audit log,
documents, rounds with their salts so "+1 once per device" keeps holding, contributions,
supports) except the wrong-password counters. `verify` compares row counts and checksums of
every table and of every version's data, so a migration proves itself; a re-run onto a target
that already holds the same data only verifies, onto one with other data it refuses.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geo.errors import GeoError

# The neutral rows: the columns both backends keep, per table, in load order. `versions`
# rows also carry "storage" (the backend's own key of the version's data: file or table).
TABLES: dict[str, tuple[str, ...]] = {
    "layers": (
        "id", "title", "kind", "attribution", "roles", "style", "current_version", "deleted",
        "created_at", "updated_at", "updated_by",
    ),
    "versions": (
        "layer_id", "version", "created_at", "author", "action", "source_file", "feature_count",
        "source_crs", "bbox", "geometry_type",
    ),
    "audit": ("id", "at", "user", "action", "layer_id", "version", "source_file", "detail"),
    "documents": ("kind", "name", "version", "data", "at", "author"),
    "rounds": (
        "id", "question", "categories", "bbox", "starts_at", "ends_at", "max_text", "rate_limit",
        "rate_window_min", "cap", "salt", "closed", "created_at", "created_by", "layer_id",
    ),
    "contributions": (
        "id", "round_id", "lon", "lat", "category", "text", "created_at", "device", "request_id",
        "hidden", "deleted", "reason",
    ),
    "supports": ("round_id", "contribution_id", "device", "at"),
}  # fmt: skip
ORDER = {
    "layers": ("id",),
    "versions": ("layer_id", "version"),
    "audit": ("id",),
    "documents": ("kind", "name", "version"),
    "rounds": ("id",),
    "contributions": ("id",),
    "supports": ("contribution_id", "device"),
}


@dataclass
class Snapshot:
    """A store's content: rows per table (`TABLES`) and a reader of version data by storage key."""

    rows: dict[str, list[dict]]
    read: Callable[[str], gpd.GeoDataFrame]

    def storage_keys(self) -> list[str]:
        """Distinct data of all versions, each once (restores share their version's data)."""
        return list(dict.fromkeys(row["storage"] for row in self.rows["versions"]))

    def is_empty(self) -> bool:
        return not any(self.rows[name] for name in ("layers", "audit", "documents", "rounds"))


@dataclass(frozen=True)
class Verification:
    counts: dict[str, int]  # rows per table, and "data" = versions whose data was compared

    def text(self) -> str:
        return ", ".join(f"{name}: {n}" for name, n in self.counts.items())


def neutral(table: str, row) -> dict:
    """A backend's row in the neutral shape (plain Python values; "storage" kept for versions)."""
    out = {name: row[name] for name in TABLES[table]}
    if table == "versions":
        out["storage"] = row["storage"]
    return out


def frame_digest(gdf: gpd.GeoDataFrame) -> str:
    """Checksum of a layer version's content: column names, values and geometries (WKB)."""
    digest = hashlib.sha256(json.dumps([str(c) for c in gdf.columns]).encode())
    for name in gdf.columns:
        if name == gdf.geometry.name:
            continue
        values = [None if pd.isna(v) else v for v in gdf[name].astype(object)]
        digest.update(json.dumps(values, default=str, ensure_ascii=False).encode())
    for wkb in shapely.to_wkb(gdf.geometry.values, hex=True):
        digest.update((wkb or "-").encode())
    return digest.hexdigest()


def _table_digest(rows: list[dict], table: str) -> tuple[int, str]:
    plain = sorted(
        ({k: v for k, v in row.items() if k != "storage"} for row in rows),
        key=lambda r: tuple(str(r[k]) for k in ORDER[table]),
    )
    text = json.dumps(plain, default=str, sort_keys=True, ensure_ascii=False)
    return len(plain), hashlib.sha256(text.encode()).hexdigest()


def verify(source: Snapshot, target: Snapshot) -> Verification:
    """Equal row counts and checksums in every table and equal data in every version, or a
    `GeoError` naming the first difference."""
    counts = {}
    for table in TABLES:
        mine, theirs = _table_digest(source.rows[table], table), _table_digest(target.rows[table], table)
        if mine != theirs:
            raise GeoError("err.migrate_mismatch", table=table, source=mine[0], target=theirs[0])
        counts[table] = mine[0]
    target_storage = {(r["layer_id"], r["version"]): r["storage"] for r in target.rows["versions"]}
    for row in source.rows["versions"]:
        other = target_storage[(row["layer_id"], row["version"])]
        if frame_digest(source.read(row["storage"])) != frame_digest(target.read(other)):
            raise GeoError(
                "err.migrate_mismatch", table=f"{row['layer_id']} v{row['version']}", source=1, target=1
            )
    counts["data"] = len(source.rows["versions"])
    return Verification(counts)


def migrate(source_url: str, target_url: str) -> tuple[Verification, bool]:
    """Copy the store at `source_url` into the one at `target_url` (created if needed) and verify.

    Returns the verification and whether anything was copied (False: the target already held
    exactly this data, e.g. a re-run). A target with other data is refused, never merged.
    """
    from geo.store import open_store

    if str(source_url) == str(target_url):
        raise GeoError("err.migrate_same", location=str(target_url))
    source, target = open_store(source_url), open_store(target_url)
    snapshot, existing = source.dump(), target.dump()
    copied = existing.is_empty()
    if copied:
        target.load(snapshot)
    else:
        try:
            verify(snapshot, existing)
        except GeoError:
            raise GeoError("err.migrate_target_not_empty", location=str(target_url)) from None
    return verify(snapshot, target.dump()), copied


def backup_to_folder(store, target_dir: str | Path) -> Path:
    """A backup of any store as a GeoPackage store folder (what ``migrate --to DIR`` makes)."""
    from geo.store.geopackage import GeoPackageStore

    target = Path(target_dir)
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise GeoError("err.backup_target_not_empty", target=str(target))
    GeoPackageStore(str(target)).load(store.dump())
    return target
