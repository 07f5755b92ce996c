"""Uploaded real data counted like the demo: categories mapped onto mobility types, and
coordinate columns named the wrong way round found and swapped."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import geopandas as gpd
import pytest

from geo.analysis.indicators import indicators
from geo.analysis.offers import offers_by_kind
from geo.demo import build_demo
from geo.errors import GeoError
from geo.imports.formats import read_upload
from geo.imports.save import import_file, save_import, suggested_request
from geo.imports.type_map import category_values, checked_types, guess_type, guess_types
from geo.maps.categories import TYPE_COLUMN
from geo.store import open_store

TODAY = date(2025, 6, 1)
CHARGING_CSV = "ladesaeulen_st_sn_2019-07.csv"


def test_guessed_types_from_category_words_then_the_layer_name():
    assert guess_type("Schnellladeeinrichtung") == "ladepunkt"
    assert guess_type("Bike-Station") == "leihrad"
    assert guess_type("Bahnhof/Haltepunkt") == "bahnhof"
    assert guess_type("Rufbus-Gebiet") == "rufbus"
    assert guess_type("Typ A", "ladesaeulen_2019") == "ladepunkt"
    assert guess_type("Typ A", "Kulturorte") == ""


def test_checked_types_refuse_an_unknown_type_and_drop_unmapped_values():
    assert checked_types({"A": "ladepunkt", "B": ""}, "art", ["art"]) == {"A": "ladepunkt"}
    with pytest.raises(GeoError) as err:
        checked_types({"A": "rakete"}, "art", ["art"])
    assert err.value.key == "err.upload_type_unknown"
    with pytest.raises(GeoError) as err:
        checked_types({"A": "ladepunkt"}, "fehlt", ["art"])
    assert err.value.key == "err.upload_type_column"


def test_uploaded_charging_points_count_in_the_profile_like_a_spatial_join(tmp_path, shared_data):
    store = open_store(str(tmp_path / "store"))
    build_demo(store, TODAY)
    item = read_upload(CHARGING_CSV, shared_data / "points" / CHARGING_CSV)[0]
    column = item.suggestion["roles"]["category"]
    values = category_values(item.gdf, column)
    assert values == ["Normalladeeinrichtung", "Schnellladeeinrichtung"]
    request = replace(suggested_request(item), type_column=column, types=guess_types(values, item.name))
    info = save_import(store, item, request, author="test", source_file=CHARGING_CSV)
    stored = store.read(info.id)
    assert set(stored[TYPE_COLUMN]) == {"ladepunkt"} and len(stored) == 454

    layers = [(i, store.read(i.id)) for i in store.list_layers()]
    munis_info, munis = next((i, g) for i, g in layers if i.kind == "municipalities")
    table = indicators(munis, offers_by_kind(layers, TODAY), munis_info.roles)
    schoenebeck = munis[munis[munis_info.roles["name"]] == "Schönebeck (Elbe)"]
    expected = 0
    for layer, gdf in layers:
        if layer.kind == "mobility":
            inside = gpd.sjoin(gdf.to_crs(munis.crs), schoenebeck, predicate="within")
            charging = inside[TYPE_COLUMN] if TYPE_COLUMN in inside else inside[layer.roles["category"]]
            expected += int((charging == "ladepunkt").sum())
    row = table[table["name"] == "Schönebeck (Elbe)"].iloc[0]
    assert expected >= 2  # the demo's charging point and an uploaded one
    assert row["charging_count"] == expected


def _bike_rental_csv(shared_data) -> bytes:
    """The Call a Bike rental zones as the open-data CSV has them: ``LATITUDE`` holds the
    longitude (about 11° E) and ``LONGITUDE`` the latitude, decimal commas."""
    zones = gpd.read_file(shared_data / "points" / "de_points_4326.gpkg", layer="callabike_2017_fixed")
    return zones[["NAME", "CITY", "LATITUDE", "LONGITUDE"]].to_csv(sep=";", index=False).encode("utf-8")


def test_swapped_coordinate_columns_are_reported_and_swapped_on_request(tmp_path, shared_data):
    data = _bike_rental_csv(shared_data)
    item = read_upload("callabike_2017.csv", data)[0]
    assert item.report.swap_offered
    report = item.report.to_dict("en")
    text = dict(zip(report["warning_keys"], report["warnings"], strict=True))["warn.xy_swapped"]
    assert "100 %" in text and "Swap x and y columns" in text
    assert "x- und y-Spalte tauschen" in item.report.warning_texts("de")[-1]

    store = open_store(str(tmp_path / "store"))
    (saved,) = import_file(store, "callabike_2017.csv", data, author="cli", swap_xy=True)
    assert not saved.report.swap_offered
    assert "warn.xy_swapped_done" in saved.report.to_dict()["warning_keys"]
    minx, miny, maxx, maxy = saved.info.bbox
    assert 5.5 < minx < maxx < 15.5 and 47 < miny < maxy < 55.2  # in Germany now


def test_correctly_named_columns_are_not_offered_a_swap(shared_data):
    item = read_upload(CHARGING_CSV, shared_data / "points" / CHARGING_CSV)[0]
    assert not item.report.swap_offered
    assert "warn.xy_swapped" not in item.report.to_dict()["warning_keys"]
