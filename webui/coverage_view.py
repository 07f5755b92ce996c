"""Coverage page widgets: district metrics before and after planning, the white-spot map, planned sites.

Planned sites live in the session state as (lon, lat) pairs; a map click or the coordinate
form adds one. The numbers come from `webui.analysis.coverage_result` / `what_if_result`.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.analysis.choropleth import area_group, digits_for, format_indicator, format_share, point_group
from geo.analysis.classes import format_number
from geo.analysis.coverage import CoverageResult, WhatIfResult, planned_points
from geo.analysis.indicators import indicator_label
from geo.analysis.offers import OFFER_COLOURS
from geo.maps.build import initial_view
from webui.analysis import Inputs, indicator_table, offer_kind_label
from webui.common import lang, md, tr

PLANNED_KEY = "planned_points"
WHITE_COLOUR, PLANNED_COLOUR = "#D55E00", "#000000"


def km_text(km: float) -> str:
    return format_number(km, 1, lang())


def planned() -> list[tuple[float, float]]:
    """Planned sites of this session as (lon, lat)."""
    return list(st.session_state.get(PLANNED_KEY, []))


def _add_planned(lon: float, lat: float) -> None:
    st.session_state[PLANNED_KEY] = [*planned(), (round(float(lon), 5), round(float(lat), 5))]


def take_click(state: dict) -> bool:
    """A new click on the map becomes a planned site; True when one was added."""
    click = state.get("last_clicked")
    if not click or click == st.session_state.get("cov_last_click"):
        return False
    st.session_state["cov_last_click"] = click
    _add_planned(click["lng"], click["lat"])
    return True


def planned_controls(inp: Inputs) -> None:
    """The planned sites, a button to remove them, and a keyboard way to add one by coordinates."""
    st.subheader(tr("ana.planned_heading"))
    points = planned()
    if not points:
        st.caption(tr("ana.planned_none"))
    for lon, lat in points:
        st.markdown("- " + md(f"{format_number(lat, 5, lang())} °N, {format_number(lon, 5, lang())} °E"))
    if points and st.button(tr("ana.clear_planned"), key="cov_clear", icon=":material/delete:"):
        st.session_state[PLANNED_KEY] = []
        st.rerun()
    (lat0, lon0), _ = initial_view([inp.munis.bbox])
    with st.expander(tr("ana.add_point")), st.form("cov_add", border=False):
        lat = st.number_input(tr("ana.lat"), -90.0, 90.0, round(lat0, 4), 0.001, format="%.4f", key="cov_lat")
        lon = st.number_input(
            tr("ana.lon"), -180.0, 180.0, round(lon0, 4), 0.001, format="%.4f", key="cov_lon"
        )
        if st.form_submit_button(tr("ana.add")):
            _add_planned(lon, lat)
            st.rerun()


def _share_delta(value: float | None, base: float | None) -> str | None:
    if value is None or base is None or pd.isna(value) or pd.isna(base):
        return None
    diff = format_number(100 * (value - base), 1, lang())
    return ("+" if value > base and not diff.startswith("-") else "") + diff + " " + tr("ana.points")


def coverage_metrics(where, district: dict, base: dict | None = None) -> None:
    """Share of area, share of people (when known) and white-spot area; with `base`, the change."""
    lg = lang()
    items = [("area_share", tr("ana.share_area"))]
    if district["population_share"] is not None:
        items.append(("population_share", tr("ana.share_population")))
    cols = where.columns(len(items) + 1)
    for col, (field, label) in zip(cols, items, strict=False):
        delta = _share_delta(district[field], base[field]) if base else None
        col.metric(label, format_share(district[field], lg), delta=delta)
    white = format_indicator("white_km2", district["white_km2"], lg) + " km²"
    delta = None
    if base:
        diff = district["white_km2"] - base["white_km2"]
        delta = format_indicator("white_km2", diff, lg) + " km²"
    cols[-1].metric(tr("ana.white_area"), white, delta=delta, delta_color="inverse")


def coverage_layers(
    inp: Inputs,
    offers_of_kind: gpd.GeoDataFrame,
    kind: str,
    km: float,
    before: CoverageResult,
    change: WhatIfResult | None,
    points: list[tuple[float, float]],
) -> tuple[list[folium.FeatureGroup], list[tuple[str, str, str]]]:
    """Outlines, white spots (before: outlined; after planning: filled), offers, planned sites."""
    lg = lang()
    table = indicator_table(inp)
    outline = {"color": "#4d4d4d", "weight": 1, "fill": False}
    groups = [area_group(table[["name", "geometry"]], tr("kind.municipalities"), outline, lg)]
    entries = [("outline", "#4d4d4d", tr("kind.municipalities"))]
    white_title = tr("ana.white_layer", km=km_text(km))
    if change is None:
        groups.append(area_group(before.white_spots, white_title, _WHITE_FILL, lg))
        entries.append(("area", WHITE_COLOUR, white_title))
    else:
        groups.append(area_group(before.white_spots, white_title, _WHITE_BEFORE, lg))
        groups.append(area_group(change.after.white_spots, tr("ana.white_after_layer"), _WHITE_FILL, lg))
        entries += [
            ("outline", WHITE_COLOUR, white_title),
            ("area", WHITE_COLOUR, tr("ana.white_after_layer")),
        ]
    title = offer_kind_label(kind)
    groups.append(point_group(offers_of_kind, title, OFFER_COLOURS[kind], lg, radius=6))
    entries.append(("point", OFFER_COLOURS[kind], title))
    if points:
        site = tr("ana.planned_site")
        groups.append(
            point_group(planned_points(points).assign(name=site), site, PLANNED_COLOUR, lg, radius=8)
        )
        entries.append(("point", PLANNED_COLOUR, site))
    return groups, entries


_WHITE_FILL = {
    "color": WHITE_COLOUR,
    "weight": 1,
    "fill": True,
    "fillColor": WHITE_COLOUR,
    "fillOpacity": 0.45,
}
_WHITE_BEFORE = {"color": WHITE_COLOUR, "weight": 2, "dashArray": "6 4", "fill": False}


def coverage_table(before: CoverageResult, change: WhatIfResult | None) -> tuple[pd.DataFrame, dict]:
    """Per municipality: population, area and shares (after planning, with the share before)."""
    lg = lang()
    result = change.after if change is not None else before
    cols = ["name", "population", "area_km2", "covered_km2", "area_share", "population_share"]
    shown = pd.DataFrame(result.per_municipality[cols])
    if change is not None:
        shown.insert(4, "area_share_before", change.change["area_share_before"].to_numpy())
    if shown["population"].isna().all():
        shown = shown.drop(columns=["population", "population_share"])
    config = {"name": st.column_config.TextColumn(indicator_label("name", lg), pinned=True)}
    for col in shown.columns[1:]:
        label = indicator_label("area_share" if col == "area_share" and change is None else col, lg)
        if col.endswith("share") or col.endswith("_before"):
            config[col] = st.column_config.ProgressColumn(
                label, format="percent", min_value=0.0, max_value=1.0
            )
        else:
            shown[col] = shown[col].astype(float).round(digits_for(col))
            config[col] = st.column_config.NumberColumn(label, format="localized")
    if change is not None:
        config["area_share"] = st.column_config.ProgressColumn(
            indicator_label("area_share_after", lg), format="percent", min_value=0.0, max_value=1.0
        )
    return shown, config
