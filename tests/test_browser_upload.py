"""Planners in a real browser: sign-in, upload with preview and report, store, errors, refusals."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import geopandas as gpd
import pytest
from accounts import quick_hash
from harness import RunWatcher, choose, chromium, map_frame, settle, streamlit_server

from geo.store import open_store

pytestmark = pytest.mark.browser
PASSWORD = "Bernburg-Saale-2025"
TIMEOUT = 60_000
SHOTS = os.environ.get("SMART_REGION_SCREENSHOTS")  # folder for screenshots, when set


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    data = tmp_path_factory.mktemp("upload") / "data"
    env = {"SMART_REGION_PLANNERS": json.dumps({"planer": quick_hash(PASSWORD)})}
    with streamlit_server(data, env=env) as url, chromium() as browser:
        warm = browser.new_page()  # the first session builds the demo store
        warm.goto(url + "/")
        warm.get_by_text("Anmelden für Planer").wait_for(timeout=TIMEOUT)
        warm.close()
        yield url, browser, data


def new_page(browser, url: str, path: str):
    page = browser.new_context(viewport={"width": 1400, "height": 1100}).new_page()
    page.runs = RunWatcher(page)
    page.goto(url + path)
    return page


def main(page):
    return page.get_by_test_id("stMain")


def sign_in(page, password: str = PASSWORD) -> None:
    """Through the form the refused page shows in its main area."""
    area = main(page)
    area.get_by_label("Benutzername").fill("planer")
    area.get_by_label("Passwort", exact=True).fill(password)
    area.get_by_role("button", name="Anmelden").click()


def upload(page, path: Path) -> None:
    main(page).locator("input[type=file]").set_input_files(str(path))


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


def store_state(data: Path) -> tuple:
    store = open_store(str(data))
    return store.list_layers(include_deleted=True), store.audit_log()


def test_upload_preview_store_and_see_on_map(app, shared_data):
    url, browser, data = app
    page = new_page(browser, url, "/upload")
    sign_in(page)
    page.get_by_text("Angemeldet als planer").wait_for(timeout=TIMEOUT)
    upload(page, shared_data / "points" / "D_Bahnhof_2020_alle.csv")
    area = main(page)
    area.get_by_text("Importbericht").wait_for(timeout=TIMEOUT)
    read = area.get_by_test_id("stMetric").filter(has_text="Objekte gelesen")
    assert "6.519" in read.inner_text()  # German thousands separator
    assert area.get_by_text("Quell-Koordinatensystem: EPSG:4326").is_visible()
    assert area.get_by_text("als WGS 84 (EPSG:4326) gelesen", exact=False).is_visible()
    area.get_by_text("Erste 20 von 6.519 Zeilen").wait_for()
    page.wait_for_selector("iframe[title*='streamlit_folium']", timeout=TIMEOUT)
    area.get_by_label("Titel").fill("Bahnhöfe DB 2020")
    choose(page, area.get_by_label("Art"), "Mobilität")
    shot(page, "upload_preview.png")
    area.get_by_role("button", name="Speichern").click()
    area.get_by_text("Gespeichert: „Bahnhöfe DB 2020“").wait_for(timeout=TIMEOUT)

    stored = [i for i in open_store(str(data)).list_layers() if i.title == "Bahnhöfe DB 2020"]
    assert len(stored) == 1
    info = stored[0]
    assert (info.kind, info.feature_count, info.version, info.updated_by) == ("mobility", 6519, 1, "planer")
    assert main(page).locator("input[type=file]").count() == 1  # the preview is cleared for the next file
    assert area.get_by_text("Importbericht").count() == 0

    area.get_by_role("link", name="Zur Karte").click()
    # the layer's switch in the sidebar (the legend beside the map names it the same way)
    page.get_by_test_id("stSidebarUserContent").get_by_text("Bahnhöfe DB 2020 (6.519 Objekte)").wait_for(
        timeout=TIMEOUT
    )


def test_broken_geopackage_shows_clear_error_and_changes_nothing(app, shared_data):
    url, browser, data = app
    before = store_state(data)
    page = new_page(browser, url, "/upload")
    sign_in(page)
    upload(page, shared_data / "robustness" / "test_broken_geopackage.gpkg")
    error = main(page).get_by_test_id("stAlertContentError")
    error.wait_for(timeout=TIMEOUT)
    text = error.inner_text()
    assert "„test_broken_geopackage.gpkg“ kann nicht gelesen werden" in text
    assert "Traceback" not in page.inner_text("body")
    assert main(page).get_by_role("button", name="Speichern").count() == 0
    assert store_state(data) == before


def test_wrong_password_is_refused(app):
    url, browser, _ = app
    page = new_page(browser, url, "/upload")
    sign_in(page, "falsches-passwort")
    main(page).get_by_text("Benutzername oder Passwort ist falsch").wait_for(timeout=TIMEOUT)
    assert page.get_by_text("Angemeldet als").count() == 0
    assert page.locator("input[type=file]").count() == 0


def test_management_by_direct_url_shows_no_controls_to_viewers(app):
    url, browser, _ = app
    page = new_page(browser, url, "/verwalten")
    main(page).get_by_text("nur für angemeldete Planerinnen und Planer").wait_for(timeout=TIMEOUT)
    settle(page)  # the script has finished drawing
    assert page.locator("input[type=file]").count() == 0
    assert page.get_by_test_id("stDataFrame").count() == 0
    labels = {b.inner_text().strip() for b in page.locator("button:visible").all()}
    labels -= {"", "visibility", "visibility_off", "close"}  # icon buttons: password eye, dialogs
    assert labels <= {"Anmelden"}, labels
    assert page.get_by_text("Ebenen verwalten").count() >= 1  # the title, not a navigation entry
    assert page.get_by_role("link", name=re.compile("Daten hochladen")).count() == 0


def test_planner_manages_versions_and_sees_the_audit_log(app):
    url, browser, data = app
    store = open_store(str(data))
    layer_id = next(i.id for i in store.list_layers() if i.kind == "mobility")
    page = new_page(browser, url, "/verwalten")
    sign_in(page)
    area = main(page)
    area.get_by_text("Änderungsprotokoll").wait_for(timeout=TIMEOUT)
    choose(page, area.get_by_label("Ebene bearbeiten"), re.compile(re.escape(f"({layer_id})")))
    area.get_by_role("tab", name="Löschen").click()
    area.get_by_text("in den Papierkorb verschieben").click()
    area.get_by_role("button", name="In den Papierkorb").click()
    area.get_by_text(f"„{layer_id}“ liegt jetzt im Papierkorb").wait_for(timeout=TIMEOUT)
    assert layer_id not in [i.id for i in store.list_layers()]
    shot(page, "manage.png")
    area.get_by_role("button", name="Wiederherstellen").first.click()
    area.get_by_text("ist wiederhergestellt").wait_for(timeout=TIMEOUT)
    assert layer_id in [i.id for i in store.list_layers()]
    actions = [e.action for e in store.audit_log() if e.layer_id == layer_id and e.user == "planer"]
    assert actions[:2] == ["undelete", "delete"]
    with page.expect_download() as dl:
        area.get_by_role("button", name="Protokoll als CSV herunterladen").click()
    assert "in den Papierkorb" in Path(dl.value.path()).read_text(encoding="utf-8-sig")


def test_real_data_swap_offer_type_mapping_and_clusters_on_the_district_map(app, shared_data, tmp_path):
    url, browser, data = app
    zones = gpd.read_file(shared_data / "points" / "de_points_4326.gpkg", layer="callabike_2017_fixed")
    bikes = tmp_path / "callabike_2017.csv"  # LATITUDE holds ~11° E, as in the open-data CSV
    zones[["NAME", "CITY", "LATITUDE", "LONGITUDE"]].to_csv(bikes, sep=";", index=False)
    page = new_page(browser, url, "/upload")
    sign_in(page)
    upload(page, bikes)
    area = main(page)
    area.get_by_text("Kaum ein Punkt liegt in Deutschland", exact=False).wait_for(timeout=TIMEOUT)
    area.get_by_text("x- und y-Spalte tauschen", exact=True).click()
    area.get_by_text("wurden getauscht eingelesen", exact=False).wait_for(timeout=TIMEOUT)
    assert area.get_by_text("Kaum ein Punkt liegt in Deutschland", exact=False).count() == 0

    charging = shared_data / "points" / "ladesaeulen_st_sn_2019-07.csv"
    page = new_page(browser, url, "/upload")
    sign_in(page)
    upload(page, charging)
    area = main(page)
    area.get_by_text("Kategorien den Mobilitätstypen zuordnen").wait_for(timeout=TIMEOUT)
    for category in ("Normalladeeinrichtung", "Schnellladeeinrichtung"):
        box = area.get_by_test_id("stSelectbox").filter(has_text=category)
        assert "Ladepunkt" in box.inner_text() + box.locator("input").input_value()
    area.get_by_label("Titel").fill("Ladesäulen ST/SN")
    area.get_by_role("button", name="Speichern").click()
    area.get_by_text("Gespeichert: „Ladesäulen ST/SN“").wait_for(timeout=TIMEOUT)
    info = next(i for i in open_store(str(data)).list_layers() if i.title == "Ladesäulen ST/SN")
    assert set(open_store(str(data)).read(info.id)["mobility_type"]) == {"ladepunkt"}

    page = new_page(browser, url, "/?basemap=none")
    frame = map_frame(page)
    frame.wait_for_selector(".marker-cluster", timeout=TIMEOUT)  # 454 points clustered
    view = "() => { const m = window.map, c = m.getCenter(); return [c.lat, c.lng, m.getZoom()]; }"
    lat, lng, zoom = frame.evaluate(view)
    assert 51.6 < lat < 52.1 and 11.3 < lng < 12.3 and zoom >= 9, (lat, lng, zoom)  # the district
