"""Participation pages with Streamlit's AppTest: phone page, projector page, planner page."""

from __future__ import annotations

from datetime import timedelta

import folium
import pytest
from streamlit.testing.v1 import AppTest

from geo import clock
from geo.demo import build_demo
from geo.participation.devices import new_device_token
from geo.participation.maplayers import contributions_group
from geo.participation.rounds import new_round
from geo.store import open_store
from webui.client import DEVICE_STATE
from webui.middleware import SIGN_INS

pytestmark = pytest.mark.dated

BBOX = (11.3, 51.65, 12.0, 52.05)
CATS = ("Coworking", "Mobilität")
XSS = "<script>window.__xss=1</script><b>fett</b>"
APPTEST_SESSION = "test session id"  # the id AppTest gives its one session


@pytest.fixture
def demo(tmp_path, monkeypatch):
    data = tmp_path / "data"
    store = open_store(str(data))
    build_demo(store)
    monkeypatch.setenv("SMART_REGION_DATA", str(data))
    now = clock.now()
    rnd = store.create_round(
        new_round("Wo fehlt ein Coworking-Space?", CATS, BBOX, now, now + timedelta(hours=1))
    )
    store.contribute(rnd.id, lon=11.6, lat=51.8, category="Coworking", text=XSS, device="d" * 24)
    store.contribute(rnd.id, lon=11.7, lat=51.9, category="Mobilität", text="Rufbus", device="e" * 24)
    return store, rnd


def run(
    page: str, query: dict[str, str] | None = None, planner: str | None = None, device: bool = True
) -> AppTest:
    """`page` in AppTest. AppTest has no browser, so no cookies: a phone gets a device token
    the way the server issues it, a planner a sign-in bound to "no browser" (`SIGN_INS`)."""
    at = AppTest.from_file("../dashboard.py", default_timeout=90)
    at.query_params["basemap"] = "none"
    SIGN_INS.end(APPTEST_SESSION)
    if planner:
        SIGN_INS.start(APPTEST_SESSION, planner, None, clock.timestamp())
    if device:
        at.session_state[DEVICE_STATE] = new_device_token(clock.timestamp())
    at.run()  # st.navigation registers the pages on the first run (the map page)
    for k, v in {"karte": "none", **(query or {})}.items():
        at.query_params[k] = v
    at.switch_page(page)
    return at.run()


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_phone_page_shows_round_form_and_contributions_as_text(demo):
    _, rnd = demo
    at = run("pages/participate.py", {"runde": rnd.id})
    assert_clean(at)
    assert any("keine IP-Adresse" in i.value and "Netz-Adresse" in i.value for i in at.info)
    assert list(at.radio[0].options) == list(CATS)
    assert at.text_area[0].max_chars == rnd.max_text
    assert XSS in [t.value for t in at.text]  # st.text: shown literally, never as HTML
    assert [b.label for b in at.button if b.label.startswith("+1")] == ["+1 (0)", "+1 (0)"]
    # sending without a tapped place is refused with a clear message, the text is kept
    at.text_area[0].input("Hier fehlt etwas")
    at.button(key="part_send").click().run()
    assert any("kein Ort gewählt" in e.value for e in at.error)
    assert at.text_area[0].value == "Hier fehlt etwas"


def test_phone_page_without_or_with_unknown_round_explains(demo):
    at = run("pages/participate.py", {"runde": "nichtda"})
    assert not at.exception
    assert any("gibt es nicht" in e.value for e in at.error)
    at = run("pages/participate.py")  # no round in the link: the running one
    assert_clean(at)
    assert at.radio


def test_live_page_counts_and_escapes(demo):
    _, rnd = demo
    at = run("pages/participation_live.py", {"runde": rnd.id})
    assert_clean(at)
    # the page's own html (not the app's one script element, dashboard.py's document language)
    html = " ".join(h.proto.body for h in at.get("html") if not h.proto.unsafe_allow_javascript)
    assert "Beiträge: 2" in html and "&lt;script&gt;" not in html  # no support yet: not in the top list
    assert "<script>" not in html


