"""``make cluster``: PostGIS, N app replicas and nginx in front, all on loopback.

    python -m ops.cluster --replicas 3 --port 8080            # until Ctrl-C
    python -m ops.cluster --replicas 3 --store postgresql://… # an existing PostGIS database

Without ``--store`` a PostgreSQL cluster from Debian's packages is started in ``--dir``
(default ``.cluster/``, kept between runs, so the data stays). Each replica is the normal
app server (``python -m webui.serve``) on its own port with ``SMART_REGION_STORE`` set; nginx
(Debian package) gives Streamlit sessions their replica by cookie and spreads the stateless
phone path over all of them. `Cluster` is also what the load tests in ``bench/`` start.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from ops.pgcluster import Cluster as Postgres
from ops.pgcluster import find_bindir, free_port

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
DATABASE = "smart_region"


def nginx_config(root: Path, port: int, replica_ports: list[int]) -> str:
    """The nginx.conf for `replica_ports` behind 127.0.0.1:`port` (temp files and logs in `root`)."""
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in replica_ports)
    values = {"root": str(root), "port": str(port), "sessions": servers, "stateless": servers}
    text = TEMPLATE.read_text()
    for name, value in values.items():  # @name@ placeholders: nginx's own $variables stay as they are
        text = text.replace(f"@{name}@", value)
    return text


def wait_http(url: str, timeout: float = 90, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if (proc is not None and proc.poll() is not None) or time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer")
        time.sleep(0.3)


class AppCluster:
    """PostGIS (own or given) + replicas + nginx; `start()`, `kill_replica(i)`, `stop()`."""

    def __init__(self, root: Path, replicas: int, port: int, store: str | None = None) -> None:
        self.root, self.count, self.port, self.store = Path(root), replicas, port, store
        self.postgres: Postgres | None = None
        self.replicas: list[subprocess.Popen] = []
        self.replica_ports: list[int] = []
        self.nginx: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, env: dict[str, str] | None = None) -> AppCluster:
        self.root.mkdir(parents=True, exist_ok=True)
        if self.store is None:
            bindir = find_bindir()
            if bindir is None:
                raise SystemExit("no PostgreSQL found: apt-get install postgresql postgresql-15-postgis-3")
            self.postgres = Postgres(self.root / "pg", bindir, durable=True).start()
            if not _database_exists(self.postgres, DATABASE):
                self.postgres.create_database(DATABASE)
            self.store = self.postgres.url(DATABASE)
        from geo.store import open_store

        open_store(self.store).close()  # schema once, before the replicas race for it
        for i in range(self.count):
            self.replica_ports.append(free_port())
            self.replicas.append(self._start_replica(i, env or {}))
        for i, proc in enumerate(self.replicas):
            wait_http(f"http://127.0.0.1:{self.replica_ports[i]}/healthz", proc=proc)
        self._start_nginx()
        return self

    def _start_replica(self, i: int, env: dict[str, str]) -> subprocess.Popen:
        flags = [f"--server.port={self.replica_ports[i]}", "--server.address=127.0.0.1",
                 "--server.headless=true", "--browser.gatherUsageStats=false"]  # fmt: skip
        log = open(self.root / f"replica-{i}.log", "w")  # noqa: SIM115 - lives as long as the replica
        full_env = {**os.environ, "SMART_REGION_STORE": self.store, "PYTHONPATH": str(REPO), **env}
        cmd = [sys.executable, "-m", "webui.serve", *flags]
        return subprocess.Popen(cmd, cwd=REPO, env=full_env, stdout=log, stderr=subprocess.STDOUT)

    def _start_nginx(self) -> None:
        conf = self.root / "nginx.conf"
        conf.write_text(nginx_config(self.root, self.port, self.replica_ports))
        cmd = ["nginx", "-c", str(conf), "-p", str(self.root), "-g", "daemon off;"]
        self.nginx = subprocess.Popen(cmd, stderr=open(self.root / "nginx.out", "w"))  # noqa: SIM115
        wait_http(self.url + "/healthz", timeout=30, proc=self.nginx)

    def kill_replica(self, i: int) -> None:
        """SIGKILL one replica (the failure test): nginx routes around it."""
        self.replicas[i].send_signal(signal.SIGKILL)
        self.replicas[i].wait(30)

    def stop(self) -> None:
        if self.nginx is not None:
            self.nginx.terminate()
            self.nginx.wait(30)
        for proc in self.replicas:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.replicas:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
        if self.postgres is not None:
            self.postgres.stop()


def _database_exists(pg: Postgres, name: str) -> bool:
    import psycopg

    with psycopg.connect(pg.url(), autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m ops.cluster", description=__doc__.splitlines()[0])
    p.add_argument("--replicas", type=int, default=3)
    p.add_argument("--port", type=int, default=8080, help="nginx port on 127.0.0.1")
    p.add_argument("--store", help="an existing postgresql:// store (default: own cluster in --dir)")
    p.add_argument("--dir", type=Path, default=REPO / ".cluster", help="PostgreSQL data, logs, nginx.conf")
    args = p.parse_args(argv)
    cluster = AppCluster(args.dir, args.replicas, args.port, args.store)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})  # for sigwait below
    try:
        cluster.start()
        print(f"{cluster.url}  ({args.replicas} replicas on {cluster.replica_ports}; store {cluster.store})")
        print("Ctrl-C stops everything.", flush=True)
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
