"""Crash safety: a writer killed with SIGKILL at a random moment never breaks the store.

A subprocess writes and replaces a 200,000-point layer in a loop; it is killed after a
seeded random delay, several times. After each kill a freshly opened store must still
read every earlier layer unchanged, and every layer it lists must be readable.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_worker import points

from geo.store import open_store

WORKER = Path(__file__).resolve().parent / "store_worker.py"
REPO = Path(__file__).resolve().parents[1]
BIG = 200_000
ROUNDS = 3  # test_crash_loop kills 76 writers more; these three hit one 200,000-point write

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")


def _start_writer(location: str) -> subprocess.Popen:
    """The looping writer, once it has built its data and is about to write."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    proc = subprocess.Popen(
        [sys.executable, str(WORKER), location, str(BIG)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    line = proc.stdout.readline()
    if line.strip() != "ready":
        proc.kill()
        pytest.fail(f"writer did not start: {line!r} {proc.stderr.read()[-2000:]}")
    return proc


def _kill(proc: subprocess.Popen) -> int:
    """SIGKILL the writer; returns how many commits it reported."""
    os.kill(proc.pid, signal.SIGKILL)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return out.count("committed")


def test_killed_writer_never_breaks_the_store(store):
    location = store.location
    first = store.write(points(50, seed=1), title="Gemeinden", kind="municipalities")
    second = store.write(points(20, seed=2), title="Bahnhöfe", kind="mobility")
    second = store.replace(second.id, points(30, seed=3))
    before = {first.id: (1, 50), second.id: (2, 30)}

    rng = random.Random(20240531)
    commits = 0
    for round_no in range(ROUNDS):
        proc = _start_writer(location)
        if round_no % 2:  # every other round is killed after a commit, however slow the machine
            assert proc.stdout.readline().startswith("committed")
            commits += 1
        time.sleep(rng.uniform(0.05, 1.5))
        commits += _kill(proc)

        fresh = open_store(location)
        for layer_id, (version, count) in before.items():
            info = fresh.get(layer_id)
            assert (info.version, info.feature_count) == (version, count)
            assert len(fresh.read(layer_id)) == count
        for info in fresh.list_layers():
            assert len(fresh.read(info.id)) == info.feature_count, info.id
    assert commits > 0, "the writer never committed: the kills did not hit real work"
