"""The secretariat's form for a response that came by letter or e-mail, and for correcting it.

Its class is made from the consultation's response form class, so the questions' fields, and how
their answers are read and stored, are the respondents' own. What differs is whom it speaks to:
the secretariat types in who sent the response, the day it came and what the sender said about
publication. The sender's e-mail address is optional, and a letter need not answer every
question the web form requires (it answers what its sender chose to), though at least one.

A received date is a day in Norway; it is stored as the instant that day begins there.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateField, EmailField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from forms.answer_fields import normalise_line_endings
from forms.consultation import OSLO
from forms.response import ResponseForm


def oslo_day(moment: datetime | None = None) -> date:
    """The day it is (or was at `moment`) in Norway."""
    return (moment or datetime.now(UTC)).astimezone(OSLO).date()


def start_of_day(day: date) -> datetime:
    """The instant `day` begins in Norway, in UTC: a received date as stored."""
    return datetime.combine(day, time(), tzinfo=OSLO).astimezone(UTC)


def not_in_the_future(form: Any, field: DateField) -> None:
    if field.data is not None and field.data > oslo_day():
        raise ValidationError(_l("Datoen kan ikke være senere enn i dag."))


class LetterRegistration(ResponseForm):
    """The fields and messages that speak to the secretariat; mixed before a consultation's
    response form class by `registration_form_class`."""

    received_on = DateField(
        _l("Mottatt dato"),
        default=oslo_day,
        description=_l(
            "Dagen brevet eller e-posten kom til sekretariatet. Svaret listes og eksporteres "
            "med denne datoen."
        ),
        validators=[InputRequired(message=_l("Skriv datoen svaret kom inn.")), not_in_the_future],
    )
    respondent_name = StringField(
        _l("Avsender"),
        description=_l("Organisasjonen eller personen svaret er fra, slik det står i svaret."),
        validators=[Length(max=300, message=_l("Navnet kan ha høyst %(max)d tegn."))],
    )
    on_behalf_of = TextAreaField(
        _l("På vegne av (valgfritt)"),
        filters=[normalise_line_endings],
        description=_l(
            "Er svaret sendt for flere, skriv hvilke organisasjoner eller personer som står bak."
        ),
        validators=[Length(max=2000, message=_l("Teksten kan ha høyst %(max)d tegn."))],
    )
    email = EmailField(
        _l("Avsenderens e-postadresse (valgfritt)"),
        description=_l(
            "Fra brevet eller e-posten, om sekretariatet må kontakte avsenderen. "
            "Adressen publiseres aldri."
        ),
        validators=[Length(max=254, message=_l("E-postadressen er for lang."))],
    )

    missing_name = _l("Skriv hvem svaret er fra.")
    missing_consent = _l("Velg hva avsenderen har sagt om publisering.")
    no_answer = _l("Svaret har ingen svar på spørsmålene. Skriv inn minst ett svar fra brevet.")
    required_questions_apply = False

    @property
    def received_day(self) -> date:
        """The day the response came (valid once the form validated)."""
        day: date = self.received_on.data
        return day


def registration_form_class(response_form_class: type[ResponseForm]) -> type[LetterRegistration]:
    """The registration form of the consultation whose response form class is given."""
    return type("LetterRegistrationForm", (LetterRegistration, response_form_class), {})
