"""Accessibility: axe-core finds no serious or critical violation on any public page (German,
demo data, 1400×1000, main document once its map has drawn)."""

from __future__ import annotations

import pytest
from harness import chromium, map_frame, streamlit_server, wait_map_drawn

pytestmark = pytest.mark.browser

PUBLIC_PAGES = (
    "/",
    "/veranstaltungen",
    "/forum",
    "/mitmachen",
    "/beteiligung-live",
    "/gemeinde",
    "/uebersicht",
    "/erreichbarkeit",
)


def test_axe_no_serious_violations_on_public_pages(tmp_path):
    from axe_playwright_python.sync_playwright import Axe

    data = tmp_path / "data"
    data.mkdir()
    found = {}
    with streamlit_server(data) as url, chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        for path in PUBLIC_PAGES:
            page = context.new_page()
            page.goto(url + path + "?basemap=none", wait_until="domcontentloaded")
            wait_map_drawn(map_frame(page))
            page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden", timeout=60_000)
            results = Axe().run(page)
            serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
            if serious:
                found[path] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
            page.close()
        context.close()
    assert not found, found
