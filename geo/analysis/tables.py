"""Analysis tables: which indicator columns to show, rounded and labelled for display, and
downloads as CSV for German Excel, XLSX, and GeoPackage with geometry.

Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return) get a leading apostrophe, so a municipality or offer name
from an uploaded file cannot execute anything when the export is opened.
"""

from __future__ import annotations

import io

import geopandas as gpd
import pandas as pd

from geo.analysis.choropleth import digits_for
from geo.analysis.indicators import indicator_columns, indicator_label
from geo.errors import GeoError

TABLE_FORMATS = ("csv", "xlsx", "gpkg")
FORMAT_NAMES = {"csv": "CSV", "xlsx": "Excel", "gpkg": "GeoPackage"}
TEXT_COLUMNS = ("key", "name")  # shown as text and pinned; every other column is a number
MIME_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "gpkg": "application/geopackage+sqlite3",
}
GPKG_LAYER = "indicators"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def mappable_columns(table: pd.DataFrame) -> list[str]:
    """Indicator columns with at least one value (without population, the rates have none)."""
    return [c for c in indicator_columns(table) if table[c].astype(float).notna().any()]


def default_indicator(columns: list[str]) -> int:
    """Index of coworking per 10,000 inhabitants if there, else of the first rate, else 0."""
    for wanted in ("coworking_per_10k", "coworking_per_km2"):
        if wanted in columns:
            return columns.index(wanted)
    return next((i for i, c in enumerate(columns) if c.endswith("_per_10k")), 0)


def display_table(table: pd.DataFrame, lang: str = "de") -> tuple[pd.DataFrame, dict[str, str]]:
    """A copy without geometry, numbers rounded to the decimals they are shown with, and a
    translated label per column; `TEXT_COLUMNS` stay as they are."""
    shown = pd.DataFrame(
        table.drop(columns=table.geometry.name) if isinstance(table, gpd.GeoDataFrame) else table
    )
    for col in shown.columns:
        if col not in TEXT_COLUMNS:
            shown[col] = shown[col].astype(float).round(digits_for(col))
    return shown, {col: indicator_label(col, lang) for col in shown.columns}


def neutralise(value: object) -> object:
    """``"=cmd()"`` → ``"'=cmd()"``; everything else unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _sheet(table: pd.DataFrame, lang: str | None) -> pd.DataFrame:
    """The table without geometry, text cells neutralised, columns labelled in `lang` if given."""
    frame = pd.DataFrame(
        table.drop(columns=table.geometry.name) if isinstance(table, gpd.GeoDataFrame) else table
    )
    for col in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[col]) and not pd.api.types.is_bool_dtype(frame[col]):
            frame[col] = frame[col].astype(object).map(neutralise)
    names = [indicator_label(str(c), lang) if lang else str(c) for c in frame.columns]
    frame.columns = [neutralise(n) for n in names]
    return frame


def export_table(table: pd.DataFrame, fmt: str, *, lang: str | None = None) -> bytes:
    """`table` as file content in `fmt` (csv, xlsx, gpkg); the input is not changed.

    CSV: ``;``-separated, decimal comma, UTF-8 with BOM (opens correctly in German Excel).
    With `lang`, CSV and XLSX headers are translated labels; GeoPackage keeps the column
    names and needs a GeoDataFrame (layer ``indicators``, geometry in its CRS).
    """
    if fmt not in TABLE_FORMATS:
        raise GeoError("err.analysis_bad_table_format", fmt=fmt)
    if fmt == "csv":
        text = _sheet(table, lang).to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n")
        return text.encode("utf-8-sig")
    buf = io.BytesIO()
    if fmt == "xlsx":
        with pd.ExcelWriter(buf, engine="openpyxl") as writer:
            _sheet(table, lang).to_excel(writer, sheet_name="Indikatoren", index=False)
        return buf.getvalue()
    if not isinstance(table, gpd.GeoDataFrame):
        raise TypeError("a GeoPackage export needs a GeoDataFrame")
    table.to_file(buf, driver="GPKG", layer=GPKG_LAYER, engine="pyogrio")
    return buf.getvalue()
