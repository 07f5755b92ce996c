"""Planner forms of participation rounds: open a round, close it, moderate, evaluate, export."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import clock
from geo.clock import LOCAL_TZ
from geo.errors import GeoError
from geo.exports import MEDIA_TYPES, export_layer
from geo.i18n import format_number
from geo.maps.build import base_map, initial_view
from geo.participation.maplayers import extent_group, grid_group
from geo.participation.rounds import (
    DEFAULT_ADDRESS_LIMIT,
    DEFAULT_BURST_LIMIT,
    DEFAULT_CAP,
    DEFAULT_RATE_LIMIT,
    DEFAULT_RATE_WINDOW_MIN,
    HELD,
    MAX_TEXT,
    MAX_TEXT_LIMIT,
    Round,
    category_counts,
    contributions_frame,
    density_grid,
    export_frame,
    municipality_counts,
    new_round,
)
from geo.store import KINDS, LayerStore
from webui.auth import planner_action
from webui.common import basemap_select, error_md, get_store, lang, md, read_layer, tr, tr_md
from webui.participation import (
    context_groups,
    local_only,
    participate_link,
    projector_link,
    qr_png,
    status_text,
)

MODERATION_LIMIT = 200
COUNT_COLUMNS = ("category", "count", "support", "key", "name", "total")  # of the evaluation tables


def flash(kind: str, text: str) -> None:
    st.session_state["part_admin_flash"] = (kind, text)


def show_flash() -> None:
    item = st.session_state.pop("part_admin_flash", None)
    if item:
        (st.success if item[0] == "success" else st.error)(item[1])


def _extent_choices(store: LayerStore) -> dict[str, tuple[float, float, float, float]]:
    """Layer title → lon/lat bbox, municipality layers first."""
    layers = sorted(store.list_layers(), key=lambda i: (i.kind != "municipalities", i.title))
    return {f"{info.title} ({info.id})": tuple(info.bbox) for info in layers if info.feature_count}


def _local(day, clock) -> datetime:
    return datetime.combine(day, clock).replace(tzinfo=LOCAL_TZ)


def new_round_form(user: str) -> None:
    """Question, categories, area (a layer's extent or typed), period and limits."""
    store = get_store()
    choices = _extent_choices(store)
    now = clock.local_now().replace(second=0, microsecond=0)
    with st.form("part_new_round", border=True):
        question = st.text_input(tr("ui.part.question"), placeholder=tr("ui.part.question_example"))
        categories = st.text_area(
            tr("ui.part.categories"),
            value=tr("ui.part.default_categories"),
            help=tr("ui.part.categories_help"),
        )
        manual = tr("ui.part.extent_manual")
        source = st.selectbox(tr("ui.part.extent_from"), [*choices, manual])
        c = st.columns(4)
        typed = (
            c[0].number_input(tr("ui.part.west"), value=11.0, format="%.4f"),
            c[1].number_input(tr("ui.part.south"), value=51.5, format="%.4f"),
            c[2].number_input(tr("ui.part.east"), value=12.2, format="%.4f"),
            c[3].number_input(tr("ui.part.north"), value=52.1, format="%.4f"),
        )
        c = st.columns(4)
        start_day = c[0].date_input(tr("ui.part.start_day"), value=now.date(), format="DD.MM.YYYY")
        start_time = c[1].time_input(tr("ui.part.start_time"), value=now.time())
        end_day = c[2].date_input(
            tr("ui.part.end_day"), value=(now + timedelta(hours=3)).date(), format="DD.MM.YYYY"
        )
        end_time = c[3].time_input(tr("ui.part.end_time"), value=(now + timedelta(hours=3)).time())
        c = st.columns(4)
        limits = {
            "max_text": c[0].number_input(tr("ui.part.max_text"), 20, MAX_TEXT_LIMIT, MAX_TEXT, step=20),
            "rate_limit": c[1].number_input(tr("ui.part.rate_limit"), 1, 1000, DEFAULT_RATE_LIMIT),
            "rate_window_min": c[2].number_input(tr("ui.part.rate_window"), 1, 1440, DEFAULT_RATE_WINDOW_MIN),
            "cap": c[3].number_input(tr("ui.part.cap"), 1, 100_000, DEFAULT_CAP, step=100),
        }
        c = st.columns(4)
        limits["address_limit"] = c[0].number_input(
            tr("ui.part.address_limit"), 1, 10_000, DEFAULT_ADDRESS_LIMIT
        )
        limits["burst_limit"] = c[1].number_input(tr("ui.part.burst_limit"), 1, 10_000, DEFAULT_BURST_LIMIT)
        join = c[2].checkbox(tr("ui.part.join_code_option"), help=tr("ui.part.join_code_help"))
        submitted = st.form_submit_button(tr("ui.part.create"), type="primary")
    if not submitted:
        return
    bbox = typed if source == manual else choices[source]
    try:
        rnd = new_round(
            question,
            categories.splitlines(),
            bbox,
            _local(start_day, start_time),
            _local(end_day, end_time),
            join_code=join,
            **{k: int(v) for k, v in limits.items()},
        )
        rnd = store.create_round(rnd, author=user)
    except GeoError as err:
        st.error(error_md(err))
        return
    flash("success", tr_md("ui.part.created", question=rnd.question, id=rnd.id))
    st.session_state["part_admin_round"] = rnd.id
    st.rerun()


def overview(rnd: Round, user: str) -> None:
    """Status, the two links with the phone QR code, and the button that ends the round."""
    items = get_store().list_contributions(rnd.id, include_hidden=True)
    st.text(status_text(rnd))
    c = st.columns(3)
    lg = lang()
    c[0].metric(tr("ui.part.total_label"), format_number(sum(1 for i in items if i.visible), lg))
    c[1].metric(tr("ui.part.moderated"), format_number(sum(1 for i in items if not i.visible), lg))
    c[2].metric(tr("ui.part.support_total"), format_number(sum(i.support for i in items if i.visible), lg))
    link = participate_link(rnd)
    st.markdown(tr("ui.part.links", link=link, live=projector_link(rnd)))
    if rnd.join_code:
        st.markdown(
            tr("ui.part.screen_link", screen=projector_link(rnd, get_store().join_code(rnd.id).screen_key))
        )
    st.image(qr_png(link, scale=4), width=180, alt=tr("ui.part.qr_alt"))
    if local_only(link):
        st.caption(md(tr("ui.part.local_link")))  # an example address: no link
    running = rnd.status() in ("open", "planned")
    if running and st.button(tr("ui.part.close"), key="part_close", icon=":material/stop_circle:"):
        get_store().close_round(rnd.id, author=user)
        flash("success", tr("ui.part.closed_done"))
        st.rerun()


def reason_text(item) -> str:
    """A moderation reason as planners read it (held-back contributions in their language)."""
    return tr("ui.part.held_reason") if item.reason == HELD else item.reason


@planner_action
def _moderate(contribution_id: int, action: str, user: str) -> None:
    reason = st.session_state.get(f"part_reason_{contribution_id}", "")
    get_store().moderate(contribution_id, action, author=user, reason=reason)
    flash("success", tr(f"ui.part.moderated_{action}", id=contribution_id))


def moderation(rnd: Round, user: str) -> None:
    """Newest first; hide, show again or delete (kept and logged, never physically removed)."""
    items = get_store().list_contributions(rnd.id, include_hidden=True)
    st.caption(tr("ui.part.moderation_help"))
    if not items:
        st.info(tr("ui.part.none_yet"))
    for item in sorted(items, key=lambda c: c.id, reverse=True)[:MODERATION_LIMIT]:
        with st.container(border=True, key=f"part_mod_{item.id}"):
            st.caption(
                tr_md(
                    f"ui.part.mod_line_{item.state()}",
                    id=item.id,
                    category=item.category,
                    support=item.support,
                )
                + (f" · {md(reason_text(item))}" if item.reason else "")
            )
            st.text(item.text)
            if item.deleted:
                continue
            c = st.columns([3, 1, 1])
            c[0].text_input(
                tr("ui.part.reason"),
                key=f"part_reason_{item.id}",
                label_visibility="collapsed",
                placeholder=tr("ui.part.reason"),
            )
            action = "unhide" if item.hidden else "hide"
            c[1].button(
                tr(f"ui.part.{action}"),
                key=f"part_{action}_{item.id}",
                on_click=_moderate,
                args=(item.id, action, user),
            )
            c[2].button(
                tr("ui.part.delete"),
                key=f"part_delete_{item.id}",
                on_click=_moderate,
                args=(item.id, "delete", user),
            )


def _labelled(table: pd.DataFrame) -> pd.DataFrame:
    """German/English column headers for tables of counts (category names stay as written)."""
    names = {col: tr(f"ui.part.col_{col}") for col in COUNT_COLUMNS}
    return table.rename(columns=names)


def _per_municipality(frame, rnd: Round) -> None:
    munis = next((i for i in get_store().list_layers() if i.kind == "municipalities"), None)
    st.subheader(tr("ui.part.per_municipality"))
    if munis is None:
        st.info(tr("ana.no_municipalities"))
        return
    try:
        table = municipality_counts(frame, read_layer(munis), munis.roles, rnd.categories)
    except GeoError as err:
        st.error(error_md(err))
        return
    st.caption(tr_md("ui.part.outside_munis", n=len(frame) - int(table["total"].sum()), layer=munis.title))
    st.dataframe(_labelled(table), hide_index=True, use_container_width=True)
    top = table[table["total"] > 0].head(15)
    if len(top):
        st.bar_chart(top.set_index("name")[list(rnd.categories)], horizontal=True, stack=True)


def evaluation(rnd: Round, user: str) -> None:
    """Per category, per municipality, density grid, the list, exports, and "turn into a layer"."""
    items = get_store().list_contributions(rnd.id, include_hidden=True)
    everything = contributions_frame(items)
    frame = everything[everything["status"] == "sichtbar"]
    st.subheader(tr("ui.part.per_category"))
    counts = category_counts(frame, rnd.categories)
    st.dataframe(_labelled(counts), hide_index=True, use_container_width=True)
    st.bar_chart(
        counts.set_index("category")[["count"]].rename(columns={"count": tr("ui.part.col_count")}),
        horizontal=True,
    )
    _per_municipality(frame, rnd)
    st.subheader(tr("ui.part.heatmap"))
    grid = density_grid(frame, rnd.bbox)
    if len(grid):
        st.caption(tr("ui.part.heatmap_help", cell=int(grid["cell_m"].iloc[0])))
    center, zoom = initial_view([rnd.bbox])  # not fit_bounds: a hidden tab has no size yet
    m = base_map(basemap_select(), center, zoom, lang())
    st_folium(
        m,
        key="part_heat",
        height=480,
        use_container_width=True,
        returned_objects=[],
        feature_group_to_add=[
            *context_groups(rnd, lang()),
            extent_group(rnd, lang()),
            grid_group(grid, lang()),
        ],
    )
    st.subheader(tr("ui.part.list"))
    table = export_frame(everything, include_moderated=True)
    st.dataframe(pd.DataFrame(table.drop(columns="geometry")), hide_index=True, use_container_width=True)
    exported = export_frame(everything)
    c = st.columns(2)
    for col, fmt in zip(c, ("gpkg", "csv"), strict=True):
        col.download_button(
            tr("ui.download", fmt=fmt.upper()),
            data=export_layer(exported, fmt, "beteiligung"),  # bytes: deferred downloads got lost
            file_name=f"beteiligung-{rnd.id}.{fmt}",
            mime=MEDIA_TYPES[fmt],
            key=f"part_dl_{fmt}",
        )
    _to_layer(rnd, user)


def _to_layer(rnd: Round, user: str) -> None:
    st.subheader(tr("ui.part.to_layer"))
    if rnd.layer_id:
        st.caption(tr("ui.part.layer_done", layer=rnd.layer_id))
    if rnd.status() in ("open", "planned"):
        st.caption(tr("ui.part.to_layer_later"))
        return
    with st.form("part_to_layer", border=False):
        title = st.text_input(tr("ui.part.layer_title"), value=rnd.question[:80])
        kind = st.selectbox(tr("ui.part.layer_kind"), KINDS, index=KINDS.index("other"))
        if not st.form_submit_button(tr("ui.part.to_layer_button")):
            return
    try:
        info = get_store().round_to_layer(rnd.id, title=title, kind=kind, author=user)
    except GeoError as err:
        st.error(error_md(err))
        return
    flash("success", tr_md("ui.part.layer_created", title=info.title, n=info.feature_count))
    st.rerun()
