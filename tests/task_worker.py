"""`hearing worker` (one process, one thread) for the Redis task queue tests.

With `--hang-in-themes`, every run this worker executes stops at its themes stage and waits
there until the worker is killed, so a test can kill it mid-run. The patch is made before the
Dramatiq CLI forks its worker process, which inherits it; the worker is otherwise the real one.
"""

from __future__ import annotations

import sys
import time

from hearing.cli import main
from synthesis.pipeline import SynthesisPipeline


def _hang(*args: object, **kwargs: object) -> None:
    while True:
        time.sleep(1)


if __name__ == "__main__":
    if "--hang-in-themes" in sys.argv[1:]:
        SynthesisPipeline._themes = _hang  # type: ignore[method-assign]
    sys.argv = ["hearing", "worker", "--processes", "1", "--threads", "1"]
    main()
