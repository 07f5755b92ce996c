"""Events page in a real browser: upcoming list, date slider → map, event zoom, .ics, offline.

The demo store is built for today, so its nine events lie at -60, -21, -7, 5, 12, 19, 33, 47
and 75 days from now; the default period (today to +90 days) holds the six upcoming ones.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from harness import chromium, drawn_features, map_frame, streamlit_server, wait_drawn, wait_until
from icalendar import Calendar

from geo.demo import build_demo
from geo.maps.symbols import icon_file_text
from geo.store import open_store

pytestmark = [pytest.mark.browser, pytest.mark.dated]
UPCOMING = {
    "Bürgerforum Rufbus",
    "Open Coworking Day",
    "Digitalwerkstatt für Senioren",
    "Zukunftswerkstatt Elbe-Saale",
    "Forum Ladeinfrastruktur",
    "Jugendforum Smart Region",
}
PAST = {"Auftaktforum Smart Region", "Workshop Coworking auf dem Land", "Mobilitätsdialog Bördeland"}
PATH = "/veranstaltungen?basemap=none"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    data = tmp_path_factory.mktemp("events") / "data"
    build_demo(open_store(str(data)))
    with streamlit_server(data) as url, chromium() as browser:
        # The first visit to a page whose URL differs from its file name gets Streamlit's
        # "page not found" notice once per server (its legacy pages/ folder check): warm up.
        warm = browser.new_page()
        warm.goto(url + PATH)
        map_frame(warm)
        warm.close()
        yield url, browser


def open_page(browser, url: str, path: str = PATH):
    """The page, its map frame, and the list of every URL the browser requested."""
    page = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True).new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url + path)
    return page, map_frame(page), requests


def drawn_events(frame) -> int:
    """Event features drawn (the municipalities are drawn too, for orientation)."""
    return frame.evaluate(
        """() => {
        const maps = new Set(Object.values(window).filter(v => v instanceof L.Map));
        let n = 0;
        maps.forEach(m => m.eachLayer(l => {
            const p = l.feature && l.feature.properties;
            const drawn = l instanceof L.Path || l instanceof L.Marker;
            if (drawn && p && p.layer === "veranstaltungen-demo") n++;
        }));
        return n;
    }"""
    )


def wait_events(page, expected: int, timeout: float = 30) -> int:
    return wait_drawn(page, expected, timeout, count=drawn_events)


def outside_requests(requests: list[str], url: str) -> list[str]:
    host = urlparse(url).netloc
    web = [urlparse(r) for r in requests if urlparse(r).scheme in ("http", "https", "ws", "wss")]
    return [r.geturl() for r in web if r.netloc != host]


def test_upcoming_events_listed_and_drawn_without_outside_requests(app):
    url, browser = app
    page, frame, requests = open_page(browser, url)
    assert wait_events(page, 6) == 6
    assert drawn_features(frame) == 6 + 21  # and the demo's 21 municipalities
    page.get_by_text("6 Veranstaltungen im gewählten Zeitraum").wait_for()
    page.get_by_role("tab", name="Kommende (6)").wait_for()
    for title in UPCOMING:
        assert page.get_by_text(title, exact=True).first.is_visible(), title
    assert not page.get_by_text("Auftaktforum Smart Region", exact=True).first.is_visible()
    page.get_by_text("Veranstaltungen je Woche").wait_for()
    chart = "[data-testid='stVegaLiteChart']"
    page.locator(f"{chart} canvas, {chart} svg").first.wait_for()
    assert not outside_requests(requests, url)


def test_date_slider_changes_the_events_drawn(app):
    url, browser = app
    page, frame, requests = open_page(browser, url)
    assert wait_events(page, 6) == 6
    sliders = page.get_by_role("slider")
    sliders.first.focus()
    page.keyboard.press("Home")  # period from the earliest event on: all nine
    page.get_by_text("9 Veranstaltungen im gewählten Zeitraum").wait_for(timeout=30_000)
    assert wait_events(page, 9) == 9
    page.get_by_role("tab", name="Vergangene (3)").click()
    for title in PAST:
        page.get_by_text(title, exact=True).first.wait_for()
    sliders.first.focus()
    page.keyboard.press("End")  # period starts at its end (today + 90 days): no event left
    page.get_by_text("0 Veranstaltungen im gewählten Zeitraum").wait_for(timeout=30_000)
    assert wait_events(page, 0) == 0
    assert not outside_requests(requests, url)


def test_ics_download_parses_with_the_listed_events(app):
    url, browser = app
    page, frame, _ = open_page(browser, url)
    wait_events(page, 6)
    with page.expect_download() as dl:
        page.get_by_role("button", name="Als Kalender (.ics)").click()
    assert dl.value.suggested_filename.endswith(".ics")
    cal = Calendar.from_ical(open(dl.value.path(), "rb").read())  # noqa: SIM115 - read at once
    events = cal.walk("VEVENT")
    assert len(events) == 6
    assert {str(e["summary"]) for e in events} == UPCOMING
    assert all(e.decoded("dtstart").tzinfo.key == "Europe/Berlin" for e in events)
    assert cal.walk("VTIMEZONE")[0]["tzid"] == "Europe/Berlin"


def test_show_on_map_zooms_to_the_event(app):
    url, browser = app
    page, frame, _ = open_page(browser, url)
    wait_events(page, 6)
    row = page.locator("[data-testid='stHorizontalBlock']").filter(has_text="Bürgerforum Rufbus").last
    row.get_by_role("button", name="Auf der Karte zeigen").click()
    script = """() => { const m = [...new Set(Object.values(window).filter(v => v instanceof L.Map))].pop();
                        const c = m.getCenter(); return [m.getZoom(), c.lat, c.lng]; }"""
    seen = []

    def zoomed_in() -> bool:
        seen.append(map_frame(page).evaluate(script))
        zoom, lat, lon = seen[-1]
        return zoom >= 14 and abs(lat - 51.944) < 0.01 and abs(lon - 11.434) < 0.01

    wait_until(zoomed_in, 30, f"map not on the event: {seen[-1:]}")
    assert page.get_by_text("Bürgerhaus Egeln (Demo)").first.is_visible()  # its details beside the map


def test_english_page_and_served_icons(app):
    url, browser = app
    page, frame, requests = open_page(browser, url, PATH + "&lang=en")
    assert wait_events(page, 6) == 6
    page.get_by_text("6 events in the chosen period").wait_for()
    page.get_by_role("tab", name="Upcoming (6)").wait_for()
    page.get_by_role("button", name="As calendar (.ics)").wait_for()
    response = page.request.get(url + "/app/static/icons/bahnhof.svg")
    assert response.ok and response.headers["content-type"].startswith("image/svg+xml")
    assert response.text() == icon_file_text("bahnhof")
    assert not outside_requests(requests, url)
