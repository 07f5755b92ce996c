"""Map pieces of a participation round: its frame, the contributions, the tapped place, the grid.

Each is a folium feature group, so pages pass them as ``feature_group_to_add`` and the map
itself is not rebuilt when contributions arrive. Every text a citizen wrote is HTML-escaped
here before it reaches a tooltip (Leaflet renders tooltips as HTML).
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import shapely

from geo.i18n import format_number, t
from geo.maps.display import PALETTE
from geo.participation.rounds import Contribution, Round

EXTENT_COLOUR = "#0b5394"
PICK_COLOUR = "#000000"
GRID_COLOURS = ("#fee8c8", "#fdbb84", "#fc8d59", "#e34a33", "#b30000")  # light → dark, 5 classes


def category_colours(categories: tuple[str, ...]) -> dict[str, str]:
    """A stable colour per category in the round's order (Okabe–Ito palette)."""
    return {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(categories)}


def extent_group(rnd: Round, lang: str = "de") -> folium.FeatureGroup:
    """The round's area as an outlined frame (contributions outside it are refused)."""
    minx, miny, maxx, maxy = rnd.bbox
    group = folium.FeatureGroup(name=t("ui.part.extent", lang), control=False)
    folium.Rectangle(
        bounds=[[miny, minx], [maxy, maxx]], color=EXTENT_COLOUR, weight=3, fill=False, interactive=False
    ).add_to(group)
    return group


def contributions_group(
    items: list[Contribution], categories: tuple[str, ...], lang: str = "de", presentation: bool = False
) -> folium.FeatureGroup:
    """Visible contributions as coloured circles with category, text and "+1" in the tooltip."""
    colours = category_colours(categories)
    group = folium.FeatureGroup(name=t("ui.part.contributions", lang), control=False)
    if not items:
        return group
    frame = gpd.GeoDataFrame(
        {
            "category": [html.escape(c.category) for c in items],
            "text": [html.escape(c.text).replace("\n", "<br>") for c in items],
            "support": [format_number(c.support, lang) for c in items],
            "colour": [colours.get(c.category, PALETTE[-2]) for c in items],
        },
        geometry=[shapely.Point(c.lon, c.lat) for c in items],
        crs="EPSG:4326",
    )
    radius = 12 if presentation else 8

    def style(feature: dict) -> dict:
        colour = feature["properties"]["colour"]
        return {"color": "#ffffff", "weight": 2, "fill": True, "fillColor": colour, "fillOpacity": 0.95}

    folium.GeoJson(
        frame.to_json(drop_id=True),
        style_function=style,
        marker=folium.CircleMarker(radius=radius),
        tooltip=folium.GeoJsonTooltip(
            fields=["category", "text", "support"],
            aliases=[t("ui.part.category_label", lang), t("ui.part.text_label", lang), "+1"],
            labels=True,
            max_width=320,
        ),
        zoom_on_click=False,
    ).add_to(group)
    return group


def picked_group(point: tuple[float, float] | None, lang: str = "de") -> folium.FeatureGroup:
    """The place the phone user tapped (lon, lat), as a black ring."""
    group = folium.FeatureGroup(name=t("ui.part.picked", lang), control=False)
    if point:
        folium.CircleMarker(
            location=[point[1], point[0]], radius=14, color=PICK_COLOUR, weight=4, fill=False
        ).add_to(group)
    return group


def _grid_colour(count: int, top: int) -> str:
    index = min(len(GRID_COLOURS) - 1, int((count - 1) * len(GRID_COLOURS) / max(top, 1)))
    return GRID_COLOURS[index]


def grid_group(grid: gpd.GeoDataFrame, lang: str = "de") -> folium.FeatureGroup:
    """Density cells (from `geo.participation.rounds.density_grid`), darker for more contributions."""
    group = folium.FeatureGroup(name=t("ui.part.heatmap", lang), control=False)
    if grid.empty:
        return group
    top = int(grid["count"].max())
    frame = grid.assign(colour=[_grid_colour(int(n), top) for n in grid["count"]])
    folium.GeoJson(
        frame.to_json(drop_id=True),
        style_function=lambda f: {
            "color": "#7f2704",
            "weight": 0.5,
            "fillColor": f["properties"]["colour"],
            "fillOpacity": 0.75,
        },
        tooltip=folium.GeoJsonTooltip(fields=["count"], aliases=[t("ui.part.count", lang)]),
    ).add_to(group)
    return group
