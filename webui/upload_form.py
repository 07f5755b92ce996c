"""Widgets of the upload page: reading options, the import report, the preview, the save form.

Reading a file is the slow step, so results are kept in the session per file and options;
the page reruns on every widget change without reading the file again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.config import Settings
from geo.errors import GeoError
from geo.i18n import format_number
from geo.imports.formats import ImportedLayer, ImportReport, list_source_layers
from geo.imports.save import ACTIONS, SaveRequest, preview_info
from geo.imports.services import list_service_layers, read_service
from geo.imports.type_map import category_values, guess_types
from geo.maps.build import MapLayer, build_map, initial_view
from geo.maps.categories import MOBILITY_TYPES
from geo.maps.display import display_frame
from geo.store import KINDS, ROLES, LayerInfo
from webui.common import basemap_select, lang, md, tr, tr_md

PREVIEW_ROWS = 20
_FORM_WIDGETS = ("upload_layer", "upload_crs", "upload_x", "upload_y", "upload_role_", "upload_kind",
                 "upload_action", "upload_target", "upload_swap", "upload_type")  # fmt: skip
SWAP_WIDGET = "upload_swap"


def session_memo(key: tuple, compute: Callable[[], object]) -> object:
    """`compute()` once per `key` in this session; a new file (``key[0]``) drops the old one's
    results and resets the form's widgets, so no choice made for one file sticks to the next."""
    cache = st.session_state.setdefault("upload_cache", {})
    if key not in cache:
        if not any(k[0] == key[0] for k in cache):
            for widget in [w for w in st.session_state if str(w).startswith(_FORM_WIDGETS)]:
                del st.session_state[widget]
        value = compute()
        for old in [k for k in cache if k[0] != key[0]]:
            del cache[old]
        cache[key] = value
    return cache[key]


def reading_options(
    file_key: tuple, name: str, data: Callable[[], bytes], settings: Settings
) -> tuple[str | None, str, str, str]:
    """Layer (multi-layer files), CRS, and for CSV the coordinate columns."""
    is_csv = Path(name).suffix.lower() == ".csv"
    layers = session_memo(
        (file_key, "layers"), lambda: [] if is_csv else list_source_layers(name, data(), settings=settings)
    )
    layer = layer_choice(layers)
    cols = st.columns(3)
    crs = cols[0].text_input(tr("ui.upload.crs"), help=tr("ui.upload.crs_help"), key="upload_crs").strip()
    x = cols[1].text_input(tr("ui.upload.x"), key="upload_x").strip() if is_csv else ""
    y = cols[2].text_input(tr("ui.upload.y"), key="upload_y").strip() if is_csv else ""
    return layer, crs, x, y


def swapped() -> bool:
    """Whether the planner asked to read the CSV's x as y (`swap_offer`'s checkbox)."""
    return bool(st.session_state.get(SWAP_WIDGET))


def swap_offer(report: ImportReport) -> None:
    """The checkbox that re-reads the file with x and y exchanged: shown when the import found
    the points far from Germany but inside it once swapped, and while the swap is on."""
    if report.swap_offered or swapped():
        st.checkbox(tr("ui.upload.swap_xy"), help=tr("ui.upload.swap_xy_help"), key=SWAP_WIDGET)


def read_once(key: tuple, name: str, read: Callable[[], list[ImportedLayer]]) -> ImportedLayer:
    """The imported layer for `key`, read under a status box the first time."""
    cache = st.session_state.get("upload_cache", {})
    if key not in cache:
        with st.status(tr_md("ui.upload.reading", name=name), expanded=False) as status:
            try:
                imported = session_memo(key, read)
            except GeoError:
                status.update(label=tr_md("ui.upload.read_failed", name=name), state="error")
                raise
            count = sum(len(item.gdf) for item in imported)
            status.update(label=tr_md("ui.upload.read_done", name=name, n=count), state="complete")
    return session_memo(key, read)[0]


def layer_choice(layers: list[dict], label: str = "ui.upload.layer") -> str | None:
    """The layer to import when the file (or service) holds several spatial ones (None: the only one)."""
    spatial = {entry["name"]: entry for entry in layers if entry["spatial"]}
    if len(spatial) < 2:
        return None

    def option(name: str) -> str:
        entry = spatial[name]
        if entry["features"] is None:  # a service: counting would mean reading every feature
            return tr("ui.upload.service_layer_option", name=name, geometry=entry["geometry_type"])
        geometry, count = entry["geometry_type"], entry["features"]
        return tr("ui.upload.layer_option", name=name, geometry=geometry, n=count)

    return st.selectbox(tr(label), list(spatial), format_func=option, key="upload_layer")


def service_source() -> tuple[str, tuple, ImportedLayer]:
    """A WFS or OGC API address, its layer, and that layer read like a file (stops while empty)."""
    url = st.text_input(
        tr("ui.upload.service_url"), help=tr("ui.upload.service_url_help"), key="upload_url", max_chars=2000
    ).strip()
    if not url:
        st.stop()
    source_key = ("service", url)
    layers = session_memo((source_key, "layers"), lambda: list_service_layers(url))
    layer = layer_choice(layers, "ui.upload.service_layer")
    key = (source_key, layer)
    return url, key, read_once(key, url, lambda: read_service(url, layer=layer))


