"""The respondent's journey: answer, save a draft, come back, submit, edit or withdraw.

Every POST of the form carries an idempotency key made when the form was rendered. The first
POST with a key creates the submission; any repeat (double click, reload, retry) finds it again,
so one form never makes two submissions. The private link's token follows from the key (see
hearing.services.responses), so the repeat shows the same receipt and link.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from forms.response import ResponseForm
from hearing.extensions import db, limiter
from hearing.models import Consultation, Status, Submission, SubmissionStatus
from hearing.models.types import utcnow
from hearing.public import public_blueprint as bp
from hearing.public import respondent_files
from hearing.public.form_page import blank_form_page, response_form
from hearing.public.pages import (
    preview_response,
    readable_consultation_or_404,
    visible_consultation_or_404,
)
from hearing.services import invitees, private_links, response_mail, responses
from hearing.services.consultations import status_label
from hearing.services.form_shapes import form_shape

DRAFT = "draft"

# Why a response cannot be sent, changed or withdrawn now, said the way it is: a respondent who
# finds the consultation closed early was not late, and must not be told the deadline passed.
NOT_OPEN, DEADLINE, CLOSED = "not_open", "deadline", "closed"
REFUSED_POST = {
    NOT_OPEN: _l(
        "Høringen er ikke åpnet for svar ennå, så svaret kan ikke sendes inn. "
        "Teksten du skrev står under, så du kan kopiere den."
    ),
    DEADLINE: _l(
        "Fristen for å svare er ute, så svaret kan ikke sendes inn eller endres. "
        "Teksten du skrev står under, så du kan kopiere den."
    ),
    CLOSED: _l(
        "Høringen er lukket, så svaret kan ikke sendes inn eller endres. "
        "Teksten du skrev står under, så du kan kopiere den."
    ),
}
RECORD_NOTICE = {
    NOT_OPEN: _l(
        "Høringen er ikke åpen for svar nå. Svaret kan ikke endres, "
        "men du kan lese og kopiere teksten under."
    ),
    DEADLINE: _l(
        "Fristen er ute. Svaret kan ikke lenger endres, men du kan lese og kopiere teksten under."
    ),
    CLOSED: _l(
        "Høringen er lukket. Svaret kan ikke lenger endres, "
        "men du kan lese og kopiere teksten under."
    ),
}
REFUSED_WITHDRAWAL = {
    NOT_OPEN: _l("Høringen er ikke åpen for svar nå. Svaret kan ikke trekkes."),
    DEADLINE: _l("Fristen er ute. Svaret kan ikke lenger trekkes."),
    CLOSED: _l("Høringen er lukket. Svaret kan ikke lenger trekkes."),
}


def _why_not_accepting(consultation: Consultation) -> str:
    now = utcnow()
    if consultation.status_at(now) in (Status.DRAFT, Status.SCHEDULED):
        return NOT_OPEN
    return DEADLINE if consultation.deadline_passed(now) else CLOSED


def _submit_limit() -> str:
    return current_app.config["RATELIMIT_SUBMIT"]


def _private(response: Response | str, status: int = 200) -> Response:
    """Pages behind a private link are never cached or shared."""
    result = current_app.make_response((response, status))
    result.headers["Cache-Control"] = "no-store"
    return result


def _render_form(
    consultation: Consultation,
    form: ResponseForm,
    submission: Submission | None,
    *,
    status: int = 200,
    refused: str | None = None,
    token: str | None = None,
) -> Response:
    page = _form_page(consultation, form, submission, refused=refused, token=token)
    return _private(page, status)


def _form_page(
    consultation: Consultation,
    form: ResponseForm,
    submission: Submission | None,
    *,
    refused: str | None = None,
    token: str | None = None,
    preview: bool = False,
) -> str:
    return render_template(
        "public/respond.html",
        consultation=consultation,
        form=form,
        submission=submission,
        token=token,
        refused=refused,
        saved=request.args.get("lagret") == "1",
        status_label=status_label,
        preview=preview,
    )


def _render_record(
    consultation: Consultation, submission: Submission, token: str, *, status: int = 200
) -> Response:
    """The receipt: reference, status, and every answer, readable and printable."""
    content = responses.content_of(submission)
    categories = form_shape(consultation).categories_by_id
    category = categories.get(submission.category_id) if submission.category_id else None
    accepting = consultation.is_accepting_responses(utcnow())
    page = render_template(
        "public/receipt.html",
        consultation=consultation,
        submission=submission,
        category_label=category.label if category else None,
        token=token,
        rows=responses.answer_rows(consultation, content.answers),
        accepting=accepting,
        closed_notice=None if accepting else RECORD_NOTICE[_why_not_accepting(consultation)],
        status_label=status_label,
    )
    return _private(page, status)


def _submission_or_404(consultation: Consultation, token: str) -> Submission:
    found = responses.find_by_token(consultation, token)
    if found is None:
        abort(404)
    return found


@bp.route("/h/<slug>/svar", methods=["GET", "POST"])
@limiter.limit(_submit_limit, methods=["POST"])
def respond(slug: str) -> Response:
    if request.method == "GET":
        consultation, preview = readable_consultation_or_404(slug)
        if preview:
            return _preview_form(consultation)
        if not consultation.is_accepting_responses(utcnow()):
            flash(_("Høringen tar ikke imot svar nå."), "info")
            return redirect(url_for("public.consultation", slug=slug))
        page = blank_form_page(consultation, lambda form: _form_page(consultation, form, None))
        return _private(page)
    consultation = visible_consultation_or_404(slug)  # a preview is never submitted
    form = response_form(consultation)
    key = form.fill_idempotency_key()
    token = responses.resume_token_for(consultation.id, key, current_app.config["SECRET_KEY"])
    submission = responses.find_by_idempotency_key(consultation, key)
    return _handle_post(consultation, form, submission, token, key)


def _preview_form(consultation: Consultation) -> Response:
    """The empty form as respondents will get it, for the secretariat, with nothing to submit:
    the page has no submit buttons, and a POST finds no consultation open to answer."""
    form = response_form(consultation)
    form.idempotency_key.data = ""
    return preview_response(_form_page(consultation, form, None, preview=True))


@bp.route("/h/<slug>/svar/<token>", methods=["GET", "POST"])
@limiter.limit(_submit_limit, methods=["POST"])
def resume(slug: str, token: str) -> Response:
    consultation = visible_consultation_or_404(slug)
    submission = _submission_or_404(consultation, token)
    form = response_form(consultation)
    if request.method == "POST":
        return _handle_post(consultation, form, submission, token, None)
    editable = submission.status != SubmissionStatus.WITHDRAWN
    if not (editable and consultation.is_accepting_responses(utcnow())):
        return _render_record(consultation, submission, token)
    form.load(responses.content_of(submission))
    form.org_number.data = invitees.org_number_of(submission)
    return _render_form(consultation, form, submission, token=token)


@bp.route("/h/<slug>/svar/<token>/kvittering")
def receipt(slug: str, token: str) -> Response:
    consultation = visible_consultation_or_404(slug)
    return _render_record(consultation, _submission_or_404(consultation, token), token)


@bp.route("/h/<slug>/svar/<token>/trekk", methods=["GET", "POST"])
@limiter.limit(_submit_limit, methods=["POST"])
def withdraw(slug: str, token: str) -> Response:
    consultation = visible_consultation_or_404(slug)
    submission = _submission_or_404(consultation, token)
    if submission.status != SubmissionStatus.SUBMITTED:
        return redirect(url_for("public.resume", slug=slug, token=token))
    if not consultation.is_accepting_responses(utcnow()):
        flash(str(REFUSED_WITHDRAWAL[_why_not_accepting(consultation)]), "error")
        return _render_record(consultation, submission, token, status=403)
    if request.method == "POST":
        responses.withdraw(submission, utcnow())
        db.session.commit()
        flash(_("Svaret ditt er trukket. Det blir ikke tatt med i høringen."), "success")
        return redirect(url_for("public.resume", slug=slug, token=token))
    return _private(
        render_template(
            "public/withdraw.html", consultation=consultation, submission=submission, token=token
        )
    )


def _handle_post(
    consultation: Consultation,
    form: ResponseForm,
    submission: Submission | None,
    token: str,
    idempotency_key: str | None,
) -> Response:
    """Save a draft or submit; on any problem show the form again with everything typed."""
    slug = consultation.slug  # read before the commit expires it: no reload just for the URL
    if form.is_spam:
        abort(400)
    if submission is not None and submission.status == SubmissionStatus.WITHDRAWN:
        flash(_("Svaret er trukket og kan ikke endres."), "error")
        return _render_record(consultation, submission, token, status=409)
    if not consultation.is_accepting_responses(utcnow()):
        refused = str(REFUSED_POST[_why_not_accepting(consultation)])
        return _render_form(consultation, form, submission, status=403, refused=refused)
    editing = submission is not None and submission.status == SubmissionStatus.SUBMITTED
    wants_submit = editing or request.form.get("action") != DRAFT
    valid = form.validate_on_submit()
    uploads = respondent_files.take_uploads(submission)
    form.letter_alone = respondent_files.letter_alone_possible(consultation, uploads)
    if wants_submit:
        valid = form.check_complete() and valid
    if uploads.problems:
        form.attachments.errors = [*form.attachments.errors, *uploads.problems]
        valid = False
    if not valid:
        return _render_form(consultation, form, submission, status=422, token=token)
    changed = True
    consultation_id = consultation.id
    content = form.content()
    try:
        if submission is None:
            responses.create_from_web(
                consultation,
                idempotency_key or "",
                token,
                content,
                submitted_at=utcnow() if wants_submit else None,
            )
            private_links.remember(token)  # so the link can be sent again by e-mail
        elif wants_submit:
            changed = responses.submit(submission, content, utcnow())
        else:
            responses.save_draft(submission, content)
        if uploads.files:
            stored = submission or responses.find_by_token(consultation, token)
            answered = any(not answer.is_empty for answer in content.answers.values())
            respondent_files.store_uploads(stored, uploads, answered=answered)
            changed = True
        invitees.keep_org_number(token, form.org_number.data, new=submission is None)
        db.session.commit()
    except IntegrityError:
        # Two identical POSTs raced; the other one stored the response, so show that one.
        db.session.rollback()
        if idempotency_key is None:
            raise
        submission = responses.find_by_idempotency_key(consultation, idempotency_key)
        if submission is None:
            raise
        wants_submit = submission.status == SubmissionStatus.SUBMITTED
        changed = False
    if wants_submit and changed:
        response_mail.after_submit(
            consultation_id, token, first=not editing, receipt=form.send_receipt.data
        )
    if not wants_submit:
        return redirect(url_for("public.resume", slug=slug, token=token, lagret=1))
    if editing and changed:
        flash(_("Endringene er lagret."), "success")
    return redirect(url_for("public.receipt", slug=slug, token=token))
