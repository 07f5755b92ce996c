"""Cleanup every imported layer goes through, whatever its format.

Geometries: null and empty ones dropped and counted, invalid ones repaired, Z/M removed,
geometry collections reduced to their main parts. Attributes: names unique and non-empty,
values that JSON and the UI can show. CRS: kept from the source, assigned when given,
guessed only for plain lon/lat. `report` is the `ImportReport` of `geo.imports.formats`.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
import sqlite3
from contextlib import closing
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError, ProjError

from geo.errors import GeoError, MissingCRSError
from geo.i18n import Msg

_CURVE_TYPES = {
    "CIRCULARSTRING",
    "COMPOUNDCURVE",
    "CURVEPOLYGON",
    "MULTICURVE",
    "MULTISURFACE",
    "CURVE",
    "SURFACE",
}
_FID_NAMES = {"fid", "ogc_fid", "ogr_fid"}
# Columns LIBKML adds to every placemark; they describe styling, not the data.
_KML_STYLE_COLUMNS = {"altitudeMode", "tessellate", "extrude", "visibility", "drawOrder", "icon", "snippet"}
_KML_TIME_COLUMNS = {"timestamp", "begin", "end"}
_MULTI = {0: shapely.MultiPoint, 1: shapely.MultiLineString, 2: shapely.MultiPolygon}


def parse_crs(value: str | int) -> CRS:
    """A CRS from 25832, "25832", "EPSG:25832" or any definition pyproj knows."""
    text = str(value).strip()
    if isinstance(value, bool) or not text:
        raise GeoError("err.bad_crs", crs=text)
    if text.isdigit():
        text = f"EPSG:{text}"
    try:
        return CRS.from_user_input(text)
    except CRSError as exc:
        raise GeoError("err.bad_crs", detail=str(exc), crs=str(value)) from None


def crs_label(crs: CRS) -> str:
    """``EPSG:25832`` where an authority code is known, else the CRS's own string."""
    auth = crs.to_authority()
    return f"{auth[0]}:{auth[1]}" if auth else crs.to_string()


def apply_crs(gdf: gpd.GeoDataFrame, target: CRS | None, report, name: str) -> gpd.GeoDataFrame:
    """Keep the source CRS; assign `target` (no reprojection); assume WGS 84 for lon/lat."""
    source = gdf.crs
    if target is not None:
        if source is not None and not source.equals(target):
            report.warn("warn.crs_overridden", old=crs_label(source), new=crs_label(target))
        gdf = gdf.set_crs(target, allow_override=True)
    elif source is None:
        if not _looks_like_lonlat(gdf):
            raise MissingCRSError("err.missing_crs", name=name)
        gdf = gdf.set_crs(4326)
        report.warn("warn.assumed_wgs84")
    _check_lonlat_extent(gdf, name)
    report.source_crs = crs_label(gdf.crs)
    return gdf


def _check_lonlat_extent(gdf: gpd.GeoDataFrame, name: str) -> None:
    """The map needs the extent in lon/lat; absurd coordinates (a wrong CRS) have none."""
    try:
        transformer = Transformer.from_crs(gdf.crs, "EPSG:4326", always_xy=True)
        box = transformer.transform_bounds(*gdf.total_bounds, densify_pts=21)
    except ProjError:
        box = (math.nan,)
    if not np.isfinite(box).all():
        raise GeoError("err.coordinates_out_of_range", name=name, crs=crs_label(gdf.crs))


def _looks_like_lonlat(gdf: gpd.GeoDataFrame) -> bool:
    minx, miny, maxx, maxy = gdf.total_bounds
    return bool(-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90)


def has_curves(path: Path, table: str) -> bool:
    """Whether a GeoPackage declares curved geometries for `table` (pyogrio linearises them)."""
    if path.suffix.lower() != ".gpkg":
        return False
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as con:
            row = con.execute(
                "SELECT geometry_type_name FROM gpkg_geometry_columns WHERE table_name = ?", (table,)
            ).fetchone()
    except sqlite3.Error:
        return False
    return bool(row) and str(row[0]).upper() in _CURVE_TYPES


