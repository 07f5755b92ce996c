"""Contract of `RoundStore`: rounds, contributions, "+1", limits under concurrency, moderation.

Runs against every backend in `conftest.BACKENDS`; the rules themselves (validation,
evaluation, export) are tested in test_participation.py.
"""

from __future__ import annotations

import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import timedelta

import pytest
from rounds_fixture import T0, make_round, refused, send

from geo.clock import LOCAL_TZ
from geo.errors import GeoError
from geo.participation.rounds import contributions_frame
from geo.store import open_store

pytestmark = pytest.mark.dated


def test_round_is_stored_listed_and_closed_with_audit(store):
    rnd = make_round(store)
    assert rnd.id and store.get_round(rnd.id) == rnd
    assert [r.id for r in store.list_rounds()] == [rnd.id]
    assert rnd.status(T0 - timedelta(minutes=1)) == "planned" and rnd.status(T0) == "open"
    assert rnd.status(T0 + timedelta(hours=2)) == "ended"
    closed = store.close_round(rnd.id, author="planer")
    assert closed.status(T0) == "closed"
    actions = [(e.action, e.layer_id, e.user) for e in store.audit_log()]
    assert ("round-close", f"beteiligung/{rnd.id}", "planer") in actions
    refused("err.part_round_not_found", store.get_round, "../../etc")
    refused("err.part_round_not_found", store.get_round, "abcdef12")


def test_contribution_is_stored_cleaned_without_personal_data(store):
    rnd = make_round(store)
    item = send(store, rnd, device="secret-token", text="  <b>Coworking</b>\u202e am Bahnhof\r\n ")
    assert item.text == "<b>Coworking</b> am Bahnhof"  # stored as typed (escaped on output), controls gone
    assert item.device != "secret-token" and len(item.device) == 32  # salted hash only
    assert [c.id for c in store.list_contributions(rnd.id)] == [item.id]
    frame = contributions_frame(store.list_contributions(rnd.id))
    assert "device" not in frame.columns and frame.crs == "EPSG:4326"


def test_contributions_outside_extent_time_or_rules_are_refused(store):
    rnd = make_round(store, max_text=20)
    refused("err.part_outside_extent", send, store, rnd, lon=13.0)
    refused("err.part_no_location", send, store, rnd, lon=None)
    refused("err.part_no_location", send, store, rnd, lat=float("inf"))
    refused("err.part_unknown_category", send, store, rnd, cat="<script>")
    refused("err.part_text_empty", send, store, rnd, text=" \n ")
    err = refused("err.part_text_too_long", send, store, rnd, text="x" * 21)
    assert "21" in err.message("de") and "20" in err.message("de")
    refused("err.part_not_started", send, store, rnd, now=T0 - timedelta(seconds=1))
    err = refused("err.part_ended", send, store, rnd, now=T0 + timedelta(hours=2))
    assert f"{(T0 + timedelta(hours=2)).astimezone(LOCAL_TZ):%d.%m.%Y %H:%M}" in err.message("de")
    store.close_round(rnd.id)
    refused("err.part_closed", send, store, rnd)
    assert store.list_contributions(rnd.id, include_hidden=True) == []


def test_rate_limit_per_device_and_cap_per_round(store):
    rnd = make_round(store, rate_limit=3, rate_window_min=10, cap=5)
    for i in range(3):
        send(store, rnd, device="a", now=T0 + timedelta(minutes=1, seconds=i))
    refused("err.part_rate_limit", send, store, rnd, device="a", now=T0 + timedelta(minutes=2))
    send(store, rnd, device="a", now=T0 + timedelta(minutes=12))  # the window has passed
    send(store, rnd, device="b")
    refused("err.part_cap_reached", send, store, rnd, device="c")
    assert len(store.list_contributions(rnd.id)) == 5


def test_resent_request_is_not_duplicated(store):
    rnd = make_round(store)
    first = send(store, rnd, request_id="req-1")
    again = send(store, rnd, request_id="req-1")
    other = send(store, rnd, device="phone-2", request_id="req-1")  # another device's own id
    assert first == again and other.id != first.id
    assert len(store.list_contributions(rnd.id)) == 2


def test_support_counts_once_per_device(store):
    rnd = make_round(store)
    item = send(store, rnd)
    now = T0 + timedelta(minutes=6)
    assert store.support(rnd.id, item.id, device="x", now=now) == 1
    refused("err.part_already_supported", store.support, rnd.id, item.id, device="x", now=now)
    assert store.support(rnd.id, item.id, device="y", now=now) == 2
    assert store.supported_by(rnd.id, "x") == {item.id} and store.supported_by(rnd.id, "z") == set()
    refused("err.part_contribution_not_found", store.support, rnd.id, 999, device="x", now=now)
    refused("err.part_ended", store.support, rnd.id, item.id, device="z", now=T0 + timedelta(hours=3))
    assert store.list_contributions(rnd.id)[0].support == 2


