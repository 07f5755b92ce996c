"""Backups while the app writes, and the restore steps of docs/OPERATIONS.md.

`python -m geo backup DIR` copies the catalogue with SQLite's backup API and then every
version file it references (immutable, complete before their rows commit). So a backup
taken while another process writes is a consistent earlier state of the store: each of
its layers and versions exists unchanged in the live store, and every file it lists is there.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from cli_runner import run_geo
from store_worker import points

from geo.store import open_store
from geo.store.geopackage.files import read_layer_file

REPO = Path(__file__).resolve().parents[1]
WORKER = Path(__file__).resolve().parent / "store_worker.py"


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }


def _catalogue(location: Path) -> dict:
    """Everything the catalogue says: layers (with trash), every version row, the audit length."""
    with sqlite3.connect(location / "catalog.sqlite") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        layers = conn.execute(
            "SELECT id, title, kind, current_version, deleted FROM layers ORDER BY id"
        ).fetchall()
        versions = conn.execute(
            "SELECT layer_id, version, file, feature_count, source_crs FROM versions "
            "ORDER BY layer_id, version"
        ).fetchall()
        audit = conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    return {"layers": layers, "versions": versions, "audit": audit}


def _check_complete(location: Path) -> dict:
    """Every layer and every version in the store at `location` reads back with its count."""
    open_store(str(location))  # opens (and would refuse a broken catalogue)
    state = _catalogue(location)
    for _, _, file, count, _ in state["versions"]:  # trashed layers too: read their files directly
        assert len(read_layer_file(location / file)) == count, file
    assert not list(location.glob("layers/**/.tmp-*")), "backup holds unfinished files"
    return state


def test_backups_taken_while_another_process_writes_are_consistent(tmp_path):
    live = tmp_path / "data"
    open_store(str(live)).write(points(100, seed=5), title="Bestand", kind="other")
    writer = subprocess.Popen(
        [sys.executable, str(WORKER), str(live), "3000"], env=_env(), stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout.readline().strip() == "ready"
        backups = []
        for i in range(4):
            time.sleep(0.3)
            target = tmp_path / f"sicherung-{i}"
            result = run_geo("backup", str(target), "--data", str(live))
            assert result.returncode == 0, result.stderr
            backups.append(target)
    finally:
        writer.send_signal(signal.SIGTERM)
        writer.communicate(timeout=30)
    final = _catalogue(live)
    live_versions = {row[:2]: row for row in final["versions"]}
    sizes = []
    for target in backups:
        state = _check_complete(target)
        for row in state["versions"]:  # an earlier state of the same store: rows identical
            assert live_versions[row[:2]] == row
        assert state["audit"] <= final["audit"]
        sizes.append(len(state["versions"]))
    assert sizes == sorted(sizes) and sizes[-1] > sizes[0], f"the writer did not write meanwhile: {sizes}"


def _busy_store(location: Path):
    """A store with history: replaced, restored, renamed and trashed layers."""
    store = open_store(str(location))
    a = store.write(points(40, seed=1), title="Gemeinden", kind="municipalities", attribution="© GeoBasis-DE")
    store.replace(a.id, points(45, seed=2), source_file="neu.gpkg")
    store.restore(a.id, 1)
    b = store.write(points(12, seed=3), title="Coworking", kind="coworking")
    store.update_metadata(b.id, title="Coworking-Orte")
    c = store.write(points(7, seed=4), title="Alt", kind="events")
    store.delete(c.id)
    store.put_document("tour", "rundgang", {"steps": [{"layer": a.id, "text": "Gemeinden"}]})
    return store, (a.id, b.id, c.id)


def test_restore_as_documented_gives_back_the_same_store(tmp_path):
    data = tmp_path / "data"
    _, (a, b, c) = _busy_store(data)
    listing = run_geo("list", "--json", "--all", "--data", str(data))
    assert run_geo("backup", str(tmp_path / "sicherung"), "--data", str(data)).returncode == 0
    before = _catalogue(data)

    # the disaster: the data folder is damaged, then OPERATIONS.md's restore steps
    (data / "catalog.sqlite").write_bytes(b"kaputt")
    shutil.move(data, tmp_path / "data.kaputt")
    shutil.copytree(tmp_path / "sicherung", data)

    assert _check_complete(data) == before
    restored = run_geo("list", "--json", "--all", "--data", str(data))
    assert json.loads(restored.stdout) == json.loads(listing.stdout)
    store = open_store(str(data))
    assert [v.feature_count for v in store.history(a)] == [40, 45, 40]
    assert store.get(b).title == "Coworking-Orte"
    assert store.get(c).deleted and store.undelete(c).feature_count == 7  # the trash came back too
    assert store.get_document("tour", "rundgang") == {"steps": [{"layer": a, "text": "Gemeinden"}]}
    assert store.replace(a, points(3, seed=9)).version == 4  # and the restored store goes on working
    assert open_store(str(data)).write(points(2, seed=8), title="Neu", kind="other").version == 1


def test_backup_refuses_a_non_empty_target(tmp_path):
    data = tmp_path / "data"
    _busy_store(data)
    target = tmp_path / "voll"
    target.mkdir()
    (target / "wichtig.txt").write_text("nicht überschreiben")
    result = run_geo("backup", str(target), "--data", str(data))
    assert result.returncode == 2
    assert result.stderr.startswith("Fehler:") and "Traceback" not in result.stderr
    assert (target / "wichtig.txt").read_text() == "nicht überschreiben"


def test_operations_guide_documents_backup_and_restore():
    guide = (REPO / "docs" / "OPERATIONS.md").read_text(encoding="utf-8")
    for needle in ("python -m geo backup", "catalog.sqlite", "Restore", "systemctl stop"):
        assert needle in guide, needle


def test_backup_leaves_out_unfinished_files_of_a_killed_writer(tmp_path):
    """A killed writer's leftover temporary file is referenced by nothing and not copied."""
    data = tmp_path / "data"
    store, (a, _, _) = _busy_store(data)
    stale = data / "layers" / a / ".tmp-0123abcd.gpkg"
    stale.write_bytes(b"halb geschrieben")
    assert run_geo("backup", str(tmp_path / "sicherung"), "--data", str(data)).returncode == 0
    _check_complete(tmp_path / "sicherung")
    assert _catalogue(tmp_path / "sicherung") == _catalogue(data)
