"""Accessibility: axe-core finds no serious or critical violation on any page, public and planner,
in German and in English (demo data, 1400×1000, main document once the page's run and map are
drawn). One server; per language one tab that signs in once and walks the sidebar navigation,
planner pages first; from a page without sidebar (forum, live view) the next comes by its URL."""

from __future__ import annotations

import json

import pytest
from accounts import quick_hash
from harness import act, app_pages, dashboard, goto, map_frame, open_page, sign_in, wait_map_drawn, warm_up

from geo.i18n import LANGUAGES, t
from webui.auth import PLANNER_PAGES

pytestmark = pytest.mark.browser
PASSWORD = "Bernburg-Saale-2026"
PLANNER = {url for *_, url in PLANNER_PAGES}
PAGES = sorted(app_pages(), key=lambda p: bool(p[3]) and p[3] not in PLANNER)  # map, planner, public
MAPS = "iframe[title*='streamlit_folium']"


def axe_findings(page) -> list:
    """(rule, first targets) of every serious or critical violation in the page's document."""
    from axe_playwright_python.sync_playwright import Axe

    page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden", timeout=60_000)
    if page.locator(MAPS + ":visible").count():
        wait_map_drawn(map_frame(page))
    violations = Axe().run(page).response["violations"]
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


def open_page_named(page, title: str, url: str) -> None:
    """Go to page `title` through the sidebar (same session, still signed in), else by `url`."""
    nav = page.get_by_test_id("stSidebarNav")
    if not nav.is_visible():
        goto(page, url)
        return
    link = nav.get_by_role("link", name=title, exact=True)
    more = nav.get_by_test_id("stSidebarNavViewButton")
    if not link.is_visible() and more.is_visible():  # "View more": the list is shortened
        more.click()
    act(page, link.click)


def test_axe_no_serious_violations_on_any_page(tmp_path, browser):
    data = tmp_path / "data"
    data.mkdir()
    env = {"SMART_REGION_PLANNERS": json.dumps({"planer": quick_hash(PASSWORD)})}
    found = {}
    with dashboard(data, env) as server:
        warm_up(browser, server)
        for lang in LANGUAGES:
            page = open_page(browser, server.url, f"/?lang={lang}&basemap=none")
            sign_in(page, "planer", PASSWORD)
            for _, title_key, _, path in PAGES:
                title = t(title_key, lang)
                if path:  # the map is open already
                    open_page_named(page, title, f"{server.url}/{path}?lang={lang}&basemap=none")
                assert page.evaluate("document.documentElement.lang") == lang, title
                findings = axe_findings(page)
                if findings:
                    found[f"{lang} {title}"] = findings
            page.context.close()
    assert not found, found
