"""Suggested codes on a question's coding page, from the answers analysts have finished with.

The suggester (`synthesis.code_suggestions`) is fitted on the question's coded or reviewed
answers and tests itself on them first; only when that test keeps the target precision does the
page get any suggestions. Fitting (cross-validation included) takes a fraction of a second for
a few hundred coded answers, and a page is reloaded after every tag, so fitted suggesters are
kept per process for the exact training data they saw: a new tag, review or edited answer makes
new data and a new fit, and nothing stale is ever suggested.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import exists, or_, select

from hearing.extensions import db
from hearing.models import AnswerReview, Code, CodeAssignment, Consultation, Question
from hearing.models.submission import Answer
from hearing.services.coding import CodedAnswer, codable_answers
from synthesis.code_suggestions import CodedExample, CodeSuggester, SuggestionQuality

FITTED_KEPT = 16


@dataclass(frozen=True)
class QuestionSuggestions:
    quality: SuggestionQuality
    by_answer: dict[int, list[Code]]  # answer id → suggested codes, best first


def training_examples(consultation: Consultation, question: Question) -> tuple[CodedExample, ...]:
    """The question's answers that are tagged or reviewed, with their codes (by code id)."""
    finished = (
        codable_answers(consultation)
        .where(Answer.question_id == question.id)
        .where(
            or_(
                exists().where(CodeAssignment.answer_id == Answer.id),
                exists().where(AnswerReview.answer_id == Answer.id),
            )
        )
        .order_by(Answer.id)
    )
    answers = db.session.scalars(finished).all()
    codes: dict[int, set[str]] = defaultdict(set)
    for answer_id, code_id in db.session.execute(
        select(CodeAssignment.answer_id, CodeAssignment.code_id)
        .join(Answer, CodeAssignment.answer_id == Answer.id)
        .where(Answer.question_id == question.id)
    ):
        codes[answer_id].add(str(code_id))
    return tuple(
        CodedExample(str(answer.id), answer.text or "", frozenset(codes[answer.id]))
        for answer in answers
    )


@lru_cache(maxsize=FITTED_KEPT)
def fitted_suggester(examples: tuple[CodedExample, ...]) -> CodeSuggester:
    return CodeSuggester().fit(examples)


def suggestions_for(
    consultation: Consultation, question: Question, shown: list[CodedAnswer], codes: list[Code]
) -> QuestionSuggestions:
    """The measured quality, and suggestions for the shown answers nobody has tagged or
    reviewed (none unless the quality is good enough)."""
    suggester = fitted_suggester(training_examples(consultation, question))
    open_answers = [item for item in shown if not item.assignments and item.review is None]
    by_id = {str(code.id): code for code in codes}
    by_answer: dict[int, list[Code]] = {}
    if suggester.quality_.offered and open_answers:
        texts = [item.answer.text or "" for item in open_answers]
        for item, suggestions in zip(open_answers, suggester.suggest(texts), strict=True):
            found = [by_id[s.code] for s in suggestions if s.code in by_id]
            if found:
                by_answer[item.answer.id] = found
    return QuestionSuggestions(suggester.quality_, by_answer)
