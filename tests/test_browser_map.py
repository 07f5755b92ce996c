"""The map shows up, offline: real server, headless Chromium, no outside requests; big layers
as vector tiles and payload files served from the data directory, with tooltips and clicks."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlparse

import geopandas as gpd
import pytest
import shapely
from harness import (
    REPO,
    chromium,
    count_until,
    drawn_features,
    map_frame,
    open_page,
    streamlit_server,
    wait_until,
)

from geo.store import open_store

pytestmark = pytest.mark.browser

# Gemeinden, coworking, stations, charging, offers, zones, events
DEMO_FEATURES = 21 + 6 + 33 + 18 + 18 + 1 + 9


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """One app server on a fresh store (the demo district) for this module's map tests."""
    data = tmp_path_factory.mktemp("map") / "data"
    data.mkdir()
    with streamlit_server(data) as url, chromium() as browser:
        yield url, data, browser


def test_map_draws_demo_layers_without_outside_requests(demo_app):
    url, _, browser = demo_app
    page = browser.new_page()
    hosts: list[str] = []
    page.context.on("request", lambda req: hosts.append(urlparse(req.url).netloc))
    started = time.monotonic()
    page.goto(url + "/?basemap=none&von=2000-01-01", wait_until="domcontentloaded")
    frame = map_frame(page)
    count_until(lambda f=frame: drawn_features(f), DEMO_FEATURES, 60, lambda n, want: n >= want)
    elapsed = time.monotonic() - started
    assert drawn_features(frame) == DEMO_FEATURES
    print(f"map drawn after {elapsed:.1f} s")
    outside = {h for h in hosts if h and h != urlparse(url).netloc}
    assert not outside, f"requests left the app: {sorted(outside)}"
    # attribution of the visible layers is on the map
    assert "Demodaten" in frame.inner_text(".leaflet-control-attribution")
    # every legend row shows its symbol beside the text (the same pictogram as on the map)
    rows = page.locator(".sr-legend li")
    assert rows.count() >= 10
    drawn = rows.evaluate_all("rows => rows.map(r => (r.querySelector('img') || {}).naturalWidth || 0)")
    assert all(width > 0 for width in drawn), drawn


def test_opening_the_map_costs_one_run_and_a_move_updates_the_link(demo_app):
    """streamlit-folium reports the map's first view, the one the page set, and that report
    reran the whole page while the map was drawing (`KeepFirstView` keeps it back). A move of
    the map still reports its view: the address's centre follows it."""
    url, _, browser = demo_app
    page = open_page(browser, url, "/?basemap=none&von=2000-01-01")
    frame = map_frame(page)
    count_until(lambda: drawn_features(frame), DEMO_FEATURES, 60, lambda n, want: n >= want)
    page.wait_for_timeout(1500)  # a report comes at once or 250 ms after a change (debounced)
    assert page.runs.requests == 1, f"runs asked for after the page load: {page.runs.trace}"

    def centre() -> tuple[float, float]:
        query = parse_qs(urlparse(page.url).query)
        return float(query["lat"][0]), float(query["lon"][0])

    lat, lon = centre()
    page.runs.act(lambda: frame.evaluate("() => window.map.panBy([300, 0], {animate: false})"))
    moved = wait_until(lambda: (c := centre())[1] > lon + 0.01 and c, 30, "the link kept the old centre")
    assert moved[0] == pytest.approx(lat, abs=0.01)


def test_first_request_after_start_goes_through_dashboard(tmp_path):
    """Streamlit's legacy pages/ mode must not run a page without dashboard.py's navigation."""
    data = tmp_path / "data"
    data.mkdir()
    with streamlit_server(data) as url, chromium() as browser:
        page = browser.new_page()
        page.goto(url + "/upload")  # the very first session; "upload" is also a file in pages/
        page.get_by_text("Anmelden", exact=False).first.wait_for(timeout=60_000)
        nav = page.locator("[data-testid=stSidebarNav]").inner_text()
        assert "Karte" in nav and "manage" not in nav.lower() and "map view" not in nav.lower()


CELLS = (50, 40)  # 2,000 areas: more than a map draws as GeoJSON, so a big layer (vector tiles)
X0, Y0, DX, DY = 11.70, 51.76, 0.004, 0.0025  # near Bernburg


def _big_layers(data) -> tuple[str, str]:
    """A big area layer (tiles) and a big point layer (payload file), written to the app's store."""
    cells = [
        shapely.box(X0 + i * DX, Y0 + j * DY, X0 + (i + 1) * DX, Y0 + (j + 1) * DY)
        for j in range(CELLS[1])
        for i in range(CELLS[0])
    ]
    names = [f"Zelle {k}" for k in range(len(cells))]
    kinds = ["Wald" if k % 2 else "Feld" for k in range(len(cells))]
    areas = gpd.GeoDataFrame({"name": names, "typ": kinds}, geometry=cells, crs="EPSG:4326")
    points = areas.assign(geometry=areas.representative_point())
    store = open_store(str(data))
    roles = {"name": "name", "category": "typ"}
    zellen = store.write(areas, title="Zellen", kind="other", roles=roles, attribution="Testraster")
    punkte = store.write(points, title="Punkte", kind="other", roles=roles)
    return zellen.id, punkte.id


def _static_files() -> set[str]:
    return {str(p.relative_to(REPO)) for p in (REPO / "static").rglob("*") if "vendor" not in p.parts}


def _page_point(page, frame, lon: float, lat: float) -> tuple[float, float]:
    x, y = frame.evaluate(
        "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
        [lat, lon],
    )
    box = page.query_selector("iframe[title*='streamlit_folium']").bounding_box()
    return box["x"] + x, box["y"] + y


