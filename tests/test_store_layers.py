"""Contract of `LayerStore`: round trips, versions, trash, audit, errors, concurrency.

Runs against every backend in `conftest.BACKENDS` through the `store` fixture, using only
the interface: what holds for GeoPackage must hold for the next backend. GeoPackage details
(files on disk, SQLite locks, crash safety) are in test_store_geopackage.py and the crash tests.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import threading
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import MultiPolygon, Point, Polygon
from store_worker import points, replace_many

from geo.errors import EmptyLayerError, GeoError, LayerNotFoundError, MissingCRSError
from geo.store import LayerStore, Store, slugify


def test_the_store_implements_every_interface(store):
    assert isinstance(store, Store) and isinstance(store, LayerStore)


def _typed_frame() -> gpd.GeoDataFrame:
    """Three points in EPSG:25832 with every column type a planner's data brings."""
    return gpd.GeoDataFrame(
        {
            "ags": ["01001000", "15089005", None],
            "name": ["Bernburg (Saale)", "Staßfurt", "Könnern"],
            "einwohner": [32_000, 25_000, 8_000],
            "flaeche": [113.5, 145.1, float("nan")],
            "aktiv": [True, False, True],
            "plaetze": pd.array([12, None, 3], dtype="Int64"),
            "barrierefrei": pd.array([True, None, False], dtype="boolean"),
            "eroeffnet": pd.to_datetime(["2024-01-31 10:15:00", None, "2023-06-01 00:00:00"]),
            "tag": [dt.date(2024, 1, 31), None, dt.date(2023, 6, 1)],
            "extra": [{"tel": "03471"}, [1, 2], b"\x00\xff"],
        },
        geometry=[Point(684_000, 5_742_000), Point(671_000, 5_756_000), Point(690_500, 5_729_000)],
        crs=25832,
    )


def _values(column: pd.Series) -> list:
    """Comparable values: every kind of missing value becomes None."""
    return [None if pd.isna(v) else v for v in column.astype(object)]


def test_round_trip_keeps_values_and_catalogue_fields(store):
    gdf = _typed_frame()
    info = store.write(gdf, title="Gemeinden Salzland", kind="municipalities", source_file="gem.gpkg")
    back = store.read(info.id)

    for column in [
        "ags",
        "name",
        "einwohner",
        "flaeche",
        "aktiv",
        "plaetze",
        "barrierefrei",
        "eroeffnet",
        "tag",
    ]:
        assert _values(back[column]) == _values(gdf[column]), column
    assert back["ags"].tolist()[:2] == ["01001000", "15089005"]  # leading zeros kept, still text
    assert back["extra"].tolist() == ['{"tel": "03471"}', "[1, 2]", "00ff"]
    assert back.crs.to_epsg() == 25832
    assert back.geometry.geom_equals(gdf.geometry).all()

    assert (info.id, info.version, info.kind, info.feature_count) == (
        "gemeinden-salzland",
        1,
        "municipalities",
        3,
    )
    assert (info.source_crs, info.geometry_type, info.source_file) == ("EPSG:25832", "Point", "gem.gpkg")
    expected = gdf.to_crs(4326).total_bounds
    assert info.bbox == pytest.approx(tuple(expected), abs=0.05)  # projected box corners, in degrees
    assert info.bbox[0] <= expected[0] and info.bbox[1] <= expected[1]  # covers every feature
    assert info.bbox[2] >= expected[2] and info.bbox[3] >= expected[3]
    assert 11 < info.bbox[0] < 12.5 and 51 < info.bbox[1] < 52.5  # lon/lat, not metres
    assert dt.datetime.fromisoformat(info.created_at).tzinfo is not None
    assert store.get(info.id) == info
    assert [layer.id for layer in store.list_layers()] == [info.id]


def test_geometry_types_are_kept_and_summarised(store):
    square = Polygon([(0, 0), (1000, 0), (1000, 1000)])
    multi = MultiPolygon([square])
    polys = gpd.GeoDataFrame({"n": [1, 2]}, geometry=[multi, multi], crs=25833)
    mixed = gpd.GeoDataFrame({"n": [1, 2]}, geometry=[Point(500_000, 5_700_000), square], crs=25833)
    assert store.write(polys, title="Flächen", kind="other").geometry_type == "MultiPolygon"
    info = store.write(mixed, title="Gemischt", kind="other")
    assert info.geometry_type == "Mixed"
    assert store.read(info.id).geom_type.tolist() == ["Point", "Polygon"]  # not promoted to Multi*


