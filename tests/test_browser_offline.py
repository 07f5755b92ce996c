"""Offline on every page: "Ohne Hintergrund" chosen once follows the user to every page with a
map, and with every request outside the app blocked each of those maps still draws."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from harness import block_outside, chromium, streamlit_server, wait_map_drawn

pytestmark = pytest.mark.browser

# sidebar titles of the public pages that show a map; the projector pages (live, forum) hide the
# sidebar, so the links are clicked by script: a page load would start a new session
MAP_PAGES = (
    ("Veranstaltungen", "/veranstaltungen"),
    ("Mitmachen", "/mitmachen"),
    ("Beteiligung live", "/beteiligung-live"),
    ("Gemeindeprofil", "/gemeinde"),
    ("Kreisübersicht", "/uebersicht"),
    ("Erreichbarkeit", "/erreichbarkeit"),
    ("Forum-Modus", "/forum"),
)
OFFLINE = "Ohne Hintergrund (offline)"

_NEW_MAP = "() => [...document.querySelectorAll('iframe[title*=streamlit_folium]')].find(f => !f.srOld)"


def _map_drawn(page) -> tuple[int, int]:
    """Once this page's own map (not the last page's) has drawn something: (drawn layers, tiles)."""
    page.wait_for_function(_NEW_MAP, timeout=60_000)
    frame = page.evaluate_handle(_NEW_MAP).as_element().content_frame()
    frame.wait_for_selector(".leaflet-container", timeout=60_000)
    return wait_map_drawn(frame), frame.locator("img.leaflet-tile").count()


def _mark_old(page) -> None:
    page.evaluate("document.querySelectorAll('iframe').forEach(f => { f.srOld = true; })")


def _basemap_box(page):
    return page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]", has_text="Hintergrundkarte")


def test_offline_choice_follows_user_to_every_map_page(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    with streamlit_server(data) as url, chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        blocked = block_outside(context, url)
        page = context.new_page()
        page.goto(url + "/", wait_until="domcontentloaded")
        _map_drawn(page)
        _mark_old(page)
        _basemap_box(page).click()
        page.get_by_role("option", name=OFFLINE).click()
        page.wait_for_url(lambda u: parse_qs(urlparse(u).query).get("basemap") == ["none"])
        assert _map_drawn(page)[1] == 0  # the map is re-made without a tile layer
        blocked.clear()  # the default basemap's tiles, asked for before the choice

        for title, path in MAP_PAGES:
            _mark_old(page)
            page.locator("[data-testid=stSidebarNav] a", has_text=title).first.dispatch_event("click")
            page.wait_for_url(lambda u, p=path: urlparse(u).path == p)
            drawn, tiles = _map_drawn(page)
            assert drawn > 0, f"{title}: nothing drawn"
            assert tiles == 0, f"{title}: {tiles} basemap tiles"
            assert not blocked, f"{title}: outside requests {blocked[:3]}"
            if title != "Forum-Modus":
                box = _basemap_box(page)
                assert OFFLINE in box.inner_text() + box.locator("input").input_value(), title
                assert parse_qs(urlparse(page.url).query).get("basemap") == ["none"], title
        context.close()
