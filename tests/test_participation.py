"""Participation rounds: validation, evaluation, export (the rules in `geo.participation.rounds`).

Storing rounds and contributions, limits under concurrency and moderation are the store's
contract: test_store_rounds.py.
"""

from __future__ import annotations

from datetime import timedelta

import geopandas as gpd
import numpy as np
import pytest
from rounds_fixture import BBOX, CATS, T0, make_round, refused, send

from geo.clock import LOCAL_TZ
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

pytestmark = pytest.mark.dated


def test_round_validation_says_what_is_wrong():
    refused("err.part_question_empty", new_round, "  ", CATS, BBOX, T0, T0 + timedelta(hours=1))
    refused("err.part_categories", new_round, "Frage?", ["", " "], BBOX, T0, T0 + timedelta(hours=1))
    refused("err.part_bad_extent", new_round, "Frage?", CATS, (12, 51, 11, 52), T0, T0 + timedelta(hours=1))
    refused(
        "err.part_bad_extent", new_round, "Frage?", CATS, (11, 51, float("nan"), 52), T0, T0 + timedelta(1)
    )
    err = refused("err.part_bad_period", new_round, "Frage?", CATS, BBOX, T0, T0)
    assert f"{T0.astimezone(LOCAL_TZ):%d.%m.%Y %H:%M}" in err.message("de")  # local time in the message
    refused("err.part_bad_limits", new_round, "Frage?", CATS, BBOX, T0, T0 + timedelta(hours=1), rate_limit=0)
    rnd = new_round(" Frage?\x00 ", ["A", "A", " B "], BBOX, T0, T0 + timedelta(hours=1))
    assert rnd.question == "Frage?" and rnd.categories == ("A", "B")


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


def test_export_gpkg_and_csv(store, tmp_path):
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
