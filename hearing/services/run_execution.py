"""Executing one synthesis run: claiming it, storing progress the pages follow, then the result
or the reason it failed.

Whoever executes a run first *claims* it with a conditional UPDATE: only one claimant sees a
changed row, so two workers never start the same attempt. The task queue (`hearing.tasks`)
delivers a run's message at least once: when the worker executing it dies (killed, out of
memory, its host gone), the engine hands the message to another worker, which finds the run
still "running" and starts it again. That is safe, since a run only reads answers and writes
its own row, and it happens once (`MAX_ATTEMPTS`): a run whose worker died twice is failed,
instead of going from worker to worker taking each down. A run that raised an error (a time
or memory limit included) is failed at once and not retried: it would fail the same way.

Every write of an attempt is conditional on the run still running under that attempt, so a
late finisher cannot undo a verdict: a run whose results were discarded meanwhile (an erasure)
stays failed, and an attempt that another worker took over stops at its next progress step.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from dramatiq.middleware import TimeLimitExceeded
from sqlalchemy import and_, or_, select, update

from hearing.extensions import db
from hearing.models import Consultation, RunScope, RunStatus, SynthesisRun
from hearing.models.types import utcnow
from hearing.services.snapshots import snapshot_of
from synthesis.pipeline import STAGES, SynthesisPipeline
from synthesis.publishable import publishable
from synthesis.snapshot import ConsultationSnapshot

ACTIVE = (RunStatus.QUEUED, RunStatus.RUNNING)
MAX_ATTEMPTS = 2  # the first start, and one more after its worker died
MAX_ERROR_CHARS = 4000
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


class RunAbandoned(Exception):
    """The run stopped being this attempt's while it executed: its results were discarded, or
    another worker took it over. Whatever this attempt computes is dropped."""


def scope_snapshot(consultation: Consultation, scope: str) -> ConsultationSnapshot:
    """The answers a run of `scope` analyses: visible ones, or only the publishable ones."""
    visible = snapshot_of(consultation, include_hidden=False)
    return publishable(visible) if scope == RunScope.PUBLIC else visible


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


def execute_run(run_id: int, *, on_progress: Callable[[str, int], None] | None = None) -> bool:
    """Claim and execute one run, committing progress as it goes; False if not claimed.

    Anything that ends an attempt early (an error in any stage, the time limit, running out of
    memory, Ctrl+C at the terminal) marks the run failed with the reason, instead of leaving it
    running; an interruption of the process itself (KeyboardInterrupt, SystemExit) goes on up.
    """
    attempt = claim(run_id)
    if attempt is None:
        return False
    run = db.session.get(SynthesisRun, run_id)
    assert run is not None
    parameters, consultation_id, scope = run.parameters, run.consultation_id, run.scope
    try:
        consultation = db.session.get(Consultation, consultation_id)
        if consultation is None:
            raise LookupError(f"consultation {consultation_id} no longer exists")
        snapshot = scope_snapshot(consultation, scope)
        seen: tuple[str, int] = ("", -1)

        def progress(stage: str, fraction: float) -> None:
            nonlocal seen
            percent = min(99, int(fraction * 100))
            if (stage, percent) == seen:
                return
            seen = (stage, percent)
            _store_while_attempting(run_id, attempt, stage=stage, progress=percent)
            if on_progress is not None:
                on_progress(stage, percent)

        result = SynthesisPipeline(**parameters).run(snapshot, progress)
        _store_while_attempting(
            run_id,
            attempt,
            result=result.to_dict(),
            input_hash=result.input_hash,
            timings=result.timings,
            status=RunStatus.DONE,
            progress=100,
            stage="",
            finished_at=utcnow(),
        )
    except RunAbandoned:
        db.session.rollback()
        log.warning("synthesis run %s is no longer attempt %s's; result dropped", run_id, attempt)
    except BaseException as error:  # whatever ends the attempt must end the run
        log.error("synthesis run %s failed", run_id, exc_info=error)
        db.session.rollback()
        db.session.execute(
            update(SynthesisRun)
            .where(*_attempting(run_id, attempt))
            .values(status=RunStatus.FAILED, error=failure_text(error), finished_at=utcnow())
        )
        db.session.commit()
        if isinstance(error, KeyboardInterrupt | SystemExit):
            raise
    return True


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


def _store_while_attempting(run_id: int, attempt: int, **values: Any) -> None:
    """Write to the run and commit, if it is still this attempt's; else `RunAbandoned`."""
    stored = db.session.execute(
        update(SynthesisRun).where(*_attempting(run_id, attempt)).values(**values)
    )
    db.session.commit()
    if stored.rowcount != 1:
        raise RunAbandoned(run_id)
