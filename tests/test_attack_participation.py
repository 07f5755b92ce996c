"""Issue 15, finding 3, attacked as it was: phones scripted over raw websocket sessions against
the running app server, no browser. The server trusts a reverse proxy on loopback, so each
client names its address in ``X-Forwarded-For`` as nginx would.

- Devices the client invents (its own ``sr_device`` cookie) send nothing and give no "+1".
- Devices fetched from the server one after another from one address are stopped by the
  per-address limit; "+1" from one address is limited per contribution.
- A burst beyond what a room can type is held for moderation: not on the projector.
- A round with join code admits only phones that bring the code on the screen.
"""

from __future__ import annotations

import asyncio
import secrets
from datetime import timedelta

import pytest
from attack_support import forwarded
from st_client import Run, Visitor, click, map_click, session, text

from geo import clock
from geo.participation.rounds import SUPPORTS_PER_ADDRESS, new_round
from geo.store import open_store

pytestmark = pytest.mark.dated  # an app server, no browser: it runs beside the browser lane
BBOX = (11.3, 51.65, 12.0, 52.05)
CATS = ("Coworking", "Mobilität", "Sonstiges")
THANKS, HELD = "Danke! Ihr Beitrag ist angekommen.", "nach einer kurzen Prüfung"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from harness import streamlit_server

    from geo.demo import build_demo

    data = tmp_path_factory.mktemp("attack-participation") / "data"
    store = open_store(str(data))
    build_demo(store)
    env = {"SMART_REGION_TRUSTED_PROXIES": "127.0.0.1"}
    with streamlit_server(data, env=env) as url:
        Visitor(url).load("/")
        yield url, store


def new_phone_round(store, question: str, **limits):
    start = clock.now() - timedelta(minutes=1)
    return store.create_round(new_round(question, CATS, BBOX, start, start + timedelta(hours=3), **limits))


def invented(url: str) -> Visitor:
    """A script's own device: a random cookie value in the old token's form, no page load."""
    return Visitor(
        url, forwarded(f"203.0.113.{secrets.randbelow(250)}"), {"sr_device": secrets.token_urlsafe(24)}
    )


def fetched(url: str, rnd, address: str, query: str = "") -> Visitor:
    phone = Visitor(url, forwarded(address))
    phone.load(f"/mitmachen?runde={rnd.id}{query}")
    return phone


async def _send(phone: Visitor, rnd, words: str, query: str = "") -> Run:
    q = f"runde={rnd.id}{query}"
    async with session(phone) as s:
        first = await s.rerun(q, "mitmachen")
        tap = map_click(first.widgets["map"], 11.6 + secrets.randbelow(100) / 1000, 51.85)
        tapped = await s.rerun(q, "mitmachen", [tap])
        if "part_text" not in tapped.widgets:
            return tapped  # no form for this phone: the page says why
        category = {"id": tapped.widgets["part_category"], "string_value": "Coworking"}
        states = [tap, category, text(tapped.widgets["part_text"], words), click(tapped.widgets["part_send"])]
        return await s.rerun(q, "mitmachen", states)


async def _support(phone: Visitor, rnd, contribution_id: int) -> Run:
    async with session(phone) as s:
        first = await s.rerun(f"runde={rnd.id}", "mitmachen")
        button = first.widgets.get(f"part_plus_{contribution_id}")
        return await s.rerun(f"runde={rnd.id}", "mitmachen", [click(button)]) if button else first


def send(phone, rnd, words, query: str = "") -> Run:
    return asyncio.run(_send(phone, rnd, words, query))


def test_invented_devices_send_nothing_and_forge_no_plus_one(app):
    url, store = app
    rnd = new_phone_round(store, "Erfundene Geräte?")
    runs = [send(invented(url), rnd, f"Bot {i}") for i in range(8) for _ in range(5)]
    assert store.list_contributions(rnd.id, include_hidden=True) == []
    assert all(r.shows("Gerätekennung") and not r.shows(THANKS) for r in runs), runs[0].texts
    idea = store.contribute(rnd.id, lon=11.7, lat=51.8, category="Coworking", text="Bot-Idee", device="bot")
    for _ in range(20):
        asyncio.run(_support(invented(url), rnd, idea.id))
    assert store.list_contributions(rnd.id)[0].support == 0


def test_devices_fetched_from_one_address_meet_the_address_limit(app):
    url, store = app
    rnd = new_phone_round(store, "Ein Netz, viele Geräte?", address_limit=6)
    runs = [send(fetched(url, rnd, "203.0.113.50"), rnd, f"Skript {i}") for i in range(9)]
    assert [r.shows(THANKS) for r in runs] == [True] * 6 + [False] * 3
    assert all(r.shows("Von Ihrem Netz") for r in runs[6:])
    assert send(fetched(url, rnd, "198.51.100.9"), rnd, "Mensch im Saal").shows(THANKS)
    idea = store.list_contributions(rnd.id)[0]
    for _ in range(SUPPORTS_PER_ADDRESS + 3):
        asyncio.run(_support(fetched(url, rnd, "203.0.113.51"), rnd, idea.id))
    assert store.list_contributions(rnd.id)[0].support == SUPPORTS_PER_ADDRESS


def test_a_burst_is_held_for_moderation_and_stays_off_the_projector(app):
    url, store = app
    rnd = new_phone_round(store, "Ansturm?", burst_limit=4)
    runs = [send(fetched(url, rnd, f"198.51.100.{20 + i}"), rnd, f"Welle {i}") for i in range(7)]
    assert sum(r.shows(HELD) for r in runs) == 3 and sum(r.shows(THANKS) for r in runs) == 7
    assert [c.text for c in store.list_contributions(rnd.id)] == [f"Welle {i}" for i in range(4)]
    held = [c for c in store.list_contributions(rnd.id, include_hidden=True) if c.held]
    assert [c.text for c in held] == ["Welle 4", "Welle 5", "Welle 6"]

    async def projector() -> Run:
        async with session(Visitor(url)) as s:
            return await s.rerun(f"runde={rnd.id}", "beteiligung-live")

    shown = asyncio.run(projector())
    assert shown.shows("Beiträge: 4") and not shown.shows("Welle 5"), shown.texts


def test_a_round_with_join_code_admits_only_phones_with_the_code_on_screen(app):
    url, store = app
    rnd = new_phone_round(store, "Nur im Saal?", join_code=True)
    far_away = send(fetched(url, rnd, "203.0.113.60"), rnd, "Von draußen")
    assert "Beitrittscode (auf der Leinwand)" in far_away.widgets and not far_away.shows(THANKS)
    wrong = "&code=000000" if store.join_code(rnd.id).code != "000000" else "&code=111111"
    assert not send(fetched(url, rnd, "203.0.113.61", wrong), rnd, "Geraten", wrong).shows(THANKS)
    code = f"&code={store.join_code(rnd.id).code}"  # what the projector's QR code carries
    assert send(fetched(url, rnd, "198.51.100.70", code), rnd, "Im Saal", code).shows(THANKS)
    assert [c.text for c in store.list_contributions(rnd.id)] == ["Im Saal"]
