"""Security in a real browser: no payload ever runs, planner pages stay closed to viewers.

Payloads (tests/xss_payloads.py) stored in layer titles, file names, attributions, names,
categories and column names render as text on the map page (tooltip, legend, detail panel,
table) and on the upload and management pages; `window.__xss` stays undefined, no element
gets an event-handler attribute, no link points to ``javascript:``. Planner pages refuse
viewers whatever the URL and its query parameters say; uploads over the limit are refused.
"""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pytest
from harness import RunWatcher, handlers_had_their_chance, settle
from shapely.geometry import Polygon
from xss_payloads import GEOJSON, IMG, PAYLOADS, hostile_frame

pytestmark = pytest.mark.browser

# --- in a real browser: no payload ever runs ------------------------------------------------

XSS_PAGE = "() => window.__xss === undefined"
ON_ATTRIBUTES = """() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
    .filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))"""
JS_LINKS = "() => document.querySelectorAll('a[href^=\"javascript:\" i]').length"


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory, browser):
    """A server whose only layers carry payloads in title, file name, attribution, names, categories."""
    from harness import streamlit_server

    from geo.store import open_store

    data = tmp_path_factory.mktemp("xss") / "data"
    store = open_store(str(data))
    n = len(PAYLOADS)
    frame = hostile_frame().assign(name=[f"Ort {i} {p}" for i, p in enumerate(PAYLOADS)])
    store.write(frame.iloc[:n], title="Titel " + IMG, kind="coworking", source_file=f"{PAYLOADS[1]}.geojson",
                attribution=PAYLOADS[2], roles={"name": "name", "category": "typ"})  # fmt: skip
    square = Polygon([(10.9, 51.3), (11.9, 51.3), (11.9, 51.9), (10.9, 51.9)])
    area = gpd.GeoDataFrame({"GEN": [PAYLOADS[5]], "AGS": ["15089005"]}, geometry=[square], crs="EPSG:4326")
    store.write(area, title=PAYLOADS[5], kind="municipalities", source_file=PAYLOADS[0],
                attribution=PAYLOADS[1], roles={"name": "GEN", "key": "AGS"})  # fmt: skip
    with streamlit_server(data) as url:
        yield url, browser, store.list_layers()


def _hover_tooltip(page, frame, layer_id: str) -> str:
    """Move the real mouse onto feature 0 of `layer_id` and return the tooltip's text."""
    x, y = frame.evaluate(
        """(id) => {
        const map = [...new Set(Object.values(window).filter(v => v instanceof L.Map))][0];
        let at = null;
        map.eachLayer(l => {
            const props = l.feature ? l.feature.properties : {};
            if (!at && props.layer === id && props.fid === 0 && l.getLatLng) {
                const p = map.latLngToContainerPoint(l.getLatLng());
                const box = map.getContainer().getBoundingClientRect();
                at = [box.left + p.x, box.top + p.y];
            }
        });
        return at;
    }""",
        layer_id,
    )
    box = page.locator("iframe[title*='streamlit_folium']").bounding_box()
    page.mouse.move(box["x"] + x, box["y"] + y)
    frame.wait_for_selector(".leaflet-tooltip", timeout=10_000)
    return frame.inner_text(".leaflet-tooltip")


def _no_script_ran(page, frame, dialogs) -> None:
    for where in (page, frame):
        assert where.evaluate(XSS_PAGE), "a payload ran"
        assert where.evaluate(ON_ATTRIBUTES) == []
        assert where.evaluate(JS_LINKS) == 0
    assert dialogs == [], dialogs


def test_payloads_render_as_text_on_the_map_page(hostile_app):
    from harness import map_frame

    url, browser, layers = hostile_app
    points = next(info for info in layers if info.kind == "coworking")
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.runs = RunWatcher(page)
    page.goto(f"{url}/?basemap=none&sel={points.id}:0")  # the detail panel straight from the URL
    frame = map_frame(page)
    page.get_by_role("heading", name=f"Ort 0 {IMG}").wait_for(timeout=30_000)
    details = page.locator(".sr-details").inner_text()
    assert IMG in details and "javascript:window.__xss=8" in details  # a value, and no link
    assert "</script><script>" in details  # a column name (labels show "_" as a space)
    legend = page.locator(".sr-legend").inner_text()
    assert f"Titel {IMG}" in legend and PAYLOADS[5] in legend
    foreign = ".sr-legend img:not([src^='data:image/svg+xml']), .sr-details img, .sr-details script"
    assert page.locator(foreign).count() == 0  # the legend's own symbols are data-URI images
    assert PAYLOADS[2] in frame.inner_text(".leaflet-control-attribution")

    tooltip = _hover_tooltip(page, frame, points.id)
    assert tooltip and IMG in tooltip, tooltip
    assert frame.locator(".leaflet-tooltip img, .leaflet-tooltip svg").count() == 0

    page.get_by_text("Tabelle", exact=True).click()
    page.get_by_label("Ebene für Tabelle und Download").click()
    page.get_by_role("option", name=f"Titel {IMG}").click()
    page.get_by_text(f"von {len(PAYLOADS)} angezeigt").wait_for(timeout=20_000)
    handlers_had_their_chance(page, [frame])
    _no_script_ran(page, frame, dialogs)


# --- planner pages: sign-in, direct URLs, limits, payloads on the management page ------------

