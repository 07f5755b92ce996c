"""Several processes importing and reading one store at once: all succeed, counts stay right.

Two ways in: the library (`read_upload` + store, in spawned processes that start together
at a barrier) and the command line (``python -m geo import/list/export`` started at once).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
from store_worker import points

from geo.store import open_store

REPO = Path(__file__).resolve().parents[1]
IMPORTERS = 3
FILES_PER_IMPORTER = 4
READERS = 2


def _upload(n: int, seed: int, suffix: str) -> tuple[str, bytes, int]:
    """A file a planner might upload: (name, bytes, features)."""
    gdf = points(n, seed=seed)
    if suffix == ".csv":
        wgs = gdf.to_crs(4326)
        text = "name;lon;lat\n" + "\n".join(
            f"{name};{p.x:.6f};{p.y:.6f}" for name, p in zip(wgs["name"], wgs.geometry, strict=True)
        )
        return f"tabelle-{seed}.csv", text.encode(), n
    return f"ebene-{seed}.geojson", gdf.to_json(drop_id=True).encode(), n


def _import_many(location: str, worker: int, barrier, results) -> None:
    """Import files one after another; reports (layer id, stored count, expected count) rows."""
    from geo.imports.formats import read_upload

    store = open_store(location)
    uploads = [
        _upload(200 + 150 * i, seed=worker * 100 + i, suffix=(".csv", ".geojson")[i % 2])
        for i in range(FILES_PER_IMPORTER)
    ]
    barrier.wait()
    out = []
    for name, data, n in uploads:
        layer = read_upload(name, data)[0]
        info = store.write(layer.gdf, title=name, kind="other", source_file=name, author=f"w{worker}")
        out.append((info.id, info.feature_count, n))
    results.put(("import", out))


def _read_until_done(location: str, barrier, stop, results) -> None:
    """Read every listed layer again and again; reports (reads, mismatches)."""
    store = open_store(location)
    barrier.wait()
    reads, wrong = 0, []
    while not stop.is_set():
        for info in store.list_layers():
            n = len(store.read(info.id, info.version))
            reads += 1
            if n != info.feature_count:
                wrong.append(f"{info.id} v{info.version}: {n} != {info.feature_count}")
    results.put(("read", (reads, wrong)))


def test_processes_importing_and_reading_at_once(store):
    location = store.location
    store.write(points(500, seed=1), title="Vorher", kind="other")
    ctx = multiprocessing.get_context("spawn")
    barrier, stop, results = ctx.Barrier(IMPORTERS + READERS), ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(target=_read_until_done, args=(location, barrier, stop, results)) for _ in range(READERS)
    ]
    procs += [
        ctx.Process(target=_import_many, args=(location, w, barrier, results)) for w in range(IMPORTERS)
    ]
    for proc in procs:
        proc.start()
    try:
        imported = [row for _ in range(IMPORTERS) for row in _result(results, "import")]
        time.sleep(0.2)  # readers see the final state once more
        stop.set()
        reads = [_result(results, "read") for _ in range(READERS)]
    finally:
        stop.set()
        for proc in procs:
            proc.join(timeout=60)
    assert all(proc.exitcode == 0 for proc in procs)
    assert all(stored == expected for _, stored, expected in imported), imported
    assert len({layer_id for layer_id, _, _ in imported}) == IMPORTERS * FILES_PER_IMPORTER
    for count, wrong in reads:
        assert not wrong, wrong
        assert count > 0
    fresh = open_store(location)
    counts = {info.id: info.feature_count for info in fresh.list_layers()}
    assert len(counts) == 1 + IMPORTERS * FILES_PER_IMPORTER
    for layer_id, stored, _ in imported:
        assert counts[layer_id] == stored == len(fresh.read(layer_id))
        assert fresh.get(layer_id).version == 1


def _result(results, kind: str):
    """The next result, which must be of `kind` (imports all finish before the readers stop)."""
    got, value = results.get(timeout=240)
    assert got == kind, (got, value)
    return value


def _cli(*args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "geo", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_cli_imports_lists_and_exports_at_once(store, tmp_path, shared_data):
    data = store.location
    seeded = store.write(points(300, seed=7), title="Bestand", kind="other")
    files = {
        shared_data / "points" / "ladesaeulen_st_sn_2019-07.csv": 454,
        shared_data / "osm_jena" / "highway-nodes.geojson": 871,
        shared_data / "osm_jena" / "amenity.bicycle_parking.geojson": 38,
        shared_data / "robustness" / "test_allcorrect.gpkg": 1,
    }
    procs = [_cli("import", str(path), "--data", data, "--json") for path in files]
    procs += [_cli("list", "--json", "--data", data) for _ in range(2)]
    procs.append(
        _cli("export", seeded.id, "--format", "geojson", str(tmp_path / "out.geojson"), "--data", data)
    )
    outputs = [p.communicate(timeout=240) for p in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err[-2000:]
    reports = [json.loads(out) for out, _ in outputs[: len(files)]]
    for report, expected in zip(reports, files.values(), strict=True):
        assert [r["report"]["features_stored"] for r in report] == [expected]
    for out, _ in outputs[len(files) : len(files) + 2]:
        listed = json.loads(out)  # whatever moment it saw: a complete list of valid layers
        assert seeded.id in {layer["id"] for layer in listed}
    assert len(gpd.read_file(tmp_path / "out.geojson")) == 300
    final = open_store(data)
    layers = {info.id: info.feature_count for info in final.list_layers()}
    assert len(layers) == 1 + len(files)
    for report, expected in zip(reports, files.values(), strict=True):
        layer_id = report[0]["id"]
        assert layers[layer_id] == expected == len(final.read(layer_id))