def test_map_tooltips_escape_user_text(demo):
    store, rnd = demo
    m = folium.Map()
    contributions_group(store.list_contributions(rnd.id), rnd.categories).add_to(m)
    page = m.get_root().render()
    escaped = "&lt;script&gt;window.__xss=1&lt;/script&gt;&lt;b&gt;fett&lt;/b&gt;".replace("&", "\\u0026")
    assert escaped in page  # inside the embedded GeoJSON, "&" is written as \u0026
    assert "<script>window.__xss" not in page and "<b>fett" not in page


def test_planner_page_refuses_viewers_and_serves_planners(demo):
    store, rnd = demo
    at = run("pages/participation_admin.py")
    assert not at.exception
    assert any("Planer" in w.value or "planner" in w.value.lower() for w in at.warning)
    at = run("pages/participation_admin.py", planner="planer")
    assert_clean(at)
    assert [t.label for t in at.tabs] == ["Übersicht", "Moderation", "Auswertung"]
    assert XSS in [t.value for t in at.text]
    # moderation: hide the payload; it leaves the public list and the audit log records it
    first = store.list_contributions(rnd.id)[0]
    at.text_input(key=f"part_reason_{first.id}").input("Spam")
    at.button(key=f"part_hide_{first.id}").click().run()
    assert_clean(at)
    assert [c.text for c in store.list_contributions(rnd.id)] == ["Rufbus"]
    assert store.audit_log()[0].action == "contribution-hide" and "Spam" in store.audit_log()[0].detail
    # close the round, then take it over as a layer
    at.button(key="part_close").click().run()
    assert_clean(at)
    assert store.get_round(rnd.id).closed
    at = run("pages/participation_admin.py", planner="planer")
    submit = [b for b in at.button if "Als Ebene übernehmen" in b.label]
    submit[0].click().run()
    assert_clean(at)
    layer = store.get(store.get_round(rnd.id).layer_id)
    assert layer.feature_count == 1 and layer.updated_by == "planer"


def test_planner_creates_a_round(demo):
    store, _ = demo
    at = run("pages/participation_admin.py", planner="planer")
    at.text_input[0].input("Welche Mobilitätsangebote wünschen Sie sich?")
    submit = [b for b in at.button if b.label == "Beteiligung anlegen"]
    submit[0].click().run()
    assert_clean(at)
    newest = store.list_rounds()[0]
    assert newest.question == "Welche Mobilitätsangebote wünschen Sie sich?" and newest.created_by == "planer"
    assert "Mobilität" in newest.categories and newest.status() == "open"


def test_phone_without_a_device_token_from_the_server_cannot_send(demo):
    """Finding 3: a client that did not get its token from the server is no device."""
    store, rnd = demo
    at = run("pages/participate.py", {"runde": rnd.id}, device=False)
    assert not at.exception
    assert any("Gerätekennung" in e.value for e in at.error)
    assert not at.text_area and all(b.disabled for b in at.button if b.label.startswith("+1"))
    at = run("pages/participate.py", {"runde": rnd.id}, device=False)
    at.session_state[DEVICE_STATE] = "invented-by-a-script-1234567890"
    at.run()
    assert not at.text_area and len(store.list_contributions(rnd.id)) == 2


def test_phone_joins_a_round_with_the_code_on_screen(demo):
    store, _ = demo
    now = clock.now()
    rnd = store.create_round(
        new_round("Mit Code?", CATS, BBOX, now, now + timedelta(hours=1), join_code=True)
    )
    at = run("pages/participate.py", {"runde": rnd.id})
    assert not at.exception and not at.text_area
    at.text_input(key="part_code").input("123 456")
    at.button[0].click().run()  # "Mitmachen"
    if store.join_code(rnd.id).code != "123456":
        assert any("Beitrittscode stimmt nicht" in e.value for e in at.error)
    at = run("pages/participate.py", {"runde": rnd.id, "code": store.join_code(rnd.id).code})
    assert not at.exception and at.text_area  # the QR code's link admits by itself
    live = run("pages/participation_live.py", {"runde": rnd.id})
    assert store.join_code(rnd.id).code not in " ".join(h.proto.body for h in live.get("html"))
    assert any("nur auf dem Projektor" in c.value for c in live.caption)
    live = run("pages/participation_live.py", {"runde": rnd.id, "screen": store.join_code(rnd.id).screen_key})
    assert f"Code: {store.join_code(rnd.id).code}" in " ".join(h.proto.body for h in live.get("html"))
