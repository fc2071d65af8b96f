"""The secretariat's letter forms: registering letters, and reviewing one before it counts.

The review form is made per letter: one choice per passage (the question it answers, or the
general comments) and one per scale question (the position the letter states, if any), added
to the fields every letter has (sender, category, dates, consent).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from forms.answer_fields import add_error, normalise_line_endings
from forms.org_number import ValidOrgNumber
from forms.registration import not_in_the_future
from synthesis.snapshot import Scale

GENERAL = ""  # a passage's choice for the general comments
NO_POSITION = ""
DONT_KNOW = "dont_know"
CONSENT_RULE = ""
CONSENT_CHOICES = [
    (CONSENT_RULE, _l("Etter regelen: organisasjoner med navn, privatpersoner anonymt")),
    ("named", _l("Med navn")),
    ("anonymous", _l("Uten navn (anonymt)")),
    ("none", _l("Ikke publiser")),
]
TITLE_CHARS = 70


class LetterUploadForm(FlaskForm):
    files = MultipleFileField(_l("Brev"))  # the page says what it takes, with the limits


class LetterSettingsForm(FlaskForm):
    letters_alone = BooleanField(
        _l("Respondenter kan svare med bare et brev"),
        description=_l("Et svar med vedlagt brev trenger da ikke svar på spørsmålene."),
    )


class QuestionChoice(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def code(self) -> str: ...

    @property
    def text(self) -> str: ...


class PassageLike(Protocol):
    @property
    def id(self) -> int: ...


class LetterReviewForm(FlaskForm):
    respondent_name = StringField(
        _l("Avsender"),
        description=_l("Organisasjonen som svarer, eller personen når en privatperson skriver."),
        validators=[Length(max=300, message=_l("Navnet kan ha høyst %(max)d tegn."))],
    )
    signed_by = StringField(
        _l("Underskrevet av (valgfritt)"),
        validators=[Length(max=300, message=_l("Navnet kan ha høyst %(max)d tegn."))],
    )
    category = SelectField(_l("Kategori"), choices=[], validators=[Optional()])
    received_on = DateField(
        _l("Mottatt dato"),
        validators=[DataRequired(_l("Skriv datoen brevet kom.")), not_in_the_future],
    )
    written_on = DateField(_l("Brevets dato (valgfritt)"), validators=[Optional()])
    email = StringField(
        _l("E-postadresse (valgfritt)"),
        validators=[Length(max=254, message=_l("E-postadressen er for lang."))],
    )
    org_number = StringField(
        _l("Organisasjonsnummer (valgfritt)"), validators=[Length(max=30), ValidOrgNumber()]
    )
    consent = SelectField(_l("Publisering"), choices=CONSENT_CHOICES, validators=[Optional()])
    publish_original = BooleanField(
        _l("Originalfilen kan publiseres"),
        description=_l(
            "Bare for svar som publiseres med navn, og ikke om noe i svaret er sladdet."
        ),
    )
    text = TextAreaField(
        _l("Brevets tekst"),
        filters=[normalise_line_endings],
        description=_l(
            "Endrer du teksten, deles den i avsnitt på nytt, og plasseringen under starter "
            "fra forslaget."
        ),
    )

    passage_fields: list[tuple[int, str]]  # (passage id, field name)
    position_fields: list[tuple[int, str]]  # (question id, field name)

    def validate_email(self, field: StringField) -> None:
        address = (field.data or "").strip()
        if not address:
            return
        try:
            validate_email(address, check_deliverability=False)
        except EmailNotValidError as error:
            raise ValidationError(
                _l("Skriv en gyldig e-postadresse, f.eks. navn@eksempel.no.")
            ) from error

    def check_confirmable(self) -> bool:
        """Confirming needs a sender and a category: add errors by each missing one."""
        complete = True
        if not (self.respondent_name.data or "").strip():
            add_error(self.respondent_name, _l("Skriv hvem brevet er fra."))
            complete = False
        if not (self.category.data or "").strip():
            add_error(self.category, _l("Velg en kategori."))
            complete = False
        return complete

    def placements(self) -> dict[int, int | None]:
        """The question chosen for each passage (None: the general comments)."""
        chosen = {}
        for passage_id, name in self.passage_fields:
            value = self[name].data or GENERAL
            chosen[passage_id] = int(value) if value.isdecimal() else None
        return chosen

    def positions(self) -> dict[int, tuple[int | None, bool]]:
        """The position set on each scale question: (point index or None, "Vet ikke")."""
        chosen = {}
        for question_id, name in self.position_fields:
            value = self[name].data or NO_POSITION
            if value == DONT_KNOW:
                chosen[question_id] = (None, True)
            elif value.isdecimal():
                chosen[question_id] = (int(value), False)
        return chosen


def _title(question: QuestionChoice) -> str:
    text = " ".join(question.text.split())
    if len(text) > TITLE_CHARS:
        text = text[: TITLE_CHARS - 1].rsplit(" ", 1)[0] + " …"
    return f"{question.code}. {text}"


def letter_review_form(
    *,
    passages: Sequence[PassageLike],
    text_questions: Sequence[QuestionChoice],
    scale_questions: Sequence[QuestionChoice],
    scale: Scale,
    categories: Sequence[tuple[int, str]],
    **form_kwargs: Any,
) -> LetterReviewForm:
    """The review form of one letter, bound to the request."""
    targets = [(GENERAL, _l("Generelle kommentarer"))] + [
        (str(q.id), _title(q)) for q in text_questions
    ]
    points = [(NO_POSITION, _l("Ikke oppgitt"))] + [
        (str(index), label) for index, label in enumerate(scale.points)
    ]
    if scale.dont_know:
        points.append((DONT_KNOW, scale.dont_know))
    attributes: dict[str, Any] = {
        "passage_fields": [(p.id, f"passage_{p.id}") for p in passages],
        "position_fields": [(q.id, f"position_{q.id}") for q in scale_questions],
    }
    for number, passage in enumerate(passages, start=1):
        attributes[f"passage_{passage.id}"] = SelectField(
            _l("Avsnitt %(number)d svarer på", number=number),
            choices=targets,
            validators=[Optional()],
        )
    for question in scale_questions:
        attributes[f"position_{question.id}"] = SelectField(
            _title(question), choices=points, validators=[Optional()]
        )
    form_class = type("LetterReview", (LetterReviewForm,), attributes)
    form: LetterReviewForm = form_class(**form_kwargs)
    form.category.choices = [("", _l("Velg kategori"))] + [
        (str(category_id), label) for category_id, label in categories
    ]
    return form
