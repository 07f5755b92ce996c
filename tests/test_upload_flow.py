"""The upload page's store path (`geo.imports.save`): versions, trash, audit, failures, concurrency."""

from __future__ import annotations

import multiprocessing
import threading
import time
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from geo.audit import audit_csv, audit_frame, layers_frame
from geo.errors import GeoError, LayerNotFoundError
from geo.exports import read_csv_export
from geo.imports.formats import read_upload
from geo.imports.save import SaveRequest, import_and_save, save_import
from geo.metadata import metadata_changes, shown_style
from geo.store import open_store

MOBILITY = SaveRequest("new", title="Bahnhöfe Salzlandkreis", kind="mobility", roles={"name": "name"})


def geojson_points(n: int, prefix: str = "P") -> bytes:
    """`n` points around Bernburg as GeoJSON bytes, as a planner's upload would bring them."""
    gdf = gpd.GeoDataFrame(
        {"name": [f"{prefix}{i}" for i in range(n)], "typ": ["Bahnhof"] * n},
        geometry=[Point(11.7 + i * 0.001, 51.8) for i in range(n)],
        crs="EPSG:4326",
    )
    return gdf.to_json().encode()


def snapshot(store) -> tuple:
    return store.list_layers(include_deleted=True), store.audit_log()


def test_replace_restore_delete_undelete_counts_and_audit(store, shared_data):
    gpkg = (shared_data / "boundaries" / "salzlandkreis_demo_25832.gpkg").read_bytes()
    stations = SaveRequest("new", title="Bahnhöfe", kind="mobility", roles={"name": "NAME"})
    first = import_and_save(
        store, "salzlandkreis_demo_25832.gpkg", gpkg, stations, author="planer", layer="bahnhoefe_db2020"
    )
    assert (first.version, first.feature_count, first.updated_by) == (1, 33, "planer")
    layer_id = first.id

    charging = read_upload("ladesaeulen.gpkg", gpkg, layer="ladesaeulen_bnetza2019")[0]
    replaced = save_import(
        store, charging, SaveRequest("replace", layer_id), author="anna", source_file="ladesaeulen.gpkg"
    )
    assert (replaced.version, replaced.feature_count, len(store.read(layer_id))) == (2, 18, 18)

    restored = store.restore(layer_id, 1, author="planer")
    assert (restored.version, restored.feature_count, len(store.read(layer_id))) == (3, 33, 33)

    store.delete(layer_id, author="anna")
    assert layer_id not in [i.id for i in store.list_layers()]
    with pytest.raises(GeoError):
        store.read(layer_id)
    back = store.undelete(layer_id, author="planer")
    assert (back.version, back.feature_count, len(store.read(layer_id))) == (3, 33, 33)

    appended = save_import(
        store, charging, SaveRequest("append", layer_id), author="anna", source_file="ladesaeulen.gpkg"
    )
    assert (appended.version, appended.feature_count, len(store.read(layer_id))) == (4, 51, 51)
    assert [v.feature_count for v in store.history(layer_id)] == [33, 18, 33, 51]

    log = store.audit_log()[::-1]  # the store lists newest first
    steps = [(e.action, e.user, e.version, e.source_file) for e in log if e.layer_id == layer_id]
    assert steps == [
        ("create", "planer", 1, "salzlandkreis_demo_25832.gpkg"),
        ("replace", "anna", 2, "ladesaeulen.gpkg"),
        ("restore", "planer", 3, "salzlandkreis_demo_25832.gpkg"),
        ("delete", "anna", 3, "salzlandkreis_demo_25832.gpkg"),
        ("undelete", "planer", 3, "salzlandkreis_demo_25832.gpkg"),
        ("append", "anna", 4, "ladesaeulen.gpkg"),
    ]
    table = audit_frame(store.audit_log(), "de")
    assert len(table) == 6 and set(table["Aktion"]) >= {"angelegt", "ersetzt", "in den Papierkorb"}
    listing = layers_frame(store.list_layers(), "de")
    assert (
        listing.loc[0, "Objekte"] == 51 and listing.loc[0, "Version"] == 4 and listing.loc[0, "von"] == "anna"
    )


