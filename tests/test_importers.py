"""The import pipeline on every real file in ../shared/data, plus hostile and odd inputs."""

from __future__ import annotations

import io
import json
import struct
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.config import Settings
from geo.errors import (
    EmptyLayerError,
    GeoError,
    MissingCRSError,
    TooLargeError,
    UnreadableFileError,
    UnsupportedFormatError,
)
from geo.i18n import Msg
from geo.imports import archives
from geo.imports.formats import json_default, list_source_layers, read_upload

VG5000 = "boundaries/de_vg5000_2021_ebenen_25832.gpkg"
SHP_ZIP = "boundaries/vg5000_gem_2021.shp.zip"
SALZ = "boundaries/salzlandkreis_demo_25832.gpkg"
KML = "osm_jena/Jena Ortsteile.kml"
DEMO_LAYERS = (
    "kreis_vg250",
    "gemeinden_vg5000",
    "verbandsgemeinden_vg5000",
    "bahnhoefe_db2020",
    "ladesaeulen_bnetza2019",
)
DIMENSIONS = {
    "test_dimensions": 5,
    "test_dimensions3": 1,
    "test_dimensions4": 1,
    "test_dimensions4_correct": 2,
    "test_dimensions3_correct": 2,
}

# file → ({layer: stored features}, CRS of every layer); computed once by inspecting the data.
EXPECTED: dict[str, tuple[dict[str, int], str]] = {
    VG5000: ({"vg5000_gem": 10997, "vg5000_vwg": 4605, "vg5000_krs": 401, "vg5000_lan": 25}, "EPSG:25832"),
    "boundaries/lk_meissen_demo_25833.gpkg": (
        dict(zip(DEMO_LAYERS, (1, 28, 25, 36, 13), strict=True)),
        "EPSG:25833",
    ),
    SALZ: (dict(zip(DEMO_LAYERS, (1, 21, 13, 33, 18), strict=True)), "EPSG:25832"),
    "boundaries/vg250_kreise_2025.geojson": ({"VG250_KRS": 433}, "EPSG:4326"),
    "boundaries/vg250_laender_2025.geojson": ({"VG250_LAN": 34}, "EPSG:4326"),
    SHP_ZIP: ({"VG5000_GEM": 10997}, "EPSG:31467"),
    "osm_jena/Buslinien.geojson": ({"Buslinien": 239}, "EPSG:4326"),
    KML: ({"ortsteil": 30}, "EPSG:4326"),
    "osm_jena/Jena_Ortsteile.geojson": ({"Jena_Ortsteile": 30}, "EPSG:4326"),
    "osm_jena/amenity.arts_centre.geojson": ({"amenity.arts_centre": 7}, "EPSG:4326"),
    "osm_jena/amenity.bicycle_parking.geojson": ({"amenity.bicycle_parking": 38}, "EPSG:4326"),
    "osm_jena/amenity.car_sharing.geojson": ({"amenity.car_sharing": 8}, "EPSG:4326"),
    "osm_jena/amenity.community_centre.geojson": ({"amenity.community_centre": 7}, "EPSG:4326"),
    "osm_jena/amenity.coworking_space.geojson": ({"amenity.coworking_space": 1}, "EPSG:4326"),
    "osm_jena/amenity.theatre.geojson": ({"amenity.theatre": 5}, "EPSG:4326"),
    "osm_jena/amenity.townhall.geojson": ({"amenity.townhall": 2}, "EPSG:4326"),
    "osm_jena/highway-nodes.geojson": ({"highway-nodes": 871}, "EPSG:4326"),
    "points/D_Bahnhof_2020_alle.csv": ({"D_Bahnhof_2020_alle": 6519}, "EPSG:4326"),
    "points/de_points_4326.gpkg": (
        {"bahnhoefe_db2020": 6519, "ladesaeulen_bnetza2019": 9690, "callabike_2017_fixed": 1032},
        "EPSG:4326",
    ),
    "points/ladesaeulen_de_2019-07.csv": ({"ladesaeulen_de_2019-07": 9690}, "EPSG:4326"),
    "points/ladesaeulen_st_sn_2019-07.csv": ({"ladesaeulen_st_sn_2019-07": 454}, "EPSG:4326"),
    "robustness/curve.gpkg": ({"curve": 1}, "EPSG:4326"),
    "robustness/line_zm.gpkg": ({"line_zm": 1}, "EPSG:4326"),
    "robustness/test_allcorrect.gpkg": ({"test_allcorrect": 1}, "EPSG:28992"),
    "robustness/test_correct_attribute_with_many_to_many.gpkg": ({"test_allcorrect_a": 1}, "EPSG:28992"),
    "robustness/test_db_views.gpkg": ({"test_db_views": 1}, "EPSG:28992"),
    "robustness/test_dimensions.gpkg": (DIMENSIONS, "EPSG:28992"),
    "robustness/test_gpkg_nulls.gpkg": ({"test_gpkg_nulls": 4}, "EPSG:4326"),
}

