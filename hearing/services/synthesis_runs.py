"""Synthesis runs: queued in the database, executed off the request, read back with edits applied.

A run is a `SynthesisRun` row that moves queued → running → done (or failed). Who executes it
depends on `SYNTHESIS_EXECUTOR`:

- "thread" (default): the web process starts a background thread after the request commits; the
  thread has its own app context and database session and commits after every progress step,
  so the status page can follow it.
- "worker": the row is left queued for `hearing worker`, a separate process polling the table.
- "inline": executed at once in the caller (tests, and the `hearing synthesize` command).

Whoever executes a run first *claims* it with `UPDATE … WHERE status = 'queued'`: only one
claimant sees a changed row, so two workers (or a worker and a thread) never run the same run.
While it executes, the run keeps a heartbeat; a run whose process died is marked failed by the
next page or request that looks (`hearing.services.run_heartbeat`), and every write of the
executor is conditional on the run still running, so a late finisher cannot undo that verdict.

Results are stored as the themes were clustered; analysts' theme edits live in `ThemeEdit` rows
and are applied on every read (`latest_result`), so an edit shows at once and survives re-runs.

A run has a scope (`RunScope`): internal runs analyse every visible submitted answer and feed the
secretariat's pages; public runs analyse only the publishable answers (`synthesis.publishable`)
and are the only results a publication may use, so a refused or hidden answer cannot shape a
public theme. One run per consultation is active at a time, and at most
`SYNTHESIS_MAX_ACTIVE_RUNS` in the whole installation: a run is CPU- and memory-heavy, and an
attacker (or an impatient analyst) must not be able to start eight at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from exports.summary import SynthesisInputs
from hearing.extensions import db
from hearing.models import Consultation, RunScope, RunStatus, SynthesisRun, ThemeEdit
from hearing.models.types import utcnow
from hearing.services.run_heartbeat import HeartbeatTicker, heartbeat_interval, recover_stale_runs
from hearing.services.snapshots import snapshot_of
from synthesis.pipeline import STAGES, SynthesisPipeline, SynthesisResult
from synthesis.publishable import publishable
from synthesis.snapshot import ConsultationSnapshot
from synthesis.theme_edits import ThemeEdit as Edit
from synthesis.theme_edits import edit_from_dict, edit_to_dict

EXECUTORS = ("thread", "worker", "inline")
ACTIVE = (RunStatus.QUEUED, RunStatus.RUNNING)
MAX_ERROR_CHARS = 4000
log = logging.getLogger(__name__)


# Stored as a discarded run's error, in bokmål like every message id (the pages translate it).
DISCARDED_ERROR = "Resultatet er forkastet fordi en respondent som var med, er slettet."


class RunRefused(Exception):
    """A run cannot start now; the message (translated) says why, for the analyst."""


@dataclass(frozen=True)
class RunRequest:
    """The outcome of asking for a run: a new queued run, or an existing one that already has
    (or will have) the result for exactly this input (`reused`)."""

    run: SynthesisRun
    reused: bool


@dataclass(frozen=True)
class LatestResult:
    run: SynthesisRun
    result: SynthesisResult  # with the consultation's theme edits applied


def run_parameters(
    *,
    random_state: int | None = None,
    n_themes: int | None = None,
    count_campaigns_once: bool = False,
) -> dict[str, Any]:
    """The full parameter set of a run, with the app's defaults filled in."""
    if random_state is None:
        random_state = int(current_app.config.get("SYNTHESIS_RANDOM_STATE", 0))
    return SynthesisPipeline(
        random_state=random_state, n_themes=n_themes, count_campaigns_once=count_campaigns_once
    ).get_params()


def scope_snapshot(consultation: Consultation, scope: str) -> ConsultationSnapshot:
    """The answers a run of `scope` analyses: visible ones, or only the publishable ones."""
    visible = snapshot_of(consultation, include_hidden=False)
    return publishable(visible) if scope == RunScope.PUBLIC else visible