def test_ids_are_ascii_slugs_made_unique(store):
    gdf = points(2)
    first = store.write(gdf, title="Bahnhöfe Süd / Straße", kind="mobility")
    second = store.write(gdf, title="Bahnhöfe Süd / Straße", kind="mobility")
    assert (first.id, second.id) == ("bahnhoefe-sued-strasse", "bahnhoefe-sued-strasse-2")
    assert store.write(gdf, title="!!!", kind="other").id == "layer"
    assert len(slugify("Ä" * 100)) <= 40
    assert slugify("Coworking Space Köthen 2024") == "coworking-space-koethen-2024"


def test_versions_restore_trash_and_audit(store):
    old, new = points(5, seed=1), points(8, seed=2)
    layer_id = store.write(old, title="Ladesäulen", kind="mobility", author="anna").id

    assert store.replace(layer_id, new, source_file="neu.csv", author="ben").version == 2
    assert [(v.version, v.action, v.feature_count) for v in store.history(layer_id)] == [
        (1, "create", 5),
        (2, "replace", 8),
    ]
    assert len(store.read(layer_id)) == 8
    assert store.read(layer_id, version=1)["name"].tolist() == old["name"].tolist()

    restored = store.restore(layer_id, 1, author="carla")
    assert (restored.version, restored.feature_count) == (3, 5)
    assert store.read(layer_id)["value"].tolist() == old["value"].tolist()

    store.delete(layer_id, author="dora")
    assert store.list_layers() == []
    assert store.get(layer_id).deleted
    assert [layer.id for layer in store.list_layers(include_deleted=True)] == [layer_id]
    with pytest.raises(GeoError) as err:
        store.read(layer_id)
    assert err.value.key == "err.layer_deleted"
    with pytest.raises(GeoError, match="Papierkorb"):
        store.replace(layer_id, new)

    back = store.undelete(layer_id, author="emil")
    assert (back.deleted, back.version, back.feature_count) == (False, 3, 5)
    assert store.read(layer_id)["name"].tolist() == old["name"].tolist()

    steps = [(e.action, e.user, e.version) for e in reversed(store.audit_log())]
    assert steps == [
        ("create", "anna", 1),
        ("replace", "ben", 2),
        ("restore", "carla", 3),
        ("delete", "dora", 3),
        ("undelete", "emil", 3),
    ]
    assert store.audit_log(limit=1)[0].action == "undelete"
    assert store.audit_log()[3].source_file == "neu.csv"


def test_trash_state_errors(store):
    layer_id = store.write(points(2), title="Test", kind="other").id
    with pytest.raises(GeoError) as err:
        store.undelete(layer_id)
    assert err.value.key == "err.layer_not_deleted"
    store.delete(layer_id)
    with pytest.raises(GeoError) as err:
        store.delete(layer_id)
    assert err.value.key == "err.layer_deleted"


def test_append_adds_rows_in_layer_crs_and_unions_columns(store):
    base = points(3)
    layer_id = store.write(base, title="Haltestellen", kind="mobility").id
    extra = points(2, seed=9).to_crs(4326).drop(columns=["count"])
    extra["linie"] = ["Bus 130", "Bus 131"]

    info = store.append(layer_id, extra, source_file="neu.geojson", author="anna")

    assert (info.version, info.feature_count, info.source_crs) == (2, 5, "EPSG:25832")
    back = store.read(layer_id)
    assert back.crs.to_epsg() == 25832
    assert back.geometry.iloc[3].x == pytest.approx(points(2, seed=9).geometry.iloc[0].x, abs=1e-3)
    assert _values(back["linie"]) == [None, None, None, "Bus 130", "Bus 131"]
    assert _values(back["count"]) == [0, 1, 2, None, None]
    assert store.audit_log()[0].action == "append"


@pytest.mark.parametrize("bad_id", ["../etc", "A B", "", "x\n", "a" * 65, "layers/../x"])
def test_malformed_ids_are_not_found(store, bad_id):
    for call in (store.get, store.read, store.history, store.delete):
        with pytest.raises(LayerNotFoundError):
            call(bad_id)
    with pytest.raises(LayerNotFoundError):
        store.replace(bad_id, points(1))


