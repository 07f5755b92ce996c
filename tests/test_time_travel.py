"""Every test that depends on the date passes at two far-apart instants, not only today.

The suite normally runs at `fake_time.DEFAULT_TEST_NOW`; here the tests marked ``dated``
run again in a fresh pytest process at a leap day in the past and a summer night a decade
ahead (``SMART_REGION_TEST_NOW``), servers and CLI calls included.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("when", ["2024-02-29T09:15:00+01:00", "2034-07-15T23:30:00+02:00"])
def test_dated_tests_pass_at(when):
    if os.environ.get("SMART_REGION_TEST_NOW"):
        pytest.skip("already inside a time-travel run")
    env = {**os.environ, "SMART_REGION_TEST_NOW": when}
    env.pop("SMART_REGION_NOW", None)  # the inner conftest sets it from SMART_REGION_TEST_NOW
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-m", "dated", "-p", "no:cacheprovider", "-x", "tests"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " passed" in run.stdout and "no tests ran" not in run.stdout
