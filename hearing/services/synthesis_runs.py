"""Synthesis runs: requested and queued in the database, executed off the request, read back
with edits applied.

A run is a `SynthesisRun` row that moves queued → running → done (or failed). Who executes it
depends on `SYNTHESIS_EXECUTOR`:

- "queue" (default): after the request commits, the run goes to the task queue
  (`hearing.tasks`, Dramatiq: embedded in the web process, or `hearing worker` processes on
  Redis), whose worker commits after every progress step, so the status page can follow it.
- "inline": executed at once in the caller (tests, and the `hearing synthesize` command).

Executing a run, its attempts and its failures are `hearing.services.run_execution`'s concern.

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
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from exports.summary import SynthesisInputs
from hearing import tasks
from hearing.extensions import db
from hearing.models import (
    Consultation,
    RunScope,
    RunStatus,
    SynthesisRun,
    SynthesisRunPart,
    ThemeEdit,
)
from hearing.models.types import utcnow
from hearing.services import run_results
from hearing.services.answer_stream import DatabaseSource
from hearing.services.input_fingerprint import remembered_input_hash
from hearing.services.run_execution import (
    ACTIVE,
    QUEUE_UNAVAILABLE_ERROR,
    execute_in_transaction,
    execute_run,
    fail_queued,
)
from hearing.services.run_results import RunResult
from synthesis.pipeline import SynthesisPipeline
from synthesis.theme_edits import ThemeEdit as Edit
from synthesis.theme_edits import edit_from_dict, edit_to_dict

EXECUTORS = ("queue", "inline")
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
    result: RunResult  # with the consultation's theme edits applied


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


def request_run(
    consultation: Consultation,
    parameters: dict[str, Any],
    *,
    started_by_id: int | None = None,
    force: bool = False,
    scope: RunScope = RunScope.INTERNAL,
) -> RunRequest:
    """Queue a run (flush only). Unless `force`, an active or done run for the same input hash
    and parameters is returned instead, since it would only reproduce the same result (with
    `force` the answers are not hashed here: the run's first step does it, streaming them).

    `RunRefused` while another run of the consultation is active (one at a time) or the
    installation already runs `SYNTHESIS_MAX_ACTIVE_RUNS`."""
    input_hash = "" if force else input_hash_now(consultation, parameters, scope)
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
    run = SynthesisRun(
        consultation_id=consultation.id,
        status=RunStatus.RUNNING,
        scope=scope,
        parameters=parameters,
    )
    db.session.add(run)
    db.session.flush()
    execute_in_transaction(run)
    return run


def discard_results(consultation: Consultation) -> int:
    """Drop every stored result of the consultation, and stop its active runs (flush only).

    After an erasure a stored result still holds the respondent's key and words (in passages,
    quotes, templates, keywords); a result cannot be reliably scrubbed of one person's
    influence, so it goes, with every part of it. How many runs were discarded."""
    runs = select(SynthesisRun.id).where(SynthesisRun.consultation_id == consultation.id)
    db.session.execute(delete(SynthesisRunPart).where(SynthesisRunPart.run_id.in_(runs)))
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


def dispatch(run_id: int) -> None:
    """Hand a committed, queued run to the configured executor.

    When the queue cannot take it (Redis unreachable), the run is failed at once with a message
    saying so: left queued, nothing would ever execute it, and it would block the next run."""
    executor = current_app.config.get("SYNTHESIS_EXECUTOR", "queue")
    if executor not in EXECUTORS:
        raise ValueError(f"SYNTHESIS_EXECUTOR must be one of {EXECUTORS}, not {executor!r}")
    if executor == "inline":
        execute_run(run_id)
        return
    try:
        tasks.send(tasks.SYNTHESIS_RUN, run_id)
    except tasks.QueueUnavailable:
        log.exception("synthesis run %s could not be queued", run_id)
        fail_queued(run_id, QUEUE_UNAVAILABLE_ERROR)


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
    result = run_results.stored_result(run)
    if result is None:
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
    """The input hash a run of `scope` with `parameters` would have on today's answers (the
    answers streamed through the hash, one respondent at a time)."""

    def compute() -> str:
        return SynthesisPipeline(**parameters).hash_of(DatabaseSource(consultation, scope))

    # Hashed once per change of the responses, not on every page view that asks.
    return remembered_input_hash(consultation, parameters, scope, compute)
