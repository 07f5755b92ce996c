"""Connections to PostgreSQL: one pool per store and process, one transaction per change.

The pool is opened on first use and again after a fork (a pool's worker threads and sockets
do not survive one), so a store handle can be created before `multiprocessing` or a
pre-forking server starts. Every failure to reach the database becomes one readable
`GeoError` naming the server without its password.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from geo.errors import GeoError
from geo.i18n import Msg

POOL_MAX = int(os.environ.get("SMART_REGION_DB_POOL", "8"))  # connections per process
CONNECT_TIMEOUT_S = 10


def redacted(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


class Database:
    """A lazily opened, fork-aware connection pool with transaction helpers."""

    def __init__(self, url: str, search_path: str = "public") -> None:
        self.url = url
        self._kwargs = {
            "row_factory": dict_row,
            "connect_timeout": CONNECT_TIMEOUT_S,
            "options": f"-c search_path={search_path}",
        }
        self._pool: ConnectionPool | None = None
        self._pid = 0
        self._lock = threading.Lock()

    def _current_pool(self) -> ConnectionPool:
        with self._lock:
            if self._pool is None or self._pid != os.getpid():
                pool = ConnectionPool(
                    self.url,
                    min_size=1,
                    max_size=POOL_MAX,
                    kwargs=self._kwargs,
                    open=False,
                    name="smart-region",
                )
                try:  # one plain connection first: a server that is down answers at once, with why
                    psycopg.connect(self.url, **self._kwargs).close()
                    pool.open(wait=True, timeout=CONNECT_TIMEOUT_S)
                except (psycopg.OperationalError, PoolTimeout) as exc:
                    pool.close()
                    raise self.unavailable(exc) from exc
                self._pool, self._pid = pool, os.getpid()
                weakref.finalize(self, pool.close)  # a store handle dropped without close()
            return self._pool

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection]:
        """One transaction: committed on success, rolled back on any error."""
        try:
            with self._current_pool().connection() as conn, conn.transaction():
                yield conn
        except psycopg.OperationalError as exc:
            raise self.unavailable(exc) from exc

    def close(self) -> None:
        with self._lock:
            if self._pool is not None and self._pid == os.getpid():
                self._pool.close()
            self._pool = None

    def unavailable(self, exc: BaseException) -> GeoError:
        error = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        reason = Msg("reason.system_error", error=error)
        return GeoError("err.db_unavailable", detail=repr(exc), location=redacted(self.url), reason=reason)
