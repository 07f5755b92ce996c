"""Every test that depends on the date passes at two far-apart instants, not only one.

The suite runs at `fake_time.DEFAULT_TEST_NOW` (a November evening, winter time); here the
tests marked ``dated`` run again in a fresh pytest process at a summer night eight years
later, minutes before midnight and a month's end (``SMART_REGION_TEST_NOW``), servers and
CLI calls included. The rerun is cut in two like `make test`: the dated tests without a
browser rerun beside the other tests without one, the dated browser tests in the browser
lane. Browser modules whose date-dependent code the tests without a browser already rerun
here are left out (`SAME_CODE_WITHOUT_BROWSER`): the browser adds minutes, not dates.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FAR_AWAY = "2034-06-30T23:40:00+02:00"
# browser module -> what reruns its date-dependent code without a browser
SAME_CODE_WITHOUT_BROWSER = {
    # every widget for minutes; what it meets of the date: the pages of the tests below
    "test_browser_controls.py": "test_pages.py, test_pages_analysis.py, test_participation_pages.py",
    # "today" as the analysis date and the map's first day of the date filter
    "test_browser_analysis.py": "test_pages_analysis.py",
    "test_browser_explorer.py": "test_pages.py, test_i18n_pages.py",
    # an open round through two replicas: the round rules are the store's and the phone's
    "test_browser_cluster.py": "test_store_rounds.py, test_browser_phone.py",
}


def rerun_far_away(marks: str, basetemp: Path) -> None:
    if os.environ.get("SMART_REGION_TEST_NOW"):
        pytest.skip("already inside a time-travel run")
    env = {**os.environ, "SMART_REGION_TEST_NOW": FAR_AWAY}
    env.pop("SMART_REGION_NOW", None)  # the inner conftest sets it from SMART_REGION_TEST_NOW
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-m", marks, "-p", "no:cacheprovider", "-x", "tests"]
        + ["--basetemp", str(basetemp)]
        + [f"--ignore=tests/{module}" for module in SAME_CODE_WITHOUT_BROWSER],
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


def test_what_stands_in_for_a_left_out_module_is_rerun():
    for module, stand_ins in SAME_CODE_WITHOUT_BROWSER.items():
        assert (REPO / "tests" / module).exists(), module
        for name in stand_ins.split(", "):
            assert "pytest.mark.dated" in (REPO / "tests" / name).read_text(encoding="utf-8"), name
