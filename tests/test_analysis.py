"""Smart-region analysis: indicators, coverage, classes and exports.

Hand-computed values on two 10 km × 10 km squares, properties (monotone coverage, 100 %
at large distances), and the real Salzlandkreis and Landkreis Meißen boundaries against a
direct `geopandas.sjoin`.
"""

from __future__ import annotations

import io
import json
import math

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, Polygon, box

from geo.analysis.classes import NO_DATA_COLOUR, classify, palette
from geo.analysis.coverage import QUAD_SEGS, coverage, planned_points, what_if
from geo.analysis.indicators import (
    MunicipalityRoles,
    centre_points,
    count_in_municipalities,
    district_summary,
    indicator_label,
    indicators,
    metric_crs,
    nearest_offer,
    prepare_municipalities,
    profile,
    split_offers,
)
from geo.analysis.tables import export_table, neutralise
from geo.errors import EmptyLayerError, GeoError, MissingCRSError
from geo.i18n import has_text

X0, Y0 = 600_000.0, 5_700_000.0  # somewhere in Sachsen-Anhalt, EPSG:25832
CRS = "EPSG:25832"
ROLES = {"key": "AGS", "name": "GEN", "population": "EWZ"}
KM2 = 1e6


def at(x: float, y: float) -> Point:
    """A point in km from the fixture origin."""
    return Point(X0 + x * 1000, Y0 + y * 1000)


def square(x: float, y: float, size: float = 10) -> Polygon:
    return box(X0 + x * 1000, Y0 + y * 1000, X0 + (x + size) * 1000, Y0 + (y + size) * 1000)


def ngon_area(r: float) -> float:
    """Area of the buffer polygon of radius `r` (4·QUAD_SEGS corners on the circle)."""
    n = 4 * QUAD_SEGS
    return 0.5 * n * r * r * math.sin(2 * math.pi / n)


@pytest.fixture
def munis() -> gpd.GeoDataFrame:
    """A (0–10 km) with 20,000 inhabitants and B (10–20 km) with 5,000."""
    return gpd.GeoDataFrame(
        {"AGS": ["01001001", "01001002"], "GEN": ["Adorf", "Bstadt"], "EWZ": [20_000, 5_000]},
        geometry=[square(0, 0), square(10, 0)],
        crs=CRS,
    )


@pytest.fixture
def offers() -> dict[str, gpd.GeoDataFrame]:
    """One station in A's centre; four charging points, one exactly on the A/B border."""
    stations = gpd.GeoDataFrame({"NAME": ["Adorf Hbf"]}, geometry=[at(5, 5)], crs=CRS)
    charging = gpd.GeoDataFrame(
        {"typ": ["AC", "DC", "AC", "AC"]},
        geometry=[at(2, 2), at(8, 8), at(15, 5), at(10, 3)],
        crs=CRS,
    )
    coworking = gpd.GeoDataFrame({"name": []}, geometry=gpd.GeoSeries([], crs=CRS), crs=CRS)
    return {"station": stations, "charging": charging, "coworking": coworking}


def assert_message(err: GeoError) -> None:
    """Every user error has German and English text."""
    assert has_text(err.key, "de") and has_text(err.key, "en")
    assert err.message("de") != err.key and err.message("en") != err.key


# --- indicators -----------------------------------------------------------------------


def test_indicators_match_hand_computed_values(munis, offers):
    table = indicators(munis, offers, ROLES).set_index("key")
    a, b = table.loc["01001001"], table.loc["01001002"]
    assert a["name"] == "Adorf" and a["area_km2"] == pytest.approx(100) and a["density"] == pytest.approx(200)
    assert b["density"] == pytest.approx(50)
    assert (a["station_count"], b["station_count"]) == (1, 0)
    assert a["station_per_10k"] == pytest.approx(0.5) and b["station_per_10k"] == 0
    assert a["station_per_km2"] == pytest.approx(0.01)
    assert a["station_nearest_km"] == pytest.approx(0) and b["station_nearest_km"] == pytest.approx(10)
    # the border point counts once, for A
    assert (a["charging_count"], b["charging_count"]) == (3, 1)
    assert a["charging_per_10k"] == pytest.approx(1.5) and b["charging_per_10k"] == pytest.approx(2.0)
    assert a["charging_nearest_km"] == pytest.approx(math.hypot(3, 3)) and b["charging_nearest_km"] == 0
    assert (a["coworking_count"], b["coworking_count"]) == (0, 0)
    assert np.isnan(a["coworking_nearest_km"])
    assert table.crs == CRS


