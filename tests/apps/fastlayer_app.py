"""Test-only Streamlit app: compact layers, embedded and fetched, for test_browser_fastlayer.py.

Run by the test from a temporary folder whose ``static/`` holds the app's scripts; the
payload files go to ``$FASTLAYER_STATIC/cache`` (served by Streamlit's static files here; the
app itself serves them from its data folder, `webui.map_cache`).
"""

from __future__ import annotations

import os
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import shapely
import streamlit as st
from streamlit_folium import st_folium

from geo.maps.build import use_local_assets
from geo.maps.display import display_frame
from geo.maps.fastlayer import STATIC_URL, CompactLayer, payload_json
from geo.maps.payload import encode_layer
from geo.maps.tilecache import publish_text
from geo.store import LayerInfo

XSS_NAME = '<img src=x onerror="window.__xss=1">'
STATIC = Path(os.environ["FASTLAYER_STATIC"])


def _info(layer_id: str, kind: str = "other") -> LayerInfo:
    return LayerInfo(
        id=layer_id,
        title=layer_id,
        kind=kind,
        source_file="",
        source_crs="EPSG:4326",
        feature_count=0,
        bbox=(11.5, 51.7, 12.0, 52.0),
        attribution="Testdaten",
        created_at="",
        updated_at="",
        version=1,
        roles={"name": "name", "category": "typ"},
    )


def areas() -> gpd.GeoDataFrame:
    """Four touching cells (one with a hole, one in two parts); one name tries to inject HTML."""
    cells = [
        shapely.box(11.6 + 0.1 * i, 51.8 + 0.1 * j, 11.7 + 0.1 * i, 51.9 + 0.1 * j)
        for j in (0, 1)
        for i in (0, 1)
    ]
    cells[1] = cells[1].difference(shapely.box(11.73, 51.83, 11.77, 51.87))
    cells[3] = shapely.MultiPolygon(
        [shapely.box(11.7, 51.9, 11.8, 51.95), shapely.box(11.7, 51.96, 11.8, 52.0)]
    )
    names = ["Zelle A", XSS_NAME, "Zelle C", "Zelle D"]
    return gpd.GeoDataFrame({"name": names, "typ": ["a", "b", "a", "b"]}, geometry=cells, crs="EPSG:4326")


def mixed() -> gpd.GeoDataFrame:
    geoms = [
        shapely.Point(11.55, 51.75),
        shapely.LineString([(11.5, 51.7), (11.6, 51.72), (11.7, 51.71)]),
        shapely.MultiLineString([[(11.5, 52.0), (11.6, 52.02)], [(11.62, 52.02), (11.7, 52.0)]]),
    ]
    return gpd.GeoDataFrame(
        {"name": ["P", "L", "ML"], "typ": ["x", "y", "y"]}, geometry=geoms, crs="EPSG:4326"
    )


def many_points(n: int = 2500) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(7)
    xy = rng.uniform((11.9, 51.7), (12.1, 51.9), size=(n, 2))
    return gpd.GeoDataFrame(
        {"name": [f"Punkt {i}" for i in range(n)], "typ": "punkt"},
        geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]),
        crs="EPSG:4326",
    )


def publish(payload: dict, layer_id: str) -> str:
    return f"{STATIC_URL}cache/" + publish_text(payload_json(payload), layer_id, 1, STATIC / "cache")


@st.cache_data(show_spinner=False)
def payloads() -> dict[str, dict | str]:
    frames = {"flaechen": areas(), "gemischt": mixed(), "punkte": many_points(), "versteckt": mixed()}
    encoded = {k: encode_layer(display_frame(gdf, _info(k))) for k, gdf in frames.items()}
    return {
        "flaechen": encoded["flaechen"],  # embedded in the map script
        "gemischt": publish(encoded["gemischt"], "gemischt"),  # fetched
        "punkte": publish(encoded["punkte"], "punkte"),
        "versteckt": publish(encoded["versteckt"], "versteckt"),  # fetched when shown
    }


m = folium.Map(location=[51.85, 11.8], zoom_start=10, tiles=None, prefer_canvas=True)
use_local_assets(m)
for layer_id, source in payloads().items():
    CompactLayer(
        source,
        f"Ebene {layer_id} <b>",
        {"a": "#0072B2", "b": "#D55E00"},
        kind="other",
        show=layer_id != "versteckt",
        attribution=f"Testdaten {layer_id}",
        layer_id=layer_id,
    ).add_to(m)
folium.LayerControl(collapsed=False).add_to(m)
out = st_folium(m, height=600, width=900, returned_objects=["last_active_drawing"], key="fast")
drawing = (out or {}).get("last_active_drawing") or {}
props = drawing.get("properties") or {}
if props:
    st.text(f"clicked {props.get('layer')} {props.get('fid')}")
