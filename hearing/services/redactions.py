"""Redacting a response: marking spans (or the name) hidden from every public output.

The secretariat selects a span of an answer or of a letter's text (or gives the words, and
every place they occur in that text is marked), or redacts the respondent's name, with a reason.
How a redaction hides text is `synthesis.redaction`'s business, and where it applies is
`synthesis.publishable`'s: the public snapshot is redacted, so the public synthesis run, the
summary, its downloads and the per-response pages never see the words.

Adding a redaction to a published consultation republishes it at once without the words, as
hiding a response does; removing one leaves the edition as it is (it shows less than it could,
never more) and the publication page says the edition is out of date. Every change is
audit-logged with who, when, where and why, never with the words: the audit trail outlives an
erasure, and the words are what the redaction exists to keep from view. Service functions only
flush; the view commits.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from hearing import audit
from hearing.extensions import db
from hearing.models import (
    Attachment,
    Question,
    Redaction,
    RedactionReason,
    Submission,
)
from hearing.models.submission import Answer
from hearing.services.coding import CodingRefused, resolve_passage
from synthesis import redaction as rules

MAX_NOTE = 1_000


class RedactionRefused(Exception):
    """The redaction cannot be made; the message (translated) says why."""


@dataclass(frozen=True)
class RedactionState:
    """A redaction as the secretariat sees it: where it is and whether the text still holds
    the words it was marked on (a stale one hides its words wherever they are, or all)."""

    redaction: Redaction
    holds: bool

    @property
    def stale(self) -> bool:
        return not self.holds


def redactions_of(submission: Submission) -> list[Redaction]:
    return list(
        db.session.scalars(
            select(Redaction)
            .where(Redaction.submission_id == submission.id)
            .order_by(Redaction.question_id.is_not(None), Redaction.id)
        )
    )


def states_of(submission: Submission) -> list[RedactionState]:
    answers = {answer.question_id: answer.text or "" for answer in submission.answers}
    return [
        RedactionState(found, as_rule(found).holds(_current_text(found, submission, answers)))
        for found in redactions_of(submission)
    ]


def redaction_data(found: Redaction) -> dict[str, object]:
    """What the respondent's data export says of a redaction."""
    return {
        "where": _where(found),
        "redacted": found.redacted_text,
        "reason": found.reason,
        "note": found.note,
        "created_at": found.created_at.isoformat(),
    }


def as_rule(found: Redaction, question_code: str | None = None) -> rules.Redaction:
    """The redaction as `synthesis.redaction` applies it (`question_code` of an answer's)."""
    return rules.Redaction(question_code, found.span_start, found.span_end, found.redacted_text)


def _current_text(found: Redaction, submission: Submission, answers: dict[int, str]) -> str:
    if found.attachment is not None:
        return found.attachment.text
    if found.question_id is not None:
        return answers.get(found.question_id, "")
    return submission.respondent_name


@dataclass(frozen=True)
class Marking:
    """What the secretariat marked: a selection (`start`, `end` and the `words` it held) or,
    without offsets, words to redact wherever they occur; and why (`reason`, `note`)."""

    reason: str
    words: str = ""
    start: int | None = None
    end: int | None = None
    note: str = ""
    user_id: int | None = None


def redact_answer(submission: Submission, question: Question, marking: Marking) -> list[Redaction]:
    """Redact a span of the answer to `question` (a selection checked against the text), or,
    without offsets, every place the words occur in it (flush only; audited; republishes)."""
    answer = db.session.scalar(
        select(Answer).where(
            Answer.submission_id == submission.id, Answer.question_id == question.id
        )
    )
    if answer is None or not (answer.text or "").strip():
        raise RedactionRefused(_("Svaret på dette spørsmålet har ingen tekst å sladde."))
    made = [
        _add(submission, span, marking, question_id=question.id)
        for span in _spans(answer.text or "", marking)
    ]
    _after_adding(submission, made, where=question.code)
    return made


def redact_letter(
    submission: Submission, attachment: Attachment, marking: Marking
) -> list[Redaction]:
    """As `redact_answer`, in a letter's (or another attached file's) text. A letter's
    passages are its response's answers, so wherever the words occur in an answer they are
    redacted there too: the synthesis reads the answers, never the file."""
    if attachment.submission_id != submission.id or not attachment.text.strip():
        raise RedactionRefused(_("Filen har ingen tekst å sladde."))
    spans = _spans(attachment.text, marking)
    made = [_add(submission, span, marking, attachment_id=attachment.id) for span in spans]
    for redacted in dict.fromkeys(attachment.text[first:last] for first, last in spans):
        for answer in submission.answers:
            made += [
                _add(submission, span, marking, question_id=answer.question_id)
                for span in rules.occurrences(answer.text or "", redacted)
            ]
    _after_adding(submission, made, where="letter")
    return made


