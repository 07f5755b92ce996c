"""Map layers and legends for the analysis pages: classed municipalities, areas, points.

Everything a tooltip or legend shows is HTML-escaped here, because Leaflet renders tooltip
text as HTML and names come from uploads. Legends always pair the colour swatch with its
text (class range or layer name), never colour alone.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import folium
import geopandas as gpd
import numpy as np
import shapely

from geo.analysis.classes import NO_DATA_COLOUR, Classes
from geo.i18n import format_number, t
from geo.maps.display import DISPLAY_CRS, GRID_DEGREES
from geo.maps.fastlayer import TileSource, VectorTileLayer
from geo.maps.symbols import svg_image

OUTLINE_COLOUR = "#4d4d4d"
# Decimals per indicator suffix: counts whole, rates finer.
_DIGITS = {
    "count": 0,
    "population": 0,
    "density": 0,
    "per_10k": 2,
    "per_km2": 3,
    "nearest_km": 1,
    "area_km2": 1,
    "covered_km2": 1,
    "white_km2": 1,
    "covered_population": 0,
    "population_gain": 0,
    "area_gain_km2": 1,
}


def digits_for(column: str) -> int:
    """How many decimals an indicator column is shown with."""
    for suffix, digits in _DIGITS.items():
        if column == suffix or column.endswith(f"_{suffix}"):
            return digits
    return 2


def format_indicator(column: str, value: object, lang: str = "de", min_digits: int = 0) -> str:
    """A value of `column` with its decimals ("12.345", "0,35"); "–" where missing.

    `min_digits` shows averages of whole numbers (counts) with decimals.
    """
    return format_number(value, lang, max(digits_for(column), min_digits))


def to_display(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """`gdf` in lon/lat, rounded to about a metre (what the browser needs)."""
    out = gdf.to_crs(DISPLAY_CRS) if gdf.crs is not None and gdf.crs != DISPLAY_CRS else gdf
    geoms = shapely.set_precision(out.geometry.to_numpy(), GRID_DEGREES, mode="pointwise")
    return out.set_geometry(geoms, crs=DISPLAY_CRS)


def _escaped(values) -> list[str]:
    return [html.escape("" if v is None or v != v else str(v)) for v in values]


def choropleth_group(
    table: gpd.GeoDataFrame, column: str, classes: Classes, title: str, lang: str = "de"
) -> folium.FeatureGroup:
    """Municipalities filled by class colour; the tooltip shows name and value."""
    shown = to_display(table[["name", column, table.geometry.name]])
    frame = gpd.GeoDataFrame(
        {
            "name": _escaped(shown["name"]),
            "value": [html.escape(format_indicator(column, v, lang)) for v in shown[column]],
            "colour": classes.value_colours,
        },
        geometry=shown.geometry.to_numpy(),
        crs=DISPLAY_CRS,
    )
    group = folium.FeatureGroup(name=html.escape(title))
    folium.GeoJson(
        frame.to_json(drop_id=True),
        style_function=lambda f: {
            "fillColor": f["properties"]["colour"],
            "color": OUTLINE_COLOUR,
            "weight": 1,
            "fillOpacity": 0.8,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "value"], aliases=[html.escape(t("ui.name", lang)), html.escape(title)]
        ),
    ).add_to(group)
    return group


def choropleth_tiles(
    table: gpd.GeoDataFrame,
    column: str,
    classes: Classes,
    title: str,
    source: TileSource,
    keys: Sequence[str],
    lang: str = "de",
) -> folium.FeatureGroup:
    """`choropleth_group` for a big municipality layer, drawn from that layer's vector tiles:
    only each feature's class and value travel, not its geometry (all of Germany's 10,997
    Gemeinden in about 0.2 MB, where GeoJSON took 6 MB). `keys` holds the municipal key of
    each feature by fid (its row in the layer); parts sharing a key share their row's class.
    Values are shown as text (never as HTML) by ``tile_layer.js``."""
    row_of = {key: row for row, key in enumerate(table["key"])}
    rows = [row_of.get(key, -1) for key in keys]
    cls = classes.classes
    texts = [format_indicator(column, value, lang) for value in table[column]]
    chart = {
        "classes": "".join(chr(48 + (int(cls[r]) + 1 if r >= 0 else 0)) for r in rows),
        "palette": [NO_DATA_COLOUR, *classes.colours],
        "values": [texts[r] if r >= 0 else "" for r in rows],
    }
    labels = {"name": t("ui.name", lang), "type": title}
    layer = VectorTileLayer(
        source, title, base_colour=OUTLINE_COLOUR, kind="municipalities", labels=labels, choropleth=chart
    )
    return folium.FeatureGroup(name=html.escape(title)).add_child(layer)


def area_group(gdf: gpd.GeoDataFrame, title: str, style: dict, lang: str = "de") -> folium.FeatureGroup:
    """Polygons with one style (outlines, white spots); tooltip: the ``name`` column if present."""
    group = folium.FeatureGroup(name=html.escape(title))
    geoms = gdf.geometry
    keep = ~(geoms.isna() | geoms.is_empty).to_numpy()
    if not keep.any():
        return group
    shown = to_display(gdf[keep])
    names = _escaped(shown["name"]) if "name" in shown.columns else [html.escape(title)] * len(shown)
    frame = gpd.GeoDataFrame({"name": names}, geometry=shown.geometry.to_numpy(), crs=DISPLAY_CRS)
    folium.GeoJson(
        frame.to_json(drop_id=True),
        style_function=lambda _f: style,
        tooltip=folium.GeoJsonTooltip(fields=["name"], aliases=[html.escape(t("ui.name", lang))]),
    ).add_to(group)
    return group


def point_group(
    gdf: gpd.GeoDataFrame, title: str, colour: str, lang: str = "de", radius: int = 7
) -> folium.FeatureGroup:
    """Points (or the surface point of areas) as circle markers; tooltip: the ``name`` column."""
    group = folium.FeatureGroup(name=html.escape(title))
    geoms = gdf.geometry
    keep = ~(geoms.isna() | geoms.is_empty).to_numpy()
    if not keep.any():
        return group
    shown = to_display(gdf[keep])
    points = shapely.point_on_surface(shown.geometry.to_numpy())
    names = _escaped(shown["name"]) if "name" in shown.columns else [html.escape(title)] * len(shown)
    for point, name in zip(points, names, strict=True):
        folium.CircleMarker(
            location=(point.y, point.x),
            radius=radius,
            color="#ffffff",
            weight=1.5,
            fill=True,
            fill_color=colour,
            fill_opacity=0.95,
            tooltip=f"{name} ({html.escape(title)})",
        ).add_to(group)
    return group


def line_group(
    pairs: list[tuple[tuple[float, float], tuple[float, float]]], title: str, colour: str
) -> folium.FeatureGroup:
    """Straight dashed lines between (lat, lon) pairs, e.g. centre → nearest offer."""
    group = folium.FeatureGroup(name=html.escape(title))
    for a, b in pairs:
        folium.PolyLine(
            [a, b], color=colour, weight=2.5, dash_array="6 4", tooltip=html.escape(title)
        ).add_to(group)
    return group


def _swatch(colour: str, shape: str = "area") -> str:
    colour = html.escape(colour)
    if shape == "point":
        inner = f'<circle cx="9" cy="9" r="6.5" fill="{colour}" stroke="#ffffff" stroke-width="1.5"/>'
    elif shape == "line":
        inner = (
            f'<line x1="1" y1="9" x2="17" y2="9" stroke="{colour}" stroke-width="2.5" '
            'stroke-dasharray="4 3"/>'
        )
    elif shape == "outline":
        inner = f'<rect x="2" y="2" width="14" height="14" fill="none" stroke="{colour}" stroke-width="2"/>'
    else:
        inner = (
            f'<rect x="2" y="2" width="14" height="14" fill="{colour}" stroke="{OUTLINE_COLOUR}" '
            'stroke-width="1"/>'
        )
    return svg_image(f'<svg width="18" height="18">{inner}</svg>')


def classes_legend_html(classes: Classes, title: str, lang: str = "de", counts: bool = True) -> str:
    """Legend of a choropleth: title, then one row per class with swatch, range and count."""
    n = np.bincount(classes.classes[classes.classes >= 0], minlength=len(classes.labels))
    rows = []
    for i, (label, colour) in enumerate(zip(classes.labels, classes.colours, strict=True)):
        extra = f' <span class="sr-count">({format_number(n[i], lang)})</span>' if counts else ""
        rows.append(f"<li>{_swatch(colour)} <span>{html.escape(label)}</span>{extra}</li>")
    missing = int((classes.classes < 0).sum())
    if missing:
        no_data = html.escape(t("ana.no_data", lang))
        count = f'<span class="sr-count">({format_number(missing, lang)})</span>'
        rows.append(f"<li>{_swatch(NO_DATA_COLOUR)} <span>{no_data}</span> {count}</li>")
    return f'<div class="sr-legend"><strong>{html.escape(title)}</strong><ul>{"".join(rows)}</ul></div>'


def symbols_legend_html(entries: list[tuple[str, str, str]]) -> str:
    """Legend rows of (shape, colour, label); shape is "area", "outline", "point" or "line"."""
    rows = [
        f"<li>{_swatch(colour, shape)} <span>{html.escape(label)}</span></li>"
        for shape, colour, label in entries
    ]
    return f'<div class="sr-legend"><ul>{"".join(rows)}</ul></div>'
