"""Column types between pandas and GeoPackage.

A GeoPackage holds text, integers, reals, booleans, dates and datetimes; pandas holds far
more. Before writing, each column is turned into the closest storable type without
changing what its values mean (strings stay strings, so AGS keys keep leading zeros;
dicts and lists become JSON text). On reading, integer and boolean columns with gaps come
back as nullable pandas types instead of floats.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import geopandas as gpd
import pandas as pd
import pyarrow as pa
from pandas.api import types as ptypes

# Names the store itself uses inside each file; attribute columns must not collide.
FID_COLUMN = "gpkg_fid"
GEOMETRY_COLUMN = "gpkg_geometry"
_RESERVED = {FID_COLUMN, GEOMETRY_COLUMN, "geometry"}

# Arrow → pandas types on read: keep gaps in integer/boolean columns as <NA>, not NaN.
_NULLABLE = {
    pa.int8(): pd.Int64Dtype(),
    pa.int16(): pd.Int64Dtype(),
    pa.int32(): pd.Int64Dtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
}
READ_KWARGS = {"arrow_to_pandas_kwargs": {"types_mapper": _NULLABLE.get}}


def writable_frame(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy of `gdf` that a GeoPackage can hold, with the same values and a plain index.

    A named index is kept as a column (it carries data); column names are made unique
    ignoring case, since SQLite column names are case-insensitive.
    """
    frame = gdf.reset_index() if any(name is not None for name in gdf.index.names) else gdf
    geometry_name = frame.geometry.name
    taken = {name.lower() for name in _RESERVED}
    columns: dict[str, pd.Series] = {}
    for name in frame.columns:
        if name == geometry_name:
            continue
        label = _unique_name(str(name), taken)
        columns[label] = _writable_column(frame[name]).reset_index(drop=True)
    index = pd.RangeIndex(len(frame))
    return gpd.GeoDataFrame(columns, geometry=frame.geometry.reset_index(drop=True), index=index)


def stored_frame(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Undo the widening of a frame read with `READ_KWARGS`: gap-free columns get plain dtypes."""
    for name in gdf.columns:
        column = gdf[name]
        if column.hasnans:
            continue
        if isinstance(column.dtype, pd.Int64Dtype):
            gdf[name] = column.astype("int64")
        elif isinstance(column.dtype, pd.BooleanDtype):
            gdf[name] = column.astype(bool)
    return gdf


def with_nullable_types(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Integers and booleans as nullable types, so concatenating frames keeps them (append)."""
    gdf = gdf.copy()
    for name in gdf.columns:
        dtype = gdf[name].dtype
        if ptypes.is_bool_dtype(dtype) and not isinstance(dtype, pd.BooleanDtype):
            gdf[name] = gdf[name].astype("boolean")
        elif ptypes.is_integer_dtype(dtype) and not isinstance(dtype, pd.Int64Dtype):
            gdf[name] = gdf[name].astype("Int64")
    return gdf


def _unique_name(name: str, taken: set[str]) -> str:
    """`name`, or `name_2`, `name_3`… if it (ignoring case) is already used."""
    label, n = name, 1
    while label.lower() in taken:
        n += 1
        label = f"{name}_{n}"
    taken.add(label.lower())
    return label


def _writable_column(column: pd.Series) -> pd.Series:
    dtype = column.dtype
    if ptypes.is_datetime64_any_dtype(dtype) or isinstance(dtype, pd.StringDtype):
        return column
    if ptypes.is_bool_dtype(dtype) or ptypes.is_integer_dtype(dtype) or ptypes.is_float_dtype(dtype):
        return column
    return _object_column(column.astype(object))


def _object_column(column: pd.Series) -> pd.Series:
    """Object values of one storable kind keep it; anything else becomes text."""
    values = [v for v in column if not _is_null(v)]
    if all(isinstance(v, str) for v in values):
        return column.astype("str")
    if all(isinstance(v, bool) for v in values):
        return column.astype("boolean")
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return column.astype("Int64")
    if all(isinstance(v, float) for v in values):
        return column.astype("Float64")
    if all(isinstance(v, dt.datetime) for v in values):
        aware = any(v.tzinfo is not None for v in values)  # mixed offsets: keep the instant, in UTC
        return pd.Series(pd.to_datetime(column, utc=aware), index=column.index)
    if all(isinstance(v, dt.date) and not isinstance(v, dt.datetime) for v in values):
        return column
    return _as_text(column)


def _as_text(column: pd.Series) -> pd.Series:
    return column.map(lambda v: None if _is_null(v) else _text(v)).astype("str")


def _text(value: object) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _is_null(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)
