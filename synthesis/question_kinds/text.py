"""Free text, up to the configured number of characters (ANSWER_MAX_CHARS)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from synthesis.answers import Answer
from synthesis.question_kinds.base import (
    N_,
    FieldSpec,
    Problem,
    QuestionKind,
    QuestionLike,
    given_text,
)
from synthesis.scale_points import Scale


class TextKind(QuestionKind):
    name = "text"
    title = N_("Fritekst")
    order = 20
    has_text = True

    def fields(self, question: QuestionLike, scale: Scale) -> tuple[FieldSpec, ...]:
        return (FieldSpec("text", "text", N_("Spørsmål %(code)s")),)

    def read(self, question: QuestionLike, scale: Scale, data: Mapping[str, Any]) -> Answer:
        return Answer(question.code, text=given_text(data))

    def form_data(self, answer: Answer, question: QuestionLike, scale: Scale) -> dict[str, Any]:
        return {"text": answer.text or ""}

    def problems(self, answer: Answer, question: QuestionLike) -> tuple[Problem, ...]:
        if question.required and not answer.text:
            return (("text", N_("Skriv et svar.")),)
        return ()
