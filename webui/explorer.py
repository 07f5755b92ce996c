"""Widgets of the map explorer: layer tree, filters, detail panel, table, share.

Each function reads the current `ViewState`, draws its widgets and returns what the user
chose; the page puts the pieces together and writes the new view back into the URL.
"""

from __future__ import annotations

import html
import io
from datetime import date

import geopandas as gpd
import numpy as np
import segno
import streamlit as st

from geo import clock
from geo.exports import MEDIA_TYPES
from geo.maps.build import MapLayer
from geo.maps.categories import category_label
from geo.maps.details import containing_municipality, feature_rows, readable_table
from geo.maps.display import category_column, name_column
from geo.maps.filters import Filters, filter_layer
from geo.maps.permalink import ViewState
from geo.store import KINDS, LayerInfo
from webui.common import (
    display_layer,
    export_bytes,
    lang,
    layer_geojson_text,
    layer_source,
    md,
    read_layer,
    tr,
    tr_md,
)
from webui.lists import choose_by_typing, paged_table


def layer_tree(layers: list[LayerInfo], view: ViewState) -> list[str]:
    """Checkboxes grouped by kind; returns the ids of the switched-on layers."""
    st.sidebar.subheader(tr("ui.layers"))
    visible = []
    for kind in KINDS:
        group = [info for info in layers if info.kind == kind]
        if not group:
            continue
        st.sidebar.markdown(f"**{tr('kind.' + kind)}**")
        for info in group:
            default = view.layers is None or info.id in view.layers
            # checkbox labels are Markdown
            label = f"{md(info.title)} ({tr('ui.features', n=info.feature_count)})"
            if st.sidebar.checkbox(label, value=default, key=f"layer_{info.id}"):
                visible.append(info.id)
    return visible


def municipality_filter(
    munis: LayerInfo | None, view: ViewState
) -> tuple[tuple[str, ...], gpd.GeoDataFrame | None]:
    """Municipalities by key, found by typing (the page sends the chosen and at most 20 matches,
    not 10,997 names); returns keys and their areas."""
    if munis is None:
        return (), None
    gdf = read_layer(munis)
    key_col, name_col = munis.roles.get("key"), name_column(munis, gdf)
    if key_col not in gdf.columns or name_col is None:
        return (), None
    names = dict(zip(gdf[key_col].astype(str), gdf[name_col].astype(str), strict=True))
    chosen = choose_by_typing(names, view.municipalities, "filter_munis", tr("ui.filter_municipalities"))
    return chosen, municipality_areas(munis, chosen)


def municipality_areas(munis: LayerInfo | None, keys: tuple[str, ...]) -> gpd.GeoDataFrame | None:
    """The chosen municipalities' polygons (by key role), for spatial filters."""
    if munis is None or not keys:
        return None
    gdf = read_layer(munis)
    key_col = munis.roles.get("key")
    return gdf[gdf[key_col].astype(str).isin(keys)] if key_col in gdf.columns else None


def filtered_layers(
    visible: list[LayerInfo], filters: Filters, areas: gpd.GeoDataFrame | None, presentation: bool = False
) -> tuple[list[MapLayer], dict[str, np.ndarray]]:
    """Map layers of the features that pass `filters`, and the masks for table and downloads."""
    masks, map_layers = {}, []
    for info in visible:
        gdf = read_layer(info)
        masks[info.id] = filter_layer(gdf, info, filters, areas, category_column(info, gdf))
        frame = display_layer(info)
        shown = frame[masks[info.id][frame["fid"].to_numpy()]]
        source = layer_source(info, masks[info.id])
        text = layer_geojson_text(info, masks[info.id]) if source is None else None
        map_layers.append(MapLayer(info, shown, presentation=presentation, source=source, geojson=text))
    return map_layers, masks


