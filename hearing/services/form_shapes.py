"""A consultation's response form, built once per change instead of once per request.

On a consultation's last day hundreds of respondents a second fetch, post and read back the same
form. Its questions, scale and categories change rarely, yet loading them and assembling ~50
WTForms fields cost more than everything else in a submission. Each app therefore keeps a
`FormShape` per consultation, keyed by `(id, updated_at)`: any change to the consultation, its
questions or its categories moves `updated_at` (see hearing.models.consultation), so every
worker process notices on its next request, by a column it reads anyway, with no signalling
between processes. The shape holds plain frozen copies, never ORM objects, so it is safe to share
between threads and sessions. How the form uses it on the request path, and what a change to the
form must respect: hearing.public.form_page.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import select

from forms.response import ResponseForm, response_form_class
from hearing.caching import BoundedCache, app_cache
from hearing.extensions import db
from hearing.models import Consultation, Question, RespondentCategory
from synthesis.snapshot import Category, Options, Scale, Sector

SHAPES_KEY = "hearing_form_shapes"
MAX_SHAPES = 64

Derived = TypeVar("Derived")


@dataclass(frozen=True)
class QuestionShape:
    """What the form, the receipt and the answers need of a question (fits QuestionLike)."""

    id: int
    position: int
    code: str
    text: str
    kind: str
    required: bool
    help_text: str
    options: Options


@dataclass(frozen=True)
class CategoryShape:
    id: int
    name: str
    sector: Sector

    @property
    def label(self) -> str:
        """Name with sector suffix, e.g. "Annet (Privat)", as stored in exports."""
        return Category(self.name, self.sector).label


@dataclass(frozen=True)
class FormShape:
    key: tuple[int, datetime]
    questions: tuple[QuestionShape, ...]
    categories: tuple[CategoryShape, ...]
    scale: Scale
    form_class: type[ResponseForm]
    categories_by_id: dict[int, CategoryShape] = field(compare=False)
    _derived: dict[Hashable, Any] = field(default_factory=dict, compare=False, repr=False)

    def per_locale(self, key: tuple[str, str], make: Callable[[], Derived]) -> Derived:
        """A value derived from the shape in one language (e.g. translated category labels)."""
        if key not in self._derived:
            self._derived[key] = make()
        value: Derived = self._derived[key]
        return value


def form_shape(consultation: Consultation) -> FormShape:
    """The cached shape of `consultation` as of its current `updated_at`."""
    key = (consultation.id, consultation.updated_at)
    shapes: BoundedCache[FormShape] = app_cache(SHAPES_KEY, MAX_SHAPES)
    return shapes.get_or_make(key, lambda: _build(consultation, key))


def _build(consultation: Consultation, key: tuple[int, datetime]) -> FormShape:
    questions = tuple(
        QuestionShape(q.id, q.position, q.code, q.text, q.kind, q.required, q.help_text, q.options)
        for q in db.session.scalars(
            select(Question)
            .where(Question.consultation_id == consultation.id)
            .order_by(Question.position, Question.id)
        )
    )
    categories = tuple(
        CategoryShape(c.id, c.name, Sector(c.sector))
        for c in db.session.scalars(
            select(RespondentCategory)
            .where(RespondentCategory.consultation_id == consultation.id)
            .order_by(RespondentCategory.position, RespondentCategory.id)
        )
    )
    scale = consultation.scale
    max_chars = current_app.config["ANSWER_MAX_CHARS"]
    return FormShape(
        key=key,
        questions=questions,
        categories=categories,
        scale=scale,
        form_class=response_form_class(questions, scale, max_chars=max_chars),
        categories_by_id={category.id: category for category in categories},
    )
