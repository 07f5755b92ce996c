"""Veranstaltungen: events of a chosen period on the map, by month, as a timeline and as .ics."""

from __future__ import annotations

import html
from datetime import timedelta

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import clock
from geo.events import schedule as ev
from geo.events.ical import to_ical
from geo.i18n import moment_date_format
from geo.maps.build import MapLayer, build_map
from geo.maps.legend import LEGEND_CSS, legend_html
from geo.store import LayerInfo
from webui.caches import shared
from webui.common import basemap_select, display_layer, get_store, lang, read_layer, tr, tr_md

PICK = "event_pick"


@shared(max_entries=16)
def _events(location: str, layer_id: str, version: int, _info: LayerInfo) -> pd.DataFrame:
    return ev.event_table(read_layer(_info), _info)


def _pick(fid: int) -> None:
    st.session_state[PICK] = fid


def _event_list(events: pd.DataFrame, prefix: str) -> None:
    """Events grouped by month, each with its details and a button that shows it on the map."""
    if events.empty:
        st.info(tr("ui.events.none"))
    for label, group in ev.by_month(events, lang()):
        st.subheader(label, divider="gray")
        for event in group.itertuples():
            text_col, button_col = st.columns([4, 1], vertical_alignment="center")
            details = ev.event_html(group.loc[event.Index], lang())  # every value escaped
            text_col.markdown(details, unsafe_allow_html=True)
            button_col.button(
                tr("ui.events.show"),
                key=f"{prefix}_{event.fid}",
                icon=":material/location_on:",
                on_click=_pick,
                args=(int(event.fid),),
            )


st.title(tr("ui.events.title"))
st.markdown(ev.EVENT_CSS, unsafe_allow_html=True)
all_layers = get_store().list_layers()
layers = [info for info in all_layers if info.kind == "events"]
if not layers:
    st.info(tr("ui.events.no_layer"))
    st.stop()
info = st.selectbox(tr("ui.events.layer"), layers, format_func=lambda i: i.title, key="events_layer")
events = _events(get_store().location, info.id, info.version, info)
if events.empty:
    st.warning(tr_md("ui.events.no_dates", layer=info.title))
    st.stop()

now = pd.Timestamp(clock.now()).tz_convert(ev.TZ)
today = now.date()
lo, hi = ev.period_bounds(events, today)
date_from, date_to = st.slider(
    tr("ui.events.range"),
    min_value=lo,
    max_value=hi,
    value=(today, today + timedelta(days=90)),
    format=moment_date_format(lang()),
    key=f"events_range_{info.id}",
)
chosen = events[ev.in_period(events, date_from, date_to)]
st.caption(tr("ui.events.in_range", n=len(chosen), start=date_from, end=date_to))

# --- map of the chosen period; below it the picked event, legend and download -------------
chosen_basemap = basemap_select()
map_slot = st.container()  # drawn last, once the picked event is known
pick_col, info_col = st.columns([2, 1])
by_fid = chosen.set_index("fid")
if st.session_state.get(PICK) not in by_fid.index:
    st.session_state[PICK] = None
with pick_col:
    picked = st.selectbox(
        tr("ui.events.pick"),
        list(by_fid.index),
        format_func=lambda f: by_fid.loc[f, "title"] or "–",
        placeholder=tr("ui.events.pick_none"),
        key=PICK,
    )
    if picked is not None:
        st.html(ev.event_html(by_fid.loc[picked], lang()))  # values escaped; HTML, not Markdown
frame = display_layer(info)
layer = MapLayer(info, frame[frame["fid"].isin(chosen["fid"])])
with info_col:
    st.download_button(
        tr("ui.events.ics"),
        data=to_ical(chosen, info, lang()),  # bytes, not a deferred callable (its download could hang)
        file_name=f"{info.id}.ics",
        mime="text/calendar",
        help=tr("ui.events.ics_help"),
        icon=":material/calendar_add_on:",
        disabled=chosen.empty,
        key="events_ics",
    )
    legend = LEGEND_CSS + legend_html([layer], {info.id: len(chosen)}, lang())
    st.html(legend)  # escaped by legend_html; HTML, not Markdown
context = [MapLayer(i, display_layer(i)) for i in all_layers if i.kind == "municipalities"][:1]  # orientation
if picked is None:
    m = build_map([*context, layer], chosen_basemap, lang=lang())
else:  # centred on the picked event, ringed so it stands out among the others
    event = by_fid.loc[picked]
    center = (float(event["lat"]), float(event["lon"]))
    m = build_map([*context, layer], chosen_basemap, center, 14, lang())
    label = html.escape(f"{event['title']} – {ev.when_text(event['start'], event['end'], lang())}")
    folium.CircleMarker(center, radius=18, color="#000000", weight=4, fill=False, tooltip=label).add_to(m)
with map_slot:
    st_folium(m, key="events_map", height=600, use_container_width=True, returned_objects=[])

# --- timeline and lists --------------------------------------------------------------------
st.subheader(tr("ui.events.timeline"))
st.altair_chart(ev.timeline_chart(events, now, lang()), width="stretch", height=280)
upcoming, past = ev.split_upcoming(events, now)  # like the timeline: every event, the period drives the map
tab_up, tab_past = st.tabs(
    [tr("ui.events.upcoming", count=len(upcoming)), tr("ui.events.past", count=len(past))]
)
with tab_up:
    _event_list(upcoming, "up")
with tab_past:
    _event_list(past, "past")
