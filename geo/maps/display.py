"""Display preparation: what the browser gets of a layer.

Layers are stored losslessly in their source CRS; the map needs lon/lat, about one metre of
precision, and only the few properties it shows. Everything sent is HTML-escaped here,
because tooltips render property values as HTML and uploads are untrusted.
"""

from __future__ import annotations

import html

import geopandas as gpd
import pandas as pd
import shapely

from geo.store import LayerInfo

DISPLAY_CRS = "EPSG:4326"
GRID_DEGREES = 1e-5  # about 1 m in Germany: finer digits only cost bytes

# Okabe–Ito: distinguishable with the common colour-vision deficiencies
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
KIND_COLOURS = {
    "municipalities": "#1f3b73",
    "coworking": "#CC79A7",
    "mobility": "#0072B2",
    "events": "#D55E00",
    "other": "#009E73",
}


def name_column(info: LayerInfo, gdf: gpd.GeoDataFrame) -> str | None:
    """The column holding feature names: the layer's role, else a common name."""
    col = info.roles.get("name")
    if col in gdf.columns:
        return col
    for candidate in ("name", "Name", "NAME", "GEN", "titel", "title", "bezeichnung"):
        if candidate in gdf.columns:
            return candidate
    return None


def category_column(info: LayerInfo, gdf: gpd.GeoDataFrame) -> str | None:
    col = info.style.get("category") or info.roles.get("category")
    return col if col in gdf.columns else None


def _escaped(values: pd.Series) -> pd.Series:
    return values.map(lambda v: "" if pd.isna(v) else html.escape(str(v)))


def display_frame(gdf: gpd.GeoDataFrame, info: LayerInfo) -> gpd.GeoDataFrame:
    """The layer in lon/lat with ``fid``, ``name``, ``category`` (escaped) and rounded geometry."""
    out = gdf.to_crs(DISPLAY_CRS) if gdf.crs and gdf.crs != DISPLAY_CRS else gdf
    geoms = shapely.set_precision(out.geometry.values, GRID_DEGREES, mode="pointwise")
    ncol, ccol = name_column(info, gdf), category_column(info, gdf)
    frame = gpd.GeoDataFrame(
        {
            "fid": range(len(out)),
            "name": _escaped(out[ncol]) if ncol else "",
            "category": _escaped(out[ccol]) if ccol else "",
        },
        geometry=geoms,
        crs=DISPLAY_CRS,
    )
    return frame[~frame.geometry.is_empty & frame.geometry.notna()]


def category_colours(values: pd.Series, base: str) -> dict[str, str]:
    """A stable colour per category value (sorted), the kind's colour first."""
    cats = sorted({v for v in values if v})
    palette = (base, *[c for c in PALETTE if c != base])
    return {c: palette[i % len(palette)] for i, c in enumerate(cats)}
