"""Streamlit glue for the analysis pages: which layers, cached computations, shared widgets.

The computations live in `geo.analysis` (indicators, coverage, offers, tables); here they are
only cached as resources keyed by the layers' ids, versions and change times plus the
parameters, so every session shares one result per input, and drawn as widgets. Returned
frames are shared: callers treat them as read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import clock
from geo.analysis.choropleth import choropleth_group, choropleth_tiles, digits_for, format_indicator
from geo.analysis.classes import Classes
from geo.analysis.coverage import CoverageResult, WhatIfResult, coverage, planned_points, what_if
from geo.analysis.indicators import count_in_municipalities, indicators, kind_label
from geo.analysis.offers import OFFER_LAYER_KINDS, counts_as_offer, municipality_labels, offers_by_kind
from geo.analysis.offers import mobility_by_type as _mobility_by_type
from geo.analysis.tables import TEXT_COLUMNS, display_table
from geo.config import load_settings
from geo.i18n import format_number
from geo.maps.build import base_map, initial_view
from geo.maps.fastlayer import TileSource
from geo.maps.legend import LEGEND_CSS
from geo.store import LayerInfo
from webui.caches import shared
from webui.common import basemap_select, get_store, lang, layer_source, read_layer, tr
from webui.lists import pick_by_typing


@dataclass(frozen=True)
class Inputs:
    """The municipality layer, the offer layers and the day that decides "upcoming"."""

    munis: LayerInfo
    offers: tuple[LayerInfo, ...]
    today: date

    @property
    def fingerprint(self) -> tuple:
        """Changes whenever a layer's data or roles change (metadata edits keep the version)."""
        layers = (self.munis, *self.offers)
        return (*((i.id, i.version, i.updated_at) for i in layers), self.today.isoformat())

    def has(self, kind: str) -> bool:
        return any(i.kind == kind for i in self.offers)


def inputs() -> Inputs:
    """The layers to analyse; stops the page with a hint when there is no municipality layer."""
    layers = get_store().list_layers()
    munis = {i.id: i for i in layers if i.kind == "municipalities"}
    if not munis:
        st.info(tr("ana.no_municipalities"))
        st.stop()
    chosen = next(iter(munis))
    if len(munis) > 1:
        chosen = st.sidebar.selectbox(
            tr("ana.muni_layer"), list(munis), format_func=lambda i: munis[i].title, key="ana_munis"
        )
    offers = tuple(i for i in layers if i.kind in OFFER_LAYER_KINDS)
    return Inputs(munis[chosen], offers, clock.today())


def municipality_frame(info: LayerInfo) -> gpd.GeoDataFrame:
    """The municipality layer, titled for messages (a shallow copy: the cached frame stays as is)."""
    gdf = read_layer(info).copy(deep=False)
    gdf.attrs["title"] = info.title
    return gdf


@shared(max_entries=16)
def _offers(location: str, fingerprint: tuple, _inp: Inputs) -> dict[str, gpd.GeoDataFrame]:
    layers = [(info, read_layer(info)) for info in _inp.offers if counts_as_offer(info)]
    return offers_by_kind(layers, _inp.today)


def offers(inp: Inputs) -> dict[str, gpd.GeoDataFrame]:
    """Offers per kind (coworking, station, bus_stop, charging, mobility, events) in lon/lat."""
    return _offers(load_settings().store, inp.fingerprint, inp)


@shared(max_entries=16)
def _indicators(location: str, fingerprint: tuple, _inp: Inputs) -> gpd.GeoDataFrame:
    return indicators(municipality_frame(_inp.munis), offers(_inp), _inp.munis.roles)


def indicator_table(inp: Inputs) -> gpd.GeoDataFrame:
    """`geo.analysis.indicators.indicators` for the chosen layers, computed once per layer versions."""
    return _indicators(load_settings().store, inp.fingerprint, inp)


@shared(max_entries=64)
def _coverage(
    location: str, fingerprint: tuple, kind: str, distance_m: float, _inp: Inputs
) -> CoverageResult:
    return coverage(municipality_frame(_inp.munis), offers(_inp)[kind], distance_m, _inp.munis.roles)


def coverage_result(inp: Inputs, kind: str, distance_m: float) -> CoverageResult:
    return _coverage(load_settings().store, inp.fingerprint, kind, float(distance_m), inp)


@shared(max_entries=16)
def _what_if(
    location: str, fingerprint: tuple, kind: str, distance_m: float, points: tuple, _inp: Inputs
) -> WhatIfResult:
    munis = municipality_frame(_inp.munis)
    return what_if(munis, offers(_inp)[kind], planned_points(points), distance_m, _inp.munis.roles)