# file → (error class, translation key, phrase of the German message)
FAILING = {
    "robustness/test_broken_geopackage.gpkg": (
        UnreadableFileError,
        "err.unreadable",
        "kein gültiges GeoPackage",
    ),
    "osm_jena/Tempo130.geojson": (EmptyLayerError, "err.empty_layer", "enthält keine Objekte"),
    "robustness/test_layerfeature.gpkg": (EmptyLayerError, "err.empty_layer", "enthält keine Objekte"),
    "robustness/test_geometry_empty.gpkg": (
        EmptyLayerError,
        "err.no_features",
        "45 Objekte mit leerer Geometrie",
    ),
    "robustness/test_geometry_null.gpkg": (EmptyLayerError, "err.no_features", "2 Objekte ohne Geometrie"),
}


@pytest.fixture(scope="module")
def vg5000(shared_data):
    """All four VG5000 layers, read once for the module (the biggest file)."""
    return {item.name: item for item in read_upload(Path(VG5000).name, shared_data / VG5000)}


@pytest.fixture(scope="module")
def shp_zip(shared_data):
    return read_upload(Path(SHP_ZIP).name, shared_data / SHP_ZIP)


def test_table_covers_every_shared_file(shared_data):
    files = {p.relative_to(shared_data).as_posix() for p in shared_data.rglob("*") if p.is_file()}
    assert files - {"README.md"} == set(EXPECTED) | set(FAILING)


@pytest.mark.parametrize("rel", sorted(EXPECTED))
def test_every_file_imports_with_exact_counts(rel, shared_data, request):
    counts, crs = EXPECTED[rel]
    if rel == VG5000:
        layers = list(request.getfixturevalue("vg5000").values())
    elif rel == SHP_ZIP:
        layers = request.getfixturevalue("shp_zip")
    else:
        layers = read_upload(Path(rel).name, shared_data / rel)
    assert {item.name: len(item.gdf) for item in layers} == counts
    for item in layers:
        assert item.report.features_stored == len(item.gdf) > 0
        assert item.report.source_crs == crs == item.gdf.crs.to_string()
        assert not shapely.has_z(item.gdf.geometry.values).any()
        assert shapely.is_valid(item.gdf.geometry.values).all()
        assert item.suggestion["kind"] in ("municipalities", "coworking", "mobility", "events", "other")
        json.dumps(item.report.to_dict("en"))


@pytest.mark.parametrize("rel", sorted(FAILING))
def test_broken_files_fail_with_clear_errors(rel, shared_data):
    cls, key, phrase = FAILING[rel]
    with pytest.raises(cls) as err:
        read_upload(Path(rel).name, shared_data / rel)
    assert err.value.key == key
    assert phrase in err.value.message("de")
    assert Path(rel).name in err.value.message("en")


@pytest.mark.parametrize(
    "rel", ["osm_jena/amenity.coworking_space.geojson", KML, SALZ, "points/ladesaeulen_st_sn_2019-07.csv"]
)
def test_bytes_upload_matches_path_import(rel, shared_data):
    from_path = read_upload(Path(rel).name, shared_data / rel)
    from_bytes = read_upload(Path(rel).name, (shared_data / rel).read_bytes())
    assert [(i.name, len(i.gdf), i.report.source_crs) for i in from_bytes] == [
        (i.name, len(i.gdf), i.report.source_crs) for i in from_path
    ]
    assert from_bytes[0].suggestion == from_path[0].suggestion


