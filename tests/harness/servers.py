"""Servers for browser tests: the app on a store the test prepared, on a free loopback port.

They inherit ``SMART_REGION_NOW`` from the conftest, so they agree on the time with the test
process. `wait_until` is the one polling loop of the browser tests.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
TIMEOUT_S = 60  # the longest any one step may take on a loaded machine
POLL_S = 0.05


def wait_until(condition: Callable[[], Any], timeout: float = 30, message: str = "condition not met") -> Any:
    """Poll `condition` until it returns something truthy and return that.

    The only polling loop of the browser tests; conditions that read the page (evaluate,
    locators) also let Playwright deliver its events between two polls.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{message} (after {timeout:.0f} s)")
        time.sleep(POLL_S)


def count_until(read: Callable[[], int], expected: int, timeout: float = 30, reached=None) -> int:
    """Poll `read()` until it equals `expected` (or `reached(value, expected)`); return the last
    value, so the caller's assertion shows what was there instead."""
    seen = []

    def done() -> bool:
        seen.append(read())
        return (reached or (lambda a, b: a == b))(seen[-1], expected)

    with suppress(AssertionError):
        wait_until(done, timeout)
    return seen[-1]


# --- servers ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A running app: its URL, its store folder (if any) and its log."""

    url: str
    data: Path | None
    log_path: Path
    _seen: int = field(default=0, repr=False)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def new_log(self) -> str:
        """The log written since the previous call."""
        with open(self.log_path, "rb") as log:
            log.seek(self._seen)
            new = log.read()
        self._seen += len(new)
        return new.decode("utf-8", errors="replace")

    def store(self):
        from geo.store import open_store

        return open_store(str(self.data))


def _flags(port: int) -> list[str]:
    return [
        "--server.headless=true", f"--server.port={port}", "--server.address=127.0.0.1",
        "--browser.gatherUsageStats=false", "--server.enableStaticServing=true",
    ]  # fmt: skip


@contextmanager
def serve(
    script: Path,
    env: dict[str, str],
    log_path: Path,
    data: Path | None = None,
    app: bool = False,
    timeout: float = TIMEOUT_S,
) -> Iterator[Server]:
    """Run ``streamlit run SCRIPT`` (or, with `app`, the app server ``python -m webui.serve``
    with its own routes, as ``make run`` starts it) on a free loopback port until the block ends."""
    port = free_port()
    cmd = [sys.executable, "-m", "webui.serve"]
    if not app:
        cmd = [sys.executable, "-m", "streamlit", "run", str(script)]
    server = Server(f"http://127.0.0.1:{port}", data, log_path)
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            cmd + _flags(port), cwd=REPO, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            wait_until(lambda: _healthy(server.url, proc, log_path), timeout, f"no server: {log_path}")
            yield server
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


def _healthy(url: str, proc: subprocess.Popen, log_path: Path) -> bool:
    if proc.poll() is not None:
        raise RuntimeError(f"streamlit exited with {proc.returncode}: {log_path}")
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


@contextmanager
def dashboard(data: Path, env: dict[str, str] | None = None, app: bool = True) -> Iterator[Server]:
    """The dashboard on the store in `data`, started as ``make run`` starts it (the app server
    ``python -m webui.serve`` with its HTTP routes); ``app=False``: plain ``streamlit run``."""
    full_env = {"SMART_REGION_DATA": str(data), **(env or {})}
    log = data.parent / f"streamlit-{data.name}.log"
    with serve(REPO / "dashboard.py", full_env, log, data, app=app) as server:
        yield server


@contextmanager
def streamlit_server(data_dir: Path, env: dict[str, str] | None = None, app: bool = True) -> Iterator[str]:
    """`dashboard` for tests that need only its URL."""
    with dashboard(data_dir, env, app) as server:
        yield server.url


def app_server(data_dir: Path, env: dict[str, str] | None = None):
    """The whole app as ``make run`` starts it, on a store in `data_dir`; yields its URL."""
    return streamlit_server(data_dir, env, app=True)


@contextmanager
def serve_script(
    script: Path, env: dict[str, str], log_path: Path, timeout: float = TIMEOUT_S, app: bool = False
) -> Iterator[str]:
    """`serve` for tests (and benches) that need only the URL."""
    with serve(script, env, log_path, app=app, timeout=timeout) as server:
        yield server.url
