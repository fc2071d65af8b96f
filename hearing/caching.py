"""Small per-process caches for what every public request would otherwise rebuild.

Each cache belongs to one app (tests run many apps on different databases) and is keyed by
something that changes whenever the cached value would: typically a consultation's id and its
`updated_at` (see hearing.models.consultation). Nothing is invalidated by hand, so several worker
processes never need to tell each other anything.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from flask import current_app

Value = TypeVar("Value")


class BoundedCache(Generic[Value]):
    """A small least-recently-used map, shared by the threads of one worker process.

    Bounded because some keys come from requests (a page per query string): a flood of distinct
    URLs must not grow memory.
    """

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._items: OrderedDict[Hashable, Value] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], Value]) -> Value:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()  # outside the lock: two threads may both build it; both results are equal
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)
        return value


def app_cache(name: str, capacity: int) -> BoundedCache[Value]:
    """A cache that belongs to the current app (tests run many apps on different databases)."""
    extensions = current_app.extensions
    if name not in extensions:
        extensions[name] = BoundedCache(capacity)
    cache: BoundedCache[Value] = extensions[name]
    return cache
