"""Participation rounds: validation, limits under concurrency, moderation, evaluation, export."""

from __future__ import annotations

import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import UTC, timedelta

import geopandas as gpd
import numpy as np
import pytest
from fake_time import TEST_NOW

from geo.clock import LOCAL_TZ
from geo.errors import GeoError
from geo.exports import export_layer, read_csv_export
from geo.participation.rounds import (
    category_counts,
    contributions_frame,
    density_grid,
    export_frame,
    most_supported,
    municipality_counts,
    new_round,
)
from geo.store import open_store

pytestmark = pytest.mark.dated
T0 = TEST_NOW.astimezone(UTC) - timedelta(hours=1)  # rounds run from an hour ago to an hour ahead
BBOX = (11.3, 51.6, 12.1, 52.1)  # around the Salzlandkreis
CATS = ("Coworking", "Mobilität", "Sonstiges")


def make_round(store, **limits):
    rnd = new_round("Wo fehlt ein Coworking-Space?", CATS, BBOX, T0, T0 + timedelta(hours=2), **limits)
    return store.create_round(rnd, author="planer")


def send(store, rnd, device="phone-1", text="Hier bitte!", lon=11.7, lat=51.8, cat="Coworking", **kw):
    kw.setdefault("now", T0 + timedelta(minutes=5))
    return store.contribute(rnd.id, lon=lon, lat=lat, category=cat, text=text, device=device, **kw)


def refused(key: str, fn, *args, **kwargs) -> GeoError:
    with pytest.raises(GeoError) as info:
        fn(*args, **kwargs)
    assert info.value.key == key, info.value.key
    assert info.value.message("de") and info.value.message("en") != info.value.key
    return info.value


# --- rounds ------------------------------------------------------------------------------


def test_round_validation_says_what_is_wrong():
    refused("err.part_question_empty", new_round, "  ", CATS, BBOX, T0, T0 + timedelta(hours=1))
    refused("err.part_categories", new_round, "Frage?", ["", " "], BBOX, T0, T0 + timedelta(hours=1))
    refused("err.part_bad_extent", new_round, "Frage?", CATS, (12, 51, 11, 52), T0, T0 + timedelta(hours=1))
    refused(
        "err.part_bad_extent", new_round, "Frage?", CATS, (11, 51, float("nan"), 52), T0, T0 + timedelta(1)
    )
    err = refused("err.part_bad_period", new_round, "Frage?", CATS, BBOX, T0, T0)
    assert f"{T0.astimezone(LOCAL_TZ):%d.%m.%Y, %H:%M}" in err.message("de")  # local time in the message
    refused("err.part_bad_limits", new_round, "Frage?", CATS, BBOX, T0, T0 + timedelta(hours=1), rate_limit=0)
    rnd = new_round(" Frage?\x00 ", ["A", "A", " B "], BBOX, T0, T0 + timedelta(hours=1))
    assert rnd.question == "Frage?" and rnd.categories == ("A", "B")


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


# --- contributions -----------------------------------------------------------------------


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
    assert f"{(T0 + timedelta(hours=2)).astimezone(LOCAL_TZ):%d.%m.%Y, %H:%M}" in err.message("de")
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


def test_concurrent_processes_keep_limits_and_lose_nothing(tmp_path):
    location = str(tmp_path / "store")
    store = open_store(location)
    rnd = make_round(store, rate_limit=4, cap=1000)
    with ProcessPoolExecutor(4) as pool:
        outcomes = list(pool.map(_process_worker, [(location, rnd.id, w) for w in range(6)]))
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


# --- evaluation and export ---------------------------------------------------------------


