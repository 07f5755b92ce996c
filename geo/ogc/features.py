"""A published frame queried as OGC API – Features asks: bbox, time, properties, paging, CRS.

Pure functions on GeoDataFrames, apart from pygeoapi so that they can be tested on their own.
Geometries stay in the stored CRS with x = easting/longitude (as geopandas keeps them); axis
order is only applied on the way out, where OGC API Part 2 wants the CRS's own order
(EPSG:4326 is latitude first, CRS84 longitude first).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from geo.clock import LOCAL_TZ

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG_URI = "http://www.opengis.net/def/crs/EPSG/0/{code}"
PUBLISHED_EPSG = (4326, 25832, 25833)  # GDI-DE: lon/lat plus UTM zones 32 and 33


def crs_uri(crs: str) -> str:
    """The storage CRS as OGC URI: CRS84 for lon/lat data, else the EPSG URI."""
    code = CRS.from_user_input(crs).to_epsg()
    if code in (None, 4326):
        return CRS84
    return EPSG_URI.format(code=code)


def supported_crs(storage_uri: str) -> list[str]:
    """CRS84 first (the default), EPSG:4326, 25832, 25833 and the storage CRS."""
    uris = [CRS84, *(EPSG_URI.format(code=code) for code in PUBLISHED_EPSG)]
    return uris if storage_uri in uris else [*uris, storage_uri]


@cache
def _north_first(wkt: str) -> bool:
    axes = CRS.from_wkt(wkt).axis_info
    return bool(axes) and axes[0].direction.lower() in ("north", "south")


def _crs_wkt(crs: object) -> str:
    return CRS.from_user_input(crs).to_wkt()


def bbox_in_storage(bbox: list[float], storage_crs: object) -> tuple[float, float, float, float]:
    """A bbox pygeoapi transformed into the storage CRS (in its axis order) as x/y bounds."""
    n = len(bbox) // 2  # 4 values, or 6 with heights
    minx, miny, maxx, maxy = float(bbox[0]), float(bbox[1]), float(bbox[n]), float(bbox[n + 1])
    if _north_first(_crs_wkt(storage_crs)):
        minx, miny, maxx, maxy = miny, minx, maxy, maxx
    return min(minx, maxx), min(miny, maxy), max(minx, maxx), max(miny, maxy)


def to_crs(geoms: gpd.GeoSeries, target_wkt: str | None) -> np.ndarray:
    """Geometries in the target CRS and its axis order (unchanged when `target_wkt` is None)."""
    values = geoms.values.to_numpy() if hasattr(geoms.values, "to_numpy") else np.asarray(geoms)
    if target_wkt is None:
        return values
    transformer = Transformer.from_crs(geoms.crs, CRS.from_wkt(target_wkt), always_xy=True)
    swap = _north_first(target_wkt)

    def project(xy: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([y, x] if swap else [x, y])

    return shapely.transform(values, project)


@dataclass(frozen=True)
class Query:
    """What a client asked for, already checked by pygeoapi."""

    offset: int = 0
    limit: int = 10
    bbox: tuple[float, float, float, float] | None = None  # storage CRS, x/y order
    datetime: str | None = None
    properties: tuple[tuple[str, str], ...] = ()
    sortby: tuple[tuple[str, str], ...] = ()  # (column, "+" or "-")
    select: tuple[str, ...] = ()
    q: str | None = None
    skip_geometry: bool = False
    hits_only: bool = False
    target_wkt: str | None = None  # output CRS, None: storage CRS


def json_value(value: object) -> object:
    """A cell as JSON: NaN/NA → null, times as ISO text, numpy scalars as Python ones."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, np.generic):
        return json_value(value.item())
    return value


def field_types(frame: gpd.GeoDataFrame) -> dict[str, dict]:
    """JSON Schema type of every attribute column (queryables, schema)."""
    out = {}
    for name, dtype in frame.drop(columns=frame.geometry.name).dtypes.items():
        if pd.api.types.is_bool_dtype(dtype):
            out[str(name)] = {"type": "boolean"}
        elif pd.api.types.is_integer_dtype(dtype):
            out[str(name)] = {"type": "integer"}
        elif pd.api.types.is_float_dtype(dtype):
            out[str(name)] = {"type": "number"}
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            out[str(name)] = {"type": "string", "format": "date-time"}
        else:
            out[str(name)] = {"type": "string"}
    return out


