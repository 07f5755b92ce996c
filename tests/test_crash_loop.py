"""Crash safety under ≥ 50 SIGKILLs at random moments during import, replace and delete.

Starting Python with geopandas costs about a second, so one helper process (a "zygote",
this file run as a script) loads everything once and forks a fresh writer per round. The
writer loops seeded random operations (import a GeoJSON through `read_upload`, replace,
delete, undelete) and announces each one before and after. It is killed with SIGKILL at a
seeded random time after its ready signal, or (to hit even a 2 ms delete) a random time into
one chosen operation. Then a freshly opened store must hold every layer that was committed
before, with its count and version, plus at most the one operation that was in flight:
complete, or not there at all. About 30 s for 60 kills on two cores.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from geo.store import is_database_url

REPO = Path(__file__).resolve().parents[1]
KILLS = 60
KILLS_POSTGIS = 16  # the same loop on PostGIS, shorter: each round opens a connection pool
# An import on PostGIS (connect, create table, COPY, index, view) takes 2–4 × as long: delays
# scale with it, or under load every kill lands before the first commit.
POSTGIS_SLOWER = 4.0
SEED = 20250601
MAX_DELAY_S = 0.35  # from the ready signal; an import or replace takes 20–150 ms here
# Under load (the whole suite on two cores) a write takes longer: the delay grows to this many
# times the longest of the last ten writes, or every kill lands before the first commit.
SPAN_FACTOR = 2.5
# Three rounds in five aim at one operation: the kill comes up to this long after it starts,
# so even a delete (one short transaction) is hit in flight, not only the long writes.
AIM_S = {"import": 0.08, "replace": 0.08, "delete": 0.002}
SIZES = (400, 1500, 4000)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs fork and SIGKILL")


# --- the writer side (runs in the zygote's forked children) --------------------------------


def _geojson(n: int, seed: int) -> bytes:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from store_worker import points

    return points(n, seed=seed).to_crs(4326).to_json(drop_id=True).encode()


def _say(*parts: object) -> None:
    """One line to the test; a single write() below PIPE_BUF is never torn by the kill."""
    os.write(1, (" ".join(map(str, parts)) + "\n").encode())


def _writer(
    location: str, seed: int, aim: tuple[str, float] | None, layers: dict[str, bool], uploads
) -> None:
    """Run random operations forever; `layers` maps id → deleted.

    With `aim` = (op, delay) the writer kills itself with SIGKILL `delay` seconds into its
    first `op`: a delete takes under 2 ms, too short to be hit from outside reliably.
    """
    from geo.store import open_store

    rng = random.Random(seed)
    store = open_store(location)
    _say("ready")
    while True:
        live = [i for i, deleted in layers.items() if not deleted]
        dead = [i for i, deleted in layers.items() if deleted]
        ops = ["import"] * (len(live) < 6) + ["replace", "replace", "delete"] * bool(live)
        op = rng.choice(ops + ["undelete"] * bool(dead))
        target, n = rng.choice(live or ["-"]) if op in ("replace", "delete") else "-", rng.choice(SIZES)
        if op == "undelete":
            target = rng.choice(dead)
        _say("begin", op, target, n if op in ("import", "replace") else 0)
        if aim and aim[0] == op:
            sys.setswitchinterval(1e-4)  # the timer thread gets the GIL at once
            threading.Timer(aim[1], os.kill, (os.getpid(), signal.SIGKILL)).start()
            aim = None
        info = _operation(store, op, target, uploads[n])
        layers[info.id] = info.deleted
        _say("done", op, info.id, info.version, info.feature_count, int(info.deleted))


def _operation(store, op: str, target: str, upload: bytes):
    from geo.imports.formats import read_upload

    if op == "import":
        layer = read_upload("haltestellen.geojson", upload)[0]
        return store.write(layer.gdf, title="Haltestellen", kind="mobility", source_file="h.geojson")
    if op == "replace":
        return store.replace(target, read_upload("neu.geojson", upload)[0].gdf)
    if op == "delete":
        store.delete(target)
        return store.get(target)
    return store.undelete(target)


def zygote() -> None:
    """Load everything once; per stdin line (a JSON job) fork one writer and reap it."""
    import geo.imports.formats  # noqa: F401 - loaded before forking, so children start at once
    import geo.store.geopackage.backend  # noqa: F401
    import geo.store.postgis.backend  # noqa: F401

    uploads = {n: _geojson(n, seed=n) for n in SIZES}
    _say("zygote")
    for line in sys.stdin:
        job = json.loads(line)
        pid = os.fork()
        if pid == 0:
            try:
                _writer(job["location"], job["seed"], job["aim"], job["layers"], uploads)
            finally:
                os._exit(1)
        _say("child", pid)
        _, status = os.waitpid(pid, 0)
        _say("reaped", status)


# --- the test side ---------------------------------------------------------------------------


@dataclass
class State:
    version: int
    count: int
    deleted: bool


def _snapshot(location: str) -> dict[str, State]:
    from geo.store import open_store

    store = open_store(location)
    return {
        i.id: State(i.version, i.feature_count, i.deleted) for i in store.list_layers(include_deleted=True)
    }


def _round(
    zyg: subprocess.Popen, location: str, rng: random.Random, before: dict[str, State], spans: list[float]
):
    """One writer, killed at a random moment; returns (ops it reported done, the op in flight).
    `spans` collects how long the writes took (begin to done, as this side sees them)."""
    aim = rng.choice([None, None, *AIM_S]) if before else None
    slow = POSTGIS_SLOWER if is_database_url(location) else 1.0
    slow = max(slow, SPAN_FACTOR * max(spans[-10:], default=0) / MAX_DELAY_S)
    job = {
        "location": location,
        "seed": rng.randrange(2**31),
        "aim": (aim, rng.uniform(0, AIM_S[aim] * slow)) if aim else None,
        "layers": {i: s.deleted for i, s in before.items()},
    }
    zyg.stdin.write(json.dumps(job) + "\n")
    zyg.stdin.flush()
    # the zygote's "child" and the writer's "ready" come in either order (two processes)
    pid, ready, killer, done, inflight = None, False, None, [], None
    while (words := _line(zyg))[0] != "reaped":
        if words[0] == "child":
            pid = int(words[1])
        elif words[0] == "ready":
            ready = True
        elif words[0] == "begin":
            inflight, began = words[1:], time.monotonic()
        elif words[0] == "done":
            done.append(words[1:])
            if words[1] in ("import", "replace"):
                spans.append(time.monotonic() - began)
            inflight = None
        else:
            pytest.fail(f"unexpected line {words}: {_log(zyg)}")
        if killer is None and pid and ready and (before or done):  # an empty store: one import first
            # aimed rounds kill themselves; the timer only guards against a writer that never gets there
            delay = rng.uniform(0, MAX_DELAY_S * slow) if aim is None else 20
            killer = threading.Timer(delay, os.kill, (pid, signal.SIGKILL))
            killer.start()
    assert killer is not None, f"writer reaped before it was ready: {_log(zyg)}"
    killer.cancel()
    assert os.WTERMSIG(int(words[1])) == signal.SIGKILL, f"writer ended otherwise: {_log(zyg)}"
    return done, inflight


def _line(zyg: subprocess.Popen) -> list[str]:
    line = zyg.stdout.readline()
    if not line:
        pytest.fail(f"zygote died: {_log(zyg)}")
    return line.split()


def _log(zyg: subprocess.Popen) -> str:
    """The end of the zygote's and writers' stderr (a file: a full pipe would block them)."""
    return zyg.log_path.read_text(errors="replace")[-3000:]


def _expect(zyg: subprocess.Popen, word: str) -> list[str]:
    words = _line(zyg)
    assert words[0] == word, words
    return words


def _apply(model: dict[str, State], done: list[list[str]]) -> None:
    for _op, layer_id, version, count, deleted in done:
        model[layer_id] = State(int(version), int(count), bool(int(deleted)))


def _after_inflight(model: dict[str, State], inflight: list[str], layer_id: str) -> State | None:
    """The state `layer_id` has if the in-flight operation did commit."""
    op, target, n = inflight
    old = model.get(layer_id)
    if op == "import" and old is None:
        return State(1, int(n), False)
    if target != layer_id or old is None:
        return None
    if op == "replace":
        return State(old.version + 1, int(n), False)
    return State(old.version, old.count, op == "delete")


def _verify(location: str, model: dict[str, State], inflight: list[str] | None) -> dict[str, State]:
    """Everything committed is intact; the in-flight op is all there or not at all."""
    from geo.store import open_store

    fresh = _snapshot(location)
    if not is_database_url(location):  # PostgreSQL's own transactions need no file check
        with sqlite3.connect(Path(location) / "catalog.sqlite") as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    extra = set(fresh) - set(model)
    assert len(extra) <= (1 if inflight and inflight[0] == "import" else 0), extra
    store = open_store(location)
    for layer_id, now in fresh.items():
        allowed = [model.get(layer_id), _after_inflight(model, inflight, layer_id) if inflight else None]
        assert now in allowed, (layer_id, now, allowed, inflight)
        if not now.deleted:
            assert len(store.read(layer_id)) == now.count, layer_id
        old = model.get(layer_id)
        if old is not None and old.version != now.version:
            assert len(store.read(layer_id, old.version)) == old.count  # earlier versions stay
    return fresh


def test_sigkill_during_import_replace_delete_never_loses_committed_layers(store, tmp_path):
    location = store.location
    kills = KILLS_POSTGIS if is_database_url(location) else KILLS
    stderr = open(tmp_path / "writers.log", "w+")  # noqa: SIM115 - closed in the finally below
    zyg = subprocess.Popen(
        [sys.executable, __file__, "zygote"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        cwd=REPO,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        },
    )
    zyg.log_path = tmp_path / "writers.log"
    rng = random.Random(SEED)
    model: dict[str, State] = {}
    ops = {"import": 0, "replace": 0, "delete": 0, "undelete": 0}
    killed_in = dict(ops)
    spans: list[float] = []
    try:
        _expect(zyg, "zygote")
        for _ in range(kills):
            done, inflight = _round(zyg, location, rng, model, spans)
            for entry in done:
                ops[entry[0]] += 1
            if inflight:
                killed_in[inflight[0]] += 1
            _apply(model, done)
            model = _verify(location, model, inflight)
    finally:
        zyg.stdin.close()
        zyg.wait(timeout=30)
        stderr.close()
    print(f"committed: {ops}; killed during: {killed_in}; longest write {max(spans, default=0):.2f} s")
    assert all(killed_in[op] >= kills // 20 for op in ("import", "replace", "delete")), killed_in
    assert ops["delete"] >= kills // 20 and ops["replace"] >= kills // 6, ops


if __name__ == "__main__" and sys.argv[1:] == ["zygote"]:
    zygote()
