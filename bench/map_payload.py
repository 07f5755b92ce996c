"""Map benchmark: the naive folium.GeoJson app against our compact canvas layers.

For each dataset it starts bench/map_app.py twice (naive, ours), warms both up once, then
loads each alternately (--runs times) in a fresh headless Chromium context (empty HTTP
cache) and measures:

- time to drawn: from navigation start until every feature is a layer on the Leaflet map
  and two animation frames have painted;
- bytes sent to the browser: Streamlit websocket frames + the app's own static files
  (Leaflet, our script, payload files); everything else (Streamlit's and the component's
  frontend bundles) is the same for both and reported separately as "other".

Then it times warm reruns after a filter change on the demo data: the app appends the
duration of each script run (time.perf_counter from after the imports to after st_folium)
to a log; the bench clicks through the filter twice and reports the second, warm, round.

Run: .venv/bin/python bench/map_payload.py [--runs 2] [--datasets gemeinden kreise ladesaeulen]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
APP = REPO / "bench" / "map_app.py"
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from harness import CHROMIUM, CHROMIUM_ARGS, serve_script  # noqa: E402

from geo.maps.assets import install_static_assets  # noqa: E402
from geo.maps.fastlayer import SCRIPT_PATH  # noqa: E402

FEATURES = {"gemeinden": 10_997, "kreise": 400, "ladesaeulen": 9_690}
COUNT_JS = """(n) => {
    if (!window.map) return false;
    let k = 0;
    window.map.eachLayer(l => { if (l.feature && !(l instanceof L.LayerGroup)) k++; });
    return k >= n;
}"""
PAINTED_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"


@dataclass
class Run:
    seconds: float
    ws: int = 0
    app_static: int = 0
    other: int = 0
    requests: list[str] = field(default_factory=list)

    @property
    def map_bytes(self) -> int:
        return self.ws + self.app_static


def prepare_app_dir(root: Path) -> Path:
    """A folder with a stub main script and its own static/ (vendor files, our script, cache)."""
    static = root / "static"
    install_static_assets(static)
    (static / "js").mkdir(exist_ok=True)
    shutil.copyfile(SCRIPT_PATH, static / "js" / SCRIPT_PATH.name)
    main = root / "app.py"
    main.write_text(f"import runpy\nrunpy.run_path({str(APP)!r}, run_name='__main__')\n", encoding="utf-8")
    return main


def serve(main: Path, env: dict[str, str], timeout: float = 90):
    full_env = {
        "PYTHONPATH": str(REPO),
        "BENCH_DATA": str(DATA),
        "BENCH_STATIC": str(main.parent / "static"),
        **env,
    }
    log_path = main.parent / f"server-{env['BENCH_DATASET']}-{env['BENCH_MODE']}.log"
    return serve_script(main, full_env, log_path, timeout)


def measure(browser, url: str, features: int) -> Run:
    """One cold page load: time until all features are drawn, and the bytes it took."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    ws_bytes: list[int] = []
    finished = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda data: ws_bytes.append(len(data))))
    context.on("requestfinished", lambda req: finished.append(req))
    try:
        started = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_selector("iframe[title*='streamlit_folium']", timeout=180_000)
        frame = page.query_selector("iframe[title*='streamlit_folium']").content_frame()
        frame.wait_for_function(COUNT_JS, arg=features, polling=50, timeout=180_000)
        frame.evaluate(PAINTED_JS)
        run = Run(time.perf_counter() - started)
        page.wait_for_timeout(500)  # late frames still count as sent
        run.ws = sum(ws_bytes)
        for req in finished:
            sizes = req.sizes()
            size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            if urlparse(req.url).path.startswith("/app/static/"):
                run.app_static += size
            else:
                run.other += size
            run.requests.append(req.url)
        return run
    finally:
        context.close()


def bench_dataset(browser, main: Path, dataset: str, runs: int) -> dict[str, list[Run]]:
    results: dict[str, list[Run]] = {"naive": [], "ours": []}
    with (
        serve(main, {"BENCH_DATASET": dataset, "BENCH_MODE": "naive"}) as naive_url,
        serve(main, {"BENCH_DATASET": dataset, "BENCH_MODE": "ours"}) as our_url,
    ):
        urls = {"naive": naive_url, "ours": our_url}
        for url in urls.values():  # warm-up: files read, payloads prepared; not counted
            measure(browser, url, FEATURES[dataset])
        for i in range(runs):
            for mode in ("naive", "ours") if i % 2 == 0 else ("ours", "naive"):
                run = measure(browser, urls[mode], FEATURES[dataset])
                outside = {urlparse(u).netloc for u in run.requests} - {
                    urlparse(url).netloc for url in urls.values()
                }
                if outside:
                    raise SystemExit(f"requests left the app: {sorted(outside)}")
                results[mode].append(run)
                print(
                    f"  {dataset:12} {mode:5} run {i + 1}: {run.seconds:6.2f} s  {fmt_mb(run.map_bytes)}",
                    flush=True,
                )
    return results


