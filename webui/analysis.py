"""Streamlit glue for the analysis pages: which layers, cached computations, shared widgets.

The computations live in `geo.analysis.indicators` and `geo.analysis.coverage`; here they are cached as
resources keyed by the layers' ids, versions and change times plus the parameters, so every
session shares one result per input. Returned frames are shared: callers treat them as
read-only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import clock
from geo.analysis.choropleth import area_group, digits_for, format_indicator, line_group, point_group
from geo.analysis.coverage import CoverageResult, WhatIfResult, coverage, planned_points, what_if
from geo.analysis.indicators import (
    count_in_municipalities,
    indicator_columns,
    indicator_label,
    indicators,
    kind_label,
    split_offers,
)
from geo.config import load_settings
from geo.i18n import format_number
from geo.maps.build import BASEMAPS, DEFAULT_BASEMAP, base_map, initial_view
from geo.maps.display import DISPLAY_CRS, category_column, name_column
from geo.maps.filters import date_mask
from geo.maps.legend import LEGEND_CSS
from geo.store import LayerInfo
from webui.common import get_store, lang, read_layer, tr

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
FORMAT_NAMES = {"csv": "CSV", "xlsx": "Excel", "gpkg": "GeoPackage"}
MUNI_STYLE = {"color": "#1f3b73", "weight": 2.5, "fill": True, "fillColor": "#9ecae1", "fillOpacity": 0.15}


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


def _offer_frame(info: LayerInfo, today: date) -> gpd.GeoDataFrame:
    """Name, category (and start for events) of one layer in lon/lat; events only upcoming ones."""
    gdf = read_layer(info)
    texts = {"name": name_column(info, gdf), "category": category_column(info, gdf)}
    out = gpd.GeoDataFrame(
        {
            k: gdf[c].astype("string") if c else pd.Series(pd.NA, index=gdf.index, dtype="string")
            for k, c in texts.items()
        },
        geometry=gdf.geometry.to_numpy(),
        crs=gdf.crs,
    )
    if info.kind == "events":
        start = info.roles.get("start")
        out["start"] = pd.to_datetime(gdf[start], errors="coerce") if start in gdf.columns else pd.NaT
        out = out[date_mask(gdf, info, today, None)]
    out.attrs["title"] = info.title
    return out.to_crs(DISPLAY_CRS) if out.crs is not None else out


def _concat(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    out = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=frames[0].crs)
    out.attrs["title"] = ", ".join(f.attrs.get("title", "") for f in frames)
    return out


def _dated(info: LayerInfo) -> bool:
    """Events count only with a start date ("upcoming" needs one); other layers always."""
    return info.kind != "events" or bool(info.roles.get("start"))


@st.cache_resource(show_spinner=False, max_entries=16)
def _offers(location: str, fingerprint: tuple, _inp: Inputs) -> dict[str, gpd.GeoDataFrame]:
    frames = {
        k: [_offer_frame(i, _inp.today) for i in _inp.offers if i.kind == k and _dated(i)]
        for k in OFFER_LAYER_KINDS
    }
    out: dict[str, gpd.GeoDataFrame] = {}
    if frames["coworking"]:
        out["coworking"] = _concat(frames["coworking"])
    if frames["mobility"]:
        split = split_offers(_concat(frames["mobility"]), "category")
        out.update({k: v for k, v in split.items() if k not in SPLIT_KINDS or len(v)})
    if frames["events"]:
        out["events"] = _concat(frames["events"])
    return out


def offers(inp: Inputs) -> dict[str, gpd.GeoDataFrame]:
    """Offers per kind (coworking, station, bus_stop, charging, mobility, events) in lon/lat."""
    return _offers(load_settings().data, inp.fingerprint, inp)


@st.cache_resource(show_spinner=False, max_entries=16)
def _indicators(location: str, fingerprint: tuple, _inp: Inputs) -> gpd.GeoDataFrame:
    return indicators(municipality_frame(_inp.munis), offers(_inp), _inp.munis.roles)


def indicator_table(inp: Inputs) -> gpd.GeoDataFrame:
    """`geo.analysis.indicators.indicators` for the chosen layers, computed once per layer versions."""
    return _indicators(load_settings().data, inp.fingerprint, inp)


@st.cache_resource(show_spinner=False, max_entries=64)
def _coverage(
    location: str, fingerprint: tuple, kind: str, distance_m: float, _inp: Inputs
) -> CoverageResult:
    return coverage(municipality_frame(_inp.munis), offers(_inp)[kind], distance_m, _inp.munis.roles)


def coverage_result(inp: Inputs, kind: str, distance_m: float) -> CoverageResult:
    return _coverage(load_settings().data, inp.fingerprint, kind, float(distance_m), inp)


@st.cache_resource(show_spinner=False, max_entries=16)
def _what_if(
    location: str, fingerprint: tuple, kind: str, distance_m: float, points: tuple, _inp: Inputs
) -> WhatIfResult:
    munis = municipality_frame(_inp.munis)
    return what_if(munis, offers(_inp)[kind], planned_points(points), distance_m, _inp.munis.roles)


def what_if_result(
    inp: Inputs, kind: str, distance_m: float, points: list[tuple[float, float]]
) -> WhatIfResult:
    return _what_if(load_settings().data, inp.fingerprint, kind, float(distance_m), tuple(points), inp)


def municipality_picker(table: pd.DataFrame) -> str:
    """Select box of municipalities by name (bound to the URL parameter ``gemeinde``); returns the key."""
    keys = table["key"].astype(str).tolist()
    names = table["name"].astype(str).tolist()
    twice = {n for n, count in Counter(names).items() if count > 1}
    label = {k: (f"{n} ({k})" if n in twice or not n else n) for k, n in zip(keys, names, strict=True)}
    options = sorted(label, key=lambda k: (label[k].casefold(), k))
    return st.selectbox(
        tr("ana.pick_municipality"), options, format_func=label.get, key="gemeinde", bind="query-params"
    )


def basemap() -> str:
    """The basemap from the URL (``basemap=none`` for offline use), else the app's default."""
    value = st.query_params.get("basemap", DEFAULT_BASEMAP)
    return value if value in BASEMAPS else DEFAULT_BASEMAP


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
    m = base_map(basemap(), center, zoom, lang())
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
    st.markdown(LEGEND_CSS + html_text, unsafe_allow_html=True)  # built escaped in geo.analysis.choropleth


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


