"""Forum mode in a real browser: keyboard tour, right layers per station, fully offline; the
projector layout at two venue sizes (map fills the screen, nothing cut, big type, AA contrast,
names on the map, a way back). One server for the module.

With ``SMART_REGION_SCREENS=<folder>`` the projector test saves a screenshot of every station
at both sizes there (for review notes; nothing is written otherwise)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from harness import (
    act,
    block_outside,
    count_until,
    dashboard,
    drawn_features,
    map_frame,
    open_page,
    visible_texts,
    wait_until,
)

from geo.demo import build_demo
from geo.store import open_store

pytestmark = [pytest.mark.browser, pytest.mark.dated]

# demo tour: 21 Gemeinden; + 6 coworking; + every mobility layer (33 stations, 18 charging
# points, 18 offers, 1 on-demand zone); + the 6 of 9 demo events still to come
EXPECTED = [
    ("Unser Landkreis", 21),
    ("Arbeiten auf dem Land", 27),
    ("Mobil ohne eigenes Auto", 91),
    ("Mitreden", 27),
]
PROJECTORS = ((1920, 1080), (1280, 720))
GAP_PX = 24  # the map may end this far above the screen's bottom edge (and start below the title)

LAYOUT_JS = """() => {
    const box = e => e.getBoundingClientRect();
    const map = box(document.querySelector("iframe[title*='streamlit_folium']"));
    const title = box(document.querySelector('h1'));
    const qr = box(document.querySelector('[data-testid=stMain] img[alt]'));
    const controls = 'button, button *, [data-testid=stPageLink] a, [data-testid=stPageLink] a *';
    const cut = [...document.querySelectorAll(controls)]
        .filter(e => e.checkVisibility() && e.scrollWidth > e.clientWidth + 1).map(e => e.textContent);
    return {title: title.bottom, top: map.top, bottom: map.bottom, height: innerHeight, cut, qr: qr.bottom,
            wide: document.documentElement.scrollWidth > innerWidth};
}"""
NAMES_JS = """() => [...document.querySelectorAll('.sr-name span')]
    .filter(e => e.checkVisibility({visibilityProperty: true})).map(e => e.textContent)"""


@pytest.fixture(scope="module")
def server(tmp_path_factory, browser):
    data = tmp_path_factory.mktemp("forum") / "data"
    build_demo(open_store(str(data)))
    with dashboard(data) as running:
        yield running


def wait_for(frame, expected: int, timeout: float = 30) -> int:
    return count_until(lambda: drawn_features(frame), expected, timeout)


def test_tour_advances_by_keyboard_offline(server, browser):
    url = server.url
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    blocked = block_outside(context, url)
    page = context.new_page()
    page.goto(url + "/forum")
    frame = map_frame(page)
    for i, (title, count) in enumerate(EXPECTED):
        page.get_by_role("heading", name=title).wait_for(timeout=30_000)
        page.get_by_text(f"Station {i + 1} von 4").wait_for()
        frame = map_frame(page)
        assert wait_for(frame, count) == count, title
        if i < len(EXPECTED) - 1:
            page.locator("h1").first.click()  # focus the page, not the map
            page.keyboard.press("ArrowRight" if i % 2 == 0 else "Space")
    page.keyboard.press("ArrowLeft")
    page.get_by_role("heading", name=EXPECTED[2][0]).wait_for(timeout=30_000)
    assert "station=3" in page.url
    # auto-advance with a visible pause button
    page.goto(url + "/forum?station=1&takt=5")
    page.get_by_role("button", name="▶ Automatisch").click()
    page.get_by_role("button", name="⏸ Pause").wait_for()
    page.get_by_role("heading", name=EXPECTED[1][0]).wait_for(timeout=20_000)
    page.get_by_role("button", name="⏸ Pause").click()
    page.get_by_role("button", name="▶ Automatisch").wait_for()
    assert not blocked, blocked
    # the projector view has no editing controls: no text inputs, no file upload, no sidebar
    assert page.locator("input[type=text]:visible, input[type=file]:visible, textarea:visible").count() == 0
    assert not page.locator("[data-testid=stSidebar]").is_visible()
    context.close()


def check_station(page, frame, title: str, where: str) -> None:
    """The projector layout of the station on screen (see the module docstring)."""
    layout = page.evaluate(LAYOUT_JS)
    assert 0 <= layout["top"] - layout["title"] <= GAP_PX, (where, layout)
    assert 0 <= layout["height"] - layout["bottom"] <= GAP_PX, (where, layout)
    assert not layout["cut"] and not layout["wide"], (where, layout)
    assert 0 < layout["qr"] <= layout["height"], (where, layout)  # the whole QR code on screen
    texts = visible_texts(page) + visible_texts(frame)
    shown = " | ".join(t["text"] for t in texts)
    assert all(word in shown for word in ("Zurück", "Weiter", "Forum verlassen", title, "Handy")), shown
    small = [t for t in texts if t["px"] < 24]
    assert not small, (where, small)
    faint = [t for t in texts if t["contrast"] < 4.5]
    assert not faint, (where, faint)
    names = wait_until(lambda: frame.evaluate(NAMES_JS), 30, "no municipality names on the map")
    assert len(set(names)) >= 6 and "Aschersleben" in names, (where, names)  # the largest always shows


@pytest.mark.parametrize("size", PROJECTORS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_projector_layout_at_venue_sizes(server, browser, size):
    width, height = size
    screens = os.environ.get("SMART_REGION_SCREENS")
    page = open_page(browser, server.url, "/forum?basemap=none", viewport={"width": width, "height": height})
    for i, (title, count) in enumerate(EXPECTED):
        page.get_by_role("heading", name=title).wait_for()
        frame = map_frame(page)
        assert wait_for(frame, count) == count, title
        check_station(page, frame, title, f"{title} at {width}×{height}")
        if screens:
            page.screenshot(path=str(Path(screens) / f"station{i + 1}-{width}x{height}.png"))
        if i < len(EXPECTED) - 1:
            act(page, page.get_by_role("button", name="Weiter ▶").click)
    # the way back: a link to the map, in the language of the forum
    act(page, page.get_by_role("link", name="Forum verlassen").click)
    page.get_by_test_id("stSidebarNav").wait_for()
    assert page.url.split("?")[0].rstrip("/") == server.url and "lang=de" in page.url
    assert not page.blocked, page.blocked
