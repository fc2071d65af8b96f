"""Coding answers: the codebook, tags on answers and passages, notes and reviews.

Service functions only flush; the view commits once per request. Every change is audit-logged,
naming the code, the answer and the respondent's reference, but never a quoted passage or a
note's text: the audit trail outlives an erasure, so it must hold none of a respondent's words
or the analysts' words about them. Refusals raise `CodingRefused` with a message for the
analyst.

Which answers are coded: text answers of submitted responses that are not hidden, the same
answers the secretariat's synthesis reads (drafts are the respondent's own, withdrawn and
hidden responses are out of the analysis).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from flask_babel import gettext as _
from sqlalchemy import Select, and_, exists, func, select

from hearing import audit
from hearing.extensions import db
from hearing.models import (
    AnswerNote,
    AnswerReview,
    Code,
    CodeAssignment,
    Consultation,
    Question,
    Submission,
    SubmissionStatus,
)
from hearing.models.coding import CODE_COLOURS, AssignmentSource
from hearing.models.submission import Answer
from hearing.models.types import utcnow
from hearing.services.consultations import move, renumber

MAX_CODE_NAME = 100
MAX_DESCRIPTION = 2_000
MAX_NOTE = 5_000


class CodingRefused(Exception):
    """The change cannot be made; the message says why, for the analyst."""


# Which answers are coded -------------------------------------------------------------------------


def codable_answers(consultation: Consultation) -> Select:
    """Answers with text of the consultation's submitted, visible responses."""
    return (
        select(Answer)
        .join(Submission, Answer.submission_id == Submission.id)
        .where(
            Submission.consultation_id == consultation.id,
            Submission.status == SubmissionStatus.SUBMITTED,
            Submission.hidden.is_(False),
            Answer.text.is_not(None),
            Answer.text != "",
        )
    )


def codable_answer(consultation: Consultation, answer_id: int) -> Answer | None:
    return db.session.scalar(codable_answers(consultation).where(Answer.id == answer_id))


# The codebook ----------------------------------------------------------------------------------


def codebook(consultation: Consultation) -> list[Code]:
    return list(
        db.session.scalars(
            select(Code).where(Code.consultation_id == consultation.id).order_by(Code.position)
        )
    )