def category_filter(info: LayerInfo, view: ViewState) -> tuple[str, ...] | None:
    """Multiselect of a layer's category values; None when all are chosen."""
    gdf = read_layer(info)
    col = category_column(info, gdf)
    if col is None or info.kind == "municipalities":
        return None
    values = sorted(gdf[col].dropna().astype(str).unique())
    if len(values) < 2:
        return None
    default = [v for v in view.categories.get(info.id, values) if v in values]
    chosen = st.sidebar.multiselect(
        tr_md("ui.filter_categories", layer=info.title),
        values,
        default=default,
        key=f"cat_{info.id}",
        format_func=lambda v: category_label(v, lang()),
        placeholder=tr("ui.choose"),
    )
    return None if set(chosen) == set(values) else tuple(chosen)


def date_filter(view: ViewState) -> tuple[date | None, date | None]:
    """Event date range; default: upcoming (from today, open end)."""
    start = st.sidebar.date_input(
        tr("ui.date_from"), value=view.date_from or clock.today(), format="DD.MM.YYYY", key="date_from"
    )
    end = st.sidebar.date_input(tr("ui.date_to"), value=view.date_to, format="DD.MM.YYYY", key="date_to")
    return start, end


def detail_panel(info: LayerInfo, fid: int, munis: LayerInfo | None, lang: str) -> tuple[float, float] | None:
    """All attributes of one feature, escaped; returns (lat, lon) when "zoom here" is pressed."""
    gdf = read_layer(info)
    if not 0 <= fid < len(gdf):
        st.info(tr("ui.details_empty"))
        return None
    row = gdf.iloc[fid]
    ncol = name_column(info, gdf)
    st.subheader(md(row[ncol] if ncol else info.title))
    st.caption(md(info.title))
    rows = feature_rows(row.drop(labels=[gdf.geometry.name]), lang, info.roles)
    if munis is not None and info.kind != "municipalities":
        mgdf = read_layer(munis)
        mcol = name_column(munis, mgdf)
        inside = containing_municipality(row.geometry, gdf.crs, mgdf, mcol) if mcol else None
        rows.insert(0, (html.escape(tr("ui.in_municipality")), html.escape(inside or "–")))
    table = "".join(f"<tr><th scope='row'>{k}</th><td>{v}</td></tr>" for k, v in rows)
    st.html(f"<table class='sr-details'>{table}</table>")  # escaped parts, and no Markdown (blank lines)
    if st.button(tr("ui.zoom_here"), key="zoom_here"):
        pt = gpd.GeoSeries([row.geometry], crs=gdf.crs).to_crs("EPSG:4326").representative_point().iloc[0]
        return pt.y, pt.x
    return None


def table_view(visible: list[LayerInfo], masks: dict[str, np.ndarray], map_html) -> None:
    """A layer's filtered features a page at a time (`paged_table`), with downloads of all of them."""
    if not visible:
        return
    info = st.selectbox(tr("ui.table_layer"), visible, format_func=lambda i: i.title, key="table_layer")
    gdf = read_layer(info)
    subset = gdf[masks[info.id]]
    st.caption(tr("ui.shown", shown=len(subset), total=len(gdf)))
    paged_table(readable_table(subset, info.roles, lang()), "table")
    cols = st.columns(4)
    for col, fmt in zip(cols, ("gpkg", "geojson", "csv"), strict=False):
        col.download_button(
            tr("ui.download", fmt=fmt.upper()),
            data=export_bytes(info, masks[info.id], fmt),
            file_name=f"{info.id}.{fmt}",
            mime=MEDIA_TYPES[fmt],
            key=f"dl_{fmt}",
        )
    cols[3].download_button(
        tr("ui.download_map"), data=map_html, file_name="karte.html", mime="text/html", key="dl_html"
    )


def share_button(url: str) -> None:
    """The permalink and its QR code."""
    with st.popover(tr("ui.share"), icon=":material/share:"):
        st.write(tr("ui.share_help"))
        st.code(url, language=None)
        png = io.BytesIO()
        segno.make(url, error="m").save(png, kind="png", scale=5)
        st.image(png.getvalue(), caption=tr("ui.qr_alt"), width=220, alt=tr("ui.qr_alt"))
