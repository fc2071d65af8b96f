"""A run's steps on the task queue, counted in rows: the positions, each question, the finish.

After its first step (`prepare`, on the run's own row) a run fans out into tasks that any
worker on any host may execute at the same time (the positions of every respondent, and one
per question), and a finishing task that must wait for all of them. Who sends the finishing
task is decided here by a counter in the database rather than by the queue engine: each step
is a `SynthesisRunStep` row, and the task that marks the last of them done also moves the
finishing step from "waiting" to "queued" in one conditional UPDATE, which only one task can
win. Dramatiq's group callbacks would do the same
with a results backend in Redis; the rows also work for the embedded queue and the inline
executor, survive a restarted Redis, and give the page each step's progress and timings.

A step is claimed like a run (`run_execution.claim`): a queued step starts its first attempt;
a running one was delivered again because its worker died, and starts once more while it has
attempts left. Statements only; the executing step commits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, func, insert, or_, select, update
from sqlalchemy.orm import aliased

from hearing.extensions import db
from hearing.models import RunStatus, StepStatus, SynthesisRun, SynthesisRunStep

FINISH = "finish"
POSITIONS = "positions"
QUESTION_PREFIX = "question:"
MAX_STEP_ATTEMPTS = 2  # the first start, and one more after its worker died


def question_step(code: str) -> str:
    return f"{QUESTION_PREFIX}{code}"


def question_of(step: str) -> str:
    """The question code of a question's step."""
    return step.removeprefix(QUESTION_PREFIX)


def plan(run_id: int, steps: tuple[str, ...]) -> None:
    """The run's steps: those that may run in parallel queued, the finish waiting for them."""
    rows: list[dict[str, Any]] = [
        {"run_id": run_id, "step": step, "status": StepStatus.QUEUED} for step in steps
    ]
    rows.append({"run_id": run_id, "step": FINISH, "status": StepStatus.WAITING})
    db.session.execute(insert(SynthesisRunStep), [{**row, "timings": {}} for row in rows])


def planned(run_id: int) -> bool:
    """Whether the run's first step is done (it plans the others)."""
    found = select(SynthesisRunStep.id).where(SynthesisRunStep.run_id == run_id).limit(1)
    return db.session.scalar(found) is not None


def claim(run_id: int, run_attempt: int, step: str) -> int | None:
    """Start an attempt at a step of the run's attempt `run_attempt`; its number, or None when
    there is none to make (done, lost twice, or the run is no longer that attempt's)."""
    running = exists().where(
        SynthesisRun.id == run_id,
        SynthesisRun.status == RunStatus.RUNNING,
        SynthesisRun.attempts == run_attempt,
    )
    return db.session.scalar(
        update(SynthesisRunStep)
        .where(
            SynthesisRunStep.run_id == run_id,
            SynthesisRunStep.step == step,
            or_(
                SynthesisRunStep.status == StepStatus.QUEUED,
                and_(
                    SynthesisRunStep.status == StepStatus.RUNNING,
                    SynthesisRunStep.attempts < MAX_STEP_ATTEMPTS,
                ),
            ),
            running,
        )
        .values(status=StepStatus.RUNNING, attempts=SynthesisRunStep.attempts + 1, progress=0)
        .returning(SynthesisRunStep.attempts)
    )


def lost_twice(run_id: int, step: str) -> bool:
    """Whether the step's worker died on its last attempt too."""
    return (
        db.session.scalar(
            select(SynthesisRunStep.id).where(
                SynthesisRunStep.run_id == run_id,
                SynthesisRunStep.step == step,
                SynthesisRunStep.status == StepStatus.RUNNING,
                SynthesisRunStep.attempts >= MAX_STEP_ATTEMPTS,
            )
        )
        is not None
    )


def _attempting(run_id: int, step: str, attempt: int) -> tuple[Any, ...]:
    return (
        SynthesisRunStep.run_id == run_id,
        SynthesisRunStep.step == step,
        SynthesisRunStep.status == StepStatus.RUNNING,
        SynthesisRunStep.attempts == attempt,
    )


def record(run_id: int, step: str, attempt: int, **values: Any) -> bool:
    """Write to the step if it is still this attempt's; False if another took it over."""
    return (
        db.session.execute(
            update(SynthesisRunStep).where(*_attempting(run_id, step, attempt)).values(**values)
        ).rowcount
        == 1
    )


def parallel_progress(run_id: int) -> float:
    """Mean progress of the run's steps before the finish (0–1; 1 without any)."""
    mean = db.session.scalar(
        select(func.avg(SynthesisRunStep.progress)).where(
            SynthesisRunStep.run_id == run_id, SynthesisRunStep.step != FINISH
        )
    )
    return float(mean) / 100 if mean is not None else 1.0


def release_finish(run_id: int) -> bool:
    """Queue the finishing step if every question step is done; True for the one caller
    that does (the finish is then its to send)."""
    other = aliased(SynthesisRunStep)
    unfinished = exists().where(
        other.run_id == run_id, other.step != FINISH, other.status != StepStatus.DONE
    )
    released = db.session.execute(
        update(SynthesisRunStep)
        .where(
            SynthesisRunStep.run_id == run_id,
            SynthesisRunStep.step == FINISH,
            SynthesisRunStep.status == StepStatus.WAITING,
            ~unfinished,
        )
        .values(status=StepStatus.QUEUED)
    )
    return released.rowcount == 1


def timings(run_id: int) -> list[dict[str, float]]:
    """The timings of the run's steps that are done."""
    return list(
        db.session.scalars(
            select(SynthesisRunStep.timings).where(
                SynthesisRunStep.run_id == run_id, SynthesisRunStep.status == StepStatus.DONE
            )
        )
    )
