"""Exports of layers as GeoPackage, GeoJSON and CSV bytes, for the CLI and downloads."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.errors import GeoError

FORMATS = ("gpkg", "geojson", "csv")
MEDIA_TYPES = {
    "gpkg": "application/geopackage+sqlite3",
    "geojson": "application/geo+json",
    "csv": "text/csv",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells a spreadsheet would run as a formula with an apostrophe (header cells too)."""
    out = df.copy()
    out.columns = [f"'{c}" if isinstance(c, str) and c.startswith(_FORMULA_START) else c for c in out.columns]
    for i in range(out.shape[1]):  # by position: a renamed header may equal another one
        col = out.iloc[:, i]
        if col.dtype == object or pd.api.types.is_string_dtype(col):
            out.isetitem(
                i, col.map(lambda v: f"'{v}" if isinstance(v, str) and v.startswith(_FORMULA_START) else v)
            )
    return out


def _csv(gdf: gpd.GeoDataFrame) -> bytes:
    wgs = gdf.to_crs("EPSG:4326") if gdf.crs else gdf
    df = pd.DataFrame(wgs.drop(columns=wgs.geometry.name))
    if len(wgs) and (wgs.geom_type == "Point").all():
        df["lon"], df["lat"] = wgs.geometry.x.round(6), wgs.geometry.y.round(6)
    else:
        df["wkt"] = wgs.geometry.to_wkt(rounding_precision=6)
    # ';' and a BOM so German Excel opens it with umlauts and columns intact
    # CRLF rows: the csv module then quotes every cell holding a CR or LF; with "\n" rows a bare
    # CR stays unquoted, and Excel would start a new row there (a way to smuggle in a formula).
    return neutralise_formulas(df).to_csv(sep=";", index=False, lineterminator="\r\n").encode("utf-8-sig")


def export_layer(gdf: gpd.GeoDataFrame, fmt: str, layer_name: str = "layer") -> bytes:
    """`gdf` as file bytes in `fmt` (gpkg keeps the CRS; GeoJSON and CSV are lon/lat)."""
    if fmt not in FORMATS:
        raise GeoError("err.bad_export_format", fmt=fmt)
    if fmt == "csv":
        return _csv(gdf)
    if fmt == "geojson":
        wgs = gdf.to_crs("EPSG:4326") if gdf.crs else gdf
        return wgs.to_json(drop_id=True, ensure_ascii=False).encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.gpkg"
        gdf.to_file(path, layer=layer_name, driver="GPKG")
        return path.read_bytes()


def export_to_file(gdf: gpd.GeoDataFrame, fmt: str, out: Path, layer_name: str = "layer") -> int:
    data = export_layer(gdf, fmt, layer_name)
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(out)
    return len(data)


def read_csv_export(data: bytes) -> pd.DataFrame:
    """Read back a CSV export (tests, round trips)."""
    return pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", dtype=str)
