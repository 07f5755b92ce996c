"""Contract of `BackupStore`: a backup is a complete, working copy of the store.

Runs against every backend in `conftest.BACKENDS`. Backups taken while other processes write,
and the restore steps of docs/OPERATIONS.md, are GeoPackage details: test_backup.py.
"""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from fake_time import TEST_NOW
from store_worker import points

from geo.errors import GeoError
from geo.participation.rounds import new_round
from geo.store import LockoutPolicy, open_store


def test_backup_is_a_complete_store(store, tmp_path):
    kept = store.write(points(4), title="Eins", kind="other").id
    store.replace(kept, points(6))
    gone = store.write(points(2), title="Zwei", kind="events").id
    store.delete(gone)
    store.put_document("tour", "rundgang", {"steps": [kept]}, author="anna")
    start = TEST_NOW.astimezone(UTC)
    rnd = store.create_round(
        new_round("Wo?", ("A", "B"), (11, 51, 12, 52), start, start + timedelta(hours=1))
    )

    target = store.backup(tmp_path / "backup")
    copy = open_store(str(target))

    assert copy.list_layers(include_deleted=True) == store.list_layers(include_deleted=True)
    assert len(copy.read(kept)) == 6 and len(copy.read(kept, version=1)) == 4
    assert copy.history(kept) == store.history(kept)
    assert copy.audit_log() == store.audit_log()
    assert copy.get_document("tour", "rundgang") == {"steps": [kept]}
    assert copy.get_round(rnd.id) == rnd
    assert copy.replace(kept, points(3)).version == 3  # the copy goes on working on its own
    assert store.get(kept).version == 2


def test_backup_refuses_a_non_empty_target(store, tmp_path):
    store.write(points(2), title="Eins", kind="other")
    target = store.backup(tmp_path / "backup")
    with pytest.raises(GeoError) as err:
        store.backup(target)
    assert err.value.key == "err.backup_target_not_empty"
    assert str(target) in err.value.message("de")


def test_backup_leaves_out_wrong_password_counters(store, tmp_path):
    policy, now = LockoutPolicy(), TEST_NOW.timestamp()
    for _ in range(policy.max_failures):
        store.count_login("planer", policy, now)
    assert not store.count_login("planer", policy, now).allowed
    copy = open_store(str(store.backup(tmp_path / "backup")))
    assert copy.count_login("planer", policy, now).number == 1
