"""Municipality profile: one municipality's figures, offers and distances beside the district's."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.analysis.choropleth import format_indicator, symbols_legend_html
from geo.analysis.indicators import district_summary, indicator_label, nearest_offer, profile
from geo.analysis.offers import inside, municipality_bounds
from geo.analysis.profile_map import profile_layers
from geo.maps.categories import category_label
from webui import analysis
from webui.common import lang, md, tr

lg = lang()


def average(column: str, value: float) -> str:
    """Averages of counts get a decimal (0,3 coworking spaces per municipality)."""
    return format_indicator(column, value, lg, min_digits=1 if column.endswith("_count") else 0)


st.title(tr("ana.profile_title"))
inp = analysis.inputs()
table = analysis.indicator_table(inp)
offers = analysis.offers(inp)
summary = district_summary(table)
key = analysis.municipality_picker(table)
prof = profile(table, key, summary)
analysis.empty_state_notes(inp, offers)

st.header(prof["name"] or key)
st.subheader(tr("ana.basics"))
cols = st.columns(3)
for col, column in zip(cols, ("population", "area_km2", "density"), strict=True):
    analysis.compare_metric(column, indicator_label(column, lg), prof[column], summary[column], col)
if pd.isna(prof["population"]):
    st.caption(tr("ana.no_population_here"))

# --- offers inside the municipality ---------------------------------------------------------
st.subheader(tr("ana.offers_heading"))
counts = prof["counts"]
if len(counts):
    cols = [c for _ in range(0, len(counts), 3) for c in st.columns(3)]
    for col, kind in zip(cols, counts.index, strict=False):
        column = f"{kind}_count"
        label = analysis.offer_kind_label(kind) + (f" ({tr('ana.upcoming')})" if kind == "events" else "")
        analysis.compare_metric(column, label, counts.loc[kind, "value"], summary[column], col)
by_type = analysis.mobility_by_type(inp, key)
if by_type is not None and len(by_type):
    with st.expander(tr("ana.mobility_by_type"), expanded=True):
        shown = pd.DataFrame(
            {
                tr("ui.type"): [category_label(c, lg) for c in by_type.index],
                prof["name"] or key: by_type["value"].astype(int),
                tr("ana.col_mean"): [format_indicator("mean", v, lg) for v in by_type["mean"]],
            }
        )
        st.dataframe(shown, hide_index=True, width="content")

# --- nearest coworking space and station ----------------------------------------------------
st.subheader(tr("ana.nearest_heading"))
nearest = {}
for kind in ("coworking", "station"):
    hit = nearest_offer(table, key, offers[kind], "name") if kind in offers else None
    nearest[kind] = hit
    if hit is None:
        st.markdown("- " + tr("ana.nearest_none", kind=analysis.offer_kind_label(kind)))
        continue
    name = hit["name"] or tr("ana.unnamed")
    km = format_indicator("nearest_km", hit["distance_km"], lg)
    st.markdown("- " + tr("ana.nearest", kind=analysis.offer_kind_label(kind), name=md(name), km=km))
st.caption(tr("ana.note_centre") + " " + tr("ana.note_straight_line", crs=table.crs.to_string()))

# --- map and chart ---------------------------------------------------------------------------
map_col, chart_col = st.columns([3, 2])
with map_col:
    st.subheader(tr("ana.map_heading"))
    groups, entries = profile_layers(table, key, offers, nearest, lg)
    analysis.show_map(inp, groups, "profile_map", 440, bounds=municipality_bounds(table, key))
    analysis.legend(symbols_legend_html(entries))
with chart_col:
    st.subheader(tr("ana.chart_counts"))
    if len(counts):
        chart = pd.DataFrame(
            {
                tr("ana.col_offer"): [analysis.offer_kind_label(k) for k in counts.index],
                tr("ana.col_this"): counts["value"].to_numpy(),
                tr("ana.col_mean"): counts["mean"].round(2).to_numpy(),
            }
        )
        st.bar_chart(
            chart,
            x=tr("ana.col_offer"),
            y=[tr("ana.col_this"), tr("ana.col_mean")],
            stack=False,
            horizontal=True,
            color=["#0072B2", "#E69F00"],
            x_label="",
            y_label=tr("ana.count_axis"),
            sort=False,
            alt=tr("ana.chart_alt", name=prof["name"] or key),
        )
    else:
        st.info(tr("ana.no_offers"))

# --- upcoming events and the full comparison ---------------------------------------------------
if "events" in offers:
    st.subheader(tr("ana.upcoming_events"))
    events = inside(table, key, offers["events"]).sort_values("start")
    if events.empty:
        st.caption(tr("ana.no_upcoming"))
    for row in events.itertuples():
        when = row.start.strftime("%d.%m.%Y %H:%M") if pd.notna(row.start) else "–"
        st.markdown(f"- **{when}** – {md(row.name if pd.notna(row.name) else tr('ana.unnamed'))}")

st.subheader(tr("ana.comparison"))
cmp = prof["comparison"]
st.dataframe(
    pd.DataFrame(
        {
            tr("ana.indicator"): [indicator_label(c, lg) for c in cmp.index],
            prof["name"] or key: [format_indicator(c, v, lg) for c, v in cmp["value"].items()],
            tr("ana.col_mean"): [average(c, v) for c, v in cmp["mean"].items()],
            tr("ana.col_median"): [average(c, v) for c, v in cmp["median"].items()],
        }
    ),
    hide_index=True,
    width="stretch",
)