def test_audit_csv_neutralises_formulas(store):
    item = read_upload("=HYPERLINK(x).geojson", geojson_points(2))[0]
    save_import(store, item, MOBILITY, author="@planer", source_file="=HYPERLINK(x).geojson")
    rows = read_csv_export(audit_csv(store.audit_log(), "en"))
    assert list(rows.columns) == ["Time", "User", "Action", "Layer", "Version", "File", "Details"]
    assert rows.loc[0, "File"] == "'=HYPERLINK(x).geojson" and rows.loc[0, "User"] == "'@planer"


def test_broken_file_leaves_store_unchanged(store, shared_data):
    import_and_save(store, "a.geojson", geojson_points(3), MOBILITY, author="planer")
    before = snapshot(store)
    broken = (shared_data / "robustness" / "test_broken_geopackage.gpkg").read_bytes()
    with pytest.raises(GeoError) as exc:
        import_and_save(store, "test_broken_geopackage.gpkg", broken, MOBILITY, author="planer")
    assert exc.value.key == "err.unreadable"
    assert "test_broken_geopackage.gpkg" in exc.value.message("de")
    assert snapshot(store) == before


@pytest.mark.parametrize(
    ("request_", "key"),
    [
        (SaveRequest("new", title="  ", kind="mobility"), "err.upload_title_missing"),
        (SaveRequest("new", title="X", kind="bahnhof"), "err.bad_kind"),
        (SaveRequest("new", title="X", kind="other", roles={"name": "gibtsnicht"}), "err.upload_role_column"),
        (SaveRequest("replace", ""), "err.upload_target_missing"),
        (SaveRequest("replace", "gibt-es-nicht"), "err.layer_not_found"),
        (SaveRequest("append", "../../etc"), "err.layer_not_found"),
    ],
)
def test_refused_saves_leave_store_unchanged(store, request_, key):
    import_and_save(store, "a.geojson", geojson_points(3), MOBILITY, author="planer")
    before = snapshot(store)
    item = read_upload("b.geojson", geojson_points(4))[0]
    with pytest.raises(GeoError) as exc:
        save_import(store, item, request_, author="planer", source_file="b.geojson")
    assert exc.value.key == key
    assert snapshot(store) == before


def test_replace_of_deleted_layer_is_refused(store):
    info = import_and_save(store, "a.geojson", geojson_points(3), MOBILITY, author="planer")
    store.delete(info.id, author="planer")
    before = snapshot(store)
    with pytest.raises(GeoError) as exc:
        import_and_save(
            store, "b.geojson", geojson_points(4), SaveRequest("replace", info.id), author="planer"
        )
    assert exc.value.key == "err.layer_deleted" and not isinstance(exc.value, LayerNotFoundError)
    assert snapshot(store) == before


def test_titles_are_cleaned_of_control_characters(store):
    request = SaveRequest("new", title="Bahnhöfe\n<b>neu</b>\x00", kind="mobility", attribution="© DB\r\n")
    info = import_and_save(store, "a.geojson", geojson_points(1), request, author="planer")
    assert info.title == "Bahnhöfe <b>neu</b>" and info.attribution == "© DB"


def test_two_threads_uploading_at_once_both_land(store):
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def upload(name: str, n: int) -> None:
        item = read_upload(f"{name}.geojson", geojson_points(n, name))[0]
        barrier.wait()
        request = SaveRequest("new", title="Gleicher Titel", kind="mobility")
        results[name] = save_import(store, item, request, author=name, source_file=f"{name}.geojson")

    threads = [threading.Thread(target=upload, args=(name, n)) for name, n in (("anna", 5), ("ben", 7))]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert {results["anna"].feature_count, results["ben"].feature_count} == {5, 7}
    assert {i.id for i in store.list_layers()} == {"gleicher-titel", "gleicher-titel-2"}
    assert sorted(e.user for e in store.audit_log()) == ["anna", "ben"]