def test_inputs_are_not_modified(munis, offers):
    before_m, before_c = munis.copy(), offers["charging"].copy()
    indicators(munis, offers, ROLES)
    coverage(munis, offers["charging"], 3000, ROLES)
    assert munis.equals(before_m) and offers["charging"].equals(before_c)
    assert list(munis.columns) == list(before_m.columns)


def test_offers_in_other_crs_are_reprojected(munis, offers):
    in_wgs84 = {k: v.to_crs(4326) for k, v in offers.items() if len(v)}
    table = indicators(munis, in_wgs84, ROLES).set_index("key")
    assert list(table["charging_count"]) == [3, 1]
    assert table.loc["01001002", "station_nearest_km"] == pytest.approx(10, rel=1e-6)


def test_count_by_category(munis, offers):
    counts = count_in_municipalities(munis, offers["charging"], ROLES, by="typ")
    assert counts.loc["01001001"].to_dict() == {"AC": 2, "DC": 1}
    assert counts.loc["01001002"].to_dict() == {"AC": 1, "DC": 0}
    assert count_in_municipalities(munis, offers["charging"], ROLES)["count"].tolist() == [3, 1]


def test_without_population_rates_per_inhabitant_are_missing(munis, offers):
    table = indicators(munis.drop(columns="EWZ"), offers, {"key": "AGS", "name": "GEN"})
    assert table["population"].isna().all() and table["density"].isna().all()
    assert table["station_per_10k"].isna().all()
    assert table["station_per_km2"].tolist() == pytest.approx([0.01, 0])


def test_population_given_as_german_text(munis, offers):
    munis = munis.assign(EWZ=["20.000", "5000"])
    table = indicators(munis, offers, ROLES)
    assert table["population"].tolist() == [20_000, 5_000]


def test_duplicate_keys_are_merged_and_invalid_polygons_repaired(munis):
    bowtie = Polygon(
        [(X0, Y0 + 20_000), (X0 + 2000, Y0 + 22_000), (X0 + 2000, Y0 + 20_000), (X0, Y0 + 22_000)]
    )
    extra = gpd.GeoDataFrame(
        {"AGS": ["01001002"], "GEN": ["Bstadt"], "EWZ": [5_000]}, geometry=[bowtie], crs=CRS
    )
    prepared = prepare_municipalities(pd.concat([munis, extra], ignore_index=True), ROLES)
    assert len(prepared) == 2 and prepared.is_valid.all()
    b = prepared.set_index("key").loc["01001002"]
    assert b.geometry.area == pytest.approx(100 * KM2 + 2 * 1000 * 1000)  # two 1 km² triangles


def test_centre_lies_inside_even_for_a_c_shape():
    c_shape = shapely.difference(box(0, 0, 10, 10), box(3, 3, 10, 7))
    centre = centre_points(np.array([c_shape]))[0]
    assert c_shape.contains(centre)
    assert not c_shape.contains(c_shape.centroid)


def test_metric_crs_is_kept_or_chosen_by_longitude(munis):
    assert metric_crs(munis) == "EPSG:25832"
    assert metric_crs(munis.to_crs(25833)) == "EPSG:25833"
    west = gpd.GeoSeries([Point(11.0, 52.0)], crs=4326)
    east = gpd.GeoSeries([Point(13.7, 51.0)], crs=4326)
    assert metric_crs(west) == "EPSG:25832"
    assert metric_crs(east) == "EPSG:25833"
    assert metric_crs(east.to_crs(3857)) == "EPSG:25833"


def test_profile_and_summary(munis, offers):
    table = indicators(munis, offers, ROLES)
    summary = district_summary(table)
    assert summary["station_count"] == {"mean": 0.5, "median": 0.5, "district": 1.0}
    assert summary["station_per_10k"]["district"] == pytest.approx(1 / 25_000 * 1e4)
    assert summary["density"]["district"] == pytest.approx(125)
    p = profile(table, "01001002")
    assert p["name"] == "Bstadt" and p["population"] == 5000 and p["area_km2"] == pytest.approx(100)
    assert p["counts"].loc["charging"].to_dict() == {"value": 1.0, "mean": 2.0, "median": 2.0}
    assert list(p["counts"].index) == ["station", "charging", "coworking"]
    assert p["comparison"].loc["station_nearest_km", "value"] == pytest.approx(10)


