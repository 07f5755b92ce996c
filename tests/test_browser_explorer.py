"""Map explorer in a real browser: layers, search, filters, permalink, downloads, XSS, axe."""

from __future__ import annotations

import geopandas as gpd
import pytest
from harness import choose, chromium, count_until, drawn_features, map_frame, streamlit_server, wait_until
from shapely.geometry import Point

from geo.demo import build_demo
from geo.store import open_store

pytestmark = [pytest.mark.browser, pytest.mark.dated]
XSS = "<img src=x onerror=window.__xss=1>"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    data = tmp_path_factory.mktemp("explorer") / "data"
    store = open_store(str(data))
    build_demo(store)
    gdf = gpd.GeoDataFrame(
        {"name": [XSS], "typ": [XSS], "link": ["javascript:window.__xss=2"]},
        geometry=[Point(11.6, 51.85)],
        crs="EPSG:4326",
    )
    store.write(
        gdf, title="Test " + XSS, kind="other", attribution=XSS, roles={"name": "name", "category": "typ"}
    )
    with streamlit_server(data) as url, chromium() as browser:
        yield url, browser


def wait_drawn(frame, expected: int, timeout: float = 30) -> int:
    return count_until(lambda: drawn_features(frame), expected, timeout)


def open_page(browser, url: str, path: str = "/?basemap=none&von=2000-01-01"):
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.goto(url + path)
    return page, map_frame(page)


ALL = 21 + 6 + 33 + 18 + 18 + 1 + 9 + 1  # demo layers + the XSS test feature


def test_toggle_layer_changes_drawn_features(app):
    url, browser = app
    page, frame = open_page(browser, url)
    assert wait_drawn(frame, ALL) == ALL
    sidebar = page.get_by_test_id("stSidebarUserContent")  # the legend shows the same "(18 Objekte)"
    sidebar.get_by_text("Mobilitätsangebote (Demo) (18 Objekte)").click()
    assert wait_drawn(frame, ALL - 18) == ALL - 18
    page.wait_for_url(lambda u: "layers=" in u, timeout=30_000)  # the permalink follows the layer tree
    assert "mobilitaetsangebote-demo" not in page.url.split("layers=")[1].split("&")[0]


def test_search_selects_and_zooms(app):
    url, browser = app
    page, frame = open_page(browser, url)
    wait_drawn(frame, ALL)
    page.get_by_label("Suche nach Gemeinde oder Name").fill("stassfurt")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Staßfurt").first.wait_for(timeout=20_000)
    zoom = "() => [...new Set(Object.values(window).filter(v => v instanceof L.Map))][0].getZoom()"
    wait_until(lambda: frame.evaluate(zoom) >= 12, 20, "map did not zoom to the hit")
    # the address follows the run that selected it (under load a moment after the map zoomed)
    wait_until(lambda: "sel=gemeinden-salzlandkreis" in page.url, 20, f"selection not in {page.url}")


def test_filter_changes_map_table_and_download(app):
    url, browser = app
    page, frame = open_page(browser, url)
    wait_drawn(frame, ALL)
    find = page.get_by_label("Gemeinde suchen")
    find.fill("bernburg")
    find.press("Enter")
    choose(page, page.get_by_label("Treffer – zum Hinzufügen wählen"), "Bernburg (Saale)")
    # Bernburg (Saale) itself plus the demo offers and events inside it
    shown = count_until(lambda: drawn_features(frame), ALL, 30, lambda n, all_: n < all_)
    assert 1 < shown < ALL
    page.get_by_text("Tabelle", exact=True).click()
    page.get_by_label("Ebene für Tabelle und Download").click()
    page.get_by_role("option", name="Mobilitätsangebote (Demo)").click()
    caption = page.get_by_text("von 18 angezeigt")
    caption.wait_for()
    n_table = int(caption.inner_text().split()[0])
    assert 0 < n_table < 18
    with page.expect_download(timeout=90_000) as dl:
        page.get_by_role("button", name="Herunterladen: GEOJSON").click()
    downloaded = gpd.read_file(dl.value.path())
    assert len(downloaded) == n_table
    # the permalink restores the same view in a fresh browser context
    page2, frame2 = open_page(browser, url, "/?" + page.url.split("?", 1)[1])
    assert wait_drawn(frame2, shown) == shown


def test_xss_payload_renders_as_text(app):
    url, browser = app
    page, frame = open_page(browser, url)
    wait_drawn(frame, ALL)
    page.get_by_label("Suche nach Gemeinde oder Name").fill("img src")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=XSS).wait_for(timeout=20_000)
    assert page.get_by_text("javascript:window.__xss=2").count() >= 1  # shown as text, not a link
    assert page.evaluate("() => window.__xss") is None
    assert frame.evaluate("() => window.__xss") is None
    assert XSS in frame.inner_text(".leaflet-control-attribution")


def test_axe_no_serious_violations_in_app_markup(app):
    from axe_playwright_python.sync_playwright import Axe

    url, browser = app
    page, frame = open_page(browser, url)
    wait_drawn(frame, ALL)
    # the run the map's first report asks for fades the page meanwhile: axe then sees low contrast
    # (the run may start after the status widget was checked: a violation must last three checks)
    for _ in range(3):
        page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden", timeout=60_000)
        results = Axe().run(page)
        serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        if not serious:
            break
    assert not serious, [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
