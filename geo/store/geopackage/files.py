"""Immutable layer files of the GeoPackage store: write safely, describe, read back.

A version file is first written under a ``.tmp-`` name, fsynced and only then renamed to
its final name, so a file with a final name is always complete. Files are never changed
afterwards, which is what lets readers open them without any lock.
"""

from __future__ import annotations

import math
import os
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pyogrio
import pyproj
from pyogrio.errors import DataLayerError, DataSourceError, FieldError, GeometryError

from geo.errors import EmptyLayerError, GeoError, MissingCRSError, system_reason
from geo.i18n import Msg
from geo.store.geopackage.columns import (
    FID_COLUMN,
    GEOMETRY_COLUMN,
    READ_KWARGS,
    stored_frame,
    writable_frame,
)

LAYER_NAME = "data"  # the layer name inside every version file
TMP_PREFIX = ".tmp-"
TMP_MAX_AGE_S = 3600.0  # younger temp files may belong to a writer that is still running
_OGR_ERRORS = (DataSourceError, DataLayerError, FieldError, GeometryError)


@dataclass(frozen=True)
class FileMeta:
    """What the catalogue records about a version file."""

    feature_count: int
    source_crs: str
    bbox: tuple[float, float, float, float]
    geometry_type: str


def describe(gdf: gpd.GeoDataFrame, name: str) -> FileMeta:
    """Catalogue facts of `gdf`; refuses frames a layer cannot be made of."""
    if len(gdf) == 0:
        raise EmptyLayerError("err.no_features", name=name, reason=Msg("skip.no_features"))
    if gdf.crs is None:
        raise MissingCRSError("err.missing_crs", name=name)
    bounds = gdf.geometry.total_bounds
    if not all(math.isfinite(b) for b in bounds):
        raise EmptyLayerError("err.no_features", name=name, reason=Msg("reason.no_geometry"))
    return FileMeta(len(gdf), crs_label(gdf.crs), lonlat_bbox(gdf.crs, bounds), geometry_summary(gdf))


def crs_label(crs: pyproj.CRS) -> str:
    """ "EPSG:nnnn" where an EPSG code exists, else the authority string or WKT."""
    code = crs.to_epsg()
    return f"EPSG:{code}" if code is not None else crs.to_string()


def lonlat_bbox(crs: pyproj.CRS, bounds) -> tuple[float, float, float, float]:
    """Bounds in lon/lat, densified so curved edges of projected boxes are covered."""
    transformer = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    minx, miny, maxx, maxy = transformer.transform_bounds(*bounds, densify_pts=21)
    return (float(minx), float(miny), float(maxx), float(maxy))


def geometry_summary(gdf: gpd.GeoDataFrame) -> str:
    """The one geometry type of the layer, or "Mixed"."""
    types = gdf.geometry.geom_type.dropna().unique()
    if len(types) == 1:
        return str(types[0])
    return "Mixed" if len(types) else ""


def write_temp(folder: Path, gdf: gpd.GeoDataFrame, name: str) -> Path:
    """Write `gdf` as a complete, fsynced ``.tmp-`` file in `folder` and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f"{TMP_PREFIX}{uuid.uuid4().hex}.gpkg"
    try:
        pyogrio.write_dataframe(
            writable_frame(gdf),
            tmp,
            layer=LAYER_NAME,
            driver="GPKG",
            promote_to_multi=False,
            use_arrow=True,  # dates stay dates (OFTDate), nullable columns keep their gaps
            layer_options={"FID": FID_COLUMN, "GEOMETRY_NAME": GEOMETRY_COLUMN},
        )
        _fsync(tmp)
    except (*_OGR_ERRORS, OSError) as exc:
        discard(tmp)
        raise GeoError(
            "err.store_write_failed", detail=repr(exc), name=name, reason=system_reason(exc)
        ) from exc
    except BaseException:
        discard(tmp)
        raise
    return tmp


def publish(tmp: Path, folder: Path) -> Path:
    """Rename a finished temp file to its final (immutable) name in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"{uuid.uuid4().hex}.gpkg"
    os.replace(tmp, final)
    _fsync(folder)
    return final


def read_layer_file(path: Path) -> gpd.GeoDataFrame:
    """The frame stored in a version file; `FileNotFoundError` if it is gone."""
    if not path.is_file():
        raise FileNotFoundError(path)
    gdf = pyogrio.read_dataframe(path, layer=LAYER_NAME, use_arrow=True, **READ_KWARGS)
    return stored_frame(gdf)


def discard(path: Path) -> None:
    """Remove a file this process wrote but did not commit, with GDAL's and SQLite's side files."""
    for candidate in path.parent.glob(f"{path.name}*"):  # uuid names: nothing else matches
        candidate.unlink(missing_ok=True)


def remove_stale_temp_files(layers_dir: Path) -> int:
    """Delete ``.tmp-`` leftovers of killed writers older than an hour; returns how many."""
    limit = filesystem_now(layers_dir) - TMP_MAX_AGE_S
    removed = 0
    for path in [*layers_dir.glob(f"{TMP_PREFIX}*"), *layers_dir.glob(f"*/{TMP_PREFIX}*")]:
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue  # another process cleaned it up first
    return removed


def filesystem_now(folder: Path) -> float:
    """The time as the file system in `folder` stamps files: file ages are measured on the
    clock that wrote them (a network share's server, not this machine; nor a faked clock)."""
    try:
        with tempfile.TemporaryFile(dir=folder) as probe:
            return os.fstat(probe.fileno()).st_mtime
    except OSError:  # a folder this process cannot write to: its own clock is the best guess
        return time.time()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
