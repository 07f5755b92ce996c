"""Process-wide caches of shared data, out of every client's reach.

Streamlit's ``st.cache_data`` / ``st.cache_resource`` are emptied for all users whenever any
browser sends the ``clear_cache`` websocket message (no sign-in needed): one viewer could make
every map page slow again, as often as they liked. Shared data (layer frames, downloads,
analysis results) is therefore cached here, in plain LRU maps that only the app itself
changes. Keys are the function's arguments (parameters named ``_…`` are left out, as with
Streamlit), so callers key by layer id and version; values are shared, not copied: treat
them as read-only.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class SharedCache:
    """A thread-safe LRU map; each missing value is computed once even when many sessions
    ask for it at the same moment (the others wait for that one computation)."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._values: OrderedDict[Hashable, object] = OrderedDict()
        self._pending: dict[Hashable, threading.Event] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        while True:
            with self._lock:
                if key in self._values:
                    self._values.move_to_end(key)
                    return self._values[key]  # type: ignore[return-value]
                waiting = self._pending.get(key)
                if waiting is None:
                    self._pending[key] = threading.Event()
            if waiting is None:
                break
            waiting.wait()  # computed by another session meanwhile (or it failed: then try here)
        try:
            value = compute()
            with self._lock:
                self._values[key] = value
                while len(self._values) > self.max_entries:
                    self._values.popitem(last=False)
            return value
        finally:
            with self._lock:
                self._pending.pop(key).set()

    def __len__(self) -> int:
        return len(self._values)


def shared(max_entries: int = 64) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Decorator: cache a function's results in a `SharedCache`, keyed by its arguments except
    those whose parameter name starts with ``_`` (unhashable companions of the key)."""

    def decorate(func: Callable[..., T]) -> Callable[..., T]:
        signature = inspect.signature(func)
        cache = SharedCache(max_entries)

        @functools.wraps(func)
        def wrapper(*args, **kwargs) -> T:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            key = tuple((name, value) for name, value in bound.arguments.items() if not name.startswith("_"))
            return cache.get(key, lambda: func(*args, **kwargs))

        wrapper.cache = cache  # type: ignore[attr-defined]
        return wrapper

    return decorate
