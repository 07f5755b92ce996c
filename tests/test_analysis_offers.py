"""The analysis pages' pure helpers (`geo.analysis.offers`, `.tables`, `.profile_map`) on small
frames built here: offer layers per kind, offers inside a municipality, labels, tables."""

from __future__ import annotations

from datetime import date

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo.analysis.offers import (
    counts_as_offer,
    inside,
    mobility_by_type,
    municipality_bounds,
    municipality_labels,
    offer_frame,
    offers_by_kind,
)
from geo.analysis.profile_map import profile_layers
from geo.analysis.tables import default_indicator, display_table, mappable_columns
from geo.maps.permalink import basemap_from_params, from_params
from geo.store import LayerInfo

TODAY = date(2026, 11, 22)


def stored(
    store, gdf: gpd.GeoDataFrame, kind: str, title: str, **roles: str
) -> tuple[LayerInfo, gpd.GeoDataFrame]:
    """`gdf` as a layer of a real store, read back as the pages read it."""
    info = store.write(gdf, title=title, kind=kind, roles=roles)
    return info, store.read(info.id)


def municipalities() -> gpd.GeoDataFrame:
    """Two 10 km squares side by side in EPSG:25832 (an `indicators`-like table)."""
    return gpd.GeoDataFrame(
        {"key": ["1", "2"], "name": ["Westdorf", "Ostdorf"], "coworking_per_10k": [1.234, np.nan]},
        geometry=[box(680_000, 5_740_000, 690_000, 5_750_000), box(690_000, 5_740_000, 700_000, 5_750_000)],
        crs=25832,
    )


def places(xs: list[float], **columns: list) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=[Point(x, 5_745_000) for x in xs], crs=25832)


def test_offer_frame_takes_roles_and_keeps_only_upcoming_events(store):
    layer, events = stored(
        store,
        places(
            [681_000, 682_000, 683_000],
            titel=["Vorbei", "Heute", "Ohne Datum"],
            beginn=pd.to_datetime(["2026-11-01 10:00", "2026-11-22 19:00", None]),
        ),
        "events",
        "Termine",
        name="titel",
        start="beginn",
    )
    before = events.copy()
    frame = offer_frame(layer, events, TODAY)
    assert frame["name"].tolist() == ["Heute"] and frame["start"].iloc[0] == pd.Timestamp("2026-11-22 19:00")
    assert frame.crs == "EPSG:4326" and frame.attrs["title"] == "Termine"
    assert frame["category"].isna().all()  # no category role: an empty text column
    pd.testing.assert_frame_equal(events, before)  # the input is not changed


def test_offers_by_kind_splits_mobility_and_skips_what_cannot_count(store):
    mobility = places(
        [682_000, 683_000, 684_000], name=["Bf", "Hst", "Lade"], typ=["Bahnhof", "Bus_Stop", "x"]
    )
    layers = [
        stored(store, places([681_000], name=["Werkbank"]), "coworking", "Cowork"),
        stored(store, mobility, "mobility", "Mobil", category="typ"),
        stored(store, places([685_000], titel=["Fest"]), "events", "Ohne Start", name="titel"),  # no start
        stored(store, municipalities(), "municipalities", "Gemeinden"),
    ]
    found = offers_by_kind(layers, TODAY)
    assert sorted(found) == ["bus_stop", "coworking", "mobility", "station"]  # no charging point: left out
    assert found["station"]["name"].tolist() == ["Bf"] and len(found["mobility"]) == 3
    assert found["coworking"].attrs["title"] == "Cowork"
    assert [counts_as_offer(i) for i, _ in layers] == [True, True, False, False]


def test_inside_and_bounds_of_one_municipality():
    table = municipalities()
    offers = places([681_000, 695_000, 699_999]).to_crs(4326)
    assert len(inside(table, "2", offers)) == 2 and len(inside(table, "1", offers)) == 1
    assert inside(table, "9", offers).empty and inside(table, "1", offers.iloc[:0]).empty
    minx, miny, maxx, maxy = municipality_bounds(table, "1")
    assert 11 < minx < maxx < 12.5 and 51 < miny < maxy < 52.5  # lon/lat, not metres


def test_municipality_labels_disambiguate_and_sort():
    table = pd.DataFrame({"key": ["3", "1", "2", "4"], "name": ["neustadt", "Neustadt", "Neustadt", ""]})
    labels = municipality_labels(table)
    assert labels == {"4": " (4)", "1": "Neustadt (1)", "2": "Neustadt (2)", "3": "neustadt"}
    assert list(labels) == ["4", "3", "1", "2"]


def test_mobility_by_type_beside_the_average():
    wide = pd.DataFrame({"Bahnhof": [2, 0], "Ladepunkt": [1, 3]}, index=["1", "2"])
    table = mobility_by_type(wide, "1")
    assert table.to_dict() == {
        "value": {"Bahnhof": 2, "Ladepunkt": 1},
        "mean": {"Bahnhof": 1.0, "Ladepunkt": 2.0},
    }
    assert mobility_by_type(wide, "9") is None and mobility_by_type(pd.DataFrame(), "1") is None


def test_table_columns_defaults_and_display_rounding():
    table = municipalities().assign(station_per_10k=[0.5, 0.25], station_count=[1, 2])
    columns = mappable_columns(table)
    assert columns == ["coworking_per_10k", "station_per_10k", "station_count"]
    assert default_indicator(columns) == 0
    assert default_indicator(["station_count", "bus_stop_per_10k"]) == 1 and default_indicator(["x"]) == 0
    assert mappable_columns(table.assign(coworking_per_10k=np.nan)) == ["station_per_10k", "station_count"]
    shown, labels = display_table(table, "en")
    assert "geometry" not in shown.columns and shown["coworking_per_10k"].iloc[0] == 1.23
    assert shown["name"].tolist() == ["Westdorf", "Ostdorf"] and labels["key"] != ""
    assert "geometry" in table.columns and table["coworking_per_10k"].iloc[0] == 1.234  # input kept


def test_profile_layers_draw_outline_offers_and_nearest_with_escaped_names():
    table = municipalities()
    found = {"coworking": places([681_000], name=["<b>Werk</b>"]).to_crs(4326)}
    hit = {"name": "<script>", "lon": 11.6, "lat": 51.8, "centre_lon": 11.55, "centre_lat": 51.85}
    groups, entries = profile_layers(table, "1", found, {"coworking": hit, "station": None}, "en")
    assert [shape for shape, _, _ in entries] == ["outline", "line", "point", "point"]
    assert entries[0][2] == "Chosen municipality" and entries[-1][2] == "Nearest offer"
    m = folium.Map()
    for group in groups:
        group.add_to(m)
    page = m.get_root().render()
    assert "&lt;b&gt;Werk&lt;/b&gt;" in page and "<b>Werk" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"basemap": "none"}, "none"),
        ({"karte": "osm"}, "osm"),  # links made before the name was unified
        ({"basemap": "osm", "karte": "none"}, "osm"),
        ({"basemap": "<x>"}, None),
        ({}, None),
    ],
)
def test_basemap_is_read_under_one_name_and_the_old_one(params, expected):
    assert basemap_from_params(params) == expected
    assert from_params(params).basemap == expected
