"""Tiny Streamlit app for bench/map_payload.py: one dataset, drawn naively or our way.

Environment: BENCH_DATASET (gemeinden, kreise, ladesaeulen, bahnhoefe, alle = the four at once,
demo), BENCH_MODE (naive, ours), BENCH_CLICK (set: the map returns the clicked feature and the
page shows its attributes' first text as a heading, as bench/page_bench.py times it),
BENCH_DATA (the shared data folder), BENCH_STATIC (this app's static folder; payload files go
to its cache/), BENCH_STORE (demo store folder), BENCH_LOG (each script run appends
"<dataset> <mode> <filter> <seconds>"). Reading the files is cached in both modes: only the
way the map is built and sent differs.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.demo import build_demo
from geo.maps.build import use_local_assets
from geo.maps.display import KIND_COLOURS, category_colours, display_frame
from geo.maps.fastlayer import STATIC_URL, CompactLayer, payload_json
from geo.maps.payload import encode_layer
from geo.maps.tilecache import publish_text
from geo.store import LayerInfo, open_store

_started = time.perf_counter()  # modules are already imported on a rerun

DATASET = os.environ.get("BENCH_DATASET", "demo")
MODE = os.environ.get("BENCH_MODE", "ours")
DATA = Path(os.environ.get("BENCH_DATA", "../shared/data"))
STATIC = Path(os.environ.get("BENCH_STATIC", "static"))
ALL = "alle"  # the unfiltered choice
# dataset -> (file, layer, name column, category column, kind)
SOURCES = {
    "gemeinden": (
        "boundaries/de_vg5000_2021_ebenen_25832.gpkg",
        "vg5000_gem",
        "GEN",
        "BEZ",
        "municipalities",
    ),
    "kreise": ("boundaries/vg250_kreise_2025.geojson", None, "GEN", "BEZ", "municipalities"),
    "ladesaeulen": (
        "points/de_points_4326.gpkg",
        "ladesaeulen_bnetza2019",
        "Betreiber",
        "Art der Ladeeinrichtung",
        "mobility",
    ),
    "bahnhoefe": ("points/de_points_4326.gpkg", "bahnhoefe_db2020", "name", None, "mobility"),
}
ALL_DATASETS = ("gemeinden", "kreise", "ladesaeulen", "bahnhoefe")


def _info(layer_id: str, gdf: gpd.GeoDataFrame, name: str, category: str, kind: str) -> LayerInfo:
    bounds = tuple(gdf.to_crs("EPSG:4326").total_bounds.tolist())
    return LayerInfo(
        id=layer_id,
        title=layer_id,
        kind=kind,
        source_file="",
        source_crs=str(gdf.crs),
        feature_count=len(gdf),
        bbox=bounds,
        attribution="© GeoBasis-DE / BKG, Bundesnetzagentur",
        created_at="",
        updated_at="",
        version=1,
        roles={"name": name, "category": category},
    )


@st.cache_resource(show_spinner=False)
def layers(dataset: str) -> list[tuple[LayerInfo, gpd.GeoDataFrame]]:
    """The dataset's layers as read from disk (or the demo store), with catalogue entries."""
    if dataset == "demo":
        store = open_store(os.environ["BENCH_STORE"])
        if not store.list_layers():
            build_demo(store)
        return [(info, store.read(info.id)) for info in store.list_layers()]
    if dataset == "alle":
        return [item for part in ALL_DATASETS for item in layers(part)]
    path, layer, name, category, kind = SOURCES[dataset]
    gdf = gpd.read_file(DATA / path, layer=layer)
    if dataset == "kreise":
        gdf = gdf[gdf["GF"] == 4].reset_index(drop=True)  # the 400 land parts (GF=2: water)
    return [(_info(dataset, gdf, name, category or name, kind), gdf)]


def naive_map(items: list[tuple[LayerInfo, gpd.GeoDataFrame]]) -> folium.Map:
    """folium.GeoJson of the raw frames, all columns (dates as text: to_json cannot write them)."""
    m = folium.Map(location=[51.2, 10.4], zoom_start=6, tiles=None)
    use_local_assets(m)
    for info, gdf in items:
        raw = gdf.to_crs("EPSG:4326")
        dates = [c for c in raw.columns if c != "geometry" and pd.api.types.is_datetime64_any_dtype(raw[c])]
        folium.GeoJson(raw.astype({c: str for c in dates}), name=info.title).add_to(m)
    folium.LayerControl().add_to(m)
    return m


@st.cache_data(show_spinner=False, max_entries=64)
def prepared(
    layer_id: str, version: int, category: str, _info: LayerInfo, _gdf: gpd.GeoDataFrame
) -> tuple[str, dict[str, str]]:
    """Display frame -> payload -> file (its URL) and category colours, once per version and filter."""
    frame = display_frame(_gdf, _info)
    base = _info.style.get("colour") or KIND_COLOURS.get(_info.kind, "#009E73")
    colours = category_colours(frame["category"], base)
    if category != ALL:
        frame = frame[frame["category"] == category]
    slug = "".join(ch if ch.isalnum() else "-" for ch in category.lower())
    name = publish_text(payload_json(encode_layer(frame)), f"{layer_id}-{slug}", version, STATIC / "cache")
    return f"{STATIC_URL}cache/{name}", colours


def our_map(items: list[tuple[LayerInfo, gpd.GeoDataFrame]], category: str) -> folium.Map:
    m = folium.Map(location=[51.2, 10.4], zoom_start=6, tiles=None, prefer_canvas=True)
    use_local_assets(m)
    for info, gdf in items:
        base = info.style.get("colour") or KIND_COLOURS.get(info.kind, "#009E73")
        url, colours = prepared(info.id, info.version, category if info.kind == "events" else ALL, info, gdf)
        CompactLayer(
            url, info.title, colours, base, info.kind, attribution=info.attribution, layer_id=info.id
        ).add_to(m)
    folium.LayerControl().add_to(m)
    return m


items = layers(DATASET)
category = ALL
if DATASET == "demo":  # the filter whose change the bench times
    events = next(gdf for info, gdf in items if info.kind == "events")
    category = st.radio("Veranstaltungen", [ALL, *sorted(events["typ"].unique())], horizontal=True)
    items_shown = (
        items
        if category == ALL
        else [(i, g[g["typ"] == category] if i.kind == "events" else g) for i, g in items]
    )
else:
    items_shown = items
m = naive_map(items_shown) if MODE == "naive" else our_map(items, category)
clicks = ["last_active_drawing"] if os.environ.get("BENCH_CLICK") else []
state = st_folium(m, height=600, width=900, returned_objects=clicks, key="bench_map") or {}
props = (state.get("last_active_drawing") or {}).get("properties") or {}
if text := next((v for v in props.values() if isinstance(v, str) and v), None):
    st.subheader(text)
if log := os.environ.get("BENCH_LOG"):
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(f"{DATASET} {MODE} {category} {time.perf_counter() - _started:.4f}\n")
