"""The secretariat's view of responses: list with filters, read one with its versions, moderate,
and register a response that came by letter or e-mail with the same form respondents use."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from forms.moderation import HideForm
from forms.response import new_idempotency_key
from hearing import audit
from hearing.admin import admin_blueprint as bp
from hearing.admin.lookup import consultation_or_404, submission_or_404
from hearing.admin.submission_filters import (
    STATUS_FILTERS,
    ResponseFilters,
    latest_themes,
    position_options,
    theme_options,
)
from hearing.auth import roles_required
from hearing.extensions import db
from hearing.models import Role, Submission, SubmissionStatus
from hearing.models.types import utcnow
from hearing.public.pages import category_choices
from hearing.public.respond import response_form
from hearing.services import responses, search
from hearing.services.consultations import status_label

READERS = (Role.ADMIN, Role.ANALYST)
STATUS_LABELS = {
    SubmissionStatus.DRAFT: _l("Utkast"),
    SubmissionStatus.SUBMITTED: _l("Innsendt"),
    SubmissionStatus.WITHDRAWN: _l("Trukket"),
}
SOURCE_LABELS = {"web": _l("Nettskjema"), "import": _l("Registrert/importert")}


@bp.route("/consultations/<slug>/submissions")
@roles_required(*READERS)
def submissions(slug: str) -> str:
    """The responses, narrowed by status, category, a search, a position or a theme."""
    consultation = consultation_or_404(slug)
    filters = ResponseFilters.from_args(request.args)
    latest = latest_themes(consultation)
    query = filters.apply(
        select(Submission).where(Submission.consultation_id == consultation.id),
        consultation,
        latest,
    )
    rows = db.session.scalars(query.order_by(Submission.submitted_at, Submission.id)).all()
    drafts = db.session.scalar(
        select(func.count(Submission.id)).where(
            Submission.consultation_id == consultation.id,
            Submission.status == SubmissionStatus.DRAFT,
        )
    )
    return render_template(
        "admin/submissions.html",
        consultation=consultation,
        rows=rows,
        drafts=drafts or 0,
        filters=filters,
        excerpts=search.excerpts((s.id for s in rows), filters.words),
        categories=category_choices(consultation),
        status_filters=STATUS_FILTERS,
        position_options=position_options(consultation),
        theme_options=theme_options(latest),
        latest_run_id=latest.run_id if latest else None,
        status_labels=STATUS_LABELS,
        source_labels=SOURCE_LABELS,
    )


@bp.route("/consultations/<slug>/submissions/<int:submission_id>")
@roles_required(*READERS)
def submission(slug: str, submission_id: int) -> str:
    consultation = consultation_or_404(slug)
    found = submission_or_404(consultation, submission_id)
    content = responses.content_of(found)
    return render_template(
        "admin/submission.html",
        consultation=consultation,
        submission=found,
        rows=responses.answer_rows(consultation, content.answers),
        hide_form=HideForm(),
        status_labels=STATUS_LABELS,
        source_labels=SOURCE_LABELS,
    )


@bp.route("/consultations/<slug>/submissions/<int:submission_id>/hide", methods=["POST"])
@roles_required(Role.ADMIN)
def hide_submission(slug: str, submission_id: int) -> ResponseReturnValue:
    consultation = consultation_or_404(slug)
    found = submission_or_404(consultation, submission_id)
    form = HideForm()
    if not form.validate_on_submit():
        content = responses.content_of(found)
        page = render_template(
            "admin/submission.html",
            consultation=consultation,
            submission=found,
            rows=responses.answer_rows(consultation, content.answers),
            hide_form=form,
            status_labels=STATUS_LABELS,
            source_labels=SOURCE_LABELS,
        )
        return page, 422
    reason = form.reason.data.strip()
    responses.set_hidden(found, True, reason)
    audit.record(
        "submission.hide",
        target=found,
        consultation_id=consultation.id,
        reference=found.reference,
        reason=reason,
    )
    db.session.commit()
    flash(_("Svaret er skjult fra publisering."), "success")
    return redirect(url_for("admin.submission", slug=slug, submission_id=found.id))


@bp.route("/consultations/<slug>/submissions/<int:submission_id>/unhide", methods=["POST"])
@roles_required(Role.ADMIN)
def unhide_submission(slug: str, submission_id: int) -> Response:
    consultation = consultation_or_404(slug)
    found = submission_or_404(consultation, submission_id)
    responses.set_hidden(found, False)
    audit.record(
        "submission.unhide",
        target=found,
        consultation_id=consultation.id,
        reference=found.reference,
    )
    db.session.commit()
    flash(_("Svaret kan publiseres igjen."), "success")
    return redirect(url_for("admin.submission", slug=slug, submission_id=found.id))


@bp.route("/consultations/<slug>/submissions/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_submission(slug: str) -> ResponseReturnValue:
    """A response that came by letter or e-mail; a repeated POST of one form registers it once."""
    consultation = consultation_or_404(slug)
    form = response_form(consultation, require_email=False)
    if request.method == "GET":
        form.idempotency_key.data = new_idempotency_key()
    else:
        key = form.fill_idempotency_key()
        existing = responses.find_by_idempotency_key(consultation, key)
        if existing is not None:
            return redirect(url_for("admin.submission", slug=slug, submission_id=existing.id))
        valid = form.validate_on_submit()
        complete = form.check_complete()  # run both, so every error shows at once
        if valid and complete:
            created = responses.register_by_hand(consultation, form.content(), utcnow(), key)
            audit.record(
                "submission.register",
                target=created,
                consultation_id=consultation.id,
                reference=created.reference,
            )
            db.session.commit()
            flash(
                _("Svaret er registrert med referanse %(ref)s.", ref=created.reference), "success"
            )
            return redirect(url_for("admin.submission", slug=slug, submission_id=created.id))
    status = 422 if form.errors else 200
    page = render_template(
        "admin/submission_form.html",
        consultation=consultation,
        form=form,
        status_label=status_label,
    )
    return page, status
