"""The map shows up, offline: real server, headless Chromium, no outside requests."""

from __future__ import annotations

import time
from urllib.parse import urlparse

import pytest
from harness import chromium, count_until, drawn_features, map_frame, streamlit_server

pytestmark = pytest.mark.browser

# Gemeinden, coworking, stations, charging, offers, zones, events
DEMO_FEATURES = 21 + 6 + 33 + 18 + 18 + 1 + 9


def test_map_draws_demo_layers_without_outside_requests(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    with streamlit_server(data) as url, chromium() as browser:
        page = browser.new_page()
        hosts: list[str] = []
        page.context.on("request", lambda req: hosts.append(urlparse(req.url).netloc))
        started = time.monotonic()
        page.goto(url + "/?basemap=none&von=2000-01-01", wait_until="domcontentloaded")
        frame = map_frame(page)
        count_until(lambda f=frame: drawn_features(f), DEMO_FEATURES, 60, lambda n, want: n >= want)
        elapsed = time.monotonic() - started
        assert drawn_features(frame) == DEMO_FEATURES
        print(f"map drawn after {elapsed:.1f} s")
        outside = {h for h in hosts if h and h != urlparse(url).netloc}
        assert not outside, f"requests left the app: {sorted(outside)}"
        # attribution of the visible layers is on the map
        assert "Demodaten" in frame.inner_text(".leaflet-control-attribution")
        # every legend row shows its symbol beside the text (the same pictogram as on the map)
        rows = page.locator(".sr-legend li")
        assert rows.count() >= 10
        drawn = rows.evaluate_all("rows => rows.map(r => (r.querySelector('img') || {}).naturalWidth || 0)")
        assert all(width > 0 for width in drawn), drawn


def test_first_request_after_start_goes_through_dashboard(tmp_path):
    """Streamlit's legacy pages/ mode must not run a page without dashboard.py's navigation."""
    data = tmp_path / "data"
    data.mkdir()
    with streamlit_server(data) as url, chromium() as browser:
        page = browser.new_page()
        page.goto(url + "/upload")  # the very first session; "upload" is also a file in pages/
        page.get_by_text("Anmelden", exact=False).first.wait_for(timeout=60_000)
        nav = page.locator("[data-testid=stSidebarNav]").inner_text()
        assert "Karte" in nav and "manage" not in nav.lower() and "map view" not in nav.lower()
