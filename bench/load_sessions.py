"""Load test: one Streamlit server, a room full of people opening the map page at once.

Starts the dashboard once on a fresh store (the demo layers, plus the Salzlandkreis layers of
``../shared/data`` when present; ``--heavy`` adds the 6,519 DB stations of Germany), then opens
``--sessions`` browser contexts in one headless Chromium at the same moment, in ``--waves``
waves (wave 1 is the first after the start: the layers the store held at the start are
prepared (`webui.warmup`), every other cache is cold; later waves meet warm ones). A session
is ready when the map has drawn its features and the legend is shown. Reports page-ready
latency p50/p95/max per wave, the server's CPU time per session and its resident memory
(start, peak, end), from /proc.

``--client ws`` replaces the browsers by Streamlit websocket clients (the protocol the
browser speaks): a session is ready when the page script has finished successfully. That
measures the server alone; with browsers on the same two cores the browsers' own rendering
dominates the latency.

``--store FOLDER`` serves a copy of a store folder instead (e.g. one page_bench.py built with
``--keep``, such as the Germany Gemeinden store); a session is then ready only when the map has
drawn every feature of the store (vector tiles included).

``--profile OUT.prof`` runs every page script of the server under cProfile (all sessions
summed) and prints the functions with the most cumulative time: that is how the worst
bottleneck was found (see docs/OPERATIONS.md, "Load").

    .venv/bin/python bench/load_sessions.py --sessions 20 --waves 2 --profile /tmp/map.prof
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]  # fmt: skip
sys.path.insert(0, str(REPO / "bench"))
from map_probe import DRAWN_JS  # noqa: E402

# --- the store ----------------------------------------------------------------------------


def build_store(location: Path, heavy: bool) -> list[str]:
    """Demo layers, real Salzlandkreis layers when the shared data is there; returns what was added."""
    sys.path.insert(0, str(REPO))
    from geo.demo import build_demo
    from geo.imports.formats import read_upload
    from geo.store import open_store

    store = open_store(str(location))
    added = [f"{i.title} ({i.feature_count})" for i in build_demo(store, today=date.today())]
    files = [(SHARED / "boundaries" / "salzlandkreis_demo_25832.gpkg", None)]
    if heavy:
        files.append((SHARED / "points" / "de_points_4326.gpkg", "bahnhoefe_db2020"))
    for path, layer in files:
        if not path.is_file():
            continue
        for item in read_upload(path.name, path, layer=layer):
            kind = item.suggestion["kind"]
            info = store.write(
                item.gdf, title=item.suggestion["title"], kind=kind, roles=item.suggestion["roles"]
            )
            added.append(f"{info.title} ({info.feature_count})")
    return added


def copy_store(folder: Path, location: Path) -> tuple[list[str], int]:
    """A fresh copy of the store `folder` (no map cache: the server cuts its tiles as in use);
    its layers, and how many features a session must draw (a few without drawable geometry may
    be left out, as in page_bench.py)."""
    sys.path.insert(0, str(REPO))
    from geo.store import open_store

    shutil.copytree(folder, location, ignore=shutil.ignore_patterns(".map-cache"))
    infos = open_store(str(location)).list_layers()
    features = sum(i.feature_count for i in infos)
    return [f"{i.title} ({i.feature_count})" for i in infos], features - features // 1000


# --- the server -----------------------------------------------------------------------------


def serve(port: int, profile_out: str | None, options: list[str]) -> None:
    """Run the dashboard in this process as ``make run`` does; `profile_out`: profile every script run."""
    if profile_out:
        _profile_script_runs(profile_out)
    sys.path.insert(0, str(REPO))
    from webui.serve import main as serve_main

    flags = [f"--server.port={port}", "--server.address=127.0.0.1", "--browser.gatherUsageStats=false",
             "--server.headless=true", "--server.fileWatcherType=none"]  # fmt: skip
    flags += [f"--{option}" for option in options]  # e.g. runner.postScriptGC=false
    sys.argv = [sys.argv[0], *flags]  # fileWatcherType: the checkout may change under a running bench
    serve_main()


def _profile_script_runs(out: str) -> None:
    """Wrap ScriptRunner._run_script in cProfile and keep the summed stats in `out`."""
    import cProfile
    import pstats

    from streamlit.runtime.scriptrunner import script_runner

    original, lock, total = script_runner.ScriptRunner._run_script, threading.Lock(), []

    def profiled(self, rerun_data):
        profile = cProfile.Profile(
            time.thread_time
        )  # CPU time of this thread: waits and other load don't count
        profile.enable()
        try:
            return original(self, rerun_data)
        finally:
            profile.disable()
            with lock:
                total.append(profile)
                stats = pstats.Stats(*total)
                stats.dump_stats(out)

    script_runner.ScriptRunner._run_script = profiled


def start_server(data: Path, profile_out: str | None, options: list[str]) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "SMART_REGION_DATA": str(data), "PYTHONPATH": str(REPO)}
    cmd = [sys.executable, __file__, "serve", "--port", str(port), *(f"--option={o}" for o in options)]
    cmd += ["--profile", profile_out] if profile_out else []
    log = open(data.parent / "server.log", "w")  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start, see {log.name}") from None
            time.sleep(0.3)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class RssSampler(threading.Thread):
    """The server's resident memory (VmRSS of its process), sampled every 0.1 s."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.samples, self.running = pid, [], True

    def now_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def run(self) -> None:
        while self.running:
            try:
                self.samples.append(self.now_mb())
            except FileNotFoundError:
                return
            time.sleep(0.1)


