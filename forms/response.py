"""The response form: who answers, and one field type per question of the consultation.

The form class is assembled per consultation from `forms.answer_fields`. WTForms validators only
check limits (lengths, valid choices), so a draft can be saved half-done, even with no answer
yet; `check_complete` adds the rules that apply when the respondent submits (required questions,
at least one answer, name, category, consent).
"""

from __future__ import annotations

import functools
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from babel import support
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.i18n import messages_path
from wtforms.validators import Length, Optional

from forms.answer_fields import AnswerField, QuestionLike, add_error, normalise_line_endings
from forms.org_number import ValidOrgNumber
from synthesis.answers import Answer
from synthesis.snapshot import Consent, Scale

IDEMPOTENCY_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{22,64}$")
CONSENT_CHOICES = [
    (Consent.NAMED.value, _l("Publiser svaret med navn")),
    (Consent.ANONYMOUS.value, _l("Publiser svaret uten navn (anonymt)")),
    (Consent.NONE.value, _l("Ikke publiser svaret")),
]


@dataclass(frozen=True)
class ResponseContent:
    """Everything a respondent can type, as plain data; `consent` is "" until chosen."""

    respondent_name: str = ""
    category_id: int | None = None
    on_behalf_of: str = ""
    email: str = ""
    consent: str = ""
    answers: dict[int, Answer] = field(default_factory=dict)  # by question id


def new_idempotency_key() -> str:
    """A fresh key for each rendered form: a repeated POST of that form is the same response."""
    return secrets.token_urlsafe(24)


