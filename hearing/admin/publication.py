"""Publishing the summary: a confirmation page that shows what becomes public, and the acts.

The page says how many responses will be published by name, anonymised, or left out and why,
which public synthesis run the themes come from, and whether the current edition is out of date.
Publishing and withdrawing are admin acts, audited; any secretariat user may start the public
synthesis run that publishing needs.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from forms.publication import PublishForm, WithdrawPublicationForm
from hearing import audit
from hearing.admin import admin_blueprint as bp
from hearing.admin.lookup import consultation_or_404
from hearing.auth import roles_required
from hearing.extensions import db
from hearing.models import Consultation, Role, RunScope
from hearing.services import publication as publishing
from hearing.services import synthesis_runs

READERS = (Role.ADMIN, Role.ANALYST)


def _page(
    consultation: Consultation,
    publish_form: PublishForm | None = None,
    withdraw_form: WithdrawPublicationForm | None = None,
) -> str:
    plan = publishing.plan(consultation)
    current = publishing.current_publication(consultation)
    if publish_form is None:
        publish_form = PublishForm(
            input_hash=plan.input_hash,
            count_refused_positions=consultation.count_refused_positions,
        )
    publish_form.input_hash.data = plan.input_hash
    return render_template(
        "admin/publication.html",
        consultation=consultation,
        plan=plan,
        current=current,
        out_of_date=publishing.out_of_date_reasons(consultation, current) if current else [],
        latest=publishing.latest_publication(consultation),
        preview=publishing.preview_summary(consultation, "nb", plan.run) if plan.run else None,
        publish_form=publish_form,
        withdraw_form=withdraw_form or WithdrawPublicationForm(),
    )


@bp.route("/consultations/<slug>/publication")
@roles_required(*READERS)
def publication(slug: str) -> str:
    return _page(consultation_or_404(slug))


@bp.route("/consultations/<slug>/publication/run", methods=["POST"])
@roles_required(*READERS)
def publication_run(slug: str) -> Response:
    """Start the synthesis of the publishable answers, with the latest run's parameters."""
    consultation = consultation_or_404(slug)
    latest = synthesis_runs.latest_result(consultation)
    parameters = latest.run.parameters if latest else synthesis_runs.run_parameters()
    try:
        requested = synthesis_runs.request_run(
            consultation, parameters, started_by_id=current_user.id, scope=RunScope.PUBLIC
        )
    except synthesis_runs.RunRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(url_for("admin.publication", slug=slug))
    run = requested.run
    if requested.reused:
        db.session.rollback()
        return redirect(url_for("admin.synthesis_run", slug=slug, run_id=run.id))
    audit.record(
        "synthesis.start",
        target=run,
        consultation_id=consultation.id,
        scope=run.scope,
        **parameters,
    )
    db.session.commit()
    synthesis_runs.dispatch(run.id)
    return redirect(url_for("admin.synthesis_run", slug=slug, run_id=run.id))


@bp.route("/consultations/<slug>/publication/publish", methods=["POST"])
@roles_required(Role.ADMIN)
def publish(slug: str) -> str | Response | tuple[str, int]:
    consultation = consultation_or_404(slug)
    form = PublishForm()
    if not form.validate_on_submit():
        return _page(consultation, publish_form=form), 422
    try:
        made = publishing.publish(
            consultation,
            actor=publishing.actor_name(None),
            expected_input_hash=form.input_hash.data or "",
            count_refused_positions=form.count_refused_positions.data,
        )
    except publishing.PublishRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(url_for("admin.publication", slug=slug))
    db.session.commit()
    flash(_("Oppsummeringen er publisert (utgave %(number)s).", number=made.number), "success")
    return redirect(url_for("admin.publication", slug=slug))


@bp.route("/consultations/<slug>/publication/withdraw", methods=["POST"])
@roles_required(Role.ADMIN)
def withdraw_publication(slug: str) -> str | Response | tuple[str, int]:
    consultation = consultation_or_404(slug)
    form = WithdrawPublicationForm()
    if not form.validate_on_submit():
        return _page(consultation, withdraw_form=form), 422
    reason = form.reason.data.strip()
    try:
        publishing.withdraw(consultation, actor=publishing.actor_name(None), reason=reason)
    except publishing.PublishRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(url_for("admin.publication", slug=slug))
    db.session.commit()
    flash(_("Oppsummeringen er trukket tilbake."), "success")
    return redirect(url_for("admin.publication", slug=slug))
