"""Files a web respondent attaches to their response, or a letter they answer with alone.

The response form takes PDF, DOCX and ODT files (recognised by content) up to the configured
count and size. A refused file is named with its reason beside the form, and everything typed
stays on the page. Where the consultation allows it, a response may be a letter alone: with a
file attached the form then needs no answers, the file is the response's letter, and its
passages are filed under the questions as a registered letter's are, so the respondent sees on
the receipt how their letter was read. Files can be removed until the deadline.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from hearing.extensions import db, limiter
from hearing.models import Attachment, Consultation, Submission, SubmissionStatus
from hearing.models.types import utcnow
from hearing.public import public_blueprint as bp
from hearing.public.pages import visible_consultation_or_404
from hearing.request_limits import allow_files
from hearing.services import attachments, letters, responses

FIELD = "attachments"


@dataclass
class Uploads:
    """The files sent with one POST of the form, read, and what was wrong with others."""

    files: list[attachments.ReadFile] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    held: int = 0  # files the response has already

    @property
    def any_file(self) -> bool:
        return bool(self.files) or self.held > 0


@bp.app_template_global()
def attachments_of(submission: Submission) -> list[Attachment]:
    """A response's files, for the pages that show them (receipt, form, reading page)."""
    return attachments.attachments_of(submission)


def _limits() -> attachments.AttachmentLimits:
    return attachments.AttachmentLimits.from_config(current_app.config)


def _room_for_files(config: Mapping[str, Any]) -> int:
    """What the response form's files may add to its request."""
    limits = attachments.AttachmentLimits.from_config(config)
    return limits.max_files * limits.max_bytes


allow_files(_room_for_files, "public.respond", "public.resume")


def take_uploads(submission: Submission | None) -> Uploads:
    """Read the files of this POST (none is stored yet)."""
    limits = _limits()
    held = len(attachments.attachments_of(submission)) if submission is not None else 0
    uploads = Uploads(held=held)
    given = [f for f in request.files.getlist(FIELD) if f and f.filename]
    if held + len(given) > limits.max_files:
        uploads.problems.append(
            attachments.refusal_text("too_many", {"limit": limits.max_files}, str(get_locale()))
        )
        return uploads
    for upload in given:
        try:
            uploads.files.append(
                attachments.read_file(upload.filename or "", upload.read(), limits)
            )
        except attachments.AttachmentRefused as refused:
            reason = attachments.refusal_text(refused.code, refused.params, str(get_locale()))
            uploads.problems.append(f"{attachments.display_name(upload.filename or '')}: {reason}")
    return uploads


def letter_alone_possible(consultation: Consultation, uploads: Uploads) -> bool:
    """Whether the form may go without answers: the consultation takes letters alone and a
    file comes with the response."""
    return consultation.letters_alone and uploads.any_file


def store_uploads(submission: Submission, uploads: Uploads, *, answered: bool) -> None:
    """Keep the files with the response (flush only). When the response answers nothing and
    has no letter yet, the first file is its letter, read into the answers."""
    added = [attachments.add(submission, read) for read in uploads.files]
    if not added or answered or not submission.consultation.letters_alone:
        return
    if letters.letter_of(submission) is None:
        letters.attach_letter_alone(submission, added[0])


@bp.route("/h/<slug>/svar/<token>/vedlegg/<int:attachment_id>/slett", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_SUBMIT"])
def remove_attachment(slug: str, token: str, attachment_id: int) -> Response:
    """Remove a file from one's own response, until the deadline. What the file's text gave
    the answers (a letter alone) stays: it is the response's text now, to change or keep."""
    consultation = visible_consultation_or_404(slug)
    submission = responses.find_by_token(consultation, token)
    found = db.session.get(Attachment, attachment_id)
    if submission is None or found is None or found.submission_id != submission.id:
        abort(404)
    if submission.status == SubmissionStatus.WITHDRAWN or not consultation.is_accepting_responses(
        utcnow()
    ):
        flash(_("Svaret kan ikke lenger endres, så vedlegget kan ikke fjernes."), "error")
    else:
        name = found.filename
        attachments.remove(found)
        db.session.commit()
        flash(_("Vedlegget «%(name)s» er fjernet.", name=name), "success")
    return redirect(url_for("public.resume", slug=slug, token=token))
