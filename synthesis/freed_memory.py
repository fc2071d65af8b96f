"""Memory a large step has freed, handed back to the operating system before its next stage.

CPython returns a freed object's memory to the C library's allocator, and glibc keeps freed
heap as its own unless it lies at the top of the heap: a question of a quarter of a million
answers frees the answer texts and the corpus's per-chunk lists (some 170 MB) in the middle of
its heap, and the themes' passage × theme arrays would then come on top of them. glibc's
`malloc_trim` gives back every whole free page, wherever it lies, in a few milliseconds; other
C libraries (musl, macOS) have none, and there this does nothing.

Between tasks a worker also empties the caches that grow with every distinct word it has read
(`word_cache`: lemmas, language guesses, bokmål forms of nynorsk words), which otherwise grow
with every run the process executes: after one question step of a quarter of a million answers
they held 33 MB (a trimmed process: 729 MB, 696 MB with them emptied). simplemma's dictionaries
are loaded once and stay.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
_WORD_CACHE_CLEARS: list[Callable[[], None]] = []


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, where the C library has one."""
    name = ctypes.util.find_library("c")
    return getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None


MALLOC_TRIM = _malloc_trim()


def word_cache(function: Callable[..., T]) -> functools._lru_cache_wrapper[T]:
    """`functools.cache` for what grows with the words a process reads, emptied between tasks
    (`release_freed_memory(between_tasks=True)`)."""
    cached = functools.cache(function)
    _WORD_CACHE_CLEARS.append(cached.cache_clear)
    return cached


def release_freed_memory(*, between_tasks: bool = False) -> None:
    """Give the freed heap back. `between_tasks` first empties the word caches and makes a
    full garbage collection (what only cycles hold), which walks every object and so belongs
    between tasks, not inside one."""
    if between_tasks:
        for clear in _WORD_CACHE_CLEARS:
            clear()
        gc.collect()
    if MALLOC_TRIM is not None:
        MALLOC_TRIM(0)
