"""What a publication freezes for the per-response pages: page ids, and the letters.

Each published response has a page under a random id (`hearing.models.response_page`), made
when the response is first published and kept from one edition to the next. A letter response
shown by name also gets its letter on the page: the letter's text with every redaction of the
response applied (the letter's own spans, and every place the words redacted in its answers or
its name occur), and its original file only where the secretariat approved it and the response
has no redaction at all: an original cannot be redacted, so one with redactions is never
published. A response shown anonymously has no letter on its page (a letter names its sender;
its answers, redacted, are there). Service functions only flush.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import insert, select

from exports.summary import CompiledSummary, PublishedLetter
from hearing.extensions import db
from hearing.models import (
    Attachment,
    Consultation,
    Redaction,
    ResponsePage,
    Submission,
)
from hearing.models.response_page import new_page_id
from hearing.services import attachments
from hearing.services.redactions import as_rule, redactions_of
from synthesis.redaction import hide_spans, occurrences

CHUNK = 1_000  # well under every database's parameter limit


def page_ids(consultation: Consultation, references: Iterable[str] = ()) -> dict[str, str]:
    """The page id of each response, by reference: the ones made already, and a new one for
    each of `references` without (the publishable responses of an edition being made)."""
    known = dict(
        db.session.execute(
            select(Submission.reference, ResponsePage.page_id)
            .join(ResponsePage, ResponsePage.submission_id == Submission.id)
            .where(Submission.consultation_id == consultation.id)
        ).all()
    )
    missing = [reference for reference in references if reference not in known]
    for start in range(0, len(missing), CHUNK):
        made = []
        for submission_id, reference in db.session.execute(
            select(Submission.id, Submission.reference).where(
                Submission.consultation_id == consultation.id,
                Submission.reference.in_(missing[start : start + CHUNK]),
            )
        ):
            known[reference] = new_page_id()
            made.append({"submission_id": submission_id, "page_id": known[reference]})
        if made:
            db.session.execute(insert(ResponsePage), made)
    return known


def published_letters(
    consultation: Consultation, summary: CompiledSummary, ids: dict[str, str]
) -> tuple[PublishedLetter, ...]:
    """The letters of the responses `summary` shows by name, as their pages show them."""
    named = {r.page_id for r in summary.respondents if r.page_id and not r.anonymised}
    reference_of = {page: reference for reference, page in ids.items() if page in named}
    if not reference_of:
        return ()
    found = db.session.execute(
        select(Submission, Attachment)
        .join(Attachment, Attachment.submission_id == Submission.id)
        .where(
            Submission.consultation_id == consultation.id,
            Attachment.is_letter.is_(True),
            Submission.reference.in_(reference_of.values()),
        )
        .order_by(Attachment.id)
    ).all()
    redactions = _redactions_by_submission(consultation)
    letters: dict[str, PublishedLetter] = {}
    page_of = {reference: page for page, reference in reference_of.items()}
    for submission, letter in found:
        page = page_of[submission.reference]
        if page in letters:  # the first letter is the response's letter
            continue
        held = redactions.get(submission.id, [])
        letters[page] = PublishedLetter(
            page_id=page,
            filename=letter.filename,
            kind=letter.kind,
            text=letter_text(letter, held, consultation.language),
            original=original_allowed(submission, held) is not None,
        )
    return tuple(letters[page] for page in reference_of if page in letters)


def letter_text(letter: Attachment, held: list[Redaction], language: str) -> str:
    """The letter's text with the response's redactions applied (`letter_spans`)."""
    return hide_spans(letter.text, letter_spans(letter, held), language)


def letter_spans(letter: Attachment, held: list[Redaction]) -> list[tuple[int, int]]:
    """What the response's redactions hide of a letter's text: its own spans, and every
    occurrence of the words redacted anywhere else in the response (its answers are the
    letter's passages, and its name is in the letterhead)."""
    own = [
        span
        for redaction in held
        if redaction.attachment_id == letter.id
        for span in as_rule(redaction).spans_in(letter.text)
    ]
    return own + [
        span
        for redaction in held
        if redaction.attachment_id != letter.id
        for span in occurrences(letter.text, redaction.redacted_text)
    ]


def original_allowed(submission: Submission, held: list[Redaction]) -> Attachment | None:
    """The original letter the public may download: approved (`attachments`), unredacted."""
    return None if held else attachments.publishable_original(submission)


def original_for(consultation: Consultation, page_id: str) -> Attachment | None:
    """The original file behind a page, if it may still be offered now (the edition said so,
    and the approval and the absence of redactions still hold)."""
    submission = db.session.scalar(
        select(Submission)
        .join(ResponsePage, ResponsePage.submission_id == Submission.id)
        .where(Submission.consultation_id == consultation.id, ResponsePage.page_id == page_id)
    )
    if submission is None:
        return None
    return original_allowed(submission, redactions_of(submission))


def _redactions_by_submission(consultation: Consultation) -> dict[int, list[Redaction]]:
    found: dict[int, list[Redaction]] = defaultdict(list)
    for redaction in db.session.scalars(
        select(Redaction)
        .join(Submission, Redaction.submission_id == Submission.id)
        .where(Submission.consultation_id == consultation.id)
    ):
        found[redaction.submission_id].append(redaction)
    return found
