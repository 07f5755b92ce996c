"""``--share K/N``: run the K-th of N even shares of the selected tests, so `make test` can run
the browser tests in two processes beside the tests without a browser.

Tests that share a module-scoped server stay together: a share is made of whole modules,
except the every-control test, whose two languages start their own servers anyway. Shares
are cut greedily by the seconds a CI run measured (``--durations``); a test not listed
counts `OTHER_S`. A new module is placed automatically: nothing can fall between shares.
"""

from __future__ import annotations

SECONDS = {  # measured in CI runs on this 2-core machine (the browser lane's longest)
    "tests/test_browser_controls.py::test_every_control_on_every_page[de]": 370,
    "tests/test_browser_controls.py::test_every_control_on_every_page[en]": 350,
    "tests/test_time_travel.py": 200,
    "tests/test_browser_a11y.py": 110,
    "tests/test_browser_participation.py": 75,
    "tests/test_browser_upload.py": 80,
    "tests/test_browser_security.py": 90,
    "tests/test_ogc_service.py": 60,
    "tests/test_browser_cluster.py": 60,
}
OTHER_S = 12
SPLIT_BY_TEST = ("tests/test_browser_controls.py",)


def group_of(nodeid: str) -> str:
    module = nodeid.split("::")[0]
    return nodeid if module in SPLIT_BY_TEST else module


def shares(nodeids: list[str], count: int) -> list[list[str]]:
    """The node ids cut into `count` shares of about equal measured seconds (stable order)."""
    groups: dict[str, list[str]] = {}
    for nodeid in nodeids:
        groups.setdefault(group_of(nodeid), []).append(nodeid)

    def weight(group: str) -> float:
        return SECONDS.get(group, OTHER_S * len(groups[group]))

    loads, out = [0.0] * count, [[] for _ in range(count)]
    for group in sorted(groups, key=lambda g: (-weight(g), g)):
        k = loads.index(min(loads))
        loads[k] += weight(group)
        out[k] += groups[group]
    order = {nodeid: i for i, nodeid in enumerate(nodeids)}
    return [sorted(share, key=order.__getitem__) for share in out]


def parse(option: str) -> tuple[int, int]:
    k, n = (int(x) for x in option.split("/"))
    if not 1 <= k <= n:
        raise ValueError(f"--share {option}: K/N with 1 ≤ K ≤ N")
    return k, n