PASSWORD = "Salzland-Sicher-2025"
PLANNER_PATHS = ("/upload", "/verwalten", "/fuehrung", "/beteiligung")
# every parameter someone might guess at once (each page load costs seconds), and none
TRICKS = ("", "?planner=planer&user=planer&role=planner&auth=1&admin=1&upload_nonce=0&lang=en")


@pytest.fixture(scope="module")
def planner_app(tmp_path_factory, browser):
    """A server with one planner account, a 1 MB upload limit and a layer full of payloads."""
    from accounts import quick_hash
    from harness import streamlit_server

    from geo.store import open_store

    data = tmp_path_factory.mktemp("planner") / "data"
    store = open_store(str(data))
    store.write(hostile_frame(), title="Ebene " + IMG, kind="other", source_file=f"{PAYLOADS[1]}.gpkg",
                attribution=PAYLOADS[2], roles={"name": "name"})  # fmt: skip
    env = {"SMART_REGION_PLANNERS": json.dumps({"planer": quick_hash(PASSWORD)}),
           "SMART_REGION_MAX_UPLOAD_MB": "1"}  # fmt: skip
    with streamlit_server(data, env=env) as url:
        yield url, browser, data


def _page(browser, url: str, path: str):
    page = browser.new_context(viewport={"width": 1400, "height": 1100}).new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.runs = RunWatcher(page)
    page.goto(url + path)
    return page, dialogs


def _sign_in(page) -> None:
    area = page.get_by_test_id("stMain")
    area.get_by_label("Benutzername").fill("planer")
    area.get_by_label("Passwort", exact=True).fill(PASSWORD)
    area.get_by_role("button", name="Anmelden").click()
    page.get_by_text("Angemeldet als planer").wait_for(timeout=60_000)


def _state(data) -> tuple:
    from geo.store import open_store

    store = open_store(str(data))
    return store.list_layers(include_deleted=True), store.audit_log()


@pytest.mark.parametrize("path", PLANNER_PATHS)
def test_planner_pages_refuse_viewers_whatever_the_url_says(planner_app, path):
    url, browser, data = planner_app
    before = _state(data)
    for trick in TRICKS:
        page, _ = _page(browser, url, path + trick)
        main = page.get_by_test_id("stMain")
        main.get_by_role("button", name=re.compile("Anmelden|Sign in")).wait_for(timeout=60_000)
        settle(page)  # the script has finished drawing
        assert page.locator("input[type=file]").count() == 0, trick
        assert main.get_by_test_id("stDataFrame").count() == 0, trick
        assert page.get_by_text("Angemeldet als").count() == 0, trick
        buttons = {b.inner_text().strip() for b in main.locator("button:visible").all()}
        assert buttons - {"", "visibility", "visibility_off"} <= {"Anmelden", "Sign in"}, (trick, buttons)
        page.context.close()
    assert _state(data) == before


def test_upload_over_the_limit_is_refused_in_the_browser(planner_app, tmp_path):
    url, browser, data = planner_app
    before = _state(data)
    big = tmp_path / "gross.geojson"
    big.write_bytes(GEOJSON[:-2] + b" " * (1024 * 1024 + 100) + GEOJSON[-2:])
    page, _ = _page(browser, url, "/upload")
    _sign_in(page)
    page.get_by_test_id("stMain").locator("input[type=file]").set_input_files(str(big))
    # Streamlit's uploader refuses it in the browser; the page's own check would say "größer als erlaubt"
    refusal = page.get_by_text(re.compile(r"File must be 1(\.0)?MB or smaller|größer als erlaubt \(1 MB\)"))
    refusal.first.wait_for(timeout=60_000)
    settle(page)
    assert page.get_by_text("Importbericht").count() == 0
    assert page.get_by_role("button", name="Speichern").count() == 0
    assert _state(data) == before


def test_payload_file_names_and_titles_stay_text_on_upload_and_management(planner_app, tmp_path):
    url, browser, data = planner_app
    hostile = tmp_path / f"{IMG}.geojson"
    hostile.write_bytes(GEOJSON)
    page, dialogs = _page(browser, url, "/upload")
    _sign_in(page)
    main = page.get_by_test_id("stMain")
    main.locator("input[type=file]").set_input_files(str(hostile))
    main.get_by_text("Importbericht").wait_for(timeout=60_000)
    assert main.get_by_text(IMG, exact=False).count() >= 1  # the file name, shown as text
    handlers_had_their_chance(page)
    assert page.evaluate(XSS_PAGE) and page.evaluate(ON_ATTRIBUTES) == [] and page.evaluate(JS_LINKS) == 0

    page.goto(url + "/verwalten")
    _sign_in(page)  # a reload starts a new, signed-out session
    main.get_by_text("Änderungsprotokoll").wait_for(timeout=60_000)
    assert main.get_by_label("Titel").input_value() == f"Ebene {IMG}"  # shown as the value it is
    main.get_by_role("tab", name="Löschen").click()  # the title inside a (markdown) checkbox label
    main.get_by_text(f"Ja, „Ebene {IMG}“ in den Papierkorb verschieben").wait_for(timeout=30_000)
    main.get_by_role("tab", name="Versionen").click()
    handlers_had_their_chance(page)  # versions with the payload file name, audit log, trash
    assert page.evaluate(XSS_PAGE), "a payload ran on the management page"
    assert page.evaluate(ON_ATTRIBUTES) == []
    assert page.evaluate(JS_LINKS) == 0
    assert dialogs == []
