"""Layer data in PostGIS: one table per version, typed columns, geometry in its source CRS.

A version table is created and filled (COPY) inside the transaction that records the
version, so it exists completely or not at all, and is never changed afterwards. Columns
get the closest PostgreSQL type of what `writable_frame` made storable (text keeps AGS keys
with leading zeros); names longer than PostgreSQL's 63 bytes are shortened and the mapping
is kept in the catalogue. The geometry column is ``geometry(<type>, <srid>)`` with a GiST
index, so QGIS and other tools read the tables (and each live layer's view) directly.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import pyproj
import shapely
from pandas.api import types as ptypes
from psycopg import sql

from geo.store.geopackage.columns import FID_COLUMN, stored_frame, writable_frame
from geo.store.postgis.schema import LAYERS

GEOMETRY = "geometry"
_MAX_NAME = 63  # bytes in a PostgreSQL identifier


def _pg_type(column: pd.Series) -> str:
    dtype = column.dtype
    if ptypes.is_bool_dtype(dtype):
        return "boolean"
    if ptypes.is_integer_dtype(dtype):
        return "bigint"
    if ptypes.is_float_dtype(dtype):
        return "double precision"
    if ptypes.is_datetime64_any_dtype(dtype):
        return "timestamptz" if getattr(dtype, "tz", None) is not None else "timestamp"
    values = [v for v in column if v is not None and not pd.isna(v)]
    if values and all(isinstance(v, dt.date) and not isinstance(v, dt.datetime) for v in values):
        return "date"
    return "text"


def _physical(names: list[str]) -> list[str]:
    """Column names as PostgreSQL keeps them: unique, at most 63 bytes."""
    taken, out = {FID_COLUMN, GEOMETRY}, []
    for i, name in enumerate(names):
        label = name if len(name.encode()) <= _MAX_NAME else name.encode()[:50].decode(errors="ignore")
        if label in taken or label != name:
            label = f"{label}_{i + 1}"
        taken.add(label)
        out.append(label)
    return out


def table_name(layer_id: str) -> str:
    """A new, unused name: readable prefix, random suffix (restore shares tables)."""
    return f"{layer_id[:40]}_{uuid.uuid4().hex[:12]}"


def _srid(conn: psycopg.Connection, crs: pyproj.CRS) -> int:
    code = crs.to_epsg()
    if code is None:
        return 0
    row = conn.execute("SELECT 1 FROM spatial_ref_sys WHERE srid = %s", (code,)).fetchone()
    return code if row else 0


def _geometry_type(geoms: np.ndarray, srid: int) -> str:
    present = geoms[~shapely.is_missing(geoms)]
    with_z = shapely.has_z(present)
    if len(present) and with_z.all():
        return f"geometry(GeometryZ, {srid})"
    if not with_z.any():
        return f"geometry(Geometry, {srid})"
    return "geometry"  # mixed 2D/3D: no type modifier


def _cells(column: pd.Series) -> list:
    """Python values for COPY: missing values of every kind become NULL."""
    return [
        None if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and np.isnan(v)) else v
        for v in column.astype(object).tolist()
    ]


def create_table(conn: psycopg.Connection, name: str, gdf: gpd.GeoDataFrame) -> str:
    """Create and fill version table `name`; returns its column mapping (JSON) for the catalogue."""
    frame = writable_frame(gdf)
    names = [str(c) for c in frame.columns if c != frame.geometry.name]
    physical, types = _physical(names), [_pg_type(frame[c]) for c in names]
    srid = _srid(conn, gdf.crs)
    geoms = shapely.set_srid(np.asarray(frame.geometry.values, dtype=object), srid)
    target = sql.Identifier(LAYERS, name)
    columns = [
        sql.SQL("{} {}").format(sql.Identifier(p), sql.SQL(t)) for p, t in zip(physical, types, strict=True)
    ]
    conn.execute(
        sql.SQL("CREATE TABLE {} ({} bigint PRIMARY KEY, {}{} {})").format(
            target,
            sql.Identifier(FID_COLUMN),
            sql.SQL("").join(c + sql.SQL(", ") for c in columns),
            sql.Identifier(GEOMETRY),
            sql.SQL(_geometry_type(geoms, srid)),
        )
    )
    wkb = shapely.to_wkb(geoms, hex=True, include_srid=True)
    cells = [_cells(frame[c]) for c in names]
    fields = sql.SQL(", ").join(sql.Identifier(c) for c in [FID_COLUMN, *physical, GEOMETRY])
    with conn.cursor().copy(sql.SQL("COPY {} ({}) FROM STDIN").format(target, fields)) as copy:
        for i in range(len(frame)):
            copy.write_row([i + 1, *(col[i] for col in cells), wkb[i]])
    conn.execute(sql.SQL("CREATE INDEX ON {} USING GIST ({})").format(target, sql.Identifier(GEOMETRY)))
    return json.dumps([[n, p, t] for n, p, t in zip(names, physical, types, strict=True)])


def read_table(conn: psycopg.Connection, name: str, columns: str, crs_wkt: str) -> gpd.GeoDataFrame:
    """The frame stored in version table `name`, with the types it was written with."""
    mapping = json.loads(columns)
    fields = [sql.Identifier(p) for _, p, _ in mapping]
    query = sql.SQL("SELECT {}ST_AsBinary({}) FROM {} ORDER BY {}").format(
        sql.SQL("").join(f + sql.SQL(", ") for f in fields),
        sql.Identifier(GEOMETRY),
        sql.Identifier(LAYERS, name),
        sql.Identifier(FID_COLUMN),
    )
    with conn.cursor(row_factory=psycopg.rows.tuple_row) as cur:
        rows = cur.execute(query).fetchall()
    values = list(zip(*rows, strict=True)) if rows else [()] * (len(mapping) + 1)
    data = {n: _series(values[i], t) for i, (n, _, t) in enumerate(mapping)}
    geometry = shapely.from_wkb([None if g is None else bytes(g) for g in values[-1]])
    gdf = gpd.GeoDataFrame(data, geometry=geometry, crs=pyproj.CRS.from_user_input(crs_wkt))
    return stored_frame(gdf)


def _series(values: tuple, pg_type: str) -> pd.Series:
    if pg_type == "bigint":
        return pd.Series(pd.array(list(values), dtype="Int64"))
    if pg_type == "boolean":
        return pd.Series(pd.array(list(values), dtype="boolean"))
    if pg_type == "double precision":
        return pd.Series([np.nan if v is None else v for v in values], dtype="float64")
    if pg_type in ("timestamp", "timestamptz"):
        return pd.Series(pd.to_datetime(list(values), utc=pg_type == "timestamptz"))
    if pg_type == "date":
        return pd.Series(list(values), dtype=object)
    return pd.Series(list(values), dtype="str")


def drop_view(conn: psycopg.Connection, layer_id: str) -> None:
    conn.execute(sql.SQL("DROP VIEW IF EXISTS {}").format(sql.Identifier(LAYERS, layer_id[:_MAX_NAME])))


def publish_view(conn: psycopg.Connection, layer_id: str, table: str, columns: str) -> None:
    """``smart_region_layers.<layer id>``: the current version under the layer's own name, with
    its original column names where they fit (what a planner opens in QGIS)."""
    drop_view(conn, layer_id)
    mapping = json.loads(columns)
    fields = [sql.Identifier(p) for _, p, _ in mapping]
    conn.execute(
        sql.SQL("CREATE VIEW {} AS SELECT {}, {}{} FROM {}").format(
            sql.Identifier(LAYERS, layer_id[:_MAX_NAME]),
            sql.Identifier(FID_COLUMN),
            sql.SQL("").join(f + sql.SQL(", ") for f in fields),
            sql.Identifier(GEOMETRY),
            sql.Identifier(LAYERS, table),
        )
    )
