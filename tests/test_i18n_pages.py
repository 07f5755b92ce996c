"""Every page in German and English, signed in as a planner, with strict translation keys.

The conftest makes an unknown key raise (`SMART_REGION_STRICT_I18N`), and the dashboard's
error boundary turns any exception into an error box, so a page that uses a key missing from
a catalog fails here.
"""

from __future__ import annotations

import ast

import pytest
from rounds_fixture import make_round, send
from streamlit.testing.v1 import AppTest

from geo import clock
from geo.config import REPO_ROOT
from geo.demo import build_demo
from geo.i18n import t
from geo.participation.devices import new_device_token
from geo.store import open_store
from webui.client import DEVICE_STATE

pytestmark = pytest.mark.dated


def page_titles() -> dict[str, str]:
    """Every page the navigation lists (dashboard.py and webui/auth.py tables) → its title key."""
    found = {"pages/map_view.py": "ui.app_title"}
    for source in (REPO_ROOT / "dashboard.py", REPO_ROOT / "webui" / "auth.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Tuple) and len(node.elts) == 4:
                path, key = (getattr(e, "value", None) for e in node.elts[:2])
                if str(path).startswith("pages/"):
                    found[path] = key
    return found


def page_paths() -> list[str]:
    return sorted(page_titles())


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    data = tmp_path_factory.mktemp("pages") / "data"
    store = open_store(str(data))
    build_demo(store)
    send(store, make_round(store), device="d" * 24, text="Hier")  # a round with one idea
    # the first app run of a process leaves Streamlit's legacy pages mode (webui/common.py)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SMART_REGION_DATA", str(data))
        AppTest.from_file("../dashboard.py", default_timeout=120).run()
    return data


def test_every_page_is_listed():
    assert len(page_paths()) >= 12 and "pages/upload.py" in page_paths()


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("page", page_paths())
def test_page_runs_with_strict_keys(demo, monkeypatch, page, lang):
    monkeypatch.setenv("SMART_REGION_DATA", str(demo))
    at = AppTest.from_file("../dashboard.py", default_timeout=120)
    for key, value in {"basemap": "none", "karte": "none", "lang": lang}.items():
        at.query_params[key] = value
    at.session_state["planner"] = "planer"
    at.session_state[DEVICE_STATE] = new_device_token(clock.timestamp())  # AppTest has no cookies
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    if at.title and page != "pages/forum.py":  # the forum shows the station's title
        assert at.title[0].value == t(page_titles()[page], lang)