def clean_geometries(gdf: gpd.GeoDataFrame, report) -> gpd.GeoDataFrame:
    """Drop null/empty, flatten to 2D, reduce collections, repair invalid geometries."""
    geoms = np.asarray(gdf.geometry.array, dtype=object)
    null = shapely.is_missing(geoms)
    empty = ~null & shapely.is_empty(geoms)
    report.drop("drop.null_geometry", null.sum())
    report.drop("drop.empty_geometry", empty.sum())
    keep = ~(null | empty)
    gdf, geoms = gdf[keep], geoms[keep]
    if (shapely.has_z(geoms) | shapely.has_m(geoms)).any():
        geoms = shapely.force_2d(geoms)
        report.warn("warn.z_dropped")
    geoms, reduced = _reduce_collections(geoms)
    if reduced:
        report.warn("warn.collections_simplified", n=reduced)
    geoms, repaired, lost = _repair(geoms)
    report.repaired += repaired
    report.drop("drop.invalid_after_repair", lost.sum())
    series = gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs)
    attrs = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    attrs = attrs.rename(columns={c: f"{c}_attr" for c in attrs.columns if str(c).lower() == "geometry"})
    out = gpd.GeoDataFrame(attrs, geometry=series.rename("geometry"), crs=gdf.crs)
    return out[~lost].reset_index(drop=True)


def _reduce_collections(geoms: np.ndarray) -> tuple[np.ndarray, int]:
    """GeometryCollections → their highest-dimension parts (KML label points go, areas stay)."""
    idx = np.flatnonzero(shapely.get_type_id(geoms) == shapely.GeometryType.GEOMETRYCOLLECTION)
    if not len(idx):
        return geoms, 0
    geoms = geoms.copy()
    for i in idx:
        geoms[i] = _parts_of_dimension(geoms[i], None)
    return geoms, len(idx)


def _parts_of_dimension(geom, dim: int | None):
    """The parts of `geom` of dimension `dim` (default: its highest), as one geometry."""
    parts = shapely.get_parts(geom)
    while (coll := shapely.get_type_id(parts) == shapely.GeometryType.GEOMETRYCOLLECTION).any():
        parts = np.concatenate([parts[~coll], shapely.get_parts(parts[coll])])
    parts = parts[~shapely.is_empty(parts)]
    if not len(parts):
        return None
    dims = shapely.get_dimensions(parts)
    dim = int(dims.max()) if dim is None else dim
    singles = shapely.get_parts(parts[dims == dim])
    if not len(singles):
        return None
    return singles[0] if len(singles) == 1 else _MULTI[dim](list(singles))


def _repair(geoms: np.ndarray) -> tuple[np.ndarray, int, np.ndarray]:
    """make_valid the invalid ones, keeping their dimension; (geoms, repaired, lost mask)."""
    lost = np.zeros(len(geoms), dtype=bool)
    lost |= shapely.is_missing(geoms) | _non_finite(geoms)
    invalid = np.flatnonzero(~lost & ~shapely.is_valid(geoms))
    if not len(invalid):
        return geoms, 0, lost
    geoms = geoms.copy()
    for i in invalid:
        dim = int(shapely.get_dimensions(geoms[i]))
        fixed = shapely.make_valid(geoms[i])
        if fixed is not None and (
            shapely.get_dimensions(fixed) != dim or fixed.geom_type == "GeometryCollection"
        ):
            fixed = _parts_of_dimension(fixed, dim)
        if fixed is None or fixed.is_empty:
            lost[i] = True
        geoms[i] = fixed
    return geoms, int(len(invalid) - lost[invalid].sum()), lost


