"""A throw-away PostgreSQL cluster from Debian's packages: its own folder, a free loopback port.

Used by the test suite (one cluster per session) and by ``make cluster``. The server runs as
an unprivileged user: the current one, or ``postgres`` (via ``runuser``) when started as root,
since PostgreSQL refuses to run as root. Connections are trusted on 127.0.0.1 only; nothing
listens elsewhere. The Debian system cluster is never touched.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
from pathlib import Path

import psycopg

SEARCH = ("/usr/lib/postgresql/*/bin",)


def find_bindir() -> Path | None:
    """The newest installed PostgreSQL's binaries (``initdb``, ``pg_ctl``), or None."""
    found = [p for pattern in SEARCH for p in Path("/").glob(pattern.lstrip("/")) if (p / "initdb").exists()]
    if not found and shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
        found = [Path(out)] if out and (Path(out) / "initdb").exists() else []
    return max(found, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0) if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """initdb + pg_ctl in `root`; `url(db)` connects as the superuser ``postgres``."""

    def __init__(self, root: Path, bindir: Path, port: int | None = None, durable: bool = False) -> None:
        self.root, self.bindir = Path(root), bindir
        self.port = port or free_port()
        self.durable = durable  # tests trade crash safety of the server itself for speed
        self.data = self.root / "data"

    def _run(self, *args: str) -> None:
        prefix: list[str] = []
        if os.geteuid() == 0:
            prefix = ["runuser", "-u", "postgres", "--"]
        result = subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120)
        if result.returncode:
            raise RuntimeError(f"{args[0]} failed: {result.stdout[-1500:]} {result.stderr[-1500:]}")

    def start(self) -> Cluster:
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
        if not (self.data / "PG_VERSION").exists():
            self._run(
                str(self.bindir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            )
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=200"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        log = self.root / "server.log"
        self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(log), "-o", options, "-w", "start"
        )
        return self

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, statement: str) -> None:
        """One statement outside a transaction (CREATE/DROP DATABASE)."""
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(statement)

    def create_database(self, name: str, template: str | None = None) -> str:
        """A new database (a fast file copy of `template` if given); returns its URL."""
        clause = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
        self.execute(f'CREATE DATABASE "{name}"{clause}')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
