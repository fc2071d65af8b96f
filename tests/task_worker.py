"""`hearing worker` (one process, one thread) for the Redis task queue tests.

With `--hang-in-themes`, every run this worker executes stops at its themes stage and waits
there until the worker is killed, so a test can kill it mid-run. With `--meet-in-themes DIR`,
a question's themes wait until another question's themes have started too (each leaves a file
named after its process and question in DIR), so a run finishes only if two workers execute
its questions at the same time. The patch is made before the Dramatiq CLI forks its worker
process, which inherits it; the worker is otherwise the real one.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from hearing.cli import main
from synthesis.pipeline import SynthesisPipeline

MEETING_SECONDS = 120  # a bound against hanging: the other question comes as soon as it can


def _hang(*args: object, **kwargs: object) -> None:
    while True:
        time.sleep(1)


def _meeting_in(directory: Path) -> Any:
    original = SynthesisPipeline._themes

    def meet(self: SynthesisPipeline, given: Any, *args: Any, **kwargs: Any) -> Any:
        (directory / f"{os.getpid()}-{given.question_code}").touch()
        deadline = time.monotonic() + MEETING_SECONDS
        while len(list(directory.iterdir())) < 2:
            if time.monotonic() > deadline:
                raise TimeoutError("no other question's themes started meanwhile")
            time.sleep(0.1)
        return original(self, given, *args, **kwargs)

    return meet


if __name__ == "__main__":
    flags = sys.argv[1:]
    if "--hang-in-themes" in flags:
        SynthesisPipeline._themes = _hang  # type: ignore[method-assign]
    if "--meet-in-themes" in flags:
        meeting = Path(flags[flags.index("--meet-in-themes") + 1])
        SynthesisPipeline._themes = _meeting_in(meeting)  # type: ignore[method-assign]
    sys.argv = ["hearing", "worker", "--processes", "1", "--threads", "1"]
    main()
