"""Widgets of the management page: metadata and style, versions, delete, trash.

Each action runs one store call in the signed-in planner's name; on success the page
reruns with a confirmation, on a `GeoError` the message is shown and nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from geo.audit import versions_frame
from geo.errors import GeoError
from geo.metadata import metadata_changes, shown_style
from geo.store import KINDS, ROLES, LayerInfo, LayerStore
from webui.common import error_md, lang, prune_map_cache, read_layer, tr, tr_md

SYMBOLS = ("circle", "square", "triangle", "diamond")
FLASH_KEY = "manage_flash"


def run_action(action: Callable[[], object], success: Callable[[object], str]) -> None:
    """Run a store change; remember the confirmation and rerun, or show the error."""
    try:
        result = action()
    except GeoError as err:
        st.error(error_md(err), icon=":material/error:")
        return
    st.session_state[FLASH_KEY] = success(result)
    st.rerun()


def show_flash() -> None:
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def _pick(label: str, options: list[str], current: str | None, key: str) -> str:
    return st.selectbox(
        label,
        options,
        index=options.index(current) if current in options else 0,
        format_func=lambda c: c or tr("ui.upload.role_none"),
        key=key,
    )


def _style_fields(info: LayerInfo, columns: list[str], k: str) -> dict[str, str]:
    """Colour, point symbol and the attribute that colours categories."""
    shown = shown_style(info)
    cols = st.columns(3)
    colour = cols[0].color_picker(tr("ui.manage.colour"), shown["colour"], key=f"{k}_colour")
    symbol = cols[1].selectbox(
        tr("ui.manage.symbol"),
        SYMBOLS,
        index=SYMBOLS.index(shown["symbol"]) if shown["symbol"] in SYMBOLS else 0,
        format_func=lambda s: tr(f"symbol.{s}"),
        key=f"{k}_symbol",
    )
    with cols[2]:
        category = _pick(tr("ui.manage.category"), columns, info.style.get("category"), f"{k}_category")
    return {"colour": colour, "symbol": symbol, "category": category}


def metadata_form(store: LayerStore, info: LayerInfo, user: str) -> None:
    """Title, kind, attribution, column roles and style; only changed fields are written."""
    gdf = read_layer(info)
    columns = ["", *[c for c in gdf.columns if c != gdf.geometry.name]]
    k = f"meta_{info.id}"
    with st.form(k):
        title = st.text_input(tr("ui.upload.layer_title"), value=info.title, max_chars=200, key=f"{k}_title")
        kind = st.selectbox(
            tr("ui.upload.kind"), KINDS, index=KINDS.index(info.kind), format_func=lambda v: tr(f"kind.{v}"),
            key=f"{k}_kind",
        )  # fmt: skip
        attribution = st.text_input(
            tr("ui.upload.attribution"), value=info.attribution, max_chars=500, key=f"{k}_attr"
        )
        st.markdown(f"**{tr('ui.upload.roles')}**")
        cols = st.columns(3)
        roles = {}
        for i, role in enumerate(ROLES):
            with cols[i % 3]:
                roles[role] = _pick(tr(f"role.{role}"), columns, info.roles.get(role), f"{k}_role_{role}")
        style = _style_fields(info, columns, k)
        submitted = st.form_submit_button(tr("ui.manage.save_meta"), type="primary")
    if submitted:
        run_action(
            lambda: store.update_metadata(
                info.id, author=user, **metadata_changes(info, title, kind, attribution, roles, style)
            ),
            lambda new: tr("ui.manage.meta_saved", layer_id=new.id),
        )


def versions(store: LayerStore, info: LayerInfo, user: str) -> None:
    """The version history, and restoring an earlier version as the newest."""
    history = store.history(info.id)
    st.dataframe(versions_frame(history, lang()), hide_index=True, use_container_width=True)
    older = [v.version for v in sorted(history, key=lambda v: -v.version) if v.version != info.version]
    if not older:
        return
    cols = st.columns([1, 2], vertical_alignment="bottom")
    chosen = cols[0].selectbox(tr("ui.manage.restore_pick"), older, key=f"restore_pick_{info.id}")
    if cols[1].button(tr("ui.manage.restore"), key=f"restore_{info.id}"):
        run_action(
            lambda: store.restore(info.id, chosen, author=user),
            lambda new: tr(
                "ui.manage.restored",
                old=chosen,
                layer_id=new.id,
                version=new.version,
                n=new.feature_count,
            ),
        )


def delete(store: LayerStore, info: LayerInfo, user: str) -> None:
    """Move to the trash, after a confirmation tick."""
    sure = st.checkbox(tr_md("ui.manage.delete_confirm", title=info.title), key=f"delete_sure_{info.id}")
    if st.button(tr("ui.manage.delete"), key=f"delete_{info.id}", disabled=not sure, type="primary"):
        run_action(
            lambda: (store.delete(info.id, author=user), prune_map_cache(store)),
            lambda _: tr("ui.manage.deleted", layer_id=info.id),
        )


def trash(store: LayerStore, user: str) -> None:
    """Deleted layers, each with a restore button."""
    deleted = [i for i in store.list_layers(include_deleted=True) if i.deleted]
    if not deleted:
        st.caption(tr("ui.manage.trash_empty"))
        return
    for info in deleted:
        cols = st.columns([4, 1], vertical_alignment="center")
        cols[0].text(f"{info.title} ({info.id}, v{info.version}, {info.feature_count})")
        if cols[1].button(tr("ui.manage.undelete"), key=f"undelete_{info.id}"):
            run_action(
                lambda i=info: store.undelete(i.id, author=user),
                lambda new: tr("ui.manage.undeleted", layer_id=new.id),
            )
