"""Letters: the secretariat registers letters that came by post or e-mail (one or many files,
or a zip), reviews each before it counts, and reads any response's attached files.

Registering never stops at a bad file: each one that cannot be read is listed with its reason
and the others are registered. A registered letter waits for review (it counts nowhere); the
review page confirms or corrects its sender and the question each passage answers, and
confirming makes it a response like any other. Registering and reviewing are the admin's;
analysts read the files on the responses they read.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from forms.letters import (
    DONT_KNOW,
    GENERAL,
    LetterReviewForm,
    LetterSettingsForm,
    LetterUploadForm,
    letter_review_form,
)
from forms.registration import oslo_day
from hearing import audit
from hearing.admin import admin_blueprint as bp
from hearing.admin.lookup import consultation_or_404, submission_or_404
from hearing.auth import roles_required
from hearing.extensions import db
from hearing.imports.limits import ImportLimits
from hearing.letters.extract import ocr_available
from hearing.letters.letter import LetterRejected
from hearing.letters.messages import message
from hearing.models import Attachment, Consultation, Role, Submission, SubmissionStatus
from hearing.models.types import utcnow
from hearing.private_download import private_download
from hearing.public.pages import category_choices
from hearing.request_limits import allow_files
from hearing.services import attachments, invitees, letters
from hearing.services.form_shapes import form_shape
from hearing.services.letter_batch import BatchLimits, BatchOutcome, from_uploads, register_batch
from synthesis.answers import Answer

READERS = (Role.ADMIN, Role.ANALYST)
allow_files(lambda config: BatchLimits.from_config(config).max_total_bytes, "admin.letters_page")


def _locale() -> str:
    return str(get_locale())


def _letters_page(
    consultation: Consultation,
    upload: LetterUploadForm,
    outcome: BatchOutcome | None = None,
    status: int = 200,
) -> tuple[str, int]:
    found = letters.letters_of(consultation)
    page = render_template(
        "admin/letters.html",
        consultation=consultation,
        upload=upload,
        settings=LetterSettingsForm(letters_alone=consultation.letters_alone),
        outcome=outcome,
        letters=found,
        awaiting=sum(1 for s, _ in found if s.status == SubmissionStatus.REVIEW),
        general_question=letters.general_question(consultation),
        unfiled=any(letters.unfiled_text(consultation, letter) for _, letter in found),
        ocr=ocr_available(),
    )
    return page, status


@bp.route("/consultations/<slug>/letters", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def letters_page(slug: str) -> ResponseReturnValue:
    """The consultation's letters, and the upload that registers more."""
    consultation = consultation_or_404(slug)
    batch = BatchLimits.from_config(current_app.config)
    form = LetterUploadForm()
    if not form.validate_on_submit():
        return _letters_page(consultation, form, status=422 if form.errors else 200)
    uploads = [(f.filename or "", f.read()) for f in form.files.data or () if f and f.filename]
    if not uploads:
        form.files.errors.append(_("Velg minst én fil."))
        return _letters_page(consultation, form, status=422)
    outcome = register_batch(
        consultation,
        from_uploads(uploads, batch),
        reading=attachments.AttachmentLimits.for_letters(current_app.config),
        now=utcnow(),
        locale=_locale(),
    )
    audit.record(
        "letters.register",
        target=consultation,
        consultation_id=consultation.id,
        registered=len(outcome.registered),
        existing=len(outcome.existing),
        refused=len(outcome.refused),
    )
    db.session.commit()
    return _letters_page(consultation, LetterUploadForm(formdata=None), outcome)


@bp.route("/consultations/<slug>/letters/settings", methods=["POST"])
@roles_required(Role.ADMIN)
def letters_settings(slug: str) -> Response:
    consultation = consultation_or_404(slug)
    form = LetterSettingsForm()
    if form.validate_on_submit():
        consultation.letters_alone = bool(form.letters_alone.data)
        audit.record(
            "consultation.letters_alone",
            target=consultation,
            consultation_id=consultation.id,
            allowed=consultation.letters_alone,
        )
        db.session.commit()
        flash(_("Innstillingen er lagret."), "success")
    return redirect(url_for("admin.letters_page", slug=slug))


@bp.route("/consultations/<slug>/letters/general-question", methods=["POST"])
@roles_required(Role.ADMIN)
def letters_general_question(slug: str) -> Response:
    """Add the question for general comments, where letters' unfiled passages then go."""
    consultation = consultation_or_404(slug)
    if letters.general_question(consultation) is None:
        question = letters.add_general_question(consultation)
        audit.record(
            "question.create", target=question, consultation_id=consultation.id, code=question.code
        )
        db.session.commit()
        flash(
            _("Spørsmål %(code)s «%(text)s» er lagt til.", code=question.code, text=question.text),
            "success",
        )
    return redirect(url_for("admin.letters_page", slug=slug))


# The review ----------------------------------------------------------------------------------


def _letter_or_404(consultation: Consultation, submission_id: int) -> tuple[Submission, Attachment]:
    submission = submission_or_404(consultation, submission_id)
    letter = letters.letter_of(submission)
    if letter is None:
        abort(404)
    return submission, letter


def _review_form(
    consultation: Consultation, letter: Attachment, **kwargs: object
) -> LetterReviewForm:
    shape = form_shape(consultation)
    return letter_review_form(
        passages=letter.passages,
        text_questions=letters.text_questions(consultation),
        scale_questions=letters.scale_questions(consultation),
        scale=shape.scale,
        categories=category_choices(consultation),
    )


