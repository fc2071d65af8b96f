"""Forms about e-mail: a respondent asking for their links again, a user's notice choice."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectField
from wtforms.validators import DataRequired, Email, Length

NOTICE_CHOICES = [
    ("each", _l("En e-post for hvert nye svar")),
    ("daily", _l("En daglig oversikt over nye svar")),
    ("none", _l("Ingen e-post om nye svar")),
]
LANGUAGE_CHOICES = [("nb", "Norsk (bokmål)"), ("en", "English")]


class LinkRequestForm(FlaskForm):
    email = EmailField(
        _l("E-postadressen du oppga i svaret"),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            DataRequired(_l("Skriv e-postadressen din.")),
            Email(_l("Skriv en gyldig e-postadresse, f.eks. navn@eksempel.no.")),
            Length(max=254, message=_l("E-postadressen er for lang.")),
        ],
    )


class NoticeSettingsForm(FlaskForm):
    new_responses = RadioField(
        _l("Varsel om nye høringssvar"), choices=NOTICE_CHOICES, validate_choice=True
    )
    language = SelectField(_l("Språk i e-postene"), choices=LANGUAGE_CHOICES, validate_choice=True)
