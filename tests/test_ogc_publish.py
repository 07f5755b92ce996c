"""What the OGC API publishes and how it answers queries, on a real store (every backend)."""

from __future__ import annotations

from datetime import timedelta

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point

from geo import clock
from geo.ogc import features as ft
from geo.ogc.collections import ROUND_PREFIX, licence, published, service_config
from geo.ogc.metadata import dcat_record
from geo.ogc.provider import StoreProvider, published_frame
from geo.participation.rounds import new_round

BASE = "http://127.0.0.1:9/ogc"


def points(n: int = 3, crs: str = "EPSG:25832") -> gpd.GeoDataFrame:
    geometry = [Point(650_000 + 1000 * i, 5_750_000 + 500 * i) for i in range(n)]
    return gpd.GeoDataFrame(
        {"name": [f"Ort {i}" for i in range(n)], "plaetze": list(range(n))}, geometry=geometry, crs=crs
    )


def open_round(store, hours_from_now: float = -1):
    now = clock.now()
    start = now + timedelta(hours=hours_from_now)
    return store.create_round(
        new_round("Wo fehlt was?", ["Idee"], (11.0, 51.0, 12.5, 52.5), start, start + timedelta(days=30))
    )


@pytest.mark.dated
def test_published_leaves_out_the_trash_and_rounds_not_yet_started(store):
    kept = store.write(points(), title="Treffpunkte", kind="other")
    gone = store.write(points(), title="Alt", kind="other")
    store.delete(gone.id)
    started, planned = open_round(store), open_round(store, hours_from_now=48)
    ids = [item.id for item in published(store)]
    assert ids == [kept.id, f"{ROUND_PREFIX}{started.id}"]
    assert f"{ROUND_PREFIX}{planned.id}" not in ids
    assert set(service_config(store, BASE)["resources"]) == set(ids)


@pytest.mark.dated
def test_round_publishes_only_visible_contributions_without_device_data(store):
    rnd = open_round(store)
    shown = store.contribute(rnd.id, lon=11.6, lat=51.8, category="Idee", text="Bank", device="phone-a")
    hidden = store.contribute(rnd.id, lon=11.7, lat=51.9, category="Idee", text="Spam", device="phone-b")
    store.moderate(hidden.id, "hide", author="planer")
    frame, ids = published_frame(store, {"round": rnd.id})
    assert ids.tolist() == [shown.id]
    assert list(frame.columns) == ["kategorie", "text", "unterstuetzung", "erstellt_utc", "geometry"]
    assert "phone-a" not in frame.astype(str).to_string()


def test_layer_items_page_in_storage_crs_and_both_axis_orders(store):
    info = store.write(points(5), title="Orte", kind="other")
    item = next(p for p in published(store) if p.id == info.id)
    provider = StoreProvider(service_config(store, BASE)["resources"][item.id]["providers"][0])
    page = provider.query(offset=1, limit=2)
    assert (page["numberMatched"], page["numberReturned"]) == (5, 2)
    assert [f["id"] for f in page["features"]] == [2, 3]
    assert page["features"][0]["geometry"]["coordinates"] == [651_000.0, 5_750_500.0]
    assert page["features"][0]["properties"] == {"name": "Ort 1", "plaetze": 1}
    lon, lat = points(5).to_crs("EPSG:4326").geometry.iloc[1].coords[0]
    wgs = ft.to_crs(store.read(info.id).geometry.iloc[1:2], ft._crs_wkt("EPSG:4326"))[0]
    crs84 = ft.to_crs(store.read(info.id).geometry.iloc[1:2], ft._crs_wkt("OGC:CRS84"))[0]
    assert wgs.coords[0] == pytest.approx((lat, lon), abs=1e-9)  # EPSG:4326: latitude first
    assert crs84.coords[0] == pytest.approx((lon, lat), abs=1e-9)
    assert provider.get(3)["properties"]["name"] == "Ort 2"
    assert provider.get(3)["prev"] == 2 and provider.get(3)["next"] == 4


def test_bbox_filters_in_storage_crs_and_north_first_crs_are_swapped():
    frame = points(5)
    query = ft.Query(limit=10, bbox=ft.bbox_in_storage([650_500, 5_750_000, 652_500, 5_752_000], frame.crs))
    assert ft.select_rows(frame, query, None).tolist() == [1, 2]
    # Gauss-Krüger (EPSG:31467) names northing first: a bbox in its axis order is swapped back
    assert ft.bbox_in_storage([5_700_000, 3_400_000, 5_800_000, 3_500_000], "EPSG:31467") == (
        3_400_000,
        5_700_000,
        3_500_000,
        5_800_000,
    )


