"""A position on the consultation's scale ("Helt enig … Helt uenig"), plus "Vet ikke" if offered.

The stored value is the 0-based index of the point; "Vet ikke" is kept apart (`dont_know`) so
that it never shifts a mean or the net agreement. The scale belongs to the consultation, not to
the question, so every scale question of a consultation counts under the same columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from synthesis.answers import Answer
from synthesis.presets import (
    DEFAULT_DONT_KNOW,
    ENGLISH_DONT_KNOW,
    ENGLISH_SCALE_EQUIVALENTS,
    SCALE_PRESETS,
)
from synthesis.question_kinds.base import (
    N_,
    FieldSpec,
    Problem,
    QuestionKind,
    QuestionLike,
    fold,
)
from synthesis.scale_points import DONT_KNOW_LABEL, Scale

DONT_KNOW_CHOICE = "dont_know"


class ScaleKind(QuestionKind):
    name = "scale"
    title = N_("Skala")
    order = 10
    has_scale = True
    tabulated = True

    def fields(self, question: QuestionLike, scale: Scale) -> tuple[FieldSpec, ...]:
        return (position_field(scale),)

    def read(self, question: QuestionLike, scale: Scale, data: Mapping[str, Any]) -> Answer:
        value, dont_know = read_position(data, scale)
        return Answer(question.code, value=value, dont_know=dont_know)

    def form_data(self, answer: Answer, question: QuestionLike, scale: Scale) -> dict[str, Any]:
        return {"value": position_data(answer, scale)}

    def problems(self, answer: Answer, question: QuestionLike) -> tuple[Problem, ...]:
        return position_problems(answer, question)

    def parse_cell(self, cell: str, question: QuestionLike, scale: Scale) -> Answer | None:
        found = cell_values(scale).get(fold(cell))
        if found is None:
            return None
        value, dont_know = found
        return Answer(question.code, value=value, dont_know=dont_know)

    def label(self, answer: Answer, question: QuestionLike, scale: Scale) -> str:
        if answer.dont_know:
            return scale.dont_know or DONT_KNOW_LABEL
        if answer.value is not None and 0 <= answer.value < len(scale.points):
            return scale.points[answer.value]
        return ""

    def columns(self, question: QuestionLike, scale: Scale) -> tuple[str, ...]:
        return scale.points

    def chosen(self, answer: Answer, question: QuestionLike, scale: Scale) -> tuple[int, ...]:
        if answer.value is not None and 0 <= answer.value < len(scale.points):
            return (answer.value,)
        return ()


def position_field(scale: Scale) -> FieldSpec:
    """A radio group of the scale's points, then "Vet ikke" when the scale offers it."""
    choices = tuple((str(index), label) for index, label in enumerate(scale.points))
    if scale.dont_know:
        choices += ((DONT_KNOW_CHOICE, scale.dont_know),)
    return FieldSpec("value", "radio", N_("Spørsmål %(code)s"), choices)


def read_position(data: Mapping[str, Any], scale: Scale) -> tuple[int | None, bool]:
    """(value, don't know) from the radio group; a forged or garbled value is no answer."""
    raw = data.get("value")
    if raw == DONT_KNOW_CHOICE:
        return None, True
    if isinstance(raw, str) and raw.isdecimal() and int(raw) < len(scale):
        return int(raw), False
    return None, False


def position_data(answer: Answer, scale: Scale) -> str | None:
    if answer.dont_know and scale.dont_know:
        return DONT_KNOW_CHOICE
    if answer.value is not None and 0 <= answer.value < len(scale):
        return str(answer.value)
    return None


def position_problems(answer: Answer, question: QuestionLike) -> tuple[Problem, ...]:
    """A required question needs a position ("Vet ikke" is one); a comment is never required."""
    if question.required and answer.value is None and not answer.dont_know:
        return (("value", N_("Velg et svar.")),)
    return ()


@cache
def cell_values(scale: Scale) -> dict[str, tuple[int | None, bool]]:
    """Every accepted way of writing a point → (0-based value, don't know).

    Bokmål labels, their English equivalents when the scale is a preset, 1-based numbers, and
    the "don't know" label in both languages.
    """
    lookup: dict[str, tuple[int | None, bool]] = {}
    for label in (scale.dont_know or DEFAULT_DONT_KNOW, DEFAULT_DONT_KNOW, ENGLISH_DONT_KNOW):
        lookup[fold(label)] = (None, True)
    families = [scale.points]
    points = tuple(fold(p) for p in scale.points)
    for name, preset in SCALE_PRESETS.items():
        english = ENGLISH_SCALE_EQUIVALENTS.get(name, ())
        if points in (tuple(map(fold, preset)), tuple(map(fold, english))):
            families += [preset, english]
    for family in families:
        for index, label in enumerate(family):
            lookup[fold(label)] = (index, False)
    for index in range(len(scale.points)):
        lookup[str(index + 1)] = (index, False)
    return lookup
