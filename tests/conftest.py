"""Shared fixtures: the real data folder beside the checkout, a fresh store per test."""

from __future__ import annotations

import os
import tempfile
import time
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


@pytest.fixture
def store(tmp_path):
    """A fresh GeoPackage store in a temporary folder."""
    from geo.store import open_store

    return open_store(str(tmp_path / "store"))
