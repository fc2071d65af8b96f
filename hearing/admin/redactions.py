"""Redacting a response on its reading page: mark spans (or the name) hidden from the public.

The reading page (`admin/submission.html`) includes the panel this module fills
(`redaction_panel`): every text of the response with its redacted spans marked, the
redactions with who made them, why, and whether the text still holds the words (a stale one
is flagged for the secretariat to look at again), and, for admins, the forms. Selecting text
in the panel fills the form with the span (/static/redaction.js); without JavaScript the words
are typed, and every place they occur in that text is redacted.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from hearing.admin import admin_blueprint as bp
from hearing.admin.lookup import consultation_or_404, question_or_404, submission_or_404
from hearing.auth import roles_required
from hearing.extensions import db
from hearing.models import Attachment, Consultation, Redaction, RedactionReason, Role, Submission
from hearing.services import redactions
from hearing.services.attachments import attachments_of
from hearing.services.redactions import Marking, RedactionRefused, RedactionState, as_rule
from hearing.services.response_pages import letter_spans

REASON_LABELS = {
    RedactionReason.NAME: _l("Navn eller andre opplysninger som identifiserer en person"),
    RedactionReason.HEALTH: _l("Helseopplysninger"),
    RedactionReason.THIRD_PARTY: _l("Opplysninger om andre personer, f.eks. barn"),
    RedactionReason.CONTACT: _l("Adresse, telefonnummer eller e-post"),
    RedactionReason.OFFENSIVE: _l("Krenkende eller ulovlig ytring"),
    RedactionReason.OTHER: _l("Annet (skriv begrunnelse)"),
}


@dataclass(frozen=True)
class Piece:
    text: str
    redacted: bool


@dataclass(frozen=True)
class RedactableText:
    """One text of the response the secretariat may redact in: an answer's, or a letter's."""

    target: str  # "q<question id>" or "a<attachment id>", what the form posts
    label: str
    pieces: tuple[Piece, ...]


@dataclass(frozen=True)
class RedactionPanel:
    states: list[RedactionState]
    texts: list[RedactableText]
    name_redacted: bool

    @property
    def stale(self) -> list[RedactionState]:
        return [state for state in self.states if state.stale]


def pieces(text: str, spans: list[tuple[int, int]]) -> tuple[Piece, ...]:
    """`text` cut where redacted spans begin and end, for marking them."""
    cuts = sorted({0, len(text), *(edge for span in spans for edge in span)})
    return tuple(
        Piece(text[start:end], any(s <= start and end <= e for s, e in spans))
        for start, end in pairwise(cuts)
        if end > start
    )


@bp.app_template_global()
def redaction_panel(submission: Submission) -> RedactionPanel:
    states = redactions.states_of(submission)
    held = [state.redaction for state in states]
    texts = [
        RedactableText(
            f"q{answer.question_id}",
            _("Spørsmål %(code)s", code=answer.question.code),
            pieces(answer.text or "", _answer_spans(answer.text or "", held, answer.question_id)),
        )
        for answer in sorted(submission.answers, key=lambda a: a.question.position)
        if (answer.text or "").strip()
    ]
    texts += [
        RedactableText(
            f"a{letter.id}",
            _("Fil: %(name)s", name=letter.filename),
            pieces(letter.text, letter_spans(letter, held)),
        )
        for letter in attachments_of(submission)
        if letter.text.strip()
    ]
    return RedactionPanel(
        states=states,
        texts=texts,
        name_redacted=any(state.redaction.is_name for state in states),
    )


def _answer_spans(text: str, held: list[Redaction], question_id: int) -> list[tuple[int, int]]:
    return [
        span
        for redaction in held
        if redaction.question_id == question_id
        for span in as_rule(redaction).spans_in(text)
    ]


@bp.app_template_global()
def redaction_reason_label(reason: str) -> str:
    return str(REASON_LABELS.get(RedactionReason(reason), reason))


@bp.app_template_global()
def redaction_reasons() -> list[tuple[str, str]]:
    return [(reason.value, str(label)) for reason, label in REASON_LABELS.items()]


@bp.app_template_global()
def responses_with_stale_redactions(consultation: Consultation) -> list[Submission]:
    """For the publication page: responses whose redactions no longer match their text."""
    return redactions.with_stale_redactions(consultation.id)


def _back(slug: str, submission: Submission) -> Response:
    return redirect(
        url_for("admin.submission", slug=slug, submission_id=submission.id, _anchor="redaction")
    )


def _int(name: str) -> int | None:
    return request.form.get(name, type=int)


def _marking(**span: Any) -> Marking:
    """The posted reason and note, by the signed-in user, with `span` (words, start, end)."""
    return Marking(
        reason=request.form.get("reason", ""),
        note=request.form.get("note", ""),
        user_id=current_user.id,
        **span,
    )


@bp.route("/consultations/<slug>/submissions/<int:submission_id>/redactions", methods=["POST"])
@roles_required(Role.ADMIN)
def redact(slug: str, submission_id: int) -> Response:
    """A span of an answer's or a letter's text ("target": q<question id> or a<file id>)."""
    consultation = consultation_or_404(slug)
    submission = submission_or_404(consultation, submission_id)
    target = request.form.get("target", "")
    marking = _marking(words=request.form.get("words", ""), start=_int("start"), end=_int("end"))
    try:
        if target.startswith("q") and target[1:].isdigit():
            question = question_or_404(consultation, int(target[1:]))
            made = redactions.redact_answer(submission, question, marking)
        elif target.startswith("a") and target[1:].isdigit():
            letter = db.session.get(Attachment, int(target[1:]))
            if letter is None or letter.submission_id != submission.id:
                abort(404)
            made = redactions.redact_letter(submission, letter, marking)
        else:
            abort(400)
    except RedactionRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return _back(slug, submission)
    db.session.commit()
    flash(
        ngettext(
            "Sladdet %(num)d sted. Det blir ikke publisert.",
            "Sladdet %(num)d steder. De blir ikke publisert.",
            len(made),
        ),
        "success",
    )
    return _back(slug, submission)


@bp.route("/consultations/<slug>/submissions/<int:submission_id>/redactions/name", methods=["POST"])
@roles_required(Role.ADMIN)
def redact_name(slug: str, submission_id: int) -> Response:
    consultation = consultation_or_404(slug)
    submission = submission_or_404(consultation, submission_id)
    try:
        redactions.redact_name(submission, _marking())
    except RedactionRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return _back(slug, submission)
    db.session.commit()
    flash(_("Navnet er sladdet. Svaret publiseres uten navn."), "success")
    return _back(slug, submission)


@bp.route(
    "/consultations/<slug>/submissions/<int:submission_id>/redactions/<int:redaction_id>/delete",
    methods=["POST"],
)
@roles_required(Role.ADMIN)
def remove_redaction(slug: str, submission_id: int, redaction_id: int) -> Response:
    consultation = consultation_or_404(slug)
    submission = submission_or_404(consultation, submission_id)
    found = db.session.get(Redaction, redaction_id)
    if found is None or found.submission_id != submission.id:
        abort(404)
    redactions.remove(found)
    db.session.commit()
    flash(
        _("Sladdingen er fjernet. Publiser på nytt for å vise teksten i den publiserte utgaven."),
        "success",
    )
    return _back(slug, submission)
