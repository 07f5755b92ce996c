"""The detail panel's content: every attribute of a feature, readable and escaped."""

from __future__ import annotations

import html
import re
from datetime import date, datetime
from numbers import Integral, Real

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from geo.i18n import MISSING, format_date, format_datetime, format_number, t

_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
# Labels for the well-known BKG and demo columns; others get their name tidied.
_KNOWN = {"GEN": "field.GEN", "AGS": "field.AGS", "ARS": "field.ARS", "BEZ": "field.BEZ", "EWZ": "field.EWZ"}
# Numbers that name or date something (keys, postcodes, years) are shown without separators.
_VERBATIM = re.compile(
    r"jahr|year|plz|postleitzahl|zip|(^|_)(ags|ars|rs|id|fid|key|nr|no|code|ifopt)(_|$)",
    re.I,
)


def label(column: str, lang: str = "de") -> str:
    key = _KNOWN.get(column)
    if key:
        return t(key, lang)
    text = column.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def format_value(value: object, lang: str = "de", column: str = "") -> str:
    """A value as safe HTML: escaped text, dates and numbers for `lang`, links for URLs.

    `column` keeps keys, postcodes and years (AGS, PLZ, Baujahr) free of thousands separators.
    """
    if value is None or (not isinstance(value, list | dict) and pd.isna(value)):
        return MISSING
    if isinstance(value, datetime):
        has_time = (value.hour, value.minute) != (0, 0)
        return html.escape(format_datetime(value, lang) if has_time else format_date(value, lang))
    if isinstance(value, date):
        return html.escape(format_date(value, lang))
    if isinstance(value, Real) and not isinstance(value, bool):
        if _VERBATIM.search(column):
            return html.escape(str(int(value)) if float(value).is_integer() else str(value))
        return html.escape(format_number(value, lang, 0 if isinstance(value, Integral) else 2, min_digits=0))
    text = str(value)
    if _URL.match(text):
        safe = html.escape(text, quote=True)
        return f'<a href="{safe}" target="_blank" rel="noopener noreferrer">{safe}</a>'
    return html.escape(text)


def feature_rows(row: pd.Series, lang: str = "de") -> list[tuple[str, str]]:
    """(escaped label, safe HTML value) for every attribute but the geometry."""
    return [
        (html.escape(label(str(col), lang)), format_value(val, lang, str(col)))
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
