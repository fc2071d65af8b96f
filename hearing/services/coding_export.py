"""The coding of a consultation as plain data (`exports.coding_export.CodingData`), for the
counts by category on the summary page and for the downloads: three queries, whatever the size.

Internal only: respondents are named as the secretariat knows them, whatever their consent to
publication, so nothing built here may reach a public page or file.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import exists, or_, select

from exports.coding_export import CodebookEntry, CodingData, CodingEntry
from hearing.extensions import db
from hearing.models import AnswerNote, Code, CodeAssignment, Consultation, Question, Submission
from hearing.models.submission import Answer
from hearing.services.coding import codable_answers, codebook


def coding_data(consultation: Consultation) -> CodingData:
    """Every tag and note on the consultation's codable answers, in question, then respondent
    order; an answer's tags (in codebook order) before its notes (oldest first)."""
    categories = {category.id: category.label for category in consultation.categories}
    codable = codable_answers(consultation).subquery()
    tags: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for answer_id, code, quote in db.session.execute(
        select(CodeAssignment.answer_id, Code.name, CodeAssignment.quote)
        .join(Code, CodeAssignment.code_id == Code.id)
        .join(codable, codable.c.id == CodeAssignment.answer_id)
        .order_by(Code.position, CodeAssignment.span_start, CodeAssignment.id)
    ):
        tags[answer_id].append((code, quote))
    notes: dict[int, list[str]] = defaultdict(list)
    for answer_id, text in db.session.execute(
        select(AnswerNote.answer_id, AnswerNote.text)
        .join(codable, codable.c.id == AnswerNote.answer_id)
        .order_by(AnswerNote.created_at, AnswerNote.id)
    ):
        notes[answer_id].append(text)
    answers = db.session.execute(
        select(
            Answer.id,
            Submission.respondent_name,
            Submission.reference,
            Submission.category_id,
            Question.code,
        )
        .join(codable, codable.c.id == Answer.id)
        .join(Submission, Answer.submission_id == Submission.id)
        .join(Question, Answer.question_id == Question.id)
        .where(
            or_(
                exists().where(CodeAssignment.answer_id == Answer.id),
                exists().where(AnswerNote.answer_id == Answer.id),
            )
        )
        .order_by(Question.position, Submission.submitted_at, Submission.id)
    )
    entries: list[CodingEntry] = []
    for answer_id, name, reference, category_id, question in answers:
        who = (name or reference, reference, categories.get(category_id, ""), question)
        entries += [CodingEntry(*who, code=code, passage=quote) for code, quote in tags[answer_id]]
        entries += [CodingEntry(*who, note=text) for text in notes[answer_id]]
    return CodingData(
        codes=tuple(CodebookEntry(code.name, code.description) for code in codebook(consultation)),
        categories=tuple(category.label for category in consultation.categories),
        questions=tuple(question.code for question in consultation.questions),
        entries=tuple(entries),
    )
