"""Forum mode: the guided tour full screen for a projector, keyboard-driven, offline-capable."""

from __future__ import annotations

import io
import time

import segno
import streamlit as st
from streamlit_folium import st_folium

from geo.maps.build import base_map, layer_groups
from geo.maps.legend import LEGEND_CSS, legend_html
from geo.maps.projector import fitted_view
from geo.maps.tour import station_link
from webui.common import chosen_basemap, get_store, lang, md, tr
from webui.forum import FORUM_CSS, app_base_url, load_tour, station_layers
from webui.sheet import sheet_button

st.markdown(FORUM_CSS, unsafe_allow_html=True)
layers = get_store().list_layers()
tour = load_tour(layers)
if not tour.stations:
    st.info(tr("ui.forum.empty"))
    st.stop()

count = len(tour.stations)
try:
    start = int(st.query_params.get("station", "1")) - 1
except ValueError:
    start = 0
st.session_state.setdefault("station", max(0, min(count - 1, start)))
st.session_state.setdefault("playing", False)
st.session_state.setdefault("timer_for", False)
takt = st.query_params.get("takt", "20")  # seconds per station when playing
interval = max(5, min(600, int(takt))) if takt.isdigit() else 20


def go(step: int) -> None:
    st.session_state.station = (st.session_state.station + step) % count
    st.session_state.shown_at = time.monotonic()


def toggle_play() -> None:
    st.session_state.playing = not st.session_state.playing
    st.session_state.shown_at = time.monotonic()


@st.fragment(run_every=1 if st.session_state.playing else None)
def presenter() -> None:
    if st.session_state.playing and time.monotonic() - st.session_state.get("shown_at", 0) >= interval:
        go(1)
    index = st.session_state.station
    station = tour.stations[index]
    st.query_params["station"] = str(index + 1)
    with st.container(horizontal=True, vertical_alignment="center", key="forum_nav"):
        st.button("◀ " + tr("ui.forum.back"), on_click=go, args=(-1,), shortcut="Left", key="back")
        st.button(tr("ui.forum.next") + " ▶", on_click=go, args=(1,), shortcut="Right", key="next")
        play_label = tr("ui.forum.pause") if st.session_state.playing else tr("ui.forum.play")
        st.button(play_label, on_click=toggle_play, key="play", shortcut="P")
        st.markdown(tr("ui.forum.progress", n=index + 1, total=count))
        st.page_link("pages/map_view.py", label=tr("ui.forum.leave"), query_params={"lang": lang()})
    if st.session_state.get("timer_for") != st.session_state.playing:  # re-arm the fragment's timer
        st.session_state.timer_for = st.session_state.playing
        st.rerun()
    with st.container(key="forum_hidden_keys"):
        st.button("next-space", on_click=go, args=(1,), shortcut="Space", key="next_space")
    st.title(md(station.title))
    map_layers, center, zoom = station_layers(station, layers)
    fit = None if station.view.zoom else fitted_view([layer.info.bbox for layer in map_layers])
    if fit:  # the map fits itself to the screen; a centre and zoom given here would undo it
        center = zoom = None
    map_col, side_col = st.columns([3, 1])
    with map_col, st.container(key="forum_map_box"):  # sized to the screen by FORUM_CSS
        shown_basemap = chosen_basemap() or station.view.basemap or "none"  # the user's pick wins
        m = base_map(shown_basemap, tour_center, 9, lang(), presentation=True)
        st_folium(
            m,
            key="forum_map",
            height=480,
            use_container_width=True,
            returned_objects=[],
            feature_group_to_add=layer_groups(map_layers, lang()) + ([fit] if fit else []),
            center=center,
            zoom=zoom,
        )
    with side_col, st.container(key="forum_side"):
        if station.text:
            st.markdown("  \n".join(md(line) for line in station.text.splitlines()))  # text, line by line
        link = station_link(app_base_url(), station, lang())
        png = io.BytesIO()
        segno.make(link, error="m").save(png, kind="png", scale=6, border=2)
        # the code before the legend: a long legend must not push it below a projector's edge
        st.image(png.getvalue(), caption=tr("ui.forum.qr"), width=220, alt=tr("ui.qr_alt"))
        st.html(LEGEND_CSS + legend_html(map_layers, {}, lang()))
        sheet_button(map_layers, station.title, link, index, key="forum_sheet")


tour_center = station_layers(tour.stations[0], layers)[1]
presenter()