def test_two_threads_appending_to_one_layer_keep_both(store):
    target = import_and_save(store, "a.geojson", geojson_points(2), MOBILITY, author="planer").id
    barrier = threading.Barrier(2)

    def append(name: str, n: int) -> None:
        item = read_upload(f"{name}.geojson", geojson_points(n, name))[0]
        barrier.wait()
        save_import(store, item, SaveRequest("append", target), author=name, source_file=f"{name}.geojson")

    threads = [threading.Thread(target=append, args=(name, n)) for name, n in (("anna", 3), ("ben", 4))]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    names = set(store.read(target)["name"])
    assert store.get(target).feature_count == 9 and {"anna0", "anna2", "ben3"} <= names


def upload_in_process(location: str, name: str, n: int, start_at: float) -> tuple[str, int]:
    """Runs in a spawned process: the page's path (read_upload + save_import) at a set moment."""
    item = read_upload(f"{name}.geojson", geojson_points(n, name))[0]
    time.sleep(max(0.0, start_at - time.time()))
    request = SaveRequest("new", title="Gleicher Titel", kind="mobility")
    info = save_import(open_store(location), item, request, author=name, source_file=f"{name}.geojson")
    return info.id, info.feature_count


def test_two_processes_uploading_at_once_both_land(store):
    ctx = multiprocessing.get_context("spawn")
    start_at = time.time() + 8  # after both children have imported geopandas
    with ctx.Pool(2) as pool:
        jobs = [
            pool.apply_async(upload_in_process, (store.location, name, n, start_at))
            for name, n in (("anna", 5), ("ben", 7))
        ]
        results = [job.get(timeout=120) for job in jobs]
    assert sorted(count for _, count in results) == [5, 7]
    assert len({layer_id for layer_id, _ in results}) == 2
    assert sorted(i.feature_count for i in store.list_layers()) == [5, 7]
    assert sorted(e.user for e in store.audit_log()) == ["anna", "ben"]
    assert Path(store.location, "catalog.sqlite").exists()


def test_viewer_reading_during_uploads_sees_old_or_new_never_an_error(store):
    """A page reload during a replace reads a complete version: the old one or the new one."""
    layer_id = import_and_save(store, "a.geojson", geojson_points(3), MOBILITY, author="planer").id
    items = {n: read_upload(f"{n}.geojson", geojson_points(n))[0] for n in (3, 5)}
    done = threading.Event()
    seen: list[tuple[int, int]] = []
    errors: list[BaseException] = []

    def viewer() -> None:
        try:
            while not done.is_set():
                info = next(i for i in store.list_layers() if i.id == layer_id)
                seen.append((info.feature_count, len(store.read(layer_id, info.version))))
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    reader = threading.Thread(target=viewer)
    reader.start()
    for k in range(8):
        save_import(store, items[5 if k % 2 == 0 else 3], SaveRequest("replace", layer_id), author="planer",
                    source_file="b.geojson")  # fmt: skip
    done.set()
    reader.join(60)
    assert not errors
    assert seen and all(count == rows and count in (3, 5) for count, rows in seen)


def test_metadata_changes_only_what_the_planner_changed(store):
    info = import_and_save(store, "a.geojson", geojson_points(3), MOBILITY, author="planer")
    same = dict(title=info.title, kind=info.kind, attribution=info.attribution, roles=dict(info.roles))
    shown = shown_style(info)
    assert shown == {"colour": "#0072B2", "symbol": "circle"}
    with pytest.raises(GeoError) as exc:
        metadata_changes(info, **same, style={**shown, "category": ""})
    assert exc.value.key == "err.metadata_unchanged"
    with pytest.raises(GeoError) as exc:
        metadata_changes(info, **{**same, "title": " \n "}, style=shown)
    assert exc.value.key == "err.upload_title_missing"

    changes = metadata_changes(
        info, **{**same, "title": "Bahnhöfe neu"}, style={**shown, "colour": "#D55E00", "category": "typ"}
    )
    assert changes == {
        "title": "Bahnhöfe neu",
        "style": {"colour": "#D55E00", "symbol": "circle", "category": "typ"},
    }
    updated = store.update_metadata(info.id, author="anna", **changes)
    assert (updated.title, updated.style["category"], updated.version, updated.updated_by) == (
        "Bahnhöfe neu", "typ", 1, "anna"
    )  # fmt: skip
    entry = store.audit_log()[0]
    assert (entry.action, entry.user, entry.detail) == ("metadata", "anna", "style, title")
