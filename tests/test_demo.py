"""The demo shows the real Salzlandkreis: official boundaries, keys, area, stations, charging
points; invented offers, events and ideas say "Demo"; dates follow the clock."""

from __future__ import annotations

import pandas as pd
import pytest

from geo import clock
from geo.demo import EXTRACT, build_demo

# Statistisches Landesamt Sachsen-Anhalt: the Salzlandkreis covers 1,427 km² (rounded).
OFFICIAL_AREA_KM2 = 1427


@pytest.fixture
def demo(store):
    return store, {info.title: info for info in build_demo(store)}


def test_demo_boundaries_are_the_real_district(demo):
    store, infos = demo
    gemeinden = store.read(infos["Gemeinden Salzlandkreis"].id)
    assert len(gemeinden) == 21
    assert gemeinden["AGS"].str.fullmatch(r"15089\d{3}").all()  # official keys, kept as text
    area = gemeinden.to_crs(25832).area.sum() / 1e6
    assert area == pytest.approx(OFFICIAL_AREA_KM2, rel=0.01)  # VG5000 is generalised: within 1 %
    alsleben = gemeinden[gemeinden["GEN"] == "Alsleben (Saale)"].to_crs(25832).area.iloc[0] / 1e6
    assert 15 < alsleben < 30  # really about 20 km² (the schematic demo showed 88.6)
    assert "GeoBasis-DE / BKG" in infos["Gemeinden Salzlandkreis"].attribution
    assert gemeinden["EWZ"].notna().all() and gemeinden["EWZ"].sum() > 180_000


def test_demo_mobility_is_real_where_open_data_exists(demo):
    store, infos = demo
    stations = store.read(infos["Bahnhöfe (DB 2020)"].id)
    charging = store.read(infos["Ladepunkte (Bundesnetzagentur 2019)"].id)
    assert len(stations) == 33 and set(stations["typ"]) == {"bahnhof"}
    assert len(charging) == 18 and set(charging["typ"]) == {"ladepunkt"}
    assert "CC BY 4.0" in infos["Bahnhöfe (DB 2020)"].attribution
    assert "Bundesnetzagentur" in infos["Ladepunkte (Bundesnetzagentur 2019)"].attribution
    invented = [t for t in infos if "(Demo)" in t]
    assert len(invented) == 4 and all("erfunden" in infos[t].attribution for t in invented)


@pytest.mark.dated
def test_demo_round_is_open_with_example_ideas_and_not_duplicated(demo):
    store, _ = demo
    rounds = store.list_rounds()
    assert len(rounds) == 1 and rounds[0].status(clock.now()) == "open"
    ideas = store.list_contributions(rounds[0].id)
    assert len(ideas) >= 5 and all(i.text.endswith("(Demo)") for i in ideas)
    build_demo(store)  # a rebuild keeps the open round
    assert len(store.list_rounds()) == 1


def test_extract_is_small_and_not_a_copy():
    assert EXTRACT.stat().st_size < 2_000_000
    assert pd.read_csv(EXTRACT.with_name("gemeinden.csv"), sep=";", comment="#")["ags"].nunique() == 21