def test_nearest_offer_names_the_station(munis, offers):
    table = indicators(munis, offers, ROLES)
    hit = nearest_offer(table, "01001002", offers["station"], "NAME")
    assert hit["name"] == "Adorf Hbf" and hit["distance_km"] == pytest.approx(10)
    lonlat = gpd.GeoSeries([at(5, 5)], crs=CRS).to_crs(4326).iloc[0]
    assert (hit["lon"], hit["lat"]) == pytest.approx((lonlat.x, lonlat.y))
    assert nearest_offer(table, "01001002", offers["coworking"], "name") is None


def test_split_offers_by_category():
    mobility = gpd.GeoDataFrame(
        {"typ": ["bahnhof", "Bushaltestelle", "ladepunkt", "leihrad", None]},
        geometry=[Point(0, 0)] * 5,
        crs=CRS,
    )
    parts = split_offers(mobility, "typ")
    assert {k: len(v) for k, v in parts.items()} == {
        "station": 1,
        "bus_stop": 1,
        "charging": 1,
        "mobility": 5,
    }


# --- user errors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "roles", "key"),
    [
        (lambda g: g, {"name": "GEN"}, "err.analysis_role_missing"),
        (lambda g: g, {"key": "KEY"}, "err.analysis_column_missing"),
        (lambda g: g.assign(AGS=["01001001", None]), ROLES, "err.analysis_empty_key"),
        (lambda g: g.set_geometry(g.centroid), ROLES, "err.analysis_not_polygons"),
    ],
)
def test_bad_municipality_layers_raise_user_errors(munis, offers, change, roles, key):
    with pytest.raises(GeoError) as info:
        indicators(change(munis), offers, roles)
    assert info.value.key == key
    assert_message(info.value)


def test_missing_crs_and_empty_layer(munis, offers):
    with pytest.raises(MissingCRSError) as info:
        indicators(munis.set_crs(None, allow_override=True), offers, ROLES)
    assert_message(info.value)
    with pytest.raises(EmptyLayerError) as info:
        indicators(munis.iloc[:0], offers, ROLES)
    assert_message(info.value)


@pytest.mark.parametrize("distance", [0, -5, float("nan"), "weit", None])
def test_bad_distance(munis, offers, distance):
    with pytest.raises(GeoError) as info:
        coverage(munis, offers["station"], distance, ROLES)
    assert info.value.key == "err.analysis_bad_distance"
    assert_message(info.value)


def test_unknown_municipality_and_bad_point(munis, offers):
    table = indicators(munis, offers, ROLES)
    with pytest.raises(GeoError) as info:
        profile(table, "99999999")
    assert_message(info.value)
    with pytest.raises(GeoError) as info:
        planned_points([(200.0, 51.0)])
    assert_message(info.value)


# --- coverage -------------------------------------------------------------------------


def test_coverage_of_a_circle_inside_a_square(munis, offers):
    r = 3000.0
    result = coverage(munis, offers["station"], r, ROLES)
    frame = result.per_municipality.set_index("key")
    share_a = frame.loc["01001001", "area_share"]
    assert share_a == pytest.approx(ngon_area(r) / (100 * KM2), rel=1e-9)
    assert share_a == pytest.approx(math.pi * r**2 / (100 * KM2), rel=2e-3)
    assert frame.loc["01001002", "area_share"] == 0
    d = result.district
    assert d["area_share"] == pytest.approx(ngon_area(r) / (200 * KM2), rel=1e-9)
    assert d["population_share"] == pytest.approx(share_a * 20_000 / 25_000)
    assert d["covered_population"] == pytest.approx(share_a * 20_000)
    white = result.white_spots.set_index("key")
    assert white["white_km2"].sum() == pytest.approx(200 - ngon_area(r) / KM2)
    assert d["white_km2"] == pytest.approx(white["white_km2"].sum())
    assert white.loc["01001002", "white_km2"] == pytest.approx(100)
    assert result.white_spots.crs == CRS and result.white_spots.is_valid.all()


