"""Issue 15, findings 1, 2 and 8, attacked as they were: raw websocket sessions against the
running app server, no browser. The server trusts a reverse proxy on loopback, so each client
names its address in ``X-Forwarded-For`` as nginx would.

1. Six sessions at once per round, four rounds, wrong passwords: no more password checks than
   the growing waits allow (they were 24 in 38 s before).
2. Wrong guesses for a known name do not keep the planner (another address) out; the planner
   sees the failed attempts.
8. A raw client presenting a signed-in planner's session id, without the planner's browser
   cookie, gets no planner page; the planner's own reconnect keeps the sign-in.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from attack_support import PASSWORD, REFUSED_PAGE, SIGNED_IN, THROTTLED, forwarded, planner_env, sign_in
from st_client import Visitor, session

from geo.auth import SignInPolicy

ATTACKER, PLANNER = "203.0.113.66", "198.51.100.20"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from harness import streamlit_server

    data = tmp_path_factory.mktemp("attack-signin") / "data"
    with streamlit_server(data, env=planner_env(SMART_REGION_TRUSTED_PROXIES="127.0.0.1")) as url:
        Visitor(url).load("/")  # the first session builds the demo store
        yield url


def visitor(url: str, address: str, page: str = "/upload") -> Visitor:
    client = Visitor(url, forwarded(address))
    client.load(page)  # the page load gives the browser its cookies, as for a browser
    return client


async def _guess(client: Visitor, password: str) -> list[str]:
    async with session(client) as s:
        return (await sign_in(s, password)).texts


def checks_allowed(seconds: float) -> int:
    """Password checks the pair counter allows within `seconds`: the free ones, then one more
    each time a (doubling) wait has run out."""
    rule, waited, checks = SignInPolicy().pair, 0.0, SignInPolicy().pair.free_attempts
    while waited + rule.wait_after(checks) <= seconds:
        waited += rule.wait_after(checks)
        checks += 1
    return checks


def test_parallel_wrong_passwords_get_no_more_checks_than_allowed(app):
    clients = [visitor(app, ATTACKER) for _ in range(6)]
    started, answers = time.monotonic(), []
    for attack in range(4):
        guesses = [_guess(c, f"rate-{attack}-{i}") for i, c in enumerate(clients)]
        answers += asyncio.run(_gather(guesses))
    elapsed = time.monotonic() - started
    checked = [a for a in answers if any("falsch" in t for t in a)]
    throttled = [a for a in answers if any(THROTTLED in t for t in a)]
    assert len(checked) + len(throttled) == 24, answers
    assert len(checked) <= checks_allowed(elapsed), (len(checked), elapsed)
    assert len(checked) < 24


async def _gather(coroutines):
    return await asyncio.gather(*coroutines)


def test_guesses_for_a_known_name_do_not_lock_the_planner_out(app):
    for i in range(12):
        asyncio.run(_guess(visitor(app, "203.0.113.77"), f"geraten-{i}"))
    planner = visitor(app, PLANNER, "/verwalten")

    async def planner_signs_in():
        async with session(planner) as s:
            signed_in = await sign_in(s, PASSWORD, page="verwalten")
            return signed_in, await s.rerun("", "verwalten")

    signed_in, manage = asyncio.run(planner_signs_in())
    assert signed_in.shows(SIGNED_IN), signed_in.texts
    assert signed_in.shows("Fehlversuche"), signed_in.texts  # told about the attempts at once
    assert manage.shows("Anmeldeversuche") and manage.shows("Änderungsprotokoll")


def test_a_planners_session_id_without_the_browser_cookie_gets_no_planner_page(app):
    planner = visitor(app, "198.51.100.21", "/verwalten")

    async def sign_in_and_leave() -> str:
        async with session(planner) as s:
            assert (await sign_in(s, PASSWORD, page="verwalten")).shows(SIGNED_IN)
            return s.session_id

    session_id = asyncio.run(sign_in_and_leave())

    async def reconnect(client: Visitor):
        async with session(client, session_id=session_id) as s:
            return await s.rerun("", "verwalten")

    again = asyncio.run(reconnect(planner))  # the planner's own browser, after a network hiccup
    assert again.shows("Änderungsprotokoll") and again.shows(SIGNED_IN), again.texts
    for attacker in (Visitor(app), visitor(app, ATTACKER, "/")):  # no cookies; cookies of its own
        taken = asyncio.run(reconnect(attacker))
        assert taken.session_id == session_id or not taken.session_id
        assert taken.shows(REFUSED_PAGE) and not taken.shows("Änderungsprotokoll"), taken.texts
    assert asyncio.run(reconnect(planner)).shows(REFUSED_PAGE)  # the sign-in ended: fail closed
