"""Vector tiles of big layers (`geo.maps.tilecache`): a real VG250 tile set, its detail at
zoom 12, what one view costs, the current-version rule and pruning of stale files."""

from __future__ import annotations

import base64
import gzip
import math
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from pmtiles.reader import MmapSource, Reader, all_tiles

from geo.maps.build import asset_links, use_local_assets
from geo.maps.fastlayer import TileSource, VectorTileLayer
from geo.maps.tilecache import (
    MAX_ZOOM,
    TILE_LAYER,
    build_tiles,
    is_public,
    prune,
    publish_text,
    read_tile,
    tile_family,
)
from geo.store import open_store

MERCATOR_HALF = 20037508.342789244  # metres from the centre to the edge of Web Mercator


@pytest.fixture(scope="module")
def kreise(shared_data) -> gpd.GeoDataFrame:
    """Sachsen-Anhalt's 11 Kreise at full VG250 resolution, as a display frame."""
    gdf = gpd.read_file(shared_data / "boundaries" / "vg250_kreise_2025.geojson")
    gdf = gdf[(gdf["GF"] == 4) & gdf["AGS"].str.startswith("15")].reset_index(drop=True)
    return gpd.GeoDataFrame(
        {"fid": range(len(gdf)), "name": gdf["GEN"], "category": gdf["BEZ"]}, geometry=gdf.geometry
    )


