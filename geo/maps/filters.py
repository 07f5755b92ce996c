"""Feature filters shared by map, table, counts and downloads: one mask per layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.store import LayerInfo


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the view to. Empty means no restriction."""

    categories: dict[str, tuple[str, ...]] | None = None  # layer id -> allowed category values
    municipalities: tuple[str, ...] = ()  # keys of the chosen municipalities
    date_from: date | None = None
    date_to: date | None = None


def category_mask(gdf: gpd.GeoDataFrame, column: str | None, allowed: tuple[str, ...] | None) -> np.ndarray:
    if not column or allowed is None or column not in gdf.columns:
        return np.ones(len(gdf), dtype=bool)
    return gdf[column].astype(str).isin(allowed).to_numpy()


def municipality_mask(gdf: gpd.GeoDataFrame, areas: gpd.GeoDataFrame | None) -> np.ndarray:
    """Features inside (points) or touching the interior of (lines, areas) the chosen areas."""
    if areas is None or areas.empty:
        return np.ones(len(gdf), dtype=bool)
    geoms = gdf.geometry.to_crs(areas.crs) if gdf.crs != areas.crs else gdf.geometry
    tree_hits = areas.sindex.query(geoms.values, predicate="intersects")
    mask = np.zeros(len(gdf), dtype=bool)
    mask[np.unique(tree_hits[0])] = True
    return mask


def _as_timestamp(value: date | None, end_of_day: bool) -> pd.Timestamp | None:
    if value is None:
        return None
    return pd.Timestamp(datetime.combine(value, time.max if end_of_day else time.min))


def date_mask(
    gdf: gpd.GeoDataFrame, info: LayerInfo, date_from: date | None, date_to: date | None
) -> np.ndarray:
    """Events overlapping [date_from, date_to]; layers without a start role are not restricted."""
    start_col = info.roles.get("start")
    if not start_col or start_col not in gdf.columns or (date_from is None and date_to is None):
        return np.ones(len(gdf), dtype=bool)
    start = pd.to_datetime(gdf[start_col], errors="coerce")
    if start.dt.tz is not None:
        start = start.dt.tz_convert("Europe/Berlin").dt.tz_localize(None)
    end_col = info.roles.get("end")
    end = pd.to_datetime(gdf[end_col], errors="coerce") if end_col in gdf.columns else start
    if getattr(end.dt, "tz", None) is not None:
        end = end.dt.tz_convert("Europe/Berlin").dt.tz_localize(None)
    end = end.fillna(start)
    lo, hi = _as_timestamp(date_from, False), _as_timestamp(date_to, True)
    keep = start.notna()
    if hi is not None:
        keep = keep & (start <= hi)
    if lo is not None:
        keep = keep & (end >= lo)
    return keep.to_numpy(copy=True)


def filter_layer(
    gdf: gpd.GeoDataFrame,
    info: LayerInfo,
    filters: Filters,
    areas: gpd.GeoDataFrame | None = None,
    category_column: str | None = None,
) -> np.ndarray:
    """Boolean mask of `gdf` rows that pass every filter (areas: chosen municipalities)."""
    allowed = (filters.categories or {}).get(info.id)
    if info.kind == "municipalities":  # the chosen ones themselves, not their neighbours
        inside = municipality_mask(
            gpd.GeoDataFrame(geometry=gdf.geometry.representative_point(), crs=gdf.crs), areas
        )
    else:
        inside = municipality_mask(gdf, areas)
    # new arrays, never in-place: pandas hands out read-only views of its data (copy-on-write)
    return (
        category_mask(gdf, category_column, allowed)
        & inside
        & date_mask(gdf, info, filters.date_from, filters.date_to)
    )