def test_overlapping_circles_are_counted_once(munis):
    two = gpd.GeoDataFrame(geometry=[at(4, 5), at(6, 5), at(6, 5)], crs=CRS)  # with a duplicate
    result = coverage(munis, two, 2000, ROLES)
    lens = shapely.area(
        shapely.intersection(at(4, 5).buffer(2000, QUAD_SEGS), at(6, 5).buffer(2000, QUAD_SEGS))
    )
    expected = (2 * ngon_area(2000) - lens) / (100 * KM2)
    assert result.per_municipality["area_share"].iloc[0] == pytest.approx(expected, rel=1e-9)


def test_coverage_is_monotone_and_reaches_full(munis, offers):
    shares = [
        coverage(munis, offers["station"], d, ROLES).district["area_share"]
        for d in (1e3, 3e3, 6e3, 9e3, 12e3)
    ]
    assert shares == sorted(shares) and shares[0] > 0
    full = coverage(munis, offers["station"], 30_000, ROLES)
    assert full.district["area_share"] == 1.0 and full.district["population_share"] == 1.0
    assert (full.per_municipality["area_share"] == 1.0).all() and full.white_spots.empty


def test_coverage_of_several_layers_together(munis, offers):
    both = coverage(munis, [offers["station"], offers["charging"]], 2000, ROLES).district["area_share"]
    alone = coverage(munis, offers["charging"], 2000, ROLES).district["area_share"]
    assert both > alone


def test_coverage_without_offers_is_all_white(munis, offers):
    result = coverage(munis, offers["coworking"], 5000, ROLES)
    assert result.district["area_share"] == 0
    assert result.white_spots["white_km2"].sum() == pytest.approx(200)


def test_coverage_without_population_gives_area_shares_only(munis, offers):
    result = coverage(munis.drop(columns="EWZ"), offers["station"], 3000, {"key": "AGS", "name": "GEN"})
    assert result.per_municipality["population_share"].isna().all()
    assert result.district["population_share"] is None and result.district["population"] is None
    assert result.district["municipalities_without_population"] == 2
    assert result.district["area_share"] > 0


def test_partial_population_weights_only_known_municipalities(munis, offers):
    result = coverage(munis.assign(EWZ=[20_000, None]), offers["station"], 3000, ROLES)
    share_a = result.per_municipality["area_share"].iloc[0]
    assert result.district["population_share"] == pytest.approx(share_a)
    assert result.district["municipalities_without_population"] == 1


def test_what_if_adds_a_planned_station(munis, offers):
    lonlat = gpd.GeoSeries([at(15, 5)], crs=CRS).to_crs(4326).iloc[0]
    result = what_if(munis, offers["station"], planned_points([(lonlat.x, lonlat.y)]), 3000, ROLES)
    change = result.change.set_index("key")
    assert change.loc["01001001", "area_gain_km2"] == pytest.approx(0, abs=1e-9)
    assert change.loc["01001002", "area_share_before"] == 0
    assert change.loc["01001002", "area_share_after"] == pytest.approx(
        ngon_area(3000) / (100 * KM2), rel=1e-6
    )
    assert change.loc["01001002", "population_gain"] == pytest.approx(
        5000 * ngon_area(3000) / (100 * KM2), rel=1e-6
    )
    assert result.after.district["area_share"] > result.before.district["area_share"]
    assert len(result.before.white_spots) == 2


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    xy=st.lists(st.tuples(st.floats(-5, 25), st.floats(-5, 15)), min_size=1, max_size=6),
    d1=st.floats(100, 8000),
    factor=st.floats(1.0, 3.0),
)
def test_coverage_monotone_for_random_offers(munis, xy, d1, factor):
    points = gpd.GeoDataFrame(geometry=[at(x, y) for x, y in xy], crs=CRS)
    small = coverage(munis, points, d1, ROLES, white_spots=False).per_municipality
    large = coverage(munis, points, d1 * factor, ROLES, white_spots=False).per_municipality
    assert (large["area_share"] >= small["area_share"] - 1e-9).all()
    assert ((small["area_share"] >= 0) & (small["area_share"] <= 1)).all()


# --- classes --------------------------------------------------------------------------


