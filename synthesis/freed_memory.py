"""Memory a large step has freed, handed back to the operating system before its next stage.

CPython returns a freed object's memory to the C library's allocator, and glibc keeps freed
heap as its own unless it lies at the top of the heap: a question of a quarter of a million
answers frees the answer texts and the corpus's per-chunk lists (some 170 MB) in the middle of
its heap, and the themes' passage × theme arrays would then come on top of them. glibc's
`malloc_trim` gives back every whole free page, wherever it lies, in a few milliseconds; other
C libraries (musl, macOS) have none, and there this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, where the C library has one."""
    name = ctypes.util.find_library("c")
    return getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None


MALLOC_TRIM = _malloc_trim()


def release_freed_memory(*, collect_garbage: bool = False) -> None:
    """Give the freed heap back; with `collect_garbage`, after a full collection (what only
    cycles hold), which walks every object and so belongs between tasks, not inside one."""
    if collect_garbage:
        gc.collect()
    if MALLOC_TRIM is not None:
        MALLOC_TRIM(0)
