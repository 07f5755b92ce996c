"""A participation round around the Salzlandkreis, open from an hour before the suite's
instant to an hour after, and helpers to send contributions and assert refusals."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from fake_time import TEST_NOW

from geo.errors import GeoError
from geo.participation.rounds import new_round

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
