"""Analysis pages in a real browser: profile counts, coverage slider, what-if click, no CDN."""

from __future__ import annotations

import re
from urllib.parse import quote, urlparse

import geopandas as gpd
import pandas as pd
import pytest
from harness import chromium, drawn_features, map_frame, streamlit_server, wait_until
from shapely.geometry import box

from geo.config import REPO_ROOT
from geo.demo import build_demo, municipalities
from geo.store import open_store

pytestmark = [pytest.mark.browser, pytest.mark.dated]
SCHOENEBECK = "Schönebeck (Elbe)"
EVIL = "**fett** <img src=x onerror=window.__xss=1> :red[rot]"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    data = tmp_path_factory.mktemp("analysis") / "data"
    store = open_store(str(data))
    build_demo(store)
    borne = gpd.points_from_xy([11.5550], [51.9500])  # the centre of Borne, which has no coworking space
    evil = gpd.GeoDataFrame({"name": [EVIL]}, geometry=borne, crs=4326)
    store.write(evil, title="Test " + EVIL, kind="coworking", roles={"name": "name"})
    with streamlit_server(data) as url, chromium() as browser:
        warm = browser.new_page()  # the first run of a fresh server builds caches
        warm.goto(url + "/?basemap=none")
        warm.wait_for_selector("h1", timeout=60_000)
        warm.close()
        yield url, browser


def open_page(browser, url: str, path: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="de-DE")
    page = context.new_page()
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(urlparse(r.url).hostname or ""))
    page.goto(url + path)
    page.wait_for_selector("h1", timeout=60_000)
    return page, hosts


def metric_value(page, label: str, index: int = 0, timeout: float = 30) -> str:
    metric = page.locator("[data-testid='stMetric']").filter(has_text=label).nth(index)
    metric.wait_for(timeout=timeout * 1000)
    return metric.locator("[data-testid='stMetricValue']").inner_text().strip()


def percent(text: str) -> float:
    return float(text.removesuffix("%").strip().replace(".", "").replace(",", "."))


def expected_coworking(name: str) -> int:
    facts = pd.read_csv(REPO_ROOT / "data" / "demo" / "angebote.csv", sep=";", comment="#")
    cowork = facts[facts["kind"] == "coworking"]
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(cowork["lon"], cowork["lat"]), crs=4326)
    joined = gpd.sjoin(points.to_crs(25832), municipalities(), predicate="within")
    return int((joined["GEN"] == name).sum())


def test_profile_shows_counts_of_the_municipality(app):
    url, browser = app
    page, hosts = open_page(browser, url, f"/gemeinde?basemap=none&gemeinde={quote(SCHOENEBECK)}")
    page.get_by_role("heading", name=SCHOENEBECK, exact=True).wait_for(timeout=60_000)
    assert metric_value(page, "Coworking-Spaces") == str(expected_coworking(SCHOENEBECK))
    assert metric_value(page, "Einwohner") == "30.700"
    map_frame(page)  # the small map renders, from the app's own Leaflet
    page.locator("[data-testid='stVegaLiteChart'], [data-testid='stArrowVegaLiteChart']").first.wait_for()
    page.wait_for_load_state("networkidle")  # every request the page makes has been made
    assert hosts <= {"127.0.0.1"}, hosts  # charts and maps load nothing from a CDN


def test_profile_shows_markup_in_names_as_text(app):
    url, browser = app
    page, _ = open_page(browser, url, "/gemeinde?basemap=none&gemeinde=Borne")
    page.get_by_role("heading", name="Borne", exact=True).wait_for(timeout=60_000)
    page.get_by_text("**fett**", exact=False).first.wait_for(timeout=30_000)
    assert page.evaluate("() => window.__xss") is None
    assert page.locator("[data-testid='stMain'] img[src='x']").count() == 0


def test_coverage_distance_changes_share(app):
    url, browser = app
    page, _ = open_page(browser, url, "/erreichbarkeit?basemap=none")
    before = percent(metric_value(page, "Fläche in Reichweite", timeout=60))
    thumb = page.get_by_role("slider")
    assert page.get_by_test_id("stSliderThumbValue").inner_text() == "5,0 km"  # decimal comma
    thumb.focus()
    page.keyboard.press("End")  # 20 km
    # asked in the browser: the server sets km in the URL during the rerun (page.url would be stale)
    page.wait_for_function("() => new URLSearchParams(location.search).get('km') === '20'", timeout=60_000)
    after = wait_until(
        lambda: (
            percent(metric_value(page, "Fläche in Reichweite")) != before
            and percent(metric_value(page, "Fläche in Reichweite"))
        ),
        message="share did not change",
    )
    assert after > before
    page.get_by_text("im Umkreis von 20,0 km").wait_for(timeout=10_000)


