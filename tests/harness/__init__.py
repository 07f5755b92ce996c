"""The one browser-test harness: a real app server, headless Chromium, waits on conditions.

`servers`: the app (``python -m webui.serve``, as ``make run`` starts it) on a store the test
prepared, and `wait_until`; `pages`: Chromium tabs that see only the app, Streamlit runs
followed through its websocket protocol, sign-in, maps; `texts`: font sizes and contrast of the
text a page shows; `viewer`: the websocket protocol without a browser. Tests import everything
from here; conftest.py has the fixtures.
"""

from harness.pages import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DRAWN_RUN_JS,
    RunWatcher,
    act,
    app_pages,
    block_outside,
    choose,
    chromium,
    drawn_features,
    goto,
    handlers_had_their_chance,
    map_frame,
    open_page,
    require_chromium,
    settle,
    sign_in,
    wait_drawn,
    wait_map_drawn,
    warm_up,
)
from harness.servers import (
    REPO,
    TIMEOUT_S,
    Server,
    app_server,
    count_until,
    dashboard,
    free_port,
    serve,
    serve_script,
    streamlit_server,
    wait_until,
)
from harness.texts import visible_texts
from harness.viewer import StreamlitSocket, shown_errors, streamlit_socket

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "DRAWN_RUN_JS",
    "REPO",
    "TIMEOUT_S",
    "RunWatcher",
    "Server",
    "StreamlitSocket",
    "act",
    "app_pages",
    "app_server",
    "count_until",
    "block_outside",
    "choose",
    "chromium",
    "dashboard",
    "drawn_features",
    "free_port",
    "goto",
    "handlers_had_their_chance",
    "map_frame",
    "open_page",
    "require_chromium",
    "serve",
    "serve_script",
    "settle",
    "shown_errors",
    "sign_in",
    "streamlit_server",
    "streamlit_socket",
    "wait_drawn",
    "wait_map_drawn",
    "visible_texts",
    "wait_until",
    "warm_up",
]