def test_big_areas_draw_as_vector_tiles_from_the_data_folder(demo_app):
    """Tiles come from the app (no outside request), under the data directory (nothing new under
    static/); hovering shows name and type, a click opens the detail panel and highlights."""
    url, data, browser = demo_app
    zellen, punkte = _big_layers(data)
    before = _static_files()
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    requests: list[str] = []
    page.context.on("request", lambda req: requests.append(req.url))
    cat = json.dumps({zellen: ["Wald"]})
    page.goto(f"{url}/?basemap=none&layers={zellen},{punkte}&lat=51.81&lon=11.80&z=14&cat={cat}")
    map_frame(page)  # the first run draws the compact payload while a thread cuts the tiles
    wait_until(lambda: list((data / ".map-cache").glob("zellen-v1-*.pmtiles")), 60, "no tiles cut")
    page.reload()
    frame = map_frame(page)
    frame.wait_for_function(
        "() => { let ok = false; window.map.eachLayer(l => { ok = ok || !!l._tilesReady; }); return ok; }",
        timeout=60_000,
    )
    tiles = [u for u in requests if "/map-cache/" in u and u.endswith(".pbf")]
    assert tiles and all(u.startswith(url + "/map-cache/zellen-v1-") for u in tiles), requests
    assert any("/map-cache/punkte-v1-" in u and u.endswith(".json") for u in requests)  # points: payload file
    outside = {urlparse(u).netloc for u in requests if urlparse(u).scheme in ("http", "https", "ws", "wss")}
    assert outside == {urlparse(url).netloc}, f"requests left the app: {sorted(outside)}"
    assert {p.suffix for p in (data / ".map-cache").iterdir()} == {".pmtiles", ".json"}
    assert _static_files() == before  # nothing written into the checkout
    assert "Testraster" in frame.inner_text(".leaflet-control-attribution")

    k = 20 * CELLS[0] + 25  # a Wald cell (odd) in the middle of the view
    x, y = _page_point(page, frame, X0 + (25.5 * DX), Y0 + 20.3 * DY)
    page.mouse.move(x, y)
    page.mouse.move(x + 1, y)
    tip = frame.wait_for_selector(".leaflet-tooltip", timeout=20_000)
    assert f"Zelle {k}" in tip.inner_text() and "Wald" in tip.inner_text()
    # what the page benchmark reads (bench/map_probe.py): the feature a click there hits, and
    # the features drawn in the view (only Wald cells: the filter leaves Feld off the tiles)
    hit, drawn, wald = frame.evaluate(
        "([lat, lon]) => { let g = null; window.map.eachLayer(l => { if (l._tileGrid) g = l._tileGrid; });"
        " const ids = new Set(); Object.values(g._vectorTiles).forEach(t => Object.keys(t._features)"
        ".forEach(id => ids.add(id % 2)));"
        " return [TileLayer.featureAt(g, window.map.latLngToContainerPoint([lat, lon])), TileLayer.drawn(g),"
        " [...ids]]; }",
        [Y0 + 20.3 * DY, X0 + 25.5 * DX],
    )
    assert hit["fid"] == k and hit["name"] == f"Zelle {k}"
    assert drawn > 0 and wald == [1]
    page.mouse.click(x, y)
    page.get_by_role("heading", name=f"Zelle {k}").wait_for(timeout=30_000)
    styles = frame.evaluate(
        "() => { let s = null; window.map.eachLayer(l => { if (l._tileGrid)"
        " s = l._tileGrid._overriddenStyles; }); return s; }"
    )
    assert styles[str(k)]["color"] == "#ffbf00"  # the clicked area is highlighted
    # the category filter leaves Feld cells out of the drawing (even fids)
    shown = frame.evaluate(
        "() => { let g = null; window.map.eachLayer(l => { if (l._tileGrid) g = l._tileGrid; });"
        " const f = g.options.vectorTileLayerStyles.features;"
        " return [f({fid: 2, category: 'Feld'}), f({fid: 3, category: 'Wald'})]; }"
    )
    assert shown[0] == [] and shown[1]["fill"] is True

    # a point of the big point layer (clustered, on its own at street level): its details show
    # and it is highlighted (Leaflet 1.9.3's group tooltip threw on the cluster group, and the
    # click never reached the page: compact_layer.js)
    k = 20 * CELLS[0] + 10
    page.goto(f"{url}/?basemap=none&layers={punkte}&lat={Y0 + 20.5 * DY}&lon={X0 + 10.5 * DX}&z=17")
    frame = map_frame(page)
    frame.wait_for_function(
        "() => { let ok = false; window.map.eachLayer(l => { ok = ok || !!l._compactReady; }); return ok; }",
        timeout=60_000,
    )
    at = frame.evaluate(
        """([layer, name]) => { let f = null, clustered = false;
        window.map.eachLayer(l => { clustered = clustered || l instanceof L.MarkerClusterGroup;
          const props = l.feature && l.feature.properties;
          if (props && props.layer === layer && props.name === name) f = l; });
        const p = window.map.latLngToContainerPoint(f.getLatLng());
        return [p.x, p.y, clustered]; }""",
        [punkte, f"Zelle {k}"],
    )
    assert at[2], "the point layer is not clustered: this step tests nothing"
    box = page.query_selector("iframe[title*='streamlit_folium']").bounding_box()
    page.mouse.click(box["x"] + at[0], box["y"] + at[1])
    page.get_by_role("heading", name=f"Zelle {k}").wait_for(timeout=30_000)
    colour = frame.evaluate(
        "(name) => { let c = null; window.map.eachLayer(l => { if (l.feature && l.feature.properties.name"
        " === name && l instanceof L.CircleMarker) c = l.options.color; }); return c; }",
        f"Zelle {k}",
    )
    assert colour == "#ffbf00"
