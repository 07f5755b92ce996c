"""Participation in real browsers: phones (mobile contexts) send ideas, the projector shows them.

Each browser context is one phone with its own cookie jar, so "+1 once per device" is tested
the way people would break it: pressing twice, and reloading the page.
"""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from harness import RunWatcher, act, block_outside, chromium, streamlit_server, wait_until
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from geo import clock
from geo.demo import build_demo
from geo.participation.rounds import new_round
from geo.store import open_store

pytestmark = [pytest.mark.browser, pytest.mark.dated]
TIMEOUT = 90_000
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
BBOX = (11.3, 51.65, 12.0, 52.05)  # the demo Salzlandkreis
CATS = ("Coworking", "Mobilität", "Sonstiges")
PAYLOAD = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>Coworking am Bahnhof'
SHOTS = os.environ.get("SMART_REGION_SCREENSHOTS")

COUNT_JS = """() => {
    const maps = new Set(Object.values(window).filter(v => v instanceof L.Map));
    let n = 0;
    maps.forEach(m => m.eachLayer(l => { if (l.feature && 'support' in l.feature.properties) n++; }));
    return n;
}"""
ZOOM_JS = "() => [...new Set(Object.values(window).filter(v => v instanceof L.Map))][0].getZoom()"
OPEN_TOOLTIP_JS = """(needle) => {
    const maps = new Set(Object.values(window).filter(v => v instanceof L.Map));
    let opened = 0;
    maps.forEach(m => m.eachLayer(l => {
        if (l.feature && String(l.feature.properties.text || '').includes(needle)) {
            l.fire('mouseover', {latlng: l.getLatLng()}, true);  // hover: the group's tooltip opens
            opened++;
        }
    }));
    return opened;
}"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    data = tmp_path_factory.mktemp("participation") / "data"
    store = open_store(str(data))
    build_demo(store)
    now = clock.now()
    rnd = store.create_round(
        new_round(
            "Wo fehlt ein Coworking-Space?",
            CATS,
            BBOX,
            now - timedelta(minutes=1),
            now + timedelta(hours=3),
            rate_limit=2,
        )
    )
    env = {"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}  # like a forum server: no reloads mid-test
    with streamlit_server(data, env=env) as url, chromium() as browser:
        warm = browser.new_page()  # the first sessions after a start may miss st.navigation's pages
        warm.goto(url + "/")
        warm.get_by_text("Beteiligung live").first.wait_for(timeout=TIMEOUT)
        warm.close()
        yield url, browser, store, rnd


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


def dismiss_page_not_found(page) -> None:
    """Streamlit sometimes flashes "Page not found" (and the main page) before the requested page."""
    dialog = page.get_by_role("dialog")
    if dialog.count() and "Page not found" in dialog.inner_text():
        page.keyboard.press("Escape")


def settled_map(page, heading: str):
    """The page's map frame once `heading` shows (so not a map of a page that flashed before)."""
    page.get_by_text(heading).first.wait_for(timeout=TIMEOUT)

    def one_map():
        dismiss_page_not_found(page)
        frames = [
            h.content_frame()
            for h in page.query_selector_all("iframe[title*='streamlit_folium']")
            if (h.bounding_box() or {}).get("height", 0) > 0
        ]
        if len(frames) == 1 and frames[0] and frames[0].query_selector(".leaflet-container"):
            return frames[0]
        return None

    return wait_until(one_map, TIMEOUT / 1000, "no settled map on the page")


