"""The time the test suite runs at: never the machine's date.

``SMART_REGION_TEST_NOW`` (ISO 8601) chooses it; `test_time_travel.py` reruns every test
marked ``dated`` at two far-apart instants. The conftest hands it to the app's clock
(``SMART_REGION_NOW``) for this process and every server or CLI the tests start, so the app
starts at that instant and runs on in real time.
"""

from __future__ import annotations

import os
from datetime import datetime

DEFAULT_TEST_NOW = "2026-11-22T18:00:00+01:00"  # a Sunday evening forum in November
TEST_NOW = datetime.fromisoformat(os.environ.get("SMART_REGION_TEST_NOW") or DEFAULT_TEST_NOW)