def test_concurrent_support_from_threads_counts_each_device_once(store):
    rnd = make_round(store)
    item = send(store, rnd)
    now = T0 + timedelta(minutes=6)
    results: list[str] = []
    lock = threading.Lock()

    def press(device: str) -> None:
        try:
            store.support(rnd.id, item.id, device=device, now=now)
            outcome = "ok"
        except GeoError as err:
            outcome = err.key
        with lock:
            results.append(outcome)

    with ThreadPoolExecutor(8) as pool:  # 5 devices, each pressing 4 times at once
        list(pool.map(press, [f"d{i % 5}" for i in range(20)]))
    assert results.count("ok") == 5 and results.count("err.part_already_supported") == 15
    assert store.list_contributions(rnd.id)[0].support == 5


def _process_worker(args: tuple[str, str, int]) -> list[str]:
    location, round_id, worker = args
    store = open_store(location)
    outcomes = []
    for i in range(6):  # 6 contributions, limit is 4 per device; then 3 presses of one "+1"
        try:
            store.contribute(
                round_id,
                lon=11.5 + worker / 100,
                lat=51.8,
                category="Mobilität",
                text=f"w{worker} #{i}",
                device=f"proc-{worker}",
                request_id=f"{worker}-{i}",
                now=T0 + timedelta(minutes=1),
            )
            outcomes.append("ok")
        except GeoError as err:
            outcomes.append(err.key)
    for _ in range(3):
        try:
            store.support(round_id, 1, device=f"proc-{worker}", now=T0 + timedelta(minutes=1))
            outcomes.append("support")
        except GeoError as err:
            outcomes.append(err.key)
    return outcomes


def test_concurrent_processes_keep_limits_and_lose_nothing(store):
    rnd = make_round(store, rate_limit=4, cap=1000)
    with ProcessPoolExecutor(4) as pool:
        outcomes = list(pool.map(_process_worker, [(store.location, rnd.id, w) for w in range(6)]))
    for worker in outcomes:
        assert worker[:6].count("ok") == 4 and worker[:6].count("err.part_rate_limit") == 2
        assert worker[6:].count("support") == 1
    items = store.list_contributions(rnd.id)
    assert len(items) == 24 and len({c.text for c in items}) == 24
    assert items[0].support == 6


# --- moderation --------------------------------------------------------------------------


def test_moderation_hides_and_deletes_but_keeps_rows_and_audits(store):
    rnd = make_round(store)
    a, b = send(store, rnd, text="Idee A"), send(store, rnd, text="Spam", device="bot")
    store.moderate(b.id, "hide", author="planer", reason="Werbung")
    assert [c.id for c in store.list_contributions(rnd.id)] == [a.id]
    refused(
        "err.part_contribution_not_found", store.support, rnd.id, b.id, device="x", now=T0 + timedelta(1 / 24)
    )
    store.moderate(b.id, "unhide", author="planer")
    assert len(store.list_contributions(rnd.id)) == 2
    gone = store.moderate(b.id, "delete", author="planer", reason="Beleidigung")
    assert gone.deleted and gone.hidden and gone.reason == "Beleidigung"
    assert [c.id for c in store.list_contributions(rnd.id, include_hidden=True)] == [a.id, b.id]
    actions = [e.action for e in store.audit_log() if e.layer_id == f"beteiligung/{rnd.id}"]
    assert actions[:3] == ["contribution-delete", "contribution-unhide", "contribution-hide"]
    assert any("Beleidigung" in e.detail for e in store.audit_log())
    with pytest.raises(ValueError):
        store.moderate(a.id, "purge", author="planer")


def test_closed_round_becomes_a_layer(store):
    rnd = make_round(store)
    send(store, rnd, text="Idee A", cat="Mobilität")
    send(store, rnd, text="Idee B", device="p2")
    hidden = send(store, rnd, text="weg", device="p3")
    store.moderate(hidden.id, "hide", author="planer")
    refused("err.part_round_open", store.round_to_layer, rnd.id, title="Ideen")
    store.close_round(rnd.id, author="planer")
    info = store.round_to_layer(rnd.id, title="Ideen Coworking", kind="coworking", author="planer")
    assert info.feature_count == 2 and info.roles == {"name": "text", "category": "kategorie"}
    assert store.get_round(rnd.id).layer_id == info.id
    assert sorted(store.read(info.id)["kategorie"]) == ["Coworking", "Mobilität"]
    empty = make_round(store)
    store.close_round(empty.id)
    refused("err.part_no_contributions", store.round_to_layer, empty.id, title="Leer")
