"""Storing an upload: as a new layer, as a new version of one, or appended to one.

The one write path for imports: the upload page (`save_import` after its preview), the CLI
and scripts (`import_file`) and the tests all go through `save_import`, so titles are cleaned,
kinds and roles checked and reports made the same way everywhere, and what the tests prove
about concurrent uploads holds for the page. Every check runs before the store is touched,
and the store's own writes are atomic: a refused or failed save leaves the store unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from geo.config import Settings
from geo.errors import GeoError
from geo.imports.formats import ImportedLayer, ImportReport, read_upload
from geo.imports.services import is_service_url, read_service
from geo.imports.type_map import checked_types, with_types
from geo.metadata import MAX_ATTRIBUTION_CHARS, MAX_TITLE_CHARS, clean_line
from geo.store import KINDS, ROLES, LayerInfo, LayerStore

ACTIONS = ("new", "replace", "append")


@dataclass(frozen=True)
class SaveRequest:
    """What the planner chose in the preview form."""

    action: str = "new"  # one of ACTIONS
    layer_id: str = ""  # target of replace/append
    title: str = ""
    kind: str = "other"
    attribution: str = ""
    roles: dict[str, str] = field(default_factory=dict)  # role -> column; empty values ignored
    type_column: str = ""  # column whose values `types` maps onto mobility types (`type_map`)
    types: dict[str, str] = field(default_factory=dict)  # category value -> mobility type; "" unmapped


def checked_roles(roles: dict[str, str], columns: list[str]) -> dict[str, str]:
    """Only known roles with an existing column; a stale choice is a readable error."""
    out: dict[str, str] = {}
    for role, column in roles.items():
        if not column:
            continue
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; allowed: {ROLES}")
        if column not in columns:
            raise GeoError("err.upload_role_column", role=role, column=column, columns=", ".join(columns))
        out[role] = column
    return out


def checked_request(item: ImportedLayer, request: SaveRequest) -> SaveRequest:
    """`request` with its texts cleaned, its kind and roles checked against `item`'s columns."""
    if request.action not in ACTIONS:
        raise ValueError(f"unknown action {request.action!r}; allowed: {ACTIONS}")
    if request.action != "new":
        if not request.layer_id:
            raise GeoError("err.upload_target_missing")
        return request
    title = clean_line(request.title, MAX_TITLE_CHARS)
    if not title:
        raise GeoError("err.upload_title_missing")
    if request.kind not in KINDS:
        raise GeoError("err.bad_kind", kind=request.kind, allowed=", ".join(KINDS))
    columns = [c for c in item.gdf.columns if c != item.gdf.geometry.name]
    return replace(
        request,
        title=title,
        attribution=clean_line(request.attribution, MAX_ATTRIBUTION_CHARS),
        roles=checked_roles(request.roles, columns),
        types=checked_types(request.types, request.type_column, columns),
    )


def save_import(
    store: LayerStore, item: ImportedLayer, request: SaveRequest, *, author: str, source_file: str
) -> LayerInfo:
    """Store `item` as `request` says, in the name of `author`; returns the new catalogue entry."""
    return _store(store, item, checked_request(item, request), author, source_file)


def _store(
    store: LayerStore, item: ImportedLayer, request: SaveRequest, author: str, source_file: str
) -> LayerInfo:
    source = clean_line(source_file, 200)
    if request.action == "replace":
        return store.replace(request.layer_id, item.gdf, source_file=source, author=author)
    if request.action == "append":
        return store.append(request.layer_id, item.gdf, source_file=source, author=author)
    return store.write(
        with_types(item.gdf, request.type_column, request.types),
        title=request.title,
        kind=request.kind,
        source_file=source,
        attribution=request.attribution,
        roles=request.roles,
        author=author,
    )


def preview_info(item: ImportedLayer, title: str, kind: str, roles: dict[str, str]) -> LayerInfo:
    """A catalogue entry for the not-yet-stored data, so the preview map draws it like a layer."""
    gdf = item.gdf
    wgs = gdf.to_crs("EPSG:4326") if gdf.crs else gdf
    types = gdf.geom_type.value_counts()
    return LayerInfo(
        id="preview",
        title=clean_line(title, MAX_TITLE_CHARS) or item.name,
        kind=kind if kind in KINDS else "other",
        source_file=item.report.source_file,
        source_crs=item.report.source_crs or "",
        feature_count=len(gdf),
        bbox=tuple(float(v) for v in wgs.total_bounds),
        attribution="",
        created_at="",
        updated_at="",
        version=0,
        geometry_type=str(types.index[0]) if len(types) else "",
        roles={k: v for k, v in roles.items() if v},
    )


def import_and_save(
    store: LayerStore,
    filename: str,
    data: bytes | str | Path,
    request: SaveRequest,
    *,
    author: str,
    layer: str | None = None,
    crs: str | None = None,
) -> LayerInfo:
    """Read one layer of an upload and store it: the page's two steps in one call (tests, scripts)."""
    imported = read_upload(filename, data, layer=layer, crs=crs)
    return save_import(store, imported[0], request, author=author, source_file=filename)


def suggested_request(
    item: ImportedLayer,
    *,
    title: str | None = None,
    kind: str | None = None,
    attribution: str | None = None,
    roles: dict[str, str] | None = None,
) -> SaveRequest:
    """A new layer as the upload form first proposes it, with the caller's choices on top."""
    suggestion = item.suggestion
    return SaveRequest(
        "new",
        "",
        suggestion["title"] if title is None else title,
        kind or suggestion["kind"],
        suggestion["attribution"] if attribution is None else attribution,
        {**suggestion["roles"], **(roles or {})},
    )


def read_source(
    filename: str,
    data: bytes | str | Path | None,
    *,
    layer: str | None = None,
    crs: str | None = None,
    x: str | None = None,
    y: str | None = None,
    settings: Settings | None = None,
    swap_xy: bool = False,
) -> list[ImportedLayer]:
    """The layers of a file, or of a web service when `filename` is its http(s) address."""
    if is_service_url(filename):
        return read_service(filename, layer=layer, crs=crs)
    return read_upload(filename, data, layer=layer, crs=crs, x=x, y=y, settings=settings, swap_xy=swap_xy)


@dataclass(frozen=True)
class Saved:
    """One stored layer of an imported file and the report of its cleaning."""

    info: LayerInfo
    report: ImportReport


def import_file(
    store: LayerStore,
    filename: str,
    data: bytes | str | Path | None,
    *,
    author: str,
    layer: str | None = None,
    crs: str | None = None,
    x: str | None = None,
    y: str | None = None,
    choose: Callable[[ImportedLayer], SaveRequest] = suggested_request,
    settings: Settings | None = None,
    swap_xy: bool = False,
) -> list[Saved]:
    """Read every layer of a file (or only `layer`) and store each as `choose` decides.

    `filename` may be a WFS or OGC API – Features address instead (`data` is then unused): its
    `layer`, or its only one, is imported. Every layer is read and every request checked before
    the first one is stored, so a file with one bad layer leaves the store unchanged (CLI, scripts).
    """
    imported = read_source(filename, data, layer=layer, crs=crs, x=x, y=y, settings=settings, swap_xy=swap_xy)
    checked = [(item, checked_request(item, choose(item))) for item in imported]
    return [Saved(_store(store, item, request, author, filename), item.report) for item, request in checked]