def visit(page, url: str, heading: str, attempts: int = 3):
    """Open `url` and return its settled map frame.

    While files under pages/ change (development), Streamlit's page watcher can make a first
    run miss the requested page and show the main page instead; opening the link again helps.
    """
    for attempt in range(attempts):
        page.goto(url)
        try:
            page.get_by_text(heading).first.wait_for(timeout=TIMEOUT // 2)
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise
            continue
        return settled_map(page, heading)
    raise AssertionError("unreachable")


def open_phone(browser, url: str, rnd, context=None):
    context = context or browser.new_context(**PHONE)
    page = context.new_page()
    page.runs = RunWatcher(page)
    return page, visit(page, f"{url}/mitmachen?runde={rnd.id}&karte=none", rnd.question)


def expect(page, text: str, timeout: int = TIMEOUT) -> None:
    """Wait for `text` (substring); on failure say which messages the page shows instead."""
    try:
        page.get_by_text(text, exact=False).first.wait_for(timeout=timeout)
    except PlaywrightTimeout:
        shot(page, "participation_failure.png")
        alerts = [a.inner_text() for a in page.get_by_test_id("stAlert").all()]
        raise AssertionError(f"{text!r} not shown; messages on the page: {alerts}") from None


def chosen_place(page) -> str:
    caption = page.get_by_text("Gewählter Ort:")
    return caption.first.inner_text() if caption.count() else ""


def tap(page, frame, x_frac: float = 0.5, y_frac: float = 0.5) -> None:
    """Tap the map at a fraction of its size and wait until the page shows the new place."""
    before = chosen_place(page)
    box = frame.locator(".leaflet-container").bounding_box()
    frame.locator(".leaflet-container").click(
        position={"x": box["width"] * x_frac, "y": box["height"] * y_frac}
    )
    wait_until(
        lambda: chosen_place(page) not in ("", before), TIMEOUT / 1000, "the tapped place was not taken over"
    )


def write(page, category: str, text: str) -> None:
    page.get_by_test_id("stRadio").get_by_text(category, exact=True).click()
    area = page.get_by_label("3. Ihr Beitrag")
    area.fill(text)
    act(page, lambda: area.press("Control+Enter"))  # the text is committed before the button's rerun


def send(page) -> None:
    page.get_by_role("button", name="Beitrag senden").click()


def live_count(frame) -> int:
    return frame.evaluate(COUNT_JS)


def wait_live(frame, expected: int, timeout: float = 30) -> float:
    """Seconds until the projector map shows `expected` contributions."""
    start = time.monotonic()
    wait_until(lambda: live_count(frame) == expected, timeout, f"projector does not show {expected}")
    return time.monotonic() - start


def test_phones_contribute_projector_updates_and_support_once_per_device(app):
    url, browser, store, rnd = app
    live_ctx = browser.new_context(viewport={"width": 1600, "height": 1000})
    blocked = block_outside(live_ctx, url)
    live = live_ctx.new_page()
    live_map = visit(live, f"{url}/beteiligung-live?runde={rnd.id}&karte=none", rnd.question)
    assert live_count(live_map) == 0

    phone_a, map_a = open_phone(browser, url, rnd)
    tap(phone_a, map_a, 0.45, 0.5)
    write(phone_a, "Coworking", PAYLOAD)
    shot(phone_a, "participation_phone_form.png")
    send(phone_a)
    expect(phone_a, "Danke! Ihr Beitrag ist angekommen.")
    seconds = wait_live(live_map, 1)
    phone_b, map_b = open_phone(browser, url, rnd)
    tap(phone_b, map_b, 0.6, 0.4)
    write(phone_b, "Mobilität", "Rufbus am Abend")
    send(phone_b)
    expect(phone_b, "Danke! Ihr Beitrag ist angekommen.")
    seconds = max(seconds, wait_live(live_map, 2))
    assert seconds < 20, seconds
    items = store.list_contributions(rnd.id)
    assert [c.text for c in items] == [PAYLOAD, "Rufbus am Abend"]

    # the payload is text everywhere: in the phone's list, and no script ran
    phone_b.get_by_text(PAYLOAD, exact=True).wait_for(timeout=TIMEOUT)
    first = phone_b.locator(f".st-key-part_item_{items[0].id}")
    first.get_by_role("button", name="+1 (0)").click()
    expect(phone_b, "Danke für Ihr „+1“!")
    first.get_by_role("button", name="✓ +1 (1)").click()
    expect(phone_b, "schon mit „+1“ unterstützt")
    phone_b.reload()  # a new session on the same device (cookie) still counts once
    settled_map(phone_b, rnd.question)
    again = phone_b.locator(f".st-key-part_item_{items[0].id}").get_by_role("button", name="✓ +1 (1)")
    again.click()
    expect(phone_b, "schon mit „+1“ unterstützt")
    phone_c, _ = open_phone(browser, url, rnd)
    phone_c.locator(f".st-key-part_item_{items[0].id}").get_by_role("button", name="+1 (1)").click()
    expect(phone_c, "Danke für Ihr „+1“!")
    assert store.list_contributions(rnd.id)[0].support == 2

    live.get_by_text(PAYLOAD, exact=True).wait_for(timeout=30_000)  # most supported, as text
    live.get_by_text("+2", exact=True).wait_for(timeout=30_000)
    assert live_map.evaluate(OPEN_TOOLTIP_JS, "onerror") == 1
    live_map.get_by_text(PAYLOAD).first.wait_for(timeout=10_000)  # tooltip shows the text literally
    shot(live, "participation_live.png")
    shot(phone_b, "participation_phone.png")
    for page in (live, phone_a, phone_b, phone_c):
        assert page.evaluate("window.__xss") is None
    for frame in (live_map, map_a):
        assert frame.evaluate("window.__xss") is None
    # offline: no script, style or font from outside (tile images may come from the main page
    # when Streamlit's page watcher flashes it first; without them the live page still works)
    assert not [u for u in blocked if not u.endswith(".png")], blocked


def test_refusals_rate_limit_extent_and_end_are_clear(app):
    url, browser, store, _ = app
    now = clock.now()
    rnd = store.create_round(
        new_round(
            "Welche Mobilitätsangebote wünschen Sie sich?",
            CATS,
            (11.55, 51.75, 11.75, 51.9),
            now,
            now + timedelta(hours=2),
            rate_limit=2,
        )
    )
    phone, frame = open_phone(browser, url, rnd)
    for i in range(2):
        tap(phone, frame, 0.5 + i / 20, 0.5)
        write(phone, "Mobilität", f"Idee {i}")
        send(phone)
        expect(phone, "Danke! Ihr Beitrag ist angekommen.")
    tap(phone, frame, 0.4, 0.45)
    write(phone, "Mobilität", "Idee 3")
    send(phone)
    expect(phone, "Von diesem Gerät kamen schon 2 Beiträge")
    assert phone.get_by_label("3. Ihr Beitrag").input_value() == "Idee 3"  # the text is kept

    other, frame = open_phone(browser, url, rnd)
    zoom = frame.evaluate(ZOOM_JS)
    frame.get_by_role("button", name="Zoom out").click()
    wait_until(lambda: frame.evaluate(ZOOM_JS) < zoom, message="the map did not zoom out")
    tap(other, frame, 0.92, 0.08)  # top right: outside the frame, away from the zoom buttons
    write(other, "Coworking", "Ganz weit draußen")
    send(other)
    expect(other, "außerhalb des Gebiets dieser Beteiligung")
    tap(other, frame, 0.5, 0.5)
    write(other, "Coworking", "Zu spät")
    store.close_round(rnd.id)  # a planner ends the round while this phone still has its form open
    send(other)
    expect(other, "Diese Beteiligung wurde beendet")
    shot(other, "participation_refused.png")
    assert len(store.list_contributions(rnd.id)) == 2
    # a round whose time is over by the (fake) clock: told when it ended, no form; no real waiting
    ended = store.create_round(
        new_round("Schon vorbei?", CATS, BBOX, now - timedelta(hours=3), now - timedelta(hours=1))
    )
    late, _ = open_phone(browser, url, ended)
    expect(late, "zu Ende gegangen")
    assert late.get_by_role("button", name="Beitrag senden").count() == 0
