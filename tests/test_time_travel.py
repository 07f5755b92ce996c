"""Every test that depends on the date passes at two far-apart instants, not only one.

The suite runs at `fake_time.DEFAULT_TEST_NOW` (a November evening, winter time); here the
tests marked ``dated`` run again in a fresh pytest process at a summer night eight years
later, minutes before midnight and a month's end (``SMART_REGION_TEST_NOW``), servers and
CLI calls included. The rerun is cut in two like `make test`: the dated tests without a
browser rerun beside the other tests without one, the dated browser tests in the browser
lane. The every-control test is left out here: it operates every widget for minutes, and
what it meets of the date (an open round, upcoming events) the other dated tests cover.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FAR_AWAY = "2034-06-30T23:40:00+02:00"


def rerun_far_away(marks: str, basetemp: Path) -> None:
    if os.environ.get("SMART_REGION_TEST_NOW"):
        pytest.skip("already inside a time-travel run")
    env = {**os.environ, "SMART_REGION_TEST_NOW": FAR_AWAY}
    env.pop("SMART_REGION_NOW", None)  # the inner conftest sets it from SMART_REGION_TEST_NOW
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-m", marks, "-p", "no:cacheprovider", "-x", "tests"]
        + ["--basetemp", str(basetemp)]
        + ["--ignore", "tests/test_browser_controls.py"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=1150,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " passed" in run.stdout and "no tests ran" not in run.stdout


@pytest.mark.timeout(1200)
def test_dated_tests_without_a_browser_pass_eight_years_later(tmp_path):
    rerun_far_away("dated and not browser", tmp_path / "far-away")


@pytest.mark.browser  # it starts Chromium: it runs in the browser lane of `make test`
@pytest.mark.timeout(1200)
def test_dated_browser_tests_pass_eight_years_later(tmp_path):
    rerun_far_away("dated and browser", tmp_path / "far-away")
