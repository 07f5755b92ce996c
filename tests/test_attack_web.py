"""Issue 15, findings 5, 6, 7 and 9 and the proxy rule of finding 2, attacked as they were, against
the running app server: raw HTTP and websocket requests, and Chromium for what a viewer sees.
The server trusts no proxy here (the default).

5. A viewer's session id and the XSRF cookie do not get files into the upload endpoint; a
   signed-in planner's session uploads, up to a per-session total.
7. Markdown in names, values and titles shows as text: no remote image loads (a beacon server
   counts), no link appears; the CSP stops even an image put into the page by script.
9. ``/_stcore/metrics`` is not served; malformed widget messages log one line, no traceback.
6. A map payload or tile set of a layer in the trash (or of a replaced version) is served by no route.
2. ``X-Forwarded-For`` from a client that is no trusted proxy changes nothing: rotating it
   does not get around the sign-in counter of its real address.
"""

from __future__ import annotations

import asyncio
import http.server
import threading
import urllib.error
import urllib.request

import geopandas as gpd
import pytest
from attack_support import PASSWORD, SIGNED_IN, THROTTLED, forwarded, planner_env, put_upload, sign_in
from shapely.geometry import Point, box
from st_client import Visitor, session

pytestmark = pytest.mark.browser
MB = 1024 * 1024


class Beacon(http.server.BaseHTTPRequestHandler):
    """A tracking pixel's server: it only counts who asks."""

    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - the http.server hook
        Beacon.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def beacon():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Beacon)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def app(tmp_path_factory, beacon):
    from harness import streamlit_server

    from geo.store import open_store

    data = tmp_path_factory.mktemp("attack-web") / "data"
    store = open_store(str(data))
    image, link = f"![b]({beacon}/bild.png)", "[klick](https://example.org/x)"
    frame = gpd.GeoDataFrame(
        {
            "name": [f"Ort {image} {link}", "Ort zwei"],
            "info": [f"Wert\n\n{image} https://example.org/y", "x"],
        },
        geometry=[Point(11.6, 51.8), Point(11.7, 51.9)],
        crs="EPSG:4326",
    )
    info = store.write(frame, title=f"Ebene {image} {link}", kind="coworking", roles={"name": "name"})
    env = planner_env(SMART_REGION_MAX_UPLOAD_MB="1")
    with streamlit_server(data, env=env) as url:
        yield url, info, data.parent / f"streamlit-{data.name}.log"


