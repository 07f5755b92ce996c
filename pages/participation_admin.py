"""Beteiligung (planners): open and close rounds, moderate contributions, evaluate and export."""

from __future__ import annotations

import streamlit as st

from webui import participation_admin as forms
from webui.auth import require_planner
from webui.common import get_store, tr

st.title(tr("ui.part.admin_title"))
user = require_planner()
forms.show_flash()
rounds = get_store().list_rounds()
with st.expander(tr("ui.part.new_round"), expanded=not rounds, icon=":material/add_location_alt:"):
    forms.new_round_form(user)
if not rounds:
    st.info(tr("ui.part.no_rounds"))
    st.stop()

by_id = {r.id: r for r in rounds}
if st.session_state.get("part_admin_round") not in by_id:
    st.session_state["part_admin_round"] = rounds[0].id
chosen = st.selectbox(
    tr("ui.part.select_round"),
    list(by_id),
    format_func=lambda i: f"{by_id[i].question} ({tr('ui.part.state_' + by_id[i].status())}, {i})",
    key="part_admin_round",
)
rnd = by_id[chosen]
overview_tab, moderation_tab, evaluation_tab = st.tabs(
    [tr("ui.part.tab_overview"), tr("ui.part.tab_moderation"), tr("ui.part.tab_evaluation")]
)
with overview_tab:
    forms.overview(rnd, user)
with moderation_tab:
    forms.moderation(rnd, user)
with evaluation_tab:
    forms.evaluation(rnd, user)
