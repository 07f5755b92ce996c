"""Guesses about a new layer: which columns hold name, key, category, …, what kind of
layer it is, and whose data it is.

These only pre-fill the upload form; the planner confirms or corrects them. All functions
are pure (no I/O) so the upload page can call them on its preview frame, too.
"""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd

from geo.imports.csv_points import normalise_name

# Candidates per role, as `normalise_name` spells them, best first.
_ROLE_NAMES: dict[str, tuple[str, ...]] = {
    "name": ("gen", "name", "titel", "title", "bezeichnung", "bezeichner", "station", "bahnhof",
             "standort", "label", "ortsteil", "adresse", "address"),
    "key": ("ags", "ars", "ags0", "ars0", "rs", "gkz", "gemeindeschluessel", "regionalschluessel",
            "schluessel", "key", "evanr", "ifopt", "osmid", "id"),
    "category": ("bez", "kategorie", "category", "typ", "type", "art", "artderladeeinrichtung", "amenity",
                 "verkehr", "klasse", "class", "sparte", "gruppe", "highway"),
    "population": ("ewz", "einwohner", "einwohnerzahl", "population", "pop", "bevoelkerung", "ew"),
    "start": ("start", "beginn", "begin", "datestart", "startdate", "startdatum", "von", "datum", "date",
              "startzeit", "anfang"),
    "end": ("end", "ende", "dateend", "enddate", "enddatum", "bis", "endzeit"),
}  # fmt: skip

# Words in layer names (and OSM tag values) that point to a kind, checked in this order.
_KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("coworking", ("cowork",)),
    ("mobility", ("bahnhof", "bahnhoef", "station", "halt", "lade", "charging", "bus", "car_sharing",
                  "carsharing", "bike", "bicycle", "fahrrad", "rufbus", "tram", "mobil", "parking")),
    ("events", ("event", "veranstaltung", "termin")),
)  # fmt: skip
_MUNICIPAL_WORDS = ("gemeinde", "municipal", "ortsteil", "ortschaft", "gemarkung", "stadtteil")
_OSM_TAG_COLUMNS = ("amenity", "highway", "public_transport", "railway", "shop", "tourism", "leisure")
_OSM_MARKERS = {"osm_id", "@id", "amenity"}
BKG = "© GeoBasis-DE / BKG"
OSM = "© OpenStreetMap-Mitwirkende (ODbL)"


def readable_title(name: str) -> str:
    """``amenity.coworking_space`` → ``Amenity coworking space``: separators to spaces."""
    title = re.sub(r"[\s_.\-]+", " ", str(name)).strip()
    if not title:
        return "Neue Ebene"
    return title[0].upper() + title[1:] if title.islower() else title


def is_vg_layer(gdf: pd.DataFrame) -> bool:
    """BKG administrative boundaries (VG250/VG5000) carry GEN, BEZ and AGS or ARS."""
    cols = {str(c).upper() for c in gdf.columns}
    return {"GEN", "BEZ"} <= cols and bool({"AGS", "ARS"} & cols)


def guess_roles(gdf: pd.DataFrame) -> dict[str, str]:
    """{role: column} for the columns whose names suggest a role; each column used once."""
    by_norm: dict[str, str] = {}
    for col in gdf.columns:
        if col == getattr(gdf, "_geometry_column_name", None) or gdf[col].isna().all():
            continue
        by_norm.setdefault(normalise_name(col), col)
    roles: dict[str, str] = {}
    skip_dates = is_vg_layer(gdf)  # VG's BEGINN is a record date, not an event start
    for role, candidates in _ROLE_NAMES.items():
        if skip_dates and role in ("start", "end"):
            continue
        for cand in candidates:
            col = by_norm.get(cand)
            if col is None or col in roles.values():
                continue
            if role == "population" and not pd.api.types.is_numeric_dtype(gdf[col]):
                continue
            roles[role] = col
            break
    return roles


def guess_kind(name: str, gdf: gpd.GeoDataFrame) -> str:
    """One of KINDS from the layer name, its columns and OSM tag values."""
    polygonal = _mostly_polygons(gdf)
    if polygonal and is_vg_layer(gdf):
        return "municipalities"
    text = _fold(name)
    haystack = " ".join([text, *_tag_values(gdf)])
    for kind, words in _KIND_WORDS:
        if any(w in haystack for w in words):
            return kind
    cols = {str(c).lower() for c in gdf.columns}
    if polygonal and (any(w in text for w in _MUNICIPAL_WORDS) or {"boundary", "admin_level"} <= cols):
        return "municipalities"
    if not is_vg_layer(gdf) and ("start" in guess_roles(gdf) or _has_dates(gdf)):
        return "events"
    return "other"


def guess_attribution(gdf: pd.DataFrame) -> str:
    """Licence notice the source requires: BKG for VG data (with year), OSM for OSM exports."""
    if is_vg_layer(gdf):
        year = _data_year(gdf)
        return f"{BKG} {year}" if year else BKG
    if {str(c).lower() for c in gdf.columns} & _OSM_MARKERS:
        return OSM
    return ""


def _fold(text: str) -> str:
    s = str(text).lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        s = s.replace(a, b)
    return s


def _mostly_polygons(gdf: gpd.GeoDataFrame) -> bool:
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.empty:
        return False
    types = gdf.geometry.geom_type
    return bool(types.isin(["Polygon", "MultiPolygon"]).mean() > 0.5)


def _tag_values(gdf: pd.DataFrame, limit: int = 50) -> list[str]:
    """Distinct values of OSM tag columns (``amenity=coworking_space`` …), lower-cased."""
    values: list[str] = []
    for col in gdf.columns:
        if str(col).lower() in _OSM_TAG_COLUMNS:
            values += [str(v).lower() for v in gdf[col].dropna().unique()[:limit]]
    return values


def _has_dates(gdf: pd.DataFrame) -> bool:
    """Any non-empty date/time column (event tables have them, most others do not)."""
    return any(
        pd.api.types.is_datetime64_any_dtype(gdf[c]) and gdf[c].notna().any()
        for c in gdf.columns
        if c != getattr(gdf, "_geometry_column_name", None)
    )


def _data_year(gdf: pd.DataFrame) -> int | None:
    """The newest BEGINN year (VG records), or the largest value of a year column."""
    cols = {str(c).upper(): c for c in gdf.columns}
    if "BEGINN" in cols:
        dates = pd.to_datetime(gdf[cols["BEGINN"]], errors="coerce")
        if dates.notna().any():
            return int(dates.max().year)
    for name in ("JAHR", "YEAR", "STAND"):
        if name in cols:
            years = pd.to_numeric(gdf[cols[name]], errors="coerce")
            if years.between(1900, 2100).any():
                return int(years[years.between(1900, 2100)].max())
    return None
