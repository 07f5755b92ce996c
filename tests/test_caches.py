"""`webui.caches`: shared values computed once, even under concurrent sessions; bounded."""

from __future__ import annotations

import threading
import time

import pytest

from webui.caches import SharedCache, shared


def test_shared_cache_computes_each_key_once_under_concurrent_callers():
    cache, calls, started = SharedCache(4), [], threading.Barrier(8)

    def compute():
        calls.append(1)
        time.sleep(0.2)  # a slow build: the other callers arrive while it runs
        return object()

    results = []

    def worker():
        started.wait()
        results.append(cache.get(("layer", 1), compute))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len({id(r) for r in results}) == 1


def test_shared_cache_drops_least_recently_used_and_retries_after_failure():
    cache = SharedCache(2)
    cache.get("a", lambda: 1)
    cache.get("b", lambda: 2)
    cache.get("a", lambda: 0)  # a is used again: b is the oldest now
    cache.get("c", lambda: 3)
    assert cache.get("a", lambda: -1) == 1 and cache.get("b", lambda: 20) == 20

    def broken():
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        cache.get("d", broken)
    assert cache.get("d", lambda: 4) == 4


def test_shared_decorator_keys_by_arguments_except_underscored():
    calls = []

    @shared(max_entries=8)
    def frame(layer_id: str, version: int, _info: object) -> tuple:
        calls.append((layer_id, version))
        return (layer_id, version)

    assert frame("a", 1, object()) == frame("a", 1, object()) == ("a", 1)
    assert frame("a", 2, [1]) == ("a", 2)  # unhashable companions are fine
    assert calls == [("a", 1), ("a", 2)]