def _non_finite(geoms: np.ndarray) -> np.ndarray:
    """Geometries with an infinite or NaN coordinate (GeoJSON allows them): nothing can repair them."""
    coords, index = shapely.get_coordinates(geoms, return_index=True)
    bad = np.zeros(len(geoms), dtype=bool)
    bad[index[~np.isfinite(coords).all(axis=1)]] = True
    return bad


def drop_fid_artefacts(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Drop fid/ogc_fid columns that are only a running row number (1..n or 0..n-1)."""
    for col in [c for c in gdf.columns if str(c).lower() in _FID_NAMES]:
        values = pd.to_numeric(gdf[col], errors="coerce")
        if values.isna().any():
            continue
        start = values.iloc[0] if len(values) else 0
        if start in (0, 1) and (values.to_numpy() == np.arange(start, start + len(values))).all():
            gdf = gdf.drop(columns=col)
    return gdf


def drop_kml_artefacts(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Drop LIBKML's styling columns and its time columns when they are all empty."""
    drop = [c for c in gdf.columns if c in _KML_STYLE_COLUMNS]
    drop += [c for c in gdf.columns if c in _KML_TIME_COLUMNS and gdf[c].isna().all()]
    return gdf.drop(columns=drop)


def restore_nullable(gdf: gpd.GeoDataFrame, info: dict) -> gpd.GeoDataFrame:
    """Integer/boolean fields with nulls come back as float; give them nullable dtypes again."""
    for name, declared in zip(info.get("fields", []), info.get("dtypes", []), strict=False):
        if name not in gdf.columns or gdf[name].dtype.kind != "f":
            continue
        col = gdf[name]
        if declared == "bool" and col.dropna().isin([0, 1]).all():
            gdf[name] = col.astype("boolean")
        elif str(declared).startswith(("int", "uint")):
            present = col.dropna()
            if (present % 1 == 0).all() and (present.abs() < 2**63).all():
                gdf[name] = col.astype("Int64")
    return gdf


def clean_attributes(gdf: gpd.GeoDataFrame, report) -> gpd.GeoDataFrame:
    """Unique, non-empty column names; object columns made JSON- and display-safe."""
    geom = gdf.geometry.name
    names, renamed = _safe_names([c for c in gdf.columns if c != geom])
    if renamed:
        report.warn("warn.columns_renamed", columns=tuple(renamed))
    attrs = pd.DataFrame(gdf.drop(columns=geom))
    attrs.columns = names
    for col in names:
        if attrs[col].dtype == object:
            attrs[col] = _safe_values(attrs[col])
    return gpd.GeoDataFrame(attrs, geometry=gdf.geometry.values, crs=gdf.crs)


def _safe_names(columns: list) -> tuple[list[str], list[Msg]]:
    """Stripped, non-empty, unique (case-insensitively, as GeoPackage wants) names."""
    seen: set[str] = set()
    names, renamed = [], []
    for i, col in enumerate(columns):
        base = str(col).strip() or f"spalte_{i + 1}"
        if base.lower() == "geometry":
            base = "geometry_attr"
        name, n = base, 2
        while name.lower() in seen:
            name, n = f"{base}_{n}", n + 1
        seen.add(name.lower())
        names.append(name)
        if name != col:
            renamed.append(Msg("fmt.renamed", old=str(col), new=name))
    return names, renamed


def _safe_values(s: pd.Series) -> pd.Series:
    """bytes → base64, dict/list → JSON, dates → datetime dtype, the rest → text."""
    present = s.dropna()
    if present.empty or present.map(lambda v: isinstance(v, str)).all():
        return s.astype("str")
    if present.map(lambda v: isinstance(v, (dt.date, pd.Timestamp))).all():
        return pd.to_datetime(s, errors="coerce")
    return s.map(_safe_value, na_action="ignore").astype("str")


def _safe_value(v: object) -> str:
    if isinstance(v, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(v)).decode("ascii")
    if isinstance(v, (dict, list, tuple)):
        return json.dumps(v, ensure_ascii=False, default=str)
    return str(v)