def report_view(report: ImportReport) -> None:
    """Counts, drops with reasons, CRS and warnings, in the page language."""
    st.subheader(tr("ui.upload.report"))
    figures = {
        "report.read": report.features_read,
        "report.stored": report.features_stored,
        "report.repaired": report.repaired,
        "report.dropped": sum(report.dropped.values()),
    }
    for col, (key, value) in zip(st.columns(4), figures.items(), strict=True):
        col.metric(tr(key), format_number(value, lang()))
    st.text(f"{tr('report.crs')}: {report.source_crs or '–'}")
    drops = report.dropped_texts(lang())
    st.text("\n".join(f"• {text}" for text in drops) if drops else tr("ui.upload.dropped_none"))
    for text in report.warning_texts(lang()):
        st.warning(text, icon=":material/info:")


def preview(item: ImportedLayer, key: tuple) -> None:
    """A map of the new data and its first rows (values shown as text, never as HTML)."""
    st.subheader(tr("ui.upload.preview"))
    suggestion = item.suggestion
    info = preview_info(item, suggestion["title"], suggestion["kind"], suggestion["roles"])
    frame = session_memo((*key, "display"), lambda: display_frame(item.gdf, info))
    center, zoom = initial_view([info.bbox])  # fitted for a 600 px map; this one is smaller
    st_folium(
        build_map([MapLayer(info, frame)], basemap_select(), center, max(3, zoom - 1), lang=lang()),
        key="preview_map",
        height=420,
        use_container_width=True,
        returned_objects=[],
    )
    head = pd.DataFrame(item.gdf.drop(columns=item.gdf.geometry.name).head(PREVIEW_ROWS))
    st.caption(tr("ui.upload.rows", shown=len(head), n=len(item.gdf)))
    st.dataframe(head, hide_index=True, use_container_width=True)


def _role_pickers(item: ImportedLayer) -> dict[str, str]:
    columns = ["", *[c for c in item.gdf.columns if c != item.gdf.geometry.name]]
    guessed = item.suggestion["roles"]
    st.markdown(f"**{tr('ui.upload.roles')}**")
    cols = st.columns(3)
    return {
        role: cols[i % 3].selectbox(
            tr(f"role.{role}"),
            columns,
            index=columns.index(guessed[role]) if guessed.get(role) in columns else 0,
            format_func=lambda c: c or tr("ui.upload.role_none"),
            key=f"upload_role_{role}",
        )
        for i, role in enumerate(ROLES)
    }


def type_mapping(item: ImportedLayer) -> tuple[str, dict[str, str]]:
    """(column, {value: mobility type}): the planner maps the layer's own categories onto the
    district's mobility types, so the indicators count them (`geo.imports.type_map`)."""
    geometry = item.gdf.geometry.name
    columns = [c for c in item.gdf.columns if c != geometry and category_values(item.gdf, c)]
    if not columns:
        return "", {}
    guessed = item.suggestion["roles"].get("category")
    with st.expander(tr("ui.upload.types"), expanded=item.suggestion["kind"] == "mobility"):
        column = st.selectbox(
            tr("ui.upload.type_column"),
            columns,
            index=columns.index(guessed) if guessed in columns else 0,
            key="upload_type_column",
        )
        values = category_values(item.gdf, column) or []
        guesses = guess_types(values, item.name)
        options = ("", *MOBILITY_TYPES)
        cols = st.columns(3)
        types = {
            value: cols[i % 3].selectbox(
                md(value),
                options,
                index=options.index(guesses[value]),
                format_func=lambda k: tr(f"cat.{k}") if k else tr("ui.upload.type_none"),
                key=f"upload_type_{column}_{i}",
            )
            for i, value in enumerate(values)
        }
    return column, types


def save_form(item: ImportedLayer, layers: list[LayerInfo]) -> SaveRequest | None:
    """The action, then its fields; a `SaveRequest` once the planner presses "Speichern"."""
    options = ACTIONS if layers else ("new",)
    action = st.radio(
        tr("ui.upload.action"),
        options,
        format_func=lambda a: tr(f"ui.upload.action_{a}"),
        key="upload_action",
    )
    column, types = type_mapping(item) if action == "new" else ("", {})
    with st.form("upload_save"):
        if action == "new":
            title = st.text_input(tr("ui.upload.layer_title"), value=item.suggestion["title"], max_chars=200)
            kind = st.selectbox(
                tr("ui.upload.kind"),
                KINDS,
                index=KINDS.index(item.suggestion["kind"]),
                format_func=lambda k: tr(f"kind.{k}"),
                key="upload_kind",
            )
            attribution = st.text_input(
                tr("ui.upload.attribution"),
                value=item.suggestion["attribution"],
                help=tr("ui.upload.attribution_help"),
                max_chars=500,
            )
            request = SaveRequest("new", "", title, kind, attribution, _role_pickers(item), column, types)
        else:
            by_id = {i.id: i for i in layers}
            target = st.selectbox(
                tr("ui.upload.target"),
                list(by_id),
                format_func=lambda i: (
                    f"{by_id[i].title} ({i}, v{by_id[i].version}, {by_id[i].feature_count})"
                ),
                key="upload_target",
            )
            st.caption(tr("ui.upload.keep_meta"))
            request = SaveRequest(action, target or "")
        submitted = st.form_submit_button(tr("ui.upload.save"), type="primary")
    return request if submitted else None
