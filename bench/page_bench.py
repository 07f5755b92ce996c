"""Page benchmark: the dashboard's map page as users open it, against the naive app.

For each store (filled with ``python -m geo import``, as a planner would) it starts, alternating,
the dashboard (``python -m webui.serve`` on a fresh copy of the store, via the test harness) and
the naive app (bench/map_app.py: ``folium.GeoJson(gdf)`` + ``st_folium``), and measures in
headless Chromium with all default widgets:

- cold: the first visit of the fresh server (which, as every start, prepared the store's layers
  before its first health answer: `webui.warmup`); warm: a second visit (new tab, empty HTTP
  cache);
- time until every feature is drawn (`drawn`, the one place that knows how a map draws);
- bytes: Streamlit's websocket frames + HTTP under /app/static/ and any tile route;
- click → detail: a click on a feature until the page shows its name (median of --clicks).

``--pages`` measures instead the websocket bytes of every public page on the Germany
Gemeinden store, with the largest elements by type (what a page sends unasked); ``--zoom12``
a shared link's view at zoom 12 on the full-resolution Kreise: its bytes, and how far the
Salzlandkreis boundary the browser drew lies from the stored one, in screen pixels.

Run: .venv/bin/python bench/page_bench.py [--runs 1] [--stores gemeinden kreise ladesaeulen alle]
     .venv/bin/python bench/page_bench.py --pages | --zoom12
(under the shared lock: ``flock /tmp/browser.lock timeout 3000 .venv/bin/python bench/page_bench.py``)
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "bench")]
sys.stdout.reconfigure(line_buffering=True)  # progress shows while it runs

from harness import CHROMIUM, CHROMIUM_ARGS, RunWatcher, app_pages, block_outside, dashboard  # noqa: E402
from map_payload import prepare_app_dir, serve  # noqa: E402
from map_probe import DRAWN_JS, TARGET_JS, VIEW_READY_JS  # noqa: E402

GEM = ("boundaries/de_vg5000_2021_ebenen_25832.gpkg", "vg5000_gem", "municipalities")
KRS = ("kreise_gf4.geojson", None, "municipalities")  # made from VG250 by `kreise_file`
LADE = ("points/de_points_4326.gpkg", "ladesaeulen_bnetza2019", "mobility")
BAHN = ("points/de_points_4326.gpkg", "bahnhoefe_db2020", "mobility")
STORES = {"gemeinden": (GEM,), "kreise": (KRS,), "ladesaeulen": (LADE,), "alle": (GEM, KRS, LADE, BAHN)}
APP_PATHS = ("/app/static/", "/map-cache/")  # bytes of the map beside the websocket (payloads, tiles)
CLICK_S = 45  # a click whose name shows later counts as missed

PAINTED_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"
CLICKED_JS = """() => { const d = (window.__GLOBAL_DATA__ || {}).last_active_drawing;
  const txt = document.createElement('textarea');
  return Object.values((d && d.properties) || {}).filter(v => typeof v === 'string' && v)
    .map(v => { txt.innerHTML = v; return txt.value; }); }"""
FORGET_JS = "() => { if (window.__GLOBAL_DATA__) window.__GLOBAL_DATA__.last_active_drawing = null; }"
HEADINGS_JS = "() => [...document.querySelectorAll('[data-testid=stHeading]')].map(h => h.innerText.trim())"
SHOWS_JS = "(texts) => [...document.querySelectorAll('[data-testid=stHeading]')].some(h => texts.includes(h.innerText.trim()))"  # noqa: E501


@dataclass
class Visit:
    seconds: float
    ws: int = 0
    app: int = 0
    other: int = 0
    tiles: int = 0  # of `app`: vector tiles (a layer drawn from its tiles, not its payload)
    largest: list[tuple[int, str]] = field(default_factory=list)  # (bytes, element type) per delta

    @property
    def bytes(self) -> int:
        return self.ws + self.app


def drawn(frame) -> int:
    return frame.evaluate(DRAWN_JS)


def kreise_file(root: Path) -> Path:
    """The 400 land parts of the VG250 Kreise (GF=4; GF=2 rows are water repeating an AGS)."""
    import geopandas as gpd

    target = root / KRS[0]
    if not target.exists():
        gdf = gpd.read_file(DATA / "boundaries" / "vg250_kreise_2025.geojson")
        gdf[gdf["GF"] == 4].to_file(target, driver="GeoJSON")
    return target


def build_store(root: Path, name: str) -> tuple[Path, int]:
    """A store folder filled by the CLI with the store's layers; its feature count."""
    target = root / f"store-{name}"
    if not target.exists():
        for path, layer, kind in STORES[name]:
            source = kreise_file(root) if path == KRS[0] else DATA / path
            cmd = [sys.executable, "-m", "geo", "import", str(source), "--store", str(target), "--kind", kind]
            subprocess.run(
                cmd + (["--layer", layer] if layer else []), cwd=REPO, check=True, capture_output=True
            )
    from geo.store import open_store

    return target, sum(i.feature_count for i in open_store(str(target)).list_layers())


