"""Veranstaltungen: events of a chosen period on the map, by month, as a timeline and as .ics."""

from __future__ import annotations

import html
from datetime import timedelta

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.events import (
    EVENT_CSS,
    TZ,
    by_month,
    event_html,
    event_table,
    in_period,
    period_bounds,
    split_upcoming,
    timeline,
    when_text,
)
from geo.ical import to_ical
from geo.maps import BASEMAPS, DEFAULT_BASEMAP, MapLayer, build_map
from geo.store import LayerInfo
from webui.common import display_layer, get_store, lang, read_layer, tr

PICK = "event_pick"


@st.cache_data(show_spinner=False, max_entries=16)
def _events(layer_id: str, version: int, _info: LayerInfo) -> pd.DataFrame:
    return event_table(read_layer(_info), _info)


def _pick(fid: int) -> None:
    st.session_state[PICK] = fid


def _event_list(events: pd.DataFrame, prefix: str) -> None:
    """Events grouped by month, each with its details and a button that shows it on the map."""
    if events.empty:
        st.info(tr("ui.events.none"))
    for label, group in by_month(events, lang()):
        st.subheader(label, divider="gray")
        for event in group.itertuples():
            text_col, button_col = st.columns([4, 1], vertical_alignment="center")
            text_col.markdown(event_html(group.loc[event.Index], lang()), unsafe_allow_html=True)  # escaped
            button_col.button(
                tr("ui.events.show"),
                key=f"{prefix}_{event.fid}",
                icon=":material/location_on:",
                on_click=_pick,
                args=(int(event.fid),),
            )


st.title(tr("ui.events.title"))
st.markdown(EVENT_CSS, unsafe_allow_html=True)
layers = [info for info in get_store().list_layers() if info.kind == "events"]
if not layers:
    st.info(tr("ui.events.no_layer"))
    st.stop()
info = st.selectbox(tr("ui.events.layer"), layers, format_func=lambda i: i.title, key="events_layer")
events = _events(info.id, info.version, info)
if events.empty:
    st.warning(tr("ui.events.no_dates", layer=info.title))
    st.stop()

now = pd.Timestamp.now(tz=TZ)
today = now.date()
lo, hi = period_bounds(events, today)
day_fmt = "%d.%m.%Y" if lang() == "de" else "%Y-%m-%d"
date_from, date_to = st.slider(
    tr("ui.events.range"),
    min_value=lo,
    max_value=hi,
    value=(today, today + timedelta(days=90)),
    format="DD.MM.YYYY" if lang() == "de" else "YYYY-MM-DD",
    key=f"events_range_{info.id}",
)
chosen = events[in_period(events, date_from, date_to)]
st.caption(
    tr("ui.events.in_range", count=len(chosen), start=f"{date_from:{day_fmt}}", end=f"{date_to:{day_fmt}}")
)

# --- map with the chosen period, and the picked event -------------------------------------
map_col, side_col = st.columns([3, 1.3])
by_fid = chosen.set_index("fid")
if st.session_state.get(PICK) not in by_fid.index:
    st.session_state[PICK] = None
with side_col:
    picked = st.selectbox(
        tr("ui.events.pick"),
        [None, *by_fid.index],
        format_func=lambda f: tr("ui.events.pick_none") if f is None else by_fid.loc[f, "title"] or "–",
        key=PICK,
    )
    if picked is not None:
        st.markdown(event_html(by_fid.loc[picked], lang()), unsafe_allow_html=True)  # all values escaped
    st.download_button(
        tr("ui.events.ics"),
        data=lambda: to_ical(chosen, info, lang()),
        file_name=f"{info.id}.ics",
        mime="text/calendar",
        help=tr("ui.events.ics_help"),
        icon=":material/calendar_add_on:",
        disabled=chosen.empty,
        key="events_ics",
    )
    basemaps = list(BASEMAPS)
    requested = st.query_params.get("basemap", DEFAULT_BASEMAP)
    basemap = st.selectbox(
        tr("ui.basemap"),
        basemaps,
        index=basemaps.index(requested if requested in basemaps else DEFAULT_BASEMAP),
        format_func=lambda k: tr(BASEMAPS[k].label_key),
        key="events_basemap",
    )
frame = display_layer(info)
layer = MapLayer(info, frame[frame["fid"].isin(chosen["fid"])])
if picked is None:
    m = build_map([layer], basemap, lang=lang())
else:  # centred on the picked event, ringed so it stands out among the others
    event = by_fid.loc[picked]
    center = (float(event["lat"]), float(event["lon"]))
    m = build_map([layer], basemap, center, 14, lang())
    label = html.escape(f"{event['title']} – {when_text(event['start'], event['end'], lang())}")
    folium.CircleMarker(center, radius=18, color="#000000", weight=4, fill=False, tooltip=label).add_to(m)
with map_col:
    st_folium(m, key="events_map", height=520, use_container_width=True, returned_objects=[])

# --- timeline and lists --------------------------------------------------------------------
st.subheader(tr("ui.events.timeline"))
weeks = timeline(events, now, lang())
colours = ["#8c8c8c", "#b33f00"]  # past grey, upcoming in the events' colour
st.bar_chart(
    weeks, x=weeks.columns[0], y=list(weeks.columns[1:]), color=colours, y_label=tr("ui.events.count")
)
upcoming, past = split_upcoming(chosen, now)
tab_up, tab_past = st.tabs(
    [tr("ui.events.upcoming", count=len(upcoming)), tr("ui.events.past", count=len(past))]
)
with tab_up:
    _event_list(upcoming, "up")
with tab_past:
    _event_list(past, "past")
