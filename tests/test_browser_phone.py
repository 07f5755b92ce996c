"""The light phone page and its JSON endpoints, through the real app server (``webui.serve``)
and headless Chromium: small, same rules as the Streamlit page, escaped, retry-safe; devices
only from the server, limits per address, bursts to moderation, join codes (issue 15, finding 3).
The server trusts a reverse proxy on loopback, so a client names its address as nginx would."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from harness import block_outside, chromium, streamlit_server
from rounds_fixture import BBOX, CATS, T0

from geo.participation.rounds import new_round
from geo.store import open_store

pytestmark = [pytest.mark.browser, pytest.mark.dated]
XSS = '<img src=x onerror="window.hacked=1"><script>window.hacked=1</script>'
BUDGET = 300 * 1024  # bytes the app sends a phone on first load (tiles come from the basemap host)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    data = tmp_path_factory.mktemp("phone") / "store"
    store = open_store(str(data))
    question = "Wo fehlt <b>ein</b> Coworking-Space?"
    rnd = store.create_round(new_round(question, CATS, BBOX, T0, T0 + timedelta(hours=2), rate_limit=3))
    with streamlit_server(data, env={"SMART_REGION_TRUSTED_PROXIES": "127.0.0.1"}, app=True) as url:
        yield url, rnd, store


def _device(url: str, round_id: str, address: str = "198.51.100.1", query: str = "") -> str:
    """The ``sr_device`` cookie the phone page hands a new phone (what a browser keeps)."""
    request = urllib.request.Request(f"{url}/m/{round_id}{query}", headers={"X-Forwarded-For": address})
    with urllib.request.urlopen(request, timeout=30) as r:
        given = [c.split(";")[0] for c in r.headers.get_all("Set-Cookie") if c.startswith("sr_device=")]
    assert len(given) == 1
    return given[0]


def _call(
    url: str, body: object = None, cookie: str = "", raw: bytes | None = None, address: str = "198.51.100.1"
) -> tuple[int, dict, dict]:
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    request.add_header("Content-Type", "application/json")
    request.add_header("X-Forwarded-For", address)
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, json.loads(r.read()), dict(r.headers)
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read()), dict(err.headers)


def test_phone_page_is_small_escaped_and_self_hosted(app):
    url, rnd, _ = app
    with urllib.request.urlopen(f"{url}/m/{rnd.id}", timeout=30) as r:
        page, headers = r.read(), dict(r.headers)
    assert "sr_device=" in headers["set-cookie"] and "HttpOnly" in headers["set-cookie"]
    assert "script-src 'self'" in headers["content-security-policy"]
    text = page.decode()
    assert "Wo fehlt &lt;b&gt;ein&lt;/b&gt; Coworking-Space?" in text and "<b>ein</b>" not in text
    total = len(page)
    for asset in ("leaflet.js", "leaflet.css", "phone.js"):
        with urllib.request.urlopen(f"{url}/m/assets/{asset}", timeout=30) as r:
            total += len(r.read())
    assert total <= BUDGET, total
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{url}/m/assets/..%2F..%2Fdashboard.py", timeout=30)
    assert err.value.code in (400, 404)  # never a file outside the three assets
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{url}/m/nichtda?lang=en", timeout=30)
    assert err.value.code == 404 and "not" in err.value.read().decode()


def test_endpoints_apply_the_round_rules_once_per_device(app):
    url, rnd, store = app
    api = f"{url}/api/rounds/{rnd.id}/contributions"
    phone, other = _device(url, rnd.id), _device(url, rnd.id)
    idea = {"lon": 11.7, "lat": 51.8, "category": CATS[0], "text": XSS, "request_id": "r-1"}
    status, first, _ = _call(api, idea, phone)
    assert status == 201 and first["message"].startswith("Danke")
    status, again, _ = _call(api, idea, phone)  # a retry after a lost answer: no duplicate
    assert status == 201 and again["id"] == first["id"]
    status, refused, _ = _call(api + "?lang=en", {**idea, "lon": 13.5, "request_id": "r-2"}, phone)
    assert status == 422 and refused["code"] == "err.part_outside_extent" and "area" in refused["error"]
    status, bad, _ = _call(api, raw=b"{not json", cookie=phone)
    assert status == 400 and bad["code"] == "err.phone_bad_request"
    status, bad, _ = _call(api, raw=b"x" * 20_000, cookie=phone)
    assert status == 400
    status, plus, _ = _call(f"{api}/{first['id']}/support", {}, other)
    assert status == 200 and plus["support"] == 1
    status, twice, _ = _call(f"{api}/{first['id']}/support", {}, other)
    assert status == 409 and twice["code"] == "err.part_already_supported"
    status, listing, _ = _call(api, cookie=other)
    assert status == 200 and listing["supported"] == [first["id"]]
    assert [i["text"] for i in listing["items"]] == [XSS] and "device" not in listing["items"][0]
    for n in range(2, 4):  # rate limit 3 per device: the third new idea is refused
        status, _, _ = _call(api, {**idea, "request_id": f"r-{n + 10}"}, phone)
        assert status == 201
    status, limited, _ = _call(api, {**idea, "request_id": "r-99"}, phone)
    assert status == 429 and limited["code"] == "err.part_rate_limit"
    assert len(store.list_contributions(rnd.id)) == 3
    status, missing, _ = _call(f"{url}/api/rounds/abc/contributions", idea, phone)
    assert status == 404


def test_invented_devices_send_nothing_and_give_no_plus_one(app):
    url, _, store = app
    rnd = store.create_round(new_round("Erfunden?", CATS, BBOX, T0, T0 + timedelta(hours=2)))
    api = f"{url}/api/rounds/{rnd.id}/contributions"
    idea = {"lon": 11.7, "lat": 51.8, "category": CATS[0], "text": "Bot"}
    for cookie in ("", "sr_device=phone-aaaaaaaaaaaaaaaaaaaaaaaa", _device(url, rnd.id)[:-3] + "AAA"):
        status, refused, headers = _call(api, idea, cookie)
        assert status == 403 and refused["code"] == "err.part_no_device"
        assert "sr_device=" in headers["set-cookie"]  # a real browser keeps it and can send next time
    item = store.contribute(rnd.id, lon=11.7, lat=51.8, category=CATS[0], text="echt", device="d", now=T0)
    status, _, _ = _call(f"{api}/{item.id}/support", {}, "sr_device=forged-plus-one-000000000000")
    assert status == 403 and store.list_contributions(rnd.id)[0].support == 0


def test_one_address_with_many_fetched_devices_is_limited_and_a_burst_is_held(app):
    url, _, store = app
    rnd = store.create_round(
        new_round("Flut?", CATS, BBOX, T0, T0 + timedelta(hours=2), address_limit=4, burst_limit=6)
    )
    api = f"{url}/api/rounds/{rnd.id}/contributions"
    idea = {"lon": 11.7, "lat": 51.8, "category": CATS[0], "text": "Flut"}
    statuses = [
        _call(api, idea, _device(url, rnd.id, "203.0.113.9"), address="203.0.113.9")[0] for _ in range(6)
    ]
    assert statuses == [201] * 4 + [429] * 2  # new server tokens do not reset the address's count
    for n in range(4):  # more per minute than a room types: held for moderation, not shown
        status, body, _ = _call(
            api, idea, _device(url, rnd.id, f"198.51.100.{n + 20}"), address=f"198.51.100.{n + 20}"
        )
        assert status == 201
    assert "Prüfung" in body["message"]
    shown = store.list_contributions(rnd.id)
    assert len(shown) == 6 and len(store.list_contributions(rnd.id, include_hidden=True)) == 8


def test_a_round_with_join_code_admits_the_phone_that_brings_the_code(app):
    url, _, store = app
    rnd = store.create_round(new_round("Im Saal?", CATS, BBOX, T0, T0 + timedelta(hours=2), join_code=True))
    api = f"{url}/api/rounds/{rnd.id}/contributions"
    idea = {"lon": 11.7, "lat": 51.8, "category": CATS[0], "text": "von fern"}
    far = _device(url, rnd.id)
    status, refused, _ = _call(api, idea, far)
    assert status == 403 and refused["code"] == "err.part_code_required"
    request = urllib.request.Request(f"{url}/m/{rnd.id}?code=000000", headers={"Cookie": far})
    with urllib.request.urlopen(request, timeout=30) as r:
        page = r.read().decode()
    assert 'id="join"' in page and 'id="form"' not in page  # a wrong code: the field again
    code = store.join_code(rnd.id).code  # what the projector shows; the QR link carries it
    scanned = _device(url, rnd.id, query=f"?code={code}")
    status, _, _ = _call(api, idea, scanned)
    assert status == 201 and _call(api, {**idea, "text": "noch fern"}, far)[0] == 403


def test_a_phone_pins_an_idea_and_gives_plus_one_in_chromium(app):
    url, rnd, store = app
    with chromium() as browser:
        # without the page's CSP: escaping alone must keep the injected text inert
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, bypass_csp=True
        )
        blocked = block_outside(context, url)
        page = context.new_page()
        page.goto(f"{url}/m/{rnd.id}?basemap=none")
        page.wait_for_selector("#map.leaflet-container")
        page.locator("#map").click(position={"x": 180, "y": 170})
        # the chosen place in German decimals ("51,8123, 11,6034"), as the Streamlit page writes it
        place = "document.getElementById('point').textContent"
        page.wait_for_function(f"/\\d,\\d{{4}}, \\d+,\\d{{4}}$/.test({place})")
        page.get_by_label(CATS[1]).check()
        page.fill("#text", "Radweg zum Bahnhof " + XSS)
        page.click("#send")
        page.wait_for_selector("#msg.ok")
        page.wait_for_function("document.querySelectorAll('#list li').length >= 1")
        newest = page.locator("#list li").first
        assert XSS in newest.locator("p").inner_text()
        assert page.evaluate("window.hacked") is None
        newest.locator("button").click()
        page.wait_for_function("document.querySelector('#list li button').textContent.startsWith('\u2713')")
        context.close()
    assert blocked == []
    mine = [c for c in store.list_contributions(rnd.id) if c.text.startswith("Radweg")]
    assert len(mine) == 1 and mine[0].category == CATS[1] and mine[0].support == 1
