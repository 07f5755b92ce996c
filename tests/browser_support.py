"""A real Streamlit server and headless Chromium for browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _flags(port: int) -> list[str]:
    return [
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--browser.gatherUsageStats=false",
        "--server.enableStaticServing=true",
    ]


@contextmanager
def serve_script(script: Path, env: dict[str, str], log_path: Path, timeout: float = 60, app: bool = False):
    """Run ``streamlit run SCRIPT`` (or, with `app`, the app server ``python -m webui.serve``
    with its own routes) on a free loopback port until the block ends; yield its URL."""
    port = free_port()
    cmd = (
        [sys.executable, "-m", "webui.serve"]
        if app
        else [sys.executable, "-m", "streamlit", "run", str(script)]
    )
    cmd += _flags(port)
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            cmd, cwd=REPO, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"streamlit did not start: {log_path}") from None
                    time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def streamlit_server(
    data_dir: Path, env: dict[str, str] | None = None, timeout: float = 60, app: bool = True
):
    """The dashboard on a store in `data_dir`, started as ``make run`` starts it (the app server
    ``python -m webui.serve`` with its HTTP routes); ``app=False``: plain ``streamlit run``."""
    full_env = {"SMART_REGION_DATA": str(data_dir), **(env or {})}
    log = data_dir.parent / f"streamlit-{data_dir.name}.log"
    with serve_script(REPO / "dashboard.py", full_env, log, timeout, app=app) as url:
        yield url


def app_server(data_dir: Path, env: dict[str, str] | None = None, timeout: float = 60):
    """The whole app as `make run` starts it, on a store in `data_dir`."""
    return streamlit_server(data_dir, env, timeout, app=True)


def block_outside(context, url: str) -> list[str]:
    """Abort every request of `context` that does not go to the app; return them as a list."""
    host, blocked = urlparse(url).netloc, []

    def only_app(route):
        if urlparse(route.request.url).netloc == host:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_app)
    return blocked


def require_chromium() -> None:
    """Skip outside CI when no Chromium is installed; in CI the browser tests must run."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} missing in CI: .ci/run must install Debian's chromium")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")


@contextmanager
def chromium():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def map_frame(page, timeout_ms: int = 60_000):
    """The streamlit-folium iframe's frame, once Leaflet is in it."""
    page.wait_for_selector("iframe[title*='streamlit_folium']", timeout=timeout_ms)
    handle = page.query_selector("iframe[title*='streamlit_folium']")
    frame = handle.content_frame()
    frame.wait_for_selector(".leaflet-container", timeout=timeout_ms)
    return frame


def drawn_features(frame) -> int:
    """Vector features Leaflet has drawn: SVG paths, or canvas layers counted via the map."""
    return frame.evaluate(
        """() => {
        const maps = new Set(Object.values(window).filter(v => v instanceof L.Map));
        let n = 0;
        const drawn = l => (l instanceof L.Path || l instanceof L.Marker) && l.feature;
        maps.forEach(m => m.eachLayer(l => { if (drawn(l)) n++; }));
        return n;
    }"""
    )


class StreamlitSocket:
    """A viewer that speaks Streamlit's websocket protocol itself, as an attacker's script
    would (no browser): run the page, send any `BackMsg`, read what the page showed."""

    def __init__(self, ws, timeout: float) -> None:
        self.ws, self.timeout = ws, timeout

    def send(self, msg) -> None:
        self.ws.send(msg.SerializeToString())

    def run(self, query: str = "") -> list:
        """Run the page with `query` (as after ``?``) until its script finished; its messages."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        request = BackMsg()
        request.rerun_script.query_string = query
        self.send(request)
        messages, deadline = [], time.monotonic() + self.timeout
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            messages.append(msg)
            # 0: finished successfully (a run may also end early for a rerun, then another follows)
            if msg.WhichOneof("type") == "script_finished" and msg.script_finished == 0:
                return messages

    def clear_caches(self) -> None:
        """What the "Clear caches" menu item sends; any viewer's client can send it."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        self.send(BackMsg(clear_cache=True))


@contextmanager
def streamlit_socket(url: str, timeout: float = 120):
    """A `StreamlitSocket` session with the app at `url` until the block ends."""
    from websockets.sync.client import connect

    stream = url.replace("http", "ws", 1) + "/_stcore/stream"
    with connect(stream, subprotocols=["streamlit"], max_size=None) as ws:
        yield StreamlitSocket(ws, timeout)


def shown_errors(messages: list) -> list[str]:
    """Texts of the error boxes and exceptions among a page run's messages."""
    from streamlit.proto.Alert_pb2 import Alert

    found = []
    for msg in messages:
        if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
            continue
        element = msg.delta.new_element
        if element.WhichOneof("type") == "alert" and element.alert.format == Alert.ERROR:
            found.append(element.alert.body)
        elif element.WhichOneof("type") == "exception":
            found.append(element.exception.message)
    return found
