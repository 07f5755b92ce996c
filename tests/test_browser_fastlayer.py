"""Compact layers in a real browser: all drawn, nothing fetched from outside, names stay text."""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest
from harness import REPO, chromium, count_until, drawn_features, map_frame, serve_script

from geo.maps.assets import install_static_assets
from geo.maps.fastlayer import SCRIPT_PATH

pytestmark = pytest.mark.browser

APP = REPO / "tests" / "apps" / "fastlayer_app.py"
XSS_NAME = '<img src=x onerror="window.__xss=1">'
EXPECTED = 4 + 3 + 2500  # areas (embedded), mixed (fetched), many points (fetched); hidden layer: later


@contextmanager
def app_server(tmp: Path, timeout: float = 60):
    """Serve the test app from `tmp` with its own ``static/`` (vendor files, our script, cache)."""
    static = tmp / "static"
    install_static_assets(static)
    (static / "js").mkdir(exist_ok=True)
    shutil.copyfile(SCRIPT_PATH, static / "js" / SCRIPT_PATH.name)
    main = tmp / "app.py"
    main.write_text(f"import runpy\nrunpy.run_path({str(APP)!r}, run_name='__main__')\n", encoding="utf-8")
    env = {"PYTHONPATH": str(REPO), "FASTLAYER_STATIC": str(static)}
    with serve_script(main, env, tmp / "streamlit.log", timeout) as url:
        yield url


def _wait_drawn(frame, expected: int, timeout: float = 60) -> int:
    return count_until(lambda: drawn_features(frame), expected, timeout, lambda n, want: n >= want)


def _page_point(page, frame, layer: str, name: str) -> tuple[float, float]:
    """Page coordinates of a point inside the feature called `name` of `layer`."""
    x, y = frame.evaluate(
        """([layer, name]) => {
        let f = null;
        window.map.eachLayer(l => { if (l.feature && l.feature.properties.layer === layer
                                        && l.feature.properties.name === name) f = l; });
        const b = f.getLatLng ? null : f.getBounds();
        const ll = b ? L.latLng(b.getSouth() + (b.getNorth() - b.getSouth()) * 0.15,
                                b.getWest() + (b.getEast() - b.getWest()) * 0.15) : f.getLatLng();
        const p = window.map.latLngToContainerPoint(ll);
        const r = window.map.getContainer().getBoundingClientRect();
        return [p.x + r.left, p.y + r.top];
    }""",
        [layer, name],
    )
    box = page.query_selector("iframe[title*='streamlit_folium']").bounding_box()
    return box["x"] + x, box["y"] + y


def test_compact_layers_drawn_offline_with_text_tooltips_and_clicks(tmp_path):
    with app_server(tmp_path) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        requests: list[str] = []
        page.context.on("request", lambda req: requests.append(req.url))
        page.goto(url, wait_until="domcontentloaded")
        frame = map_frame(page)
        assert _wait_drawn(frame, EXPECTED) == EXPECTED, f"see {tmp_path / 'streamlit.log'}"

        outside = {
            urlparse(u).netloc for u in requests if urlparse(u).scheme in ("http", "https", "ws", "wss")
        }
        assert outside == {urlparse(url).netloc}, f"requests left the app: {sorted(outside)}"
        scripts = [u for u in requests if "compact_layer.js" in u]
        assert scripts and all(u.startswith(url + "/app/static/js/") for u in scripts)
        assert sum("/app/static/cache/" in u for u in requests) == 2  # the two visible fetched layers
        assert frame.evaluate("window.map._compactRenderer instanceof L.Canvas")
        assert frame.evaluate("document.querySelectorAll('.leaflet-overlay-pane svg path').length") == 0

        x, y = _page_point(page, frame, "flaechen", "&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;")
        page.mouse.move(x, y)
        tooltip = frame.wait_for_selector(".leaflet-tooltip", timeout=10_000)
        assert XSS_NAME in tooltip.inner_text()
        assert frame.evaluate("document.querySelectorAll('.leaflet-tooltip img').length") == 0
        page.mouse.click(x, y)
        page.wait_for_selector("text=clicked flaechen 1", timeout=20_000)
        assert frame.evaluate("window.__xss") is None
        assert page.evaluate("window.__xss") is None
        # the layer control escapes titles; attribution of visible layers is shown
        assert "Ebene flaechen <b>" in frame.inner_text(".leaflet-control-layers")
        assert "Testdaten flaechen" in frame.inner_text(".leaflet-control-attribution")
        assert "Testdaten versteckt" not in frame.inner_text(".leaflet-control-attribution")

        # a layer hidden at start: switched on, it draws, shows its attribution, reports clicks
        frame.get_by_text("Ebene versteckt <b>").click()
        assert _wait_drawn(frame, EXPECTED + 3) == EXPECTED + 3
        assert sum("/app/static/cache/versteckt-" in u for u in requests) == 1  # fetched only now
        assert "Testdaten versteckt" in frame.inner_text(".leaflet-control-attribution")
        page.mouse.click(*_page_point(page, frame, "versteckt", "P"))
        page.wait_for_selector("text=clicked versteckt 0", timeout=20_000)