def test_uploads_only_for_a_signed_in_planner_within_a_total(app):
    url = app[0]

    async def viewer_uploads() -> list[int]:
        viewer = Visitor(url)
        viewer.load("/")
        async with session(viewer) as s:
            await s.rerun("", "")
            return [await asyncio.to_thread(put_upload, viewer, s.session_id, 20 * MB) for _ in range(3)]

    assert asyncio.run(viewer_uploads()) == [403, 403, 403]

    async def planner_uploads() -> list[int]:
        planner = Visitor(url)
        planner.load("/upload")
        async with session(planner) as s:
            assert (await sign_in(s, PASSWORD)).shows(SIGNED_IN)
            return [
                await asyncio.to_thread(put_upload, planner, s.session_id, MB * 6 // 10) for _ in range(4)
            ]

    assert asyncio.run(planner_uploads()) == [204, 204, 204, 403]  # 2 MB held at most (twice the limit)


def test_forwarded_addresses_from_a_client_that_is_no_proxy_change_nothing(app):
    url = app[0]

    async def guess(i: int) -> list[str]:
        client = Visitor(url, forwarded(f"10.0.{i}.{i}"))
        client.load("/upload")
        async with session(client) as s:
            return (await sign_in(s, f"geraten-{i}", name="niemand")).texts

    answers = [asyncio.run(guess(i)) for i in range(6)]
    assert all(any("falsch" in t for t in a) for a in answers[:5])
    assert any(THROTTLED in t for t in answers[5]), answers[5]


def test_metrics_are_not_served_and_malformed_messages_log_one_line(app):
    url, _, log = app
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(url + "/_stcore/metrics", timeout=30)
    assert err.value.code == 404
    with urllib.request.urlopen(url + "/healthz", timeout=30) as response:
        assert response.status == 200

    async def malformed() -> None:
        client = Visitor(url)
        client.load("/")
        async with session(client) as s:
            first = await s.rerun("basemap=none", "")
            for value in ("{kein json", "[1, 2", "null null"):
                await s.rerun("basemap=none", "", [{"id": first.widgets["map"], "json_value": value}])
            await s.rerun("basemap=none", "", [{"id": first.widgets["lang_select"], "int_value": 99}])

    asyncio.run(malformed())
    text = log.read_text()
    assert text.count("malformed client message") >= 4
    assert "Traceback" not in text, text[-3000:]


def test_markdown_in_uploaded_text_stays_text_and_no_remote_image_loads(app, beacon):
    from harness import chromium

    url, info, _ = app
    Beacon.hits.clear()
    with chromium() as browser:
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        response = page.goto(f"{url}/?basemap=none&sel={info.id}:0")
        assert "img-src 'self'" in response.headers["content-security-policy"]
        main = page.get_by_test_id("stMain")
        main.get_by_text("Ort ![b](http", exact=False).first.wait_for(timeout=60_000)  # the heading
        page.get_by_test_id("stSidebar").get_by_text("Ebene ![b]", exact=False).first.wait_for(timeout=30_000)
        assert "![b]" in page.locator(".sr-details").inner_text()  # the value, blank line and all
        main.get_by_label("Suche nach Gemeinde oder Name").fill("Ort")
        main.get_by_label("Suche nach Gemeinde oder Name").press("Enter")
        page.get_by_test_id("stRadio").get_by_text("[klick](https", exact=False).first.wait_for(
            timeout=30_000
        )
        assert page.locator(f"img[src^='{beacon}']").count() == 0
        links = page.eval_on_selector_all(
            "a[href^='https://example.org']", "els => els.map(e => e.outerHTML)"
        )
        assert links == []
        blocked = page.evaluate(
            """(src) => new Promise(done => {
                document.addEventListener('securitypolicyviolation', e => done(e.violatedDirective));
                const img = document.createElement('img'); img.src = src; document.body.appendChild(img);
            })""",
            f"{beacon}/per-skript.png",
        )
        assert blocked.startswith("img-src")
    assert Beacon.hits == []


def test_map_caches_of_layers_in_the_trash_or_replaced_are_served_by_no_route(app):
    """Finding 6: a map payload file or tile set (``/map-cache/``, from the data folder) goes
    dark (and its file goes) as soon as its layer is in the trash or its version replaced;
    unknown files are not served."""
    from geo.maps.tilecache import build_tiles, cache_dir, publish_text
    from geo.store import open_store

    url, _, log = app
    data = log.parent / "data"
    store = open_store(str(data))
    points = gpd.GeoDataFrame({"name": ["a"]}, geometry=[Point(11.6, 51.8)], crs="EPSG:4326")
    layer = store.write(points, title="Papierkorb-Probe", kind="other")
    folder = cache_dir(str(data))

    def status(path: str) -> int:
        try:
            with urllib.request.urlopen(url + "/map-cache/" + path, timeout=30) as r:
                return r.status
        except urllib.error.HTTPError as err:
            return err.code

    first = publish_text('{"n": 1}', layer.id, layer.version, folder)
    assert status(first) == 200
    replaced = store.replace(layer.id, points, author="anna")
    second = publish_text('{"n": 2}', replaced.id, replaced.version, folder)
    areas = points.assign(fid=0, category="x", geometry=[box(11.59, 51.79, 11.61, 51.81)])
    tiles = build_tiles(areas, replaced.id, replaced.version, "probe", folder)
    assert (status(first), status(second), status(f"{tiles}/0/0/0.pbf")) == (404, 200, 200)
    assert not (folder / first).exists()  # the replaced version's file is removed, not only hidden
    store.delete(layer.id, author="anna")
    assert (status(second), status(f"{tiles}/0/0/0.pbf")) == (404, 404)
    assert not (folder / second).exists() and not (folder / tiles).exists()
    assert status("nicht-da-v1-0123456789ab.json") == 404
    assert status("..%2F..%2Fcatalog.sqlite") in (400, 404)  # refused before or by the route