def test_property_filters_compare_numbers_as_numbers_and_text_as_text():
    frame = points(4)
    query = ft.Query(properties=(("plaetze", "2.0"),))
    assert ft.select_rows(frame, query, None).tolist() == [2]
    assert ft.select_rows(frame, ft.Query(properties=(("name", "Ort 3"),)), None).tolist() == [3]
    assert ft.select_rows(frame, ft.Query(properties=(("plaetze", "zwei"),)), None).tolist() == []
    assert ft.select_rows(frame, ft.Query(sortby=(("plaetze", "-"),)), None).tolist() == [3, 2, 1, 0]


def test_datetime_selects_events_overlapping_an_instant_or_interval():
    starts = pd.to_datetime(["2026-12-02 18:00", "2026-12-09 10:00", "2027-01-05 09:00"])
    frame = points(3).assign(beginn=starts, ende=starts + pd.Timedelta(hours=2))
    cols = ("beginn", "ende")
    interval = ft.Query(datetime="2026-12-01T00:00:00Z/2026-12-31T23:59:59Z")
    assert ft.select_rows(frame, interval, cols).tolist() == [0, 1]
    assert ft.select_rows(frame, ft.Query(datetime="2027-01-05"), cols).tolist() == [2]
    assert ft.select_rows(frame, ft.Query(datetime="../2026-12-05"), cols).tolist() == [0]
    # 17:30 UTC is 18:30 in Germany: the first event is running then
    assert ft.select_rows(frame, ft.Query(datetime="2026-12-02T17:30:00Z"), cols).tolist() == [0]


def test_json_values_are_plain_json():
    assert ft.json_value(np.int64(3)) == 3
    assert ft.json_value(float("nan")) is None
    assert ft.json_value(pd.NA) is None
    assert ft.json_value(pd.Timestamp("2026-12-02 18:00")) == "2026-12-02T18:00:00"


def test_licences_are_recognised_in_attribution_texts():
    assert licence("© GeoBasis-DE / BKG 2021, dl-de/by-2-0")[1] == "https://www.govdata.de/dl-de/by-2-0"
    assert licence("Deutsche Bahn AG, CC BY 4.0")[0] == "CC BY 4.0"
    assert licence("© OpenStreetMap-Mitwirkende")[0] == "ODbL 1.0"
    assert licence("Eigene Erhebung") is None


def test_collection_has_crs_extent_licence_and_dcat_record(store):
    gdf = points(3)
    info = store.write(gdf, title="Gemeinden", kind="municipalities", attribution="© BKG, dl-de/by-2-0")
    res = service_config(store, BASE)["resources"][info.id]
    provider = res["providers"][0]
    assert provider["storage_crs"] == "http://www.opengis.net/def/crs/EPSG/0/25832"
    assert provider["crs"][0] == ft.CRS84
    assert {f"http://www.opengis.net/def/crs/EPSG/0/{c}" for c in (4326, 25832, 25833)} <= set(
        provider["crs"]
    )
    assert res["extents"]["spatial"]["bbox"] == pytest.approx(list(info.bbox))
    assert {"rel": "license", "type": "text/html", "title": "Datenlizenz Deutschland – Namensnennung – 2.0",
            "href": "https://www.govdata.de/dl-de/by-2-0"} in res["links"]  # fmt: skip
    assert "© BKG" in res["description"]["de"] and "© BKG" in res["description"]["en"]
    record = dcat_record(store, info.id, BASE)
    assert record["dcatde:licenseAttributionByText"] == "© BKG, dl-de/by-2-0"
    assert record["dct:modified"]["@value"] == info.updated_at
    assert (
        record["dcat:distribution"][0]["dcat:accessURL"]["@id"]
        == f"{BASE}/collections/{info.id}/items?f=json"
    )
    assert dcat_record(store, "nicht-da", BASE) is None


def test_wkt_box_of_the_record_covers_the_layer(store):
    info = store.write(points(3), title="Orte", kind="other")
    polygon = shapely.from_wkt(dcat_record(store, info.id, BASE)["dct:spatial"]["locn:geometry"])
    assert polygon.bounds == pytest.approx(info.bbox)
