"""Daten hochladen: read a planner's file, preview it with its report, then store it."""

from __future__ import annotations

import streamlit as st

from geo.config import load_settings
from geo.errors import GeoError, TooLargeError
from geo.imports.formats import read_upload
from geo.imports.save import save_import
from geo.maps.layer_caches import cut_tiles
from webui import upload_form
from webui.auth import require_planner
from webui.common import error_md, get_store, tr

TYPES = ["gpkg", "geojson", "json", "zip", "kml", "csv"]

st.title(tr("ui.upload.title"))
user = require_planner()
settings = load_settings()

flash = st.session_state.pop("upload_flash", None)
if flash:
    st.success(flash, icon=":material/check_circle:")
    st.page_link("pages/map_view.py", label=tr("ui.upload.to_map"), icon=":material/map:")

nonce = st.session_state.setdefault("upload_nonce", 0)
source = st.radio(
    tr("ui.upload.source"),
    ("file", "service"),
    format_func=lambda s: tr(f"ui.upload.source_{s}"),
    horizontal=True,
    key="upload_source",
)
try:
    if source == "service":  # a WFS or OGC API layer, read and stored like a file
        name, key, item = upload_form.service_source()
    else:
        uploaded = st.file_uploader(
            tr("ui.upload.file", limit=settings.max_upload_mb),
            type=TYPES,
            key=f"upload_file_{nonce}",
            max_upload_size=settings.max_upload_mb,
        )
        if uploaded is None:
            st.session_state.pop("upload_cache", None)
            st.stop()
        name, file_key = uploaded.name, (uploaded.file_id, uploaded.name, uploaded.size)
        if uploaded.size > settings.max_upload_mb * 1024 * 1024:
            raise TooLargeError(
                "err.too_large",
                name=name,
                size_mb=round(uploaded.size / 1024 / 1024, 1),
                limit_mb=settings.max_upload_mb,
            )
        layer, crs, x, y = upload_form.reading_options(file_key, name, uploaded.getvalue, settings)
        swap = upload_form.swapped()
        key = (file_key, layer, crs, x, y, swap)
        item = upload_form.read_once(
            key,
            name,
            lambda: read_upload(
                name,
                uploaded.getvalue(),
                layer=layer,
                crs=crs or None,
                x=x or None,
                y=y or None,
                settings=settings,
                swap_xy=swap,
            ),
        )
except GeoError as err:
    st.error(error_md(err), icon=":material/error:")
    st.stop()

upload_form.report_view(item.report)
upload_form.swap_offer(item.report)
upload_form.preview(item, key)
st.divider()
request = upload_form.save_form(item, get_store().list_layers())
if request is not None:
    try:
        with st.spinner(tr("ui.upload.saving")):
            info = save_import(get_store(), item, request, author=user, source_file=name)
            cut_tiles(get_store(), info, settings.data)  # the map draws its tiles at once
    except GeoError as err:
        st.error(error_md(err), icon=":material/error:")
        st.stop()
    st.session_state["upload_flash"] = tr(
        "ui.upload.saved", title=info.title, layer_id=info.id, version=info.version, n=info.feature_count
    )
    st.session_state["upload_nonce"] = nonce + 1
    st.session_state.pop("upload_url", None)
    st.session_state.pop("upload_cache", None)
    st.rerun()
