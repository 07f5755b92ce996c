"""The detail panel's content: every attribute of a feature, readable and escaped."""

from __future__ import annotations

import html
import re
from datetime import date, datetime

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from geo.i18n import t

_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
# Labels for the well-known BKG and demo columns; others get their name tidied.
_KNOWN = {"GEN": "field.GEN", "AGS": "field.AGS", "ARS": "field.ARS", "BEZ": "field.BEZ", "EWZ": "field.EWZ"}


def label(column: str, lang: str = "de") -> str:
    key = _KNOWN.get(column)
    if key:
        return t(key, lang)
    text = column.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def format_value(value: object, lang: str = "de") -> str:
    """A value as safe HTML: escaped text, German-style dates and numbers, links for URLs."""
    if value is None or (not isinstance(value, (list, dict)) and pd.isna(value)):
        return "–"
    if isinstance(value, (pd.Timestamp, datetime)):
        has_time = (value.hour, value.minute) != (0, 0)
        fmt = (
            ("%d.%m.%Y %H:%M" if has_time else "%d.%m.%Y")
            if lang == "de"
            else ("%Y-%m-%d %H:%M" if has_time else "%Y-%m-%d")
        )
        return html.escape(value.strftime(fmt))
    if isinstance(value, date):
        return html.escape(value.strftime("%d.%m.%Y" if lang == "de" else "%Y-%m-%d"))
    if isinstance(value, float):
        text = f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
        return text.replace(",", "\u202f").replace(".", ",") if lang == "de" else text
    text = str(value)
    if _URL.match(text):
        safe = html.escape(text, quote=True)
        return f'<a href="{safe}" target="_blank" rel="noopener noreferrer">{safe}</a>'
    return html.escape(text)


def feature_rows(row: pd.Series, lang: str = "de") -> list[tuple[str, str]]:
    """(escaped label, safe HTML value) for every attribute but the geometry."""
    return [
        (html.escape(label(str(col), lang)), format_value(val, lang))
        for col, val in row.items()
        if not isinstance(val, BaseGeometry)
    ]


def containing_municipality(
    geom: BaseGeometry, crs, municipalities: gpd.GeoDataFrame, name_column: str
) -> str | None:
    """Name of the municipality the feature's representative point lies in."""
    point = gpd.GeoSeries([geom], crs=crs).representative_point()
    if municipalities.crs != crs:
        point = point.to_crs(municipalities.crs)
    hits = municipalities.sindex.query(point.iloc[0], predicate="within")
    return str(municipalities.iloc[hits[0]][name_column]) if len(hits) else None
