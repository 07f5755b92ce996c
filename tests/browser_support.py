"""A real app server (``python -m webui.serve``) and headless Chromium for browser tests."""

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


_OPTIONS = ["--server.headless=true", "--server.address=127.0.0.1", "--browser.gatherUsageStats=false",
            "--server.enableStaticServing=true"]  # fmt: skip


@contextmanager
def _serve(cmd: list[str], env: dict[str, str], log_path: Path, timeout: float):
    """Run `cmd` (a server taking ``--server.port``) on a free loopback port; yield its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [*cmd, *_OPTIONS, f"--server.port={port}"],
            cwd=REPO,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
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
                        raise RuntimeError(f"server did not start: {log_path}") from None
                    time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def serve_script(script: Path, env: dict[str, str], log_path: Path, timeout: float = 60):
    """Run ``streamlit run SCRIPT`` (a test app) on a free loopback port; yield its URL."""
    with _serve([sys.executable, "-m", "streamlit", "run", str(script)], env, log_path, timeout) as url:
        yield url


@contextmanager
def streamlit_server(data_dir: Path, env: dict[str, str] | None = None, timeout: float = 60):
    """The dashboard on a store in `data_dir`, started as in production (``python -m webui.serve``:
    the app server with its middleware). Its log is ``streamlit-<data dir name>.log`` beside it."""
    full_env = {"SMART_REGION_DATA": str(data_dir), **(env or {})}
    log_path = data_dir.parent / f"streamlit-{data_dir.name}.log"
    with _serve([sys.executable, "-m", "webui.serve"], full_env, log_path, timeout) as url:
        yield url


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
