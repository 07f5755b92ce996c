"""Shared fixtures: the real data folder beside the checkout, a fresh store per test."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

# Anything a test starts without naming a store (servers, CLI calls, AppTest) gets a
# throw-away one, never the repository's data/ folder.
os.environ.setdefault("SMART_REGION_DATA", tempfile.mkdtemp(prefix="smart-region-test-"))


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