def _instant(text: str, end: bool) -> pd.Timestamp | None:
    """One end of a `datetime` parameter as local naive time (how event times are stored)."""
    if text in ("..", ""):
        return None
    stamp = pd.Timestamp(text)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(LOCAL_TZ).tz_localize(None)
    if end and len(text) <= 10:  # a bare date as end: the whole day
        stamp += pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
    return stamp


def _local_naive(column: pd.Series) -> pd.Series:
    values = pd.to_datetime(column, errors="coerce")
    if getattr(values.dt, "tz", None) is not None:
        values = values.dt.tz_convert(LOCAL_TZ).dt.tz_localize(None)
    return values


def time_mask(frame: pd.DataFrame, start: str, end: str | None, datetime_: str) -> np.ndarray:
    """Rows whose time (instant or [start, end]) meets the instant or interval `datetime_`."""
    begin_text, _, end_text = datetime_.partition("/")
    lo = _instant(begin_text, end=False)
    hi = _instant(end_text, end=True) if end_text else _instant(begin_text, end=True)
    first = _local_naive(frame[start])
    last = _local_naive(frame[end]).fillna(first) if end else first
    mask = np.array(first.notna(), dtype=bool)  # a writable copy
    if hi is not None:
        mask &= (first <= hi).to_numpy()
    if lo is not None:
        mask &= (last >= lo).to_numpy()
    return mask


def _equals(column: pd.Series, text: str) -> np.ndarray:
    """Property filter: numbers compared as numbers, everything else as its text."""
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        try:
            return (column.astype("float64") == float(text)).fillna(False).to_numpy(dtype=bool)
        except ValueError:
            return np.zeros(len(column), dtype=bool)
    return (column.map(lambda v: str(json_value(v))) == text).to_numpy(dtype=bool)


def select_rows(
    frame: gpd.GeoDataFrame, query: Query, time_columns: tuple[str, str | None] | None
) -> np.ndarray:
    """Positions of the rows matching bbox, time, properties and `q`, in the requested order."""
    mask = np.ones(len(frame), dtype=bool)
    if query.bbox is not None:
        hits = frame.sindex.query(shapely.box(*query.bbox), predicate="intersects")
        inside = np.zeros(len(frame), dtype=bool)
        inside[hits] = True
        mask &= inside
    if query.datetime and time_columns:
        mask &= time_mask(frame, time_columns[0], time_columns[1], query.datetime)
    for name, text in query.properties:
        mask &= _equals(frame[name], text)
    if query.q:
        words = str(query.q).casefold()
        text = frame.drop(columns=frame.geometry.name).astype(str).agg(" ".join, axis=1).str.casefold()
        mask &= text.str.contains(words, regex=False).to_numpy(dtype=bool)
    rows = np.flatnonzero(mask)
    if query.sortby:
        subset = pd.DataFrame(frame.iloc[rows].drop(columns=frame.geometry.name))
        order = subset.reset_index(drop=True).sort_values(
            [name for name, _ in query.sortby],
            ascending=[sign != "-" for _, sign in query.sortby],
            kind="stable",
        )
        rows = rows[order.index.to_numpy()]
    return rows


def features(frame: gpd.GeoDataFrame, ids: np.ndarray, rows: np.ndarray, query: Query) -> list[dict]:
    """GeoJSON features of `rows` with ids `ids[rows]`, in the output CRS."""
    page = frame.iloc[rows]
    columns = [c for c in page.columns if c != page.geometry.name]
    if query.select:
        columns = [c for c in columns if c in query.select]
    if query.skip_geometry:
        geometries = [None] * len(page)
    else:
        shapes = to_crs(page.geometry, query.target_wkt)
        geometries = [None if g is None else json.loads(g) for g in shapely.to_geojson(shapes)]
    records = page[columns].to_dict("records")
    return [
        {
            "type": "Feature",
            "id": int(fid),
            "geometry": geometry,
            "properties": {str(k): json_value(v) for k, v in record.items()},
        }
        for fid, geometry, record in zip(ids[rows], geometries, records, strict=True)
    ]