@functools.cache
def _wtforms_translations(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class ResponseForm(FlaskForm):
    class Meta(FlaskForm.Meta):
        def get_translations(self, form: Any) -> Any:
            """WTForms' own messages in the reader's language, read from disk once per locale.

            Flask-WTF loads the catalogue again on every request; on the busiest form that was
            a tenth of each POST.
            """
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return _wtforms_translations(str(get_locale()))

    respondent_name = StringField(
        _l("Navn på organisasjonen eller personen"),
        validators=[Length(max=300, message=_l("Navnet kan ha høyst %(max)d tegn."))],
    )
    category = SelectField(_l("Kategori"), choices=[], validators=[Optional()])
    on_behalf_of = TextAreaField(
        _l("Svarer på vegne av (valgfritt)"),
        filters=[normalise_line_endings],
        description=_l("Ved felles svar: skriv hvilke organisasjoner eller personer som står bak."),
        validators=[Length(max=2000, message=_l("Teksten kan ha høyst %(max)d tegn."))],
    )
    org_number = StringField(
        _l("Organisasjonsnummer (valgfritt)"),
        description=_l("Svarer du for en organisasjon, kan du oppgi organisasjonsnummeret."),
        validators=[Length(max=30), ValidOrgNumber()],
    )
    email = EmailField(
        _l("E-postadresse"),
        description=_l("Brukes bare hvis sekretariatet må kontakte deg. Den publiseres aldri."),
        validators=[Length(max=254, message=_l("E-postadressen er for lang."))],
    )
    consent = RadioField(_l("Publisering"), choices=CONSENT_CHOICES, validators=[Optional()])
    # Acted on when the response is submitted with an address; not stored with the response.
    send_receipt = BooleanField(_l("Send meg en kopi av svaret og den private lenken på e-post"))
    idempotency_key = HiddenField()
    # A honeypot: hidden from people, tempting to bots. Anything in it refuses the request.
    homepage = StringField(_l("La dette feltet stå tomt"))
    # Files with the response; the view reads and checks them (hearing.public.respondent_files).
    attachments = MultipleFileField(_l("Vedlegg (valgfritt)"))

    answer_fields: list[AnswerField]
    require_email: bool
    # What `check_complete` asks of the one who fills the form in, in their terms: here a
    # respondent; the secretariat registering a letter has a form of its own (forms.registration).
    missing_name = _l("Skriv navnet på organisasjonen eller deg selv.")
    missing_consent = _l("Velg om svaret kan publiseres.")
    no_answer = _l(
        "Svaret ditt har ingen svar på spørsmålene. Svar på minst ett spørsmål før du sender inn."
    )
    required_questions_apply = True  # a required question must be answered
    # Set by the view where the consultation takes a letter alone and a file comes with the
    # response: the letter answers the questions, so none needs an answer in the form.
    letter_alone = False

    def fill_idempotency_key(self) -> str:
        """Keep a well-formed key from the posted form, or make a new one; returns it."""
        key = self.idempotency_key.data or ""
        if not IDEMPOTENCY_KEY_PATTERN.match(key):
            key = new_idempotency_key()
            self.idempotency_key.data = key
        return key

    @property
    def is_spam(self) -> bool:
        return bool((self.homepage.data or "").strip())

    def check_complete(self) -> bool:
        """The rules for submitting: add errors next to each missing field; True when none."""
        complete = True
        if not (self.respondent_name.data or "").strip():
            add_error(self.respondent_name, self.missing_name)
            complete = False
        if not (self.category.data or "").strip():
            add_error(self.category, _l("Velg en kategori."))
            complete = False
        complete = self._check_email() and complete
        if not self.consent.data or self.consent.data == "None":
            add_error(self.consent, self.missing_consent)
            complete = False
        required = self.required_questions_apply and not self.letter_alone
        for answer_field in self.answer_fields:
            complete = answer_field.check(self, required=required) and complete
        return (self.letter_alone or self._check_some_answer()) and complete

    def _check_some_answer(self) -> bool:
        """A response answers at least one question ("Vet ikke" counts), as on a paper form.

        Without this, a consultation with only optional questions would count a response that
        holds nothing but a name. The error goes to the first question, where the reader starts,
        unless that question already says it is required.
        """
        if not self.answer_fields:
            return True
        if any(not answer_field.content(self).is_empty for answer_field in self.answer_fields):
            return True
        first = self[self.answer_fields[0].first_name]
        if not first.errors:
            add_error(first, self.no_answer)
        return False

    def _check_email(self) -> bool:
        email = (self.email.data or "").strip()
        if not email:
            if self.require_email:
                add_error(self.email, _l("Skriv e-postadressen din."))
                return False
            return True
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            add_error(self.email, _l("Skriv en gyldig e-postadresse, f.eks. navn@eksempel.no."))
            return False
        return True

    def content(self) -> ResponseContent:
        # Blank-ish input passes the Optional() validator unchecked; only a real choice counts.
        category = (self.category.data or "").strip()
        consent = self.consent.data if self.consent.data in {c.value for c in Consent} else ""
        return ResponseContent(
            respondent_name=(self.respondent_name.data or "").strip(),
            category_id=int(category) if category.isdecimal() else None,
            on_behalf_of=(self.on_behalf_of.data or "").strip(),
            email=(self.email.data or "").strip(),
            consent=consent,
            answers={af.question.id: af.content(self) for af in self.answer_fields},
        )

    def load(self, content: ResponseContent) -> None:
        """Show stored content (a resumed draft, a submitted response being edited)."""
        self.respondent_name.data = content.respondent_name
        self.category.data = str(content.category_id) if content.category_id else ""
        self.on_behalf_of.data = content.on_behalf_of
        self.email.data = content.email
        self.consent.data = content.consent or None
        for answer_field in self.answer_fields:
            answer_field.load(self, content.answers.get(answer_field.question.id))


def response_form_class(
    questions: Sequence[QuestionLike], scale: Scale, *, max_chars: int
) -> type[ResponseForm]:
    """The form class of one consultation: its answer fields added to `ResponseForm`.

    Building it walks every question and makes ~50 unbound WTForms fields, so callers that see
    many requests keep the class (hearing.services.form_shapes) and only instantiate it.
    """
    answer_fields = [AnswerField(question, scale, max_chars) for question in questions]
    attributes: dict[str, Any] = {"answer_fields": answer_fields}
    for answer_field in answer_fields:
        attributes.update(answer_field.unbound_fields())
    return type("ConsultationResponseForm", (ResponseForm,), attributes)


def new_response_form(
    form_class: type[ResponseForm],
    categories: Sequence[tuple[int, str]],
    *,
    require_email: bool = True,
    **form_kwargs: Any,
) -> ResponseForm:
    """An instance bound to the request; `categories` are (id, label) pairs in order."""
    form = form_class(**form_kwargs)
    form.require_email = require_email
    form.category.choices = [("", _l("Velg kategori"))] + [
        (str(category_id), label) for category_id, label in categories
    ]
    return form


def build_response_form(
    questions: Sequence[QuestionLike],
    scale: Scale,
    categories: Sequence[tuple[int, str]],
    *,
    max_chars: int,
    require_email: bool = True,
    **form_kwargs: Any,
) -> ResponseForm:
    """A response form for one consultation, class and instance in one go."""
    form_class = response_form_class(questions, scale, max_chars=max_chars)
    return new_response_form(form_class, categories, require_email=require_email, **form_kwargs)