def _load(form: LetterReviewForm, submission: Submission, letter: Attachment) -> None:
    """Show the letter as it stands (the proposal, or what was confirmed)."""
    form.respondent_name.data = submission.respondent_name
    form.signed_by.data = letter.signed_by
    form.category.data = str(submission.category_id or "")
    received = submission.received_at or submission.submitted_at or utcnow()
    form.received_on.data = oslo_day(received)
    form.written_on.data = letter.written_on
    form.email.data = submission.email
    form.org_number.data = invitees.org_number_of(submission)
    form.consent.data = letters.stated_consent(submission)
    form.publish_original.data = letter.publish_original
    form.text.data = letter.text
    for passage in letter.passages:
        form[f"passage_{passage.id}"].data = str(passage.question_id or GENERAL)
    positions = letters.positions_of(submission)
    for question_id, name in form.position_fields:
        position = positions.get(question_id)
        if position is None:
            continue
        form[name].data = DONT_KNOW if position.dont_know else str(position.value)


def _review(form: LetterReviewForm, consultation: Consultation) -> letters.Review:
    codes = {q.id: q.code for q in letters.scale_questions(consultation)}
    return letters.Review(
        respondent_name=form.respondent_name.data or "",
        signed_by=form.signed_by.data or "",
        category_id=int(form.category.data) if (form.category.data or "").isdecimal() else None,
        received_on=form.received_on.data,
        written_on=form.written_on.data,
        email=form.email.data or "",
        org_number=form.org_number.data or "",
        consent=form.consent.data or "",
        publish_original=bool(form.publish_original.data),
        placements=form.placements(),
        positions={
            question_id: Answer(codes[question_id], value=value, dont_know=dont_know)
            for question_id, (value, dont_know) in form.positions().items()
            if question_id in codes
        },
        text=form.text.data if form.text.data is not None else None,
    )


def _render_review(
    consultation: Consultation,
    submission: Submission,
    letter: Attachment,
    form: LetterReviewForm,
    status: int = 200,
) -> tuple[str, int]:
    page = render_template(
        "admin/letter_review.html",
        consultation=consultation,
        submission=submission,
        letter=letter,
        form=form,
        notes=[message(code, _locale()) for code in letter.notes],
        general_question=letters.general_question(consultation),
        unfiled=letters.unfiled_text(consultation, letter),
        ocr=ocr_available(),
        next_letter=letters.next_awaiting(consultation, submission),
    )
    return page, status


@bp.route("/consultations/<slug>/letters/<int:submission_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def letter_review(slug: str, submission_id: int) -> ResponseReturnValue:
    """Confirm or correct a letter's sender and where its passages go; confirming counts it."""
    consultation = consultation_or_404(slug)
    submission, letter = _letter_or_404(consultation, submission_id)
    form = _review_form(consultation, letter)
    if request.method == "GET":
        _load(form, submission, letter)
        return _render_review(consultation, submission, letter, form)
    confirm = request.form.get("action") == "confirm"
    valid = form.validate_on_submit()
    if confirm:
        valid = form.check_confirmable() and valid
    if not valid:
        return _render_review(consultation, submission, letter, form, 422)
    was_awaiting = submission.status == SubmissionStatus.REVIEW
    letters.apply_review(
        submission, letter, _review(form, consultation), confirm=confirm, now=utcnow()
    )
    confirmed = was_awaiting and submission.status == SubmissionStatus.SUBMITTED
    audit.record(
        "letter.confirm" if confirmed else "letter.review",
        target=submission,
        consultation_id=consultation.id,
        reference=submission.reference,
    )
    db.session.commit()
    if confirmed:
        flash(_("Brevet er bekreftet og teller nå med som et høringssvar."), "success")
        following = letters.next_awaiting(consultation, submission)
        if following is not None:
            return redirect(url_for("admin.letter_review", slug=slug, submission_id=following.id))
        return redirect(url_for("admin.letters_page", slug=slug))
    flash(_("Endringene er lagret."), "success")
    return redirect(url_for("admin.letter_review", slug=slug, submission_id=submission.id))


@bp.route("/consultations/<slug>/letters/<int:submission_id>/read-again", methods=["POST"])
@roles_required(Role.ADMIN)
def letter_read_again(slug: str, submission_id: int) -> Response:
    """Read a letter's file again with text recognition (a scan a respondent attached)."""
    consultation = consultation_or_404(slug)
    submission, letter = _letter_or_404(consultation, submission_id)
    try:
        letters.read_again(submission, letter, ImportLimits.from_config(current_app.config))
    except LetterRejected as rejected:
        db.session.rollback()
        flash(message(rejected.code, _locale(), rejected.params), "error")
    else:
        audit.record(
            "letter.read_again",
            target=submission,
            consultation_id=consultation.id,
            reference=submission.reference,
        )
        db.session.commit()
        if letter.needs_text:
            flash(_("Teksten kunne fortsatt ikke leses. Skriv eller lim den inn."), "error")
        else:
            flash(_("Teksten er lest og delt i avsnitt på nytt."), "success")
    return redirect(url_for("admin.letter_review", slug=slug, submission_id=submission.id))


# Files ---------------------------------------------------------------------------------------


@bp.route("/consultations/<slug>/submissions/<int:submission_id>/files/<int:attachment_id>")
@roles_required(*READERS)
def attachment_file(slug: str, submission_id: int, attachment_id: int) -> Response:
    """A response's file as it came, to download (never shown inline: it is untrusted)."""
    consultation = consultation_or_404(slug)
    submission = submission_or_404(consultation, submission_id)
    found = db.session.get(Attachment, attachment_id)
    if found is None or found.submission_id != submission.id:
        abort(404)
    return private_download(
        attachments.stream_of(found),
        mimetype=attachments.MEDIA_TYPES.get(found.kind, "application/octet-stream"),
        name=found.filename,
    )
