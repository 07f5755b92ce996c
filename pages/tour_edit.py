"""Tour editor for planners: create, order and edit the forum's stations."""

from __future__ import annotations

import streamlit as st

from geo.errors import GeoError
from geo.maps.build import BASEMAPS
from geo.maps.tour import Tour, make_station, move, params_from_link
from webui.auth import require_planner
from webui.common import error_md, get_store, tr
from webui.forum import load_tour, save_tour

user = require_planner()
st.title(tr("ui.tour.title"))
st.caption(tr("ui.tour.help"))
layers = get_store().list_layers()
tour = load_tour(layers)
titles = {info.id: info.title for info in layers}


def store(stations) -> None:
    """Save the changed tour as a new version and show the page again."""
    version = save_tour(Tour(tour.name, tuple(stations)), user)
    st.session_state["tour_flash"] = tr("ui.tour.saved", version=version)
    st.rerun()


if flash := st.session_state.pop("tour_flash", None):
    st.success(flash)

st.subheader(tr("ui.tour.stations"))
for i, station in enumerate(tour.stations):
    cols = st.columns([6, 1, 1, 1, 1])
    cols[0].markdown(f"**{i + 1}. {station.title}**  \n{station.text}")
    if cols[1].button("↑", key=f"up_{i}", help=tr("ui.tour.up"), disabled=i == 0):
        store(move(tour.stations, i, -1))
    if cols[2].button("↓", key=f"down_{i}", help=tr("ui.tour.down"), disabled=i == len(tour.stations) - 1):
        store(move(tour.stations, i, 1))
    if cols[3].button("✎", key=f"edit_{i}", help=tr("ui.tour.edit")):
        st.session_state["tour_edit"] = i
    if cols[4].button("🗑", key=f"del_{i}", help=tr("ui.tour.delete")):
        store(tour.stations[:i] + tour.stations[i + 1 :])

editing = st.session_state.get("tour_edit")
current = tour.stations[editing] if editing is not None and editing < len(tour.stations) else None
st.subheader(tr("ui.tour.edit_station") if current else tr("ui.tour.new_station"))
with st.form("station_form", clear_on_submit=True):
    title = st.text_input(tr("ui.tour.station_title"), value=current.title if current else "", max_chars=80)
    text = st.text_area(tr("ui.tour.station_text"), value=current.text if current else "", max_chars=400)
    link = st.text_input(tr("ui.tour.link"), help=tr("ui.tour.link_help"))
    chosen = st.multiselect(
        tr("ui.layers"),
        list(titles),
        format_func=titles.get,
        placeholder=tr("ui.choose"),
        default=[i for i in (current.view.layers or ()) if i in titles] if current else [],
    )
    basemap = st.selectbox(tr("ui.basemap"), list(BASEMAPS), format_func=lambda k: tr(BASEMAPS[k].label_key))
    if st.form_submit_button(tr("ui.tour.save"), type="primary"):
        params = params_from_link(link) if link.strip() else {"layers": ",".join(chosen), "basemap": basemap}
        try:
            station = make_station(title, text, params)
        except GeoError as err:
            st.error(error_md(err))
        else:
            stations = list(tour.stations)
            stations[editing if current else len(stations) : (editing + 1) if current else None] = [station]
            st.session_state.pop("tour_edit", None)
            store(stations)