def request_run(
    consultation: Consultation,
    parameters: dict[str, Any],
    *,
    started_by_id: int | None = None,
    force: bool = False,
    scope: RunScope = RunScope.INTERNAL,
) -> RunRequest:
    """Queue a run (flush only). Unless `force`, an active or done run for the same input hash
    and parameters is returned instead, since it would only reproduce the same result.

    `RunRefused` while another run of the consultation is active (one at a time) or the
    installation already runs `SYNTHESIS_MAX_ACTIVE_RUNS`. Runs of the consultation whose
    process died are marked failed first (committed at once), so a dead run never stands in the
    way of a new one."""
    recover_stale_runs(consultation.id)
    input_hash = SynthesisPipeline(**parameters).input_hash(scope_snapshot(consultation, scope))
    if not force:
        for status in (ACTIVE, (RunStatus.DONE,)):
            existing = _latest_run(consultation.id, status, scope)
            if (
                existing is not None
                and existing.input_hash == input_hash
                and existing.parameters == parameters
            ):
                return RunRequest(existing, reused=True)
    _refuse_when_busy(consultation)
    run = SynthesisRun(
        consultation_id=consultation.id,
        status=RunStatus.QUEUED,
        scope=scope,
        parameters=parameters,
        input_hash=input_hash,
        started_by_id=started_by_id,
    )
    db.session.add(run)
    db.session.flush()
    return RunRequest(run, reused=False)


def _refuse_when_busy(consultation: Consultation) -> None:
    active = select(func.count(SynthesisRun.id)).where(SynthesisRun.status.in_(ACTIVE))
    if db.session.scalar(active.where(SynthesisRun.consultation_id == consultation.id)):
        raise RunRefused(
            _("En sammenstilling av denne høringen kjører allerede. Vent til den er ferdig.")
        )
    limit = int(current_app.config.get("SYNTHESIS_MAX_ACTIVE_RUNS", 2))
    if (db.session.scalar(active) or 0) >= limit:
        raise RunRefused(
            _(
                "Serveren kjører allerede så mange sammenstillinger som den tillater. "
                "Prøv igjen om litt."
            )
        )


def run_inline(
    consultation: Consultation, parameters: dict[str, Any], *, scope: RunScope
) -> SynthesisRun:
    """Compute a run now, in this process and transaction (flush only), outside the queue.

    For work that must finish before the caller's commit: republishing at once after an
    erasure or a hidden answer, and `hearing publish` at the terminal."""
    snapshot = scope_snapshot(consultation, scope)
    result = SynthesisPipeline(**parameters).run(snapshot)
    now = utcnow()
    run = SynthesisRun(
        consultation_id=consultation.id,
        status=RunStatus.DONE,
        scope=scope,
        parameters=parameters,
        input_hash=result.input_hash,
        result=result.to_dict(),
        timings=result.timings,
        progress=100,
        heartbeat_at=now,
        finished_at=now,
    )
    db.session.add(run)
    db.session.flush()
    return run


