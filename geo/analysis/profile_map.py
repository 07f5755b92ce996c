"""The municipality profile's map: the outline, the offers inside, straight lines from the
centre to the nearest offers, and the legend rows that go with them."""

from __future__ import annotations

import folium
import geopandas as gpd

from geo.analysis.choropleth import area_group, line_group, point_group
from geo.analysis.indicators import kind_label
from geo.analysis.offers import MUNI_STYLE, NEAREST_COLOUR, OFFER_COLOURS, concat_offers, inside
from geo.i18n import t
from geo.maps.display import DISPLAY_CRS


def _nearest_lines(nearest: dict[str, dict | None], lang: str) -> list[folium.FeatureGroup]:
    groups = []
    for kind, hit in nearest.items():
        if hit:
            title = t("ana.nearest_line", lang, kind=kind_label(kind, lang))
            pair = ((hit["centre_lat"], hit["centre_lon"]), (hit["lat"], hit["lon"]))
            groups.append(line_group([pair], title, OFFER_COLOURS[kind]))
    return groups


def profile_layers(
    table: gpd.GeoDataFrame,
    key: str,
    found: dict[str, gpd.GeoDataFrame],
    nearest: dict[str, dict | None],
    lang: str = "de",
) -> tuple[list[folium.FeatureGroup], list[tuple[str, str, str]]]:
    """Map groups of municipality `key` (outline, offers inside, lines to the nearest) and the
    legend rows (shape, colour, label) for `geo.analysis.choropleth.symbols_legend_html`.

    `found` are the offers per kind (`offers_by_kind`), `nearest` the hits of `nearest_offer`.
    """
    row = table[table["key"] == str(key)]
    groups = [area_group(row, row["name"].iloc[0] or key, MUNI_STYLE, lang)]
    entries = [("outline", MUNI_STYLE["color"], t("ana.this_municipality", lang))]
    groups += _nearest_lines(nearest, lang)
    entries += [
        ("line", OFFER_COLOURS[k], t("ana.nearest_line", lang, kind=kind_label(k, lang)))
        for k, hit in nearest.items()
        if hit
    ]
    for kind in ("coworking", "mobility", "events"):
        if kind in found:
            title = kind_label(kind, lang)
            groups.append(point_group(inside(table, key, found[kind]), title, OFFER_COLOURS[kind], lang))
            entries.append(("point", OFFER_COLOURS[kind], title))
    nearby = [
        gpd.GeoDataFrame(
            {"name": [hit["name"]]}, geometry=gpd.points_from_xy([hit["lon"]], [hit["lat"]]), crs=DISPLAY_CRS
        )
        for hit in nearest.values()
        if hit
    ]
    if nearby:
        marker = t("ana.nearest_marker", lang)
        groups.append(point_group(concat_offers(nearby), marker, NEAREST_COLOUR, lang, radius=5))
        entries.append(("point", NEAREST_COLOUR, marker))
    return groups, entries