def what_if_result(
    inp: Inputs, kind: str, distance_m: float, points: list[tuple[float, float]]
) -> WhatIfResult:
    return _what_if(load_settings().store, inp.fingerprint, kind, float(distance_m), tuple(points), inp)


def municipality_picker(table: pd.DataFrame) -> str:
    """A municipality found by typing (kept in the URL parameter ``gemeinde``); returns the key."""
    return pick_by_typing(municipality_labels(table), "gemeinde", tr("ana.pick_municipality"))


def choropleth(
    inp: Inputs, table: gpd.GeoDataFrame, column: str, classes: Classes, title: str
) -> folium.FeatureGroup:
    """The municipalities filled by class: drawn from the municipality layer's vector tiles
    where the map page draws that layer from tiles (a big layer, its tiles cut), else as GeoJSON."""
    features = read_layer(inp.munis)
    source = layer_source(inp.munis, np.ones(len(features), dtype=bool))
    key = inp.munis.roles.get("key")
    if not isinstance(source, TileSource) or key not in features.columns:
        return choropleth_group(table, column, classes, title, lang())
    keys = features[key].astype("string").str.strip().fillna("").tolist()
    return choropleth_tiles(table, column, classes, title, source, keys, lang())


def show_map(
    inp: Inputs,
    groups: list[folium.FeatureGroup],
    key: str,
    height: int = 480,
    clicks: bool = False,
    bounds: tuple[float, float, float, float] | None = None,
) -> dict:
    """A map fitted to `bounds` (default: the district) with `groups` drawn on top.

    The map frame stays while only the groups change. Returns the last click (lat/lng) when
    `clicks`, else nothing (moving the map never reruns the page).
    """
    minx, miny, maxx, maxy = bounds or inp.munis.bbox
    center, zoom = initial_view([(minx, miny, maxx, maxy)])
    m = base_map(basemap_select(), center, zoom, lang())
    m.options["zoomSnap"] = 0.25  # fit the district snugly, not only at whole zoom levels
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    state = st_folium(
        m,
        key=key,
        height=height,
        use_container_width=True,
        feature_group_to_add=groups,
        returned_objects=["last_clicked"] if clicks else [],
    )
    return state or {}


def legend(html_text: str) -> None:
    st.html(LEGEND_CSS + html_text)  # built escaped in geo.analysis.choropleth; HTML, not Markdown


def compare_metric(column: str, label: str, value: float, stats: dict, where=st) -> None:
    """A metric with its difference to the district average and the median in the help text."""
    lg = lang()
    mean, median = stats.get("mean"), stats.get("median")
    delta = None
    if pd.notna(value) and mean is not None and pd.notna(mean):
        digits = digits_for(column) if abs(value - mean) >= 10 else max(digits_for(column), 1)
        diff = format_number(value - mean, lg, digits)
        delta = ("+" if value - mean > 0 and not diff.startswith("-") else "") + diff
    where.metric(
        label,
        format_indicator(column, value, lg),
        delta=delta,
        delta_color="off",
        delta_description=tr("ana.vs_mean") if delta else None,
        help=tr(
            "ana.mean_median",
            mean=format_indicator(column, mean, lg),
            median=format_indicator(column, median, lg),
        ),
    )


def offer_kind_label(kind: str) -> str:
    return kind_label(kind, lang())


def empty_state_notes(inp: Inputs, found: dict[str, gpd.GeoDataFrame]) -> None:
    """Say what is missing instead of showing empty numbers."""
    if not any(inp.has(k) for k in ("coworking", "mobility")):
        st.info(tr("ana.no_offers"))
    elif not inp.has("coworking"):
        st.info(tr("ana.no_coworking"))
    if inp.has("events") and "events" not in found:
        st.caption(tr("ana.no_event_dates"))


@shared(max_entries=16)
def _by_type(location: str, fingerprint: tuple, _inp: Inputs) -> pd.DataFrame:
    mobility = offers(_inp).get("mobility")
    if mobility is None or mobility.empty:
        return pd.DataFrame()
    return count_in_municipalities(municipality_frame(_inp.munis), mobility, _inp.munis.roles, by="category")


def mobility_by_type(inp: Inputs, key: str) -> pd.DataFrame | None:
    """Mobility offers in `key` per category (value) with the district average (mean)."""
    return _mobility_by_type(_by_type(load_settings().store, inp.fingerprint, inp), key)


def labelled_table(table: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """`geo.analysis.tables.display_table` with column configs: names pinned, numbers localised."""
    shown, labels = display_table(table, lang())
    config = {
        col: st.column_config.TextColumn(label, pinned=True)
        if col in TEXT_COLUMNS
        else st.column_config.NumberColumn(label, format="localized")
        for col, label in labels.items()
    }
    return shown, config
