"""The response form's fields of one question, made from its kind's field specs.

Everything that depends on the kind of question (which fields, how their data becomes an
`Answer` and back, what a required answer lacks) is the kind's, in `synthesis.question_kinds`,
which cannot import WTForms. Here the kind's plain `FieldSpec`s become WTForms fields, one
builder per widget, and messages are translated. So a new kind is its own module there and a
template macro, and nothing in this file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from flask_babel import lazy_gettext as _l
from wtforms import Field, Form, RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from synthesis.answers import Answer
from synthesis.question_kinds import FieldSpec, Options, QuestionKind
from synthesis.snapshot import Scale


class QuestionLike(Protocol):
    """What the form needs of a question (a `hearing.models.Question` or a form shape's)."""

    id: int
    code: str
    text: str
    kind: str
    required: bool
    help_text: str
    options: Options


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


@dataclass(frozen=True)
class _AnsweredAtWill:
    """A question as the kinds see it, but required of no one."""

    question: QuestionLike
    required: bool = False

    @property
    def code(self) -> str:
        return self.question.code

    @property
    def options(self) -> Options:
        return self.question.options


class AnswerField:
    """One question in the form: its kind's fields, named `q<question id>_<part>`."""

    def __init__(self, question: QuestionLike, scale: Scale, max_chars: int) -> None:
        self.question = question
        self.kind = QuestionKind(question.kind)
        self.scale = scale
        self.max_chars = max_chars
        self.specs = self.kind.fields(question, scale)
        self.names = {spec.part: f"q{question.id}_{spec.part}" for spec in self.specs}

    @property
    def first_name(self) -> str:
        """The form field a respondent meets first: an error about the whole answer goes there."""
        return self.names[self.specs[0].part]

    def unbound_fields(self) -> dict[str, Field]:
        """The WTForms fields to add to the form class, by attribute name."""
        return {self.names[spec.part]: self._field(spec) for spec in self.specs}

    def content(self, form: Form) -> Answer:
        data = {part: form[name].data for part, name in self.names.items()}
        return self.kind.read(self.question, self.scale, data)

    def load(self, form: Form, answer: Answer | None) -> None:
        shown = answer or Answer(self.question.code)
        for part, data in self.kind.form_data(shown, self.question, self.scale).items():
            form[self.names[part]].data = data

    def check(self, form: Form, *, required: bool = True) -> bool:
        """Add an error next to each part the kind finds lacking; True when there is none.

        Without `required`, an unanswered question is no problem even if the web form requires
        it (a letter answers what its sender chose to), but an answer must still be whole."""
        question = self.question if required else _AnsweredAtWill(self.question)
        problems = self.kind.problems(self.content(form), question)
        for part, message in problems:
            add_error(form[self.names[part]], _l(message))
        return not problems

    def _field(self, spec: FieldSpec) -> Field:
        label = _l(spec.label, code=self.question.code)
        return WIDGETS[spec.widget](self, spec, label)

    def _text(self, spec: FieldSpec, label: Any) -> Field:
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

    def _radio(self, spec: FieldSpec, label: Any) -> Field:
        return RadioField(label, choices=list(spec.choices), validators=[Optional()])

    def _checkboxes(self, spec: FieldSpec, label: Any) -> Field:
        return SelectMultipleField(
            label,
            choices=list(spec.choices),
            validators=[Optional()],
            widget=ListWidget(prefix_label=False),
            option_widget=CheckboxInput(),
        )


WIDGETS: dict[str, Callable[[AnswerField, FieldSpec, Any], Field]] = {
    "text": AnswerField._text,
    "radio": AnswerField._radio,
    "checkboxes": AnswerField._checkboxes,
}
