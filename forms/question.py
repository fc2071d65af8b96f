"""Question and respondent-category forms of the secretariat."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from exports.labels import sector_label
from synthesis.question_kinds import Options, QuestionKind
from synthesis.snapshot import Sector

# Every question kind, in the order the kinds give (each names itself).
KIND_CHOICES = [(str(kind), _l(kind.title)) for kind in QuestionKind]


class QuestionForm(FlaskForm):
    code = StringField(
        _l("Nummer"),
        description=_l("F.eks. «1» eller «1.a»."),
        validators=[
            DataRequired(_l("Skriv et nummer.")),
            Length(max=20),
            Regexp(r"^[0-9A-Za-z][0-9A-Za-z.\-]*$", message=_l("Bruk tall, bokstaver og punktum.")),
        ],
    )
    text = TextAreaField(
        _l("Spørsmål"), validators=[DataRequired(_l("Skriv spørsmålet.")), Length(max=5000)]
    )
    kind = SelectField(_l("Svartype"), choices=KIND_CHOICES)
    option_lines = TextAreaField(
        _l("Svaralternativer"),
        description=_l("For enkeltvalg og flervalg: ett alternativ per linje, i rekkefølge."),
        validators=[Length(max=5000)],
    )
    other_option = BooleanField(
        _l("Det siste alternativet er «Annet» og ber om en forklaring (spesifiser)")
    )
    required = BooleanField(_l("Må besvares"))
    help_text = TextAreaField(_l("Hjelpetekst"), validators=[Length(max=5000)])

    def __init__(self, *args: Any, code_taken: Callable[[str], bool] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self._code_taken = code_taken

    def validate_code(self, field: StringField) -> None:
        if self._code_taken and field.data and self._code_taken(field.data.strip()):
            raise ValidationError(_l("Et annet spørsmål har allerede dette nummeret."))

    def validate_option_lines(self, field: TextAreaField) -> None:
        if not self._kind.has_options:
            return
        labels = self._labels()
        if len(labels) < 2:
            raise ValidationError(_l("Skriv minst to alternativer, ett per linje."))
        if len({" ".join(label.split()).casefold() for label in labels}) < len(labels):
            raise ValidationError(_l("Hvert alternativ kan bare stå én gang."))

    def options(self) -> Options:
        """The options as stored; none for a kind that offers none."""
        if not self._kind.has_options:
            return Options()
        return Options(self._labels(), other=bool(self.other_option.data))

    def load_options(self, options: Options) -> None:
        self.option_lines.data = "\n".join(options.labels)
        self.other_option.data = options.other

    @property
    def _kind(self) -> QuestionKind:
        try:
            return QuestionKind(self.kind.data)
        except ValueError:  # not one of the choices: the select field says so
            return QuestionKind.TEXT

    def _labels(self) -> tuple[str, ...]:
        lines = (self.option_lines.data or "").splitlines()
        return tuple(" ".join(line.split()) for line in lines if line.strip())


class CategoryForm(FlaskForm):
    name = StringField(
        _l("Kategori"), validators=[DataRequired(_l("Skriv et navn.")), Length(max=200)]
    )
    sector = SelectField(
        _l("Sektor"),
        choices=lambda: [(s.value, sector_label(s, str(get_locale()))) for s in Sector],
    )

    def __init__(self, *args: Any, taken: Callable[[str, str], bool] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self._taken = taken

    def validate_name(self, field: StringField) -> None:
        if self._taken and field.data and self._taken(field.data.strip(), self.sector.data):
            raise ValidationError(_l("Kategorien finnes allerede i denne sektoren."))
