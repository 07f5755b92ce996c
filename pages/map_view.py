"""Map explorer: layers, filters, search, details, table and permalink in one view."""

from __future__ import annotations

import html
from urllib.parse import urlencode

import streamlit as st
from streamlit_folium import st_folium

from geo.maps.build import KeepFirstView, base_map, initial_view, layer_groups, standalone_html
from geo.maps.filters import Filters
from geo.maps.legend import LEGEND_CSS, legend_html
from geo.maps.permalink import from_params, home_bboxes, to_params
from geo.maps.search import build_index, search
from webui import explorer
from webui.common import (
    basemap_select,
    display_layer,
    get_store,
    lang,
    map_html_bytes,
    md,
    revision,
    tr,
    tr_md,
)
from webui.sheet import sheet_button

view = from_params(st.query_params.to_dict())
st.title(tr("ui.app_title"))
layers = get_store().list_layers()
if not layers:
    st.info(tr("ui.no_layers"))
    st.stop()
by_id = {info.id: info for info in layers}
munis = next((info for info in layers if info.kind == "municipalities"), None)

# --- sidebar: basemap, layer tree, filters -------------------------------------------
chosen_basemap = basemap_select()
visible_ids = explorer.layer_tree(layers, view)
visible = [by_id[i] for i in visible_ids]
st.sidebar.subheader(tr("ui.filters"))
muni_keys, areas = explorer.municipality_filter(munis, view)
categories = {info.id: c for info in visible if (c := explorer.category_filter(info, view)) is not None}
date_from, date_to = explorer.date_filter(view) if any(i.kind == "events" for i in visible) else (None, None)
filters = Filters(categories, muni_keys, date_from, date_to)

map_layers, masks = explorer.filtered_layers(visible, filters, areas)

# --- search ------------------------------------------------------------------------------
goto = st.session_state.get("goto")
selected = view.selected
with st.container():  # keeps the map's position in the page stable, so it is never re-created
    query = st.text_input(tr("ui.search"), key="search", placeholder=tr("ui.search_placeholder"))
    if query:
        hits = search(build_index([(i.id, i.title, i.kind, display_layer(i)) for i in visible]), query)
        if not hits:
            st.caption(tr_md("ui.search_none", query=query))
        else:
            hit = st.radio(
                tr("ui.search_hits"),
                hits,
                format_func=lambda h: f"{md(html.unescape(h.name))} – {md(h.layer_title)}",  # names as text
                key="search_hit",
                horizontal=True,
            )
            if hit and st.session_state.get("search_done") != (query, hit.layer_id, hit.fid):
                st.session_state["search_done"] = (query, hit.layer_id, hit.fid)
                selected, goto = (
                    (hit.layer_id, hit.fid),
                    (hit.lat, hit.lon, 14 if hit.kind != "municipalities" else 12),
                )

# --- map and detail panel ----------------------------------------------------------------
init_key = (chosen_basemap, lang())
if st.session_state.get("map_init", (None,))[0] != init_key:
    center, zoom = initial_view(home_bboxes(layers, visible))
    if view.lat is not None and view.lon is not None:
        center = (view.lat, view.lon)
    st.session_state["map_init"] = (init_key, center, view.zoom or zoom)
_, center, zoom = st.session_state["map_init"]
m = base_map(chosen_basemap, center, zoom, lang())
m.add_child(KeepFirstView())  # this run knows the view: no second run while the map draws
map_col, detail_col = st.columns([3, 1.3])
with map_col:
    if not visible:
        st.info(tr("ui.no_visible_layers"))
    state = (
        st_folium(
            m,
            key="main_map",
            height=600,
            use_container_width=True,
            feature_group_to_add=layer_groups(map_layers, lang()),
            returned_objects=["last_active_drawing", "bounds", "zoom"],
            center=goto[:2] if goto else None,
            zoom=goto[2] if goto else None,
        )
        or {}
    )
if not visible:
    map_col.info(tr("ui.no_visible_layers"))
clicked = (state.get("last_active_drawing") or {}).get("properties") or {}
if clicked.get("layer") in by_id and st.session_state.get("last_click") != clicked:
    st.session_state["last_click"] = clicked
    selected = (clicked["layer"], int(clicked["fid"]))
with detail_col:
    st.subheader(tr("ui.details"))
    if selected and selected[0] in by_id:
        target = explorer.detail_panel(by_id[selected[0]], selected[1], munis, lang())
        if target:
            goto = (*target, 15)
    else:
        st.info(tr("ui.details_empty"))
    st.subheader(tr("ui.legend"))
    st.html(LEGEND_CSS + legend_html(map_layers, {i.id: int(masks[i.id].sum()) for i in visible}, lang()))
st.session_state["goto"] = goto

# --- table, downloads, permalink ---------------------------------------------------------
bounds = state.get("bounds") or {}
sw, ne = bounds.get("_southWest") or {}, bounds.get("_northEast") or {}
lat = (sw["lat"] + ne["lat"]) / 2 if sw.get("lat") is not None and ne.get("lat") is not None else center[0]
lon = (sw["lng"] + ne["lng"]) / 2 if sw.get("lng") is not None and ne.get("lng") is not None else center[1]
new_view = view.with_(
    layers=tuple(visible_ids) if len(visible_ids) != len(layers) else None,
    basemap=chosen_basemap,
    lat=lat,
    lon=lon,
    zoom=int(state.get("zoom") or zoom),
    categories=categories,
    municipalities=muni_keys,
    date_from=date_from,
    date_to=date_to,
    selected=selected,
    lang=lang(),
)
params = to_params(new_view)
if params != st.query_params.to_dict():
    st.query_params.from_dict(params)
table_box = st.expander(tr("ui.table"), key="table_open", on_change="rerun")
if table_box.open:  # built only when someone opens it: tables and downloads of large layers cost
    with table_box:
        # fitted to the shown features (not the current pan), so panning does not rebuild it
        html_map = map_html_bytes(
            (tuple((i.id, revision(i), masks[i.id].tobytes()) for i in visible), chosen_basemap, lang()),
            lambda: standalone_html(map_layers, chosen_basemap, None, None, lang()),
        )
        explorer.table_view(visible, masks, html_map)
link = (st.context.url or "").split("?")[0] + "?" + urlencode(params)
explorer.share_button(link)
shown = tuple((i.id, revision(i), masks[i.id].tobytes()) for i in visible)
title = " · ".join(i.title for i in visible) if 0 < len(visible) <= 3 else tr("ui.app_title")
sheet_button(map_layers, title, link, shown, key="map_sheet")
