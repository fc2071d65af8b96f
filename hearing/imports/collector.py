"""Pause Python's cycle collector while an import builds its rows.

Reading, checking and loading a 100,000-row file creates about a million small containers
(rows, tuples, answers) that all stay alive until the import ends and never form cycles. The
cycle collector does not know that: its full passes grow with the heap and go over all of them
again and again, which cost a third of the import's CPU time (measured with
`bench/bench_import.py`). Reference counting still frees everything that is not in a cycle, so
pausing the collector for the length of an import changes nothing but the time.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Disable the collector inside the block; re-enable it only if this block disabled it, so
    nested or concurrent imports never leave it off."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
