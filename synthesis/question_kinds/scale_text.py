"""A scale position with an optional comment: the position is what a required answer needs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from synthesis.answers import Answer
from synthesis.question_kinds.base import N_, FieldSpec, QuestionLike, given_text
from synthesis.question_kinds.scale import ScaleKind, position_field, read_position
from synthesis.scale_points import Scale


class ScaleTextKind(ScaleKind):
    name = "scale_text"
    title = N_("Skala og fritekst")
    order = 30
    has_text = True

    def fields(self, question: QuestionLike, scale: Scale) -> tuple[FieldSpec, ...]:
        comment = FieldSpec("text", "text", N_("Spørsmål %(code)s – kommentar"))
        return (position_field(scale), comment)

    def read(self, question: QuestionLike, scale: Scale, data: Mapping[str, Any]) -> Answer:
        value, dont_know = read_position(data, scale)
        return Answer(question.code, value=value, dont_know=dont_know, text=given_text(data))

    def form_data(self, answer: Answer, question: QuestionLike, scale: Scale) -> dict[str, Any]:
        return {**super().form_data(answer, question, scale), "text": answer.text or ""}