def tiled_layers(store: Path) -> int:
    """How many layers of `store` the dashboard draws from vector tiles (as `webui.common.layer_source`)."""
    from geo.maps.build import needs_compact
    from geo.maps.tilecache import tile_family
    from geo.store import open_store

    opened = open_store(str(store))
    frames = (opened.read(info.id) for info in opened.list_layers())
    return sum(1 for frame in frames if needs_compact(frame) and tile_family(frame))


def tiles_cut(data: Path, tiled: int) -> bool:
    """Whether the server has cut the tile sets of all `tiled` layers (into the data's map cache)."""
    from geo.maps.tilecache import cache_dir

    return len(list(cache_dir(str(data)).glob("*.pmtiles"))) >= tiled


def record(page, visit: Visit) -> None:
    """Count what reaches the tab: websocket frames (decoded: the largest elements) and HTTP."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    def frame(data) -> None:
        if not isinstance(data, bytes):
            return
        visit.ws += len(data)
        msg = ForwardMsg.FromString(data)
        if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            visit.largest.append((len(data), element.WhichOneof("type")))

    def finished(req) -> None:
        from playwright.sync_api import Error as PlaywrightError

        try:
            sizes = req.sizes()
        except PlaywrightError:  # the tab closed before its last response was read
            return
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        path = urlparse(req.url).path
        if any(path.startswith(p) for p in APP_PATHS):
            visit.app += size
            visit.tiles += size if path.endswith(".pbf") else 0
        else:
            visit.other += size

    page.on("websocket", lambda ws: ws.on("framereceived", frame))
    page.context.on("requestfinished", finished)


def map_ready(page):
    """The frame of the visible map once Leaflet is in it (a rerun may replace it), else None."""
    for handle in page.query_selector_all("iframe[title*='streamlit_folium']"):
        frame = handle.content_frame()
        shown = frame and not frame.is_detached() and (handle.bounding_box() or {}).get("height", 0) > 0
        if shown and frame.evaluate("() => !!(window.L && window.map)"):
            return frame
    return None


def until(condition, timeout_s: float, what: str, soft: bool = False):
    """Poll `condition` until truthy and return it; on timeout stop the bench (or, `soft`, None)."""
    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if value := condition():
                return value
        except PlaywrightError as err:  # a rerun replaced the frame between finding and reading
            if "detached" not in str(err) and "destroyed" not in str(err):
                raise
        time.sleep(0.05)
    if soft:
        return None
    raise SystemExit(f"timed out: {what}")


def recorded_tab(browser, url: str) -> tuple[object, Visit]:
    """A fresh tab (own context: empty HTTP cache) on the app at `url`, requests elsewhere
    blocked, and what reaches it counted into the returned `Visit`."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    block_outside(context, url)
    page = context.new_page()
    page.runs = RunWatcher(page)
    result = Visit(0.0)
    record(page, result)
    return page, result


def visit(browser, url: str, features: int, clicks: int = 0) -> tuple[Visit, list[float]]:
    """One visit in a fresh tab: seconds until `features` are drawn and painted, bytes, and the
    click → detail latencies of `clicks` clicks afterwards."""
    page, result = recorded_tab(browser, url)
    need = features - features // 1000  # a few features without a drawable geometry may be left out
    try:
        started = time.perf_counter()
        page.goto(url, wait_until="commit")
        frame = until(lambda: (f := map_ready(page)) and drawn(f) >= need and f, 300, f"{need} drawn")
        frame.evaluate(PAINTED_JS)
        result.seconds = time.perf_counter() - started
        page.runs.wait_settled(timeout=120)
        latencies = [click(page) for _ in range(clicks)]
        return result, [x for x in latencies if x is not None]
    finally:
        page.context.close()