# --- the sessions -----------------------------------------------------------------------------


async def _ready(page, url: str | None, timeout_ms: int, need: int = 1) -> float | None:
    """Seconds from navigation until the legend shows and the map has drawn `need` features (None: never)."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    start = time.perf_counter()
    try:
        if url:
            await page.goto(url, timeout=timeout_ms)
        else:
            await page.reload(timeout=timeout_ms)
        await page.wait_for_selector(".sr-legend", timeout=timeout_ms)
        handle = await page.wait_for_selector("iframe[title*='streamlit_folium']", timeout=timeout_ms)
        frame = await handle.content_frame()
        await frame.wait_for_function(f"({DRAWN_JS})() >= {int(need)}", timeout=timeout_ms, polling=250)
    except PlaywrightTimeout:
        text = (await page.inner_text("body"))[:300].replace("\n", " | ")
        print(f"session not ready after {timeout_ms / 1000:.0f} s; page shows: {text}", file=sys.stderr)
        return None
    return time.perf_counter() - start


def session_url(url: str) -> str:
    """The websocket a Streamlit session speaks through."""
    return url.replace("http", "ws", 1) + "/_stcore/stream"


async def run_map_script(ws) -> None:
    """Ask the session to run the map page and wait until the script finished successfully."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    request = BackMsg()
    request.rerun_script.query_string = "basemap=none"
    await ws.send(request.SerializeToString())
    deltas = 0
    while True:
        msg = ForwardMsg()
        msg.ParseFromString(await ws.recv())
        deltas += msg.WhichOneof("type") == "delta"
        # 0: finished successfully (the first run of a session may end early for a rerun)
        if msg.WhichOneof("type") == "script_finished" and msg.script_finished == 0 and deltas:
            return


async def _ws_ready(url: str, timeout_ms: int) -> float | None:
    """Seconds from opening a session's websocket until the map page script finished (None: never)."""
    import websockets

    start = time.perf_counter()
    try:
        async with (
            asyncio.timeout(timeout_ms / 1000),
            websockets.connect(session_url(url), subprotocols=["streamlit"], max_size=None) as ws,
        ):
            await run_map_script(ws)
            return time.perf_counter() - start
    except TimeoutError:
        print(f"session not ready after {timeout_ms / 1000:.0f} s", file=sys.stderr)
        return None


async def _browser_pages(stack: contextlib.AsyncExitStack, sessions: int) -> list:
    """One page in its own context (own cookies and cache) per session, in one Chromium."""
    from playwright.async_api import async_playwright

    pw = await stack.enter_async_context(async_playwright())
    exe = CHROMIUM if Path(CHROMIUM).exists() else None
    browser = await pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
    stack.push_async_callback(browser.close)
    viewport = {"width": 1400, "height": 900}
    return [await (await browser.new_context(viewport=viewport)).new_page() for _ in range(sessions)]