def test_counts_per_category_and_most_supported(store):
    rnd = make_round(store)
    items = [send(store, rnd, device=f"d{i}", cat=CATS[i % 2], text=f"Idee {i}") for i in range(5)]
    now = T0 + timedelta(minutes=7)
    for device in ("x", "y", "z"):
        store.support(rnd.id, items[3].id, device=device, now=now)
    store.support(rnd.id, items[1].id, device="x", now=now)
    frame = contributions_frame(store.list_contributions(rnd.id))
    counts = category_counts(frame, rnd.categories).set_index("category")
    assert counts["count"].to_dict() == {"Coworking": 3, "Mobilität": 2, "Sonstiges": 0}
    assert counts["support"].to_dict() == {"Coworking": 0, "Mobilität": 4, "Sonstiges": 0}
    top = most_supported(frame, 2)
    assert top["id"].tolist() == [items[3].id, items[1].id] and top["support"].tolist() == [3, 1]


def test_counts_per_municipality_match_a_direct_sjoin(store, shared_data):
    munis = gpd.read_file(
        shared_data / "boundaries" / "salzlandkreis_demo_25832.gpkg", layer="gemeinden_vg5000"
    )
    bbox = tuple(munis.to_crs("EPSG:4326").total_bounds)
    rnd = store.create_round(
        new_round("Wo?", CATS, bbox, T0, T0 + timedelta(hours=2), cap=500, rate_limit=500)
    )
    rng = np.random.default_rng(8)
    for i in range(150):
        lon, lat = rng.uniform(bbox[0], bbox[2]), rng.uniform(bbox[1], bbox[3])
        send(store, rnd, device="d", lon=lon, lat=lat, cat=CATS[i % 3], text=f"#{i}")
    frame = contributions_frame(store.list_contributions(rnd.id))
    table = municipality_counts(frame, munis, {"key": "AGS", "name": "GEN"}, rnd.categories)
    joined = gpd.sjoin(frame.to_crs(munis.crs), munis[["AGS", "geometry"]], predicate="within")
    expected = joined.groupby("AGS").size()
    got = table.set_index("key")["total"]
    assert got[got > 0].sort_index().to_dict() == expected.sort_index().to_dict()
    per_cat = joined.groupby(["AGS", "category"]).size()
    for (key, category), n in per_cat.items():
        assert table.set_index("key").loc[key, category] == n
    assert set(table.columns) >= {"key", "name", "total", *CATS} and table["total"].is_monotonic_decreasing
    grid = density_grid(frame)
    assert grid["count"].sum() == 150 and grid.crs == "EPSG:4326" and (grid["cell_m"] >= 100).all()
    by_extent = density_grid(frame, bbox)
    assert by_extent["count"].sum() == 150 and by_extent["cell_m"].nunique() == 1


def test_export_gpkg_csv_and_turn_closed_round_into_layer(store, tmp_path):
    rnd = make_round(store)
    send(store, rnd, text='=HYPERLINK("http://x")', cat="Mobilität")
    send(store, rnd, text='Bahnhof; Ecke "Süd"', device="p2")
    hidden = send(store, rnd, text="weg", device="p3")
    store.moderate(hidden.id, "hide", author="planer")
    frame = export_frame(contributions_frame(store.list_contributions(rnd.id, include_hidden=True)))
    assert len(frame) == 2 and "device" not in frame.columns
    csv = read_csv_export(export_layer(frame, "csv"))
    assert csv["text"].tolist() == ['\'=HYPERLINK("http://x")', 'Bahnhof; Ecke "Süd"']
    assert {"lon", "lat", "kategorie", "unterstuetzung"} <= set(csv.columns)
    (tmp_path / "b.gpkg").write_bytes(export_layer(frame, "gpkg", "beteiligung"))
    back = gpd.read_file(tmp_path / "b.gpkg")
    assert len(back) == 2 and back.crs == "EPSG:4326"
    refused("err.part_round_open", store.round_to_layer, rnd.id, title="Ideen")
    store.close_round(rnd.id, author="planer")
    info = store.round_to_layer(rnd.id, title="Ideen Coworking", kind="coworking", author="planer")
    assert info.feature_count == 2 and info.roles == {"name": "text", "category": "kategorie"}
    assert store.get_round(rnd.id).layer_id == info.id
    assert sorted(store.read(info.id)["kategorie"]) == ["Coworking", "Mobilität"]
    empty = make_round(store)
    store.close_round(empty.id)
    refused("err.part_no_contributions", store.round_to_layer, empty.id, title="Leer")
