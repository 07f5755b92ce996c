"""Ebenen verwalten: layer list, metadata and style, versions, trash, audit log, sign-in attempts."""

from __future__ import annotations

import streamlit as st

from geo.audit import audit_csv, audit_frame, layers_frame, logins_frame
from webui import manage_forms
from webui.auth import require_planner
from webui.common import get_store, lang, tr

st.title(tr("ui.manage.title"))
user = require_planner()
store = get_store()
manage_forms.show_flash()

layers = store.list_layers()
if layers:
    st.dataframe(layers_frame(layers, lang()), hide_index=True, use_container_width=True)
    by_id = {i.id: i for i in layers}
    chosen = st.selectbox(
        tr("ui.manage.select"),
        list(by_id),
        format_func=lambda i: f"{by_id[i].title} ({i})",
        key="manage_layer",
    )
    info = by_id[chosen]
    meta_tab, versions_tab, delete_tab = st.tabs(
        [tr("ui.manage.tab_meta"), tr("ui.manage.tab_versions"), tr("ui.manage.tab_delete")]
    )
    with meta_tab:
        manage_forms.metadata_form(store, info, user)
    with versions_tab:
        manage_forms.versions(store, info, user)
    with delete_tab:
        manage_forms.delete(store, info, user)
else:
    st.info(tr("ui.manage.no_layers"))

st.subheader(tr("ui.manage.trash"))
manage_forms.trash(store, user)

st.subheader(tr("ui.manage.audit"))
entries = store.audit_log()
st.dataframe(audit_frame(entries, lang()), hide_index=True, use_container_width=True)
st.download_button(
    tr("ui.manage.audit_download"),
    data=audit_csv(entries, lang()),
    file_name="aenderungsprotokoll.csv",
    mime="text/csv",
    icon=":material/download:",
    key="audit_csv",
)

st.subheader(tr("ui.manage.logins"))
st.caption(tr("ui.manage.logins_help"))
st.dataframe(logins_frame(store.login_events(limit=500), lang()), hide_index=True, use_container_width=True)