def _checked_name(consultation: Consultation, name: str, *, renaming: Code | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise CodingRefused(_("Skriv et navn på koden."))
    if len(name) > MAX_CODE_NAME:
        raise CodingRefused(_("Navnet kan ha høyst %(max)s tegn.", max=MAX_CODE_NAME))
    for other in codebook(consultation):
        if other is not renaming and other.name.casefold() == name.casefold():
            raise CodingRefused(
                _("Kodeboken har allerede en kode som heter «%(name)s».", name=name)
            )
    return name


def _checked_description(description: str) -> str:
    description = description.strip()
    if len(description) > MAX_DESCRIPTION:
        raise CodingRefused(_("Beskrivelsen kan ha høyst %(max)s tegn.", max=MAX_DESCRIPTION))
    return description


def _checked_colour(colour: str | None, default: str) -> str:
    if not colour:
        return default
    if colour not in CODE_COLOURS:
        raise CodingRefused(_("Ukjent farge."))
    return colour


def add_code(
    consultation: Consultation, name: str, description: str = "", colour: str | None = None
) -> Code:
    codes = codebook(consultation)
    code = Code(
        consultation_id=consultation.id,
        name=_checked_name(consultation, name),
        description=_checked_description(description),
        colour=_checked_colour(colour, CODE_COLOURS[len(codes) % len(CODE_COLOURS)]),
        position=len(codes),
    )
    db.session.add(code)
    db.session.flush()
    audit.record("coding.code_add", target=code, consultation_id=consultation.id, code=code.name)
    return code


def update_code(code: Code, name: str, description: str, colour: str | None = None) -> None:
    old_name = code.name
    code.name = _checked_name(code.consultation, name, renaming=code)
    code.description = _checked_description(description)
    code.colour = _checked_colour(colour, code.colour)
    db.session.flush()
    audit.record(
        "coding.code_update",
        target=code,
        consultation_id=code.consultation_id,
        code=code.name,
        renamed_from=old_name if old_name != code.name else None,
    )


def move_code(code: Code, offset: int) -> None:
    move(codebook(code.consultation), code, offset)
    audit.record("coding.code_move", target=code, consultation_id=code.consultation_id, by=offset)


def code_usage(code: Code) -> int:
    """How many tags use the code."""
    return db.session.scalar(select(func.count()).where(CodeAssignment.code_id == code.id)) or 0


def delete_code(code: Code) -> int:
    """Delete the code with its tags; returns how many tags went with it."""
    consultation = code.consultation
    removed = code_usage(code)
    audit.record(
        "coding.code_delete",
        target=code,
        consultation_id=consultation.id,
        code=code.name,
        tags_removed=removed,
    )
    db.session.delete(code)
    db.session.flush()
    renumber(codebook(consultation))
    db.session.flush()
    return removed


# Tags ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    quote: str


def resolve_passage(
    text: str, *, start: int | None = None, end: int | None = None, quote: str = ""
) -> Span | None:
    """The passage an analyst marked, checked against the answer's text; None: the whole answer.

    With a span (from a selection in the page) it must lie in the text and hold `quote`, the
    text the analyst saw selected: a mismatch means the answer changed since the page loaded.
    Without a span the quote (typed or pasted, when the page runs without JavaScript) is looked
    up in the text; its first occurrence is the passage. Surrounding spaces are trimmed off; a
    passage that is the whole text is the whole answer.
    """
    if start is None and end is None:
        wanted = quote.strip()
        if not wanted:
            return None
        found = text.find(wanted)
        if found < 0:
            raise CodingRefused(_("Utdraget finnes ikke i svaret. Kopier det nøyaktig fra svaret."))
        start, end = found, found + len(wanted)
    elif start is None or end is None or not 0 <= start < end <= len(text):
        raise CodingRefused(_("Utdraget ligger utenfor svarets tekst."))
    elif quote and text[start:end] != quote:
        raise CodingRefused(
            _("Svaret er endret siden siden ble lastet. Last siden på nytt og merk utdraget igjen.")
        )
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise CodingRefused(_("Utdraget er tomt."))
    if text[:start].strip() == "" and text[end:].strip() == "":
        return None
    return Span(start, end, text[start:end])


def tag_answer(
    answer: Answer,
    code: Code,
    *,
    user_id: int | None,
    passage: Span | None = None,
    source: AssignmentSource = AssignmentSource.MANUAL,
) -> CodeAssignment:
    """Put `code` on the answer, or on a passage of it; the same tag twice is refused."""
    if code.consultation_id != answer.submission.consultation_id:
        raise CodingRefused(_("Koden hører til en annen høring."))
    start, end = (passage.start, passage.end) if passage else (None, None)
    twin = db.session.scalar(
        select(CodeAssignment.id).where(
            CodeAssignment.answer_id == answer.id,
            CodeAssignment.code_id == code.id,
            CodeAssignment.span_start.is_(None)
            if start is None
            else and_(CodeAssignment.span_start == start, CodeAssignment.span_end == end),
        )
    )
    if twin is not None:
        raise CodingRefused(
            _("Svaret har allerede koden «%(code)s».", code=code.name)
            if passage is None
            else _("Utdraget har allerede koden «%(code)s».", code=code.name)
        )
    assignment = CodeAssignment(
        code=code,
        answer=answer,
        span_start=start,
        span_end=end,
        quote=passage.quote if passage else "",
        source=source,
        created_by_id=user_id,
    )
    db.session.add(assignment)
    db.session.flush()
    _record(
        "coding.tag",
        answer,
        code=code.name,
        passage=passage is not None,
        source=source if source != AssignmentSource.MANUAL else None,
    )
    return assignment


def untag(assignment: CodeAssignment) -> None:
    _record("coding.untag", assignment.answer, code=assignment.code.name)
    db.session.delete(assignment)
    db.session.flush()


def _record(action: str, answer: Answer, **details: object) -> None:
    submission = answer.submission
    audit.record(
        action,
        target=answer,
        consultation_id=submission.consultation_id,
        reference=submission.reference,
        question=answer.question.code,
        **details,
    )


# Notes and reviews -----------------------------------------------------------------------------


def add_note(answer: Answer, text: str, *, user_id: int | None) -> AnswerNote:
    text = text.strip()
    if not text:
        raise CodingRefused(_("Skriv notatet først."))
    if len(text) > MAX_NOTE:
        raise CodingRefused(_("Et notat kan ha høyst %(max)s tegn.", max=MAX_NOTE))
    note = AnswerNote(answer=answer, text=text, author_id=user_id)
    db.session.add(note)
    db.session.flush()
    _record("coding.note_add", answer, note=note.id)
    return note


def delete_note(note: AnswerNote) -> None:
    _record("coding.note_delete", note.answer, note=note.id)
    db.session.delete(note)
    db.session.flush()


def review_of(answer: Answer) -> AnswerReview | None:
    return db.session.scalar(select(AnswerReview).where(AnswerReview.answer_id == answer.id))


def set_reviewed(answer: Answer, reviewed: bool, *, user_id: int | None) -> None:
    """Mark the answer reviewed (its tags, or their absence, are deliberate) or not."""
    review = review_of(answer)
    if reviewed and review is None:
        db.session.add(AnswerReview(answer=answer, reviewed_by_id=user_id, reviewed_at=utcnow()))
        _record("coding.review", answer)
    elif not reviewed and review is not None:
        db.session.delete(review)
        _record("coding.unreview", answer)
    db.session.flush()


# Reading the coding back -----------------------------------------------------------------------


@dataclass
class CodedAnswer:
    """An answer with everything the analysts did to it."""

    answer: Answer
    assignments: list[CodeAssignment] = field(default_factory=list)
    notes: list[AnswerNote] = field(default_factory=list)
    review: AnswerReview | None = None

    @property
    def tagged(self) -> bool:
        return bool(self.assignments)


class Filter(StrEnum):
    ALL = "all"
    UNTAGGED = "untagged"
    UNREVIEWED = "unreviewed"


def question_answers(
    consultation: Consultation,
    question: Question,
    *,
    show: str = Filter.ALL,
    code: Code | None = None,
) -> Select:
    """The question's codable answers, filtered, in the order responses came in."""
    query = codable_answers(consultation).where(Answer.question_id == question.id)
    tagged = exists().where(CodeAssignment.answer_id == Answer.id)
    if show == Filter.UNTAGGED:
        query = query.where(~tagged)
    elif show == Filter.UNREVIEWED:
        query = query.where(~exists().where(AnswerReview.answer_id == Answer.id))
    if code is not None:
        query = query.where(
            exists().where(CodeAssignment.answer_id == Answer.id, CodeAssignment.code_id == code.id)
        )
    return query.order_by(Submission.submitted_at, Submission.id)


def with_coding(answers: list[Answer]) -> list[CodedAnswer]:
    """The answers with their tags (in codebook order), notes and reviews: three queries."""
    coded = {answer.id: CodedAnswer(answer) for answer in answers}
    if not coded:
        return []
    ids = list(coded)
    for assignment in db.session.scalars(
        select(CodeAssignment)
        .join(Code, CodeAssignment.code_id == Code.id)
        .where(CodeAssignment.answer_id.in_(ids))
        .order_by(Code.position, CodeAssignment.span_start, CodeAssignment.id)
    ):
        coded[assignment.answer_id].assignments.append(assignment)
    for note in db.session.scalars(
        select(AnswerNote).where(AnswerNote.answer_id.in_(ids)).order_by(AnswerNote.created_at)
    ):
        coded[note.answer_id].notes.append(note)
    for review in db.session.scalars(select(AnswerReview).where(AnswerReview.answer_id.in_(ids))):
        coded[review.answer_id].review = review
    return list(coded.values())


@dataclass(frozen=True)
class QuestionProgress:
    question: Question
    answers: int
    tagged: int
    reviewed: int


def progress(consultation: Consultation) -> list[QuestionProgress]:
    """Per question with text answers: how many there are, are tagged and are reviewed."""
    answers = codable_answers(consultation).subquery()
    tagged = exists().where(CodeAssignment.answer_id == answers.c.id)
    reviewed = exists().where(AnswerReview.answer_id == answers.c.id)
    rows = db.session.execute(
        select(
            answers.c.question_id,
            func.count(),
            func.count().filter(tagged),
            func.count().filter(reviewed),
        ).group_by(answers.c.question_id)
    )
    counts = {question_id: (n, t, r) for question_id, n, t, r in rows}
    return [
        QuestionProgress(question, *counts[question.id])
        for question in consultation.questions
        if question.id in counts
    ]