def test_vg5000_keys_dates_repairs_and_json(vg5000):
    gem = vg5000["vg5000_gem"]
    assert gem.gdf["AGS"].dtype == "str" and gem.gdf["AGS"].iloc[0] == "01001000"
    assert pd.api.types.is_datetime64_any_dtype(gem.gdf["BEGINN"])
    assert {k: v.report.repaired for k, v in vg5000.items()} == {
        "vg5000_gem": 3,
        "vg5000_vwg": 6,
        "vg5000_krs": 0,
        "vg5000_lan": 2,
    }
    assert set(gem.gdf.geom_type) <= {"Polygon", "MultiPolygon"} and gem.report.dropped == {}
    # geopandas cannot serialise datetimes itself; everything else must be plain JSON already
    doc = json.loads(gem.gdf.to_json(default=json_default))
    assert doc["features"][0]["properties"]["AGS"] == "01001000"
    assert gem.suggestion == {
        "title": "Vg5000 gem",
        "kind": "municipalities",
        "attribution": "© GeoBasis-DE / BKG 2021",
        "roles": {"name": "GEN", "key": "AGS", "category": "BEZ"},
    }


def test_shapefile_zip_keeps_gauss_krueger(shp_zip):
    (gem,) = shp_zip
    assert gem.report.source_crs == "EPSG:31467" and gem.report.repaired == 3
    assert gem.gdf["AGS"].iloc[0] == "01001000" and gem.suggestion["title"] == "Vg5000 gem 2021"
    assert gem.gdf["GEN"].str.contains("ü").any()  # .cpg honoured: umlauts intact


def test_loose_shapefile_path(shared_data, tmp_path):
    with zipfile.ZipFile(shared_data / SHP_ZIP) as z:
        z.extractall(tmp_path)
    (shp,) = tmp_path.rglob("*.shp")
    (gem,) = read_upload(shp.name, shp)
    assert len(gem.gdf) == 10997 and gem.report.source_crs == "EPSG:31467"
    shp.with_suffix(".dbf").unlink()
    with pytest.raises(UnreadableFileError, match="dbf"):
        read_upload(shp.name, shp)
    with pytest.raises(UnsupportedFormatError, match="ZIP") as err:
        read_upload(shp.name, shp.read_bytes())
    assert err.value.key == "err.shp_needs_zip"


def test_kml_collections_reduced_to_areas(shared_data):
    (item,) = read_upload("Jena Ortsteile.kml", shared_data / KML)
    assert set(item.gdf.geom_type) == {"Polygon"}
    assert ("warn.collections_simplified", {"n": 30}) in item.report.warnings
    assert "tessellate" not in item.gdf.columns and "begin" not in item.gdf.columns
    assert item.suggestion["title"] == "Jena Ortsteile" and item.suggestion["kind"] == "municipalities"


def test_bahnhof_csv_dirty_values_nothing_dropped(shared_data):
    (item,) = read_upload("D_Bahnhof_2020_alle.csv", shared_data / "points/D_Bahnhof_2020_alle.csv")
    assert (item.report.features_read, item.report.features_stored, item.report.dropped) == (6519, 6519, {})
    assert item.report.warnings == [("warn.assumed_wgs84", {})]
    df = item.gdf
    assert (
        df["Laenge"].dtype == "float64" and df["EVA_NR"].dtype == "str" and df["Betreiber_Nr"].dtype == "str"
    )
    assert df["IFOPT"].iloc[0] == "de:02000:11943"
    assert df.geometry.x.between(5.8, 15.1).all() and df.geometry.y.between(47.2, 55.1).all()