def click(page) -> float | None:
    """Click a feature whose name is not shown; seconds until a heading shows it (None when the
    click hit no feature)."""
    frame, at = aim(page)
    if at is None:
        return None
    frame.evaluate(FORGET_JS)
    box = frame.locator(".leaflet-container").bounding_box()
    shown, requests = page.evaluate(HEADINGS_JS), page.runs.requests
    started = time.perf_counter()
    page.mouse.click(box["x"] + at[0], box["y"] + at[1])
    texts = until(lambda: (m := map_ready(page)) and m.evaluate(CLICKED_JS), 15, "clicked", soft=True)
    new = [x for x in texts or [] if x not in shown]  # the click hit a feature not shown already
    shows = new and until(lambda: page.evaluate(SHOWS_JS, new), CLICK_S, "detail", soft=True)
    seconds = time.perf_counter() - started
    page.runs.wait_settled(after=requests if shows else 0, timeout=120)  # it asked for a run
    if not shows:
        print(f"    a click showed no new name within {CLICK_S} s (hit: {new or texts})")
    return seconds if shows else None


CITY = (52.1301, 11.6334, 15)  # Magdeburg's centre: charging points and stations, unclustered
CLUSTERED_JS = """() => { let clustered = false;
  window.map.eachLayer(l => { clustered ||= !!(L.MarkerClusterGroup && l instanceof L.MarkerClusterGroup); });
  return clustered; }"""


def aim(page, zoom_outs: int = 4):
    """The map frame and a point where a click hits a feature whose name the page does not show
    (None: none). The view of a clicked feature (zoom 15) may show no other one: zoom out, as a
    user would, until one is in view; points in clusters: zoom into a city instead."""
    for attempt in range(zoom_outs + 1):
        frame = until(  # a run may have replaced the map: its features are there again
            lambda: (f := map_ready(page)) and drawn(f) > 0 and f.evaluate(VIEW_READY_JS) and f,
            60,
            "map drawn",
        )
        at = frame.evaluate(TARGET_JS, page.evaluate(HEADINGS_JS))
        if at is not None or attempt == zoom_outs:
            return frame, at
        requests = page.runs.requests
        if frame.evaluate(CLUSTERED_JS):
            frame.evaluate("([y, x, z]) => { window.map.setView([y, x], z, {animate: false}); }", CITY)
        else:
            frame.evaluate("() => { window.map.zoomOut(2, {animate: false}); }")  # returns nothing to copy
        until(lambda n=requests: page.runs.requests > n, 10, "a run for the new view", soft=True)
        page.runs.wait_settled(timeout=120)  # the run the new bounds ask for has ended
    return frame, None


def run_store(browser, root: Path, app_main: Path, name: str, runs: int, clicks: dict[str, int]) -> dict:
    store, features = build_store(root, name)
    tiled = tiled_layers(store)
    out = {mode: {"cold": [], "warm": [], "click": []} for mode in ("naive", "page")}
    for i in range(runs):
        for mode in ("naive", "page") if i % 2 == 0 else ("page", "naive"):
            with server(root, app_main, store, name, mode, i) as url:
                cold, _ = visit(browser, url, features)
                if mode == "page":  # warm: with every tile set (the import cut them; else the server)
                    data = root / f"run-{name}-{i}" / "data"
                    until(lambda d=data: tiles_cut(d, tiled), 600, "tiles cut")
                warm, times = visit(browser, url, features, clicks[mode])
            for key, value in (("cold", cold), ("warm", warm)):
                out[mode][key].append(value)
            out[mode]["click"] += times
            took = ", ".join(f"{v.seconds:6.2f} s {mb(v.bytes)}" for v in (cold, warm))
            tiles = ", ".join(mb(v.tiles) for v in (cold, warm))
            print(f"  {name:11} {mode:5} run {i + 1}: cold, warm {took} (of which tiles {tiles}); "
                  f"clicks {fmt_times(times)}")  # fmt: skip
    return out


def server(root: Path, app_main: Path, store: Path, name: str, mode: str, i: int):
    """The dashboard on a fresh copy of `store`, or the naive app on the same files."""
    if mode == "page":
        data = root / f"run-{name}-{i}" / "data"
        shutil.rmtree(data.parent, ignore_errors=True)  # a kept folder of an earlier bench
        shutil.copytree(store, data)
        return _url(dashboard(data, {"SMART_REGION_LANGUAGE": "de"}))
    env = {"BENCH_DATASET": name, "BENCH_MODE": "naive", "BENCH_CLICK": "1"}
    return serve(app_main, env)


