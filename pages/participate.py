"""Mitmachen: the phone page of a participation round. No account, no personal data.

Tap a place, pick a category, write a short text, send; "+1" for others' ideas once per
device. Every refusal is one clear sentence. User text is shown with `st.text` only.
"""

from __future__ import annotations

import uuid

import streamlit as st
from streamlit_folium import st_folium

from geo import clock
from geo.errors import GeoError
from geo.maps.build import base_map
from geo.participation.maplayers import contributions_group, extent_group, picked_group
from geo.participation.rounds import check_open
from webui.common import basemap, get_store, lang, tr
from webui.participation import (
    MOBILE_CSS,
    context_groups,
    current_round,
    device_token,
    question_html,
    status_text,
)

LIST_LIMIT = 40  # newest contributions listed with a "+1" button

st.markdown(MOBILE_CSS, unsafe_allow_html=True)
token = device_token()
rnd = current_round()
if rnd is None:
    st.stop()
store = get_store()
st.html(question_html(rnd))
st.caption(status_text(rnd))
st.info(tr("ui.part.privacy"), icon=":material/shield_person:")
st.session_state.setdefault("part_request", uuid.uuid4().hex)


def send() -> None:
    """Button callback: store the contribution or keep the user's input and say why not."""
    point = st.session_state.get("part_point") or (None, None)
    try:
        store.contribute(
            rnd.id,
            lon=point[0],
            lat=point[1],
            category=st.session_state.get("part_category") or "",
            text=st.session_state.get("part_text") or "",
            device=token,
            request_id=st.session_state["part_request"],
        )
    except GeoError as err:
        st.session_state["part_flash"] = ("error", err.message(lang()))
        return
    st.session_state["part_flash"] = ("success", tr("ui.part.thanks"))
    st.session_state["part_request"] = uuid.uuid4().hex
    st.session_state["part_text"] = ""  # the place stays chosen: a map returns no new value for the same tap


def plus_one(contribution_id: int) -> None:
    try:
        store.support(rnd.id, contribution_id, device=token)
        st.session_state["part_support_flash"] = (contribution_id, "success", tr("ui.part.supported"))
    except GeoError as err:
        st.session_state["part_support_flash"] = (contribution_id, "error", err.message(lang()))


clicked = (st.session_state.get("part_map") or {}).get("last_clicked")  # the map's value before it is drawn
if clicked and clicked != st.session_state.get("part_click_seen"):
    st.session_state["part_click_seen"] = clicked
    st.session_state["part_point"] = (round(clicked["lng"], 6), round(clicked["lat"], 6))
items = store.list_contributions(rnd.id)
is_open = rnd.status() == "open"
if not is_open:
    try:
        check_open(rnd, clock.now())
    except GeoError as err:
        st.warning(err.message(lang()), icon=":material/event_busy:")
m = base_map(basemap(), lang=lang())
m.fit_bounds([[rnd.bbox[1], rnd.bbox[0]], [rnd.bbox[3], rnd.bbox[2]]])
if is_open:
    st.markdown(tr("ui.part.tap_hint"))
st_folium(
    m,
    key="part_map",
    height=380,
    use_container_width=True,
    returned_objects=["last_clicked"],
    feature_group_to_add=[
        *context_groups(rnd, lang()),
        extent_group(rnd, lang()),
        contributions_group(items, rnd.categories, lang()),
        picked_group(st.session_state.get("part_point"), lang()),
    ],
)

if is_open:
    point = st.session_state.get("part_point")
    st.caption(
        tr("ui.part.point", lat=f"{point[1]:.4f}", lon=f"{point[0]:.4f}") if point else tr("ui.part.no_point")
    )
    st.radio(tr("ui.part.category"), rnd.categories, key="part_category")
    st.text_area(
        tr("ui.part.text"), key="part_text", max_chars=rnd.max_text, placeholder=tr("ui.part.placeholder")
    )
    st.button(tr("ui.part.send"), type="primary", on_click=send, use_container_width=True, key="part_send")
    flash = st.session_state.pop("part_flash", None)
    if flash:
        (st.success if flash[0] == "success" else st.error)(flash[1])

st.subheader(tr("ui.part.list_title", n=len(items)))
supported = store.supported_by(rnd.id, token)
support_flash = st.session_state.pop("part_support_flash", None)
for item in sorted(items, key=lambda c: c.id, reverse=True)[:LIST_LIMIT]:
    with st.container(border=True, key=f"part_item_{item.id}"):
        st.caption(item.category)
        st.text(item.text)
        label = tr("ui.part.plus_one", n=item.support)
        done = item.id in supported
        st.button(
            ("✓ " if done else "") + label,
            key=f"part_plus_{item.id}",
            on_click=plus_one,
            args=(item.id,),
            disabled=not is_open,
            help=tr("ui.part.plus_one_done") if done else tr("ui.part.plus_one_help"),
        )
        if support_flash and support_flash[0] == item.id:
            (st.success if support_flash[1] == "success" else st.error)(support_flash[2])