def test_equal_interval_classes_and_german_labels():
    c = classify(np.arange(10.0), "equal_interval", 5)
    assert c.bins == pytest.approx((1.8, 3.6, 5.4, 7.2, 9.0))
    assert c.labels == ("0,0 – 1,8", "1,8 – 3,6", "3,6 – 5,4", "5,4 – 7,2", "7,2 – 9,0")
    assert list(c.classes) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert c.colours == palette(5) and len(set(c.colours)) == 5
    assert classify(np.arange(10.0), "equal_interval", 5, lang="en").labels[0] == "0.0 – 1.8"


def test_quantiles_missing_values_and_few_distinct_values():
    c = classify([1, 1, 2, np.nan], "quantiles", 5)
    assert len(c.bins) == 2 and c.classes[-1] == -1
    assert c.value_colours[-1] == NO_DATA_COLOUR
    assert c.labels == ("1", "1 – 2")
    assert c.collapsed == "distinct" and (c.requested, c.distinct) == (5, 2)


def test_collapsed_classes_say_why():
    """Many equal values (e.g. 0 stations in most municipalities): quantile bounds coincide."""
    ties = classify([0] * 12 + [1, 2, 3, 4, 5, 6, 7, 8], "quantiles", 5)
    assert len(ties.bins) < 5 and ties.collapsed == "ties"
    assert classify(np.arange(10.0), "equal_interval", 5).collapsed is None


def test_natural_breaks_are_reproducible_and_leave_global_rng_alone():
    values = np.random.default_rng(1).gamma(2.0, 3.0, 300)
    np.random.seed(42)
    expected_next = np.random.random()
    np.random.seed(42)
    first = classify(values, "natural_breaks", 5)
    assert np.random.random() == expected_next
    assert classify(values, "natural_breaks", 5).bins == first.bins
    assert first.bins[-1] == pytest.approx(values.max())


def test_classify_arguments():
    with pytest.raises(GeoError) as info:
        classify([np.nan, np.nan], name="Bahnhöfe je km²")
    assert info.value.key == "err.analysis_no_values" and "Bahnhöfe" in info.value.message("de")
    with pytest.raises(ValueError, match="scheme"):
        classify([1, 2], "jenks")
    with pytest.raises(ValueError, match="k must"):
        classify([1, 2], k=12)


# --- labels and exports ---------------------------------------------------------------


def test_indicator_labels():
    assert indicator_label("station_per_10k") == "Bahnhöfe je 10.000 Einwohner"
    assert indicator_label("station_per_10k", "en") == "Train stations per 10,000 inhabitants"
    assert indicator_label("area_km2") == "Fläche (km²)"
    assert indicator_label("foo_count") == "foo: Anzahl"
    assert indicator_label("unknown_column") == "unknown_column"


@pytest.fixture
def table(munis, offers) -> gpd.GeoDataFrame:
    munis = munis.assign(GEN=['=HYPERLINK("http://x")', "@Bstadt"])
    return indicators(munis, offers, ROLES)


