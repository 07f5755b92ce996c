"""GeoPackage backend details the store contract does not cover: files on disk, SQLite locks.

Crash safety under SIGKILL is in test_store_crash.py and test_crash_loop.py, backups taken
while other processes write in test_backup.py.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest
from fake_time import TEST_NOW
from store_worker import points

from geo.errors import GeoError, LayerNotFoundError
from geo.store import ThrottlePolicy, open_store


@pytest.fixture
def gpkg(tmp_path):
    """A fresh GeoPackage store (a folder)."""
    return open_store(str(tmp_path / "store"))


def test_stale_temp_files_are_removed_on_open(gpkg):
    folder = Path(gpkg.location) / "layers" / "x"
    folder.mkdir(parents=True)
    old, young = folder / ".tmp-old.gpkg", folder / ".tmp-young.gpkg"
    old.write_bytes(b"partial")
    young.write_bytes(b"partial")
    two_hours_ago = young.stat().st_mtime - 7200  # on the file system's clock (it may differ)
    os.utime(old, (two_hours_ago, two_hours_ago))
    open_store(gpkg.location)
    assert not old.exists() and young.exists()


def test_readers_are_not_blocked_by_a_writer(gpkg):
    layer_id = gpkg.write(points(3), title="Test", kind="other").id
    writer = sqlite3.connect(Path(gpkg.location) / "catalog.sqlite", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process in the middle of a commit
    try:
        started = time.monotonic()
        assert len(gpkg.read(layer_id)) == 3 and len(gpkg.list_layers()) == 1
        assert time.monotonic() - started < 5
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_refused_input_writes_no_file(gpkg):
    for bad in (points(0), points(2).set_crs(None, allow_override=True)):
        with pytest.raises(GeoError):
            gpkg.write(bad, title="Leer", kind="other")
    with pytest.raises(GeoError):
        gpkg.write(points(2), title="Test", kind="kneipen")
    assert list((Path(gpkg.location) / "layers").rglob("*.gpkg")) == []


@pytest.mark.parametrize("bad_id", ["../etc", "layers/../x", "..", "x/../../etc"])
def test_malformed_ids_never_reach_the_file_system(gpkg, bad_id):
    with pytest.raises(LayerNotFoundError):
        gpkg.replace(bad_id, points(1))
    assert not (Path(gpkg.location).parent / "etc").exists()
    assert [p.name for p in (Path(gpkg.location) / "layers").iterdir()] == []


def test_login_counters_live_in_the_catalogue(gpkg, tmp_path):
    """No separate auth.sqlite any more: the counter follows the store (and its backend)."""
    gpkg.count_login("planer", ThrottlePolicy(), TEST_NOW.timestamp(), "addr:local")
    with sqlite3.connect(Path(gpkg.location) / "catalog.sqlite") as conn:
        rows = conn.execute("SELECT account, source, count FROM login_counters").fetchall()
    assert rows == [("planer", "addr:local", 1)]
    assert not list(tmp_path.rglob("auth.sqlite"))