async def run_waves(
    url: str, pid: int, sessions: int, waves: int, timeout_ms: int, client: str = "browser", need: int = 1
) -> list[dict]:
    """Per wave: every session's page-ready time and the server CPU seconds the wave cost."""
    async with contextlib.AsyncExitStack() as stack:
        pages = await _browser_pages(stack, sessions) if client == "browser" else []
        results = []
        for wave in range(waves):
            cpu = cpu_seconds(pid)
            if pages:
                target = f"{url}/?basemap=none" if wave == 0 else None  # later waves: every tab reloads
                times = await asyncio.gather(*(_ready(p, target, timeout_ms, need) for p in pages))
            else:
                times = await asyncio.gather(*(_ws_ready(url, timeout_ms) for _ in range(sessions)))
            await asyncio.sleep(2)  # the last reruns (map bounds sent back) finish too
            results.append({"times": list(times), "cpu_s": cpu_seconds(pid) - cpu})
    return results


# --- report ---------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def report(results: list[dict], rss: RssSampler, rss_start: float, layers: list[str]) -> dict:
    waves = []
    for wave in results:
        ready = [t for t in wave["times"] if t is not None] or [math.inf]
        waves.append({
            "sessions": len(wave["times"]),
            "not_ready": len(wave["times"]) - len([t for t in wave["times"] if t is not None]),
            "p50_s": round(percentile(ready, 0.5), 2),
            "p95_s": round(percentile(ready, 0.95), 2),
            "max_s": round(max(ready), 2),
            "server_cpu_s_per_session": round(wave["cpu_s"] / len(wave["times"]), 2),
        })  # fmt: skip
    rss_mb = {"start": round(rss_start), "peak": round(max(rss.samples, default=0)),
              "end": round(rss.samples[-1] if rss.samples else 0)}  # fmt: skip
    return {"layers": layers, "waves": waves, "rss_mb": rss_mb}


def print_profile(path: str, top: int = 25) -> None:
    import pstats

    if Path(path).is_file():
        stats = pstats.Stats(path)
        stats.sort_stats("cumulative").print_stats(r"geo|webui|pages|folium|streamlit_folium|branca", top)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("command", nargs="?", default="bench", choices=["bench", "serve"])
    p.add_argument("--sessions", type=int, default=20)
    p.add_argument("--waves", type=int, default=2)
    p.add_argument("--heavy", action="store_true", help="add 6,519 stations (needs ../shared/data)")
    p.add_argument("--store", type=Path, help="serve a copy of this store folder instead of the demo")
    p.add_argument("--profile", help="cProfile output of all page-script runs")
    p.add_argument("--port", type=int, help="(serve) port")
    p.add_argument("--option", action="append", default=[], help="Streamlit option for the server, e.g. "
                   "runner.postScriptGC=false (repeatable)")  # fmt: skip
    p.add_argument("--timeout", type=float, default=180, help="per page, seconds")
    p.add_argument("--client", choices=["browser", "ws"], default="browser", help="browser contexts or "
                   "Streamlit websocket clients")  # fmt: skip
    p.add_argument("--json", action="store_true")
    return p


def bench(args: argparse.Namespace, tmp: Path) -> dict:
    """Store, server, waves of sessions, report."""
    layers, need = (
        copy_store(args.store, tmp / "data") if args.store else (build_store(tmp / "data", args.heavy), 1)
    )
    proc, url = start_server(tmp / "data", args.profile, args.option)
    try:
        rss = RssSampler(proc.pid)
        rss_start = rss.now_mb()
        rss.start()
        timeout_ms = int(args.timeout * 1000)
        waves = asyncio.run(
            run_waves(url, proc.pid, args.sessions, args.waves, timeout_ms, args.client, need)
        )
        rss.running = False
    finally:
        proc.terminate()
        proc.wait(30)
    return report(waves, rss, rss_start, layers)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":
        serve(args.port, args.profile, args.option)
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="load-sessions-"))
    result = bench(args, tmp)  # on an exception the folder (with server.log) stays for a look
    if any(w["not_ready"] for w in result["waves"]):
        print(f"server log kept: {tmp / 'server.log'}", file=sys.stderr)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.json else _text(result))
    if args.profile:
        print_profile(args.profile)
    return 0


def _text(result: dict) -> str:
    lines = [f"layers: {', '.join(result['layers'])}"]
    for i, w in enumerate(result["waves"], 1):
        lines.append(f"wave {i}: {w['sessions']} sessions ({w['not_ready']} never ready), page ready "
                     f"p50 {w['p50_s']} s, p95 {w['p95_s']} s, max {w['max_s']} s, "
                     f"server CPU {w['server_cpu_s_per_session']} s per session")  # fmt: skip
    r = result["rss_mb"]
    lines.append(f"server RSS: start {r['start']} MB, peak {r['peak']} MB, end {r['end']} MB")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
