"""Build a consultation from a long-format file alone (`hearing import-responses --create`).

Responses that came by letter or from another tool arrive without a consultation to hold them.
The file says enough to make one: the question codes (in order of first appearance), what each
question asks for (a scale value, text, or both, seen from the answers), the categories with
their sectors, and the scale, which is recognised from the labels used against the known
presets unless the secretariat names its points.
"""

from __future__ import annotations

from collections.abc import Sequence

from hearing.imports.compiled_scale import SCALE_FAMILIES
from hearing.imports.long_format import LongFormatError, LongTable
from hearing.imports.long_validate import fold, split_label
from synthesis import snapshot as snap
from synthesis.presets import (
    DEFAULT_DONT_KNOW,
    ENGLISH_DONT_KNOW,
    ENGLISH_SCALE_EQUIVALENTS,
    SCALE_PRESETS,
)

QUESTION_TEXT = {"nb": "Spørsmål {code}", "en": "Question {code}"}
_DONT_KNOW = {
    fold(DEFAULT_DONT_KNOW): DEFAULT_DONT_KNOW,
    fold(ENGLISH_DONT_KNOW): ENGLISH_DONT_KNOW,
}


def infer_consultation(
    table: LongTable,
    *,
    slug: str,
    title: str,
    scale_points: Sequence[str] | None = None,
    locale: str = "nb",
) -> snap.ConsultationSnapshot:
    """The consultation the file describes; raises `LongFormatError("unknown_scale")`."""
    scale = (
        snap.Scale(points=tuple(p.strip() for p in scale_points if p.strip()))
        if scale_points
        else None
    )
    scale = recognise_scale(table, scale)
    language = "en" if scale.points in ENGLISH_SCALE_EQUIVALENTS.values() else "nb"
    return snap.ConsultationSnapshot(
        slug=slug,
        title=title,
        scale=scale,
        categories=infer_categories(table),
        questions=infer_questions(table, locale),
        language=language,
    )


def infer_questions(table: LongTable, locale: str = "nb") -> tuple[snap.Question, ...]:
    """Codes in order of first appearance; the kind from whether values and texts occur."""
    seen: dict[str, tuple[str, bool, bool]] = {}
    for raw in table.rows:
        code = raw.text("question").rstrip(".")
        if not code:
            continue
        key = fold(code)
        first, has_value, has_text = seen.get(key, (code, False, False))
        seen[key] = (
            first,
            has_value or bool(raw.text("value")),
            has_text or bool(raw.text("text")),
        )
    template = QUESTION_TEXT.get(locale, QUESTION_TEXT["nb"])
    return tuple(
        snap.Question(code, template.format(code=code), _kind(has_value, has_text))
        for code, has_value, has_text in seen.values()
    )


def _kind(has_value: bool, has_text: bool) -> snap.QuestionKind:
    if has_value and has_text:
        return snap.QuestionKind.SCALE_TEXT
    return snap.QuestionKind.SCALE if has_value else snap.QuestionKind.TEXT


def infer_categories(table: LongTable) -> tuple[snap.Category, ...]:
    """Categories in order of first appearance; a row without a sector adds none."""
    found: dict[tuple[str, snap.Sector], snap.Category] = {}
    for raw in table.rows:
        name, sector = split_label(raw.text("category"))
        sector = snap.sector_named(raw.text("sector")) or sector
        if name and sector is not None:
            found.setdefault((fold(name), sector), snap.Category(name, sector))
    return tuple(found.values())


def recognise_scale(table: LongTable, given: snap.Scale | None = None) -> snap.Scale:
    """The scale `given`, or the known family that holds every label the file uses.

    Files that use only numbers get the Norwegian agreement scale when it is long enough.
    """
    labels: dict[str, str] = {}
    dont_know: str | None = None
    highest = 0
    for raw in table.rows:
        value = raw.text("value")
        if not value:
            continue
        if fold(value) in _DONT_KNOW:
            dont_know = dont_know or _DONT_KNOW[fold(value)]
        elif value.isdigit():
            highest = max(highest, int(value))
        else:
            labels.setdefault(fold(value), value)
    if given is not None:
        return snap.Scale(points=given.points, dont_know=dont_know)
    for family in _families():
        folded = {fold(point) for point in family}
        if labels.keys() <= folded and highest <= len(family):
            english = family in ENGLISH_SCALE_EQUIVALENTS.values()
            if dont_know is not None:
                dont_know = ENGLISH_DONT_KNOW if english else DEFAULT_DONT_KNOW
            return snap.Scale(points=family, dont_know=dont_know)
    raise LongFormatError("unknown_scale", labels=", ".join(sorted(labels.values())))


def _families() -> list[tuple[str, ...]]:
    """Known scales, the default agreement scale first so that a file of numbers gets it."""
    families = [snap.NORWEGIAN_AGREEMENT_SCALE, *SCALE_PRESETS.values()]
    families += ENGLISH_SCALE_EQUIVALENTS.values()
    families += SCALE_FAMILIES
    unique: list[tuple[str, ...]] = []
    for family in families:
        if family not in unique:
            unique.append(family)
    return unique
