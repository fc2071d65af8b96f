"""Creating secretariat users from the admin pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField
from wtforms.validators import DataRequired, Email, EqualTo, Length

MIN_PASSWORD_LENGTH = 12

ROLE_CHOICES = [("analyst", _l("Analytiker")), ("admin", _l("Administrator"))]


class UserForm(FlaskForm):
    email = EmailField(
        _l("E-post"),
        validators=[DataRequired(_l("Skriv en e-postadresse.")), Email(_l("Ugyldig e-post."))],
    )
    role = SelectField(
        _l("Rolle"),
        choices=ROLE_CHOICES,
        validate_choice=True,
    )
    password = PasswordField(
        _l("Passord"),
        validators=[
            DataRequired(_l("Skriv et passord.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l("Passordet må ha minst %(min)d tegn.", min=MIN_PASSWORD_LENGTH),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Gjenta passord"),
        validators=[EqualTo("password", _l("Passordene er ikke like."))],
    )