def test_gpkg_layers_choice_and_skips(shared_data):
    path = shared_data / SALZ
    first = read_upload(SALZ, path)[0]
    assert (
        "warn.skipped_layer",
        {"layer": "callabike_2017", "reason": Msg("skip.no_features")},
    ) in first.report.warnings
    assert "„callabike_2017“ wurde übersprungen (keine Objekte)" in " ".join(first.report.warning_texts())
    assert "(no features)" in " ".join(first.report.warning_texts("en"))
    (one,) = read_upload(SALZ, path, layer="bahnhoefe_db2020")
    assert len(one.gdf) == 33 and one.suggestion["kind"] == "mobility"
    with pytest.raises(EmptyLayerError, match="keine Objekte"):
        read_upload(SALZ, path, layer="callabike_2017")
    with pytest.raises(GeoError, match="kreis_vg250") as err:
        read_upload(SALZ, path, layer="nope")
    assert err.value.key == "err.layer_not_in_file"
    listed = list_source_layers(Path(SALZ).name, path)
    assert [(d["name"], d["features"]) for d in listed][-2:] == [
        ("ladesaeulen_bnetza2019", 18),
        ("callabike_2017", 0),
    ]


def test_attribute_only_tables_and_views(shared_data):
    m2m = shared_data / "robustness/test_correct_attribute_with_many_to_many.gpkg"
    (item,) = read_upload(m2m.name, m2m)
    skipped = {p["layer"]: p["reason"].key for k, p in item.report.warnings if k == "warn.skipped_layer"}
    assert skipped == {"test_allcorrect_b": "skip.no_features", "test_attributes": "skip.no_geometry"}
    assert not [d for d in list_source_layers(m2m.name, m2m) if d["name"] == "test_attributes"][0]["spatial"]
    views = shared_data / "robustness/test_db_views.gpkg"
    with pytest.raises(EmptyLayerError) as err:
        read_upload(views.name, views, layer="wrong_view")
    assert err.value.key == "err.layer_not_spatial"


def test_curves_z_and_nullable_columns(shared_data):
    (curve,) = read_upload("curve.gpkg", shared_data / "robustness/curve.gpkg")
    assert (
        curve.report.warnings == [("warn.curves_linearised", {})] and curve.gdf.geom_type[0] == "LineString"
    )
    (zm,) = read_upload("line_zm.gpkg", shared_data / "robustness/line_zm.gpkg")
    assert zm.report.warnings == [("warn.z_dropped", {})]
    (nulls,) = read_upload("test_gpkg_nulls.gpkg", shared_data / "robustness/test_gpkg_nulls.gpkg")
    assert str(nulls.gdf["col_bool"].dtype) == "boolean" and str(nulls.gdf["col_int32"].dtype) == "Int64"
    assert json.loads(nulls.gdf.to_json())["features"][3]["properties"]["col_int64"] is None


def test_crs_override_and_bad_crs(shared_data):
    path = shared_data / SALZ
    for crs in (25833, "25833", "EPSG:25833"):
        (item,) = read_upload(SALZ, path, layer="bahnhoefe_db2020", crs=crs)
        assert item.report.source_crs == "EPSG:25833"
        assert ("warn.crs_overridden", {"old": "EPSG:25832", "new": "EPSG:25833"}) in item.report.warnings
    with pytest.raises(GeoError, match="bogus") as err:
        read_upload(SALZ, path, crs="bogus")
    assert err.value.key == "err.bad_crs"


def _shapefile_zip(
    tmp_path: Path, xy: list[tuple[float, float]], crs: int | None, junk: bool = False
) -> bytes:
    gdf = gpd.GeoDataFrame(
        {"name": [f"p{i}" for i in range(len(xy))]}, geometry=gpd.points_from_xy(*zip(*xy, strict=True))
    )
    folder = tmp_path / "shp"
    folder.mkdir()
    gdf.set_crs(crs).to_file(folder / "pts.shp") if crs else gdf.to_file(folder / "pts.shp")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for f in folder.iterdir():
            z.write(f, f"daten/{f.name}")
        if junk:
            z.writestr("__MACOSX/daten/._pts.shp", b"\x00junk")
    return buf.getvalue()


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_zip_with_junk_and_missing_crs(tmp_path):
    data = _shapefile_zip(tmp_path, [(690000, 5760000), (691000, 5761000)], None, junk=True)
    with pytest.raises(MissingCRSError, match="pts.zip"):
        read_upload("pts.zip", data)
    (item,) = read_upload("pts.zip", data, crs=25832)
    assert (item.name, len(item.gdf), item.report.source_crs) == ("pts", 2, "EPSG:25832")


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in members.items():
            z.writestr(name, content)
    return buf.getvalue()