class _url:
    """A `dashboard` context that yields only its URL (as `serve` does)."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx

    def __enter__(self) -> str:
        return self.ctx.__enter__().url

    def __exit__(self, *exc) -> None:
        self.ctx.__exit__(*exc)


def report(results: dict) -> None:
    print(
        "\n| store | visit | naive: drawn | page: drawn | faster | naive: bytes | page: bytes | fewer bytes |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, by_mode in results.items():
        for when in ("cold", "warm"):
            n, p = by_mode["naive"][when], by_mode["page"][when]
            tn, tp = (statistics.median(v.seconds for v in x) for x in (n, p))
            bn, bp = (statistics.median(v.bytes for v in x) for x in (n, p))
            print(f"| {name} | {when} | {tn:.2f} s | {tp:.2f} s | {tn / tp:.1f}× | {mb(bn)} | {mb(bp)} "
                  f"| {bn / bp:.1f}× |")  # fmt: skip
    print("\n| store | naive: click → detail | page: click → detail | faster |")
    print("|---|---|---|---|")
    for name, by_mode in results.items():
        n, p = by_mode["naive"]["click"], by_mode["page"]["click"]
        if n and p:
            cn, cp = statistics.median(n), statistics.median(p)
            print(f"| {name} | {cn:.2f} s ({len(n)}) | {cp:.2f} s ({len(p)}) | {cn / cp:.1f}× |")
        else:
            print(f"| {name} | {fmt_times(n)} | {fmt_times(p)} | – (no feature to click in view) |")


def pages_report(browser, root: Path) -> None:
    """Websocket bytes of every page on the Germany Gemeinden store (second visit; planner pages
    show their sign-in form)."""
    store, _ = build_store(root, "gemeinden")
    data = root / "pages" / "data"
    shutil.rmtree(data.parent, ignore_errors=True)
    shutil.copytree(store, data)
    print("\n| page | websocket | largest elements |")
    print("|---|---|---|")
    with dashboard(data, {"SMART_REGION_LANGUAGE": "de"}) as srv:
        for script, _key, _icon, path in app_pages():
            for _visit in ("warm-up", "measured"):
                page, result = recorded_tab(browser, srv.url)
                page.goto(f"{srv.url}/{path}")
                page.runs.wait_settled(timeout=300)
                page.context.close()
            top = ", ".join(f"{kind} {mb(size)}" for size, kind in sorted(result.largest, reverse=True)[:3])
            print(f"| {path or 'map'} ({script}) | {mb(result.ws)} | {top} |", flush=True)


ZOOM12 = ("Salzlandkreis", 0.3, 12)  # the view: centred on this Kreis's boundary, 30 % along it
VIEW_JS = """() => { const b = window.map.getBounds(), m = window.map;
  return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth(), m.getZoom()]; }"""
MERCATOR_HALF = 20037508.342789244


def zoom12_report(browser, root: Path) -> None:
    """The Kreise store (all 400 at full VG250 resolution) opened at zoom 12 on a Kreis boundary,
    as a shared link opens it: what the view costs (websocket + app files + tiles) and how far
    the boundary the browser drew lies from the stored one, in screen pixels. The drawn geometry is
    that of the tiles the browser fetched for the view (decoded by GDAL's MVT driver); the
    stored one is the layer's own row."""
    import gzip

    import geopandas as gpd
    import pandas as pd
    import pyogrio
    import shapely

    from geo.maps.tilecache import TILE_LAYER, cache_dir, read_tile
    from geo.store import open_store

    store, _ = build_store(root, "kreise")
    opened = open_store(str(store))
    (info,) = opened.list_layers()
    stored = opened.read(info.id)
    name, along, z = ZOOM12
    kreis = stored[stored["GEN"] == name].to_crs("EPSG:4326").geometry.union_all()
    centre = kreis.boundary.interpolate(along, normalized=True)
    lat, lon = round(centre.y, 5), round(centre.x, 5)
    fetched: set[tuple[int, int, int]] = set()

    def keep(response) -> None:
        path = urlparse(response.url).path
        if path.endswith(".pbf") and response.ok:
            fetched.add(tuple(int(v) for v in path.removesuffix(".pbf").split("/")[-3:]))

    with server(root, Path(), store, "kreise", "page", 99) as url:
        page, cost = recorded_tab(browser, url)
        page.on("response", keep)
        page.goto(f"{url}/?lat={lat}&lon={lon}&z={z}&basemap=none")
        frame = until(lambda: (f := map_ready(page)) and f.evaluate(VIEW_READY_JS) and f, 300, "view drawn")
        west, south, east, north, zoom = frame.evaluate(VIEW_JS)
        page.runs.wait_settled(timeout=120)
        page.context.close()
    pixel = 2 * MERCATOR_HALF / 2**zoom / 256  # metres of Web Mercator per screen pixel
    (tile_set,) = cache_dir(str(root / "run-kreise-99" / "data")).glob("*.pmtiles")
    pieces = []
    for tz, tx, ty in sorted(fetched):  # the tiles the browser asked for, as the server sent them
        data, gzipped = read_tile(tile_set, tz, tx, ty)
        tile = root / "zoom12-tiles" / str(tz) / str(tx) / f"{ty}.pbf"
        tile.parent.mkdir(parents=True, exist_ok=True)
        tile.write_bytes(gzip.decompress(data) if gzipped else data)
        pieces.append(pyogrio.read_dataframe(tile, layer=TILE_LAYER))
    drawn = gpd.GeoDataFrame(pd.concat(pieces, ignore_index=True), crs="EPSG:3857")
    stored = stored.to_crs("EPSG:3857")
    view = gpd.GeoSeries([shapely.box(west, south, east, north)], crs=4326).to_crs(3857).iloc[0]
    inner = view.buffer(-pixel)
    salz = stored[stored["GEN"] == name].geometry.union_all()
    mine = drawn[drawn["name"] == name].geometry.union_all()
    got, want = mine.boundary.intersection(inner), salz.boundary.intersection(inner)
    deviation = shapely.hausdorff_distance(got, want, densify=0.1) / pixel
    kept = shapely.get_num_coordinates(got) / max(shapely.get_num_coordinates(want), 1)
    zooms = sorted({zxy[0] for zxy in fetched})
    print("\n| view | bytes (websocket + app files) | of which tiles | tiles fetched | boundary in view "
          "| drawn vs stored | vertices kept |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    print(f"| Kreise store, zoom {zoom} at {lat}, {lon} ({name}) | {mb(cost.bytes)} | {mb(cost.tiles)} "
          f"| {len(fetched)} (zoom {', '.join(map(str, zooms))}) | {want.length / 1000:.1f} km "
          f"| {deviation:.2f} px (Hausdorff) | {kept:.0%} |")  # fmt: skip


def mb(n: float) -> str:
    return f"{n / 1e6:.2f} MB" if n >= 1e5 else f"{n / 1e3:.1f} KB"


def fmt_times(times: list[float]) -> str:
    return ", ".join(f"{t:.2f}" for t in times) + " s" if times else "–"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="fresh servers per app and store, alternating")
    parser.add_argument("--clicks", type=int, default=5, help="clicks timed per warm visit")
    parser.add_argument("--naive-clicks", type=int, help="clicks on the naive app (default: --clicks)")
    parser.add_argument("--stores", nargs="*", default=list(STORES), choices=list(STORES))
    parser.add_argument("--pages", action="store_true", help="bytes of every public page (Germany store)")
    parser.add_argument("--zoom12", action="store_true", help="a zoom-12 view: bytes, detail")
    parser.add_argument("--keep", type=Path, help="keep the imported stores in this folder (reused)")
    args = parser.parse_args()
    if not DATA.is_dir():
        raise SystemExit(f"real data not found at {DATA} (../shared/data beside the checkout)")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="page-bench-") as tmp, sync_playwright() as pw:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        if args.pages:
            pages_report(browser, root)
            return
        if args.zoom12:
            zoom12_report(browser, root)
            return
        (Path(tmp) / "naive").mkdir()
        app_main = prepare_app_dir(Path(tmp) / "naive")
        results = {}
        naive = args.clicks if args.naive_clicks is None else args.naive_clicks
        clicks = {"page": args.clicks, "naive": naive}
        for name in args.stores:
            print(f"{name}: importing, then {args.runs} run(s) per app …", flush=True)
            results[name] = run_store(browser, root, app_main, name, args.runs, clicks)
        report(results)


if __name__ == "__main__":
    main()
