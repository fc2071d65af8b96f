"""One option of the question's own list ("Hvilken sektor arbeider du i?"), with "Annet,
spesifiser" when the secretariat asks for it: choosing that last option asks for a text.

The stored value is the option's 0-based index, as a scale position is; the text is the
"Annet" text. The tabulation counts each option by category, as it counts a scale. The option
helpers below (fields, "Annet" text, reading a cell) serve multiple choice as well.
"""

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
    Widget,
    fold,
    given_text,
)
from synthesis.scale_points import Scale

OTHER_TEXT_LABEL = N_("Spørsmål %(code)s – spesifiser")
OTHER_TEXT_MISSING = N_("Skriv hva du mener med det siste alternativet.")
OTHER_NOT_CHOSEN = N_("Teksten hører til det siste alternativet. Velg det, eller tøm feltet.")


class SingleChoiceKind(QuestionKind):
    name = "single_choice"
    title = N_("Enkeltvalg")
    order = 40
    has_options = True
    tabulated = True

    def fields(self, question: QuestionLike, scale: Scale) -> tuple[FieldSpec, ...]:
        return option_fields(question, "value", "radio")

    def read(self, question: QuestionLike, scale: Scale, data: Mapping[str, Any]) -> Answer:
        raw = data.get("value")
        valid = isinstance(raw, str) and raw.isdecimal() and int(raw) < len(question.options.labels)
        value = int(raw) if valid else None
        return Answer(question.code, value=value, text=other_text(data, question))

    def form_data(self, answer: Answer, question: QuestionLike, scale: Scale) -> dict[str, Any]:
        chosen = self.chosen(answer, question, scale)
        return {"value": str(chosen[0]) if chosen else None, **other_data(answer, question)}

    def problems(self, answer: Answer, question: QuestionLike) -> tuple[Problem, ...]:
        if question.required and answer.value is None:
            return (("value", N_("Velg et svar.")),)
        return other_problems(answer.value == question.options.other_index, answer, question)

    def takes_text(self, question: QuestionLike) -> bool:
        return question.options.other

    def parse_cell(self, cell: str, question: QuestionLike, scale: Scale) -> Answer | None:
        index = option_index(cell, question)
        return None if index is None else Answer(question.code, value=index)

    def label(self, answer: Answer, question: QuestionLike, scale: Scale) -> str:
        chosen = self.chosen(answer, question, scale)
        return question.options.labels[chosen[0]] if chosen else ""

    def columns(self, question: QuestionLike, scale: Scale) -> tuple[str, ...]:
        return question.options.labels

    def chosen(self, answer: Answer, question: QuestionLike, scale: Scale) -> tuple[int, ...]:
        if answer.value is not None and 0 <= answer.value < len(question.options.labels):
            return (answer.value,)
        return ()


def option_fields(question: QuestionLike, part: str, widget: Widget) -> tuple[FieldSpec, ...]:
    """The options as `widget` under `part`, then the text of "Annet, spesifiser" if asked."""
    options = question.options
    choices = tuple((str(index), label) for index, label in enumerate(options.labels))
    field = FieldSpec(part, widget, N_("Spørsmål %(code)s"), choices)
    return (field, FieldSpec("text", "text", OTHER_TEXT_LABEL)) if options.other else (field,)


def other_text(data: Mapping[str, Any], question: QuestionLike) -> str | None:
    """The text typed for "Annet, spesifiser"; a question without it takes no text."""
    return given_text(data) if question.options.other else None


def other_data(answer: Answer, question: QuestionLike) -> dict[str, Any]:
    return {"text": answer.text or ""} if question.options.other else {}


def option_index(cell: str, question: QuestionLike) -> int | None:
    """The option a cell names: its label (case and spacing aside) or its number from 1."""
    labels = question.options.labels
    wanted = fold(cell)
    for index, label in enumerate(labels):
        if fold(label) == wanted:
            return index
    if wanted.isdecimal() and 1 <= int(wanted) <= len(labels):
        return int(wanted) - 1
    return None


def other_problems(
    other_chosen: bool, answer: Answer, question: QuestionLike
) -> tuple[Problem, ...]:
    """ "Annet, spesifiser" asks for its text, and a text belongs to that option alone."""
    if not question.options.other:
        return ()
    if other_chosen and not answer.text:
        return (("text", OTHER_TEXT_MISSING),)
    if answer.text and not other_chosen:
        return (("text", OTHER_NOT_CHOSEN),)
    return ()
