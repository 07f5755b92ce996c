"""Offers and municipalities as the analysis pages use them: offer layers grouped by kind,
the offers inside one municipality, its bounds and its mobility offers per type.

Pure functions on frames the caller has read (the pages cache them per layer version);
inputs are never changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

import geopandas as gpd
import pandas as pd

from geo.analysis.indicators import split_offers
from geo.maps.categories import TYPE_COLUMN
from geo.maps.display import DISPLAY_CRS, category_column, name_column
from geo.maps.filters import date_mask
from geo.store import LayerInfo

OFFER_LAYER_KINDS = ("coworking", "mobility", "events")
COVERAGE_KINDS = ("coworking", "station", "bus_stop", "charging", "mobility")
SPLIT_KINDS = ("station", "bus_stop", "charging")  # mobility types; left out when none is in the data
# Okabe–Ito colours (distinguishable with the common colour-vision deficiencies)
OFFER_COLOURS = {
    "coworking": "#CC79A7",
    "station": "#0072B2",
    "bus_stop": "#009E73",
    "charging": "#E69F00",
    "mobility": "#0072B2",
    "events": "#D55E00",
}
NEAREST_COLOUR = "#000000"
MUNI_STYLE = {"color": "#1f3b73", "weight": 2.5, "fill": True, "fillColor": "#9ecae1", "fillOpacity": 0.15}


def offer_frame(info: LayerInfo, gdf: gpd.GeoDataFrame, today: date) -> gpd.GeoDataFrame:
    """Name, category, mobility type (and start for events) of layer `info` in lon/lat; events
    only upcoming ones. The type is the one mapped at upload (`TYPE_COLUMN`), else the category.

    `gdf` is the layer's data; the result is a new frame titled (``attrs["title"]``) for messages.
    """
    texts = {"name": name_column(info, gdf), "category": category_column(info, gdf)}
    out = gpd.GeoDataFrame(
        {
            k: gdf[c].astype("string") if c else pd.Series(pd.NA, index=gdf.index, dtype="string")
            for k, c in texts.items()
        },
        geometry=gdf.geometry.to_numpy(),
        crs=gdf.crs,
    )
    out["type"] = out["category"]
    if TYPE_COLUMN in gdf.columns:  # mapped at upload; unmapped rows keep their category
        mapped = gdf[TYPE_COLUMN].astype("string")
        out["type"] = mapped.where(mapped.fillna("") != "", out["category"])
    if info.kind == "events":
        start = info.roles.get("start")
        out["start"] = pd.to_datetime(gdf[start], errors="coerce") if start in gdf.columns else pd.NaT
        out = out[date_mask(gdf, info, today, None)]
    out.attrs["title"] = info.title
    return out.to_crs(DISPLAY_CRS) if out.crs is not None else out


def concat_offers(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """Offer frames (same columns, same CRS) as one, titled with all their titles."""
    out = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=frames[0].crs)
    out.attrs["title"] = ", ".join(f.attrs.get("title", "") for f in frames)
    return out


def counts_as_offer(info: LayerInfo) -> bool:
    """Offer layers count; events only with a start date ("upcoming" needs one)."""
    if info.kind not in OFFER_LAYER_KINDS:
        return False
    return info.kind != "events" or bool(info.roles.get("start"))


def offers_by_kind(
    layers: Iterable[tuple[LayerInfo, gpd.GeoDataFrame]], today: date
) -> dict[str, gpd.GeoDataFrame]:
    """Offers per kind (coworking, station, bus_stop, charging, mobility, events) in lon/lat.

    Mobility layers are split into stations, bus stops and charging points by category; a
    split kind with no offer is left out, so pages only offer what is in the data.
    """
    frames: dict[str, list[gpd.GeoDataFrame]] = {kind: [] for kind in OFFER_LAYER_KINDS}
    for info, gdf in layers:
        if counts_as_offer(info):
            frames[info.kind].append(offer_frame(info, gdf, today))
    out: dict[str, gpd.GeoDataFrame] = {}
    if frames["coworking"]:
        out["coworking"] = concat_offers(frames["coworking"])
    if frames["mobility"]:
        split = split_offers(concat_offers(frames["mobility"]), "type")
        out.update({k: v for k, v in split.items() if k not in SPLIT_KINDS or len(v)})
    if frames["events"]:
        out["events"] = concat_offers(frames["events"])
    return out


def inside(table: gpd.GeoDataFrame, key: str, gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The rows of `gdf` whose surface point lies in municipality `key` of an indicators table."""
    area = table.geometry[table["key"] == str(key)]
    if area.empty or gdf.empty:
        return gdf.iloc[:0]
    points = gdf.geometry.to_crs(table.crs).representative_point()
    return gdf[points.intersects(area.iloc[0]).to_numpy()]


def municipality_bounds(table: gpd.GeoDataFrame, key: str) -> tuple[float, float, float, float]:
    """Lon/lat bounds of one municipality, for fitting the profile map."""
    minx, miny, maxx, maxy = table[table["key"] == str(key)].to_crs(DISPLAY_CRS).total_bounds
    return float(minx), float(miny), float(maxx), float(maxy)


def municipality_labels(table: pd.DataFrame) -> dict[str, str]:
    """Key → label of every municipality, ordered by label: the name, with the key where the
    name is missing or shared ("Neustadt (15089305)")."""
    keys = table["key"].astype(str).tolist()
    names = table["name"].astype(str).tolist()
    twice = {n for n, count in Counter(names).items() if count > 1}
    label = {k: (f"{n} ({k})" if n in twice or not n else n) for k, n in zip(keys, names, strict=True)}
    return {k: label[k] for k in sorted(label, key=lambda k: (label[k].casefold(), k))}


def mobility_by_type(wide: pd.DataFrame, key: str) -> pd.DataFrame | None:
    """Mobility offers in `key` per category (``value``) beside the district average (``mean``).

    `wide` is `count_in_municipalities(..., by="category")`: one row per municipality key.
    """
    if wide.empty or str(key) not in wide.index:
        return None
    return pd.DataFrame({"value": wide.loc[str(key)], "mean": wide.mean()})