def test_csv_export_neutralises_formulas(table):
    data = export_table(table, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig", dtype={"key": str})
    assert back["name"].tolist() == ['\'=HYPERLINK("http://x")', "'@Bstadt"]
    assert back["station_per_10k"].tolist() == pytest.approx([0.5, 0.0])
    assert "geometry" not in back.columns
    assert neutralise("-1") == "'-1" and neutralise("+x") == "'+x" and neutralise(-1.5) == -1.5
    header = export_table(table, "csv", lang="en").decode("utf-8-sig").splitlines()[0]
    assert "Train stations per 10,000 inhabitants" in header.split(";")


def test_xlsx_export_is_readable_and_safe(table):
    sheet = openpyxl.load_workbook(io.BytesIO(export_table(table, "xlsx"))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("key", "name", "population")
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert rows[1][rows[0].index("charging_count")] == 3


def test_gpkg_export_has_indicator_columns(table, tmp_path):
    path = tmp_path / "indikatoren.gpkg"
    path.write_bytes(export_table(table, "gpkg"))
    assert pyogrio.list_layers(path)[0][0] == "indicators"
    back = pyogrio.read_dataframe(path)
    assert {"key", "name", "station_count", "station_per_10k", "charging_nearest_km"} <= set(back.columns)
    assert len(back) == 2 and back.crs == CRS
    assert back["charging_count"].tolist() == [3, 1]


def test_unknown_export_format(table):
    with pytest.raises(GeoError) as info:
        export_table(table, "pdf")
    assert_message(info.value)


# --- real data ------------------------------------------------------------------------

REAL = [
    ("salzlandkreis_demo_25832.gpkg", "EPSG:25832", 21),
    ("lk_meissen_demo_25833.gpkg", "EPSG:25833", 28),
]


@pytest.mark.parametrize(("name", "crs", "n"), REAL)
def test_real_counts_equal_a_direct_sjoin(shared_data, name, crs, n):
    path = shared_data / "boundaries" / name
    gem = gpd.read_file(path, layer="gemeinden_vg5000")
    offers = {
        k: gpd.read_file(path, layer=layer)
        for k, layer in [("station", "bahnhoefe_db2020"), ("charging", "ladesaeulen_bnetza2019")]
    }
    roles = MunicipalityRoles(key="AGS", name="GEN")
    table = indicators(gem, offers, roles).set_index("key")
    assert len(table) == n and table.crs == crs
    for kind, points in offers.items():
        direct = gpd.sjoin(points, gem[["AGS", "geometry"]], predicate="within").groupby("AGS").size()
        assert table[f"{kind}_count"].to_dict() == direct.reindex(table.index, fill_value=0).to_dict()
    in_wgs84 = indicators(gem.to_crs(4326), {k: v.to_crs(4326) for k, v in offers.items()}, roles)
    assert in_wgs84["station_count"].tolist() == table["station_count"].tolist()
    assert in_wgs84.crs == crs  # chosen from the longitude


@pytest.mark.parametrize(("name", "crs", "n"), REAL)
def test_real_coverage_is_monotone_and_complete(shared_data, name, crs, n):
    path = shared_data / "boundaries" / name
    gem = gpd.read_file(path, layer="gemeinden_vg5000")
    stations = gpd.read_file(path, layer="bahnhoefe_db2020")
    results = [coverage(gem, stations, km * 1000, {"key": "AGS", "name": "GEN"}) for km in (1, 2, 5, 10, 100)]
    shares = [r.district["area_share"] for r in results]
    assert shares == sorted(shares) and 0 < shares[0] < 1
    per_muni = np.array([r.per_municipality["area_share"].to_numpy() for r in results])
    assert (np.diff(per_muni, axis=0) >= -1e-12).all()
    assert shares[-1] == 1.0 and results[-1].white_spots.empty
    for r in results[:-1]:
        assert r.white_spots["white_km2"].sum() == pytest.approx(r.district["white_km2"], rel=1e-9)
        assert r.district["crs"] == crs


def test_choropleth_of_a_big_layer_sends_class_and_value_per_feature_not_its_geometry():
    """`choropleth_tiles`: the municipality layer's tiles carry the shapes; by fid (the feature's
    row in the layer) only a class character and the value go along. Parts sharing a key (VG250
    water parts) share their Gemeinde's class; a feature whose key the table lacks and a
    Gemeinde without a value are "no data"."""
    from geo.analysis.choropleth import choropleth_tiles
    from geo.maps.fastlayer import TileSource

    table = gpd.GeoDataFrame(
        {"key": ["01", "02", "03"], "name": ["A", "B", "C"], "density": [10.0, 200.0, np.nan]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)],
        crs="EPSG:25832",
    )
    classes = classify(table["density"].to_numpy(), "equal_interval", 2)
    keys = ["02", "01", "02", "99", "03"]  # fid 0..4: B, A, a part of B, a key not in the table, C
    source = TileSource("/map-cache/x.pmtiles/{z}/{x}/{y}.pbf", 10)
    group = choropleth_tiles(table, "density", classes, "Dichte", source, keys, "de")
    layer = next(iter(group._children.values()))
    chart = layer.js_options["choropleth"]
    assert chart["palette"] == [NO_DATA_COLOUR, *classes.colours]
    assert chart["classes"] == "21200"  # "0" no data, "1" the lower, "2" the upper class
    assert chart["values"] == ["200", "10", "200", "", "–"]
    assert layer.url == source.url and "geometry" not in json.dumps(layer.js_options)