def warm_reruns(browser, main: Path, mode: str) -> list[float]:
    """Server seconds of script runs after filter changes, second (warm) round only."""
    log = main.parent / f"reruns-{mode}.log"
    log.write_text("")
    store = main.parent / "demo-store"
    env = {"BENCH_DATASET": "demo", "BENCH_MODE": mode, "BENCH_LOG": str(log), "BENCH_STORE": str(store)}
    with serve(main, env) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url)
        page.wait_for_selector("iframe[title*='streamlit_folium']", timeout=120_000)
        radio = "[data-testid='stRadio'] [role='radiogroup'] label"
        page.wait_for_selector(radio)
        options = [el.inner_text().strip() for el in page.query_selector_all(radio)]
        choices = options[1:] + options[:1]  # the first one is selected at start
        times: list[float] = []
        for round_no in range(2):
            for label in choices:
                before = len(log.read_text().splitlines())
                page.locator(radio).filter(has_text=label).first.click()
                deadline = time.monotonic() + 60
                while len(lines := log.read_text().splitlines()) <= before:
                    if time.monotonic() > deadline:
                        raise SystemExit(f"no rerun logged after choosing {label!r}")
                    time.sleep(0.05)
                page.wait_for_timeout(300)
                if round_no == 1:
                    times.append(float(lines[-1].split()[-1]))
        page.close()
    return times


def delivery_costs() -> None:
    """Embedded payload vs published file, for the 10,997 Gemeinden: what every rerun pays.

    st_folium renders the map to a script, regex-normalises and hashes it, and Streamlit
    sends it whenever it changed; this times exactly that work (best of 5, caches warm).
    """
    import folium
    import geopandas as gpd
    from streamlit_folium import _get_map_string, generate_js_hash

    from geo.maps.build import use_local_assets
    from geo.maps.display import display_frame
    from geo.maps.fastlayer import STATIC_URL, CompactLayer, payload_json
    from geo.maps.payload import encode_layer
    from geo.maps.tilecache import publish_text
    from geo.store import LayerInfo

    gdf = gpd.read_file(DATA / "boundaries" / "de_vg5000_2021_ebenen_25832.gpkg", layer="vg5000_gem")
    info = LayerInfo(
        id="gem", title="Gemeinden", kind="municipalities", source_file="", source_crs="EPSG:25832",
        feature_count=len(gdf), bbox=(5.9, 47.3, 15.0, 55.1), attribution="", created_at="", updated_at="",
        version=1, roles={"name": "GEN", "category": "BEZ"},
    )  # fmt: skip
    payload = encode_layer(display_frame(gdf, info))
    with tempfile.TemporaryDirectory() as tmp:
        name = publish_text(payload_json(payload), "gem", 1, Path(tmp))
        url, file_size = f"{STATIC_URL}cache/{name}", Path(tmp, name).stat().st_size
    print("\nPayload delivery, 10,997 Gemeinden (per rerun that rebuilds the map):")
    for label, source in (("embedded in the script", payload), ("file (URL in the script)", url)):
        best, script = float("inf"), ""
        for _ in range(5):
            started = time.perf_counter()
            m = use_local_assets(folium.Map(tiles=None, prefer_canvas=True))
            CompactLayer(source, "Gemeinden", {}, "#1f3b73", "municipalities", layer_id="gem").add_to(m)
            folium.LayerControl().add_to(m)
            m.get_root().render()
            script = _get_map_string(m)
            generate_js_hash(script, "bench")
            best = min(best, time.perf_counter() - started)
        print(f"  {label:24} map script {fmt_mb(len(script.encode()))}, st_folium work {best * 1000:.0f} ms")
    print(f"  payload file {fmt_mb(file_size)} (sent gzip-compressed once, then from the browser cache)")


def fmt_mb(n: float) -> str:
    return f"{n / 1e6:.3f} MB" if n >= 1e5 else f"{n / 1e3:.1f} KB"


def report(results: dict[str, dict[str, list[Run]]]) -> None:
    print(
        "\n| data | naive: drawn | ours: drawn | faster | naive: bytes | ours: bytes | fewer bytes "
        "| other bytes (both) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for dataset, by_mode in results.items():
        naive, ours = by_mode["naive"], by_mode["ours"]
        tn = statistics.median(r.seconds for r in naive)
        to = statistics.median(r.seconds for r in ours)
        bn = statistics.median(r.map_bytes for r in naive)
        bo = statistics.median(r.map_bytes for r in ours)
        other = statistics.median(r.other for r in naive + ours)
        runs_n = ", ".join(f"{r.seconds:.2f}" for r in naive)
        runs_o = ", ".join(f"{r.seconds:.2f}" for r in ours)
        print(
            f"| {dataset} ({FEATURES[dataset]:,}) | {tn:.2f} s ({runs_n}) | {to:.2f} s ({runs_o}) | "
            f"{tn / to:.1f}× | {fmt_mb(bn)} | {fmt_mb(bo)} | {bn / bo:.1f}× | {fmt_mb(other)} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2, help="measured runs per mode and dataset (≥ 2)")
    parser.add_argument("--datasets", nargs="*", default=list(FEATURES), choices=list(FEATURES))
    parser.add_argument("--no-rerun", action="store_true", help="skip the warm rerun measurement")
    args = parser.parse_args()
    if not DATA.is_dir():
        raise SystemExit(
            f"real data not found at {DATA} (../shared/data beside the checkout); nothing to measure"
        )
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="map-bench-") as tmp, sync_playwright() as pw:
        main_script = prepare_app_dir(Path(tmp))
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        results = {}
        for dataset in args.datasets:
            print(f"{dataset}: starting servers, warming up …", flush=True)
            results[dataset] = bench_dataset(browser, main_script, dataset, max(args.runs, 2))
        report(results)
        delivery_costs()
        if not args.no_rerun:
            for mode in ("naive", "ours"):
                times = [t * 1000 for t in warm_reruns(browser, main_script, mode)]
                print(
                    f"\nwarm rerun after a filter change, demo data, {mode}: median "
                    f"{statistics.median(times):.0f} ms server time (script run); "
                    f"runs: {', '.join(f'{t:.0f}' for t in times)} ms"
                )
        browser.close()


if __name__ == "__main__":
    main()
