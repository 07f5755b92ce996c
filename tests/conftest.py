"""Shared fixtures: the real data folder beside the checkout, a fresh store per test."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from fake_time import TEST_NOW

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

# Anything a test starts without naming a store (servers, CLI calls, AppTest) gets a
# throw-away one, never the repository's data/ folder.
os.environ.setdefault("SMART_REGION_DATA", tempfile.mkdtemp(prefix="smart-region-test-"))
# The app's clock starts at the suite's fixed instant, here and in every process tests start:
# no test depends on the machine's date (set before anything imports geo.clock).
os.environ["SMART_REGION_NOW"] = f"{TEST_NOW.isoformat()}@{time.time():.3f}"
# A text key missing from a catalog fails loudly here and in every server/CLI the tests start
# (production shows the key and logs it once).
os.environ["SMART_REGION_STRICT_I18N"] = "1"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """`../shared/data` beside the checkout; skip where a fresh clone has none."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real test data not found at {SHARED_DATA} (../shared/data beside the checkout)")
    return SHARED_DATA


# Every backend the store contract tests run against. A new backend is one more entry here and
# one more branch in `_open_backend`; the contract tests stay as they are.
BACKENDS = ["gpkg", "postgis"]
_TEMPLATE = "store_template"


@pytest.fixture(scope="session")
def postgres():
    """One throw-away PostgreSQL cluster for the session, with a template database that has
    PostGIS and the store's schema (each test copies it). Skipped only where no PostgreSQL is
    installed and `CI` is unset; in CI a missing PostgreSQL fails."""
    from ops.pgcluster import Cluster, find_bindir

    bindir = find_bindir()
    if bindir is None:
        reason = "no PostgreSQL binaries (initdb): apt-get install postgresql postgresql-15-postgis-3"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PostGIS tests: {reason}")
        pytest.skip(reason)
    # its own folder in /tmp: pytest's folders are private to this user, the server's user differs
    cluster = Cluster(Path(tempfile.mkdtemp(prefix="smart-region-pg-")), bindir).start()
    try:
        from geo.store import open_store

        cluster.create_database(_TEMPLATE)
        open_store(cluster.url(_TEMPLATE)).close()  # PostGIS and the schema, once
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(cluster.root, ignore_errors=True)


def _open_backend(backend: str, tmp_path: Path, request):
    from geo.store import open_store

    if backend == "gpkg":
        return open_store(str(tmp_path / "store"))
    if backend == "postgis":
        cluster = request.getfixturevalue("postgres")
        name = f"t_{uuid.uuid4().hex[:12]}"
        store = open_store(cluster.create_database(name, template=_TEMPLATE))
        request.addfinalizer(lambda: (store.close(), cluster.drop_database(name)))
        return store
    raise ValueError(f"unknown store backend {backend!r}")


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    """A fresh, empty store per backend; `store.location` opens the same store in other processes."""
    return _open_backend(request.param, tmp_path, request)


# --- browser tests: one Chromium per session (tests/harness) -----------------------------------


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test (skips without Chromium, fails in CI)."""
    from harness import chromium

    with chromium() as instance:
        yield instance


def pytest_addoption(parser):
    parser.addoption("--share", default="", help="K/N: only the K-th of N even shares (tests/shares.py)")


@pytest.hookimpl(trylast=True)  # after -m and -k have chosen
def pytest_collection_modifyitems(config, items):
    option = config.getoption("--share")
    if not option:
        return
    from shares import parse, shares

    k, n = parse(option)
    keep = set(shares([item.nodeid for item in items], n)[k - 1])
    config.hook.pytest_deselected(items=[item for item in items if item.nodeid not in keep])
    items[:] = [item for item in items if item.nodeid in keep]
