"""Any number of the question's options ("Hvilke tjenester samarbeider dere med?"), with
"Annet, spesifiser" when the secretariat asks for it, as in single choice.

The stored choices are the options' 0-based indices in order; the tabulation counts, per
option and category, the respondents who chose it, and its shares are of the respondents who
chose any option (they need not add up to 100 %). A spreadsheet cell and the long format write
the options separated by "; ", which an import reads back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from synthesis.answers import Answer
from synthesis.question_kinds.base import N_, FieldSpec, Problem, QuestionKind, QuestionLike
from synthesis.question_kinds.single_choice import (
    option_fields,
    option_index,
    other_data,
    other_problems,
    other_text,
)
from synthesis.scale_points import Scale

SEPARATOR = "; "


class MultipleChoiceKind(QuestionKind):
    name = "multiple_choice"
    title = N_("Flervalg")
    order = 50
    has_options = True
    tabulated = True
    multiple = True

    def fields(self, question: QuestionLike, scale: Scale) -> tuple[FieldSpec, ...]:
        return option_fields(question, "choices", "checkboxes")

    def read(self, question: QuestionLike, scale: Scale, data: Mapping[str, Any]) -> Answer:
        count = len(question.options.labels)
        given = {int(raw) for raw in data.get("choices") or () if str(raw).isdecimal()}
        choices = tuple(sorted(index for index in given if index < count))
        return Answer(question.code, choices=choices, text=other_text(data, question))

    def form_data(self, answer: Answer, question: QuestionLike, scale: Scale) -> dict[str, Any]:
        chosen = self.chosen(answer, question, scale)
        return {"choices": [str(index) for index in chosen], **other_data(answer, question)}

    def problems(self, answer: Answer, question: QuestionLike) -> tuple[Problem, ...]:
        if question.required and not answer.choices:
            return (("choices", N_("Velg minst ett alternativ.")),)
        other_chosen = question.options.other_index in answer.choices
        return other_problems(other_chosen, answer, question)

    def takes_text(self, question: QuestionLike) -> bool:
        return question.options.other

    def parse_cell(self, cell: str, question: QuestionLike, scale: Scale) -> Answer | None:
        indices = [option_index(part, question) for part in cell.split(";") if part.strip()]
        if not indices or None in indices:
            return None
        return Answer(question.code, choices=tuple(sorted({i for i in indices if i is not None})))

    def label(self, answer: Answer, question: QuestionLike, scale: Scale) -> str:
        labels = question.options.labels
        return ", ".join(labels[index] for index in self.chosen(answer, question, scale))

    def cell(self, answer: Answer, question: QuestionLike, scale: Scale) -> str:
        labels = question.options.labels
        return SEPARATOR.join(labels[index] for index in self.chosen(answer, question, scale))

    def columns(self, question: QuestionLike, scale: Scale) -> tuple[str, ...]:
        return question.options.labels

    def chosen(self, answer: Answer, question: QuestionLike, scale: Scale) -> tuple[int, ...]:
        count = len(question.options.labels)
        return tuple(index for index in answer.choices if 0 <= index < count)