def test_unknown_version_lists_available(store):
    layer_id = store.write(points(2), title="Test", kind="other").id
    store.replace(layer_id, points(3))
    with pytest.raises(LayerNotFoundError) as err:
        store.read(layer_id, version=7)
    assert err.value.key == "err.version_not_found"
    assert err.value.params["available"] == "1, 2"
    with pytest.raises(LayerNotFoundError):
        store.restore(layer_id, 7)


def test_refused_input_stores_nothing(store):
    with pytest.raises(GeoError) as err:
        store.write(points(2), title="Test", kind="kneipen")
    assert err.value.key == "err.bad_kind" and "municipalities" in err.value.params["allowed"]
    with pytest.raises(EmptyLayerError) as err:
        store.write(points(0), title="Leer", kind="other", source_file="leer.gpkg")
    assert err.value.params["name"] == "leer.gpkg"
    with pytest.raises(MissingCRSError):
        store.write(points(2).set_crs(None, allow_override=True), title="Ohne CRS", kind="other")
    assert store.list_layers(include_deleted=True) == [] and store.audit_log() == []


def test_update_metadata(store):
    layer_id = store.write(points(2), title="Alt", kind="other").id
    info = store.update_metadata(
        layer_id,
        author="anna",
        title="Neu",
        kind="coworking",
        roles={"name": "name"},
        style={"color": "#c00"},
    )
    assert (info.id, info.title, info.kind, info.updated_by, info.version) == (
        layer_id,
        "Neu",
        "coworking",
        "anna",
        1,
    )
    assert (info.roles, info.style) == ({"name": "name"}, {"color": "#c00"})
    assert store.audit_log()[0].action == "metadata"
    with pytest.raises(GeoError) as err:
        store.update_metadata(layer_id, kind="kneipen")
    assert err.value.key == "err.bad_kind"
    with pytest.raises(ValueError):
        store.update_metadata(layer_id, colour="red")


def test_threads_writing_at_once_get_distinct_versions(store):
    layer_id = store.write(points(1), title="Geteilt", kind="other").id
    created: list[str] = []
    errors: list[BaseException] = []

    def work(seed: int) -> None:
        try:
            for i in range(3):
                created.append(store.write(points(2), title="Neu", kind="other").id)
                store.replace(layer_id, points(10 + seed * 10 + i))
                store.append(layer_id, points(1, seed=i))
        except BaseException as exc:  # reported below; a thread must not swallow it
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(created)) == 6
    history = store.history(layer_id)
    assert [v.version for v in history] == list(range(1, 14))
    for version in history:
        assert len(store.read(layer_id, version=version.version)) == version.feature_count


def test_processes_replacing_one_layer_get_distinct_versions(store):
    layer_id = store.write(points(1), title="Geteilt", kind="other").id
    jobs = [[11, 12, 13], [21, 22, 23]]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        results = [
            pool.apply_async(replace_many, (store.location, layer_id, sizes, f"p{k}"))
            for k, sizes in enumerate(jobs)
        ]
        versions = [v for result in results for v in result.get(timeout=120)]
    assert sorted(versions) == list(range(2, 8))
    history = store.history(layer_id)
    assert sorted(v.feature_count for v in history[1:]) == [11, 12, 13, 21, 22, 23]
    for version in history:
        assert len(store.read(layer_id, version=version.version)) == version.feature_count


@pytest.mark.parametrize(
    ("path", "layer"),
    [
        ("boundaries/salzlandkreis_demo_25832.gpkg", "gemeinden_vg5000"),
        ("robustness/test_gpkg_nulls.gpkg", None),
        ("osm_jena/Buslinien.geojson", None),
    ],
)
def test_real_files_round_trip(store, shared_data, path, layer):
    gdf = gpd.read_file(shared_data / path, layer=layer)
    info = store.write(gdf, title=Path(path).stem, kind="other", source_file=Path(path).name)
    back = store.read(info.id)
    assert info.feature_count == len(gdf) == len(back)
    assert info.source_crs == f"EPSG:{gdf.crs.to_epsg()}"
    for column in gdf.columns.drop(gdf.geometry.name):
        assert _values(back[column]) == _values(gdf[column]), column
    assert back.geometry.normalize().geom_equals_exact(gdf.geometry.normalize(), tolerance=0).all()
