"""Contract of `RoundStore`'s flood limits: per address, bursts to moderation, the join code.

Runs against every backend in `conftest.BACKENDS` (issue 15, finding 3): one script with many
devices is stopped by the per-address limit; a round receiving more per minute than a room
can type holds the rest back for moderation (never on the projector, never filling the cap);
a round that requires its join code admits only devices that entered the code on screen.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from rounds_fixture import T0, make_round, refused, send

from geo.participation.joincode import CODE_MINUTES, code_valid, join_code, screen_key_valid
from geo.participation.rounds import HELD, SUPPORTS_PER_ADDRESS

pytestmark = pytest.mark.dated
AT = T0 + timedelta(minutes=5)


def test_one_address_with_many_devices_is_stopped_by_the_address_limit(store):
    rnd = make_round(store, address_limit=6, burst_limit=100)
    for i in range(6):
        send(store, rnd, device=f"bot-{i}", address="203.0.113.9")
    err = refused("err.part_address_limit", send, store, rnd, device="bot-new", address="203.0.113.9")
    assert "10" in err.message("de")  # the window in minutes
    send(store, rnd, device="bot-new", address="198.51.100.1")  # another address is not affected
    send(store, rnd, device="bot-7", address="203.0.113.9", now=AT + timedelta(minutes=11))  # window over
    assert len(store.list_contributions(rnd.id)) == 8


def test_a_burst_beyond_a_room_goes_to_moderation_not_the_projector(store):
    rnd = make_round(store, burst_limit=5, rate_limit=100, address_limit=100, cap=8)
    shown = [send(store, rnd, device=f"d{i}", text=f"Idee {i}") for i in range(5)]
    held = [send(store, rnd, device=f"b{i}", text=f"Flut {i}") for i in range(8)]
    assert not any(c.held for c in shown) and all(c.held and not c.visible for c in held)
    assert [c.text for c in store.list_contributions(rnd.id)] == [f"Idee {i}" for i in range(5)]
    assert {c.reason for c in store.list_contributions(rnd.id, include_hidden=True)} == {"", HELD}
    refused("err.part_busy", send, store, rnd, device="b9")  # the queue is full: refused, not stored
    later = AT + timedelta(minutes=2)  # a minute later the round is calm again: shown directly
    assert send(store, rnd, device="late", now=later).visible
    released = store.moderate(held[0].id, "unhide", author="planer")
    assert released.visible and not released.held
    assert len(store.list_contributions(rnd.id)) == 7


def test_held_contributions_do_not_fill_the_cap(store):
    rnd = make_round(store, burst_limit=2, cap=3, rate_limit=100, address_limit=100)
    for i in range(5):
        send(store, rnd, device=f"d{i}")  # 2 shown, 3 held
    assert len(store.list_contributions(rnd.id)) == 2
    assert send(store, rnd, device="calm", now=AT + timedelta(minutes=3)).visible  # still room: 3 of 3
    refused("err.part_cap_reached", send, store, rnd, device="full", now=AT + timedelta(minutes=6))


def test_plus_one_from_one_address_is_limited_per_contribution(store):
    rnd = make_round(store)
    item = send(store, rnd, device="author")
    for i in range(SUPPORTS_PER_ADDRESS):
        store.support(rnd.id, item.id, device=f"bot-{i}", address="203.0.113.9", now=AT)
    refused(
        "err.part_support_address_limit",
        store.support,
        rnd.id,
        item.id,
        device="bot-x",
        address="203.0.113.9",
        now=AT,
    )
    assert store.support(rnd.id, item.id, device="human", address="198.51.100.7", now=AT) == 11


def test_address_hashes_are_cleared_after_the_window(store, tmp_path):
    rnd = make_round(store)
    send(store, rnd, device="a", address="203.0.113.9")
    send(store, rnd, device="b", address="198.51.100.1", now=AT + timedelta(minutes=30))
    if not Path(store.location, "catalog.sqlite").exists():
        pytest.skip("backend-specific check: the GeoPackage catalogue")
    with sqlite3.connect(Path(store.location) / "catalog.sqlite") as conn:
        kept = [row[0] for row in conn.execute("SELECT address FROM contributions ORDER BY id")]
    assert kept[0] == "" and len(kept[1]) == 32 and "198.51" not in kept[1]


def test_a_round_with_join_code_admits_only_devices_that_entered_it(store):
    rnd = make_round(store, join_code=True)
    code = store.join_code(rnd.id, AT)
    assert len(code.code) == 6 and code.code.isdigit() and code.valid_until > AT
    refused("err.part_code_required", send, store, rnd, device="far-away")
    item = send(store, make_round(store), device="x")  # rounds without a code are open to all
    assert item.visible
    assert not store.admitted(rnd.id, "phone")
    refused("err.part_wrong_code", store.join_round, rnd.id, device="phone", code="000000", now=AT)
    store.join_round(rnd.id, device="phone", code=f" {code.code[:3]} {code.code[3:]} ", now=AT)
    assert store.admitted(rnd.id, "phone") and not store.admitted(rnd.id, "other")
    first = send(store, rnd, device="phone")
    refused("err.part_code_required", store.support, rnd.id, first.id, device="other", now=AT)
    # the code on screen changes; the previous one still admits, the one before not
    later = AT + timedelta(minutes=CODE_MINUTES)
    store.join_round(rnd.id, device="late", code=code.code, now=later)
    refused("err.part_wrong_code", store.join_round, rnd.id, device="later", code=code.code,
            now=later + timedelta(minutes=CODE_MINUTES))  # fmt: skip


def test_join_codes_rotate_and_screen_keys_are_secret_per_round():
    at = T0
    codes = {join_code("salz", at + timedelta(minutes=CODE_MINUTES * i)).code for i in range(20)}
    assert len(codes) >= 18  # changes every window (two equal codes in a row are possible, rarely)
    assert code_valid("salz", join_code("salz", at).code, at) and not code_valid("pfeffer", "12", at)
    key = join_code("salz", at).screen_key
    assert screen_key_valid("salz", key) and not screen_key_valid("pfeffer", key)
    assert not screen_key_valid("salz", None) and key != join_code("pfeffer", at).screen_key
