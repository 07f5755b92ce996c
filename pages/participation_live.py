"""Beteiligung live: the projector view of a round. New contributions appear within seconds.

Only the contributions' feature group and the side panel refresh (a fragment every 2 s);
the map itself stays, so zoom and position hold. No CDN: works on a local network.
"""

from __future__ import annotations

import html

import streamlit as st
from streamlit_folium import st_folium

from geo.i18n import format_number
from geo.maps.build import base_map
from geo.participation.maplayers import category_colours, contributions_group, extent_group
from geo.participation.rounds import category_counts, contributions_frame, most_supported
from webui.common import basemap_select, get_store, lang, md, tr
from webui.forum import FORUM_CSS
from webui.participation import (
    LIVE_CSS,
    context_groups,
    current_round,
    local_only,
    on_screen,
    participate_link,
    qr_png,
    question_html,
    status_text,
)

REFRESH_S = 2
TOP_N = 5

st.markdown(FORUM_CSS + LIVE_CSS, unsafe_allow_html=True)
rnd = current_round()
if rnd is None:
    st.stop()
st.html(question_html(rnd))


def _base():
    """A fresh map per run: st_folium adds the feature groups to the map object it is given,
    so a reused map (or reused groups) would change its script and the map would be re-mounted."""
    m = base_map(chosen_basemap, lang=lang(), presentation=True)
    m.fit_bounds([[rnd.bbox[1], rnd.bbox[0]], [rnd.bbox[3], rnd.bbox[2]]])
    return m


def _counts_html(frame, colours: dict[str, str]) -> str:
    rows = "".join(
        f'<tr><td><span class="part-dot" style="background:{colours.get(r.category, "#999")}"></span>'
        f'{html.escape(r.category)}</td><td class="n">{format_number(r.count, lang())}</td></tr>'
        for r in category_counts(frame, rnd.categories).itertuples()
    )
    return f'<table class="part-table" aria-label="{html.escape(tr("ui.part.per_category"))}">{rows}</table>'


def _top_html(frame) -> str:
    top = most_supported(frame[frame["support"] > 0], TOP_N)
    if top.empty:
        return f"<p>{html.escape(tr('ui.part.no_support_yet'))}</p>"
    rows = "".join(
        f'<tr><td class="n">+{format_number(r.support, lang())}</td><td>{html.escape(r.text)}</td></tr>'
        for r in top.itertuples()
    )
    return f'<table class="part-table">{rows}</table>'


@st.fragment(run_every=REFRESH_S)
def live() -> None:
    """One fragment for map and panel (two auto-refreshing fragments re-mount the map)."""
    items = get_store().list_contributions(rnd.id)
    frame = contributions_frame(items)
    map_col, side_col = st.columns([3, 1.1])
    with map_col:
        st_folium(
            _base(),
            key="part_live_map",
            height=680,
            use_container_width=True,
            returned_objects=[],
            feature_group_to_add=[
                *context_groups(rnd, lang()),
                extent_group(rnd, lang()),
                contributions_group(items, rnd.categories, lang(), presentation=True),
            ],
        )
    with side_col:
        st.html(
            f'<p class="part-total">{html.escape(tr("ui.part.total", n=len(frame)))}</p>'
            + _counts_html(frame, category_colours(rnd.categories))
            + f'<p class="part-total">{html.escape(tr("ui.part.top"))}</p>'
            + _top_html(frame)
        )
        join_panel()
        st.caption(status_text(rnd))


def join_panel() -> None:
    """QR code and link; for a round with join code only on the projector (screen key in the
    link), with the current code in big type and inside the QR code."""
    code = ""
    if rnd.join_code:
        if not screen_ok:
            st.caption(tr("ui.part.code_hidden"))
            return
        code = get_store().join_code(rnd.id).code
        st.html(f'<p class="part-code">{html.escape(tr("ui.part.code_on_screen", code=code))}</p>')
    link = participate_link(rnd, code)
    st.image(qr_png(link), width=230, alt=tr("ui.part.qr_alt"))
    st.markdown(tr("ui.part.qr_hint", link=link))
    if local_only(link):
        st.caption(md(tr("ui.part.local_link")))  # an example address: no link


chosen_basemap = basemap_select()  # outside the fragment: it may not write to the sidebar
screen_ok = rnd.join_code and on_screen(rnd)
live()
