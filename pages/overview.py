"""District overview: every municipality's indicators as a sortable table and a choropleth map."""

from __future__ import annotations

import streamlit as st

from geo.analysis.choropleth import classes_legend_html
from geo.analysis.classes import SCHEMES, classify
from geo.analysis.indicators import indicator_label
from geo.analysis.tables import (
    FORMAT_NAMES,
    MIME_TYPES,
    TABLE_FORMATS,
    default_indicator,
    export_table,
    mappable_columns,
)
from webui import analysis
from webui.common import from_label, lang, tr
from webui.lists import paged_table

lg = lang()
st.title(tr("ana.overview_title"))
inp = analysis.inputs()
table = analysis.indicator_table(inp)
analysis.empty_state_notes(inp, analysis.offers(inp))
columns = mappable_columns(table)

# --- choropleth ------------------------------------------------------------------------------
st.subheader(tr("ana.map_heading"))
pick_col, scheme_col, k_col = st.columns([2, 1, 1])
first = default_indicator(columns)
column = pick_col.selectbox(
    tr("ana.indicator"),
    columns,
    index=first,
    format_func=lambda c: indicator_label(c, lg),
    key="ov_indicator",
)
column = from_label(column, columns, indicator_label, columns[first])
scheme = scheme_col.selectbox(
    tr("ana.scheme"), SCHEMES, format_func=lambda s: tr(f"ana.scheme_{s}"), key="ov_scheme"
)
k = k_col.slider(tr("ana.classes"), 3, 7, 5, key="ov_k")
label = indicator_label(column, lg)
classes = classify(table[column].to_numpy(dtype=float), scheme, k, name=label, lang=lg)
map_col, legend_col = st.columns([3, 1])
with map_col:
    analysis.show_map(inp, [analysis.choropleth(inp, table, column, classes, label)], "overview_map", 520)
with legend_col:
    st.subheader(tr("ui.legend"))
    analysis.legend(classes_legend_html(classes, label, lg))
    st.caption(tr("ana.legend_help", scheme=tr(f"ana.scheme_{scheme}")))
    if classes.collapsed:
        st.caption(
            tr(
                f"ana.classes_{classes.collapsed}",
                shown=len(classes.bins),
                asked=k,
                distinct=classes.distinct,
            )
        )
st.caption(tr("ana.note_centre") + " " + tr("ana.note_straight_line", crs=table.crs.to_string()))
if table["population"].isna().any():
    st.caption(tr("ana.note_no_population_rates", n=int(table["population"].isna().sum())))

# --- table and downloads ----------------------------------------------------------------------
st.subheader(tr("ana.table_heading", n=len(table)))
shown, config = analysis.labelled_table(table)
paged_table(shown, "overview_table", config)
cols = st.columns(len(TABLE_FORMATS))
for col, fmt in zip(cols, TABLE_FORMATS, strict=True):
    col.download_button(
        tr("ana.download", fmt=FORMAT_NAMES[fmt]),
        data=export_table(table, fmt, lang=None if fmt == "gpkg" else lg),  # bytes: deferred ones got lost
        file_name=f"{tr('ana.file_stem')}.{fmt}",
        mime=MIME_TYPES[fmt],
        key=f"ov_dl_{fmt}",
    )
st.caption(tr("ana.download_help"))
