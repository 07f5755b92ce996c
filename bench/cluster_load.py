"""Load test of the scaled-out app: PostGIS, N replicas behind nginx, viewers and phones at once.

For each replica count in ``--replicas`` (e.g. ``1,2,3``) a fresh cluster (`ops.cluster`: own
PostgreSQL, N × ``webui.serve``, nginx on loopback) gets the demo layers and an open round.
Then, through nginx:
  1. ``--viewers`` Streamlit sessions (websocket clients, the protocol the browser speaks) run
     the map page at once and stay connected;
  2. ``--phones`` phones (locust, ``bench/locust_phones.py``) each load the phone page, send one
     idea and give one "+1", all started within a few seconds; with ``--kill-after S`` one
     replica is SIGKILLed S seconds in;
  3. every viewer session still connected runs the map page again (sessions on the other
     replicas must be unaffected; those on the killed one are counted as dropped);
  4. the store is checked: ideas stored = phones, no request id twice, "+1" = phones.
Reports p50/p95 of viewer readiness and of send latency as the phone sees it (retries
included), requests per second, and the counts. Loopback only; every loop is bounded.

    .venv/bin/python bench/cluster_load.py --replicas 3 --viewers 60 --phones 300 --kill-after 8
    .venv/bin/python bench/cluster_load.py --replicas 1,2,3 --viewers 0 --phones 300
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "bench")]

from load_sessions import percentile, run_map_script, session_url  # noqa: E402

from ops.cluster import AppCluster  # noqa: E402
from ops.pgcluster import free_port  # noqa: E402


def seed(store_url: str, phones: int) -> str:
    """Demo layers and an open round big enough for every phone; returns the round id."""
    from geo import clock
    from geo.demo import build_demo
    from geo.participation.rounds import new_round
    from geo.store import open_store

    store = open_store(store_url)
    build_demo(store, today=clock.today())
    now = clock.now()
    period = (now - timedelta(minutes=5), now + timedelta(hours=2))
    cats, bbox = ("Coworking", "Mobilität"), (11.3, 51.6, 12.1, 52.1)
    rnd = new_round("Wo fehlt ein Coworking-Space?", cats, bbox, *period, cap=max(1000, phones * 2))
    return store.create_round(rnd).id


class Viewers:
    """`n` Streamlit sessions held open: ready times, then a second run after the phones."""

    def __init__(self, url: str, n: int, timeout: float) -> None:
        self.url, self.n, self.timeout = url, n, timeout
        self.first: list[float | None] = []
        self.second: list[float | None] = []
        self.dropped = 0
        self.again = asyncio.Event()

    async def one(self) -> None:
        import websockets

        start = time.perf_counter()
        try:
            async with websockets.connect(
                session_url(self.url), subprotocols=["streamlit"], max_size=None
            ) as ws:
                await asyncio.wait_for(run_map_script(ws), self.timeout)
                self.first.append(time.perf_counter() - start)
                await self.again.wait()
                start = time.perf_counter()
                await asyncio.wait_for(run_map_script(ws), self.timeout)
                self.second.append(time.perf_counter() - start)
        except websockets.ConnectionClosed:
            self.dropped += 1  # its replica was killed; a browser reconnects to another one
        except TimeoutError:
            (self.second if self.again.is_set() else self.first).append(None)


async def phones(url: str, round_id: str, n: int, out: Path, kill) -> dict:
    """Run locust headless with `n` phones; call `kill()` meanwhile if given. Returns its stats."""
    env = {**os.environ, "PHONES_ROUND": round_id, "PHONES_OUT": str(out), "PHONES_COUNT": str(n)}
    cmd = [sys.executable, "-m", "locust", "-f", str(REPO / "bench" / "locust_phones.py"), "--headless",
           "-u", str(n), "-r", str(max(1, n // 5)), "--run-time", "120s", "--host", url,
           "--csv", str(out.with_suffix("")), "--only-summary", "--stop-timeout", "5"]  # fmt: skip
    start = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        *cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    if kill is not None:
        asyncio.get_running_loop().call_later(kill[0], kill[1])
    _, err = await proc.communicate()
    elapsed = time.perf_counter() - start
    if not out.exists():
        raise RuntimeError(f"locust failed: {err.decode()[-2000:]}")
    stats = out.with_suffix("").with_name(out.stem + "_stats.csv").read_text().splitlines()
    total = next(line for line in stats if ",Aggregated," in line).split(",")
    return {
        "elapsed_s": elapsed,
        "requests": int(total[2]),
        "rps": float(total[9]),
        "results": json.loads(out.read_text()),
    }


def check_store(store_url: str, round_id: str, results: list[dict]) -> dict:
    from geo.store import open_store

    store = open_store(store_url)
    items = store.list_contributions(round_id, include_hidden=True)
    texts = [c.text for c in items]
    return {"stored": len(items), "duplicates": len(texts) - len(set(texts)),
            "supports": sum(c.support for c in items),
            "sent_ok": sum(r["idea_status"] == 201 for r in results),
            "plus_ok": sum(r["plus_status"] == 200 for r in results),
            "retried": sum(r["idea_attempts"] > 1 or r["plus_attempts"] > 1 for r in results)}  # fmt: skip


async def run_one(replicas: int, args: argparse.Namespace, tmp: Path) -> dict:
    cluster = AppCluster(tmp / f"cluster-{replicas}", replicas, free_port()).start()
    try:
        round_id = seed(cluster.store, args.phones)
        viewers = Viewers(cluster.url, args.viewers, args.timeout)
        tasks = [asyncio.create_task(viewers.one()) for _ in range(args.viewers)]
        while len(viewers.first) + viewers.dropped < args.viewers:
            await asyncio.sleep(0.2)
        kill = (args.kill_after, lambda: cluster.kill_replica(0)) if args.kill_after else None
        phone = await phones(cluster.url, round_id, args.phones, tmp / f"phones-{replicas}.json", kill)
        viewers.again.set()
        await asyncio.gather(*tasks)
        counts = check_store(cluster.store, round_id, phone["results"])
    finally:
        cluster.stop()
    sends = [r["idea_s"] for r in phone["results"]]
    pluses = [r["plus_s"] for r in phone["results"]]
    ready = [t for t in viewers.first if t is not None]
    again = [t for t in viewers.second if t is not None]
    return {
        "replicas": replicas, "phones": args.phones, "viewers": args.viewers,
        "killed_replica": bool(args.kill_after), **counts,
        "lost": args.phones - counts["stored"],
        "send_p50_s": round(percentile(sends, 0.5), 3), "send_p95_s": round(percentile(sends, 0.95), 3),
        "plus_p95_s": round(percentile(pluses, 0.95), 3),
        "phones_elapsed_s": round(phone["elapsed_s"], 1), "http_rps": round(phone["rps"], 1),
        "http_requests": phone["requests"],
        "viewers_ready": len(ready), "viewer_p95_s": round(percentile(ready, 0.95), 2) if ready else None,
        "viewers_rerun_ok": len(again), "viewers_dropped": viewers.dropped,
        "viewer_rerun_p95_s": round(percentile(again, 0.95), 2) if again else None,
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--replicas", default="3", help="comma-separated replica counts, e.g. 1,2,3")
    p.add_argument("--viewers", type=int, default=60)
    p.add_argument("--phones", type=int, default=300)
    p.add_argument(
        "--kill-after", type=float, default=0, help="SIGKILL replica 0 this many seconds into the phones"
    )
    p.add_argument("--timeout", type=float, default=180, help="per viewer page run, seconds")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cluster-bench-") as tmp:
        os.chmod(tmp, 0o755)  # PostgreSQL runs as its own user (`ops.pgcluster`) and must reach its folder
        for n in (int(x) for x in args.replicas.split(",")):
            print(json.dumps(asyncio.run(run_one(n, args, Path(tmp)))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
