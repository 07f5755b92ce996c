"""Forum mode in a real browser: keyboard tour, right layers per station, fully offline."""

from __future__ import annotations

import pytest
from harness import block_outside, chromium, count_until, drawn_features, map_frame, streamlit_server

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


def wait_for(frame, expected: int, timeout: float = 30) -> int:
    return count_until(lambda: drawn_features(frame), expected, timeout)


def test_tour_advances_by_keyboard_offline(tmp_path):
    data = tmp_path / "data"
    build_demo(open_store(str(data)))
    with streamlit_server(data) as url, chromium() as browser:
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
        assert (
            page.locator("input[type=text]:visible, input[type=file]:visible, textarea:visible").count() == 0
        )
        assert not page.locator("[data-testid=stSidebar]").is_visible()