def test_click_on_map_places_a_planned_site(app):
    url, browser = app
    page, _ = open_page(browser, url, "/erreichbarkeit?basemap=none&km=2")
    before = percent(metric_value(page, "Fläche in Reichweite", timeout=60))
    frame = map_frame(page)
    box = frame.locator(".leaflet-container").bounding_box()
    frame.locator(".leaflet-container").click(position={"x": box["width"] * 0.3, "y": box["height"] * 0.6})
    page.get_by_text("Mit 1 geplanten Standort", exact=True).wait_for(timeout=30_000)  # singular
    one = percent(metric_value(page, "Fläche in Reichweite", index=1))
    assert one > before
    assert percent(metric_value(page, "Fläche in Reichweite", index=0)) == before
    # the same map frame takes a second click: the page update did not re-create the map
    frame.locator(".leaflet-container").click(position={"x": box["width"] * 0.6, "y": box["height"] * 0.3})
    page.get_by_text("Mit 2 geplanten Standorten").wait_for(timeout=30_000)
    assert percent(metric_value(page, "Fläche in Reichweite", index=1)) > one
    page.get_by_role("button", name="Geplante Standorte entfernen").click()
    wait_until(
        lambda: page.get_by_text(re.compile(r"^Mit \d+ geplanten Standorten?$")).count() == 0,
        message="not cleared",
    )


def test_overview_in_english(app):
    url, browser = app
    page, hosts = open_page(browser, url, "/uebersicht?basemap=none&lang=en")
    page.get_by_role("heading", name="District overview").wait_for(timeout=60_000)
    page.get_by_text("All 21 municipalities").wait_for()
    frame = map_frame(page)
    one_area_each = lambda: drawn_features(frame) == 21  # noqa: E731 - one per municipality
    wait_until(one_area_each, message="choropleth not drawn")
    legend = page.locator(".sr-legend").inner_text()
    assert "Coworking spaces per 10,000 inhabitants" in legend and " – " in legend  # class ranges
    assert page.get_by_role("button", name="Table as GeoPackage").count() == 1
    assert hosts <= {"127.0.0.1"}, hosts


CHART_JS = """() => { let grid = null;
  window.map.eachLayer(l => { if (l._tileGrid) grid = l._tileGrid; });
  if (!grid) return null;
  const style = grid.options.vectorTileLayerStyles.features;
  return {drawn: TileLayer.drawn(grid), low: style({fid: 0}).fillColor, high: style({fid: 1999}).fillColor};
}"""


def test_overview_of_a_big_layer_fills_its_vector_tiles_by_class(tmp_path, browser):
    """2,000 Gemeinden: the choropleth is drawn from the layer's vector tiles, with only a class
    and a value per feature on the page (not 2,000 shapes as GeoJSON); the sparse west and
    the dense east get different colours."""
    data = tmp_path / "data"
    cells = [box(11.7 + i / 250, 51.76 + j / 400, 11.7 + (i + 1) / 250, 51.76 + (j + 1) / 400)
             for j in range(40) for i in range(50)]  # fmt: skip
    gdf = gpd.GeoDataFrame(
        {
            "AGS": [f"15{k:06d}" for k in range(2000)],
            "GEN": [f"Ort {k}" for k in range(2000)],
            "EWZ": [10 + 10 * (k % 50) for k in range(2000)],  # 10 in the west to 500 in the east
        },
        geometry=cells,
        crs="EPSG:4326",
    )
    roles = {"key": "AGS", "name": "GEN", "population": "EWZ"}
    open_store(str(data)).write(gdf, title="Orte", kind="municipalities", roles=roles)
    received: list[int] = []
    with streamlit_server(data) as url:
        page, hosts = open_page(browser, url, "/uebersicht?basemap=none&lang=en")
        page.on("websocket", lambda ws: ws.on("framereceived", lambda d: received.append(len(d))))
        page.reload()
        page.get_by_role("heading", name="District overview").wait_for(timeout=60_000)
        frame = map_frame(page)
        chart = wait_until(lambda: (c := frame.evaluate(CHART_JS)) and c["drawn"] and c, 60, "no tiles drawn")
        assert chart["low"] != chart["high"], chart  # fid 0: 10 inhabitants, fid 1999: 500 on the same area
        page.wait_for_load_state("networkidle")
        assert sum(received) < 250_000, sum(received)  # 2,000 boxes as GeoJSON: about 0.6 MB
        assert hosts <= {"127.0.0.1"}, hosts