def discard_results(consultation: Consultation) -> int:
    """Drop every stored result of the consultation, and stop its active runs (flush only).

    After an erasure a stored result still holds the respondent's key and words (in passages,
    quotes, templates, keywords); a result cannot be reliably scrubbed of one person's
    influence, so it goes. How many runs were discarded."""
    discarded = db.session.execute(
        update(SynthesisRun)
        .where(
            SynthesisRun.consultation_id == consultation.id,
            (SynthesisRun.result.is_not(None)) | SynthesisRun.status.in_(ACTIVE),
        )
        .values(
            status=RunStatus.FAILED,
            result=None,
            error=DISCARDED_ERROR,
            finished_at=func.coalesce(SynthesisRun.finished_at, utcnow()),
        )
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()
    return discarded.rowcount or 0


def dispatch(run_id: int) -> threading.Thread | None:
    """Hand a committed, queued run to the configured executor; the thread, if one started."""
    executor = current_app.config.get("SYNTHESIS_EXECUTOR", "thread")
    if executor not in EXECUTORS:
        raise ValueError(f"SYNTHESIS_EXECUTOR must be one of {EXECUTORS}, not {executor!r}")
    if executor == "inline":
        execute_run(run_id)
    elif executor == "thread":
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        thread = threading.Thread(
            target=_execute_in_thread, args=(app, run_id), name=f"synthesis-run-{run_id}"
        )
        # A server shutting down does not wait: the run stays "running" until its heartbeat
        # goes stale and the next look marks it failed.
        thread.daemon = True
        thread.start()
        return thread
    return None


def _execute_in_thread(app: Flask, run_id: int) -> None:
    with app.app_context():
        try:
            execute_run(run_id)
        finally:
            db.session.remove()


def claim(run_id: int) -> bool:
    """Atomically move a queued run to running; False when someone else already has it."""
    claimed = db.session.execute(
        update(SynthesisRun)
        .where(SynthesisRun.id == run_id, SynthesisRun.status == RunStatus.QUEUED)
        .values(status=RunStatus.RUNNING, stage=STAGES[0], progress=0, heartbeat_at=utcnow())
    )
    db.session.commit()
    return claimed.rowcount == 1


class RunAbandoned(Exception):
    """The run stopped being "running" while this process executed it: another process found
    its heartbeat stale and marked it failed. Whatever this process computes is dropped."""


def execute_run(run_id: int, *, on_progress: Callable[[str, int], None] | None = None) -> bool:
    """Claim and execute one run, committing progress as it goes; False if not claimed.

    A crash in any stage marks the run failed with the error, instead of leaving it running.
    Progress, result and error are stored only while the run is still running: a run marked
    dead in the meantime keeps that verdict, and its execution stops at the next progress step.
    """
    if not claim(run_id):
        return False
    run = db.session.get(SynthesisRun, run_id)
    assert run is not None
    parameters, consultation_id, scope = run.parameters, run.consultation_id, run.scope
    try:
        with HeartbeatTicker(run_id, heartbeat_interval()):  # from reading the answers on
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
                _store_while_running(run_id, stage=stage, progress=percent, heartbeat_at=utcnow())
                if on_progress is not None:
                    on_progress(stage, percent)

            result = SynthesisPipeline(**parameters).run(snapshot, progress)
        now = utcnow()
        _store_while_running(
            run_id,
            result=result.to_dict(),
            input_hash=result.input_hash,
            timings=result.timings,
            status=RunStatus.DONE,
            progress=100,
            stage="",
            heartbeat_at=now,
            finished_at=now,
        )
    except RunAbandoned:
        db.session.rollback()
        log.warning("synthesis run %s was marked failed while executing; result dropped", run_id)
    except Exception as error:  # any failure must end the run, not leave it "running"
        log.exception("synthesis run %s failed", run_id)
        db.session.rollback()
        db.session.execute(
            update(SynthesisRun)
            .where(SynthesisRun.id == run_id, SynthesisRun.status == RunStatus.RUNNING)
            .values(
                status=RunStatus.FAILED,
                error=f"{type(error).__name__}: {error}"[:MAX_ERROR_CHARS],
                finished_at=utcnow(),
            )
        )
        db.session.commit()
    return True


def _store_while_running(run_id: int, **values: Any) -> None:
    """Write to the run and commit, if it is still running; else `RunAbandoned`."""
    stored = db.session.execute(
        update(SynthesisRun)
        .where(SynthesisRun.id == run_id, SynthesisRun.status == RunStatus.RUNNING)
        .values(**values)
    )
    db.session.commit()
    if stored.rowcount != 1:
        raise RunAbandoned(run_id)


def execute_queued_runs() -> int:
    """Execute every queued run, oldest first (what `hearing worker` does); how many ran."""
    executed = 0
    while True:
        run_id = db.session.scalar(
            select(SynthesisRun.id)
            .where(SynthesisRun.status == RunStatus.QUEUED)
            .order_by(SynthesisRun.id)
            .limit(1)
        )
        if run_id is None:
            return executed
        executed += execute_run(run_id)


def _latest_run(
    consultation_id: int, statuses: tuple[str, ...], scope: str = RunScope.INTERNAL
) -> SynthesisRun | None:
    return db.session.scalar(
        select(SynthesisRun)
        .where(
            SynthesisRun.consultation_id == consultation_id,
            SynthesisRun.status.in_(statuses),
            SynthesisRun.scope == scope,
        )
        .order_by(SynthesisRun.id.desc())
        .limit(1)
    )


def recent_runs(consultation: Consultation, limit: int = 10) -> list[SynthesisRun]:
    return list(
        db.session.scalars(
            select(SynthesisRun)
            .where(SynthesisRun.consultation_id == consultation.id)
            .order_by(SynthesisRun.id.desc())
            .limit(limit)
        )
    )


def run_or_none(consultation: Consultation, run_id: int) -> SynthesisRun | None:
    run = db.session.get(SynthesisRun, run_id)
    return run if run is not None and run.consultation_id == consultation.id else None


def theme_edits(consultation: Consultation) -> dict[str, list[Edit]]:
    """The consultation's theme edits per question code, in the order they were made."""
    rows = db.session.scalars(
        select(ThemeEdit).where(ThemeEdit.consultation_id == consultation.id).order_by(ThemeEdit.id)
    )
    edits: dict[str, list[Edit]] = {}
    for row in rows:
        edits.setdefault(row.question_code, []).append(edit_from_dict(row.edit))
    return edits


def add_theme_edit(
    consultation: Consultation, question_code: str, edit: Edit, *, created_by_id: int | None
) -> ThemeEdit:
    row = ThemeEdit(
        consultation_id=consultation.id,
        question_code=question_code,
        edit=edit_to_dict(edit),
        created_by_id=created_by_id,
    )
    db.session.add(row)
    db.session.flush()
    return row


def latest_result(
    consultation: Consultation, *, scope: RunScope = RunScope.INTERNAL
) -> LatestResult | None:
    """The latest done run's result with the theme edits applied, or None before any run.

    A result stored by an older version of the pipeline cannot be read; it counts as absent
    (a new run replaces it)."""
    run = _latest_run(consultation.id, (RunStatus.DONE,), scope)
    return result_of(run, consultation) if run is not None else None


def current_public_result(consultation: Consultation) -> LatestResult | None:
    """The latest public run, if it analysed exactly the publishable answers there are now.

    Anything else is stale: it may hold words that were withdrawn, hidden or erased since, and
    nothing computed from it may be published."""
    latest = latest_result(consultation, scope=RunScope.PUBLIC)
    if latest is None or not is_current(latest.run, consultation):
        return None
    return latest


def result_of(run: SynthesisRun, consultation: Consultation) -> LatestResult | None:
    """`run`'s result with the consultation's theme edits applied; None if it has none."""
    if run.result is None:
        return None
    try:
        result = SynthesisResult.from_dict(run.result)
    except ValueError:
        log.warning("synthesis run %s has a result in an older format", run.id)
        return None
    return LatestResult(run, result.with_theme_edits(theme_edits(consultation)))


def latest_inputs(consultation: Consultation) -> SynthesisInputs | None:
    """What an internal compiled summary needs from the latest done run, or None before any."""
    latest = latest_result(consultation)
    return summary_inputs(latest) if latest is not None else None


def summary_inputs(latest: LatestResult) -> SynthesisInputs:
    """What a compiled summary needs from a run's result.

    Tables count campaign members once when the run was asked to; `parameters` also carry
    the run's input hash, for the summary's provenance."""
    result = latest.result
    return SynthesisInputs(
        tabulations=result.reported_tabulations,
        themes=result.themes,
        duplicate_groups=result.duplicate_groups,
        opinion_groups=result.opinion_groups,
        run_id=str(latest.run.id),
        parameters={**result.parameters, "input_hash": result.input_hash},
    )


def is_current(run: SynthesisRun, consultation: Consultation) -> bool:
    """Whether the answers (of the run's scope) are still what `run` analysed."""
    return input_hash_now(consultation, run.parameters, run.scope) == run.input_hash


def input_hash_now(consultation: Consultation, parameters: dict[str, Any], scope: str) -> str:
    """The input hash a run of `scope` with `parameters` would have on today's answers."""
    return SynthesisPipeline(**parameters).input_hash(scope_snapshot(consultation, scope))
