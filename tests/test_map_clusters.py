"""Large uploaded point layers on the map: district start view, clusters, own colours per category."""

from __future__ import annotations

import base64
import re

import geopandas as gpd
import numpy as np
from shapely.geometry import box

from geo.maps.build import MapLayer, asset_links, build_map, layer_group, standalone_html
from geo.maps.cluster import CLUSTER_MIN, SPREAD_ZOOM, needs_cluster
from geo.maps.display import display_frame
from geo.maps.legend import legend_html
from geo.maps.permalink import home_bboxes
from geo.maps.symbols import symbol_colour
from geo.store import LayerInfo

DISTRICT = (11.4, 51.6, 12.2, 52.1)


def _info(kind: str = "mobility", n: int = 1, bbox=DISTRICT, **kw) -> LayerInfo:
    base = dict(
        id=f"{kind}-{n}",
        title="Ladesäulen",
        kind=kind,
        source_file="f.csv",
        source_crs="EPSG:4326",
        feature_count=n,
        bbox=bbox,
        attribution="BNetzA",
        created_at="",
        updated_at="",
        version=1,
        geometry_type="Point",
        roles={"name": "name", "category": "art"},
    )
    return LayerInfo(**{**base, **kw})


def _points(n: int, categories=("Normalladeeinrichtung", "Schnellladeeinrichtung")) -> MapLayer:
    rng = np.random.default_rng(5)
    gdf = gpd.GeoDataFrame(
        {"name": [f"P{i}" for i in range(n)], "art": [categories[i % len(categories)] for i in range(n)]},
        geometry=gpd.points_from_xy(rng.uniform(10.6, 15.6, n), rng.uniform(50.4, 53.0, n)),
        crs="EPSG:4326",
    )
    info = _info(n=n)
    return MapLayer(info, display_frame(gdf, info))


def test_start_view_is_the_district_not_every_layer():
    munis = _info("municipalities", 21, DISTRICT, geometry_type="MultiPolygon")
    upload = _info("mobility", 454, (10.65, 50.41, 15.59, 52.97))
    assert home_bboxes([munis, upload], [upload]) == [DISTRICT]
    assert home_bboxes([upload], [upload]) == [upload.bbox]  # no district: what is shown


def test_large_point_layers_cluster_small_ones_and_areas_do_not():
    assert needs_cluster(_points(CLUSTER_MIN + 1).frame, polygonal=False)
    assert not needs_cluster(_points(CLUSTER_MIN).frame, polygonal=False)
    areas = gpd.GeoDataFrame(geometry=[box(i, 0, i + 1, 1) for i in range(CLUSTER_MIN + 5)], crs="EPSG:4326")
    assert not needs_cluster(areas, polygonal=True)


def test_clustered_layer_loads_the_app_s_own_plugin_and_spreads_at_street_level():
    m = build_map([_points(454)], basemap="none")
    html = m.get_root().render()
    assert "L.markerClusterGroup(" in html
    assert f'"disableClusteringAtZoom": {SPREAD_ZOOM}' in html
    links = asset_links(m)
    assert "../../app/static/vendor/markercluster/leaflet.markercluster.js" in links
    assert all(not link.startswith(("http:", "https:", "//")) for link in links)
    assert '"maxZoom": 18' in html  # the plugin refuses a map without one (basemap "none" has no tiles)
    small = build_map([_points(40)], basemap="none").get_root().render()
    assert "L.markerClusterGroup(" not in small


def test_standalone_download_inlines_the_cluster_plugin():
    page = standalone_html([_points(454)], "none", None, None)
    assert "L.markerClusterGroup(" in page
    assert "L.MarkerClusterGroup=L.FeatureGroup.extend" in page  # the plugin itself, inlined
    assert "app/static/vendor" not in page and "inline-asset:" not in page


def test_compact_point_layer_clusters_in_the_browser_script():
    layer = _points(2000)
    layer.source = "../../app/static/cache/x.json"  # large layers reach the map page as payloads
    m = build_map([], basemap="none")
    layer_group(layer).add_to(m)
    html = m.get_root().render()
    assert "CompactLayer.add(" in html and f'"disableClusteringAtZoom": {SPREAD_ZOOM}' in html
    links = asset_links(m)
    plugin = links.index("../../app/static/vendor/markercluster/leaflet.markercluster.js")
    assert plugin < next(i for i, link in enumerate(links) if "compact_layer.js" in link)


def images_shown(html_text: str) -> str:
    """The SVG documents behind the ``data:`` images of `html_text` (how legends draw symbols)."""
    found = re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html_text)
    return "".join(base64.b64decode(data).decode("utf-8") for data in found)


def test_unknown_categories_get_their_own_colour_on_map_and_legend():
    layer = _points(20)
    normal, fast = "Normalladeeinrichtung", "Schnellladeeinrichtung"
    assert layer.colours[normal] != layer.colours[fast]
    legend = legend_html([layer], {}, "de")
    for category in (normal, fast):
        assert f'fill="{layer.colours[category]}"' in images_shown(legend)
        assert category in legend
    known = _points(4, ("bahnhof", "Schnellladeeinrichtung"))
    legend = legend_html([known], {}, "de")  # known types keep their symbol's colour
    assert f'fill="{symbol_colour("bahnhof")}"' in images_shown(
        legend
    )  # known types keep their symbol's colour
    html = build_map([layer], basemap="none").get_root().render()
    assert layer.colours[normal] in html and layer.colours[fast] in html
