"""One mapping between a response and its table rows.

An `Answer` (`synthesis.answers`) is stored as the columns of the same names in `answers`, so
reading a row back and writing one are each written once, here, for every path that stores or
reads responses.
"""

from __future__ import annotations

from typing import Any

from hearing.models import Answer as StoredAnswer
from synthesis.answers import Answer
from synthesis.snapshot import Scale

# The columns that hold an answer's parts, in the order `answer_values` gives them.
ANSWER_PARTS: tuple[str, ...] = ("value", "dont_know", "text")
ANSWER_PART_COLUMNS = tuple(StoredAnswer.__table__.c[name] for name in ANSWER_PARTS)


def answer_values(answer: Answer) -> tuple[Any, ...]:
    """The answer's stored parts, in the order of `ANSWER_PARTS`."""
    return (answer.value, answer.dont_know, answer.text)


def answer_columns(answer: Answer) -> dict[str, Any]:
    """The answer's stored parts by column name."""
    return dict(zip(ANSWER_PARTS, answer_values(answer), strict=True))


def stored_answer(
    question_code: str, value: int | None, dont_know: bool, text: str | None
) -> Answer:
    """The answer a row's parts (in the order of `ANSWER_PARTS`) stand for."""
    return Answer(question_code, value=value, dont_know=bool(dont_know), text=text)


def answer_of(row: StoredAnswer, question_code: str) -> Answer:
    """The answer an ORM row stands for."""
    return stored_answer(question_code, *(getattr(row, name) for name in ANSWER_PARTS))


def answer_label(row: StoredAnswer, scale: Scale) -> str:
    """A stored answer's value in words, as its question's kind writes it ("" for none)."""
    question = row.question
    return question.question_kind.label(answer_of(row, question.code), question, scale)
