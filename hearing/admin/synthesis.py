"""The analyst's synthesis pages: start a run and follow it, then positions, duplicates and
campaigns, resubmission flags and opinion groups (themes are in `synthesis_themes`).

Runs execute off the request, on the task queue (see `hearing.services.synthesis_runs`); the
status page polls a small JSON endpoint from /static/synthesis.js and works without JavaScript
by reloading. The pages only read: a run whose worker died is the queue's to notice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from exports.labels import resubmission_reason
from hearing import audit
from hearing.admin import admin_blueprint as bp
from hearing.admin.lookup import consultation_or_404
from hearing.auth import roles_required
from hearing.extensions import db
from hearing.i18n import sector_name
from hearing.models import Consultation, Role, RunStatus, Submission, SynthesisRun
from hearing.services import run_execution, synthesis_runs
from hearing.services.synthesis_runs import LatestResult
from synthesis.tabulation import PositionCounts, QuestionTabulation

SYNTHESIS_ROLES = (Role.ADMIN, Role.ANALYST)
MAX_THEMES = 30
STATUS_LABELS = {
    RunStatus.QUEUED: _l("I kø"),
    RunStatus.RUNNING: _l("Kjører"),
    RunStatus.DONE: _l("Ferdig"),
    RunStatus.FAILED: _l("Feilet"),
}
STAGE_LABELS = {
    "tabulation": _l("Tabellering av standpunkter"),
    "duplicates": _l("Duplikater og kampanjer"),
    "themes": _l("Temaer i fritekstsvarene"),
    "opinion_groups": _l("Meningsgrupper"),
}
# Errors the app itself stores on a run, in bokmål; shown translated. Others are exception text.
RUN_ERRORS = {
    run_execution.TIME_LIMIT_ERROR: _l(
        "Kjøringen tok lengre tid enn grensen (SYNTHESIS_TIME_LIMIT_SECONDS) og ble stoppet."
    ),
    run_execution.MEMORY_ERROR: _l(
        "Kjøringen brukte mer minne enn grensen (SYNTHESIS_MEMORY_LIMIT_MB) og ble stoppet."
    ),
    run_execution.WORKER_LOST_ERROR: _l(
        "Kjøringen stoppet to ganger fordi prosessen som kjørte den, forsvant (for eksempel drept "
        "eller tom for minne). Start en ny kjøring."
    ),
    run_execution.SERVER_RESTARTED_ERROR: _l(
        "Kjøringen ble avbrutt fordi serveren ble startet på nytt. Start en ny kjøring."
    ),
    run_execution.QUEUE_UNAVAILABLE_ERROR: _l(
        "Kjøringen kunne ikke legges i køen (Redis svarte ikke). Prøv igjen."
    ),
    run_execution.CANCELLED_ERROR: _l("Kjøringen ble avbrutt av en analytiker."),
}
DUPLICATE_KINDS = {
    "exact": _l("Identiske svar"),
    "near": _l("Nesten identiske svar"),
    "campaign": _l("Kampanje"),
}


@dataclass(frozen=True)
class RespondentRef:
    """How a page names a respondent key: the name, and the submission page when there is one."""

    key: str
    name: str
    url: str | None


def respondent_refs(consultation: Consultation, keys: Iterable[str]) -> dict[str, RespondentRef]:
    """Names (and links to the secretariat's submission page) for respondent keys."""
    wanted = set(keys)
    if not wanted:
        return {}
    rows = db.session.execute(
        select(Submission.reference, Submission.id, Submission.respondent_name).where(
            Submission.consultation_id == consultation.id, Submission.reference.in_(wanted)
        )
    )
    linkable = "admin.submission" in current_app.view_functions
    refs = {
        reference: RespondentRef(
            reference,
            name or reference,
            url_for("admin.submission", slug=consultation.slug, submission_id=submission_id)
            if linkable
            else None,
        )
        for reference, submission_id, name in rows
    }
    return {key: refs.get(key, RespondentRef(key, key, None)) for key in wanted}


def latest_or_redirect(consultation: Consultation) -> LatestResult:
    """The latest finished result; without one the request ends here, redirected to the
    synthesis page with a message (`abort` with a response, which Flask sends as it is)."""
    latest = synthesis_runs.latest_result(consultation)
    if latest is None:
        flash(_("Det finnes ingen ferdig analyse ennå. Start en kjøring først."), "info")
        abort(redirect(url_for("admin.synthesis", slug=consultation.slug)))
    return latest


def page_context(consultation: Consultation, latest: LatestResult) -> dict[str, object]:
    """What every result page shows around its content (the navigation between sections)."""
    return {
        "consultation": consultation,
        "run": latest.run,
        "result": latest.result,
        "question_text": {q.code: q.text for q in consultation.questions},
        "number": _number,
    }


def run_error(run: SynthesisRun) -> str:
    """The run's error as the analyst should read it."""
    return str(RUN_ERRORS.get(run.error, run.error))


def _number(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    return format_decimal(value, format="#,##0" + ("." + "0" * digits if digits else ""))


@bp.route("/consultations/<slug>/synthesis")
@roles_required(*SYNTHESIS_ROLES)
def synthesis(slug: str) -> str:
    consultation = consultation_or_404(slug)
    latest = synthesis_runs.latest_result(consultation)
    runs = synthesis_runs.recent_runs(consultation)
    return render_template(
        "admin/synthesis.html",
        consultation=consultation,
        latest=latest,
        current=synthesis_runs.is_current(latest.run, consultation) if latest else None,
        runs=runs,
        active=next((run for run in runs if run.status in synthesis_runs.ACTIVE), None),
        status_labels=STATUS_LABELS,
        run_error=run_error,
        question_text={q.code: q.text for q in consultation.questions},
        max_themes=MAX_THEMES,
    )


@bp.route("/consultations/<slug>/synthesis/runs", methods=["POST"])
@roles_required(*SYNTHESIS_ROLES)
def start_synthesis(slug: str) -> Response:
    consultation = consultation_or_404(slug)
    raw_themes = request.form.get("n_themes", "").strip()
    n_themes = int(raw_themes) if raw_themes.isdigit() else None
    if raw_themes and (n_themes is None or not 2 <= n_themes <= MAX_THEMES):
        flash(_("Antall temaer må være et tall fra 2 til %(max)s.", max=MAX_THEMES), "error")
        return redirect(url_for("admin.synthesis", slug=slug))
    parameters = synthesis_runs.run_parameters(
        n_themes=n_themes, count_campaigns_once=request.form.get("campaigns_once") == "1"
    )
    try:
        requested = synthesis_runs.request_run(
            consultation,
            parameters,
            started_by_id=current_user.id,
            force=request.form.get("force") == "1",
        )
    except synthesis_runs.RunRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(url_for("admin.synthesis", slug=slug))
    run = requested.run
    if requested.reused:
        db.session.rollback()
        flash(
            _(
                "Svarene og innstillingene er de samme som i kjøring %(run)s, så en ny kjøring "
                "ville gitt samme resultat. Kryss av for «Kjør likevel» for å kjøre på nytt.",
                run=run.id,
            ),
            "info",
        )
        return redirect(url_for("admin.synthesis_run", slug=slug, run_id=run.id))
    audit.record("synthesis.start", target=run, consultation_id=consultation.id, **parameters)
    db.session.commit()
    synthesis_runs.dispatch(run.id)
    return redirect(url_for("admin.synthesis_run", slug=slug, run_id=run.id))


def _run_or_404(consultation: Consultation, run_id: int) -> SynthesisRun:
    run = synthesis_runs.run_or_none(consultation, run_id)
    if run is None:
        abort(404)
    return run


@bp.route("/consultations/<slug>/synthesis/runs/<int:run_id>")
@roles_required(*SYNTHESIS_ROLES)
def synthesis_run(slug: str, run_id: int) -> str:
    consultation = consultation_or_404(slug)
    run = _run_or_404(consultation, run_id)
    return render_template(
        "admin/synthesis_run.html",
        consultation=consultation,
        run=run,
        status_labels=STATUS_LABELS,
        stage_labels=STAGE_LABELS,
        active=run.status in synthesis_runs.ACTIVE,
        run_error=run_error,
        number=_number,
    )


@bp.route("/consultations/<slug>/synthesis/runs/<int:run_id>/cancel", methods=["POST"])
@roles_required(*SYNTHESIS_ROLES)
def cancel_synthesis_run(slug: str, run_id: int) -> Response:
    """Fail a queued or running run: one whose message the queue lost, or that hangs, would
    otherwise block the consultation's next run until its time limit."""
    consultation = consultation_or_404(slug)
    run = _run_or_404(consultation, run_id)
    if run_execution.cancel(run):
        audit.record("synthesis.cancel", target=run, consultation_id=consultation.id)
        db.session.commit()
        flash(_("Kjøringen er avbrutt. Du kan starte en ny."), "success")
    else:
        db.session.rollback()
        flash(_("Kjøringen var allerede avsluttet."), "info")
    return redirect(url_for("admin.synthesis_run", slug=slug, run_id=run_id))


@bp.route("/consultations/<slug>/synthesis/runs/<int:run_id>/status.json")
@roles_required(*SYNTHESIS_ROLES)
def synthesis_run_status(slug: str, run_id: int) -> ResponseReturnValue:
    consultation = consultation_or_404(slug)
    run = _run_or_404(consultation, run_id)
    response = jsonify(
        id=run.id,
        status=run.status,
        status_label=str(STATUS_LABELS[RunStatus(run.status)]),
        progress=run.progress,
        stage=run.stage,
        stage_label=str(STAGE_LABELS.get(run.stage, run.stage)),
        active=run.status in synthesis_runs.ACTIVE,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@dataclass(frozen=True)
class PositionRow:
    label: str
    counts: PositionCounts
    overall: bool = False


def position_rows(table: QuestionTabulation) -> list[PositionRow]:
    """All, then each sector and category that has any position or "Vet ikke"."""
    rows = [PositionRow(str(_("Alle")), table.overall, overall=True)]
    rows += [
        PositionRow(sector_name(sector), counts)
        for sector, counts in table.by_sector.items()
        if counts.total
    ]
    rows += [
        PositionRow(label or str(_("Uten kategori")), counts)
        for label, counts in table.by_category.items()
        if counts.total
    ]
    return rows


@bp.route("/consultations/<slug>/synthesis/positions")
@roles_required(*SYNTHESIS_ROLES)
def synthesis_positions(slug: str) -> str:
    consultation = consultation_or_404(slug)
    latest = latest_or_redirect(consultation)
    once = request.args.get("campaigns") == "once"
    return render_template(
        "admin/synthesis_positions.html",
        **page_context(consultation, latest),
        campaigns_once=once,
        tables=[
            (table, position_rows(table))
            for table in latest.result.tabulations_for(count_campaigns_once=once)
        ],
        dont_know_label=consultation.dont_know_label,
    )


@bp.route("/consultations/<slug>/synthesis/duplicates")
@roles_required(*SYNTHESIS_ROLES)
def synthesis_duplicates(slug: str) -> str:
    consultation = consultation_or_404(slug)
    latest = latest_or_redirect(consultation)
    result = latest.result
    keys = [key for group in result.duplicate_groups for key in group.member_keys]
    keys += [key for flag in result.resubmissions for key in flag.respondent_keys]
    return render_template(
        "admin/synthesis_duplicates.html",
        **page_context(consultation, latest),
        refs=respondent_refs(consultation, keys),
        kinds=DUPLICATE_KINDS,
        reason_of=lambda flag: resubmission_reason(flag, str(get_locale())),
    )


@bp.route("/consultations/<slug>/synthesis/opinions")
@roles_required(*SYNTHESIS_ROLES)
def synthesis_opinions(slug: str) -> str:
    consultation = consultation_or_404(slug)
    latest = latest_or_redirect(consultation)
    keys = [key for group in latest.result.opinion_groups for key in group.member_keys]
    return render_template(
        "admin/synthesis_opinions.html",
        **page_context(consultation, latest),
        refs=respondent_refs(consultation, keys),
    )