@pytest.mark.parametrize(
    "member", ["../evil.geojson", "/etc/evil.geojson", "a/../../evil.geojson", "C:/evil.kml"]
)
def test_zip_slip_refused(member, tmp_path):
    with pytest.raises(GeoError) as err:
        read_upload("evil.zip", _zip({member: b"{}"}))
    assert err.value.key == "err.zip_unsafe" and "abgelehnt" in err.value.message()
    assert not (tmp_path.parent / "evil.geojson").exists()


def test_zip_limits():
    with pytest.raises(TooLargeError) as err:
        read_upload(
            "many.zip", _zip({f"f{i}.txt": b"x" for i in range(5)}), settings=Settings(max_zip_members=3)
        )
    assert err.value.key == "err.zip_too_many_files"
    bomb = _zip({"bomb.geojson": b"0" * (3 * 1024 * 1024)})
    assert len(bomb) < 50_000
    with pytest.raises(TooLargeError, match="1 MB") as err:
        read_upload("bomb.zip", bomb, settings=Settings(max_unzipped_mb=1))
    assert err.value.key == "err.zip_too_large"
    with pytest.raises(EmptyLayerError) as err:
        read_upload("leer.zip", _zip({"readme.txt": b"hi", "__MACOSX/._x.geojson": b"x"}))
    assert err.value.key == "err.zip_no_data"


def test_zip_lying_about_sizes_is_refused(tmp_path):
    """A member whose central directory understates its size: never inflated beyond it."""
    data = bytearray(_zip({"bomb.geojson": b"0" * (3 * 1024 * 1024)}))
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = struct.pack("<I", 10)
    with pytest.raises(UnreadableFileError, match="ZIP"):
        read_upload("liar.zip", bytes(data), settings=Settings(max_unzipped_mb=1))


def test_streaming_guard_stops_at_real_bytes(tmp_path):
    """Even if declared sizes passed, extraction stops once the real bytes pass the limit."""
    (tmp_path / "a.zip").write_bytes(_zip({"big.bin": b"0" * 5000}))
    with zipfile.ZipFile(tmp_path / "a.zip") as z, pytest.raises(TooLargeError):
        archives._copy_member(
            z, z.infolist()[0], tmp_path / "out", 0, 4000, "a.zip", Settings(max_unzipped_mb=0)
        )


def test_unreadable_unknown_and_too_large(shared_data, tmp_path):
    gpkg = (shared_data / SALZ).read_bytes()
    noise = bytes(range(256)) * 40
    for name, data, reason in [
        ("x.gpkg", noise, "kein gültiges GeoPackage"),
        ("x.gpkg", gpkg[: len(gpkg) // 2], "kein gültiges GeoPackage"),
        ("x.geojson", b'{"type": "FeatureCollection", "features": [', "kein gültiges GeoJSON"),
        ("x.kml", noise, "keine gültige KML-Datei"),
        ("x.zip", noise, "kein gültiges ZIP"),
        ("x.csv", noise + b"\x00", "keine Textdatei"),
    ]:
        with pytest.raises(UnreadableFileError, match=reason):
            read_upload(name, data)
    with pytest.raises(UnsupportedFormatError, match=r"„\.xlsx“"):
        read_upload("tabelle.xlsx", b"PK")
    with pytest.raises(TooLargeError, match="1 MB"):
        read_upload("gross.gpkg", b"0" * (1024 * 1024 + 1), settings=Settings(max_upload_mb=1))
    with pytest.raises(GeoError) as err:
        read_upload("fehlt.gpkg", tmp_path / "fehlt.gpkg")
    assert err.value.key == "err.file_not_found"


def test_untrusted_file_name_and_temp_cleanup(shared_data, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    data = (shared_data / "osm_jena/amenity.car_sharing.geojson").read_bytes()
    (item,) = read_upload("../../etc/passwd.geojson", data)
    assert (item.report.source_file, item.name) == ("passwd.geojson", "passwd")
    assert list_source_layers("passwd.geojson", data)[0]["name"] == "passwd"
    assert len(read_upload("passwd.geojson", data, layer="passwd")[0].gdf) == 8
    with pytest.raises(UnreadableFileError):
        read_upload("kaputt.gpkg", b"nonsense")
    assert list(tmp_path.iterdir()) == []
