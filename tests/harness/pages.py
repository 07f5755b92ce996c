"""Headless Chromium on the app: tabs that see only the app, Streamlit runs followed through the
app's websocket protocol (`RunWatcher`), sign-in and map helpers. Nothing waits a fixed time.
"""

from __future__ import annotations

import ast
import atexit
import os
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from harness.servers import REPO, TIMEOUT_S, Server, count_until, wait_until

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

# --- browser ------------------------------------------------------------------------------------


def require_chromium() -> None:
    """Skip outside CI when no Chromium is installed; in CI the browser tests must run."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} missing in CI: .ci/run must install Debian's chromium")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")


_SHARED: dict[str, Any] = {}  # the process's one Playwright and Chromium


def _stop_shared() -> None:
    browser, pw = _SHARED.pop("browser", None), _SHARED.pop("pw", None)
    if browser is not None and browser.is_connected():
        browser.close()
    if pw is not None:
        pw.stop()


@contextmanager
def chromium():
    """Debian's headless Chromium (Playwright cannot download browsers here).

    One per process, started on first use and stopped at exit: Playwright's sync API allows no
    second instance while one runs (the session fixture's), so every test shares it. Contexts
    opened inside the block are closed when it ends."""
    require_chromium()
    browser = _SHARED.get("browser")
    if browser is None or not browser.is_connected():
        from playwright.sync_api import sync_playwright

        if "pw" not in _SHARED:
            _SHARED["pw"] = sync_playwright().start()
            atexit.register(_stop_shared)
        browser = _SHARED["pw"].chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        _SHARED["browser"] = browser
    before = set(browser.contexts)
    try:
        yield browser
    finally:
        for context in browser.contexts:
            if context not in before:
                context.close()


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


def open_page(browser, url: str, path: str = "/", settle: bool = True, **context_options):
    """A new context (one browser tab with its own cookies) on `url + path`.

    Requests outside the app are aborted and listed in ``page.blocked``; ``page.runs`` follows
    Streamlit's runs. With `settle`, returns once the app's first run has finished.
    """
    options = {"viewport": {"width": 1400, "height": 1000}, **context_options}
    context = browser.new_context(**options)
    blocked = block_outside(context, url)
    page = context.new_page()
    page.blocked = blocked
    page.runs = RunWatcher(page)
    page.goto(url + path)
    if settle:
        page.runs.wait_settled()
    return page


def goto(page, url: str) -> None:
    """Open `url` in the same tab (a new Streamlit session) and wait for its first run."""
    page.runs.new_session()
    page.goto(url)
    page.runs.wait_settled()


# The run is over and drawn: widgets whose code the browser still loads show a skeleton. (Under
# the app server the frontend's script state can stay "initial": the protocol says when runs end.)
DRAWN_RUN_JS = """() => !['running', 'rerunRequested'].includes(
    (document.querySelector('[data-testid=stApp]') || {dataset: {}}).dataset.testScriptState)
    && ![...document.querySelectorAll('[data-testid=stElementContainer] > [data-testid=stSkeleton]')]
        .some(s => s.checkVisibility() && !s.parentElement.querySelector('iframe'))"""


# messages that come between runs; any other starts a run (``new_session`` does not always come:
# the app server ``webui.serve`` starts a run with ``page_config_changed``)
OUTSIDE_RUNS = {
    "script_finished", "session_status_changed", "page_profile", "heartbeat_ack", "file_urls_response",
    "backend_operation_response", "parent_message", "session_event", "auto_rerun", "stop_auto_rerun",
    "git_info_changed",
}  # fmt: skip


class RunWatcher:
    """Follows one tab's Streamlit protocol: rerun requests sent, runs started and finished.

    The browser asks for a run with a ``rerun_script`` BackMsg (page load, widget change,
    fragment timer); the server's first message of a run marks its start and
    ``script_finished`` its end (a run stopped early for the next one does not count).
    The tab is settled when every request sent has been answered by a finished run.
    """

    def __init__(self, page) -> None:
        self.page = page
        self.ws = None
        self._reset()
        page.on("websocket", self._attach)

    def _reset(self) -> None:
        self.requests = 0  # rerun requests sent
        self.started_for = 0  # requests sent before the latest run started
        self.finished_for = 0  # requests answered by the latest finished run
        self.finished_after = 0  # requests sent before the latest finished run ended
        self.running = False
        self.trace: list[str] = []  # the protocol's last messages, for a failure's message

    def new_session(self) -> None:
        """Forget the current connection: the next one (after a navigation) is followed."""
        self.ws = None
        self._reset()

    def _attach(self, ws) -> None:
        if not ws.url.endswith("/_stcore/stream"):
            return
        self.ws = ws
        self._reset()  # a new connection is a new session
        ws.on("framesent", lambda payload: self._sent(ws, payload))
        ws.on("framereceived", lambda payload: self._received(ws, payload))

    def _sent(self, ws, payload) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        if ws is not self.ws or not isinstance(payload, bytes):
            return
        if BackMsg.FromString(payload).WhichOneof("type") == "rerun_script":
            self.requests += 1
            self.trace.append(f">{self.requests}")

    def _received(self, ws, payload) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if ws is not self.ws or not isinstance(payload, bytes):
            return
        msg = ForwardMsg.FromString(payload)
        kind = msg.WhichOneof("type")
        if kind != "delta":
            self.trace.append(f"<{kind}:{getattr(msg, kind) if kind == 'script_finished' else ''}")
        if kind == "script_finished":
            if not self.running:  # a run with nothing to send (a fragment's rerun, say)
                self.started_for = self.requests
            if msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                self.finished_for = self.started_for
                self.finished_after = self.requests
            self.running = False
        elif kind == "session_status_changed" and not msg.session_status_changed.script_is_running:
            self.running = False
        elif (kind not in OUTSIDE_RUNS or kind == "session_status_changed") and not self.running:
            self.started_for, self.running = self.requests, True  # a run's first message

    def settled(self, after: int = 0) -> bool:
        """More than `after` rerun requests, no run going, and every request answered: by a run
        that started after it, or (where Streamlit folded a request into the run going on when
        it came) by a run that ended after it was sent."""
        answered = max(self.finished_for, self.finished_after)
        return self.requests > after and answered >= self.requests and not self.running

    def wait_settled(self, after: int = 0, timeout: float = TIMEOUT_S) -> None:
        """Wait until `settled(after)` and the page shows the finished run (the frontend renders
        the run's elements a moment after its last message)."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        deadline = time.monotonic() + timeout
        while True:
            while not self.settled(after):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"Streamlit run not finished after {timeout:.0f} s: {self.requests} requests, "
                        f"answered {self.finished_for}, running={self.running} ({self.page.url}); "
                        f"last messages: {' '.join(self.trace[-30:])}"
                    )
                try:
                    if self.ws is None or self.ws.is_closed():
                        self.page.wait_for_event("websocket", timeout=remaining * 1000)
                    else:
                        self.ws.wait_for_event("framereceived", timeout=remaining * 1000)
                except PlaywrightTimeout:
                    continue
            remaining = max(deadline - time.monotonic(), 1)
            self.page.wait_for_function(DRAWN_RUN_JS, timeout=remaining * 1000)
            if self.settled(after):
                return

    def act(self, action: Callable[[], Any], rerun: bool = True, timeout: float = TIMEOUT_S) -> Any:
        """Do `action`; with `rerun`, wait until the run it asked for has finished."""
        before = self.requests
        result = action()
        if rerun:
            self.wait_settled(after=before, timeout=timeout)
        return result


def settle(page, timeout: float = TIMEOUT_S) -> None:
    """Wait until the tab's Streamlit runs have finished."""
    page.runs.wait_settled(timeout=timeout)


def act(page, action: Callable[[], Any], rerun: bool = True) -> Any:
    """Do `action` on `page` and wait for the run it asked for (see `RunWatcher.act`)."""
    return page.runs.act(action, rerun)


# --- common steps -------------------------------------------------------------------------------


def sign_in(page, name: str, password: str, succeed: bool = True, form=None) -> None:
    """Sign in through `form`, else the form of a refused planner page, else the sidebar's."""
    main_form = page.get_by_test_id("stMain").locator("input[autocomplete=username]")
    if form is not None:
        area = form
    elif main_form.count() and main_form.first.is_visible():
        area = page.get_by_test_id("stMain")
    else:
        area = page.get_by_test_id("stSidebar")
        expander = area.get_by_test_id("stExpander").filter(has=page.locator("input[autocomplete=username]"))
        if not expander.locator("input[autocomplete=username]").is_visible():
            expander.locator("summary").click()
    area.locator("input[autocomplete=username]").fill(name)
    area.locator("input[autocomplete=current-password]").fill(password)
    submit = area.get_by_test_id("stFormSubmitButton").locator("button")
    before = page.runs.requests
    for attempt in range(3):  # a click landing while a run redraws the form is lost: again
        submit.click()
        try:
            wait_until(lambda: page.evaluate("true") and page.runs.requests > before, 10, "sign-in not sent")
            break
        except AssertionError:
            if attempt == 2 or not submit.is_visible():
                raise
    page.runs.wait_settled(after=before)
    if succeed:
        page.locator(".st-key-sign_out").wait_for(timeout=TIMEOUT_S * 1000)


def choose(page, box, option, attempts: int = 4) -> None:
    """Pick `option` in the selectbox `box`; retried because a rerun can close an open dropdown."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(attempts):
        box.click()
        try:
            page.get_by_role("option", name=option).click(timeout=5_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    raise AssertionError(f"option {option} not selectable")


def replaced_meanwhile(error: Exception) -> bool:
    """Whether a Playwright call failed because a run replaced the frame it asked (ask again)."""
    return "detached" in str(error) or "different document" in str(error)


def map_frame(page, timeout: float = TIMEOUT_S):
    """The frame of the page's one visible streamlit-folium map, once Leaflet is in it.

    Looked up afresh each time: a rerun may replace the iframe, and a frame kept from
    before would be detached and never show the map.
    """
    from playwright.sync_api import Error as PlaywrightError

    def current():
        for handle in page.query_selector_all("iframe[title*='streamlit_folium']"):
            try:
                frame = handle.content_frame()
                box = handle.bounding_box() or {}
                shown = frame and not frame.is_detached() and box.get("height", 0) > 0
                if shown and frame.query_selector(".leaflet-container"):
                    return frame
            except PlaywrightError as error:
                if not replaced_meanwhile(error):
                    raise
        return None

    return wait_until(current, timeout, "no map on the page")


DRAWN_JS = """() => {
    const maps = new Set(Object.values(window).filter(v => v instanceof L.Map));
    let n = 0;
    const drawn = l => (l instanceof L.Path || l instanceof L.Marker) && l.feature;
    maps.forEach(m => m.eachLayer(l => { if (drawn(l)) n++; }));
    return n;
}"""


def drawn_features(frame) -> int:
    """Vector features Leaflet has drawn: SVG paths, or canvas layers counted via the map."""
    return frame.evaluate(DRAWN_JS)


LAYERS_DRAWN_JS = """() => {
    const maps = new Set(Object.values(window).filter(v => v instanceof L.Map));
    let n = 0;
    maps.forEach(m => m.eachLayer(l => { if (l instanceof L.Path || l instanceof L.Marker) n++; }));
    return n;
}"""


def wait_map_drawn(frame, timeout: float = TIMEOUT_S) -> int:
    """Once the map in `frame` has drawn something (areas, lines, circles, markers, also without
    features, e.g. a round's extent): how many."""
    return wait_until(lambda: frame.evaluate(LAYERS_DRAWN_JS), timeout, "the map drew nothing")


def wait_drawn(page, expected: int, timeout: float = 30, count=drawn_features) -> int:
    """Wait until the page's map shows `expected` features (by `count`); return the last count.
    The map is looked up for every reading: a run may replace it between finding and reading."""
    from playwright.sync_api import Error as PlaywrightError

    def read() -> int:
        try:
            return count(map_frame(page))
        except PlaywrightError as err:
            if not replaced_meanwhile(err):
                raise
            return -1

    return count_until(read, expected, timeout)


IMAGES_DONE_JS = "() => [...document.images].every(i => i.complete)"


def handlers_had_their_chance(page, frames=()) -> None:
    """Wait until the run has finished and every image (an ``onerror`` payload's trigger) in
    the page and `frames` has loaded or failed, so any injected handler would have run."""
    settle(page)
    for where in (page, *frames):
        wait_until(lambda w=where: w.evaluate(IMAGES_DONE_JS), 30, "images still loading")


def warm_up(browser, server: Server, path: str = "/?basemap=none") -> None:
    """One finished run before the tests: the first session of a fresh server builds the demo
    store and the caches, and leaves Streamlit's legacy ``pages/`` mode (webui.common)."""
    page = open_page(browser, server.url, path)
    page.context.close()


# --- the app's pages ----------------------------------------------------------------------------


def _listed_pages(path: str, name: str) -> tuple:
    """A page table (script, title key, icon, URL path) as the app's source defines it."""
    tree = ast.parse((REPO / path).read_text(encoding="utf-8"))
    node = next(n for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == name)
    return ast.literal_eval(node.value)


def app_pages() -> tuple:
    """Every page of the app as (script, title key, icon, URL path): the map (URL path ""), the
    public pages, then the planner pages, read from the source so a new page is covered."""
    return (
        (("pages/map_view.py", "ui.map", "", ""),)
        + _listed_pages("dashboard.py", "PUBLIC_PAGES")
        + _listed_pages("webui/auth.py", "PLANNER_PAGES")
    )
