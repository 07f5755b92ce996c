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


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """`../shared/data` beside the checkout; skip where a fresh clone has none."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real test data not found at {SHARED_DATA} (../shared/data beside the checkout)")
    return SHARED_DATA


# Every backend the store contract tests run against. A new backend (PostGIS is next) is one
# more entry here and one more branch in `_open_backend`; the contract tests stay as they are.
BACKENDS = ["gpkg"]


def _open_backend(backend: str, tmp_path: Path):
    from geo.store import open_store

    if backend == "gpkg":
        return open_store(str(tmp_path / "store"))
    raise ValueError(f"unknown store backend {backend!r}")


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    """A fresh, empty store per backend; `store.location` opens the same store in other processes."""
    return _open_backend(request.param, tmp_path)
