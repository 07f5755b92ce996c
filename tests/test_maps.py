"""Map building: local assets only, escaping, attribution, basemaps."""

from __future__ import annotations

import folium
import geopandas as gpd
from shapely.geometry import Point, box

from geo.maps.build import BASEMAPS, MapLayer, asset_links, build_map
from geo.maps.display import display_frame
from geo.maps.projector import name_labels
from geo.store import LayerInfo


def _info(**kw) -> LayerInfo:
    base = dict(
        id="x",
        title="<b>T</b>",
        kind="coworking",
        source_file="f",
        source_crs="EPSG:4326",
        feature_count=1,
        bbox=(11.0, 51.0, 12.0, 52.0),
        attribution="A & <script>",
        created_at="",
        updated_at="",
        version=1,
        geometry_type="Point",
        roles={"name": "name"},
    )
    return LayerInfo(**{**base, **kw})


def test_display_frame_escapes_and_rounds():
    gdf = gpd.GeoDataFrame(
        {"name": ["<img src=x onerror=alert(1)>"]},
        geometry=[Point(11.123456789, 51.987654321)],
        crs="EPSG:4326",
    )
    frame = display_frame(gdf, _info())
    assert frame.loc[0, "name"] == "&lt;img src=x onerror=alert(1)&gt;"
    assert frame.geometry.iloc[0].x == 11.12346


def test_map_uses_only_local_assets_and_escapes_attribution():
    gdf = gpd.GeoDataFrame({"name": ["a"]}, geometry=[Point(11.5, 51.5)], crs="EPSG:4326")
    info = _info()
    m = build_map([MapLayer(info, display_frame(gdf, info))], basemap="none")
    assert all(not link.startswith(("http:", "https:", "//")) for link in asset_links(m))
    html = m.get_root().render()
    assert "A & <script>" not in html
    assert "<b>T</b>" not in html
    assert r'"\u0026lt;b\u0026gt;T\u0026lt;/b\u0026gt;"' in html  # the layer control shows it as text


def test_areas_on_their_payload_load_the_tile_scripts_for_the_next_run():
    """streamlit-folium loads scripts only on a map's first render: a session that starts on
    an area layer's payload (tiles still being cut) draws the tiles on a later run."""
    areas = gpd.GeoDataFrame({"name": ["a"]}, geometry=[box(11, 51, 11.1, 51.1)], crs="EPSG:4326")
    points = gpd.GeoDataFrame({"name": ["a"]}, geometry=[Point(11.5, 51.5)], crs="EPSG:4326")
    links = []
    for gdf, kind in ((areas, "municipalities"), (points, "coworking")):
        info = _info(kind=kind)
        layer = MapLayer(info, display_frame(gdf, info), source="../../map-cache/x-v1-0123456789ab.json")
        links.append(asset_links(build_map([layer], basemap="none")))
    assert any("js/tile_layer.js?v=" in u for u in links[0]) and any("vectorgrid" in u for u in links[0])
    assert not any("tile_layer" in u or "vectorgrid" in u for u in links[1])  # points keep their payload


def test_every_basemap_but_none_has_url_and_attribution():
    for key, bm in BASEMAPS.items():
        assert (bm.url is None) == (key == "none")
        assert key == "none" or bm.attribution


def test_map_scale_is_metric_and_attribution_compact():
    html = build_map([], basemap="basemapde_farbe", lang="en").get_root().render()
    assert "L.control.scale({metric: true, imperial: false})" in html
    assert html.count("L.control.scale(") == 1  # no second, imperial scale bar from folium
    assert ".leaflet-control-attribution.sr-attr" in html and "Sources: click to expand" in html


def test_projector_names_travel_as_one_list_of_escaped_text():
    """The forum writes every Gemeinde's name on the map: as one [name, lat, lon] list, placed in
    the browser (with a Leaflet marker per name, all of Germany's Gemeinden were 5.7 MB), with
    names escaped for HTML once and the script never closed by a name."""
    cells = [box(11 + i / 100, 51, 11 + (i + 1) / 100, 51.01) for i in range(2000)]
    names = [f"Gemeinde {i}" for i in range(1999)] + ["</script><b>Ort</b>"]
    gdf = gpd.GeoDataFrame({"name": names}, geometry=cells, crs="EPSG:4326")
    info = _info(kind="municipalities")
    m = folium.Map(tiles=None)
    name_labels(MapLayer(info, display_frame(gdf, info), presentation=True)).add_to(m)
    html = m.get_root().render()
    assert html.count('["Gemeinde ') == 1999 and "var marker_" not in html  # no folium marker a name
    assert len(html) < 2000 * 40 + 10_000, len(html)  # about 30 bytes a name
    assert "</script><b>" not in html and r"\u0026lt;b\u0026gt;Ort" in html  # escaped, in JSON