_MD_SPECIAL = set("\\`*_{}[]()<>#+-.!|~$:=")


def md(text: object) -> str:
    """User text made safe for Markdown: every special character backslash-escaped."""
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in str(text))


def empty_state_notes(inp: Inputs, found: dict[str, gpd.GeoDataFrame]) -> None:
    """Say what is missing instead of showing empty numbers."""
    if not any(inp.has(k) for k in ("coworking", "mobility")):
        st.info(tr("ana.no_offers"))
    elif not inp.has("coworking"):
        st.info(tr("ana.no_coworking"))
    if inp.has("events") and "events" not in found:
        st.caption(tr("ana.no_event_dates"))


def inside(table: gpd.GeoDataFrame, key: str, gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The rows of `gdf` whose surface point lies in municipality `key` of an indicators table."""
    area = table.geometry[table["key"] == str(key)]
    if area.empty or gdf.empty:
        return gdf.iloc[:0]
    points = gdf.geometry.to_crs(table.crs).representative_point()
    return gdf[points.intersects(area.iloc[0]).to_numpy()]


@st.cache_resource(show_spinner=False, max_entries=16)
def _by_type(location: str, fingerprint: tuple, _inp: Inputs) -> pd.DataFrame:
    mobility = offers(_inp).get("mobility")
    if mobility is None or mobility.empty:
        return pd.DataFrame()
    return count_in_municipalities(municipality_frame(_inp.munis), mobility, _inp.munis.roles, by="category")


def mobility_by_type(inp: Inputs, key: str) -> pd.DataFrame | None:
    """Mobility offers in `key` per category (value) with the district average (mean)."""
    wide = _by_type(load_settings().data, inp.fingerprint, inp)
    if wide.empty or str(key) not in wide.index:
        return None
    return pd.DataFrame({"value": wide.loc[str(key)], "mean": wide.mean()})


def municipality_bounds(table: gpd.GeoDataFrame, key: str) -> tuple[float, float, float, float]:
    """Lon/lat bounds of one municipality, for fitting the profile map."""
    minx, miny, maxx, maxy = table[table["key"] == str(key)].to_crs(DISPLAY_CRS).total_bounds
    return float(minx), float(miny), float(maxx), float(maxy)


def _nearest_lines(nearest: dict[str, dict | None]) -> list[folium.FeatureGroup]:
    groups = []
    for kind, hit in nearest.items():
        if hit:
            title = tr("ana.nearest_line", kind=offer_kind_label(kind))
            pair = ((hit["centre_lat"], hit["centre_lon"]), (hit["lat"], hit["lon"]))
            groups.append(line_group([pair], title, OFFER_COLOURS[kind]))
    return groups


def profile_layers(
    table: gpd.GeoDataFrame, key: str, found: dict[str, gpd.GeoDataFrame], nearest: dict[str, dict | None]
) -> tuple[list[folium.FeatureGroup], list[tuple[str, str, str]]]:
    """Map groups of the profile (outline, offers inside, lines to the nearest) and legend rows."""
    lg = lang()
    row = table[table["key"] == str(key)]
    groups = [area_group(row, row["name"].iloc[0] or key, MUNI_STYLE, lg)]
    entries = [("outline", MUNI_STYLE["color"], tr("ana.this_municipality"))]
    groups += _nearest_lines(nearest)
    entries += [
        ("line", OFFER_COLOURS[k], tr("ana.nearest_line", kind=offer_kind_label(k)))
        for k, h in nearest.items()
        if h
    ]
    for kind in ("coworking", "mobility", "events"):
        if kind in found:
            title = offer_kind_label(kind)
            groups.append(point_group(inside(table, key, found[kind]), title, OFFER_COLOURS[kind], lg))
            entries.append(("point", OFFER_COLOURS[kind], title))
    nearby = [
        gpd.GeoDataFrame(
            {"name": [h["name"]]}, geometry=gpd.points_from_xy([h["lon"]], [h["lat"]]), crs=DISPLAY_CRS
        )
        for h in nearest.values()
        if h
    ]
    if nearby:
        groups.append(point_group(_concat(nearby), tr("ana.nearest_marker"), NEAREST_COLOUR, lg, radius=5))
        entries.append(("point", NEAREST_COLOUR, tr("ana.nearest_marker")))
    return groups, entries


def mappable_columns(table: pd.DataFrame) -> list[str]:
    """Indicator columns with at least one value (without population, the rates have none)."""
    return [c for c in indicator_columns(table) if table[c].astype(float).notna().any()]


def default_indicator(columns: list[str]) -> int:
    """Coworking per 10,000 inhabitants if there, else the first rate, else the first column."""
    for wanted in ("coworking_per_10k", "coworking_per_km2"):
        if wanted in columns:
            return columns.index(wanted)
    return next((i for i, c in enumerate(columns) if c.endswith("_per_10k")), 0)


def labelled_table(table: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """The table without geometry, numbers rounded, and column configs with translated labels."""
    lg = lang()
    shown = pd.DataFrame(table.drop(columns=table.geometry.name))
    config = {}
    for col in shown.columns:
        label = indicator_label(col, lg)
        if col in ("key", "name"):
            config[col] = st.column_config.TextColumn(label, pinned=True)
        else:
            shown[col] = shown[col].astype(float).round(digits_for(col))
            config[col] = st.column_config.NumberColumn(label, format="localized")
    return shown, config
