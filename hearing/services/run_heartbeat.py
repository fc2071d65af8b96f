"""Liveness of synthesis runs: the heartbeat an executing process keeps, and the recovery of
runs whose process died.

A run's status lives in the database, but the process executing it can vanish without a word: a
web server killed or restarted (the thread executor's daemon thread goes with it), `hearing
worker` killed with SIGKILL, a machine rebooted. Without a sign of life such a run would stay
"running" forever, and since a new run with the same input is refused while one is active, the
analyst would be stuck. So the executor touches `heartbeat_at` at every progress step and, from a
small ticker thread, every `heartbeat_interval()` seconds in between (a stage can be silent for a
long time on a large consultation). A run whose heartbeat is older than
`SYNTHESIS_STALE_AFTER_SECONDS` is dead, and `recover_stale_runs` marks it failed.

Marking is one conditional UPDATE that repeats the staleness test, so two processes cannot both
act on a run and a run whose heartbeat moved on in the meantime is left alone; the executor in
turn stores progress and its result only while the run is still "running", so a late-finishing
process cannot overwrite the verdict.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from types import TracebackType

from flask import current_app
from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.engine import Engine

from hearing.extensions import db
from hearing.models import RunStatus, SynthesisRun
from hearing.models.types import utcnow

# Stored as the run's error in bokmål, like every message id; the analyst's pages translate it.
STALE_ERROR = (
    "Kjøringen stoppet uten å fullføre (prosessen som kjørte den, ble avbrutt). "
    "Start en ny kjøring."
)
# Beats per timeout: a run must miss this many in a row before it counts as dead.
BEATS_PER_TIMEOUT = 10
MAX_HEARTBEAT_INTERVAL = 60.0
MIN_HEARTBEAT_INTERVAL = 0.5
# Executors that run a queued run at once in the process that queued it: a run still queued
# after the timeout lost that process. A worker's queue may wait for a worker that is not up.
IN_PROCESS_EXECUTORS = ("thread", "inline")
log = logging.getLogger(__name__)


def stale_after() -> timedelta:
    return timedelta(seconds=float(current_app.config["SYNTHESIS_STALE_AFTER_SECONDS"]))


def heartbeat_interval() -> float:
    """Seconds between beats: often enough to miss several before the timeout, never busy."""
    share = stale_after().total_seconds() / BEATS_PER_TIMEOUT
    return max(MIN_HEARTBEAT_INTERVAL, min(MAX_HEARTBEAT_INTERVAL, share))


def _stale(now: datetime) -> ColumnElement[bool]:
    """Runs that lost their process: running without a beat since the cutoff (a run that was
    running when the heartbeat column arrived has none; its start counts), or queued that long
    when the executor runs queued runs in-process."""
    cutoff = now - stale_after()
    running = and_(
        SynthesisRun.status == RunStatus.RUNNING,
        func.coalesce(SynthesisRun.heartbeat_at, SynthesisRun.created_at) < cutoff,
    )
    if current_app.config.get("SYNTHESIS_EXECUTOR", "thread") not in IN_PROCESS_EXECUTORS:
        return running
    queued = and_(SynthesisRun.status == RunStatus.QUEUED, SynthesisRun.created_at < cutoff)
    return or_(running, queued)


def recover_stale_runs(consultation_id: int | None = None) -> int:
    """Mark the dead runs (of one consultation, or all) failed; how many were marked.

    A read first, so the usual case (nothing dead) writes nothing. When something was marked,
    this commits at once, like `claim`: the verdict holds whatever the caller goes on to do, and
    the row lock (PostgreSQL) is not kept for the rest of a request."""
    now = utcnow()
    scope = [_stale(now)]
    if consultation_id is not None:
        scope.append(SynthesisRun.consultation_id == consultation_id)
    if db.session.scalar(select(SynthesisRun.id).where(*scope).limit(1)) is None:
        return 0
    marked = db.session.execute(
        update(SynthesisRun)
        .where(*scope)
        .values(status=RunStatus.FAILED, error=STALE_ERROR, finished_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if marked:
        log.warning("marked %s synthesis run(s) failed: no heartbeat for %s", marked, stale_after())
    return marked


def beat(engine: Engine, run_id: int) -> bool:
    """Touch a running run's heartbeat in a transaction of its own; False once it is no longer
    running (finished, or marked dead by someone else)."""
    with engine.begin() as connection:
        touched = connection.execute(
            update(SynthesisRun)
            .where(SynthesisRun.id == run_id, SynthesisRun.status == RunStatus.RUNNING)
            .values(heartbeat_at=utcnow())
        )
    return touched.rowcount == 1


class HeartbeatTicker:
    """A daemon thread beating for one run while a `with` block executes it.

    It has its own connection from the engine (the run's session belongs to the executing
    thread) and dies with the process, which is the point: no process, no heartbeat."""

    def __init__(self, run_id: int, interval: float) -> None:
        self.run_id = run_id
        self.interval = interval
        self._engine = db.engine
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._tick, name=f"synthesis-heartbeat-{run_id}", daemon=True
        )

    def __enter__(self) -> HeartbeatTicker:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stopped.set()
        self._thread.join()

    def _tick(self) -> None:
        while not self._stopped.wait(self.interval):
            try:
                if not beat(self._engine, self.run_id):
                    return
            except Exception:  # a busy or briefly unreachable database: try again next beat
                log.warning("heartbeat of synthesis run %s failed", self.run_id, exc_info=True)
