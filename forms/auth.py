"""Sign-in form for secretariat users."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-post"),
        validators=[DataRequired(_l("Skriv e-postadressen din.")), Email(_l("Ugyldig e-post."))],
    )
    password = PasswordField(
        _l("Passord"), validators=[DataRequired(_l("Skriv passordet.")), Length(max=200)]
    )
