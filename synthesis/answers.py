"""The one shape of an answer, from the response form through storage to the compiled summary.

A respondent's answer to one question is a value (a scale point or an option, by index), "Vet
ikke" (kept apart so that it never shifts a mean), the options chosen where several may be
(multiple choice), and/or free text. Every layer passes this same object: the form reads it,
the database stores its fields as columns of the same names, the snapshot hands it to the
analysis, and the summary row carries it to the writers. What the numbers mean (which label,
how it is counted) is the question kind's business (`synthesis.question_kinds`), not the
answer's.

Only the question code may be given by position; every part of the answer is named, so no
caller can swap a value and a text by accident.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass


@dataclass(frozen=True, slots=True)
class Answer:
    """One respondent's answer to the question `question_code`."""

    question_code: str
    _: KW_ONLY
    value: int | None = None  # 0-based index into the scale or the question's options
    dont_know: bool = False
    choices: tuple[int, ...] = ()  # 0-based option indices, for questions that take several
    text: str | None = None

    @property
    def is_empty(self) -> bool:
        """Nothing given: such an answer is not stored and counts as not answered."""
        return (
            self.value is None
            and not self.dont_know
            and not self.choices
            and not (self.text and self.text.strip())
        )
