"""The detail panel's and the table's content: every attribute of a feature, readable (labels
for columns and category codes, no empty fields) and escaped."""

from __future__ import annotations

import html
import re
from datetime import date, datetime

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from geo.i18n import t
from geo.maps.categories import category_label

_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
# Labels for the well-known BKG columns and common attribute names (compared case-insensitively);
# a column with a role (name, category, …) is labelled by its role; others get their name tidied.
_KNOWN = {
    "gen": "field.GEN",
    "ags": "field.AGS",
    "ars": "field.ARS",
    "bez": "field.BEZ",
    "ewz": "field.EWZ",
    **dict.fromkeys(("url", "link", "website", "webseite", "homepage"), "field.url"),
    **dict.fromkeys(("betreiber", "operator", "anbieter"), "field.operator"),
    **dict.fromkeys(("ort", "venue", "location", "veranstaltungsort"), "field.venue"),
    **dict.fromkeys(("veranstalter", "organizer", "organiser"), "field.organiser"),
    **dict.fromkeys(("adresse", "address", "anschrift"), "field.address"),
    **dict.fromkeys(("titel", "title"), "field.title"),
    **dict.fromkeys(("typ", "type", "art", "kategorie", "category"), "field.category"),
    **dict.fromkeys(("einwohner", "population"), "field.population"),
}
_ROLE_KEYS = {
    "name": "field.name",
    "category": "field.category",
    "start": "field.start",
    "end": "field.end",
    "population": "field.population",
}


def label(column: str, lang: str = "de", roles: dict[str, str] | None = None) -> str:
    """A column's label: by its role, by a well-known name, else its name tidied."""
    role = next((r for r, c in (roles or {}).items() if c == column and r in _ROLE_KEYS), None)
    key = _ROLE_KEYS[role] if role else _KNOWN.get(column.strip().casefold())
    if key:
        return t(key, lang)
    text = column.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def is_empty(value: object) -> bool:
    """No value worth a line: missing, NaN or blank text."""
    if value is None or isinstance(value, (list, dict, BaseGeometry)):
        return value is None
    return bool(pd.isna(value)) or (isinstance(value, str) and not value.strip())


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


def feature_rows(
    row: pd.Series, lang: str = "de", roles: dict[str, str] | None = None
) -> list[tuple[str, str]]:
    """(escaped label, safe HTML value) for every filled attribute but the geometry; the category
    code shown by its label ("bushaltestelle" → "Bushaltestelle")."""
    category = (roles or {}).get("category")
    return [
        (
            html.escape(label(str(col), lang, roles)),
            html.escape(category_label(val, lang)) if col == category else format_value(val, lang),
        )
        for col, val in row.items()
        if not isinstance(val, BaseGeometry) and not is_empty(val)
    ]


def readable_table(frame: pd.DataFrame, roles: dict[str, str], lang: str = "de") -> pd.DataFrame:
    """The attribute table as people read it: labelled columns, category labels, no geometry.
    Downloads keep the stored columns and codes; this is only what the page shows."""
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name, errors="ignore"))
    category = roles.get("category")
    if category in table.columns:
        table[category] = table[category].map(lambda v: v if is_empty(v) else category_label(v, lang))
    names, seen = {}, set()
    for col in table.columns:
        name = label(str(col), lang, roles)
        names[col] = name if name not in seen else f"{name} ({col})"
        seen.add(names[col])
    return table.rename(columns=names)


def containing_municipality(
    geom: BaseGeometry, crs, municipalities: gpd.GeoDataFrame, name_column: str
) -> str | None:
    """Name of the municipality the feature's representative point lies in."""
    point = gpd.GeoSeries([geom], crs=crs).representative_point()
    if municipalities.crs != crs:
        point = point.to_crs(municipalities.crs)
    hits = municipalities.sindex.query(point.iloc[0], predicate="within")
    return str(municipalities.iloc[hits[0]][name_column]) if len(hits) else None
