"""Every control on every page, in German and in English: whatever a user operates, no crash.

One server per language (its default language) on the demo store, with an open participation
round, and throw-away data for the buttons that destroy (a layer last in every layer list, a
round last in the round list, with contributions to moderate). Planner pages are operated
signed in. `controls.Explorer` finds the controls and checks every step; the test writes what
it operated to ``<pytest tmp>/controls/inventory-<lang>.txt`` (and prints it).
"""

from __future__ import annotations

import json
import os
import time
from datetime import timedelta

import geopandas as gpd
import pytest
from accounts import quick_hash
from controls import Explorer
from harness import app_pages, dashboard, goto, open_page, warm_up
from shapely.geometry import Point

from geo import clock
from geo.demo import build_demo
from geo.i18n import t
from geo.maps.paging import PAGE_SIZE
from geo.participation.rounds import new_round
from geo.store import open_store

pytestmark = [pytest.mark.browser, pytest.mark.dated]
PASSWORD = "Staßfurt-Bode-2026"
BBOX = (11.3, 51.65, 12.0, 52.05)  # the demo Salzlandkreis
VALUES = {
    "search": ("Staßfurt", "kein-Treffer-xyz"),  # one hit, and none
    "filter_munis_query": ("kein-Treffer-xyz", "leben"),  # none, then four matches to add one of
    "gemeinde_query": ("bern",),  # the profile's picker: one match beside the current one
    "table_filter": ("kein-Treffer-xyz", ""),  # no row, then all (the pages to go through)
    "upload_crs": ("EPSG:4326",),
    "upload_x": ("lon",),
    "upload_y": ("lat",),
    "upload_url": ("http://127.0.0.1:9/",),  # a service address nothing answers at: refused readably
    "*": ("Test <b>Ä</b> & ß",),
}
CSV = "name;kategorie;lon;lat\nCoworking Süd;coworking;11.62;51.86\nLadepunkt Nord;ladepunkt;11.70;51.95\n"


PAGES = app_pages()


def prepare(store) -> None:
    """Demo layers, a throw-away layer (two versions; the second with more rows than a table
    page, last in the table's layer list) and two open rounds, the throw-away one older (so last
    in the list) with two contributions to moderate."""
    build_demo(store)
    points = gpd.GeoDataFrame({"name": ["Weg A", "Weg B"]}, geometry=[Point(11.6, 51.9), Point(11.5, 51.8)])
    info = store.write(points.set_crs(4326), title="Zz Wegwerf-Ebene", kind="other", roles={"name": "name"})
    more = [Point(11.5 + i / 300, 51.8) for i in range(PAGE_SIZE + 10)]
    store.replace(
        info.id, gpd.GeoDataFrame({"name": [f"Weg {i}" for i in range(len(more))]}, geometry=more, crs=4326)
    )
    now = clock.now()
    with clock.use_clock(clock.FixedClock(now - timedelta(minutes=5))):
        spare = store.create_round(new_round("Wegwerf-Runde?", ("A", "B"), BBOX, now - timedelta(hours=1),
                                             now + timedelta(hours=3)))  # fmt: skip
    for i, device in enumerate(("phone-one-000000000000", "phone-two-000000000000")):
        store.contribute(spare.id, lon=11.6, lat=51.8 + i / 20, category="A", text=f"Idee {i}", device=device)
    store.create_round(new_round("Wo fehlt ein Coworking-Space?", ("Coworking", "Mobilität", "Sonstiges"),
                                 BBOX, now - timedelta(minutes=1), now + timedelta(hours=3)))  # fmt: skip


@pytest.fixture(scope="module", params=["de", "en"])
def app(request, tmp_path_factory, browser):
    """A server whose default language is the parameter (stopped before the next one starts)."""
    lang = request.param
    data = tmp_path_factory.mktemp(f"controls-{lang}") / "data"
    store = open_store(str(data))
    prepare(store)
    env = {
        "SMART_REGION_PLANNERS": json.dumps({"planer": quick_hash(PASSWORD)}),
        "SMART_REGION_LANGUAGE": lang,
    }
    with dashboard(data, env) as server:
        warm_up(browser, server)
        yield server, lang, store


def nav_back(page, title: str):
    """Return to the page `title` through the sidebar navigation (same session)."""

    def back() -> None:
        link = page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True)
        page.runs.act(link.click)

    return back


def inventory(explorer: Explorer, lang: str) -> str:
    lines, last = [], None
    for page_name, kind, name, what in explorer.log:
        if page_name != last:
            lines.append(f"\n[{lang}] {page_name}")
            last = page_name
        lines.append(f"  {kind:<18} {name[:60]!s:<60} {what}")
    lines.append(f"\n[{lang}] messages the pages gave as answers to inputs:")
    lines += [f"  {text[:150]}" for text in explorer.answers]
    return "\n".join(lines)


@pytest.mark.timeout(900)
def test_every_control_on_every_page(app, browser, tmp_path_factory):
    server, lang, store = app
    page = open_page(browser, server.url, "/", accept_downloads=True)
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    upload = tmp_path_factory.mktemp("upload") / "angebote_test.csv"
    upload.write_text(CSV, encoding="utf-8")
    ids = tuple(i.id for i in store.list_layers()) + tuple(r.id for r in store.list_rounds())
    explorer = Explorer(page, server, lang, VALUES, ("planer", PASSWORD), upload, None, ids)
    left = {}
    only = os.environ.get("SMART_REGION_CONTROLS_PAGES")  # e.g. "upload,forum" while working on pages
    for _, title_key, _, url in PAGES:
        if only and (url or "map") not in only.split(","):
            continue
        title = t(title_key, lang)
        explorer.back = nav_back(page, title)
        done: set[str] = set()
        started = time.monotonic()
        for _attempt in range(2):  # a second, fresh session for controls never enabled in the first
            goto(page, f"{server.url}/{url}")
            try:
                missing = explorer.explore(title, done)
            except Exception:
                page.screenshot(path=str(tmp_path_factory.getbasetemp() / f"controls-failure-{lang}.png"))
                raise
            if not missing:
                break
        if missing:
            left[title] = sorted(missing)
        explorer.log.append((title, "", "", f"{time.monotonic() - started:.0f} s on this page"))
    report = inventory(explorer, lang)
    out = tmp_path_factory.getbasetemp() / "controls" / f"inventory-{lang}.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report, encoding="utf-8")
    print(report, f"\n(written to {out})")
    assert not explorer.crashes, "\n\n".join(explorer.crashes)
    if not only or "upload" in only:  # the unreachable service address got its readable answer
        tail = t("err.service_unreachable", lang, url="\0", reason="\0").split("\0")[-1]
        assert any("127.0.0.1:9" in text and tail in text for text in explorer.answers), explorer.answers
    assert not left, f"controls never operated (disabled or gone): {left}"
    assert not errors, f"script errors in the browser: {errors}"
