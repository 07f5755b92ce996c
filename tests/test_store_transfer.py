"""Migration between backends (`python -m geo migrate`): GeoPackage → PostGIS → GeoPackage keeps
every layer, version, trash entry, audit entry, document, round, contribution and "+1", proves
it with counts and checksums, can be re-run, and refuses a target that holds other data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_runner import run_geo
from rounds_fixture import T0, make_round, send
from store_worker import points

from geo.errors import GeoError
from geo.store import LoginEvent, ThrottlePolicy, frame_digest, migrate, open_store

pytestmark = pytest.mark.dated
REPO = Path(__file__).resolve().parents[1]


def _filled(location: str) -> dict:
    """A store with something of everything; returns ids to check."""
    store = open_store(location)
    kept = store.write(points(40, seed=1), title="Bahnhöfe", kind="mobility", author="anna").id
    store.replace(kept, points(25, seed=2), author="ben")
    store.restore(kept, 1, author="anna")  # v3 shares v1's data
    store.update_metadata(kept, title="Bahnhöfe Süd", roles={"name": "name"})
    gone = store.write(points(3, seed=3), title="Alt", kind="other").id
    store.delete(gone)
    store.put_document("tour", "rundgang", {"steps": [kept]}, author="anna")
    store.put_document("tour", "rundgang", None, author="anna")
    rnd = make_round(store)
    first = send(store, rnd, device="phone-1", text="<b>Bank</b>")
    send(store, rnd, device="phone-2", text="Radweg", request_id="r-1")
    store.support(rnd.id, first.id, device="phone-2", now=T0)
    store.moderate(first.id, "hide", author="planer", reason="Test")
    coded = make_round(store, join_code=True, address_limit=7, burst_limit=9)
    store.join_round(coded.id, device="phone-1", code=store.join_code(coded.id, T0).code, now=T0)
    store.record_login(LoginEvent(T0.timestamp(), "planer", "203.0.113.9", "wrong"), keep_seconds=86400)
    store.trust_device("planer", "browser-1", until=T0.timestamp() + 3600)
    return {"kept": kept, "gone": gone, "round": rnd.id, "first": first.id, "coded": coded.id}


def _same(a, b, ids: dict) -> None:
    assert a.list_layers(include_deleted=True) == b.list_layers(include_deleted=True)
    for info in a.list_layers(include_deleted=True):
        assert a.history(info.id) == b.history(info.id)
    for v in a.history(ids["kept"]):
        assert frame_digest(a.read(ids["kept"], v.version)) == frame_digest(b.read(ids["kept"], v.version))
    assert a.audit_log() == b.audit_log()
    assert a.document_history("tour", "rundgang") == b.document_history("tour", "rundgang")
    assert a.list_rounds() == b.list_rounds()
    assert a.list_contributions(ids["round"], include_hidden=True) == b.list_contributions(
        ids["round"], include_hidden=True
    )
    # the security data of issue 15: join code admissions, sign-in log, trusted browsers
    assert b.admitted(ids["coded"], "phone-1") and not b.admitted(ids["coded"], "phone-2")
    assert a.login_events() == b.login_events() and len(b.login_events()) == 1
    assert b.is_trusted_device("planer", "browser-1", T0.timestamp())


def test_geopackage_to_postgis_and_back_is_identical(tmp_path, postgres):
    source = str(tmp_path / "source")
    ids = _filled(source)
    url = postgres.create_database("migrate_a")
    try:
        result, copied = migrate(source, url)
        assert copied and result.counts["layers"] == 2 and result.counts["versions"] == 4
        assert result.counts["contributions"] == 2 and result.counts["supports"] == 1
        pg = open_store(url)
        _same(open_store(source), pg, ids)
        # the salt came along: the same phone still cannot "+1" twice, a new one can
        pg.moderate(ids["first"], "unhide", author="planer")
        with pytest.raises(GeoError) as err:
            pg.support(ids["round"], ids["first"], device="phone-2", now=T0)
        assert err.value.key == "err.part_already_supported"
        assert pg.support(ids["round"], ids["first"], device="phone-9", now=T0) == 2
        new = pg.contribute(ids["round"], lon=11.7, lat=51.8, category="Coworking", text="neu", device="p3")
        assert new.id == 3  # ids go on after the copied ones

        back = str(tmp_path / "back")
        result_back, _ = migrate(url, back)
        assert result_back.counts["contributions"] == 3 and result_back.counts["supports"] == 2
        _same(pg, open_store(back), ids)
    finally:
        postgres.drop_database("migrate_a")


def test_migration_can_be_rerun_and_refuses_other_data(tmp_path, postgres):
    source = str(tmp_path / "source")
    _filled(source)
    url = postgres.create_database("migrate_b")
    try:
        migrate(source, url)
        again, copied = migrate(source, url)
        assert not copied and again.counts["layers"] == 2  # verified, nothing copied twice
        open_store(source).write(points(2), title="Neu", kind="other")
        with pytest.raises(GeoError) as err:
            migrate(source, url)
        assert err.value.key == "err.migrate_target_not_empty"
        assert len(open_store(url).list_layers(include_deleted=True)) == 2  # target unchanged
        with pytest.raises(GeoError) as err:
            migrate(source, source)
        assert err.value.key == "err.migrate_same"
    finally:
        postgres.drop_database("migrate_b")


def test_cli_migrates_and_every_command_takes_a_store_url(tmp_path, postgres):
    source = str(tmp_path / "source")
    _filled(source)
    url = postgres.create_database("migrate_cli")
    try:
        out = run_geo("migrate", "--store", source, "--to", url)
        assert out.returncode == 0, out.stderr
        assert "layers: 2" in out.stdout and "versions: 4" in out.stdout and "contributions: 2" in out.stdout
        listed = run_geo("list", "--json", "--all", "--store", url)
        assert sorted(d["id"] for d in json.loads(listed.stdout)) == ["alt", "bahnhoefe"]
        # an empty source and a full target
        refused = run_geo("migrate", "--from", str(tmp_path / "other"), "--to", url)
        assert (
            refused.returncode == 2 and refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
        )
        assert "leeren Speicher" in refused.stderr
        logins = run_geo("logins", "--store", url)  # the sign-in log came along
        assert logins.returncode == 0 and "wrong\tplaner\t203.0.113.9" in logins.stdout
        open_store(url).count_login("planer", ThrottlePolicy(), T0.timestamp())
        unlocked = run_geo("unlock", "planer", "--store", url)
        assert unlocked.returncode == 0 and "planer: 1 " in unlocked.stdout
    finally:
        postgres.drop_database("migrate_cli")
