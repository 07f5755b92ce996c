"""Mapping a new layer's own categories onto the district's mobility types.

Uploaded layers name their categories in their own words ("Schnellladeeinrichtung",
"Bike-Station"); the indicators count stations, bus stops and charging points by the
district's types (`geo.maps.categories.MOBILITY_TYPES`). At upload, planners map each
category value onto a type (guessed here, confirmed in the form); the mapped type is stored
with the layer as its own column `TYPE_COLUMN`, so every backend, export and version keeps it.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.errors import GeoError
from geo.imports.csv_points import normalise_name
from geo.maps.categories import MOBILITY_TYPES, TYPE_COLUMN

MAX_VALUES = 30  # more distinct values than this is not a category column one maps by hand
# Words (as `normalise_name` spells them) that point to a type, checked in this order.
_TYPE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("rufbus", ("rufbus", "ondemand", "anrufsammeltaxi")),
    ("mitfahrbank", ("mitfahrbank", "mitfahr", "ridebench")),
    ("ladepunkt", ("lade", "charging", "charge", "ladesaeule", "ladepunkt", "wallbox")),
    ("leihrad", ("leihrad", "fahrrad", "bike", "bicycle", "rad", "callabike", "nextbike")),
    ("carsharing", ("carsharing", "carsharingstation")),
    ("bushaltestelle", ("bushaltestelle", "haltestelle", "busstop", "bus")),
    ("bahnhof", ("bahnhof", "haltepunkt", "station", "bahn", "train", "railway")),
)


def category_values(gdf: pd.DataFrame, column: str) -> list[str] | None:
    """The distinct values of `column` as text, sorted; None when there are too many to map."""
    if column not in gdf.columns:
        return None
    values = sorted({str(v).strip() for v in gdf[column].dropna()} - {""})
    return values if len(values) <= MAX_VALUES else None


def guess_type(value: str, layer_name: str = "") -> str:
    """The mobility type a category value (else the layer's name) speaks of; "" if none."""
    for text in (value, layer_name):
        norm = normalise_name(text)
        for kind, words in _TYPE_WORDS:
            if any(w in norm for w in words):
                return kind
    return ""


def guess_types(values: list[str], layer_name: str = "") -> dict[str, str]:
    """{value: type or ""} for every value: the form's first proposal."""
    return {v: guess_type(v, layer_name) for v in values}


def checked_types(types: dict[str, str], column: str, columns: list[str]) -> dict[str, str]:
    """Only mapped values; an unknown type or a missing column is a readable error."""
    out = {str(v): t for v, t in types.items() if t}
    if not out:
        return {}
    if column not in columns:
        raise GeoError("err.upload_type_column", column=column, columns=", ".join(columns))
    for kind in out.values():
        if kind not in MOBILITY_TYPES:
            raise GeoError("err.upload_type_unknown", type=kind, allowed=", ".join(MOBILITY_TYPES))
    return out


def with_types(gdf: gpd.GeoDataFrame, column: str, types: dict[str, str]) -> gpd.GeoDataFrame:
    """A copy of `gdf` with `TYPE_COLUMN` holding each row's mapped type (empty when unmapped)."""
    if not types:
        return gdf
    mapped = gdf[column].map(lambda v: types.get(str(v).strip(), "") if pd.notna(v) else "")
    return gdf.assign(**{TYPE_COLUMN: mapped.astype(str)})
