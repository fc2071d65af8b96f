"""Every published response on a page of its own, as regjeringen.no publishes høringssvar.

A response's page is read out of the edition's frozen public summary, never out of the live
data: its answers are the summary's rows for that respondent (already redacted, named or
anonymised as the summary shows them), with the question they answer, and its letter is the
one the edition froze. A page therefore never shows anything newer than the edition, and goes
when the edition does.
"""

from __future__ import annotations

from dataclasses import dataclass

from exports.exported_respondent import ExportedRespondent
from exports.summary import CompiledSummary, PublishedLetter, QuestionSummary, SummaryRow


@dataclass(frozen=True)
class ResponseAnswer:
    question: QuestionSummary
    row: SummaryRow


@dataclass(frozen=True)
class PublishedResponse:
    respondent: ExportedRespondent
    category: str  # as printed, in the summary's language
    answers: tuple[ResponseAnswer, ...]
    letter: PublishedLetter | None


def published_responses(summary: CompiledSummary) -> dict[str, PublishedResponse]:
    """Each respondent with a page, by page id, in the summary's order (one pass over the rows,
    so the index of a large edition is made once and kept by the caller)."""
    answers: dict[str, list[ResponseAnswer]] = {}
    for question in summary.questions:
        for row in question.rows:
            if row.respondent.page_id:
                answers.setdefault(row.respondent.page_id, []).append(ResponseAnswer(question, row))
    letters = {letter.page_id: letter for letter in summary.letters}
    categories = {info.label: info.display_label for info in summary.categories}
    return {
        respondent.page_id: PublishedResponse(
            respondent=respondent,
            category=categories.get(respondent.category, respondent.category),
            answers=tuple(answers.get(respondent.page_id, ())),
            letter=letters.get(respondent.page_id),
        )
        for respondent in summary.respondents
        if respondent.page_id
    }