def redact_name(submission: Submission, marking: Marking) -> Redaction:
    """Redact the respondent's name: the response is then published anonymously."""
    name = submission.respondent_name
    if not name.strip():
        raise RedactionRefused(_("Svaret har ikke noe navn å sladde."))
    if any(state.redaction.is_name and state.holds for state in states_of(submission)):
        raise RedactionRefused(_("Navnet er allerede sladdet."))
    made = _add(submission, (0, len(name)), marking)
    _after_adding(submission, [made], where="name")
    return made


def remove(found: Redaction) -> None:
    """Take a redaction away (flush only; audited). The edition is left as it is: it shows
    less than it could, and the publication page says it is out of date."""
    submission = found.submission
    audit.record(
        "redaction.remove",
        target=submission,
        consultation_id=submission.consultation_id,
        reference=submission.reference,
        where=_where(found),
        reason=found.reason,
    )
    db.session.delete(found)
    db.session.flush()


def _where(found: Redaction) -> str:
    if found.question is not None:
        return found.question.code
    return "letter" if found.attachment_id is not None else "name"


def _spans(text: str, marking: Marking) -> list[tuple[int, int]]:
    """The spans to redact: the selection, checked against the text; or every occurrence of
    the words given."""
    if marking.start is None and marking.end is None:
        wanted = marking.words.strip()
        if not wanted:
            raise RedactionRefused(_("Merk ordene som skal sladdes i teksten, eller skriv dem."))
        found = rules.occurrences(text, wanted)
        if not found:
            raise RedactionRefused(
                _("Ordene finnes ikke i teksten. Kopier dem nøyaktig fra teksten.")
            )
        return found
    try:
        passage = resolve_passage(text, start=marking.start, end=marking.end, quote=marking.words)
    except CodingRefused as refused:
        raise RedactionRefused(str(refused)) from refused
    if passage is None:  # the whole text
        stripped = text.strip()
        first = text.index(stripped)
        return [(first, first + len(stripped))]
    return [(passage.start, passage.end)]


def _add(
    submission: Submission,
    span: tuple[int, int],
    marking: Marking,
    *,
    question_id: int | None = None,
    attachment_id: int | None = None,
) -> Redaction:
    reason = marking.reason
    if reason not in {known.value for known in RedactionReason}:
        raise RedactionRefused(_("Velg en begrunnelse for sladdingen."))
    note = marking.note.strip()
    if reason == RedactionReason.OTHER and not note:
        raise RedactionRefused(_("Skriv hvorfor teksten sladdes."))
    if len(note) > MAX_NOTE:
        raise RedactionRefused(_("Begrunnelsen kan være på høyst %(count)d tegn.", count=MAX_NOTE))
    text = _text_of(submission, question_id, attachment_id)
    made = Redaction(
        submission_id=submission.id,
        question_id=question_id,
        attachment_id=attachment_id,
        span_start=span[0],
        span_end=span[1],
        redacted_text=text[span[0] : span[1]],
        reason=reason,
        note=note,
        created_by_id=marking.user_id,
    )
    db.session.add(made)
    return made


def _text_of(submission: Submission, question_id: int | None, attachment_id: int | None) -> str:
    if attachment_id is not None:
        return db.session.get_one(Attachment, attachment_id).text
    if question_id is not None:
        return next(
            answer.text or "" for answer in submission.answers if answer.question_id == question_id
        )
    return submission.respondent_name


def _after_adding(submission: Submission, made: list[Redaction], *, where: str) -> None:
    db.session.flush()
    audit.record(
        "redaction.add",
        target=submission,
        consultation_id=submission.consultation_id,
        reference=submission.reference,
        where=where,
        reason=made[0].reason,
        spans=len(made),
    )
    # Imported here: publishing reads responses and their redactions, so a module-level import
    # would close a cycle (as for hiding, hearing.services.responses.set_hidden).
    from hearing.services.publication import republish_at_once

    republish_at_once(submission.consultation, actor=None, reason="redaction")


def fingerprint(consultation_id: int) -> str:
    """Which redactions the consultation has, in one string: an edition made with another set
    is out of date."""
    ids = db.session.scalars(
        select(Redaction.id)
        .join(Submission, Redaction.submission_id == Submission.id)
        .where(Submission.consultation_id == consultation_id)
        .order_by(Redaction.id)
    ).all()
    return _digest(ids)


def _digest(ids: list[int]) -> str:
    return hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:16]


NONE_FINGERPRINT = _digest([])  # of an edition made before redactions existed


def with_stale_redactions(consultation_id: int) -> list[Submission]:
    """Responses with a redaction whose text has changed since it was marked, for the
    publication page to point the secretariat to."""
    found = db.session.scalars(
        select(Submission)
        .join(Redaction, Redaction.submission_id == Submission.id)
        .where(Submission.consultation_id == consultation_id)
        .distinct()
        .order_by(Submission.id)
    ).all()
    return [s for s in found if any(state.stale for state in states_of(s))]
