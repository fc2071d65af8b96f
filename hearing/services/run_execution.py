"""Executing one synthesis run in steps: claiming them, storing progress the pages follow, each
step's part of the result, and the reason a run failed.

A run is three kinds of step (`synthesis.pipeline`): `prepare` over all respondents, one
`question` step per question with free text, and `finish`. On the task queue
(`hearing.tasks`) each is a task of its own, so workers on several hosts share one run's
questions; the inline executor (`execute_run`: tests, `hearing synthesize`) executes them in
turn. Each step reads what it needs from the database (`hearing.services.answer_stream`, one
question's answers at a time) and stores its output as parts (`hearing.services.run_results`),
then commits; the last question step to finish queues the finish (`hearing.services.run_steps`),
which stores the run's outline and marks it done.

Whoever executes the first step *claims* the run with a conditional UPDATE: only one claimant
sees a changed row, so two workers never start the same attempt; question and finishing steps
are claimed alike in their own rows. The queue delivers a task at least once: when the worker
executing it dies (killed, out of memory, its host gone), the engine hands the message to
another worker, which finds the run (or step) still "running" and starts it again. That is
safe, since a step only reads answers and replaces its own parts, and it happens once
(`MAX_ATTEMPTS`): a step whose worker died twice fails the run, instead of going from worker to
worker taking each down. A step that raised an error (a time or memory limit included) fails
the run at once and is not retried: it would fail the same way.

Every write of a step is conditional on the run still running under the attempt that planned
it (and on the step still being this attempt's), so a late finisher cannot undo a verdict: a
run whose results were discarded meanwhile (an erasure) or that an analyst cancelled stays
failed, and a step that another worker took over stops at its next progress report.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from dramatiq.middleware import TimeLimitExceeded
from sqlalchemy import and_, delete, or_, select, update

from hearing.extensions import db
from hearing.models import Consultation, RunStatus, SynthesisRun, SynthesisRunStep
from hearing.models.types import utcnow
from hearing.services import run_results, run_steps
from hearing.services.answer_stream import DatabaseSource
from synthesis.pipeline import STAGES, SynthesisPipeline, result_codec, summed_timings
from synthesis.result_parts import (
    POSITIONS_STAGES,
    finish_parts,
    outline_of,
    positions_parts,
    preparation_parts,
    question_codes_of,
    question_parts,
    read_background,
    read_duplicate_groups,
)

ACTIVE = (RunStatus.QUEUED, RunStatus.RUNNING)
MAX_ATTEMPTS = 2  # the first start, and one more after its worker died
MAX_ERROR_CHARS = 4000
# Percent of the progress bar at the end of the first step, and at the start of the finish;
# the question steps fill the rest, each by its own progress.
PREPARED_PERCENT, QUESTIONS_DONE_PERCENT = 8, 96
log = logging.getLogger(__name__)

# Stored as a run's error in bokmål, like every message id; the analyst's pages translate them
# (`hearing.admin.synthesis.RUN_ERRORS`).
TIME_LIMIT_ERROR = (
    "Kjøringen tok lengre tid enn grensen (SYNTHESIS_TIME_LIMIT_SECONDS) og ble stoppet."
)
MEMORY_ERROR = "Kjøringen brukte mer minne enn grensen (SYNTHESIS_MEMORY_LIMIT_MB) og ble stoppet."
WORKER_LOST_ERROR = (
    "Kjøringen stoppet to ganger fordi prosessen som kjørte den, forsvant (for eksempel drept "
    "eller tom for minne). Start en ny kjøring."
)
SERVER_RESTARTED_ERROR = (
    "Kjøringen ble avbrutt fordi serveren ble startet på nytt. Start en ny kjøring."
)
QUEUE_UNAVAILABLE_ERROR = "Kjøringen kunne ikke legges i køen (Redis svarte ikke). Prøv igjen."
CANCELLED_ERROR = "Kjøringen ble avbrutt av en analytiker."

# Sends the next task: (task name, run id, run attempt, step name or "").
Send = Callable[[str, int, int, str], None]
Progress = Callable[[str, int], None]
STEP_TASK, FINISH_TASK = "step", "finish"


class RunAbandoned(Exception):
    """The run stopped being this attempt's while it executed: its results were discarded, it
    was cancelled, or another worker took it (or the step) over. What it computes is dropped."""


def claim(run_id: int) -> int | None:
    """Start an attempt at the run and commit; its number, or None when there is none to make.

    A queued run starts its first attempt. A run already running was delivered again because
    its worker died, and starts once more while it has attempts left; without any, it is
    failed here. A finished run is left alone."""
    attempt = db.session.scalar(
        update(SynthesisRun)
        .where(
            SynthesisRun.id == run_id,
            or_(
                SynthesisRun.status == RunStatus.QUEUED,
                and_(
                    SynthesisRun.status == RunStatus.RUNNING,
                    SynthesisRun.attempts < MAX_ATTEMPTS,
                ),
            ),
        )
        .values(
            status=RunStatus.RUNNING,
            attempts=SynthesisRun.attempts + 1,
            stage=STAGES[0],
            progress=0,
        )
        .returning(SynthesisRun.attempts)
    )
    if attempt is None:
        db.session.execute(
            update(SynthesisRun)
            .where(
                SynthesisRun.id == run_id,
                SynthesisRun.status == RunStatus.RUNNING,
                SynthesisRun.attempts >= MAX_ATTEMPTS,
            )
            .values(status=RunStatus.FAILED, error=WORKER_LOST_ERROR, finished_at=utcnow())
        )
    db.session.commit()
    if attempt is not None and attempt > 1:
        log.warning("synthesis run %s: its worker was lost; attempt %s", run_id, attempt)
    return attempt


def execute_run(run_id: int, *, on_progress: Progress | None = None) -> bool:
    """Claim the run and execute all its steps here, in turn; False if not claimed.

    Anything that ends an attempt early (an error in any step, the time limit, running out of
    memory, Ctrl+C at the terminal) marks the run failed with the reason, instead of leaving it
    running; an interruption of the process itself (KeyboardInterrupt, SystemExit) goes on up.
    """
    attempt = claim(run_id)
    if attempt is None:
        return False
    with _ending_the_run_on_error(run_id, attempt):
        for step in _prepare(run_id, attempt):
            step_attempt = run_steps.claim(run_id, attempt, step)
            db.session.commit()
            if step_attempt is None:
                raise RunAbandoned(run_id)
            _execute_step(run_id, attempt, step, step_attempt, on_progress)
        released = run_steps.release_finish(run_id)
        step_attempt = run_steps.claim(run_id, attempt, run_steps.FINISH)
        db.session.commit()
        if not released or step_attempt is None:
            raise RunAbandoned(run_id)
        _finish(run_id, attempt, step_attempt, on_progress)
    return True


def start_run(run_id: int, send: Send) -> None:
    """The run's first task on the queue: claim and prepare, then send a task per step that
    may run in parallel (the positions, each question)."""
    if run_steps.planned(run_id):  # delivered again after it was done: the steps are sent
        db.session.rollback()
        return
    attempt = claim(run_id)
    if attempt is None:
        return
    with _ending_the_run_on_error(run_id, attempt):
        for step in _prepare(run_id, attempt):
            send(STEP_TASK, run_id, attempt, step)


def run_step(run_id: int, attempt: int, step: str, send: Send) -> None:
    """A parallel step's task: claim it, compute and store its part, and send the finish if
    it was the last of them."""
    step_attempt = _claim_step(run_id, attempt, step)
    if step_attempt is None:
        return
    with _ending_the_run_on_error(run_id, attempt):
        _execute_step(run_id, attempt, step, step_attempt, None)
        released = run_steps.release_finish(run_id)
        db.session.commit()
        if released:
            send(FINISH_TASK, run_id, attempt, "")


def finish_run(run_id: int, attempt: int) -> None:
    """The finishing task: campaign tables, resubmissions, the outline; the run is done."""
    step_attempt = _claim_step(run_id, attempt, run_steps.FINISH)
    if step_attempt is None:
        return
    with _ending_the_run_on_error(run_id, attempt):
        _finish(run_id, attempt, step_attempt, None)


def _claim_step(run_id: int, attempt: int, step: str) -> int | None:
    step_attempt = run_steps.claim(run_id, attempt, step)
    if step_attempt is None and run_steps.lost_twice(run_id, step):
        _fail(run_id, attempt, WORKER_LOST_ERROR)
    db.session.commit()
    if step_attempt is not None and step_attempt > 1:
        log.warning("synthesis run %s: %s's worker was lost; attempt %s", run_id, step, attempt)
    return step_attempt


@contextmanager
def _ending_the_run_on_error(run_id: int, attempt: int) -> Iterator[None]:
    """Whatever ends a step early ends the run, with the reason (unless it was abandoned)."""
    try:
        yield
    except RunAbandoned:
        db.session.rollback()
        log.warning("synthesis run %s is no longer attempt %s's; work dropped", run_id, attempt)
    except BaseException as error:  # whatever ends the attempt must end the run
        log.error("synthesis run %s failed", run_id, exc_info=error)
        db.session.rollback()
        _fail(run_id, attempt, failure_text(error))
        db.session.commit()
        if isinstance(error, KeyboardInterrupt | SystemExit):
            raise


def _fail(run_id: int, attempt: int, error: str) -> None:
    db.session.execute(
        update(SynthesisRun)
        .where(*_attempting(run_id, attempt))
        .values(status=RunStatus.FAILED, error=error, finished_at=utcnow())
    )


def _context(run_id: int) -> tuple[SynthesisRun, SynthesisPipeline, DatabaseSource]:
    run = db.session.get(SynthesisRun, run_id)
    assert run is not None
    consultation = db.session.get(Consultation, run.consultation_id)
    if consultation is None:
        raise LookupError(f"consultation {run.consultation_id} no longer exists")
    return run, SynthesisPipeline(**run.parameters), DatabaseSource(consultation, run.scope)


def _prepare(run_id: int, attempt: int) -> tuple[str, ...]:
    """Step 1; commits its parts and the plan of the steps after it, which it returns."""
    _, pipeline, source = _context(run_id)
    prepared = pipeline.prepare(source)
    steps = (run_steps.POSITIONS, *map(run_steps.question_step, prepared.question_codes))
    _store_while_attempting(
        run_id, attempt, commit=False, timings=prepared.timings, progress=PREPARED_PERCENT
    )
    run_results.delete_parts(run_id)
    db.session.execute(delete(SynthesisRunStep).where(SynthesisRunStep.run_id == run_id))
    run_results.store_parts(run_id, preparation_parts(prepared))
    run_steps.plan(run_id, steps)
    db.session.commit()
    return steps


def _execute_step(
    run_id: int, attempt: int, step: str, step_attempt: int, on_progress: Progress | None
) -> None:
    """One of the steps that may run in parallel (the positions, a question): computes it,
    reporting its progress, then commits its parts with the step done."""
    _, pipeline, source = _context(run_id)
    report = _step_progress(run_id, attempt, step, step_attempt, on_progress)
    codec = result_codec()
    if step == run_steps.POSITIONS:
        found = pipeline.positions(source, report)
        code, timings, parts = "", found.timings, positions_parts(codec, found)
        values = {"input_hash": found.input_hash}
    else:
        code = run_steps.question_of(step)
        background = read_background(run_results.loader(run_id))
        outcome = pipeline.question(source, code, background, report)
        timings, parts, values = outcome.timings, question_parts(codec, outcome), {}
    _store_while_attempting(run_id, attempt, commit=False, **values)  # holds the run's row
    if not run_steps.record(
        run_id, step, step_attempt, status="done", progress=100, timings=timings
    ):
        raise RunAbandoned(run_id)
    run_results.delete_parts(run_id, code, stages=POSITIONS_STAGES if not code else None)
    run_results.store_parts(run_id, parts)
    db.session.commit()


def _step_progress(
    run_id: int, attempt: int, step: str, step_attempt: int, on_progress: Progress | None
) -> Callable[[str, float], None]:
    """A pipeline progress callback for a step: stores the step's progress, and the run's
    (the mean of its parallel steps'), and commits, once per percent; `RunAbandoned` when the
    step or the run is no longer this attempt's."""
    seen = -1

    def report(stage: str, fraction: float) -> None:
        nonlocal seen
        percent = min(99, int(fraction * 100))
        if percent == seen:
            return
        seen = percent
        if not run_steps.record(run_id, step, step_attempt, progress=percent):
            db.session.rollback()
            raise RunAbandoned(run_id)
        span = QUESTIONS_DONE_PERCENT - PREPARED_PERCENT
        overall = PREPARED_PERCENT + int(run_steps.parallel_progress(run_id) * span)
        _store_while_attempting(run_id, attempt, stage=stage, progress=overall)
        if on_progress is not None:
            on_progress(stage, overall)

    return report


def _finish(run_id: int, attempt: int, step_attempt: int, on_progress: Progress | None) -> None:
    """The last step; commits its parts and the outline, and the run is done."""
    run, pipeline, source = _context(run_id)
    _store_while_attempting(run_id, attempt, stage="duplicates", progress=QUESTIONS_DONE_PERCENT)
    if on_progress is not None:
        on_progress("duplicates", QUESTIONS_DONE_PERCENT)
    load = run_results.loader(run_id)
    groups = [
        group for code in question_codes_of(load) for group in read_duplicate_groups(load, code)
    ]
    finished = pipeline.finish(source, groups)
    del groups
    timings = summed_timings([run.timings, *run_steps.timings(run_id), finished.timings])
    outline = outline_of(load, run.parameters, timings)
    _store_while_attempting(
        run_id,
        attempt,
        commit=False,
        result=run_results.outline_dict(outline),
        timings=timings,
        status=RunStatus.DONE,
        progress=100,
        stage="",
        finished_at=utcnow(),
    )
    if not run_steps.record(run_id, run_steps.FINISH, step_attempt, status="done"):
        raise RunAbandoned(run_id)
    run_results.store_parts(run_id, finish_parts(result_codec(), finished))
    db.session.commit()


def execute_in_transaction(run: SynthesisRun) -> None:
    """Every step of a new run here, in the caller's transaction (flush only), outside the
    queue and its claims: for work that must finish before the caller commits. Each
    question's part is stored as soon as it is computed, and only its groups are kept."""
    _, pipeline, source = _context(run.id)
    codec = result_codec()
    prepared = pipeline.prepare(source)
    run_results.store_parts(run.id, preparation_parts(prepared))
    found = pipeline.positions(source)
    run_results.store_parts(run.id, positions_parts(codec, found))
    groups, timings = [], [prepared.timings, found.timings]
    for code in prepared.question_codes:
        outcome = pipeline.question(source, code, prepared.background)
        run_results.store_parts(run.id, question_parts(codec, outcome))
        groups += outcome.duplicate_groups
        timings.append(outcome.timings)
    finished = pipeline.finish(source, groups)
    run_results.store_parts(run.id, finish_parts(codec, finished))
    total = summed_timings([*timings, finished.timings])
    outline = outline_of(run_results.loader(run.id), run.parameters, total)
    run.result = run_results.outline_dict(outline)
    run.input_hash, run.timings = found.input_hash, total
    run.status, run.progress, run.attempts = RunStatus.DONE, 100, 1
    run.finished_at = utcnow()
    db.session.flush()


def failure_text(error: BaseException) -> str:
    """What the run's page says about why it failed."""
    if isinstance(error, TimeLimitExceeded):
        return TIME_LIMIT_ERROR
    if isinstance(error, MemoryError):
        return MEMORY_ERROR
    return f"{type(error).__name__}: {error}"[:MAX_ERROR_CHARS]


def fail_queued(run_id: int, error: str) -> None:
    """Fail a run that never reached the queue (commit): nothing will ever execute it."""
    db.session.execute(
        update(SynthesisRun)
        .where(SynthesisRun.id == run_id, SynthesisRun.status == RunStatus.QUEUED)
        .values(status=RunStatus.FAILED, error=error, finished_at=utcnow())
    )
    db.session.commit()


def cancel(run: SynthesisRun) -> bool:
    """Fail an active run at an analyst's request (flush only): one whose message the queue
    lost, or that hangs. Its steps still under way stop at their next write; whatever it
    stored goes. False when the run was no longer active."""
    cancelled = db.session.execute(
        update(SynthesisRun)
        .where(SynthesisRun.id == run.id, SynthesisRun.status.in_(ACTIVE))
        .values(status=RunStatus.FAILED, error=CANCELLED_ERROR, finished_at=utcnow())
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if cancelled:
        run_results.delete_parts(run.id)
    db.session.flush()
    return cancelled == 1


def fail_runs_lost_in_restart(started_at: datetime) -> int:
    """Fail the runs queued or running before this server started (commit); how many.

    Only for the embedded queue, whose tasks lived in the memory of the web process: a run
    from before the start belonged to a process that is gone, and no engine can recover it.
    A read first, so the usual start (nothing lost) writes nothing."""
    lost = (SynthesisRun.status.in_(ACTIVE), SynthesisRun.created_at < started_at)
    if db.session.scalar(select(SynthesisRun.id).where(*lost).limit(1)) is None:
        return 0
    failed = db.session.execute(
        update(SynthesisRun)
        .where(*lost)
        .values(status=RunStatus.FAILED, error=SERVER_RESTARTED_ERROR, finished_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    log.warning("marked %s synthesis run(s) failed: the server was restarted", failed)
    return failed or 0


def _attempting(run_id: int, attempt: int) -> tuple[Any, ...]:
    return (
        SynthesisRun.id == run_id,
        SynthesisRun.status == RunStatus.RUNNING,
        SynthesisRun.attempts == attempt,
    )


def _store_while_attempting(
    run_id: int, attempt: int, *, commit: bool = True, **values: Any
) -> None:
    """Write to the run if it is still this attempt's, else `RunAbandoned`; commit unless
    told not to (the caller then writes more in the same transaction: the UPDATE holds the
    run's row, so a discard or a cancellation waits for it and sees what it wrote)."""
    stored = db.session.execute(
        update(SynthesisRun)
        .where(*_attempting(run_id, attempt))
        .values(**(values or {"id": run_id}))
    )
    if stored.rowcount != 1:
        db.session.rollback()
        raise RunAbandoned(run_id)
    if commit:
        db.session.commit()
