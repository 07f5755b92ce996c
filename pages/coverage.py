"""Coverage ("Erreichbarkeit"): area and people within a distance of an offer, white spots, what-if."""

from __future__ import annotations

import streamlit as st

from geo.analysis.choropleth import symbols_legend_html
from geo.analysis.indicators import kind_label
from geo.analysis.offers import COVERAGE_KINDS
from webui import analysis, coverage_view
from webui.common import from_label, lang, tr
from webui.lists import paged_table

lg = lang()
st.title(tr("ana.coverage_title"))
st.markdown(tr("ana.coverage_intro"))
inp = analysis.inputs()
found = analysis.offers(inp)
kinds = [k for k in COVERAGE_KINDS if k in found and len(found[k])]
analysis.empty_state_notes(inp, found)
if not kinds:
    st.stop()

pick_col, km_col = st.columns([3, 2])
kind = pick_col.radio(
    tr("ana.offer_kind"), kinds, format_func=analysis.offer_kind_label, horizontal=True, key="cov_kind"
)
kind = from_label(kind, kinds, kind_label, kinds[0])
km = coverage_view.distance_slider(km_col)
before = analysis.coverage_result(inp, kind, km * 1000)
planned = coverage_view.planned()
change = analysis.what_if_result(inp, kind, km * 1000, planned) if planned else None

# --- district figures: today and, with planned sites, after ----------------------------------
st.subheader(tr("ana.district_heading", kind=analysis.offer_kind_label(kind), km=coverage_view.km_text(km)))
today_box, plan_box = st.container(), st.container()  # fixed slots: the map below keeps its place
if change is None:
    coverage_view.coverage_metrics(today_box, before.district)
else:
    today_box.markdown(f"**{tr('ana.today')}**")
    coverage_view.coverage_metrics(today_box, before.district)
    plan_box.markdown(f"**{tr('ana.with_plan', n=len(planned))}**")
    coverage_view.coverage_metrics(plan_box, change.after.district, before.district)
notes = [tr("ana.note_straight_line", crs=before.district["crs"])]
if before.district["population"] is not None:
    notes.append(tr("ana.note_even_spread"))
if before.district["municipalities_without_population"]:
    notes.append(tr("ana.note_no_population", n=before.district["municipalities_without_population"]))
for note in notes:
    st.caption(note)

# --- white-spot map with planned sites ---------------------------------------------------------
st.subheader(tr("ana.white_map_heading"))
st.markdown(tr("ana.click_hint", kind=analysis.offer_kind_label(kind)))
map_col, side_col = st.columns([3, 1])
groups, entries = coverage_view.coverage_layers(inp, found[kind], kind, km, before, change, planned)
with map_col:
    state = analysis.show_map(inp, groups, "coverage_map", 540, clicks=True)
if coverage_view.take_click(state):
    st.rerun()
with side_col:
    st.subheader(tr("ui.legend"))
    analysis.legend(symbols_legend_html(entries))
    coverage_view.planned_controls(inp)

# --- per municipality ----------------------------------------------------------------------------
st.subheader(tr("ana.per_municipality"))
shown, config = coverage_view.coverage_table(before, change)
paged_table(shown, "coverage_table", config)
