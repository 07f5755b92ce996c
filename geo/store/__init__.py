"""The layer store: one interface, backends chosen by URL.

Pages, the CLI and analyses talk only to `LayerStore`; `open_store(url)` picks the
backend (a folder or ``.gpkg``-holding directory → GeoPackage; ``postgresql://`` →
PostGIS, later). Nothing outside `geo/store/` knows which backend runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from geo.errors import GeoError
from geo.i18n import Msg

if TYPE_CHECKING:
    from datetime import datetime

    import geopandas as gpd

    from geo.participation.rounds import Contribution, Round

KINDS = ("municipalities", "coworking", "mobility", "events", "other")

# Column roles a layer may carry: which attribute holds the name, the category, …
ROLES = ("name", "category", "key", "population", "start", "end")


@dataclass(frozen=True)
class LayerInfo:
    """Catalogue entry of a layer in its current version."""

    id: str
    title: str
    kind: str
    source_file: str
    source_crs: str  # e.g. "EPSG:25832"; the stored geometries are in this CRS
    feature_count: int
    bbox: tuple[float, float, float, float]  # lon/lat (EPSG:4326): minx, miny, maxx, maxy
    attribution: str
    created_at: str  # ISO 8601, UTC
    updated_at: str
    version: int
    geometry_type: str = ""
    roles: dict[str, str] = field(default_factory=dict)  # role -> column name
    style: dict[str, str] = field(default_factory=dict)  # colour, symbol, category column
    updated_by: str = ""
    deleted: bool = False

    def to_dict(self) -> dict:
        d = self.__dict__.copy()
        d["bbox"] = list(self.bbox)
        d["crs"] = self.source_crs
        return d


@dataclass(frozen=True)
class VersionInfo:
    """One stored version of a layer (versions are never overwritten)."""

    layer_id: str
    version: int
    created_at: str
    author: str
    action: str  # "create", "replace", "append", "restore"
    source_file: str
    feature_count: int
    source_crs: str


@dataclass(frozen=True)
class AuditEntry:
    """One change to the store: who did what, when, with which file."""

    at: str
    user: str
    action: str  # create, replace, append, restore, delete, undelete, metadata
    layer_id: str
    version: int | None
    source_file: str
    detail: str


@runtime_checkable
class LayerStore(Protocol):
    """What every backend offers. All writes are atomic and keep earlier versions."""

    location: str

    def list_layers(self, include_deleted: bool = False) -> list[LayerInfo]: ...

    def get(self, layer_id: str) -> LayerInfo: ...

    def read(self, layer_id: str, version: int | None = None) -> gpd.GeoDataFrame: ...

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
    ) -> LayerInfo: ...

    def replace(
        self, layer_id: str, gdf: gpd.GeoDataFrame, *, source_file: str = "", author: str = "system"
    ) -> LayerInfo: ...

    def append(
        self, layer_id: str, gdf: gpd.GeoDataFrame, *, source_file: str = "", author: str = "system"
    ) -> LayerInfo: ...

    def update_metadata(self, layer_id: str, *, author: str = "system", **changes: object) -> LayerInfo: ...

    def delete(self, layer_id: str, *, author: str = "system") -> None: ...

    def undelete(self, layer_id: str, *, author: str = "system") -> LayerInfo: ...

    def history(self, layer_id: str) -> list[VersionInfo]: ...

    def restore(self, layer_id: str, version: int, *, author: str = "system") -> LayerInfo: ...

    def audit_log(self, limit: int | None = None) -> list[AuditEntry]: ...

    # small JSON documents beside the layers (guided tours, …), versioned, never lost
    def list_documents(self, kind: str) -> list[str]: ...

    def get_document(self, kind: str, name: str) -> dict | None: ...

    def put_document(self, kind: str, name: str, data: dict | None, *, author: str = "system") -> int: ...

    def claim_document(self, kind: str, name: str, data: dict, *, author: str = "system") -> bool: ...

    # participation rounds ("Beteiligung"): see geo.participation.rounds and geo.store.geopackage.rounds
    def create_round(self, rnd: Round, *, author: str = "system") -> Round: ...

    def list_rounds(self) -> list[Round]: ...

    def get_round(self, round_id: str) -> Round: ...

    def close_round(self, round_id: str, *, author: str = "system") -> Round: ...

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
    ) -> Contribution: ...

    def support(
        self, round_id: str, contribution_id: int, *, device: str, now: datetime | None = None
    ) -> int: ...

    def supported_by(self, round_id: str, device: str) -> set[int]: ...

    def list_contributions(
        self, round_id: str, *, include_hidden: bool = False, after_id: int = 0
    ) -> list[Contribution]: ...

    def moderate(
        self, contribution_id: int, action: str, *, author: str, reason: str = ""
    ) -> Contribution: ...

    def round_to_layer(
        self, round_id: str, *, title: str, kind: str = "other", author: str = "system"
    ) -> LayerInfo: ...


def open_store(url: str) -> LayerStore:
    """Open the store at `url` (a directory path for the GeoPackage backend)."""
    if url.startswith(("postgresql://", "postgres://")):
        raise GeoError("err.store_unavailable", location=url, reason=Msg("reason.postgis_unavailable"))
    from geo.store.geopackage import GeoPackageStore

    return GeoPackageStore(url)


__all__ = ["KINDS", "ROLES", "AuditEntry", "LayerInfo", "LayerStore", "VersionInfo", "open_store"]
