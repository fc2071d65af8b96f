"""The secretariat's view of responses: list with filters, read one with its versions, moderate.
Registering and correcting a letter is hearing.admin.registration."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from forms.moderation import HideForm
from hearing import audit
from hearing.admin import admin_blueprint as bp
from hearing.admin.lookup import consultation_or_404, submission_or_404
from hearing.admin.registration import changed_parts, corrections_of
from hearing.admin.submission_filters import (
    STATUS_FILTERS,
    ResponseFilters,
    choice_options,
    latest_themes,
    position_options,
    tag_options,
    theme_options,
)
from hearing.auth import roles_required
from hearing.extensions import db
from hearing.models import Consultation, Role, Submission, SubmissionStatus
from hearing.public.pages import category_choices
from hearing.services import responses, search

READERS = (Role.ADMIN, Role.ANALYST)
STATUS_LABELS = {
    SubmissionStatus.DRAFT: _l("Utkast"),
    SubmissionStatus.SUBMITTED: _l("Innsendt"),
    SubmissionStatus.WITHDRAWN: _l("Trukket"),
    SubmissionStatus.REVIEW: _l("Brev som venter på gjennomgang"),
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
    rows = db.session.scalars(query.order_by(Submission.response_date, Submission.id)).all()
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
        choice_options=choice_options(consultation),
        tag_options=tag_options(consultation),
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
    return _submission_page(consultation, found, HideForm())


def _submission_page(consultation: Consultation, found: Submission, hide_form: HideForm) -> str:
    """One response with its earlier versions, each with who corrected what (if audited)."""
    content = responses.content_of(found)
    return render_template(
        "admin/submission.html",
        consultation=consultation,
        submission=found,
        rows=responses.answer_rows(consultation, content.answers),
        hide_form=hide_form,
        status_labels=STATUS_LABELS,
        source_labels=SOURCE_LABELS,
        registered=responses.is_registered(found),
        corrections=corrections_of(found),
        changed_parts=changed_parts,
    )


@bp.route("/consultations/<slug>/submissions/<int:submission_id>/hide", methods=["POST"])
@roles_required(Role.ADMIN)
def hide_submission(slug: str, submission_id: int) -> ResponseReturnValue:
    consultation = consultation_or_404(slug)
    found = submission_or_404(consultation, submission_id)
    form = HideForm()
    if not form.validate_on_submit():
        return _submission_page(consultation, found, form), 422
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