@pytest.fixture(scope="module")
def tiles(kreise, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cache")
    return folder / build_tiles(kreise, "kreise", 3, "3@t", folder)


def _tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return int((lon + 180) / 360 * n), int(y)


def _tile_bounds(z: int, x: int, y: int) -> shapely.Polygon:
    size = 2 * MERCATOR_HALF / 2**z
    return shapely.box(
        -MERCATOR_HALF + x * size,
        MERCATOR_HALF - (y + 1) * size,
        -MERCATOR_HALF + (x + 1) * size,
        MERCATOR_HALF - y * size,
    )


def _decode(data: bytes, z: int, x: int, y: int, folder: Path) -> gpd.GeoDataFrame:
    """A served tile decoded by GDAL's MVT driver (it georeferences ``…/z/x/y.pbf``)."""
    path = folder / str(z) / str(x) / f"{y}.pbf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.decompress(data))
    return pyogrio.read_dataframe(path, layer=TILE_LAYER)


def test_tile_set_covers_every_zoom_once_and_is_written_once(tiles, kreise):
    assert tiles.name.startswith("kreise-v3-") and tiles.suffix == ".pmtiles"
    assert build_tiles(kreise, "kreise", 3, "3@t", tiles.parent) == tiles.name  # no second build
    assert [p.name for p in tiles.parent.iterdir()] == [tiles.name]  # no temporary file left
    with tiles.open("rb") as fh:
        counts = np.bincount([zxy[0] for zxy, _ in all_tiles(MmapSource(fh))], minlength=MAX_ZOOM + 1)
        header = Reader(MmapSource(fh)).header()
    assert (header["min_zoom"], header["max_zoom"]) == (0, MAX_ZOOM)
    minx, miny, maxx, maxy = kreise.total_bounds  # Sachsen-Anhalt: about 2.4° × 2.2°
    for z in range(MAX_ZOOM + 1):
        (x0, y0), (x1, y1) = _tile_of(minx, maxy, z), _tile_of(maxx, miny, z)
        assert 0 < counts[z] <= (x1 - x0 + 1) * (y1 - y0 + 1), z  # every zoom, only where the land is
    assert counts[MAX_ZOOM] > 50


def test_z12_view_draws_the_stored_boundary_within_a_pixel(tiles, kreise, tmp_path):
    """At zoom 12 (tiles of MAX_ZOOM scaled up) the Salzlandkreis boundary lies within one screen
    pixel (Web Mercator: 2·20037508 m / 2^12 / 256 = 38.2 m) of the stored full-resolution one."""
    salz = kreise[kreise["name"] == "Salzlandkreis"].iloc[0]
    pixel = 2 * MERCATOR_HALF / 2**12 / 256
    lon, lat = 11.62, 51.88  # Staßfurt, on the Kreis boundary region
    x, y = _tile_of(lon, lat, MAX_ZOOM)
    data, gzipped = read_tile(tiles, MAX_ZOOM, x, y)
    assert gzipped and data
    drawn = _decode(data, MAX_ZOOM, x, y, tmp_path)
    mine = drawn[drawn["fid"] == salz["fid"]].geometry.union_all()
    stored = gpd.GeoSeries([salz.geometry], crs="EPSG:4326").to_crs("EPSG:3857").iloc[0]
    inner = _tile_bounds(MAX_ZOOM, x, y).buffer(-pixel)  # the tile's own edge is a clip, not the border
    got, want = mine.boundary.intersection(inner), stored.boundary.intersection(inner)
    assert want.length > 5_000  # the tile holds kilometres of the boundary
    assert shapely.hausdorff_distance(got, want, densify=0.1) < pixel
    # and the vertices are kept, not generalised away (VG250 has one every ~40 m here)
    assert shapely.get_num_coordinates(got) >= 0.8 * shapely.get_num_coordinates(want)


def test_small_zooms_are_generalised(tiles):
    with tiles.open("rb") as fh:
        sizes = {}
        for (z, _, _), data in all_tiles(MmapSource(fh)):
            sizes.setdefault(z, []).append(len(data))
    total = {z: sum(n) for z, n in sizes.items()}
    assert total[5] < 5_000  # a whole Land, simplified to half a pixel (12 kB without simplification)
    assert total[5] * 20 < total[MAX_ZOOM]  # a fraction of the full detail


def test_tile_family_and_out_of_range_tiles(tiles, kreise):
    assert tile_family(kreise) == "polygons"
    lines = kreise.assign(geometry=kreise.boundary)
    assert tile_family(lines) == "lines"
    assert tile_family(kreise.assign(geometry=kreise.representative_point())) is None
    assert read_tile(tiles, MAX_ZOOM + 3, 0, 0) == (b"", False)
    assert read_tile(tiles, 2, 7, 0) == (b"", False)


def test_only_current_versions_are_public_and_prune_removes_the_rest(tmp_path, kreise):
    store = open_store(str(tmp_path / "store"))
    small = kreise.head(2).set_crs("EPSG:4326")
    layer = store.write(small, title="Kreise", kind="other")
    folder = tmp_path / "cache"
    first = publish_text('{"n": 1}', layer.id, layer.version, folder)
    assert is_public(first, store.list_layers())
    replaced = store.replace(layer.id, small, author="anna")
    second = publish_text('{"n": 2}', layer.id, replaced.version, folder)
    assert prune(folder, store.list_layers()) == [first]
    assert [p.name for p in folder.iterdir()] == [second]
    store.delete(layer.id, author="anna")
    assert not is_public(second, store.list_layers())
    assert prune(folder, store.list_layers()) == [second] and not any(folder.iterdir())
    (folder / "keine-cache-datei.txt").write_text("x")
    assert prune(folder, []) == [] and (folder / "keine-cache-datei.txt").exists()  # only our names
    assert not is_public("../../etc/passwd", store.list_layers())


def test_tile_layer_loads_only_local_scripts_escapes_and_sends_the_filter_as_bits():
    m = use_local_assets(folium.Map(tiles=None))
    keep = np.zeros(20, dtype=bool)
    keep[[3, 17]] = True
    source = TileSource("../../map-cache/x-v1-0123456789ab.pmtiles/{z}/{x}/{y}.pbf", MAX_ZOOM, "lines", keep)
    layer = VectorTileLayer(source, "<i>Titel</i>", attribution="<script>", layer_id="x")
    layer.add_to(m)
    folium.LayerControl().add_to(m)
    page = m.get_root().render()
    assert "<i>Titel</i>" not in page and '<script>"' not in page
    assert "TileLayer.add(" in page and '"family": "lines"' in page
    links = asset_links(m)
    assert any("app/static/vendor/vectorgrid/Leaflet.VectorGrid.bundled.min.js" in u for u in links)
    assert any("app/static/js/tile_layer.js?v=" in u for u in links)
    assert not [u for u in links if "://" in u or u.startswith("//")]
    bits = np.unpackbits(
        np.frombuffer(base64.b64decode(layer.js_options["keep"]), np.uint8), bitorder="little"
    )
    assert np.flatnonzero(bits).tolist() == [3, 17]
