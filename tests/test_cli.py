"""The command line: exit codes, one-line errors, store unchanged (`cli_runner`: in this process,
and as a real ``python -m geo`` where the entry point itself is tested)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from cli_runner import run_geo

REPO = Path(__file__).resolve().parents[1]


def geo(*args: str, data: Path, process: bool = False) -> subprocess.CompletedProcess:
    return run_geo(*args, "--data", str(data), process=process)


def listing(data: Path) -> list[dict]:
    out = geo("list", "--json", data=data)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_cli_imports_bkg_geopackage_all_spatial_layers(tmp_path, shared_data):
    data = tmp_path / "store"
    out = geo(
        "import", str(shared_data / "boundaries/salzlandkreis_demo_25832.gpkg"), data=data, process=True
    )
    assert out.returncode == 0, out.stderr
    layers = {d["title"]: d for d in listing(data)}
    counts = sorted(d["feature_count"] for d in layers.values())
    # kreis 1, gemeinden 21, verbandsgemeinden 13, stations 33, charging 18; the empty layer is skipped
    assert counts == [1, 13, 18, 21, 33]
    assert all(d["crs"] == "EPSG:25832" for d in layers.values())
    assert all(d["version"] == 1 for d in layers.values())
    assert {"id", "title", "kind", "feature_count", "crs", "version"} <= set(next(iter(layers.values())))
    gemeinden = next(d for d in layers.values() if d["feature_count"] == 21)
    assert gemeinden["kind"] == "municipalities"
    assert "GeoBasis-DE / BKG" in gemeinden["attribution"]


def test_cli_import_one_layer_of_germany_with_kind_and_title(tmp_path, shared_data):
    data = tmp_path / "store"
    out = geo(
        "import",
        str(shared_data / "boundaries/de_vg5000_2021_ebenen_25832.gpkg"),
        "--layer",
        "vg5000_krs",
        "--kind",
        "other",
        "--title",
        "Kreise",
        data=data,
    )
    assert out.returncode == 0, out.stderr
    (layer,) = listing(data)
    assert (layer["title"], layer["kind"], layer["feature_count"]) == ("Kreise", "other", 401)


def test_cli_import_cuts_the_vector_tiles_the_first_map_visit_draws(tmp_path, shared_data):
    """A big area layer's tile set is cut as its version is written: a server that finds it
    draws tiles from its first visit on (`webui.common.layer_source`); points get none."""
    import geopandas as gpd

    from geo.maps.layer_caches import revision
    from geo.maps.tilecache import cache_dir, tiles_name
    from geo.store import open_store

    kreise = gpd.read_file(shared_data / "boundaries" / "vg250_kreise_2025.geojson")
    east = kreise[(kreise["GF"] == 4) & kreise["AGS"].str[:2].isin(["12", "13", "14", "15", "16"])]
    source = tmp_path / "kreise_ost.geojson"
    east.to_file(source, driver="GeoJSON")  # the eastern Kreise at full VG250 detail: drawn from tiles
    data = tmp_path / "store"
    out = geo("import", str(source), "--kind", "municipalities", "--json", data=data)
    assert out.returncode == 0, out.stderr
    (entry,) = json.loads(out.stdout)
    (info,) = open_store(str(data)).list_layers()
    assert entry["tiles"] == tiles_name(info.id, info.version, revision(info))
    assert [p.name for p in cache_dir(str(data)).glob("*.pmtiles")] == [entry["tiles"]]
    points = geo("import", str(shared_data / "points/de_points_4326.gpkg"), "--layer",
                 "bahnhoefe_db2020", "--json", data=data)  # fmt: skip
    assert points.returncode == 0 and json.loads(points.stdout)[0]["tiles"] is None


@pytest.mark.parametrize(
    ("args", "phrase"),
    [  # the first through a real ``python -m geo``: nothing else but the line reaches stderr
        (["import", "robustness/test_broken_geopackage.gpkg"], "kann nicht gelesen werden"),
        (["import", "osm_jena/Tempo130.geojson"], "keine Objekte"),
        (["import", "boundaries/salzlandkreis_demo_25832.gpkg", "--layer", "gibtsnicht"], "gibtsnicht"),
        (["import", "does/not/exist.gpkg"], "nicht gefunden"),
        (["export", "no-such-layer", "--format", "csv", "out.csv"], "gibt es nicht"),
        (["restore", "no-such-layer", "3"], "gibt es nicht"),
    ],
)
def test_cli_bad_input_exits_2_with_one_line_and_store_unchanged(tmp_path, shared_data, args, phrase):
    data = tmp_path / "store"
    assert geo("import", str(shared_data / "points/ladesaeulen_st_sn_2019-07.csv"), data=data).returncode == 0
    before = listing(data)
    resolved = [str(shared_data / a) if a.endswith((".gpkg", ".geojson")) else a for a in args]
    out = geo(*resolved, data=data, process="robustness" in args[1])
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert phrase in out.stderr
    assert listing(data) == before


def test_cli_history_restore_delete_undelete_export(tmp_path, shared_data):
    data = tmp_path / "store"
    csv = shared_data / "points/ladesaeulen_st_sn_2019-07.csv"
    assert geo("import", str(csv), "--title", "Ladepunkte", data=data).returncode == 0
    assert geo("demo", data=data).returncode == 0
    layer_id = next(d["id"] for d in listing(data) if d["title"] == "Ladepunkte")
    count = next(d["feature_count"] for d in listing(data) if d["id"] == layer_id)
    assert geo("demo", data=data).returncode == 0  # rebuild: demo layers get version 2
    assert {d["version"] for d in listing(data) if "Demo" in d["title"]} == {2}
    demo_id = next(d["id"] for d in listing(data) if "Gemeinden" in d["title"])
    assert "v1" in geo("history", demo_id, data=data).stdout
    assert geo("restore", demo_id, "1", data=data).returncode == 0
    assert next(d["version"] for d in listing(data) if d["id"] == demo_id) == 3
    assert geo("delete", layer_id, data=data).returncode == 0
    assert layer_id not in {d["id"] for d in listing(data)}
    assert geo("undelete", layer_id, data=data).returncode == 0
    for fmt in ("gpkg", "geojson", "csv"):
        out = tmp_path / f"export.{fmt}"
        assert geo("export", layer_id, "--format", fmt, str(out), data=data).returncode == 0
        import geopandas as gpd
        import pandas as pd

        n = len(pd.read_csv(out, sep=";", encoding="utf-8-sig")) if fmt == "csv" else len(gpd.read_file(out))
        assert n == count


def test_cli_and_upload_page_store_the_same_layer(tmp_path, shared_data):
    """One write path: the CLI's import and the page's preview + save give the same layer."""
    from geo.imports.formats import read_upload
    from geo.imports.save import SaveRequest, save_import
    from geo.store import open_store

    csv = shared_data / "points/ladesaeulen_st_sn_2019-07.csv"
    title = "  Lade\x07punkte\n<b>Süd</b>\u202e "
    cli_args = ["--title", title, "--kind", "mobility", "--role", "name=Betreiber", "--role", "category="]
    out = geo("import", str(csv), *cli_args, data=tmp_path / "cli")
    assert out.returncode == 0, out.stderr

    # the upload page: read for the preview, then the form's choices (defaults: the suggestion)
    item = read_upload(csv.name, csv.read_bytes())[0]
    roles = {**item.suggestion["roles"], "name": "Betreiber", "category": ""}
    request = SaveRequest("new", "", title, "mobility", item.suggestion["attribution"], roles)
    page_store = open_store(str(tmp_path / "page"))
    page = save_import(page_store, item, request, author="cli", source_file=csv.name)

    (cli,) = open_store(str(tmp_path / "cli")).list_layers()
    assert cli.title == page.title == "Lade punkte <b>Süd</b>"  # one printable line
    assert cli.roles == page.roles and cli.roles["name"] == "Betreiber" and "category" not in cli.roles
    ignore = ("created_at", "updated_at")
    assert {k: v for k, v in cli.to_dict().items() if k not in ignore} == {
        k: v for k, v in page.to_dict().items() if k not in ignore
    }
    cli_frame = open_store(str(tmp_path / "cli")).read(cli.id)
    assert cli_frame.equals(page_store.read(page.id))


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["--role", "name=Gibtsnicht"], "Gibtsnicht"),  # the page's role check
        (["--title", " \x07 "], "keinen Titel"),  # the page's title check
        (["--role", "farbe=Betreiber"], "ROLE=COLUMN"),  # not a role at all
    ],
)
def test_cli_import_checks_like_the_upload_page(tmp_path, shared_data, args, phrase):
    csv = shared_data / "points/ladesaeulen_st_sn_2019-07.csv"
    out = geo("import", str(csv), *args, data=tmp_path / "store")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert phrase in out.stderr
    assert listing(tmp_path / "store") == []
