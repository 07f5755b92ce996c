"""CSV tables with coordinates (or WKT) turned into point/geometry frames.

Planners' CSVs come from Excel and portals: UTF-8 or cp1252, ``;`` with decimal commas,
column names like ``Längengrad [DG]``. We guess all of that, keep identifiers such as AGS
or PLZ as text (leading zeros matter), and count every row we cannot place on the map.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from geo.errors import GeoError, UnreadableFileError
from geo.i18n import Msg

_DELIMITERS = (";", ",", "\t")
# Coordinate column names after `normalise_name`, geographic pairs before projected ones.
_GEO_X = ("lon", "lng", "long", "longitude", "laenge", "laengengrad", "geogrlaenge", "geolaenge")
_GEO_Y = ("lat", "latitude", "breite", "breitengrad", "geogrbreite", "geobreite")
_PROJ_X = ("x", "xkoordinate", "xkoord", "xcoord", "xcoordinate", "coordx", "rechtswert", "rw", "easting",
           "ostwert", "east")  # fmt: skip
_PROJ_Y = ("y", "ykoordinate", "ykoord", "ycoord", "ycoordinate", "coordy", "hochwert", "hw", "northing",
           "nordwert", "north")  # fmt: skip
_NAME_SUFFIXES = ("wgs84", "wgs", "etrs89", "utm32", "utm33", "utm", "dezimal", "dez", "deg", "dg")
_WKT_NAMES = ("wkt", "geometry", "geom", "thegeom", "geometrie", "shape")
# Name tokens that mark identifiers: such columns stay text even when they look numeric.
_KEY_TOKENS = {"id", "nr", "no", "nummer", "code", "key", "schluessel", "kennziffer", "plz", "postleitzahl",
               "ags", "ars", "rs", "gkz", "ifopt", "eva", "nuts"}  # fmt: skip
_MISSING = {"", "na", "nan", "null", "none", "-", "n/a"}
_INT = re.compile(r"^[+-]?\d{1,15}$")
_FLOAT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_COMMA_FLOAT = re.compile(r"^[+-]?\d+,\d+$")
_SRID = re.compile(r"^\s*SRID=(\d+);", re.IGNORECASE)


@dataclass
class CsvPoints:
    """A parsed CSV: the frame (CRS only if the WKT said so) and what was lost."""

    gdf: gpd.GeoDataFrame
    rows_read: int
    no_coordinates: int
    bad_rows: int


def read_csv_points(path: Path, name: str, *, x: str | None = None, y: str | None = None) -> CsvPoints:
    """Parse the CSV at `path` into geometries; `name` is the user's file name for messages."""
    text = decode_text(path.read_bytes(), name)
    delimiter, text = sniff_delimiter(text)
    bad: list[list[str]] = []
    try:
        df = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            engine="python",
            index_col=False,  # never guess an index from rows with one field too many
            on_bad_lines=bad.append,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
        raise UnreadableFileError(
            "err.unreadable", detail=str(exc), name=name, reason=Msg("reason.csv_unreadable")
        ) from None
    df = df.fillna("")
    df.columns = _clean_headers(df.columns)
    if (x is None) != (y is None):
        raise GeoError("err.csv_xy_pair", name=name)
    geometry, crs, wkt_column = _geometry(df, name, x, y)
    keep = ~(shapely.is_missing(geometry) | shapely.is_empty(geometry))
    attrs = type_columns(df.drop(columns=wkt_column or []), decimal_comma=delimiter != ",")
    gdf = gpd.GeoDataFrame(attrs, geometry=geometry, crs=crs)[keep].reset_index(drop=True)
    return CsvPoints(gdf, rows_read=len(df), no_coordinates=int((~keep).sum()), bad_rows=len(bad))


