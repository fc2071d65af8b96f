"""Question field types of the response form: one reusable object per question kind.

As in indico's survey fields, a field type knows how to build its WTForms fields, how to check
that a required question is answered, and how to turn form data into a stored answer
(value, dont_know, text) and back. The response form is assembled from these, so a new question
kind means one new class here and one macro in the template, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from flask_babel import lazy_gettext as _l
from wtforms import Field, Form, RadioField, TextAreaField
from wtforms.validators import Length, Optional

from synthesis.snapshot import QuestionKind, Scale

DONT_KNOW_CHOICE = "dont_know"


class QuestionLike(Protocol):
    """What a field type needs from a question (a `hearing.models.Question` fits)."""

    id: int
    code: str
    text: str
    kind: str
    required: bool
    help_text: str


@dataclass(frozen=True)
class AnswerContent:
    """One answer as the form gives it: a scale index and/or free text, or "don't know"."""

    value: int | None = None
    dont_know: bool = False
    text: str | None = None

    @property
    def is_empty(self) -> bool:
        return self.value is None and not self.dont_know and not (self.text and self.text.strip())


def normalise_line_endings(text: str | None) -> str | None:
    """A line break as one "\\n", however it was sent.

    Browsers send each line break of a textarea as "\\r\\n" but count it, and show the count,
    as one character; without this, a text of exactly the limit typed with line breaks would
    be refused, and stored text would mix both forms.
    """
    if text is None:
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def add_error(field: Field, message: Any) -> None:
    """Add an error even before `validate()` ran (WTForms keeps errors as a tuple until then)."""
    field.errors = [*field.errors, message]


class AnswerField:
    """Base of the field types; `question` gives the label and the names of the form fields."""

    kind: ClassVar[QuestionKind]

    def __init__(self, question: QuestionLike, scale: Scale, max_chars: int) -> None:
        self.question = question
        self.scale = scale
        self.max_chars = max_chars

    @property
    def value_name(self) -> str:
        return f"q{self.question.id}_value"

    @property
    def text_name(self) -> str:
        return f"q{self.question.id}_text"

    @property
    def first_name(self) -> str:
        """The form field a respondent meets first: an error about the whole answer goes there."""
        return self.value_name

    def unbound_fields(self) -> dict[str, Any]:
        """The WTForms fields to add to the form class, by attribute name."""
        raise NotImplementedError

    def content(self, form: Form) -> AnswerContent:
        raise NotImplementedError

    def load(self, form: Form, content: AnswerContent) -> None:
        raise NotImplementedError

    def check_required(self, form: Form) -> bool:
        """Add an error to the first missing part of a required answer; True when complete."""
        raise NotImplementedError

    # Shared parts -------------------------------------------------------------------------

    def _scale_field(self) -> RadioField:
        choices = [(str(index), label) for index, label in enumerate(self.scale.points)]
        if self.scale.dont_know:
            choices.append((DONT_KNOW_CHOICE, self.scale.dont_know))
        return RadioField(
            _l("Spørsmål %(code)s", code=self.question.code),
            choices=choices,
            validators=[Optional()],
        )

    def _text_field(self, label: Any) -> TextAreaField:
        return TextAreaField(
            label,
            filters=[normalise_line_endings],  # before the length is checked
            validators=[
                Length(
                    max=self.max_chars,
                    message=_l("Teksten kan ha høyst %(max)d tegn.", max=self.max_chars),
                )
            ],
        )

    def _scale_content(self, form: Form) -> tuple[int | None, bool]:
        raw = form[self.value_name].data
        if raw == DONT_KNOW_CHOICE:
            return None, True
        # Anything that is not one of the offered points (a forged or garbled POST) counts as no
        # answer; the field's own choice validation reports it to the respondent.
        if isinstance(raw, str) and raw.isdecimal() and int(raw) < len(self.scale):
            return int(raw), False
        return None, False

    def _text_content(self, form: Form) -> str | None:
        text = form[self.text_name].data or ""
        return text if text.strip() else None

    def _load_scale(self, form: Form, content: AnswerContent) -> None:
        if content.dont_know and self.scale.dont_know:
            form[self.value_name].data = DONT_KNOW_CHOICE
        elif content.value is not None and 0 <= content.value < len(self.scale):
            form[self.value_name].data = str(content.value)
        else:
            form[self.value_name].data = None

    def _require_scale(self, form: Form) -> bool:
        value, dont_know = self._scale_content(form)
        if value is None and not dont_know:
            add_error(form[self.value_name], _l("Velg et svar."))
            return False
        return True

    def _require_text(self, form: Form) -> bool:
        if self._text_content(form) is None:
            add_error(form[self.text_name], _l("Skriv et svar."))
            return False
        return True


class ScaleField(AnswerField):
    """A position on the consultation's scale: a radio group, plus "Vet ikke" when offered."""

    kind = QuestionKind.SCALE

    def unbound_fields(self) -> dict[str, Any]:
        return {self.value_name: self._scale_field()}

    def content(self, form: Form) -> AnswerContent:
        value, dont_know = self._scale_content(form)
        return AnswerContent(value=value, dont_know=dont_know)

    def load(self, form: Form, content: AnswerContent) -> None:
        self._load_scale(form, content)

    def check_required(self, form: Form) -> bool:
        return self._require_scale(form)


class TextField(AnswerField):
    """Free text with a character limit (ANSWER_MAX_CHARS)."""

    kind = QuestionKind.TEXT

    @property
    def first_name(self) -> str:
        return self.text_name

    def unbound_fields(self) -> dict[str, Any]:
        return {self.text_name: self._text_field(_l("Spørsmål %(code)s", code=self.question.code))}

    def content(self, form: Form) -> AnswerContent:
        return AnswerContent(text=self._text_content(form))

    def load(self, form: Form, content: AnswerContent) -> None:
        form[self.text_name].data = content.text or ""

    def check_required(self, form: Form) -> bool:
        return self._require_text(form)


class ScaleTextField(AnswerField):
    """A scale position with an optional comment; when required, the position is what counts."""

    kind = QuestionKind.SCALE_TEXT

    def unbound_fields(self) -> dict[str, Any]:
        comment = _l("Spørsmål %(code)s – kommentar", code=self.question.code)
        return {self.value_name: self._scale_field(), self.text_name: self._text_field(comment)}

    def content(self, form: Form) -> AnswerContent:
        value, dont_know = self._scale_content(form)
        return AnswerContent(value=value, dont_know=dont_know, text=self._text_content(form))

    def load(self, form: Form, content: AnswerContent) -> None:
        self._load_scale(form, content)
        form[self.text_name].data = content.text or ""

    def check_required(self, form: Form) -> bool:
        return self._require_scale(form)


FIELD_TYPES: dict[QuestionKind, type[AnswerField]] = {
    field_type.kind: field_type for field_type in (ScaleField, TextField, ScaleTextField)
}


def answer_field_for(question: QuestionLike, scale: Scale, max_chars: int) -> AnswerField:
    return FIELD_TYPES[QuestionKind(question.kind)](question, scale, max_chars)