def decode_text(raw: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252 (Excel's default)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = raw.decode("utf-16", errors="replace")
    elif raw.startswith(codecs.BOM_UTF8):
        text = raw[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
    if "\x00" in text or not text.strip():
        raise UnreadableFileError("err.unreadable", name=name, reason=Msg("reason.csv_not_text"))
    return text


def sniff_delimiter(text: str) -> tuple[str, str]:
    """(delimiter, text): Excel's ``sep=;`` line if present (removed), else the delimiter
    occurring most often in the header line (``,`` when none does)."""
    first, _, rest = text.lstrip("\r\n").partition("\n")
    if re.fullmatch(r"sep=.", first.strip()):
        return first.strip()[-1], rest
    counts = {d: first.count(d) for d in _DELIMITERS}
    best = max(counts, key=counts.get)
    return (best if counts[best] else ","), text


def normalise_name(column: str) -> str:
    """Lower-case ASCII letters and digits only, umlauts spelled out, brackets dropped."""
    s = str(column).lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        s = s.replace(a, b)
    s = re.sub(r"[\[({].*?[\])}]", "", s)
    return re.sub(r"[^a-z0-9]", "", s)


def is_key_like(column: str, values: pd.Series | None = None) -> bool:
    """Identifier columns (AGS, PLZ, ids, …) or any column with leading-zero numbers."""
    tokens = {tok.lower() for tok in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", str(column))}
    norm = normalise_name(column)
    if tokens & _KEY_TOKENS or norm in _KEY_TOKENS or norm.endswith(("schluessel", "kennziffer", "nummer")):
        return True
    if values is None:
        return False
    return bool(values.str.strip().str.match(r"^0\d").any())


def type_columns(df: pd.DataFrame, *, decimal_comma: bool) -> pd.DataFrame:
    """Text columns become numbers only when every value is one and nothing speaks against it."""
    out = {}
    for col in df.columns:
        s = df[col].astype(str)
        out[col] = _typed(col, s, decimal_comma)
    return pd.DataFrame(out, index=df.index)


def _typed(col: str, s: pd.Series, decimal_comma: bool) -> pd.Series:
    present = s.str.strip()
    missing = present.str.lower().isin(_MISSING)
    values = present[~missing]
    text = s.where(s != "", None).astype("str")
    if values.empty or is_key_like(col, values):
        return text
    if values.str.match(_INT).all():
        return pd.to_numeric(present.where(~missing, None), errors="coerce").astype("Int64")
    if decimal_comma:
        values = values.str.replace(_COMMA_FLOAT, lambda m: m.group(0).replace(",", "."), regex=True)
    if values.str.match(_FLOAT).all():
        result = pd.Series(np.nan, index=s.index)
        result[values.index] = values.astype(float)
        return result
    return text


def parse_numbers(s: pd.Series) -> np.ndarray:
    """Floats from text with decimal point or comma; NaN where unparsable or not finite."""
    clean = (
        s.astype(str)
        .str.strip()
        .str.rstrip("°")
        .str.replace(_COMMA_FLOAT, lambda m: m.group(0).replace(",", "."), regex=True)
    )
    nums = np.array(pd.to_numeric(clean, errors="coerce").to_numpy(dtype=float, na_value=np.nan))
    nums[~np.isfinite(nums)] = np.nan
    return nums


def _clean_headers(columns: pd.Index) -> list[str]:
    names = [str(c).strip() for c in columns]
    return [n if n and not n.startswith("Unnamed: ") else f"spalte_{i + 1}" for i, n in enumerate(names)]


def _geometry(
    df: pd.DataFrame, name: str, x: str | None, y: str | None
) -> tuple[np.ndarray, CRS | None, str | None]:
    """Geometries from explicit x/y, recognised coordinate columns, or a WKT column."""
    if x is not None and y is not None:
        pair = (_resolve_column(df, x, name), _resolve_column(df, y, name))
    else:
        pair = find_xy_columns(df.columns)
    if pair:
        xs, ys = parse_numbers(df[pair[0]]), parse_numbers(df[pair[1]])
        ok = ~(np.isnan(xs) | np.isnan(ys))
        geoms = np.full(len(df), None, dtype=object)
        geoms[ok] = shapely.points(xs[ok], ys[ok])
        return geoms, None, None
    wkt_col = next((c for c in df.columns if normalise_name(c) in _WKT_NAMES), None)
    if wkt_col is None:
        raise GeoError("err.csv_no_coordinates", name=name, columns=", ".join(map(str, df.columns)))
    geoms, crs = _parse_wkt(df[wkt_col])
    return geoms, crs, wkt_col


def find_xy_columns(columns: pd.Index | list[str]) -> tuple[str, str] | None:
    """The (x, y) column pair recognised by name, geographic names first."""
    norms = {c: _strip_suffix(normalise_name(c)) for c in columns}
    for xs, ys in ((_GEO_X, _GEO_Y), (_PROJ_X, _PROJ_Y)):
        x = next((c for cand in xs for c, n in norms.items() if n == cand), None)
        y = next((c for cand in ys for c, n in norms.items() if n == cand), None)
        if x is not None and y is not None:
            return x, y
    return None


def _strip_suffix(norm: str) -> str:
    for suffix in _NAME_SUFFIXES:
        if norm.endswith(suffix) and len(norm) > len(suffix):
            return norm[: -len(suffix)]
    return norm


def _resolve_column(df: pd.DataFrame, wanted: str, name: str) -> str:
    """The column the user meant by `wanted`: exact name first, then by normalised name."""
    if wanted in df.columns:
        return wanted
    norm = normalise_name(wanted)
    match = [c for c in df.columns if norm and normalise_name(c) == norm]
    if match:
        return match[0]
    raise GeoError("err.csv_column_missing", column=wanted, name=name, columns=", ".join(df.columns))


def _parse_wkt(s: pd.Series) -> tuple[np.ndarray, CRS | None]:
    """WKT or EWKT (``SRID=4326;POINT(…)``); unparsable text gives None."""
    text = s.astype(str).str.strip()
    srids = text.str.extract(_SRID)[0].dropna().unique()
    text = text.str.replace(_SRID, "", regex=True)
    values = np.where((text != "").to_numpy(), text.to_numpy(dtype=object), None)
    geoms = shapely.from_wkt(values, on_invalid="ignore")
    crs = None
    if len(srids) == 1:
        try:
            crs = CRS.from_epsg(int(srids[0]))
        except CRSError:
            crs = None
    return np.asarray(geoms, dtype=object), crs
